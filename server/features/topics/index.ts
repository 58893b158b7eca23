/**
 * Topics for a deck's own scripts (docs/topics.md). The presenter's page publishes to any
 * topic and every follower hears it at once. Phones publish only to topics the deck declares
 * for them, and are combined: the server keeps, per topic, the last value and a count of
 * publishes, and multicasts that at most a few times a second, so 20 000 phones tapping cost
 * the room a handful of messages a second rather than a message per tap per phone.
 *
 * Values are kept in memory only (like reactions): a restart starts the topics afresh. They
 * reach every node's connections as signals (host.signals): a presenter's value at once, phones'
 * taps combined on the node that took them first (one signal per topic per flush, carrying how
 * many taps it stands for), so a cluster's pub/sub carries a few messages a second, not a tap
 * each. Each node keeps what it heard, which is what its late joiners start from.
 */
import * as v from 'valibot';
import type { ServerMessage } from '../../../protocol/messages.ts';
import { TOPIC_LIMITS, topicDataSize, type TopicData, type TopicDeclarations, type TopicValue } from '../../../protocol/topics.ts';
import { topicsClientSchemas } from '../../../protocol/topics-schemas.ts';
import type { Feature, Handler } from '../../talk/feature.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Peer } from '../../room/peer.ts';
import { Coalescer } from '../coalesce.ts';
import { fanOut } from '../fanout.ts';
import { refuse } from '../reply.ts';
import { sendMessage } from '../../room/room.ts';

const ROLES_HEARING = ['audience', 'screen'] as const;

/** The signal channel (per talk) topic values travel on between nodes. */
export const TOPIC_CHANNEL = 'topic';

/** What crosses nodes: one value, standing for `taps` publishes (a presenter's: one). */
export interface TopicSignal {
  topic: string;
  data: TopicData;
  from: TopicValue['from'];
  taps: number;
}

const FLUSH_MS = 1000 / TOPIC_LIMITS.audienceFlushesPerSecond;

/** Signals come from other nodes over Redis: checked like a client message before they touch state. */
const signalSchema = v.strictObject({
  topic: topicsClientSchemas.publish.entries.topic,
  data: topicsClientSchemas.publish.entries.data,
  from: v.picklist(['presenter', 'audience'] as const),
  taps: v.pipe(v.number(), v.integer(), v.minValue(1)),
});

export function parseTopicSignal(raw: unknown): TopicSignal | null {
  const parsed = v.safeParse(signalSchema, raw);
  if (!parsed.success || topicDataSize(parsed.output.data) > TOPIC_LIMITS.dataBytes) return null;
  return parsed.output;
}

class TopicBoard {
  /** Every topic's last value as this node heard it. */
  readonly values = new Map<string, TopicValue>();
  /** Audience topics changed since the last multicast to this node's connections. */
  private readonly pending = new Set<string>();
  private readonly flusher: Coalescer;
  /** This node's phones' taps not yet signalled: the last value per topic and how many taps. */
  private readonly outgoing = new Map<string, { data: TopicData; taps: number }>();
  private readonly sender: Coalescer;

  constructor(
    private readonly host: TalkHost,
    readonly declared: TopicDeclarations,
  ) {
    this.flusher = new Coalescer(FLUSH_MS, () => this.flush());
    this.sender = new Coalescer(FLUSH_MS, () => this.signalTaps());
  }

  /** False when the talk already keeps as many topics as it may and this would be a new one. */
  hasRoomFor(topic: string): boolean {
    if (this.values.has(topic) || this.outgoing.has(topic)) return true;
    let kept = this.values.size;
    for (const waiting of this.outgoing.keys()) if (!this.values.has(waiting)) kept++;
    return kept < TOPIC_LIMITS.topics;
  }

  fromPresenter(topic: string, data: TopicData): void {
    // This node's phones' taps go first, so their older value cannot land after the presenter's.
    if (this.outgoing.size > 0) this.sender.flushNow();
    this.host.signals.publish(TOPIC_CHANNEL, { topic, data, from: 'presenter', taps: 1 } satisfies TopicSignal);
  }

