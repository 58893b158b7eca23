import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WelcomeMessage } from '../../protocol/messages.ts';
import { payloads } from '../room/frame.ts';
import { welcomeFrames } from './welcome.ts';

const talk = { title: 'Ünïcode "quotes" </script> \u2028', stacks: [1, 3, 1, 2], fragments: [[0], [2, 0, 1], [0], [3, 0]] };
const deck = { indexh: 1, indexv: 2, indexf: -1, paused: false, overview: false };

function welcome(extra: Partial<WelcomeMessage> = {}): WelcomeMessage {
  return { type: 'welcome', v: 1, seq: 42, epoch: 'e"1', role: 'audience', connection: 'c-1', talk, deck, audience: 9_999, ...extra };
}

/** The texts of the frames, in order. */
const texts = (frames: Buffer) => payloads(frames).map((p) => p.toString('utf8'));

describe('welcomeFrames', () => {
  it('writes the text JSON.stringify gives, then the snapshots, with and without notes and polls', () => {
    const poll = { poll: { id: 'p', type: 'single', question: 'Q?', options: ['a', 'b'], results: 'live', open: 'manual' }, status: 'open', seq: 3, results: null };
    const snapshots = ['{"type":"qa_snapshot","seq":42}', '{"type":"chat_snapshot","lines":["é"]}'];
    const cases: WelcomeMessage[] = [
      welcome(),
      welcome({ polls: [] }),
      welcome({ epoch: 'e-7c1d' }),
      welcome({ role: 'presenter', notes: { '0/0': 'Say "hi"\n' }, polls: [poll as unknown as NonNullable<WelcomeMessage['polls']>[number]] }),
    ];
    for (const message of cases) assert.deepEqual(texts(welcomeFrames(message, undefined, snapshots)), [JSON.stringify(message), ...snapshots]);
    const { polls, ...rest } = cases[2]!;
    assert.deepEqual(texts(welcomeFrames(rest, JSON.stringify(polls), [])), [JSON.stringify(cases[2])], 'polls given as JSON');
  });

  it('gives each joiner their own connection id and count, and notices every change to the shared parts', () => {
    const joiners = [welcome({ connection: 'a' }), welcome({ connection: 'bé"', audience: 7 }), welcome({ connection: 'c', audience: 1_234_567 })];
    for (const message of joiners) assert.deepEqual(texts(welcomeFrames(message, '[]', ['{"n":1}'])), [JSON.stringify({ ...message, polls: [] }), '{"n":1}']);
    const moved = { ...deck, indexh: 3, indexv: 1 };
    const changes: Array<[WelcomeMessage, string | undefined, string[]]> = [
      [welcome({ seq: 43, deck: moved }), '[]', ['{"n":1}']],
      [welcome({ seq: 43, deck: moved }), '[{"p":1}]', ['{"n":1}']],
      [welcome({ seq: 43, deck: moved }), '[{"p":1}]', ['{"n":2}', '{"m":3}']],
      [welcome({ seq: 43, deck: moved, role: 'screen' }), undefined, ['{"n":2}']],
      [welcome({ seq: 43, deck: moved, role: 'screen', epoch: 'e-2' }), undefined, ['{"n":2}']],
      [welcome({ seq: 43, deck: moved, epoch: 'e-2' }), undefined, []],
      [welcome({ seq: 43, deck: moved }), undefined, []],
    ];
    for (const [message, polls, snapshots] of changes) {
      const expected = polls === undefined ? message : { ...message, polls: JSON.parse(polls) };
      assert.deepEqual(texts(welcomeFrames(message, polls, snapshots)), [JSON.stringify(expected), ...snapshots]);
    }
  });

  it('uses the 16-bit length form once a welcome passes 125 bytes, as a 400-slide deck does', () => {
    const big = welcome({ talk: { title: 'Long', stacks: Array.from({ length: 400 }, () => 1), fragments: Array.from({ length: 400 }, () => [0]) } });
    const frames = welcomeFrames(big, undefined, []);
    assert.equal(frames[1], 126);
    assert.deepEqual(texts(frames), [JSON.stringify(big)]);
  });
});
