/**
 * Live presenting in Chromium: a stroke drawn on the console appears on the screen and on a
 * following phone at the same slide spot; the laser pointer shows there; the screen's <audio>
 * and <video> play, pause and seek with the console's; phones follow muted with a tap for sound; the chat
 * wall shows a phone's message and drops it when the moderator deletes it.
 * Screenshots go to /tmp/live-shots/ for people to look at.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../server/start.ts';
import { launchBrowser, laptopContext, phoneContext, watchErrors } from './support/browser.ts';
import { TestClient } from './support/client.ts';
import { waitForPosition } from './support/deck-dom.ts';
import { startTestServer } from './support/server.ts';

const SHOTS = '/tmp/live-shots';

/** A mono 16-bit PCM WAV of a quiet tone: written by hand, so the test needs no ffmpeg. */
function toneWav(seconds: number, rate = 8000): Buffer {
  const samples = seconds * rate;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(2000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return wav;
}

const DECK = `---
title: Live test
---

# Draw on me

---

# Listen

<audio controls src="tone.wav"></audio>

---

# Watch

<video controls src="clip.webm" width="320" height="180"></video>

---

# The end
`;

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: last saw ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

/** Painted pixels of a page's ink canvas near a slide point (fractions of the slide), and in all. */
function inkAt(page: Page, fx: number, fy: number): Promise<{ near: number; total: number }> {
  return page.evaluate(
    ({ fx, fy }) => {
      const canvas = document.querySelector<HTMLCanvasElement>('.ld-current .ld-ink-canvas') ?? document.querySelector<HTMLCanvasElement>('.ld-ink-canvas')!;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let total = 0;
      for (let i = 3; i < data.length; i += 4 * 7) if (data[i]! > 0) total++;
      const cx = Math.round(fx * canvas.width);
      const cy = Math.round(fy * canvas.height);
      let near = 0;
      for (let y = cy - 6; y <= cy + 6; y++) for (let x = cx - 6; x <= cx + 6; x++) if (data[(y * canvas.width + x) * 4 + 3]! > 0) near++;
      return { near, total };
    },
    { fx, fy },
  );
}

/**
 * A short VP8 WebM of changing colours and a frame counter, recorded from a canvas by Chromium's
 * own MediaRecorder: a real video file made in the test, with no encoder installed. It has no
 * cue index, so seeking in it relies on the server's Range answers, as a speaker's file might.
 */
async function recordClip(browser: Browser, seconds: number): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    await page.setContent('<canvas width="320" height="180"></canvas>');
    const base64 = await page.evaluate(async (ms) => {
      const canvas = document.querySelector('canvas')!;
      const g = canvas.getContext('2d')!;
      const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm;codecs=vp8' });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => chunks.push(e.data);
      let frame = 0;
      const draw = setInterval(() => {
        g.fillStyle = `hsl(${(frame * 7) % 360} 80% 45%)`;
        g.fillRect(0, 0, 320, 180);
        g.fillStyle = '#fff';
        g.font = '48px sans-serif';
        g.fillText(String(frame++), 130, 110);
      }, 40);
      recorder.start();
      await new Promise((r) => setTimeout(r, ms));
      const stopped = new Promise((r) => (recorder.onstop = r));
      recorder.stop();
      await stopped;
      clearInterval(draw);
      const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
      let text = '';
      for (const b of bytes) text += String.fromCharCode(b);
      return btoa(text);
    }, seconds * 1000);
    return Buffer.from(base64, 'base64');
  } finally {
    await page.close();
  }
}

interface MediaView {
  paused: boolean;
  muted: boolean;
  time: number;
}
function mediaOf(page: Page, tag: 'audio' | 'video', scope = ''): Promise<MediaView | null> {
  return page.evaluate(
    ({ tag, scope }) => {
      const media = document.querySelector<HTMLMediaElement>(`${scope} .reveal ${tag}`);
      return media ? { paused: media.paused, muted: media.muted, time: media.currentTime } : null;
    },
    { tag, scope },
  );
}
const audioOf = (page: Page, scope = '') => mediaOf(page, 'audio', scope);
const videoOf = (page: Page, scope = '') => mediaOf(page, 'video', scope);

