/**
 * Files beside the deck over a real port: only media inside the deck folder (by real path) is
 * served, never the data directory or hidden files; media answers Range and conditional requests.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../server/start.ts';
import { startTestServer } from './support/server.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw GET: the path goes out byte for byte (fetch would normalise `..` and `%2e%2e` away). */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const SECRET = 'SECRET-MARKER-7f3a';
const VIDEO = randomBytes(3 * 1024 * 1024 + 17);
const PICTURE = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');

let tmp: string;
let deckDir: string;
let dataDir: string;
let server: RunningServer;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'livedeck-files-'));
  deckDir = join(tmp, 'talk');
  // A data dir with a plain name inside the deck folder: the hidden-name rule alone would not cover it.
  dataDir = join(deckDir, 'data');
  mkdirSync(join(deckDir, 'img'), { recursive: true });
  mkdirSync(join(deckDir, '.git'));
  mkdirSync(join(deckDir, '.livedeck'));
  mkdirSync(join(tmp, 'elsewhere'));
  writeFileSync(join(deckDir, 'index.md'), `# One\n\nNote: ${SECRET} in the notes\n\n---\n\n# Two\n`);
  writeFileSync(join(deckDir, 'img', 'picture.svg'), PICTURE);
  writeFileSync(join(deckDir, 'video.mp4'), VIDEO);
  writeFileSync(join(deckDir, 'empty.txt'), '');
  writeFileSync(join(deckDir, '.git', 'config'), SECRET);
  writeFileSync(join(deckDir, '.git', 'logo.png'), SECRET);
  writeFileSync(join(deckDir, '.env'), SECRET);
  writeFileSync(join(deckDir, '.livedeck', 'secrets.json'), SECRET);
  writeFileSync(join(deckDir, 'img', '.hidden.png'), SECRET);
  writeFileSync(join(tmp, 'outside.png'), SECRET);
  writeFileSync(join(tmp, 'elsewhere', 'photo.png'), SECRET);
  mkdirSync(join(deckDir, 'folder.png'));
  execFileSync('mkfifo', [join(deckDir, 'img', 'pipe.mp4')]);

  // Links out of the folder, into the data dir, and to the deck source: all refused.
  symlinkSync(join(tmp, 'outside.png'), join(deckDir, 'img', 'out.png'));
  symlinkSync('../../outside.png', join(deckDir, 'img', 'relative-out.png'));
  symlinkSync(join(tmp, 'elsewhere'), join(deckDir, 'linked'));
  symlinkSync(join(dataDir, 'secrets.json'), join(deckDir, 'img', 'data.json'));
  symlinkSync('../index.md', join(deckDir, 'img', 'notes.png'));
  symlinkSync('../.git/config', join(deckDir, 'img', 'config.txt'));
  // Links that stay inside the folder: served.
  symlinkSync('picture.svg', join(deckDir, 'img', 'alias.svg'));
  symlinkSync('img', join(deckDir, 'pictures'));

  server = await startTestServer({ deckPath: deckDir, dataDir });
});

