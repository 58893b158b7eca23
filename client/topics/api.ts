/**
 * `window.LiveDeck` for a deck's own scripts on livedeck's pages (docs/topics.md):
 * `publish(topic, data)`, `subscribe(topic, fn)`, `role`, and `setText(target, value)`, which
 * renders a value as text. Data travels as JSON and reaches subscribers parsed; nothing here
 * ever turns it into markup.
 */
import type { ClientMessage, Role, ServerMessage } from '../../protocol/messages.ts';
import type { TopicData, TopicValue } from '../../protocol/topics.ts';
import { randomId } from '../participant.ts';

export interface TopicInfo {
  topic: string;
  from: TopicValue['from'];
  /** Publishes the topic has had (the room's taps, for a topic phones publish to). */
  count: number;
}

export type Subscriber = (data: TopicData, info: TopicInfo) => void;

export interface LiveDeckApi {
  /** This page's role: 'presenter', 'screen' or 'audience' (null on a hosted deck before it connects). */
  readonly role: Role | null;
  /** Resolves once the server took it; rejects with the server's reason in words. */
  publish(topic: string, data: TopicData): Promise<void>;
  /** Calls `fn` with every value of `topic`, starting with the last one if there is one. Returns an unsubscribe function. */
  subscribe(topic: string, fn: Subscriber): () => void;
  /** Puts a value into an element (or every element matching a selector) as text: strings as they are, anything else as JSON. */
  setText(target: string | Element, value: unknown): void;
}

/** How long a publish waits for the server's answer before it is given up. */
const ANSWER_WITHIN_MS = 10_000;

interface Waiting {
  resolve(): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface TopicsClient {
  /** Feeds server messages in (topic values, publish answers). */
  receive(message: ServerMessage): void;
  /** Gives the API its way to the server, once the page's connection exists. */
  connect(send: (message: ClientMessage) => boolean): void;
}

/**
 * Installs `window.LiveDeck` at once (before the page's first await, so the deck's inline scripts
 * find it by DOMContentLoaded) and announces it with a `livedeck:ready` event on window.
 */
export function installTopics(role: Role): TopicsClient {
  const topics = createTopics(() => role);
  (window as unknown as { LiveDeck: LiveDeckApi }).LiveDeck = Object.freeze(topics.api);
  window.dispatchEvent(new Event('livedeck:ready'));
  return topics;
}

/**
 * The API and its feed, without installing it anywhere: the hosted deck's `livedeck.js` puts the
 * methods on its plugin object, which is the page's `LiveDeck` there.
 */
export function createTopics(role: () => Role | null): TopicsClient & { api: LiveDeckApi } {
  let send: ((message: ClientMessage) => boolean) | null = null;
  const last = new Map<string, TopicValue>();
  const subscribers = new Map<string, Set<Subscriber>>();
  const waiting = new Map<string, Waiting>();

  function deliver(topic: string, value: TopicValue, only?: Subscriber): void {
    const info: TopicInfo = { topic, from: value.from, count: value.count };
    for (const fn of only ? [only] : [...(subscribers.get(topic) ?? [])]) {
      try {
        // Each subscriber gets its own copy: one that changes it cannot change what others see.
        fn(structuredClone(value.data), info);
      } catch (err) {
        console.error(`livedeck: a subscriber of "${topic}" threw`, err);
      }
    }
  }

  function settle(id: string, error: Error | null): void {
    const entry = waiting.get(id);
    if (!entry) return;
    waiting.delete(id);
    clearTimeout(entry.timer);
    if (error) entry.reject(error);
    else entry.resolve();
  }

  const api: LiveDeckApi = {
    get role() {
      return role();
    },
    publish(topic: string, data: TopicData): Promise<void> {
      let json: string;
      try {
        json = JSON.stringify(data);
      } catch (err) {
        return Promise.reject(new Error(`LiveDeck.publish: the data is not JSON (${err instanceof Error ? err.message : String(err)})`));
      }
      if (json === undefined) return Promise.reject(new Error('LiveDeck.publish: the data is not JSON'));
      const id = randomId();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => settle(id, new Error('LiveDeck.publish: no answer from the server')), ANSWER_WITHIN_MS);
        waiting.set(id, { resolve, reject, timer });
        const message = { type: 'publish', topic, data: JSON.parse(json) as TopicData, id } as const;
        if (!send?.(message)) settle(id, new Error('LiveDeck.publish: not connected to the livedeck server right now'));
      });
    },
    subscribe(topic: string, fn: Subscriber): () => void {
      let set = subscribers.get(topic);
      if (!set) {
        set = new Set();
        subscribers.set(topic, set);
      }
      set.add(fn);
      const value = last.get(topic);
      if (value) queueMicrotask(() => deliver(topic, value, fn));
      return () => void subscribers.get(topic)?.delete(fn);
    },
    setText(target: string | Element, value: unknown): void {
      const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
      const elements = typeof target === 'string' ? [...document.querySelectorAll(target)] : [target];
      for (const element of elements) element.textContent = text;
    },
  };

  return {
    api,
    connect(next) {
      send = next;
    },
    receive(message) {
      switch (message.type) {
        case 'topic': {
          const value: TopicValue = { data: message.data, from: message.from, count: message.count };
          last.set(message.topic, value);
          deliver(message.topic, value);
          break;
        }
        case 'topics':
          for (const [topic, value] of Object.entries(message.topics)) {
            const known = last.get(topic);
            // A snapshot after a reconnect: only what changed meanwhile is news to subscribers.
            if (known && known.count === value.count && known.from === value.from) continue;
            last.set(topic, value);
            deliver(topic, value);
          }
          break;
        case 'published':
          settle(message.id, null);
          break;
        case 'error':
          if (message.ref !== 'publish') break;
          // The relay's own rate limit names no id: it answers the oldest publish still waiting.
          settle(message.key ?? waiting.keys().next().value ?? '', new Error(message.message));
          break;
        default:
          break;
      }
    },
  };
}
