import { createHash } from 'node:crypto';
import type { SecretsFile } from '../store/secrets-file.ts';
import type { Store, TalkRecord } from '../store/types.ts';
import { hashSecret, mintJoinCode, mintSecret } from './secrets.ts';

/** Who a talk is: its join code and the raw keys printed in the banner. */
export interface TalkIdentity {
  code: string;
  presenterKey: string;
  moderatorKey: string;
  /** 'new': first start; 'restored': same code and keys as before; 'rotated': same talk, new keys (secrets file lost). */
  origin: 'new' | 'restored' | 'rotated';
}

export interface IdentityOptions {
  store: Store;
  deckSource: string;
  /** Where raw keys survive restarts; null keeps them in memory only. */
  secrets: SecretsFile | null;
  /** Fixed values (tests); minted when absent. */
  code?: string;
  presenterKey?: string;
  moderatorKey?: string;
}

const hex = (secret: string) => hashSecret(secret).toString('hex');

/**
 * The same deck and data dir give the same talk: same join code, same presenter and
 * moderator links. The store keeps only SHA-256 hashes; the raw keys come back from the
 * secrets file. If that file is gone the talk and its data stay but the keys are rotated.
 */
export function openTalkIdentity(options: IdentityOptions): TalkIdentity {
  const { store, deckSource, secrets } = options;
  const existing = options.code === undefined ? store.findTalkByDeck(deckSource) : null;
  if (existing) {
    const kept = secrets?.get(existing.code) ?? null;
    if (kept && hex(kept.presenterKey) === existing.presenterKeyHash && hex(kept.moderatorKey) === existing.moderatorKeyHash) {
      return { code: existing.code, ...kept, origin: 'restored' };
    }
  }
  const code = existing?.code ?? options.code ?? mintJoinCode();
  const fresh = { presenterKey: options.presenterKey ?? mintSecret(), moderatorKey: options.moderatorKey ?? mintSecret() };
  // Secrets first: a crash between the two writes leaves an unused entry, never a talk without keys.
  secrets?.set(code, fresh);
  store.saveTalk({
    code,
    presenterKeyHash: hex(fresh.presenterKey),
    moderatorKeyHash: hex(fresh.moderatorKey),
    deckSource,
    createdAt: Date.now(),
  });
  return { code, ...fresh, origin: existing ? 'rotated' : 'new' };
}

/**
 * A single-node talk's epoch: from its record, so it stays across restarts and changes when the
 * data directory is replaced (a phone's old lastSeq then names other events: full welcome).
 */
export function epochOf(record: TalkRecord | null): string {
  if (!record) return 'e0';
  return createHash('sha256').update(`${record.code}\n${record.createdAt}`).digest('base64url').slice(0, 8);
}