  fromAudience(topic: string, data: TopicData): void {
    this.outgoing.set(topic, { data, taps: (this.outgoing.get(topic)?.taps ?? 0) + 1 });
    this.sender.mark();
  }

  /** A value from any node, this one included. */
  heard(signal: TopicSignal): void {
    const { topic, data, from, taps } = signal;
    if (!this.values.has(topic) && this.values.size >= TOPIC_LIMITS.topics) return;
    const value: TopicValue = { data, from, count: (this.values.get(topic)?.count ?? 0) + taps };
    this.values.set(topic, value);
    if (from === 'presenter') {
      // Its newest value goes now, so a coalesced phone value still waiting would only be older.
      this.pending.delete(topic);
      this.send(topic, value);
    } else {
      this.pending.add(topic);
      this.flusher.mark();
    }
  }

  stop(): void {
    this.sender.cancel();
    this.flusher.cancel();
  }

  private signalTaps(): void {
    for (const [topic, { data, taps }] of this.outgoing) this.host.signals.publish(TOPIC_CHANNEL, { topic, data, from: 'audience', taps } satisfies TopicSignal);
    this.outgoing.clear();
  }

  private flush(): void {
    for (const topic of this.pending) {
      const value = this.values.get(topic);
      if (value) this.send(topic, value);
    }
    this.pending.clear();
  }

  private send(topic: string, value: TopicValue): void {
    const message: ServerMessage = { type: 'topic', topic, ...value };
    fanOut(this.host.room, { staff: message, public: message, publicRoles: ROLES_HEARING });
  }
}

/** After the other snapshots: every topic's last value, when there is any (late joiners start from it). */
function topicsSnapshotJson(peer: Peer, board: TopicBoard): string[] {
  if (board.values.size === 0 || peer.role === null) return [];
  return [JSON.stringify({ type: 'topics', topics: Object.fromEntries(board.values) } satisfies ServerMessage)];
}

export function topicsFeature(host: TalkHost, declared: TopicDeclarations): Feature {
  const board = new TopicBoard(host, declared);
  let listening = false;

  const publish: Handler<'publish'> = (peer, msg) => {
    if (peer.role !== 'presenter' && peer.role !== 'audience') {
      return refuse(peer, 'forbidden', 'publish', 'Only the presenter and phones publish to topics.', msg.id);
    }
    if (peer.role === 'audience' && board.declared[msg.topic]?.audience !== true) {
      return refuse(peer, 'undeclared_topic', 'publish', `"${msg.topic}" is not declared for phones (livedeck.topics in the deck).`, msg.id);
    }
    const size = topicDataSize(msg.data);
    if (size > TOPIC_LIMITS.dataBytes) {
      return refuse(peer, 'topic_too_large', 'publish', `At most ${TOPIC_LIMITS.dataBytes} bytes as JSON; this is ${size}.`, msg.id);
    }
    if (!board.hasRoomFor(msg.topic)) return refuse(peer, 'too_many_topics', 'publish', `At most ${TOPIC_LIMITS.topics} topics.`, msg.id);
    if (peer.role === 'presenter') board.fromPresenter(msg.topic, msg.data);
    else board.fromAudience(msg.topic, msg.data);
    if (msg.id !== undefined) sendMessage(peer, { type: 'published', id: msg.id });
  };

  return {
    name: 'topics',
    handlers: { publish },
    joined: (peer) => topicsSnapshotJson(peer, board),
    started() {
      if (listening) return;
      listening = true;
      host.signals.subscribe(TOPIC_CHANNEL, (raw) => {
        const signal = parseTopicSignal(raw);
        if (signal) board.heard(signal);
        else process.emitWarning('livedeck: a topic signal that does not fit its shape was dropped.');
      });
    },
    stop: () => board.stop(),
  };
}
