/**
 * What ClusterLog writes into Redis and reads back: the event JSON in the stream and on the
 * channel, and the channel's payload `epoch:seq:at:eventJSON`, then `\n` and the gate JSON when the
 * write had a gate (JSON.stringify never writes a raw newline), or `epoch:reset:S` after a
 * restore). Parsed here, at the edge; the rest of the cluster code sees typed values.
 */
import type { NewEvent, StoredEvent } from '../store/types.ts';

export function eventJson(event: NewEvent): string {
  return JSON.stringify({ kind: event.kind, data: event.data ?? null, participant: event.participant, key: event.key });
}

export function parseEvent(json: string, seq: number, at: number): StoredEvent {
  const raw = JSON.parse(json) as { kind?: unknown; data?: unknown; participant?: unknown; key?: unknown };
  if (typeof raw.kind !== 'string') throw new Error(`event ${seq} has no kind`);
  return {
    seq,
    at,
    kind: raw.kind,
    data: raw.data ?? null,
    participant: typeof raw.participant === 'string' ? raw.participant : null,
    key: typeof raw.key === 'string' ? raw.key : null,
  };
}

export type ChannelMessage =
  | { type: 'event'; epoch: string; event: StoredEvent; gate: string | null }
  | { type: 'reset'; epoch: string; seq: number };

/** A channel payload, or null when it is not one of ours. */
export function parseChannelMessage(payload: string): ChannelMessage | null {
  const first = payload.indexOf(':');
  const second = payload.indexOf(':', first + 1);
  if (first < 0 || second < 0) return null;
  const epoch = payload.slice(0, first);
  const what = payload.slice(first + 1, second);
  if (what === 'reset') {
    const seq = Number(payload.slice(second + 1));
    return Number.isSafeInteger(seq) ? { type: 'reset', epoch, seq } : null;
  }
  const third = payload.indexOf(':', second + 1);
  const seq = Number(what);
  const at = Number(payload.slice(second + 1, third));
  if (third < 0 || !Number.isSafeInteger(seq) || seq < 1 || !Number.isFinite(at)) return null;
  const rest = payload.slice(third + 1);
  const newline = rest.indexOf('\n');
  const json = newline < 0 ? rest : rest.slice(0, newline);
  return { type: 'event', epoch, event: parseEvent(json, seq, at), gate: newline < 0 ? null : rest.slice(newline + 1) };
}

/** One stream entry as XRANGE returns it: `[id, [field, value, …]]`. */
export type StreamEntry = [string, string[]];

export interface LoggedEvent {
  event: StoredEvent;
  /** The CommitGate JSON it was committed under, or null. */
  gate: string | null;
}

export function parseStreamEntry([id, fields]: StreamEntry): LoggedEvent {
  const seq = Number(id.slice(0, id.indexOf('-')));
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i]!, fields[i + 1]!);
  const json = values.get('e');
  if (!Number.isSafeInteger(seq) || json === undefined) throw new Error(`stream entry ${id} is not an event`);
  return { event: parseEvent(json, seq, Number(values.get('at') ?? 0)), gate: values.get('g') ?? null };
}
