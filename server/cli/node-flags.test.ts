import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { COMMAND_FILE, commandNodeFlags } from './node-flags.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  scripts: Record<string, string>;
};

describe('commandNodeFlags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'livedeck-flags-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the node flags from the command file', () => {
    assert.ok(commandNodeFlags().length > 0, 'bin/livedeck.mjs carries node flags');
    for (const flag of commandNodeFlags()) assert.match(flag, /^--[\w-]+(=\S+)?$/);
  });

  it('gives npm start the same flags as the livedeck command', () => {
    assert.equal(pkg.scripts.start, ['node', ...commandNodeFlags(), 'bin/livedeck.mjs'].join(' '));
  });

  it('refuses a command file whose first line is not an env -S node line', () => {
    const file = join(dir, 'plain.mjs');
    writeFileSync(file, '#!/usr/bin/env node\n');
    assert.throws(() => commandNodeFlags(file), /does not start with/);
  });

  it('runs as an executable through its first line', { skip: process.platform === 'win32' }, () => {
    // Proves the shebang: env -S splits the flags, and node accepts every one of them.
    const out = execFileSync(COMMAND_FILE, ['--version'], { encoding: 'utf8' });
    assert.equal(out.trim(), pkg.version);
  });
});
