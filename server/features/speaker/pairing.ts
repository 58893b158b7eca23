import { hashSecret, mintSecret } from '../../talk/secrets.ts';

/**
 * One-time pairing tokens, held in memory only (a restart voids them: the console just shows a
 * new QR code). Only their SHA-256 is kept, keyed by it, so a lookup compares nothing secret.
 */
export class PairingTokens {
  private readonly live = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  issue(now: number): { token: string; expiresIn: number } {
    this.sweep(now);
    const token = mintSecret();
    this.live.set(hashSecret(token).toString('hex'), now + this.ttlMs);
    return { token, expiresIn: this.ttlMs };
  }

  /** True once for a token issued less than ttlMs ago; it is spent either way. */
  consume(token: string, now: number): boolean {
    const id = hashSecret(token).toString('hex');
    const expires = this.live.get(id);
    this.live.delete(id);
    this.sweep(now);
    return expires !== undefined && now < expires;
  }

  private sweep(now: number): void {
    for (const [id, expires] of this.live) if (expires <= now) this.live.delete(id);
  }
}
