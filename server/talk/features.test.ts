import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientSchemas } from '../../protocol/contract.ts';
import { loadDeck } from '../deck/index.ts';
import { talkFeatures } from '../features/index.ts';
import { RELAY_TYPES } from '../relay/handlers.ts';
import { MemoryStore } from '../store/memory.ts';
import type { StoredEvent } from '../store/types.ts';
import type { Feature } from './feature.ts';
import { FeatureSet } from './features.ts';
import { TalkHost } from './host.ts';
import { hashSecret } from './secrets.ts';
import { Talk } from './talk.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('features run by the relay from one list', () => {
  it('every client message type is handled by exactly one feature or the relay itself', async () => {
    const deck = await loadDeck(join(ROOT, 'slides/'));
    const store = new MemoryStore();
    const talk = new Talk({ code: 'ABC234', presenterKeyHash: hashSecret('k'), info: { title: deck.title, stacks: deck.stacks, fragments: deck.fragments }, notes: {}, store });
    const host = new TalkHost(talk);
    const set = new FeatureSet(talkFeatures(host, deck));
    assert.deepEqual(set.unhandled(Object.keys(clientSchemas), RELAY_TYPES), []);
    host.dispose();
  });

  it('refuses two features handling one message type or owning one event kind', () => {
    const a: Feature = { name: 'a', kinds: ['x.done'], handlers: { react: () => undefined } };
    assert.throws(() => new FeatureSet([a, { name: 'b', handlers: { react: () => undefined } }]), /Two features handle "react"/);
    assert.throws(() => new FeatureSet([a, { name: 'b', kinds: ['x.done'] }]), /owned by both a and b/);
  });

  it('applies an event to its owner first, then to the features that watch its kind, in list order', () => {
    const seen: string[] = [];
    const feature = (name: string, extra: Partial<Feature>): Feature => ({ name, apply: (e, live) => void seen.push(`${name}:${e.kind}:${live}`), ...extra });
    const set = new FeatureSet([feature('watcher', { watches: ['deck'] }), feature('deck', { kinds: ['deck'] }), feature('other', { kinds: ['q'] })]);
    const event: StoredEvent = { seq: 1, kind: 'deck', data: null, participant: null, key: null, at: 0 };
    set.apply(event, true);
    set.apply({ ...event, seq: 2, kind: 'unknown' }, false);
    assert.deepEqual(seen, ['deck:deck:true', 'watcher:deck:true']);
  });

  it('no feature, and nothing the features share (talk, room), imports the relay', () => {
    const offenders: string[] = [];
    for (const dir of ['server/features', 'server/talk', 'server/room']) {
      for (const file of tsFiles(join(ROOT, dir))) {
        for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from\s+'([^']+)'/g)) {
          if (spec!.startsWith('.') && join(file, '..', spec!).startsWith(join(ROOT, 'server/relay'))) offenders.push(`${relative(ROOT, file)} imports ${spec}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });
});
