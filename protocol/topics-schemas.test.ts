import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { parseClientMessage } from './parse.ts';
import { topicsServerSchemas } from './topics-schemas.ts';
import { qaMoreServerSchemas } from './qa-more-schemas.ts';

const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)]);

describe('topic and qa-more schemas', () => {
  it('accepts a publish of any JSON value up to 16 levels deep', () => {
    for (const data of [null, true, 3.5, 'text', [1, 'a'], { a: { b: [null] } }, nested(15)]) {
      const r = parseClientMessage(JSON.stringify({ type: 'publish', topic: 'taps', data }));
      assert.equal(r.ok, true, JSON.stringify(data));
    }
  });

  it('refuses deeper values, bad topic names and a missing value, naming the field', () => {
    const deep = parseClientMessage(JSON.stringify({ type: 'publish', topic: 'taps', data: nested(17) }));
    assert.equal(!deep.ok && deep.code, 'bad_message');
    assert.match(!deep.ok ? deep.message : '', /data/);
    // 10 000 levels of brackets fit in a frame; the check stops at 16 instead of recursing through them.
    const hostile = `{"type":"publish","topic":"t","data":${'['.repeat(8000)}${']'.repeat(8000)}}`;
    assert.equal(!parseClientMessage(hostile).ok, true);
    for (const topic of ['', 'has space', '-lead', 'x'.repeat(33), '<b>']) {
      const r = parseClientMessage(JSON.stringify({ type: 'publish', topic, data: 1 }));
      assert.equal(!r.ok && r.code, 'bad_message', topic);
    }
    assert.equal(parseClientMessage(JSON.stringify({ type: 'publish', topic: 'taps' })).ok, false);
  });

  it('parses edit, withdraw, answer (null takes it back) and mute', () => {
    for (const m of [
      { type: 'edit_question', key: 'k1', question: 'q3', text: 'new text' },
      { type: 'withdraw_question', key: 'k2', question: 'q3' },
      { type: 'answer_question', question: 'q3', text: 'yes' },
      { type: 'answer_question', question: 'q3', text: null },
      { type: 'mute', author: 'pAbc', on: true },
    ]) {
      assert.deepEqual(parseClientMessage(JSON.stringify(m)), { ok: true, message: m });
    }
    assert.equal(parseClientMessage(JSON.stringify({ type: 'mute', author: 'p', on: 'yes' })).ok, false);
  });

  it('describes what the server sends', () => {
    assert.ok(v.is(topicsServerSchemas.topic, { type: 'topic', topic: 'taps', data: { n: 1 }, from: 'audience', count: 3 }));
    assert.ok(v.is(topicsServerSchemas.topics, { type: 'topics', topics: { taps: { data: 1, from: 'presenter', count: 1 } } }));
    assert.ok(!v.is(topicsServerSchemas.topic, { type: 'topic', topic: 'taps', data: 1, from: 'screen', count: 1 }));
    assert.ok(v.is(qaMoreServerSchemas.muted, { type: 'muted', seq: 4, muted: true, message: 'paused' }));
    assert.ok(v.is(qaMoreServerSchemas.mutes, { type: 'mutes', seq: 4, authors: ['pAbc'] }));
  });
});
