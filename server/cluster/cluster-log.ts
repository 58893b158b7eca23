/**
 * The talk's log in cluster mode (design study §2.2–2.10): Redis numbers and stores every write
 * with one atomic script, and every node applies the talk's events strictly in seq order, from
 * pub/sub, from its own commit's reply, or from the stream when it notices it missed some. Each
 * applied event is mirrored into the node's own store first, so an acknowledged write survives
 * Redis losing it (restore.ts) as long as the node's store survives.
 *
 * Reached only through `await import()` from cluster code: single-node mode never loads ioredis.
 */
import type { ErrorCode } from '../../protocol/messages.ts';
import type { NewEvent, Store, StoredEvent } from '../store/types.ts';
import { LogRefused, LogUnavailable, type Applier, type CommitGate, type Committed, type TalkLog } from '../talk/log.ts';
import { ApplyLoop } from './apply-loop.ts';
import { gateArgs } from './gate.ts';
import { idempotencyField, talkKeys, type TalkKeys } from './keys.ts';
import { commandConnection, subscriberConnection, type RedisClient } from './redis.ts';
import { electAndRestore, newEpoch } from './restore.ts';
import { defineScripts, type ScriptClient } from './scripts.ts';
import { eventJson, parseChannelMessage, parseEvent, parseStreamEntry, type LoggedEvent, type StreamEntry } from './wire.ts';

export interface ClusterLogOptions {
  /** redis:// URL. */
  url: string;
  /** The talk code (goes into every key as the hash tag). */
  talk: string;
  /** This node's id, unique in the cluster (restore election, connection names). */
  node: string;
  /** This node's own copy of the log (SQLite in production). */
  mirror: Store;
  /** How often the node compares its position with Redis (default 1000 ms). */
  positionCheckMs?: number;
  /** How long nodes that noticed a lost talk wait for each other before electing a restorer (default 1000 ms). */
  restoreWaitMs?: number;
}

export interface ClusterHealth {
  /** False while commands to Redis fail or time out. */
  reachable: boolean;
  /** How long they have been failing (0 when reachable). */
  unreachableForMs: number;
  /** How long this node has known of a seq it has not applied yet (0 when caught up). */
  lagMs: number;
  applied: number;
  /** The highest seq this node knows Redis holds. */
  head: number;
  epoch: string;
}

/** A node whose applied events went beyond what a restore kept (it joined the restore late). */
export interface Divergence {
  /** The new numbering. */
  epoch: string;
  /** Seqs up to this are the same events as before; the node's state beyond it was dropped from its mirror. */
  lineageSeq: number;
  /** Events of this node beyond `lineageSeq` committed again (with their keys, so not doubled). */
  resubmitted: number;
}

/** Events per XRANGE call (design study §2.15): bounded memory while catching up. */
const FETCH_BATCH = 1_000;
/** A node that knows of a seq it has not got for this long fetches it and reconnects its subscriber. */
const SILENCE_MS = 500;
/** How long a committed write may wait to be applied here before it is answered "unavailable". */
const APPLY_WAIT_MS = 5_000;
/** What a refused write tells the client to wait before sending it again. */
const RETRY_AFTER_MS = 500;

type Phase = 'opened' | 'bootstrap' | 'running' | 'closed';

