import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HelloMessage, ResumedMessage, WelcomeMessage } from '../protocol/messages.ts';
import { ResumePoint } from './resume-point.ts';

const base: HelloMessage = { type: 'hello', v: 1, role: 'audience', talk: 'K7QM4P', participant: 'p-1' };
const talk = { title: 'T', stacks: [1], fragments: [[0]] };
const deck = { indexh: 0, indexv: 0, indexf: -1, paused: false, overview: false };
// An older server sent no epoch: the client must still cope, hence the cast when it is absent.
const welcome = (seq: number, epoch?: string) =>
  ({ type: 'welcome', v: 1, seq, role: 'audience', connection: 'c', talk, deck, audience: 1, ...(epoch === undefined ? {} : { epoch }) }) as unknown as WelcomeMessage;

describe('ResumePoint (lastSeq and epoch sent back on reconnect)', () => {
  it('sends a plain hello before anything was received', () => {
    assert.deepEqual(new ResumePoint().hello(base), base);
  });

  it('sends the highest seq with the epoch of the welcome it counts in', () => {
    const point = new ResumePoint();
    point.track(welcome(10, 'e-1'));
    point.track({ type: 'deck', seq: 12, state: deck, origin: 'c' });
    point.track({ type: 'deck', seq: 11, state: deck, origin: 'c' });
    point.track({ type: 'presence', audience: 3 });
    assert.deepEqual(point.hello(base), { ...base, lastSeq: 12, epoch: 'e-1' });
  });

  it('a new welcome resets both: a lower seq in a new epoch is not mixed with the old', () => {
    const point = new ResumePoint();
    point.track(welcome(500, 'e-1'));
    point.track(welcome(3, 'e-2'));
    assert.deepEqual(point.hello(base), { ...base, lastSeq: 3, epoch: 'e-2' });
  });

  it('keeps the epoch through a resume, and takes the one resumed names', () => {
    const point = new ResumePoint();
    point.track(welcome(10, 'e-1'));
    point.track({ type: 'resumed', v: 1, seq: 10, role: 'audience', connection: 'c2', audience: 1 } as unknown as ResumedMessage);
    point.track({ type: 'deck', seq: 11, state: deck, origin: 'c' });
    assert.deepEqual(point.hello(base), { ...base, lastSeq: 11, epoch: 'e-1' });
    point.track({ type: 'resumed', v: 1, seq: 11, role: 'audience', connection: 'c3', audience: 1, epoch: 'e-1' });
    assert.deepEqual(point.hello(base), { ...base, lastSeq: 11, epoch: 'e-1' });
  });

  it('from a server that sends no epoch (single node before cluster mode), sends lastSeq alone', () => {
    const point = new ResumePoint();
    point.track(welcome(7));
    assert.deepEqual(point.hello(base), { ...base, lastSeq: 7 });
  });
});
