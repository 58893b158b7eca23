import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseClientMessage } from './parse.ts';
import { MAX_FRAME_BYTES } from './messages.ts';

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

  it('refuses frames above the size limit before parsing', () => {
    const r = parseClientMessage(JSON.stringify({ type: 'ping', t: 1, pad: 'x'.repeat(MAX_FRAME_BYTES) }));
    assert.equal(!r.ok && r.code, 'too_large');
  });
});
