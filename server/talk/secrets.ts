import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** 32 random bytes (256 bits), URL-safe: the presenter's capability. */
export function mintSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Join codes avoid look-alike characters (0/O, 1/I/L) because people type them off a projector. */
const JOIN_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function mintJoinCode(length = 6): string {
  let code = '';
  for (let i = 0; i < length; i++) code += JOIN_ALPHABET[randomInt(JOIN_ALPHABET.length)];
  return code;
}

/** Join codes are typed by people: accept lower case, spaces and dashes. */
export function normalizeJoinCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

/** What we keep of a secret: its SHA-256, so a leaked state file or heap dump does not leak the link. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant-time check: both sides are hashed to equal length first, so length leaks nothing either. */
export function secretMatches(candidate: string, expectedHash: Buffer): boolean {
  return timingSafeEqual(hashSecret(candidate), expectedHash);
}
