import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Parser } from '@asyncapi/parser';
import * as v from 'valibot';
import { asyncApiDocument, asyncApiText, withExamples } from './asyncapi.ts';
import { clientSchemas, serverSchemas } from './contract.ts';
import { clientExamples, serverExamples } from './examples.ts';

const committed = fileURLToPath(new URL('../docs/asyncapi.json', import.meta.url));
const prose = fileURLToPath(new URL('../docs/protocol.md', import.meta.url));

describe('docs/asyncapi.json', () => {
  it('is exactly what `npm run protocol:doc` makes from the schemas now (it cannot go stale)', () => {
    assert.equal(readFileSync(committed, 'utf8'), asyncApiText(), 'run `npm run protocol:doc` and commit docs/asyncapi.json');
  });

  it('is a valid AsyncAPI 3.0 document by @asyncapi/parser, without errors or warnings', async () => {
    const { document, diagnostics } = await new Parser().parse(readFileSync(committed, 'utf8'));
    const problems = diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.path.join('.')}: ${d.message}`);
    assert.deepEqual(problems, []);
    assert.ok(document, 'the parser returns a document');
    assert.equal(document.version(), '3.0.0');
  });

  it('has a message and an operation for every message type in both directions', () => {
    const doc = asyncApiDocument() as { components: { messages: Record<string, { name: string }> }; operations: Record<string, { action: string }> };
    const names = (side: string) => Object.keys(doc.components.messages).filter((k) => k.startsWith(`${side}.`)).map((k) => k.slice(side.length + 1)).sort();
    assert.deepEqual(names('client'), Object.keys(clientSchemas).sort());
    assert.deepEqual(names('server'), Object.keys(serverSchemas).sort());
    assert.equal(doc.operations['receive.hello']?.action, 'receive');
    assert.equal(doc.operations['send.welcome']?.action, 'send');
  });
});

describe('the examples of every message (protocol/examples.ts)', () => {
  it('cover every message type in both directions', () => {
    assert.deepEqual(Object.keys(clientSchemas).filter((t) => !(clientExamples as Record<string, unknown[] | undefined>)[t]?.length), []);
    assert.deepEqual(Object.keys(serverSchemas).filter((t) => !(serverExamples as Record<string, unknown[] | undefined>)[t]?.length), []);
  });

  it('are what the schemas accept: the server would take each client example and may send each server example', () => {
    for (const [table, examples] of [
      [clientSchemas, clientExamples],
      [serverSchemas, serverExamples],
    ] as const) {
      for (const [type, list] of Object.entries(examples as Record<string, Array<{ title: string; message: unknown }>>)) {
        const schema = (table as Record<string, v.GenericSchema>)[type]!;
        for (const { title, message } of list) {
          const result = v.safeParse(schema, message);
          assert.ok(result.success, `${type} (${title}): ${result.success ? '' : result.issues.map((i) => `${v.getDotPath(i)}: ${i.message}`).join('; ')}`);
        }
      }
    }
  });

  it('are in docs/protocol.md as generated (run `npm run protocol:doc` after changing them)', () => {
    const markdown = readFileSync(prose, 'utf8');
    assert.equal(markdown, withExamples(markdown));
  });
});
