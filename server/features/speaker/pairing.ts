import { hashSecret, mintSecret } from '../../talk/secrets.ts';

/** What the talk's log keeps of a pairing token: its SHA-256 and how long it works, never the token. */
export interface TokenData {
  /** SHA-256 of the token, hex. */
  hash: string;
  ttlMs: number;
}

export function mintToken(ttlMs: number): { token: string; data: TokenData } {
  const token = mintSecret();
  return { token, data: { hash: tokenHash(token), ttlMs } };
}

export function tokenHash(token: string): string {
  return hashSecret(token).toString('hex');
}

/**
 * One-time pairing tokens, rebuilt from `remote.token` events, so a token minted on one node is
 * redeemable on any node of a cluster. Only their SHA-256 is kept, keyed by it, so a lookup
 * compares nothing secret. A token is spent when the `remote.paired` event naming it is applied.
 */
export class PairingTokens {
  private readonly live = new Map<string, number>();

  /** Applies a `remote.token` event; `at` is the event's time, so every node agrees on the expiry. */
  issued(data: TokenData, at: number): void {
    this.sweep(at);
    this.live.set(data.hash, at + data.ttlMs);
  }

  spent(hash: string): void {
    this.live.delete(hash);
  }

  /** True for a token issued less than its ttl before `now` and not yet spent. */
  usable(hash: string, now: number): boolean {
    const expires = this.live.get(hash);
    return expires !== undefined && now < expires;
  }

  private sweep(now: number): void {
    for (const [hash, expires] of this.live) if (expires <= now) this.live.delete(hash);
  }
}