describe('in Chromium: pointer, drawing, media and the chat wall', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let presenter: Page;
  let screen: Page;
  let phone: Page;
  let moderator: TestClient;
  const errors: string[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'livedeck-live-'));
    writeFileSync(join(dir, 'talk.md'), DECK);
    writeFileSync(join(dir, 'tone.wav'), toneWav(12));
    // Headless Chromium has no user to tap: the screen's audible playback needs the policy off.
    browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
    writeFileSync(join(dir, 'clip.webm'), await recordClip(browser, 4));
    server = await startTestServer({ deckPath: join(dir, 'talk.md') });
    presenter = await (await laptopContext(browser)).newPage();
    screen = await (await laptopContext(browser)).newPage();
    phone = await (await phoneContext(browser)).newPage();
    for (const p of [presenter, screen, phone]) errors.push(...watchErrors(p));
    await presenter.goto(server.urls.presenter);
    await screen.goto(server.urls.screen);
    await phone.goto(server.urls.audience);
    for (const p of [presenter, phone]) await p.locator('.ld-status[data-status="connected"]').first().waitFor();
    await screen.locator('body[data-status="connected"]').waitFor();
    moderator = await TestClient.join(server.port, server.code, 'moderator', server.moderatorKey);
  });

  after(async () => {
    moderator?.close();
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('mirrors a stroke drawn on the console to the screen and a phone, at the same slide spot, and shows the laser there', async () => {
    await presenter.getByRole('button', { name: 'Pen', exact: true }).click();
    const box = (await presenter.locator('.ld-current .ld-ink').boundingBox())!;
    const at = (fx: number, fy: number) => [box.x + fx * box.width, box.y + fy * box.height] as const;
    await presenter.mouse.move(...at(0.2, 0.3));
    await presenter.mouse.down();
    await presenter.mouse.move(...at(0.7, 0.6), { steps: 25 });
    await presenter.mouse.up();
    // The middle of the line, (0.45, 0.45) of the slide, is painted everywhere; a spot off it is not.
    for (const page of [presenter, screen, phone]) {
      await waitFor(() => inkAt(page, 0.45, 0.45), (ink) => ink.near > 10, 'ink at the middle of the stroke');
      assert.equal((await inkAt(page, 0.45, 0.8)).near, 0, 'nothing painted off the stroke');
    }

    await presenter.getByRole('button', { name: 'Pen', exact: true }).click();
    await presenter.mouse.move(...at(0.5, 0.5));
    await presenter.keyboard.down('l');
    await presenter.mouse.move(...at(0.8, 0.25), { steps: 5 });
    for (const page of [screen, phone]) {
      const spot = await waitFor(
        () => page.evaluate(() => {
          const dot = document.querySelector<HTMLElement>('.ld-pointer')!;
          return { hidden: dot.hidden, left: parseFloat(dot.style.left), top: parseFloat(dot.style.top) };
        }),
        (p) => !p.hidden && p.left > 0.75 * 960 && p.top < 0.3 * 700,
        'the pointer where the console points',
      );
      assert.ok(Math.abs(spot.left - 0.8 * 960) < 12 && Math.abs(spot.top - 0.25 * 700) < 12, `pointer at ${spot.left},${spot.top}`);
    }
    await screen.screenshot({ path: `${SHOTS}/screen-drawing-pointer.png` });
    await phone.screenshot({ path: `${SHOTS}/phone-drawing-pointer.png` });
    await presenter.screenshot({ path: `${SHOTS}/console-tools.png` });
    await presenter.keyboard.up('l');
    await screen.locator('.ld-pointer').waitFor({ state: 'hidden' });
  });

  it('plays, pauses and seeks the screen\'s audio when the console does; a phone follows muted with a tap for sound, and sees drawings when it browses back', async () => {
    await presenter.keyboard.press('ArrowRight');
    await waitForPosition(screen, { h: 1, v: 0, fragments: 0 }, '.reveal', 20_000);
    await waitForPosition(phone, { h: 1, v: 0, fragments: 0 }, '.reveal', 20_000);
    assert.equal((await inkAt(screen, 0.45, 0.45)).total, 0, 'the drawing stays with its slide');
    // A phone browsing back sees the drawing on its slide, then returns to live.
    await phone.keyboard.press('ArrowLeft');
    await waitForPosition(phone, { h: 0, v: 0, fragments: 0 }, '.reveal', 20_000);
    await waitFor(() => inkAt(phone, 0.45, 0.45), (ink) => ink.near > 10, 'the drawing on the slide the phone browsed back to');
    await phone.locator('.ld-back').click();
    await waitForPosition(phone, { h: 1, v: 0, fragments: 0 }, '.reveal', 20_000);
    const consoleAudio = '.ld-current';
    await presenter.evaluate(() => document.querySelector<HTMLAudioElement>('.ld-current .reveal audio')!.play());
    await waitFor(() => audioOf(screen), (a) => a !== null && !a.paused && a.time > 0.2 && !a.muted, 'the screen plays with sound');
    const onPhone = await waitFor(() => audioOf(phone), (a) => a !== null && !a.paused && a.time > 0.2, 'the phone plays');
    assert.equal(onPhone!.muted, true, 'phones start muted');
    await phone.locator('.ld-unmute').waitFor();
    await phone.screenshot({ path: `${SHOTS}/phone-unmute.png` });

    await presenter.evaluate(() => document.querySelector<HTMLAudioElement>('.ld-current .reveal audio')!.pause());
    const paused = await waitFor(() => audioOf(screen), (a) => a !== null && a.paused, 'the screen pauses');
    const consoleTime = (await audioOf(presenter, consoleAudio))!.time;
    assert.ok(Math.abs(paused!.time - consoleTime) < 0.5, `paused at ${paused!.time} s, the console at ${consoleTime} s`);

    await presenter.evaluate(() => void (document.querySelector<HTMLAudioElement>('.ld-current .reveal audio')!.currentTime = 7));
    await waitFor(() => audioOf(screen), (a) => a !== null && a.paused && Math.abs(a.time - 7) < 0.35, 'the screen seeks to 7 s');
    await presenter.evaluate(() => document.querySelector<HTMLAudioElement>('.ld-current .reveal audio')!.play());
    await waitFor(() => audioOf(screen), (a) => a !== null && !a.paused && a.time >= 7, 'the screen plays on from 7 s');

    await phone.locator('.ld-unmute').click();
    await waitFor(() => audioOf(phone), (a) => a !== null && !a.muted && !a.paused, 'the tap brings sound');
    await presenter.evaluate(() => document.querySelector<HTMLAudioElement>('.ld-current .reveal audio')!.pause());
    await waitFor(() => audioOf(phone), (a) => a !== null && a.paused, 'the phone pauses too');
  });

  it('plays, pauses and seeks the screen\'s video with the console\'s, and a phone follows it, keeping the sound its person tapped for', async () => {
    await presenter.keyboard.press('ArrowRight');
    await waitForPosition(screen, { h: 2, v: 0, fragments: 0 }, '.reveal', 20_000);
    await waitForPosition(phone, { h: 2, v: 0, fragments: 0 }, '.reveal', 20_000);
    const consoleVideo = '.ld-current';
    await presenter.evaluate(() => document.querySelector<HTMLVideoElement>('.ld-current .reveal video')!.play());
    await waitFor(() => videoOf(screen), (v) => v !== null && !v.paused && v.time > 0.2, 'the screen plays the video');
    const onPhone = await waitFor(() => videoOf(phone), (v) => v !== null && !v.paused && v.time > 0.2, 'the phone plays the video');
    assert.equal(onPhone!.muted, false, 'the phone tapped for sound on the audio slide: it stays on');
    const frame = await screen.evaluate(() => document.querySelector<HTMLVideoElement>('.reveal video')!.videoWidth);
    assert.equal(frame, 320, 'the screen decodes real frames');

    await presenter.evaluate(() => document.querySelector<HTMLVideoElement>('.ld-current .reveal video')!.pause());
    const paused = await waitFor(() => videoOf(screen), (v) => v !== null && v.paused, 'the screen pauses the video');
    const consoleTime = (await videoOf(presenter, consoleVideo))!.time;
    assert.ok(Math.abs(paused!.time - consoleTime) < 0.5, `paused at ${paused!.time} s, the console at ${consoleTime} s`);

    await presenter.evaluate(() => void (document.querySelector<HTMLVideoElement>('.ld-current .reveal video')!.currentTime = 2.5));
    await waitFor(() => videoOf(screen), (v) => v !== null && v.paused && Math.abs(v.time - 2.5) < 0.35, 'the screen seeks the video to 2.5 s');
    await waitFor(() => videoOf(phone), (v) => v !== null && v.paused && Math.abs(v.time - 2.5) < 0.35, 'the phone seeks the video to 2.5 s');
  });

  it('shows a phone\'s chat message on the screen\'s wall, and takes it down when the moderator deletes it', async () => {
    await presenter.locator('.ld-live-tools select').selectOption('talk');
    await screen.locator('.ld-wall').waitFor();
    if (!(await phone.locator('.ld-ix-sheet').isVisible())) await phone.locator('.ld-ix-launch').click();
    await phone.locator('.ld-ix-tab', { hasText: 'Chat' }).click();
    const text = 'Hello from row 3 <b>not bold</b>';
    await phone.locator('.ld-ix-chat-text').fill(text);
    await phone.getByRole('button', { name: 'Send', exact: true }).click();
    const line = screen.locator('.ld-wall-line', { hasText: text });
    await line.waitFor();
    assert.equal(await screen.locator('.ld-wall b').count(), 0, 'chat is text, never markup');
    await screen.screenshot({ path: `${SHOTS}/screen-chat-wall.png` });
    const sent = await waitFor(
      async () => moderator.messages.find((m) => m.type === 'chat_line' && m.line.text === text),
      (m) => m !== undefined,
      'the moderator sees the line',
    );
    moderator.send({ type: 'chat_delete', id: sent!.type === 'chat_line' ? sent!.line.id : '' });
    await line.waitFor({ state: 'detached' });
    await presenter.locator('.ld-live-tools select').selectOption('off');
    await screen.locator('.ld-wall').waitFor({ state: 'hidden' });
    assert.deepEqual(errors, []);
  });
});
