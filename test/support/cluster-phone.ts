import WebSocket from 'ws';
import { PROTOCOL_VERSION, type ClientMessage, type DeckState, type Role, type ServerMessage } from '../../protocol/messages.ts';
import type { AskMessage, ChatSendMessage, UpvoteMessage } from '../../protocol/qa.ts';
import { watchServerFrames } from './contract-check.ts';

/** An audience write with an idempotency key, answered by an ack or a keyed error. */
export type KeyedWrite = AskMessage | UpvoteMessage | ChatSendMessage;

/** The answer to one write: its ack's seq, a refusal (with its code), or nothing (the socket went away first, or no answer in time). */
export type Answer = { seq: number } | { refused: string; code: string; retryAfterMs?: number } | null;

export const deckAt = (indexh: number, indexv = 0, indexf = -1): DeckState => ({ indexh, indexv, indexf, paused: false, overview: false });

/** Every position of test/fixtures/small.md, for a presenter who steps through it. */
export const SMALL_DECK_STEPS: readonly DeckState[] = [deckAt(0), deckAt(1), deckAt(1, 0, 0), deckAt(1, 0, 1), deckAt(2), deckAt(2, 1), deckAt(3)];

/** Messages that are a snapshot or a handshake: they carry a seq but are not one change of the talk (nor is any `*_snapshot`, nor a feature's state sent with the welcome at its seq). */
const NOT_A_CHANGE = new Set<ServerMessage['type']>(['welcome', 'resumed', 'ack', 'error', 'qa_snapshot', 'chat_snapshot']);

export interface JoinOptions {
  role?: Role;
  key?: string;
  participant?: string;
  /** Resume from this position, as the browser client does after a reconnect. */
  resume?: { epoch: string; lastSeq: number };
  timeoutMs?: number;
}

/**
 * A phone (or console) in a cluster test: a real WebSocket that keeps the client's view of the
 * talk's numbering (epoch, lastSeq), notes every seq it sees so a test can check order and gaps,
 * and matches acks and keyed errors to writes. Lean on purpose: hundreds of them run in one process.
 */
export class ClusterPhone {
  readonly ws: WebSocket;
  epoch = '';
  /** The highest seq this phone applied, as client/connection.ts keeps it. */
  lastSeq = 0;
  /** Each change's (seq, type) in the order it arrived, since the first welcome. */
  readonly changes: Array<{ seq: number; type: string }> = [];
  /** Seq order broken: a change below the floor, or one that skipped a seq (when `gapless`). */
  readonly violations: string[] = [];
  /** The seq of this connection's first welcome: it saw every change after it. */
  welcomeSeq: number | null = null;
  /** How this connection was answered: `welcome` or `resumed`. */
  joinedBy: 'welcome' | 'resumed' | null = null;
  closeCode: number | null = null;
  readonly closed: Promise<number>;
  readonly joined: Promise<void>;
  private readonly pending = new Map<string, (answer: Answer) => void>();
  private readonly listeners = new Set<(m: ServerMessage) => void>();

