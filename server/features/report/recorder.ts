/**
 * Writes what the report needs and the log would not otherwise hold: presence samples, and
 * reactions and pace signals counted per slide (both are ephemeral on the wire). Cheap at any
 * size of room: the count is read on a timer (never per join), and the tallies are a few map
 * increments per signal, written as one event every few seconds.
 *
 * These are writes the server makes on its own, so in a cluster every node makes them. Each is
 * keyed by its time bucket with participant '@server', so the log stores the first and the
 * others are duplicates; and a sample any node wrote resets every node's gap (`applied`), so
 * the nodes do not take turns writing the same count.
 */
import type { PaceSignal, Reaction } from '../../../protocol/polls.ts';
import { REPORT_EVENTS } from '../../../protocol/report.ts';
import type { TalkHost } from '../../talk/host.ts';
import { slideKeyOf } from '../../../protocol/live.ts';

export interface RecorderOptions {
  /** How often the count is looked at; also the time bucket of a sample's key. */
  checkMs: number;
  /** A changed count is written at most this often (a join storm is one or two samples). */
  minGapMs: number;
  /** While anyone is connected, a sample at least this often, even unchanged: it shows the talk went on. */
  heartbeatMs: number;
  /** Reactions and pace signals are counted in buckets this long, each written as one tally when it ends. */
  tallyMs: number;
}

const RECORDER_DEFAULTS: RecorderOptions = { checkMs: 1000, minGapMs: 10_000, heartbeatMs: 60_000, tallyMs: 10_000 };

/** Who the log says made a write no client asked for. */
export const SERVER_PARTICIPANT = '@server';

type Counts<K extends string> = Partial<Record<K, number>>;

export class ReportRecorder {
  private readonly options: RecorderOptions;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** No one is connected when a server starts: that needs no sample, so a restart alone adds nothing to the log. */
  private lastCount = 0;
  private lastSampleAt: number;
  /** The time bucket the counts below belong to (its number names the tally's key). */
  private tallyBucket: number;
  private reactions: Record<string, Counts<Reaction>> = {};
  private pace: Record<string, { fast: number; slow: number }> = {};
  private pending = false;

  constructor(
    private readonly host: TalkHost,
    options: Partial<RecorderOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...RECORDER_DEFAULTS, ...options };
    this.lastSampleAt = now();
    this.tallyBucket = this.bucketOf(now());
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.checkMs);
    this.timer.unref();
  }

  /** Writes what is pending, once; nothing is written after this (the store may close next). */
  stop(): void {
    if (this.stopped) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample(true);
    this.flushTallies();
    this.stopped = true;
  }

  /** A presence sample entered the log (this node's or another's): the gap and the last count start from it. */
  applied(audience: number): void {
    this.lastCount = audience;
    this.lastSampleAt = this.now();
  }

  /** Call for every reaction of the talk (in a cluster: on every node, from the signal), so each node's tally is the whole talk's. */
  reaction(reaction: Reaction): void {
    this.rollTallies();
    const counts = (this.reactions[slideKeyOf(this.host.talk.deck)] ??= {});
    counts[reaction] = (counts[reaction] ?? 0) + 1;
    this.pending = true;
  }

  paceSignal(signal: PaceSignal): void {
    if (signal === 'ok') return;
    this.rollTallies();
    (this.pace[slideKeyOf(this.host.talk.deck)] ??= { fast: 0, slow: 0 })[signal]++;
    this.pending = true;
  }

  /** Runs on the timer; public so tests can drive it with their own clock. */
  tick(): void {
    this.sample(false);
    this.rollTallies();
  }

  private bucketOf(at: number): number {
    return Math.floor(at / this.options.tallyMs);
  }

  /** A bucket ended: its tally is written, keyed by it (every node counted the same signals into it). */
  private rollTallies(): void {
    if (this.bucketOf(this.now()) !== this.tallyBucket) this.flushTallies();
  }

  private sample(final: boolean): void {
    if (this.stopped) return;
    const { room } = this.host;
    const audience = this.host.audience();
    const anyone = audience + room.count('screen') + room.count('presenter') + room.count('moderator') > 0;
    const since = this.now() - this.lastSampleAt;
    const changed = audience !== this.lastCount && (final || since >= this.options.minGapMs);
    if (!changed && !(anyone && since >= this.options.heartbeatMs)) return;
    this.write(REPORT_EVENTS.presence, { audience }, `presence:${Math.floor(this.now() / this.options.checkMs)}`);
    this.lastCount = audience;
    this.lastSampleAt = this.now();
  }

  private flushTallies(): void {
    if (this.stopped) return;
    const bucket = this.tallyBucket;
    this.tallyBucket = this.bucketOf(this.now());
    if (!this.pending) return;
    if (Object.keys(this.reactions).length > 0) this.write(REPORT_EVENTS.reactions, { slides: this.reactions }, `reactions:${bucket}`);
    if (Object.keys(this.pace).length > 0) this.write(REPORT_EVENTS.pace, { slides: this.pace }, `pace:${bucket}`);
    this.reactions = {};
    this.pace = {};
    this.pending = false;
  }

  private write(kind: string, data: unknown, key: string): void {
    // Runs on a timer: a failing disk or an unreachable log must not take the talk down; the report just misses a point.
    const missed = (err: unknown) => process.emitWarning(`livedeck: could not record ${kind} for the report: ${err instanceof Error ? err.message : String(err)}`);
    try {
      this.host.talk.commit({ kind, data, participant: SERVER_PARTICIPANT, key }).catch(missed);
    } catch (err) {
      missed(err);
    }
  }
}
