import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The raw keys of one talk: what the banner prints. The database holds only their hashes. */
export interface TalkSecrets {
  presenterKey: string;
  moderatorKey: string;
}

interface SecretsDocument {
  version: 1;
  talks: Record<string, TalkSecrets>;
}

export const SECRETS_FILE = 'secrets.json';

/**
 * `<data-dir>/secrets.json`, mode 0600: the raw presenter/moderator keys, kept only so a
 * restarted server can print the same presenter link. It is never served, logged, or put in
 * the database. Deleting it rotates the keys at the next start (the talk and its data stay).
 */
export class SecretsFile {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, SECRETS_FILE);
  }

  get(code: string): TalkSecrets | null {
    const entry = this.read().talks[code];
    return entry && typeof entry.presenterKey === 'string' && typeof entry.moderatorKey === 'string' ? entry : null;
  }

  set(code: string, secrets: TalkSecrets): void {
    const doc = this.read();
    doc.talks[code] = { presenterKey: secrets.presenterKey, moderatorKey: secrets.moderatorKey };
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    // Written to a private temp file and renamed, so a crash never leaves half a file
    // and the keys are never readable by others, not even for a moment.
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }

  private read(): SecretsDocument {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, talks: {} };
      throw err;
    }
    try {
      const doc = JSON.parse(text) as Partial<SecretsDocument>;
      if (doc && typeof doc.talks === 'object' && doc.talks !== null) return { version: 1, talks: doc.talks };
    } catch {
      // A damaged file is treated as absent: the keys are rotated and the file rewritten.
    }
    return { version: 1, talks: {} };
  }
}
