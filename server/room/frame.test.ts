import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { payloads, textFrame, textFrames } from './frame.ts';

const require = createRequire(import.meta.url);
const { Sender } = require('ws') as { Sender: { frame(data: Buffer, options: object): Buffer[] } };

/** What ws itself would put on the wire for this text. */
function wsFrame(text: string): Buffer {
  return Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: true }));
}

describe('textFrame', () => {
  it('frames exactly as ws does at every length encoding (7, 16 and 64 bits)', () => {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 70_000]) {
      const text = 'x'.repeat(length);
      assert.deepEqual(textFrame(text), wsFrame(text), `length ${length}`);
    }
  });

  it('measures the payload in UTF-8 bytes, not characters', () => {
    const text = `{"t":"${'é🎉'.repeat(40)}"}`;
    assert.ok(Buffer.byteLength(text) >= 126 && text.length < 126 * 2);
    assert.deepEqual(textFrame(text), wsFrame(text));
  });

  it('puts several frames back to back in one buffer, each as textFrame makes it', () => {
    const texts = ['{"type":"welcome"}', 'é'.repeat(100), 'x'.repeat(70_000), ''];
    assert.deepEqual(textFrames(texts), Buffer.concat(texts.map(textFrame)));
  });

  it('gives back each payload of frames laid back to back (the path for a socket ws is still queueing)', () => {
    const texts = ['{"type":"welcome"}', 'é'.repeat(100), 'x'.repeat(70_000), ''];
    assert.deepEqual(payloads(textFrames(texts)).map((p) => p.toString()), texts);
  });
});
