import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DeckState, GotoMessage, ServerMessage } from '../protocol/messages.ts';
import { NOT_SYNCED_TEXT, NotSynced } from './not-synced.ts';
import type { OutboxTimers } from './outbox.ts';

const at = (indexh: number): DeckState => ({ indexh, indexv: 0, indexf: -1, paused: false, overview: false });
const talk = { title: 'T', stacks: [1, 1, 1, 1], fragments: [[0], [0], [0], [0]] };
const unavailable = (ref: string, retryAfterMs?: number): ServerMessage => ({
  type: 'error',
  code: 'unavailable',
  message: 'The talk cannot store changes right now; it will be sent again.',
  ref,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

/** A console at `position`, with the banner's text, what it sent, and a clock it controls. */
function consoleAt(start: number) {
  let position = at(start);
  let text: string | null = null;
  const sent: GotoMessage[] = [];
  let due: { run: () => void; ms: number } | null = null;
  const timers: OutboxTimers = {
    set: (run, ms) => (due = { run, ms }),
    clear: () => void (due = null),
  };
  const watch = new NotSynced({ show: (t) => void (text = t), position: () => position, send: (m) => (sent.push(m), true), timers, random: () => 0 });
  watch.receive({ type: 'welcome', v: 1, seq: 1, epoch: 'e1', role: 'presenter', connection: 'me', talk, deck: position, audience: 0 });
  return {
    watch,
    sent,
    text: () => text,
    move: (h: number) => void (position = at(h)),
    due: () => due?.ms ?? null,
    fire() {
      const run = due!.run;
      due = null;
      run();
    },
  };
}

describe('NotSynced (the console while the server cannot store)', () => {
  it('warns on an unavailable move, resends the newest position when due, and clears when the server holds it', () => {
    const c = consoleAt(0);
    assert.equal(c.text(), null);
    c.move(1);
    c.watch.receive(unavailable('goto', 1000));
    assert.equal(c.text(), NOT_SYNCED_TEXT);
    assert.equal(c.watch.pending(), true);
    assert.equal(c.due(), 1000);
    c.move(2);
    c.fire();
    assert.deepEqual(c.sent, [{ type: 'goto', state: at(2) }], 'the newest position, not the refused one');
    c.watch.receive({ type: 'deck', seq: 2, state: at(1), origin: 'me' });
    assert.equal(c.text(), NOT_SYNCED_TEXT, 'an older position of ours stored is not enough');
    c.watch.receive({ type: 'deck', seq: 3, state: at(2), origin: 'me' });
    assert.equal(c.text(), null);
    assert.equal(c.watch.pending(), false);
  });

  it('backs off 0.5 s doubling without a hint, one resend at a time', () => {
    const c = consoleAt(0);
    c.watch.receive(unavailable('goto'));
    assert.equal(c.due(), 250);
    c.watch.receive(unavailable('goto'));
    assert.equal(c.due(), 250, 'a second refusal before the resend does not push it back');
    c.fire();
    c.watch.receive(unavailable('goto'));
    assert.equal(c.due(), 500);
    c.fire();
    c.watch.receive(unavailable('goto'));
    assert.equal(c.due(), 1000);
  });

  it('names other writes that were not stored, and clears once a move is stored', () => {
    const c = consoleAt(3);
    c.watch.receive(unavailable('timer'));
    assert.match(c.text() ?? '', /^Not synced: .*Not saved \(do it again once this is gone\): timer\.$/);
    c.fire();
    assert.deepEqual(c.sent, [{ type: 'goto', state: at(3) }], 'the position goes again, as a probe');
    c.watch.receive({ type: 'deck', seq: 2, state: at(3), origin: 'me' });
    assert.equal(c.text(), null);
  });

  it("a move stored from another presenter (a phone remote) clears it: the console follows that", () => {
    const c = consoleAt(0);
    c.watch.receive(unavailable('goto', 500));
    c.watch.receive({ type: 'deck', seq: 2, state: at(3), origin: 'remote' });
    assert.equal(c.text(), null);
    assert.equal(c.due(), null, 'no resend after that');
  });

  it('a welcome at the console position clears it; at another, it stays pending so the page sends its own', () => {
    const c = consoleAt(2);
    c.watch.receive(unavailable('goto', 500));
    c.watch.receive({ type: 'welcome', v: 1, seq: 5, epoch: 'e1', role: 'presenter', connection: 'me2', talk, deck: at(1), audience: 0 });
    assert.equal(c.watch.pending(), true);
    c.watch.receive({ type: 'deck', seq: 6, state: at(2), origin: 'me2' });
    assert.equal(c.watch.pending(), false);
  });
});
