import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WelcomeMessage } from '../../protocol/messages.ts';
import { welcomeJson } from './welcome.ts';

const talk = { title: 'Ünïcode "quotes" </script> \u2028', stacks: [1, 3, 1, 2] };
const deck = { indexh: 1, indexv: 2, indexf: -1, paused: false, overview: false };

function welcome(extra: Partial<WelcomeMessage> = {}): WelcomeMessage {
  return { type: 'welcome', v: 1, seq: 42, role: 'audience', connection: 'c-1', talk, deck, audience: 9_999, ...extra };
}

describe('welcomeJson', () => {
  it('gives the same text as JSON.stringify, with and without notes and polls', () => {
    const poll = { poll: { id: 'p', type: 'single', question: 'Q?', options: ['a', 'b'], results: 'live', open: 'manual' }, status: 'open', seq: 3, results: null };
    const cases: WelcomeMessage[] = [
      welcome(),
      welcome({ polls: [] }),
      welcome({ role: 'presenter', notes: { '0/0': 'Say "hi"\n' }, polls: [poll as unknown as NonNullable<WelcomeMessage['polls']>[number]] }),
    ];
    for (const message of cases) assert.equal(welcomeJson(message), JSON.stringify(message));
    const { polls, ...rest } = cases[2]!;
    assert.equal(welcomeJson(rest, JSON.stringify(polls)), JSON.stringify(cases[2]), 'polls given as JSON');
  });

  it('serialises a new deck state, not the previous one (states are replaced, not mutated)', () => {
    assert.equal(welcomeJson(welcome()), JSON.stringify(welcome()));
    const moved = { ...deck, indexh: 3, indexv: 1 };
    assert.equal(welcomeJson(welcome({ deck: moved, seq: 43 })), JSON.stringify(welcome({ deck: moved, seq: 43 })));
    assert.equal(JSON.parse(welcomeJson(welcome({ deck: moved }))).deck.indexh, 3);
  });
});
