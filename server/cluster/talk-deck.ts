/**
 * The two ends of §2.12 in one place each:
 * - `publishTalk`: the presenter's node (`livedeck talk.md --redis URL`) registers the talk and
 *   stores its deck, in that order, so a refused registration (another talk's code) never
 *   overwrites that talk's deck;
 * - `openTalkDeck`: a `livedeck serve` node gets the deck file it will load: from the bundle, or
 *   from its own `--deck-dir` folder once that folder is checked against the registered deck.
 */
import { join } from 'node:path';
import { DeckBundleError, deckManifest, fetchBundle, readManifest, storeBundle, verifyFolder, type DeckManifest } from './deck-bundle.ts';
import type { RedisClient } from './redis.ts';
import { readTalk, registerTalk, type ClusterTalkRecord, type Registration } from './registry.ts';

export interface PublishTalkOptions {
  code: string;
  presenterKeyHash: string;
  moderatorKeyHash: string;
  deckTitle: string;
  /** The deck file or folder, as given on the command line. */
  deck: string;
  dataDir?: string | null;
  capBytes?: number;
  replace?: boolean;
  /** Default: now. Kept from the first registration when the same talk registers again. */
  created?: number;
}

export interface PublishedTalk {
  registration: Registration;
  record: ClusterTalkRecord;
  manifest: DeckManifest;
  /** False when Redis already held this exact bundle (a restart of the presenter's node). */
  stored: boolean;
}

export async function publishTalk(redis: RedisClient, options: PublishTalkOptions): Promise<PublishedTalk> {
  const { code, deck, dataDir = null, capBytes } = options;
  const { manifest } = await deckManifest(deck, { dataDir, capBytes });
  const record: ClusterTalkRecord = {
    code,
    presenterKeyHash: options.presenterKeyHash,
    moderatorKeyHash: options.moderatorKeyHash,
    deckTitle: options.deckTitle,
    deckHash: manifest.hash,
    bundleBytes: manifest.bytes,
    bundled: manifest.bundled,
    created: options.created ?? Date.now(),
  };
  const registration = await registerTalk(redis, record, { replace: options.replace });
  const held = await readManifest(redis, code);
  const stored = !(held && held.hash === manifest.hash && held.bundled === manifest.bundled);
  if (stored) await storeBundle(redis, code, deck, { dataDir, capBytes, expectHash: manifest.hash });
  return { registration, record: (await readTalk(redis, code)) ?? record, manifest, stored };
}

export interface OpenTalkDeckOptions {
  /** Where bundled decks are written (one folder per deck hash). */
  cacheDir: string;
  /** `--deck-dir`: use this folder, which must hold exactly the registered deck. */
  deckDir?: string;
  dataDir?: string | null;
}

/** The deck file a `livedeck serve` node loads for the talk. DeckBundleError says what to do when it cannot. */
export async function openTalkDeck(redis: RedisClient, record: ClusterTalkRecord, options: OpenTalkDeckOptions): Promise<string> {
  if (options.deckDir === undefined) return fetchBundle(redis, record.code, options.cacheDir, record.deckHash);
  const manifest = await readManifest(redis, record.code);
  if (!manifest) throw new DeckBundleError(`Talk ${record.code} has no deck in Redis; register it again with: livedeck <deck> --redis <url>`);
  if (manifest.hash !== record.deckHash) {
    throw new DeckBundleError(`The deck of talk ${record.code} in Redis is not the one it was registered with; register it again with: livedeck <deck> --redis <url>`);
  }
  const difference = await verifyFolder(options.deckDir, manifest, { dataDir: options.dataDir ?? null });
  if (difference) throw new DeckBundleError(`--deck-dir does not hold the deck of talk ${record.code}: ${difference.message}`);
  return join(options.deckDir, ...manifest.source.split('/'));
}
