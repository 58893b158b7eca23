/**
 * Writes what the report needs and the log would not otherwise hold: presence samples, and
 * reactions and pace signals counted per slide (both are ephemeral on the wire). Cheap at any
 * size of room: the count is read from the room on a timer (never per join), and the tallies are
 * a few map increments per signal, written as one event every few seconds.
 */
import type { PaceSignal, Reaction } from '../../../protocol/polls.ts';
import { REPORT_EVENTS } from '../../../protocol/report.ts';
import type { TalkHost } from '../../talk/host.ts';
import { slideKeyOf } from '../../../protocol/live.ts';

export interface RecorderOptions {
  /** How often the room's count is looked at. */
  checkMs: number;
  /** A changed count is written at most this often (a join storm is one or two samples). */
  minGapMs: number;
  /** While anyone is connected, a sample at least this often, even unchanged: it shows the talk went on. */
  heartbeatMs: number;
  /** Reactions and pace signals counted since the last write are written this often. */
  tallyMs: number;
}

const RECORDER_DEFAULTS: RecorderOptions = { checkMs: 1000, minGapMs: 10_000, heartbeatMs: 60_000, tallyMs: 10_000 };

type Counts<K extends string> = Partial<Record<K, number>>;

export class ReportRecorder {
  private readonly options: RecorderOptions;
  private timer: NodeJS.Timeout | null = null;
  /** No one is connected when a server starts: that needs no sample, so a restart alone adds nothing to the log. */
  private lastCount = 0;
  private lastSampleAt: number;
  private lastTallyAt: number;
  private reactions: Record<string, Counts<Reaction>> = {};
  private pace: Record<string, { fast: number; slow: number }> = {};
  private pending = false;

  constructor(
    private readonly host: TalkHost,
    options: Partial<RecorderOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...RECORDER_DEFAULTS, ...options };
    this.lastTallyAt = now();
    this.lastSampleAt = now();
  }

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.checkMs);
    this.timer.unref();
  }

  /** Writes what is pending; nothing is written after this (the store may close next). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample(true);
    this.flushTallies();
  }

  reaction(reaction: Reaction): void {
    const counts = (this.reactions[slideKeyOf(this.host.talk.deck)] ??= {});
    counts[reaction] = (counts[reaction] ?? 0) + 1;
    this.pending = true;
  }

  paceSignal(signal: PaceSignal): void {
    if (signal === 'ok') return;
    (this.pace[slideKeyOf(this.host.talk.deck)] ??= { fast: 0, slow: 0 })[signal]++;
    this.pending = true;
  }

  /** Runs on the timer; public so tests can drive it with their own clock. */
  tick(): void {
    this.sample(false);
    if (this.now() - this.lastTallyAt >= this.options.tallyMs) this.flushTallies();
  }

  private sample(final: boolean): void {
    const { room } = this.host;
    const audience = room.count('audience');
    const anyone = audience + room.count('screen') + room.count('presenter') + room.count('moderator') > 0;
    const since = this.now() - this.lastSampleAt;
    const changed = audience !== this.lastCount && (final || since >= this.options.minGapMs);
    if (!changed && !(anyone && since >= this.options.heartbeatMs)) return;
    this.write(REPORT_EVENTS.presence, { audience });
    this.lastCount = audience;
    this.lastSampleAt = this.now();
  }

  private flushTallies(): void {
    this.lastTallyAt = this.now();
    if (!this.pending) return;
    if (Object.keys(this.reactions).length > 0) this.write(REPORT_EVENTS.reactions, { slides: this.reactions });
    if (Object.keys(this.pace).length > 0) this.write(REPORT_EVENTS.pace, { slides: this.pace });
    this.reactions = {};
    this.pace = {};
    this.pending = false;
  }

  private write(kind: string, data: unknown): void {
    try {
      this.host.talk.record({ kind, data, participant: null, key: null });
    } catch (err) {
      // Runs on a timer: a failing disk must not take the talk down; the report just misses a point.
      process.emitWarning(`livedeck: could not record ${kind} for the report: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