  constructor(
    port: number,
    talk: string,
    readonly options: JoinOptions & {
      /** Every change reaches this role, so a skipped seq is a lost message (true for the audience while nothing is role-filtered). */
      gapless?: boolean;
    } = {},
  ) {
    const participant = options.participant;
    this.ws = watchServerFrames(new WebSocket(`ws://127.0.0.1:${port}/ws`), `phone ${participant ?? options.role ?? ''}`);
    this.ws.on('error', () => undefined);
    this.ws.once('open', () =>
      this.send({
        type: 'hello',
        v: PROTOCOL_VERSION,
        role: options.role ?? 'audience',
        talk,
        ...(options.key ? { key: options.key } : {}),
        ...(participant ? { participant } : {}),
        ...(options.resume ? { lastSeq: options.resume.lastSeq, epoch: options.resume.epoch } : {}),
      }),
    );
    this.closed = new Promise((resolve) =>
      this.ws.on('close', (code) => {
        this.closeCode = code;
        for (const key of [...this.pending.keys()]) this.settle(key, null);
        resolve(code);
      }),
    );
    this.joined = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${participant ?? 'phone'}: no welcome within ${options.timeoutMs ?? 20_000} ms`)), options.timeoutMs ?? 20_000);
      void this.closed.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${participant ?? 'phone'}: closed (${code}) before the welcome`));
      });
      this.listeners.add((m) => {
        if (m.type === 'welcome' || m.type === 'resumed') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    this.joined.catch(() => undefined);
    this.ws.on('message', (data) => this.receive(JSON.parse(data.toString()) as ServerMessage));
  }

  static async join(port: number, talk: string, options: JoinOptions & { gapless?: boolean } = {}): Promise<ClusterPhone> {
    const phone = new ClusterPhone(port, talk, options);
    await phone.joined;
    return phone;
  }

  private receive(m: ServerMessage): void {
    if (m.type === 'welcome') {
      this.joinedBy ??= 'welcome';
      this.welcomeSeq ??= m.seq;
      this.epoch = m.epoch;
      this.lastSeq = m.seq;
    } else if (m.type === 'resumed') {
      this.joinedBy ??= 'resumed';
      this.epoch = m.epoch;
    } else if (m.type === 'ack') {
      this.settle(m.key, { seq: m.seq });
    } else if (m.type === 'error') {
      if (m.key !== undefined) this.settle(m.key, { refused: `${m.code}: ${m.message}`, code: m.code, ...(m.retryAfterMs !== undefined ? { retryAfterMs: m.retryAfterMs } : {}) });
    } else if ('seq' in m && typeof m.seq === 'number') {
      if (NOT_A_CHANGE.has(m.type) || m.type.endsWith('_snapshot') || m.seq <= (this.welcomeSeq ?? 0)) {
        this.lastSeq = Math.max(this.lastSeq, m.seq);
      } else {
        // One event may give two messages with the same seq (docs/protocol.md), never a lower one.
        if (m.seq < this.lastSeq) this.violations.push(`${m.type} seq ${m.seq} after ${this.lastSeq}`);
        else if (this.options.gapless && m.seq > this.lastSeq + 1) this.violations.push(`${m.type} seq ${m.seq} skipped from ${this.lastSeq}`);
        this.changes.push({ seq: m.seq, type: m.type });
        this.lastSeq = Math.max(this.lastSeq, m.seq);
      }
    }
    for (const listener of this.listeners) listener(m);
  }

  /** Resolves with the first message (from now on) that `match` accepts. */
  waitFor(match: (m: ServerMessage) => boolean, timeoutMs = 10_000): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`${this.options.participant ?? 'phone'}: timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (m: ServerMessage) => {
        if (!match(m)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(m);
      };
      this.listeners.add(listener);
    });
  }

  /** Resolves once this phone applied `seq` (or more). */
  async reach(seq: number, timeoutMs = 15_000): Promise<void> {
    if (this.lastSeq >= seq) return;
    await this.waitFor(() => this.lastSeq >= seq, timeoutMs);
  }

  send(message: ClientMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  write(message: KeyedWrite, timeoutMs = 10_000): Promise<Answer> {
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(message.key, null), timeoutMs);
      this.pending.set(message.key, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.ws.send(JSON.stringify(message));
    });
  }

  /**
   * Writes as the browser's outbox does: an `unavailable` answer is kept and sent again with the
   * same key after `retryAfterMs`. Counts those retries in `unavailable`.
   */
  async writeUntilAnswered(message: KeyedWrite, timeoutMs = 30_000): Promise<Answer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await this.write(message, Math.max(1, deadline - Date.now()));
      if (!answer || !('code' in answer) || answer.code !== 'unavailable' || Date.now() > deadline) return answer;
      this.unavailable++;
      await new Promise((r) => setTimeout(r, answer.retryAfterMs ?? 500));
    }
  }

  /** `unavailable` answers this phone's writes got (and then resent). */
  unavailable = 0;

  private settle(key: string, answer: Answer): void {
    const done = this.pending.get(key);
    this.pending.delete(key);
    done?.(answer);
  }

  close(): void {
    this.ws.terminate();
  }
}

/**
 * The seqs after its welcome, up to `through`, that a phone never saw although every change
 * reaches it: `silent` holds the seqs of events no client hears of (the report's records).
 */
export function missedSeqs(phone: ClusterPhone, through: number, silent: ReadonlySet<number>): number[] {
  const seen = new Set(phone.changes.map((c) => c.seq));
  const missed: number[] = [];
  for (let seq = (phone.welcomeSeq ?? 0) + 1; seq <= through; seq++) if (!seen.has(seq) && !silent.has(seq)) missed.push(seq);
  return missed;
}

/** GET an export of the talk from one node (not through the balancer), as text. */
export async function exportFrom(nodeUrl: string, code: string, presenterKey: string, format: 'csv' | 'json'): Promise<string> {
  const res = await fetch(`${nodeUrl}/export/${code}.${format}`, { headers: { authorization: `Bearer ${presenterKey}` }, signal: AbortSignal.timeout(10_000) });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`export from ${nodeUrl}: ${res.status} ${body.slice(0, 200)}`);
  return body;
}

/** Resolves once `check` is true, polling; throws with `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs a test body; when it fails, prints the tail of what every node printed, so the failure can be read. */
export async function withNodeLogs(nodes: ReadonlyArray<{ index: number; allOutput(): string }>, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    for (const node of nodes) console.log(`# --- node ${node.index} printed:\n${node.allOutput().replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => !/[▄▀█]/.test(l)).slice(-40).map((l) => `#   ${l}`).join('\n')}`);
    throw error;
  }
}
