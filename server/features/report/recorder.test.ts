import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { REPORT_EVENTS } from '../../../protocol/report.ts';
import { TalkHost } from '../../talk/host.ts';
import type { Peer } from '../../room/peer.ts';
import { MemoryStore } from '../../store/memory.ts';
import { hashSecret } from '../../talk/secrets.ts';
import { Talk } from '../../talk/talk.ts';
import { ReportRecorder } from './recorder.ts';

function setup() {
  const talk = new Talk({ code: 'ABC234', presenterKeyHash: hashSecret('k'), info: { title: 't', stacks: [1, 2], fragments: [[0], [0, 0]] }, notes: {}, store: new MemoryStore() });
  const host = new TalkHost(talk);
  let now = 1_000_000;
  const recorder = new ReportRecorder(host, { checkMs: 1000, minGapMs: 10_000, heartbeatMs: 60_000, tallyMs: 5_000 }, () => now);
  const events = (kind: string) => talk.store.events(talk.code, 0).filter((e) => e.kind === kind).map((e) => e.data);
  // Counting needs only the role; the room files an audience peer without a participant id in its set.
  const joinPhones = (n: number) => {
    for (let i = 0; i < n; i++) host.room.add({ id: `c${i}`, role: 'audience', participant: null } as unknown as Peer, 'audience');
  };
  return { talk, host, recorder, events, joinPhones, clock: () => now, advance: (ms: number) => (now += ms) };
}

describe('ReportRecorder', () => {
  it('writes a join storm of 500 phones as one presence sample, not 500', () => {
    const { recorder, events, joinPhones, advance } = setup();
    recorder.tick();
    assert.deepEqual(events(REPORT_EVENTS.presence), [], 'an empty room at start needs no sample');
    advance(10_000);
    for (let second = 0; second < 9; second++) {
      joinPhones(50);
      advance(1000);
      recorder.tick();
    }
    assert.deepEqual(events(REPORT_EVENTS.presence), [{ audience: 50 }], 'the first change is written at once');
    joinPhones(50);
    advance(1000);
    recorder.tick();
    assert.deepEqual(events(REPORT_EVENTS.presence), [{ audience: 50 }], 'changes within the minimum gap wait');
    advance(1000);
    recorder.tick();
    assert.deepEqual(events(REPORT_EVENTS.presence), [{ audience: 50 }, { audience: 500 }]);
  });

  it('writes an unchanged count once a minute while anyone is connected, and nothing while no one is', () => {
    const { recorder, events, joinPhones, advance } = setup();
    recorder.tick();
    for (let i = 0; i < 180; i++) {
      advance(1000);
      recorder.tick();
    }
    assert.equal(events(REPORT_EVENTS.presence).length, 0, 'an empty room stays silent');
    joinPhones(3);
    for (let i = 0; i < 130; i++) {
      advance(1000);
      recorder.tick();
    }
    assert.deepEqual(events(REPORT_EVENTS.presence), [{ audience: 3 }, { audience: 3 }, { audience: 3 }]);
  });

  it('counts reactions and pace on the live slide and writes them as one tally per interval', () => {
    const { talk, recorder, events, advance } = setup();
    recorder.tick();
    recorder.reaction('like');
    recorder.reaction('like');
    recorder.paceSignal('fast');
    talk.showDeck({ indexh: 1, indexv: 1, indexf: -1, paused: false, overview: false });
    recorder.reaction('clap');
    recorder.paceSignal('ok');
    advance(1000);
    recorder.tick();
    assert.deepEqual(events(REPORT_EVENTS.reactions), [], 'not before the interval');
    advance(5000);
    recorder.tick();
    assert.deepEqual(events(REPORT_EVENTS.reactions), [{ slides: { '0/0': { like: 2 }, '1/1': { clap: 1 } } }]);
    assert.deepEqual(events(REPORT_EVENTS.pace), [{ slides: { '0/0': { fast: 1, slow: 0 } } }]);
    advance(10_000);
    recorder.tick();
    assert.equal(events(REPORT_EVENTS.reactions).length, 1, 'nothing new, nothing written');
  });

  it('writes what is pending when stopped, even inside the minimum gap', () => {
    const { recorder, events, joinPhones } = setup();
    recorder.tick();
    joinPhones(2);
    recorder.reaction('wow');
    recorder.stop();
    assert.deepEqual(events(REPORT_EVENTS.presence), [{ audience: 2 }]);
    assert.deepEqual(events(REPORT_EVENTS.reactions), [{ slides: { '0/0': { wow: 1 } } }]);
  });

  it("stores one sample and one tally when two nodes' recorders write the same bucket", () => {
    const { talk, host, recorder, events, joinPhones, clock, advance } = setup();
    // A second node's recorder over the same log, with the same clock: both see the same total and the same signals.
    const other = new ReportRecorder(host, { checkMs: 1000, minGapMs: 10_000, heartbeatMs: 60_000, tallyMs: 5_000 }, clock);
    recorder.tick();
    other.tick();
    joinPhones(4);
    advance(10_000);
    recorder.reaction('like');
    other.reaction('like');
    recorder.tick();
    other.tick();
    assert.deepEqual(events(REPORT_EVENTS.presence), [{ audience: 4 }]);
    advance(5_000);
    recorder.tick();
    other.tick();
    assert.deepEqual(events(REPORT_EVENTS.reactions), [{ slides: { '0/0': { like: 1 } } }]);
    const stored = talk.store.events(talk.code, 0);
    assert.ok(stored.every((e) => e.participant === '@server' && typeof e.key === 'string'), 'server-made writes carry a key');
  });

  it("takes another node's sample as its own: the gap and the count start from it", () => {
    const { recorder, events, joinPhones, advance } = setup();
    recorder.tick();
    joinPhones(5);
    advance(10_000);
    recorder.applied(5);
    recorder.tick();
    assert.deepEqual(events(REPORT_EVENTS.presence), [], 'the count another node wrote is not written again');
    advance(59_000);
    recorder.tick();
    assert.deepEqual(events(REPORT_EVENTS.presence), []);
    advance(1_000);
    recorder.tick();
    assert.deepEqual(events(REPORT_EVENTS.presence), [{ audience: 5 }], 'the heartbeat counts from that sample');
  });
});

