import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Parser } from '@asyncapi/parser';
import { asyncApiDocument, asyncApiText } from './asyncapi.ts';
import { clientSchemas, serverSchemas } from './contract.ts';

const committed = fileURLToPath(new URL('../docs/asyncapi.json', import.meta.url));

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
