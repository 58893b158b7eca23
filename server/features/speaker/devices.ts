import { randomBytes } from 'node:crypto';
import type { RemoteDevice } from '../../../protocol/speaker.ts';
import { hashSecret, mintSecret, secretMatches } from '../../talk/secrets.ts';

/** What the talk's log keeps of a paired remote: never its credential, only the hash of its secret. */
export interface PairedData {
  device: string;
  name: string;
  /** SHA-256 of the device secret, hex. */
  hash: string;
  /** SHA-256 of the pairing token it spent (absent in logs written before tokens were logged). */
  token?: string;
}

export interface RevokedData {
  device: string;
}

/** A credential is `<device id>.<secret>`: the id finds the record, the secret is checked in constant time. */
export function mintCredential(): { device: string; secret: string; credential: string } {
  const device = randomBytes(9).toString('base64url');
  const secret = mintSecret();
  return { device, secret, credential: `${device}.${secret}` };
}

export function credentialHash(secret: string): string {
  return hashSecret(secret).toString('hex');
}

/** The talk's paired remotes, rebuilt from `remote.paired` / `remote.revoked` events. */
export class RemoteDevices {
  private readonly devices = new Map<string, RemoteDevice & { hash: Buffer }>();

  paired(data: PairedData, at: number): void {
    this.devices.set(data.device, { id: data.device, name: data.name, pairedAt: at, hash: Buffer.from(data.hash, 'hex') });
  }

  revoked(data: RevokedData): void {
    this.devices.delete(data.device);
  }

  has(device: string): boolean {
    return this.devices.has(device);
  }

  get size(): number {
    return this.devices.size;
  }

  /** The device a credential belongs to, or null (unknown device, wrong secret, revoked). */
  match(credential: string): string | null {
    const dot = credential.indexOf('.');
    if (dot <= 0) return null;
    const record = this.devices.get(credential.slice(0, dot));
    return record && secretMatches(credential.slice(dot + 1), record.hash) ? record.id : null;
  }

  list(): RemoteDevice[] {
    return [...this.devices.values()].map(({ id, name, pairedAt }) => ({ id, name, pairedAt }));
  }
}
