/**
 * Topics: a deck's own scripts publish and subscribe to named topics (docs/topics.md).
 * Data is JSON, never HTML: subscribers get the parsed value and render it as text.
 *
 * Who may publish (the server enforces it):
 *  - presenter: any topic; each publish reaches every follower at once;
 *  - audience: only topics the deck declares with `audience: true`; the server combines the
 *    room's publishes per topic (count + last value) and multicasts at most
 *    TOPIC_LIMITS.audienceFlushesPerSecond times a second;
 *  - screen and moderator: none.
 */

export const TOPIC_LIMITS = {
  /** Topic names: short, plain tokens (also what the deck declares). */
  nameChars: 32,
  /** Bytes of a value as JSON (UTF-16 code units of JSON.stringify, near enough bytes for ASCII JSON). */
  dataBytes: 1024,
  /** Distinct topics a talk keeps a last value for (bounds the server's memory). */
  topics: 64,
  /** Coalesced multicasts of an audience topic per second. */
  audienceFlushesPerSecond: 4,
  /** Publishes per connection: as fast as a finger taps, with a small burst. */
  publishPerSecond: 5,
  publishBurst: 20,
} as const;

export const TOPIC_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

/** A JSON value, as JSON.parse returns it. */
export type TopicData = null | boolean | number | string | TopicData[] | { [key: string]: TopicData };

/** What the deck says about one topic (front matter `livedeck.topics`, or `data-livedeck-topics`). */
export interface TopicDeclaration {
  /** Phones may publish to it. */
  audience: boolean;
}

export type TopicDeclarations = Record<string, TopicDeclaration>;

/** The value a topic holds: what subscribers get, and late joiners get first. */
export interface TopicValue {
  /** The last value published. */
  data: TopicData;
  /** Who published the last value. */
  from: 'presenter' | 'audience';
  /** How many publishes the topic has had since the server started (phones' taps add up here). */
  count: number;
}

/* ---------------- client → server ---------------- */

export interface PublishMessage {
  type: 'publish';
  topic: string;
  data: TopicData;
  /** Optional client id of this publish: answered with `published {id}` or an `error` carrying it as `key`. */
  id?: string;
}

export type TopicsClientMessage = PublishMessage;

/* ---------------- server → client ---------------- */

/** A topic's new value (absolute, no seq: the latest wins). */
export interface TopicMessage extends TopicValue {
  type: 'topic';
  topic: string;
}

/** Every topic's last value, right after the welcome (and after `resumed`); sent only when there is one. */
export interface TopicsSnapshotMessage {
  type: 'topics';
  topics: Record<string, TopicValue>;
}

/** A publish with an `id` was accepted. */
export interface PublishedMessage {
  type: 'published';
  id: string;
}

export type TopicsServerMessage = TopicMessage | TopicsSnapshotMessage | PublishedMessage;

export const TOPIC_ERROR_CODES = {
  undeclared_topic: 'The deck does not let phones publish to that topic.',
  topic_too_large: 'The published value is too large.',
  too_many_topics: 'The talk has as many topics as it may keep.',
} as const;

/** The size the limit counts: the value as JSON. */
export function topicDataSize(data: TopicData): number {
  return JSON.stringify(data).length;
}