after(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function assertRefused(path: string): Promise<void> {
  const answer = await get(server.port, path);
  // 400 comes from the HTTP layer for a raw backslash, before any route runs; either way nothing is read.
  assert.ok(answer.status === 404 || answer.status === 400, `${path} is refused, got ${answer.status}`);
  assert.ok(!answer.body.includes(SECRET), `${path} leaks nothing`);
}

describe('deck files: what is served', () => {
  it('serves media beside the deck, and through links that stay inside the folder', async () => {
    for (const path of ['/deck/img/picture.svg', '/deck/img/alias.svg', '/deck/pictures/picture.svg', '/deck/img%2Fpicture.svg']) {
      const answer = await get(server.port, path);
      assert.equal(answer.status, 200, path);
      assert.equal(answer.headers['content-type'], 'image/svg+xml', path);
      assert.deepEqual(answer.body, PICTURE, path);
    }
  });

  it('refuses traversal in every spelling: dot segments, encoded, double-encoded, backslashes, absolute paths, NUL', async () => {
    for (const path of [
      '/deck/../outside.png',
      '/deck/img/../../outside.png',
      '/deck/%2e%2e/outside.png',
      '/deck/%2E%2E%2Foutside.png',
      '/deck/img/%2e%2e%2f%2e%2e%2foutside.png',
      '/deck/%252e%252e/outside.png',
      '/deck/..%5coutside.png',
      '/deck/img%5c..%5c..%5coutside.png',
      '/deck/img\\..\\..\\outside.png',
      `/deck/${encodeURIComponent(join(tmp, 'outside.png'))}`,
      `/deck/${join(tmp, 'outside.png')}`,
      `/deck//${join(tmp, 'outside.png')}`,
      '/deck/%2Fetc%2Fpasswd',
      '/deck/img/picture.svg%00.png',
      '/deck/',
      '/deck/%',
    ]) {
      await assertRefused(path);
    }
  });

  it('refuses symlinks that point out of the deck folder, into the data dir, or at the deck source', async () => {
    for (const path of ['/deck/img/out.png', '/deck/img/relative-out.png', '/deck/linked/photo.png', '/deck/img/data.json', '/deck/img/notes.png', '/deck/img/config.txt']) {
      await assertRefused(path);
    }
  });

  it('never serves the data directory, even with a plain name inside the deck folder', async () => {
    // The server wrote its secrets here: the presenter key must not be one GET away.
    await assertRefused('/deck/data/secrets.json');
    await assertRefused('/deck/data/livedeck.sqlite');
  });

  it('refuses hidden files and folders: .git/config, .env, .livedeck/, dot-files in subfolders', async () => {
    for (const path of ['/deck/.git/config', '/deck/.git/logo.png', '/deck/.env', '/deck/.livedeck/secrets.json', '/deck/img/.hidden.png', '/deck/%2egit/logo.png']) {
      await assertRefused(path);
    }
  });

  it('refuses the deck source, folders and named pipes (non-regular files), without hanging on the pipe', async () => {
    for (const path of ['/deck/index.md', '/deck/folder.png', '/deck/img/pipe.mp4', '/deck/img', '/deck/missing.png']) {
      await assertRefused(path);
    }
  });
});

describe('deck files: ranges and conditional requests', () => {
  const size = VIDEO.length;

  it('sends the whole file with its length, validators and Accept-Ranges', async () => {
    const answer = await get(server.port, '/deck/video.mp4');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-type'], 'video/mp4');
    assert.equal(answer.headers['content-length'], String(size));
    assert.equal(answer.headers['accept-ranges'], 'bytes');
    assert.match(String(answer.headers.etag), /^"[0-9a-f]+-[0-9a-f]+"$/);
    assert.ok(answer.headers['last-modified']);
    assert.ok(answer.body.equals(VIDEO));
  });

  it('answers a byte range with 206 and the right Content-Range (what Safari needs to play video)', async () => {
    const cases: Array<[string, number, number]> = [
      ['bytes=0-1023', 0, 1023],
      ['bytes=0-1', 0, 1],
      ['bytes=1000-', 1000, size - 1],
      ['bytes=-500', size - 500, size - 1],
      ['bytes=-99999999', 0, size - 1],
      [`bytes=${size - 10}-99999999`, size - 10, size - 1],
      [`bytes=${size - 1}-${size - 1}`, size - 1, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const answer = await get(server.port, '/deck/video.mp4', { range });
      assert.equal(answer.status, 206, range);
      assert.equal(answer.headers['content-range'], `bytes ${start}-${end}/${size}`, range);
      assert.equal(answer.headers['content-length'], String(end - start + 1), range);
      assert.ok(answer.body.equals(VIDEO.subarray(start, end + 1)), `${range}: the bytes asked for`);
    }
  });

  it('answers a range past the end with 416 and bytes */size', async () => {
    for (const range of [`bytes=${size}-`, `bytes=${size + 100}-${size + 200}`, 'bytes=-0']) {
      const answer = await get(server.port, '/deck/video.mp4', { range });
      assert.equal(answer.status, 416, range);
      assert.equal(answer.headers['content-range'], `bytes */${size}`, range);
      assert.equal(answer.body.length, 0, range);
    }
  });

  it('ignores several ranges and malformed ones, sending the whole file with 200 (as RFC 9110 allows)', async () => {
    for (const range of ['bytes=0-1,5-6', 'bytes=0-1, -5', 'bytes=abc', 'items=0-5', 'bytes=9-3', 'bytes=-', '0-100']) {
      const answer = await get(server.port, '/deck/video.mp4', { range });
      assert.equal(answer.status, 200, range);
      assert.equal(answer.headers['content-range'], undefined, range);
      assert.ok(answer.body.equals(VIDEO), `${range}: whole file`);
    }
  });

  it('answers HEAD with the length and no body, and an empty file with 200', async () => {
    const head = await get(server.port, '/deck/video.mp4', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(size));
    assert.equal(head.body.length, 0);
    const empty = await get(server.port, '/deck/empty.txt', { range: 'bytes=0-10' });
    assert.equal(empty.status, 416);
    const whole = await get(server.port, '/deck/empty.txt');
    assert.equal(whole.status, 200);
    assert.equal(whole.body.length, 0);
  });

  it('answers If-None-Match and If-Modified-Since with 304 when the file is unchanged, 200 otherwise', async () => {
    const first = await get(server.port, '/deck/video.mp4', { range: 'bytes=0-0' });
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers['last-modified']);
    const notModified: Array<Record<string, string>> = [{ 'if-none-match': etag }, { 'if-none-match': `"other", W/${etag}` }, { 'if-none-match': '*' }, { 'if-modified-since': lastModified }, { 'if-modified-since': new Date(Date.now() + 60_000).toUTCString() }];
    for (const headers of notModified) {
      const answer = await get(server.port, '/deck/video.mp4', headers);
      assert.equal(answer.status, 304, JSON.stringify(headers));
      assert.equal(answer.body.length, 0);
      assert.equal(answer.headers.etag, etag);
    }
    const modified: Array<Record<string, string>> = [{ 'if-none-match': '"other"' }, { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' }, { 'if-none-match': '"other"', 'if-modified-since': lastModified }, { 'if-modified-since': 'not a date' }];
    for (const headers of modified) {
      const answer = await get(server.port, '/deck/video.mp4', headers);
      assert.equal(answer.status, 200, JSON.stringify(headers));
      assert.ok(answer.body.equals(VIDEO));
    }
  });

  it('honours If-Range: the range when the validator matches, the whole file when it does not', async () => {
    const { headers } = await get(server.port, '/deck/video.mp4', { range: 'bytes=0-0' });
    const partial = await get(server.port, '/deck/video.mp4', { range: 'bytes=10-19', 'if-range': String(headers.etag) });
    assert.equal(partial.status, 206);
    assert.ok(partial.body.equals(VIDEO.subarray(10, 20)));
    const byDate = await get(server.port, '/deck/video.mp4', { range: 'bytes=10-19', 'if-range': String(headers['last-modified']) });
    assert.equal(byDate.status, 206);
    const stale = await get(server.port, '/deck/video.mp4', { range: 'bytes=10-19', 'if-range': '"stale"' });
    assert.equal(stale.status, 200);
    assert.ok(stale.body.equals(VIDEO));
  });
});
