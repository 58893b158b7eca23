/**
 * The AsyncAPI 3.0 document of the protocol, made from the contract's schemas
 * (protocol/contract.ts): `npm run protocol:doc` writes it to docs/asyncapi.json, and
 * protocol/asyncapi.test.ts checks that the committed file is exactly what this makes now.
 * Operations are the server's view, as AsyncAPI 3 has it: it `receive`s client messages and
 * `send`s server messages, all on the one channel `/ws`.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { FEATURES } from './contract.ts';
import { clientExamples, serverExamples } from './examples.ts';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from './messages.ts';

/**
 * Validations JSON Schema has no words for. `trim`: the server trims user text before its
 * length checks (minLength then means "not blank"). `finite`: JSON has no infinities anyway.
 */
const UNSAID_ACTIONS = ['trim', 'finite'];

type Json = Record<string, unknown>;

type Example = { title: string; message: unknown };

function examplesOf(side: 'client' | 'server', type: string): Example[] {
  const table = (side === 'client' ? clientExamples : serverExamples) as Record<string, Example[] | undefined>;
  return table[type] ?? [];
}

const messageKey = (side: 'client' | 'server', type: string) => `${side}.${type}`;
const operationKey = (side: 'client' | 'server', type: string) => `${side === 'client' ? 'receive' : 'send'}.${type}`;

function payload(schema: v.GenericSchema, side: 'client' | 'server'): Json {
  const json = toJsonSchema(schema, {
    errorMode: 'throw',
    ignoreActions: UNSAID_ACTIONS,
    typeMode: side === 'client' ? 'input' : 'output',
    // A custom check (a topic's JSON value, bounded in depth by hand) has no JSON Schema form:
    // published as "any JSON value" with the check's own words.
    overrideSchema: ({ valibotSchema }) =>
      valibotSchema.type === 'custom' ? { description: String((valibotSchema as { message?: unknown }).message ?? 'checked by the server') } : undefined,
    // A `check` (points in x, y pairs) has no JSON Schema keyword either: its words join the description.
    overrideAction: ({ valibotAction, jsonSchema }) =>
      valibotAction.type === 'check'
        ? { ...jsonSchema, description: [jsonSchema.description, String((valibotAction as { message?: unknown }).message ?? '')].filter(Boolean).join(' ') }
        : undefined,
  }) as Json;
  // The AsyncAPI schema format is a superset of draft-07 without its own $schema line.
  delete json.$schema;
  return json;
}

export function asyncApiDocument(): Json {
  const messages: Json = {};
  const channelMessages: Json = {};
  const operations: Json = {};
  for (const { feature, client, server } of FEATURES) {
    for (const [side, table] of [
      ['client', client],
      ['server', server],
    ] as const) {
      for (const [type, schema] of Object.entries(table as Record<string, v.GenericSchema>)) {
        const key = messageKey(side, type);
        messages[key] = {
          name: type,
          title: type,
          summary: `${side === 'client' ? 'client → server' : 'server → client'} (${feature})`,
          tags: [{ name: feature }],
          payload: payload(schema, side),
          examples: examplesOf(side, type).map((e) => ({ name: e.title, payload: e.message })),
        };
        channelMessages[key] = { $ref: `#/components/messages/${key}` };
        operations[operationKey(side, type)] = {
          action: side === 'client' ? 'receive' : 'send',
          channel: { $ref: '#/channels/talk' },
          messages: [{ $ref: `#/channels/talk/messages/${key}` }],
        };
      }
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'livedeck',
      version: String(PROTOCOL_VERSION),
      description:
        'The livedeck WebSocket protocol: one JSON object with a string `type` per text frame, ' +
        `at most ${MAX_FRAME_BYTES} bytes. Generated from protocol/contract.ts by \`npm run protocol:doc\`; ` +
        'docs/protocol.md is the prose (roles, sequence numbers, resume, limits, errors). Operations are the server\'s view: ' +
        'it receives client messages and sends server messages.',
    },
    servers: {
      livedeck: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: '/ws',
        description: 'The livedeck server, at the address it prints (wss when it runs with TLS).',
      },
    },
    defaultContentType: 'application/json',
    channels: {
      talk: {
        address: '/ws',
        title: 'One talk',
        description: 'One WebSocket per page; `hello` joins a talk, everything after belongs to it.',
        messages: channelMessages,
      },
    },
    operations,
    components: { messages },
  };
}

/** The document as committed: stable key order from the contract, two-space indent, final newline. */
export function asyncApiText(): string {
  return `${JSON.stringify(asyncApiDocument(), null, 2)}\n`;
}

export const EXAMPLES_START = '<!-- examples: written by `npm run protocol:doc` from protocol/examples.ts; do not edit by hand -->';
export const EXAMPLES_END = '<!-- end of examples -->';

/** The examples block of docs/protocol.md: every message, one JSON line per example. */
export function examplesMarkdown(): string {
  const lines: string[] = [EXAMPLES_START, ''];
  for (const side of ['client', 'server'] as const) {
    lines.push(`#### ${side === 'client' ? 'Client → server' : 'Server → client'}`, '');
    for (const { feature, client, server } of FEATURES) {
      for (const type of Object.keys(side === 'client' ? client : server)) {
        for (const example of examplesOf(side, type)) {
          lines.push(`\`${type}\` (${feature}), ${example.title}:`, '', '```json', JSON.stringify(example.message), '```', '');
        }
      }
    }
  }
  lines.push(EXAMPLES_END);
  return lines.join('\n');
}

/** docs/protocol.md with its examples block replaced by the current one. */
export function withExamples(markdown: string): string {
  const start = markdown.indexOf(EXAMPLES_START);
  const end = markdown.indexOf(EXAMPLES_END);
  if (start < 0 || end < start) throw new Error('docs/protocol.md has no examples block (see protocol/asyncapi.ts)');
  return markdown.slice(0, start) + examplesMarkdown() + markdown.slice(end + EXAMPLES_END.length);
}
