import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkMessage, parseClientMessage } from './parse.ts';

const state = { indexh: 2, indexv: 1, indexf: -1, paused: false, overview: false };

describe('parseClientMessage', () => {
  it('accepts a well-formed goto and returns it typed', () => {
    const r = parseClientMessage(JSON.stringify({ type: 'goto', state }));
    assert.deepEqual(r, { ok: true, message: { type: 'goto', state } });
  });

  it('accepts a presenter hello with a key', () => {
    const hello = { type: 'hello', v: 1, role: 'presenter', talk: 'ABC234', key: 'k'.repeat(43) };
    const r = parseClientMessage(JSON.stringify(hello));
    assert.equal(r.ok, true);
  });

  it('refuses text that is not JSON', () => {
    const r = parseClientMessage('{"type":');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, 'bad_json');
  });

  it('refuses JSON that is not an object', () => {
    for (const raw of ['[]', '42', 'null', '"goto"']) {
      const r = parseClientMessage(raw);
      assert.equal(!r.ok && r.code, 'bad_message', raw);
    }
  });

  it('names an unknown type without echoing all of it', () => {
    const r = parseClientMessage(JSON.stringify({ type: 'next'.repeat(100) }));
    assert.equal(!r.ok && r.code, 'unknown_type');
    assert.ok(!r.ok && r.message.length < 120);
  });

  it('refuses prototype keys as types', () => {
    for (const type of ['__proto__', 'constructor', 'toString']) {
      const r = parseClientMessage(JSON.stringify({ type }));
      assert.equal(!r.ok && r.code, 'unknown_type', type);
    }
  });

  it('refuses negative, fractional and missing indices with the path', () => {
    const bad = [
      { ...state, indexh: -1 },
      { ...state, indexv: 1.5 },
      { ...state, indexf: -2 },
      { indexh: 0, indexv: 0, indexf: 0, paused: false },
      { ...state, paused: 'no' },
    ];
    for (const s of bad) {
      const r = parseClientMessage(JSON.stringify({ type: 'goto', state: s }));
      assert.equal(!r.ok && r.code, 'bad_message', JSON.stringify(s));
      assert.equal(!r.ok && r.ref, 'goto');
    }
  });

  it('refuses extra keys inside the deck state', () => {
    const r = parseClientMessage(JSON.stringify({ type: 'goto', state: { ...state, evil: 1 } }));
    assert.equal(!r.ok && r.code, 'bad_message');
  });

  it('refuses an unknown role and an over-long key', () => {
    const r1 = parseClientMessage(JSON.stringify({ type: 'hello', v: 1, role: 'admin', talk: 'X' }));
    assert.equal(!r1.ok && r1.code, 'bad_message');
    const r2 = parseClientMessage(JSON.stringify({ type: 'hello', v: 1, role: 'presenter', talk: 'X', key: 'a'.repeat(500) }));
    assert.equal(!r2.ok && r2.code, 'bad_message');
  });

  it('names the key of a write it refuses, so the client can drop it from its outbox', () => {
    const ballot = parseClientMessage(JSON.stringify({ type: 'ballot', poll: 'p', key: 'k-1', value: { choices: 'no' } }));
    assert.deepEqual(ballot.ok ? null : [ballot.code, ballot.ref, ballot.key], ['bad_message', 'ballot', 'k-1']);
    const ask = parseClientMessage(JSON.stringify({ type: 'ask', key: 'k-2', text: 7, slide: { indexh: 0, indexv: 0, indexf: -1 } }));
    assert.equal(!ask.ok && ask.key, 'k-2');
    const keyless = parseClientMessage(JSON.stringify({ type: 'upvote', question: 'q1', on: true }));
    assert.equal(!keyless.ok && keyless.key, undefined);
  });
});

describe('hello', () => {
  it('parses every hello exactly as its schema does (the fast path never differs)', () => {
    const values: Record<string, unknown[]> = {
      v: [1, 2, 0, -1, 1.5, '1', null, true, 1e300],
      role: ['audience', 'screen', 'presenter', 'moderator', 'admin', '', 'Audience', null, 1],
      talk: ['ABC234', 'a', 'x'.repeat(64), 'x'.repeat(65), '', 'with space', 'tab\t', 'é', '~!', 42, null],
      key: ['k'.repeat(43), 'k'.repeat(128), 'k'.repeat(129), '', 'a b', null, 7],
      participant: ['bench-0-1', 'p'.repeat(64), 'p'.repeat(65), '', 'ünï', null, []],
      lastSeq: [0, 7, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -1, 2.5, '3', null],
      // Dropped by the fast path once, so no cluster node could vouch for a resume.
      epoch: ['cbywwyah', 'e'.repeat(64), 'e'.repeat(65), '', 'a b', null, 5],
    };
    const optional = new Set(['key', 'participant', 'lastSeq', 'epoch']);
    const base = { type: 'hello', v: 1, role: 'audience', talk: 'ABC234' };
    const cases: Array<Record<string, unknown>> = [base, { ...base, extra: 'dropped' }, { type: 'hello' }];
    for (const [field, list] of Object.entries(values)) {
      for (const value of list) cases.push({ ...base, [field]: value });
      if (optional.has(field)) for (const value of list) cases.push({ ...base, key: 'k'.repeat(43), participant: 'p-1', lastSeq: 3, [field]: value });
    }
    const { talk: _missing, ...noTalk } = base;
    cases.push(noTalk);
    let accepted = 0;
    for (const hello of cases) {
      const fast = parseClientMessage(JSON.stringify(hello));
      assert.deepEqual(fast, checkMessage('hello', JSON.parse(JSON.stringify(hello))), JSON.stringify(hello));
      if (fast.ok) accepted += 1;
    }
    assert.ok(accepted > 10 && accepted < cases.length, `${accepted} of ${cases.length} accepted`);
  });
});
