/**
 * The wire format as one machine-checked contract: every message in both directions has a
 * valibot schema, listed here by feature. This list is the single source of truth:
 *  - the server parses client frames with the client schemas (parse.ts);
 *  - the integration tests check every frame the server sends against the server schemas
 *    (test/support/contract-check.ts);
 *  - `npm run protocol:doc` turns them into docs/asyncapi.json.
 * Each schema's output type must equal the message's TypeScript interface (checked below at
 * compile time), so the types, the parser, the tests and the document cannot drift apart.
 *
 * Adding a feature's messages: write `protocol/<feature>-schemas.ts` exporting
 * `<feature>ClientSchemas` and `<feature>ServerSchemas` (objects keyed by message type), add
 * the types to the unions in messages.ts, and add one line to FEATURES.
 */
import * as v from 'valibot';
import { coreClientSchemas, coreServerSchemas } from './core-schemas.ts';
import type { ClientMessage, ServerMessage } from './messages.ts';
import { pollClientSchemas, pollServerSchemas } from './polls-schemas.ts';
import { qaClientSchemas, qaServerSchemas } from './qa-schemas.ts';
import { qaMoreClientSchemas, qaMoreServerSchemas } from './qa-more-schemas.ts';
import { topicsClientSchemas, topicsServerSchemas } from './topics-schemas.ts';
import { speakerClientSchemas, speakerServerSchemas } from './speaker-schemas.ts';
import { liveClientSchemas, liveServerSchemas } from './live-schemas.ts';
import { quizClientSchemas, quizServerSchemas } from './quiz-schemas.ts';

type SchemaTable = Record<string, v.GenericSchema>;

export interface FeatureSchemas<C extends SchemaTable = SchemaTable, S extends SchemaTable = SchemaTable> {
  /** Names the feature in the generated document. */
  feature: string;
  /** client → server messages, keyed by type. */
  client: C;
  /** server → client messages, keyed by type. */
  server: S;
}

const feature = <C extends SchemaTable, S extends SchemaTable>(f: FeatureSchemas<C, S>) => f;

/** Every feature's messages. One line per feature. */
export const FEATURES = [
  feature({ feature: 'core', client: coreClientSchemas, server: coreServerSchemas }),
  feature({ feature: 'polls', client: pollClientSchemas, server: pollServerSchemas }),
  feature({ feature: 'qa', client: qaClientSchemas, server: qaServerSchemas }),
  feature({ feature: 'qa-more', client: qaMoreClientSchemas, server: qaMoreServerSchemas }),
  feature({ feature: 'topics', client: topicsClientSchemas, server: topicsServerSchemas }),
  feature({ feature: 'speaker', client: speakerClientSchemas, server: speakerServerSchemas }),
  feature({ feature: 'live', client: liveClientSchemas, server: liveServerSchemas }),
  feature({ feature: 'quiz', client: quizClientSchemas, server: quizServerSchemas }),
] as const;

type Features = (typeof FEATURES)[number];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type ClientTable = UnionToIntersection<Features['client']>;
type ServerTable = UnionToIntersection<Features['server']>;

function merge<K extends 'client' | 'server'>(side: K): Record<string, v.GenericSchema> {
  const table: Record<string, v.GenericSchema> = {};
  for (const f of FEATURES) {
    for (const [type, schema] of Object.entries(f[side])) {
      // Two features claiming one type would make one of them unreachable: fail at load.
      if (Object.hasOwn(table, type)) throw new Error(`protocol/contract.ts: "${type}" (${side}) is defined twice`);
      table[type] = schema;
    }
  }
  return table;
}

/** Every client → server message schema, keyed by type. */
export const clientSchemas = merge('client') as { [K in keyof ClientTable]: ClientTable[K] };
/** Every server → client message schema, keyed by type. */
export const serverSchemas = merge('server') as { [K in keyof ServerTable]: ServerTable[K] };

/* ---------------- the schemas are the types ---------------- */

/** True when A and B accept the same values (each assignable to the other) and name the same fields, nested ones too. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? SameKeys<A, B> : false) : false;
type SameKeys<A, B> = [A] extends [readonly (infer EA)[]]
  ? [B] extends [readonly (infer EB)[]]
    ? Same<EA, EB>
    : false
  : [A] extends [object]
    ? [B] extends [object]
      ? [keyof A] extends [keyof B]
        ? [keyof B] extends [keyof A]
          ? false extends { [K in keyof A & keyof B]: Same<Exclude<A[K], undefined>, Exclude<B[K], undefined>> }[keyof A & keyof B]
            ? false
            : true
          : false
        : false
      : false
    : true;

type Mismatches<Table, Union extends { type: string }, Side extends 'input' | 'output'> = {
  [K in keyof Table & string]: Table[K] extends v.GenericSchema
    ? Same<Side extends 'input' ? v.InferInput<Table[K]> : v.InferOutput<Table[K]>, Extract<Union, { type: K }>> extends true
      ? never
      : K
    : K;
}[keyof Table & string];

/** Holds only when T is never: a compile error names what is out of step. */
type Assert<T extends never> = T;

/** Each server schema's output is exactly its interface. */
export type ServerSchemasMatchTypes = Assert<Mismatches<ServerTable, ServerMessage, 'output'>>;
/** Each client schema produces exactly its interface (inputs may be looser: text is trimmed). */
export type ClientSchemasMatchTypes = Assert<Mismatches<ClientTable, ClientMessage, 'output'>>;
/** Every server message type has a schema, and every schema a type. */
export type EveryServerMessageHasASchema = Assert<Exclude<ServerMessage['type'], keyof ServerTable> | Exclude<keyof ServerTable, ServerMessage['type']>>;
/** Every client message type has a schema, and every schema a type. */
export type EveryClientMessageHasASchema = Assert<Exclude<ClientMessage['type'], keyof ClientTable> | Exclude<keyof ClientTable, ClientMessage['type']>>;

export type ServerMessageCheck = { ok: true; message: ServerMessage } | { ok: false; problem: string };

/** Checks one decoded server message against its schema; the problem names the type and field. */
export function checkServerMessage(data: unknown): ServerMessageCheck {
  const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(serverSchemas, type)) return { ok: false, problem: `no schema for server message type ${JSON.stringify(type)}` };
  const schema = (serverSchemas as Record<string, v.GenericSchema>)[type]!;
  const result = validate(schema, data);
  if (result.success) return { ok: true, message: data as ServerMessage };
  return { ok: false, problem: `${type}: ${result.problems}` };
}

function validate(schema: v.GenericSchema, data: unknown): { success: true } | { success: false; problems: string } {
  const result = v.safeParse(schema, data);
  if (result.success) return { success: true };
  const problems = result.issues
    .slice(0, 5)
    .map((issue) => `${v.getDotPath(issue) ?? '(message)'}: ${issue.message}`)
    .join('; ');
  return { success: false, problems };
}
