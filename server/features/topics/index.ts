/**
 * Topics for a deck's own scripts (docs/topics.md). The presenter's page publishes to any
 * topic and every follower hears it at once. Phones publish only to topics the deck declares
 * for them, and are combined: the server keeps, per topic, the last value and a count of
 * publishes, and multicasts that at most a few times a second, so 20 000 phones tapping cost
 * the room a handful of messages a second rather than a message per tap per phone.
 * Values are kept in memory only (like reactions): a restart starts the topics afresh.
 */
import type { ClientMessage, ServerMessage } from '../../../protocol/messages.ts';
import { TOPIC_LIMITS, topicDataSize, type TopicDeclarations, type TopicValue } from '../../../protocol/topics.ts';
import type { HandlerContext } from '../../talk/feature.ts';
import { hostOf } from '../peers.ts';
import type { TalkHost } from '../../talk/host.ts';
import type { Peer } from '../../room/peer.ts';
import type { Talk } from '../../talk/talk.ts';
import { Coalescer } from '../coalesce.ts';
import { fanOut } from '../fanout.ts';
import { refuse } from '../reply.ts';
import { sendMessage } from '../../room/room.ts';

const ROLES_HEARING = ['audience', 'screen'] as const;

class TopicBoard {
  readonly values = new Map<string, TopicValue>();
  /** Audience topics changed since the last multicast. */
  private readonly pending = new Set<string>();
  private readonly flusher: Coalescer;

  constructor(
    private readonly host: TalkHost,
    readonly declared: TopicDeclarations,
  ) {
    this.flusher = new Coalescer(1000 / TOPIC_LIMITS.audienceFlushesPerSecond, () => this.flush());
  }

  /** False when the talk already keeps as many topics as it may and this would be a new one. */
  hasRoomFor(topic: string): boolean {
    return this.values.has(topic) || this.values.size < TOPIC_LIMITS.topics;
  }

  fromPresenter(topic: string, data: TopicValue['data']): void {
    const value: TopicValue = { data, from: 'presenter', count: (this.values.get(topic)?.count ?? 0) + 1 };
    this.values.set(topic, value);
    // Its newest value goes now, so a coalesced phone value still waiting would only be older.
    this.pending.delete(topic);
    this.send(topic, value);
  }

  fromAudience(topic: string, data: TopicValue['data']): void {
    this.values.set(topic, { data, from: 'audience', count: (this.values.get(topic)?.count ?? 0) + 1 });
    this.pending.add(topic);
    this.flusher.mark();
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

const boards = new WeakMap<Talk, TopicBoard>();

/** Called once per talk at start, with what the deck declares. */
export function attachTopics(host: TalkHost, declared: TopicDeclarations): void {
  boards.set(host.talk, new TopicBoard(host, declared));
}

/** After the other snapshots: every topic's last value, when there is any (late joiners start from it). */
export function topicsSnapshotJson(peer: Peer, talk: Talk): string[] {
  const board = boards.get(talk);
  if (!board || board.values.size === 0 || peer.role === null) return [];
  return [JSON.stringify({ type: 'topics', topics: Object.fromEntries(board.values) } satisfies ServerMessage)];
}

export const topicHandlers = {
  publish(peer: Peer, msg: Extract<ClientMessage, { type: 'publish' }>, ctx: HandlerContext): void {
    const host = hostOf(peer, ctx);
    if (!host) return refuse(peer, 'not_joined', 'publish', undefined, msg.id);
    const board = boards.get(host.talk);
    if (!board) return refuse(peer, 'undeclared_topic', 'publish', undefined, msg.id);
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
  },
};