export class ClusterLog implements TalkLog {
  private readonly keys: TalkKeys;
  private readonly loop: ApplyLoop;
  private currentEpoch: string;
  private lineage: { epoch: string; seq: number } | null;
  private applier: Applier | null = null;
  private phase: Phase = 'opened';
  /** False while a divergence is being repaired: events are mirrored but not applied (the listener rebuilds). */
  private applying = true;
  private readonly divergedListeners: ((d: Divergence) => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private catching: Promise<void> | null = null;
  private catchAgain = false;
  private recovering: Promise<void> | null = null;
  private failingSince: number | null = null;
  /** Heads seen by position checks and not yet applied, oldest first, with when they were seen. */
  private heads: { seq: number; at: number }[] = [];
  private knownHead = 0;
  private lastProgressAt = Date.now();
  /** Where bootstrap found the events, for tests and the startup line. */
  readonly bootstrap = { fromMirror: 0, fromRedis: 0 };
  /** How many times this node wrote its mirror back into Redis (a restore it won). */
  restores = 0;

  private constructor(
    private readonly o: Required<ClusterLogOptions>,
    private readonly cmd: ScriptClient,
    private readonly sub: RedisClient,
    epoch: string,
  ) {
    this.keys = talkKeys(o.talk);
    this.currentEpoch = epoch;
    const pe = o.mirror.meta(o.talk, 'pe');
    const ps = Number(o.mirror.meta(o.talk, 'ps'));
    this.lineage = pe && Number.isSafeInteger(ps) ? { epoch: pe, seq: ps } : null;
    this.loop = new ApplyLoop((logged) => this.applyOne(logged));
  }

  /**
   * Connects (a command and a subscriber connection) and makes sure the talk exists in Redis:
   * creates its meta with a fresh epoch if absent, unless this node's mirror holds events of it
   * (then Redis lost the talk, and `start` restores it).
   */
  static async open(options: ClusterLogOptions): Promise<ClusterLog> {
    const o: Required<ClusterLogOptions> = { positionCheckMs: 1_000, restoreWaitMs: 1_000, ...options };
    const cmd = defineScripts(await commandConnection(o.url, `ld-${o.node}-cmd`));
    let sub: RedisClient;
    try {
      sub = await subscriberConnection(o.url, `ld-${o.node}-sub`);
    } catch (err) {
      cmd.disconnect();
      throw err;
    }
    const keys = talkKeys(o.talk);
    const mirrored = o.mirror.lastSeq(o.talk) > 0 && o.mirror.meta(o.talk, 'epoch') !== null;
    let epoch = (await cmd.hget(keys.meta, 'e')) ?? '';
    if (!epoch && !mirrored) epoch = ((await cmd.ldCreate(1, keys.meta, newEpoch())) as string[])[0]!;
    return new ClusterLog(o, cmd, sub, epoch || o.mirror.meta(o.talk, 'epoch')!);
  }

  get epoch(): string {
    return this.currentEpoch;
  }

  get applied(): number {
    return this.loop.applied;
  }

  /** Subscribes (buffering), replays the mirror and/or the stream with live = false, then applies live. */
  async start(apply: Applier): Promise<void> {
    if (this.phase !== 'opened') throw new Error('ClusterLog.start called twice');
    this.applier = apply;
    this.phase = 'bootstrap';
    this.sub.on('message', (channel: string, payload: string) => {
      if (channel === this.keys.channel) this.onChannel(payload);
    });
    // Every 'ready' after the first is a reconnect: whatever was published meanwhile is missed.
    this.sub.on('ready', () => {
      if (this.phase === 'running') this.catchUpInBackground();
    });
    await this.sub.subscribe(this.keys.channel);
    const resubmit = await this.bootstrapState();
    this.phase = 'running';
    if (this.loop.drain()) this.catchUpInBackground();
    this.timer = setInterval(() => void this.check(), this.o.positionCheckMs);
    this.timer.unref();
    if (resubmit.length) await this.resubmit(resubmit);
  }

  async commit(event: NewEvent, gate?: CommitGate): Promise<Committed> {
    if (this.phase !== 'running' || this.recovering) throw new LogUnavailable(RETRY_AFTER_MS);
    const epoch = this.currentEpoch;
    const g = gateArgs(this.keys, gate);
    const json = eventJson(event);
    const gateJson = gate ? JSON.stringify(gate) : '';
    let reply: (string | number)[];
    try {
      reply = (await this.cmd.ldAppend(
        3 + g.keys.length,
        this.keys.meta, this.keys.log, this.keys.keys, ...g.keys,
        epoch, idempotencyField(event.participant, event.key), json, gateJson, this.keys.channel, ...g.args, this.loop.applied,
      )) as (string | number)[];
    } catch (err) {
      this.noteFailure();
      throw new LogUnavailable(RETRY_AFTER_MS, `The talk cannot store changes right now (${(err as Error).message}).`);
    }
    this.noteSuccess();
    switch (reply[0]) {
      case 'OK': {
        const seq = Number(reply[2]);
        if (this.currentEpoch === epoch) {
          // Writer fast path: apply from the reply; the pub/sub copy is then dropped as seq <= applied.
          this.loop.offer({ event: parseEvent(json, seq, Number(reply[3])), gate: gateJson || null });
          if (this.loop.drain()) this.catchUpInBackground();
        }
        await this.appliedThrough(seq);
        return { seq, duplicate: false };
      }
      case 'DUP':
      case 'NOOP': {
        const seq = Number(reply[2]);
        await this.appliedThrough(seq);
        return { seq, duplicate: true };
      }
      case 'REFUSED':
        throw new LogRefused(gate?.requires?.code ?? ('internal' satisfies ErrorCode));
      case 'EPOCH':
      case 'NOTALK':
      case 'BEHIND':
        void this.check();
        throw new LogUnavailable(RETRY_AFTER_MS, 'The talk is resynchronising.');
      case 'RESTORING':
        throw new LogUnavailable(RETRY_AFTER_MS, 'The talk is being restored.');
      default:
        throw new Error(`unexpected commit reply ${String(reply[0])}`);
    }
  }

  events(after: number, limit?: number): StoredEvent[] {
    return this.o.mirror.events(this.o.talk, after, limit);
  }

  vouchesFor(epoch: string | undefined, seq: number): boolean {
    if (epoch === this.currentEpoch) return true;
    return this.lineage !== null && epoch === this.lineage.epoch && seq <= this.lineage.seq;
  }

  health(): ClusterHealth {
    const now = Date.now();
    this.forgetAppliedHeads();
    return {
      reachable: this.failingSince === null,
      unreachableForMs: this.failingSince === null ? 0 : now - this.failingSince,
      lagMs: this.heads.length ? now - this.heads[0]!.at : 0,
      applied: this.loop.applied,
      head: Math.max(this.knownHead, this.loop.applied),
      epoch: this.currentEpoch,
    };
  }

  /**
   * Called when this node had applied events a restore did not keep. By then the mirror holds the
   * new log and this node has stopped applying: the listener rebuilds the talk from `events(0)`
   * (and re-welcomes its phones); events after that are applied as usual.
   */
  onDiverged(listener: (d: Divergence) => void): void {
    this.divergedListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    if (this.timer) clearInterval(this.timer);
    this.loop.rejectWaiters(new LogUnavailable(RETRY_AFTER_MS, 'The node is shutting down.'));
    // disconnect, not quit: quit waits for a reply a paused or gone Redis never sends.
    this.sub.disconnect();
    this.cmd.disconnect();
  }

  // ---- applying -------------------------------------------------------------------------------

  private applyOne({ event, gate }: LoggedEvent): void {
    this.o.mirror.insert(this.o.talk, event, gate);
    this.lastProgressAt = Date.now();
    if (!this.applying || !this.applier) return;
    try {
      this.applier(event, this.phase === 'running');
    } catch (err) {
      // The event is stored; one feature's failure must not stop the talk's other events.
      console.error(`livedeck: applying event ${event.seq} (${event.kind}) failed:`, err);
    }
  }

  private onChannel(payload: string): void {
    let message;
    try {
      message = parseChannelMessage(payload);
    } catch (err) {
      console.error('livedeck: unreadable cluster message:', err);
      return;
    }
    if (!message) return;
    if (message.type === 'reset' || message.epoch !== this.currentEpoch) {
      if (this.phase === 'running') void this.check();
      return;
    }
    if (message.event.seq > this.knownHead) this.knownHead = message.event.seq;
    try {
      this.loop.offer({ event: message.event, gate: message.gate });
      if (this.phase === 'running' && this.loop.drain()) this.catchUpInBackground();
    } catch (err) {
      // A mirror write that failed (disk full) inside Redis's message callback would end the
      // process: the event stays unapplied, the node shows as lagging, the next check retries.
      console.error('livedeck: applying a cluster message failed:', err);
    }
  }

  /** Waits until this node has applied `seq` (a commit's ack must never overtake its change). */
  private appliedThrough(seq: number): Promise<void> {
    if (seq > this.loop.applied && !this.loop.bufferedHead) this.catchUpInBackground();
    return this.loop.waitFor(seq, APPLY_WAIT_MS, () => new LogUnavailable(RETRY_AFTER_MS, 'The write is stored but this node has not caught up yet.'));
  }

  /** Reads the stream from `applied` on, in batches, until it is exhausted. */
  private async fetchTail(): Promise<void> {
    for (;;) {
      const before = this.loop.applied;
      const entries = (await this.cmd.xrange(this.keys.log, `(${before}`, '+', 'COUNT', FETCH_BATCH)) as StreamEntry[];
      this.noteSuccess();
      for (const entry of entries) this.loop.offer(parseStreamEntry(entry));
      this.loop.drain();
      if (this.phase === 'bootstrap') this.bootstrap.fromRedis += this.loop.applied - before;
      // No progress means the stream does not continue from here (it lost a suffix): the position check restores.
      if (entries.length < FETCH_BATCH || this.loop.applied === before) return;
    }
  }

  private catchUp(): Promise<void> {
    if (this.catching) {
      this.catchAgain = true;
      return this.catching;
    }
    this.catching = (async () => {
      try {
        do {
          this.catchAgain = false;
          await this.fetchTail();
        } while (this.catchAgain && this.phase !== 'closed');
      } finally {
        this.catching = null;
      }
    })();
    return this.catching;
  }

  private catchUpInBackground(): void {
    if (this.phase === 'closed') return;
    this.catchUp().catch((err: unknown) => this.noteFailure(err));
  }

  // ---- bootstrap ------------------------------------------------------------------------------

  /**
   * Brings this node to the talk's state. Returns events of an old numbering this node holds
   * beyond what the current one vouches for: committed again once running (keys make it safe).
   */
  private async bootstrapState(): Promise<StoredEvent[]> {
    const { mirror, talk } = this.o;
    const mirrorEpoch = mirror.meta(talk, 'epoch');
    const mirrorSeq = mirror.lastSeq(talk);
    let [e, , st, pe, ps] = await this.cmd.hmget(this.keys.meta, 'e', 's', 'st', 'pe', 'ps');
    while (e && st === 'restoring') {
      await sleep(250);
      [e, , st, pe, ps] = await this.cmd.hmget(this.keys.meta, 'e', 's', 'st', 'pe', 'ps');
    }
    if (!e && mirrorEpoch && mirrorSeq > 0) {
      // Redis lost the talk while this node was away: serve the mirror, then restore it.
      this.replayMirror(mirrorEpoch);
      this.recover();
      return [];
    }
    if (e && mirrorEpoch === e) {
      this.replayMirror(e);
      await this.fetchTail();
      return [];
    }
    if (e && mirrorEpoch && pe === mirrorEpoch && mirrorSeq <= Number(ps)) {
      // The talk was restored while this node was away; its mirror is a prefix of the lineage.
      this.replayMirror(e);
      this.adoptLineage(e, pe, Number(ps));
      await this.fetchTail();
      return [];
    }
    // Another numbering (or nothing): rebuild the mirror from Redis. Events beyond a known lineage
    // are this node's acked writes the restore did not have; an unrelated mirror cannot be vouched for.
    let resubmit: StoredEvent[] = [];
    if (e && mirrorEpoch && pe === mirrorEpoch) resubmit = mirror.events(talk, Number(ps)).filter((ev) => ev.key !== null);
    else if (mirrorSeq > 0) console.warn(`livedeck: talk ${talk}: this node's copy (epoch ${mirrorEpoch ?? 'none'}) is not in Redis's lineage; rebuilt from Redis`);
    mirror.truncate(talk, 0);
    this.currentEpoch = e!;
    mirror.setMeta(talk, 'epoch', e!);
    if (pe && ps) this.adoptLineage(e!, pe, Number(ps));
    await this.fetchTail();
    return resubmit;
  }

  private replayMirror(epoch: string): void {
    const { mirror, talk } = this.o;
    this.currentEpoch = epoch;
    let after = 0;
    for (;;) {
      const batch = mirror.events(talk, after, FETCH_BATCH);
      for (const event of batch) {
        try {
          this.applier!(event, false);
        } catch (err) {
          console.error(`livedeck: replaying event ${event.seq} (${event.kind}) failed:`, err);
        }
      }
      if (!batch.length) break;
      after = batch[batch.length - 1]!.seq;
    }
    this.bootstrap.fromMirror = after;
    this.loop.moveTo(after);
  }

  // ---- detectors ------------------------------------------------------------------------------

  /** The position check: one HMGET, run every positionCheckMs and whenever something looks off. */
  private check(): Promise<void> {
    if (this.checking || this.recovering || this.phase !== 'running') return this.checking ?? Promise.resolve();
    this.checking = this.checkOnce()
      .catch((err: unknown) => this.noteFailure(err))
      .finally(() => {
        this.checking = null;
      });
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    const [e, s, st] = await this.cmd.hmget(this.keys.meta, 'e', 's', 'st');
    this.noteSuccess();
    if (!e) {
      this.recover();
      return;
    }
    if (st === 'restoring') return; // another node is restoring; its end publishes a reset
    if (e !== this.currentEpoch) return this.adopt();
    const head = Number(s);
    const applied = this.loop.applied;
    if (head < applied) {
      this.recover(); // a failover lost an acknowledged suffix
      return;
    }
    if (head > this.knownHead) this.knownHead = head;
    this.forgetAppliedHeads();
    const now = Date.now();
    if (head > applied && (!this.heads.length || this.heads[this.heads.length - 1]!.seq < head)) this.heads.push({ seq: head, at: now });
    const oldest = this.heads[0];
    if (oldest && now - oldest.at >= SILENCE_MS && now - this.lastProgressAt >= SILENCE_MS) {
      // Redis has events this node was not sent: the subscription may be silently dead (centrifugo#1189).
      await this.catchUp();
      this.sub.disconnect(true);
    }
  }

  private forgetAppliedHeads(): void {
    const applied = this.loop.applied;
    while (this.heads.length && this.heads[0]!.seq <= applied) this.heads.shift();
  }

  /** Redis has another numbering than this node: a restore happened (ours or another node's). */
  private async adopt(): Promise<void> {
    const [e, st, pe, ps] = await this.cmd.hmget(this.keys.meta, 'e', 'st', 'pe', 'ps');
    if (!e || st !== 'live' || e === this.currentEpoch) return;
    const lineageSeq = Number(ps);
    if (pe === this.currentEpoch && this.loop.applied <= lineageSeq) {
      this.adoptLineage(e, pe, lineageSeq);
      this.loop.moveTo(this.loop.applied, true);
      await this.catchUp();
      return;
    }
    await this.diverge(e, pe === this.currentEpoch ? lineageSeq : 0);
  }

  /** Keeps this node's state: what it applied is a prefix of the new numbering. */
  private adoptLineage(epoch: string, previous: string, seq: number): void {
    this.currentEpoch = epoch;
    this.lineage = { epoch: previous, seq };
    this.heads = [];
    this.knownHead = 0;
    this.o.mirror.setMeta(this.o.talk, 'epoch', epoch);
    this.o.mirror.setMeta(this.o.talk, 'pe', previous);
    this.o.mirror.setMeta(this.o.talk, 'ps', String(seq));
    this.loop.rejectWaiters(new LogUnavailable(RETRY_AFTER_MS, 'The talk was restored; send the write again.'), seq);
  }

  /** This node applied events the restore did not keep: re-commit them, rebuild the mirror, tell the owner. */
  private async diverge(epoch: string, lineageSeq: number): Promise<void> {
    const { mirror, talk } = this.o;
    const beyond = mirror.events(talk, lineageSeq).filter((ev) => ev.key !== null);
    const [pe] = await this.cmd.hmget(this.keys.meta, 'pe');
    this.applying = false;
    try {
      this.adoptLineage(epoch, pe ?? '', lineageSeq);
      mirror.truncate(talk, lineageSeq);
      this.loop.moveTo(lineageSeq, true);
      await this.catchUp();
      const resubmitted = await this.resubmit(beyond);
      await this.catchUp();
      for (const listener of this.divergedListeners) listener({ epoch, lineageSeq, resubmitted });
    } finally {
      this.applying = true;
    }
  }

  /** Commits events again with their keys (a key Redis already holds answers DUP, so nothing is doubled). */
  private async resubmit(events: StoredEvent[]): Promise<number> {
    let count = 0;
    for (const event of events) {
      const gate = this.o.mirror.gates(this.o.talk, event.seq - 1, event.seq).get(event.seq);
      try {
        const result = await this.commit({ kind: event.kind, data: event.data, participant: event.participant, key: event.key }, gate ? (JSON.parse(gate) as CommitGate) : undefined);
        if (!result.duplicate) count++;
      } catch (err) {
        console.error(`livedeck: re-committing event ${event.seq} (${event.kind}) after a restore failed:`, err);
      }
    }
    return count;
  }

  /** Redis lost the talk (or a suffix of it): elect a restorer among the nodes that noticed. */
  private recover(): void {
    if (this.recovering) return;
    this.recovering = (async () => {
      const outcome = await electAndRestore({
        cmd: this.cmd,
        keys: this.keys,
        talk: this.o.talk,
        node: this.o.node,
        mirror: this.o.mirror,
        waitMs: this.o.restoreWaitMs,
        lostEpoch: this.currentEpoch,
        applied: this.loop.applied,
        closed: () => this.phase === 'closed',
      });
      if (outcome.restored) this.restores++;
      if (outcome.restored) this.adoptLineage(outcome.epoch, this.currentEpoch, outcome.lineageSeq);
    })()
      .catch((err: unknown) => this.noteFailure(err))
      .finally(() => {
        this.recovering = null;
        // Another node's restore is adopted by an ordinary check.
        void this.check();
      });
  }

  private noteFailure(err?: unknown): void {
    if (this.failingSince === null) this.failingSince = Date.now();
    if (err !== undefined && this.phase !== 'closed' && process.env.LIVEDECK_DEBUG) console.error('livedeck: cluster:', err);
  }

  private noteSuccess(): void {
    this.failingSince = null;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
