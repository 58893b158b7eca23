/**
 * Pointer, drawing, media and the chat wall over a real server and real WebSocket clients
 * (protocol/live.ts): who may send them, who hears them, what a late joiner and a restart keep.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import * as v from 'valibot';
import { LIVE_LIMITS, type InkSnapshotMessage, type MediaStateMessage, type StrokeMessage, type WallStateMessage } from '../protocol/live.ts';
import { liveServerSchemas } from '../protocol/live-schemas.ts';
import { PROTOCOL_VERSION, type Role, type ServerMessage } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { silent, TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

let keys = 0;
const key = () => `k${++keys}-${Date.now()}`;

type Snapshots = { ink?: InkSnapshotMessage; media?: MediaStateMessage; wall?: WallStateMessage };
const initial = new WeakMap<TestClient, Snapshots>();

/** Joins and takes the live snapshots that follow the welcome off the queue (kept in `initial`). */
async function join(server: RunningServer, role: Role, participant?: string): Promise<TestClient> {
  const c = await TestClient.connect(server.port);
  const secret = role === 'presenter' ? server.presenterKey : role === 'moderator' ? server.moderatorKey : undefined;
  c.send({ type: 'hello', v: PROTOCOL_VERSION, role, talk: server.code, ...(secret ? { key: secret } : {}), ...(participant ? { participant } : {}) });
  await c.next('welcome');
  await c.next('qa_snapshot');
  const snaps: Snapshots = {};
  if (role !== 'moderator') snaps.ink = await c.next('ink_snapshot');
  if (role === 'audience' || role === 'screen') snaps.media = await c.next('media_state');
  if (role !== 'audience') snaps.wall = await c.next('wall_state');
  initial.set(c, snaps);
  return c;
}

/** Checks a server message against the published schema of its type. */
function valid<T extends keyof typeof liveServerSchemas>(type: T, message: unknown): void {
  const result = v.safeParse(liveServerSchemas[type], message);
  assert.ok(result.success, `${type} matches its schema: ${JSON.stringify(result.issues?.[0]?.message)}`);
}

const stroke = (id: string, points: number[], slide = { indexh: 1, indexv: 0 }): StrokeMessage => ({
  type: 'stroke',
  stroke: id,
  slide,
  color: '#ff3b30',
  width: 6,
  points,
});

describe('live presenting over a real server', () => {
  let server: RunningServer;
  const open: TestClient[] = [];
  const track = (c: TestClient) => (open.push(c), c);
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const c of open) c.close();
    await server.close();
  });

  it('mirrors a stroke to phones and the screen as batches, and gives a late joiner the whole drawing', async () => {
    const presenter = track(await join(server, 'presenter'));
    const phone = track(await join(server, 'audience', 'ink-phone-1'));
    const screen = track(await join(server, 'screen'));
    assert.deepEqual(initial.get(phone)?.ink?.strokes, []);
    presenter.send(stroke('s1', [10, 20, 30, 40]));
    presenter.send(stroke('s1', [50, 60]));
    for (const c of [phone, screen]) {
      const first = await c.next('ink');
      valid('ink', first);
      assert.deepEqual(first.points, [10, 20, 30, 40]);
      assert.deepEqual((await c.next('ink')).points, [50, 60]);
    }
    const late = track(await join(server, 'audience', 'ink-phone-2'));
    const snapshot = initial.get(late)?.ink;
    valid('ink_snapshot', snapshot);
    assert.deepEqual(snapshot?.strokes, [{ id: 's1', slide: { indexh: 1, indexv: 0 }, color: '#ff3b30', width: 6, points: [10, 20, 30, 40, 50, 60] }]);

    presenter.send({ type: 'ink_clear', slide: { indexh: 1, indexv: 0 } });
    const cleared = await phone.next('ink_cleared');
    valid('ink_cleared', cleared);
    assert.deepEqual(cleared.slide, { indexh: 1, indexv: 0 });
    const afterClear = track(await join(server, 'screen'));
    assert.deepEqual(initial.get(afterClear)?.ink?.strokes, [], 'a cleared slide stays clear for joiners');
  });

  it('coalesces the pointer to at most one update per 50 ms however fast the console sends', async () => {
    const presenter = track(await join(server, 'presenter'));
    const phone = track(await join(server, 'audience', 'pointer-phone'));
    const screen = track(await join(server, 'screen'));
    const sent = 50;
    const started = Date.now();
    for (let i = 0; i < sent; i++) {
      presenter.send({ type: 'pointer', slide: { indexh: 0, indexv: 0 }, at: { x: i * 10, y: 100 } });
      await new Promise((r) => setTimeout(r, 10));
    }
    presenter.send({ type: 'pointer', slide: { indexh: 0, indexv: 0 }, at: null });
    await new Promise((r) => setTimeout(r, 300));
    const window = Date.now() - started;
    // One per interval, plus the first one, which goes out at once.
    const bound = Math.ceil(window / LIVE_LIMITS.pointerIntervalMs) + 1;
    for (const c of [phone, screen]) {
      const got = c.messages.filter((m): m is Extract<ServerMessage, { type: 'pointer' }> => m.type === 'pointer');
      for (const m of got) valid('pointer', m);
      assert.ok(got.length >= 3 && got.length <= bound, `${got.length} pointer updates for ${sent + 1} sent in ${window} ms (bound ${bound})`);
      assert.ok(got.length < sent / 2, `coalesced: ${got.length} of ${sent + 1}`);
      assert.equal(got.at(-1)?.at, null, 'the last word is the newest: the pointer put away');
    }
    assert.equal(presenter.messages.filter((m) => m.type === 'error').length, 0, 'the console is not rate limited at this pace');
  });

  it('gives a late joiner the media state with the server time, so it can start at the right moment', async () => {
    const presenter = track(await join(server, 'presenter'));
    const early = track(await join(server, 'screen'));
    const sentAt = Date.now();
    presenter.send({ type: 'media', slide: { indexh: 2, indexv: 1 }, index: 0, playing: true, position: 3.5 });
    const live = await early.next('media_state');
    valid('media_state', live);
    assert.deepEqual({ ...live.media, at: 0 }, { slide: { indexh: 2, indexv: 1 }, index: 0, playing: true, position: 3.5, at: 0 });
    assert.ok(live.media!.at >= sentAt - 5 && live.media!.at <= Date.now() + 5);
    await new Promise((r) => setTimeout(r, 300));
    const late = track(await join(server, 'audience', 'media-late'));
    const state = initial.get(late)?.media;
    assert.ok(state);
    valid('media_state', state);
    assert.equal(state.media?.playing, true);
    assert.equal(state.media?.at, live.media!.at, 'the position is pinned to the time the presenter set it');
    const elapsed = (state.now - state.media!.at) / 1000;
    assert.ok(elapsed >= 0.25, `the joiner can tell the media has played ${elapsed.toFixed(2)} s since`);

    const pong = (async () => {
      late.send({ type: 'ping', t: 12 });
      return late.next('pong');
    })();
    const answer = await pong;
    assert.equal(answer.t, 12);
    assert.ok(typeof answer.server === 'number' && Math.abs(answer.server - Date.now()) < 1000, 'pong carries the server clock');
  });

  it('shows chat on the screen only while the wall is on, and removes a deleted line there', async () => {
    const presenter = track(await join(server, 'presenter'));
    const moderator = track(await join(server, 'moderator'));
    const screen = track(await join(server, 'screen'));
    const phone = track(await join(server, 'audience', 'wall-phone'));
    assert.equal(initial.get(screen)?.wall?.on, false);
    phone.send({ type: 'chat', key: key(), text: 'before the wall' });
    await phone.next('ack');
    assert.ok(await silent(screen, 'chat_line'), 'no chat on the screen while the wall is off');

    presenter.send({ type: 'wall', on: true, slide: null });
    const on = await screen.next('wall_state');
    valid('wall_state', on);
    assert.equal(on.on, true);
    assert.ok(on.lines?.some((l) => l.text === 'before the wall'), 'turning the wall on brings the recent lines');
    const staffView = await presenter.next('wall_state');
    assert.equal(staffView.on, true);
    assert.equal(staffView.lines, undefined, 'the console is told the state, not the lines again');

    phone.send({ type: 'chat', key: key(), text: 'on the wall' });
    const line = (await screen.next('chat_line')).line;
    assert.equal(line.text, 'on the wall');
    assert.equal(line.mine, undefined);
    moderator.send({ type: 'chat_delete', id: line.id });
    assert.equal((await screen.next('chat_removed')).id, line.id, 'a deleted line leaves the wall');

    presenter.send({ type: 'wall', on: true, slide: { indexh: 1, indexv: 0 } });
    assert.deepEqual((await screen.next('wall_state')).slide, { indexh: 1, indexv: 0 });
    presenter.send({ type: 'wall', on: false, slide: null });
    assert.equal((await screen.next('wall_state')).on, false);
    phone.send({ type: 'chat', key: key(), text: 'after the wall' });
    await phone.next('ack');
    assert.ok(await silent(screen, 'chat_line'), 'off again: the screen hears no chat');
  });

  it('refuses drawing, pointing, media and the wall from the audience, the screen and moderators, telling nobody else', async () => {
    const phone = track(await join(server, 'audience', 'mallory-1'));
    const screen = track(await join(server, 'screen'));
    const moderator = track(await join(server, 'moderator'));
    const watcher = track(await join(server, 'audience', 'watcher-1'));
    const slide = { indexh: 0, indexv: 0 };
    for (const c of [phone, screen, moderator]) {
      c.send(stroke('evil', [1, 2], slide));
      c.send({ type: 'ink_clear', slide });
      c.send({ type: 'pointer', slide, at: { x: 1, y: 1 } });
      c.send({ type: 'media', slide, index: 0, playing: true, position: 0 });
      c.send({ type: 'wall', on: true, slide: null });
      for (const ref of ['stroke', 'ink_clear', 'pointer', 'media', 'wall']) {
        const error = await c.next('error');
        assert.equal(error.code, 'forbidden');
        assert.equal(error.ref, ref);
      }
    }
    for (const type of ['ink', 'ink_cleared', 'pointer', 'media_state'] as const) assert.ok(await silent(watcher, type, 100), `no ${type} reached the room`);
  });

  it('gives a resuming phone the drawing it missed, and nothing again when it missed none', async () => {
    const presenter = track(await join(server, 'presenter'));
    const phone = track(await join(server, 'audience', 'resume-ink'));
    presenter.send(stroke('before-drop', [1, 1, 2, 2]));
    const seen = await phone.next('ink');
    phone.ws.terminate();
    presenter.send(stroke('while-away', [7, 7, 8, 8], { indexh: 2, indexv: 0 }));
    const missed = (await presenter.next('ink', 3000)).seq;
    presenter.send({ type: 'goto', state: { indexh: 1, indexv: 0, indexf: -1, paused: false, overview: false } });
    await presenter.next('deck');

    const back = track(await TestClient.connect(server.port));
    back.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant: 'resume-ink', lastSeq: seen.seq });
    await back.next('resumed');
    const snapshot = await back.next('ink_snapshot');
    assert.ok(snapshot.seq >= missed);
    assert.ok(snapshot.strokes.some((s) => s.id === 'while-away'), 'the stroke drawn while it was away');

    const again = track(await TestClient.connect(server.port));
    again.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant: 'resume-ink', lastSeq: snapshot.seq });
    await again.next('resumed');
    await again.next('qa_snapshot');
    assert.ok(await silent(again, 'ink_snapshot'), 'nothing drawn since: no drawing sent again');
  });

  it('answers a drawing off the deck or malformed with a clear error', async () => {
    const presenter = track(await join(server, 'presenter'));
    presenter.send(stroke('off', [1, 2], { indexh: 0, indexv: 3 }));
    assert.equal((await presenter.next('error')).code, 'out_of_range');
    presenter.send({ ...stroke('odd', [1, 2]), points: [1, 2, 3] });
    assert.equal((await presenter.next('error')).code, 'bad_message');
    presenter.send({ ...stroke('neg', [1, 2]), points: [-1, 2] });
    assert.equal((await presenter.next('error')).code, 'bad_message');
    presenter.send({ ...stroke('col', [1, 2]), color: 'red' as never });
    assert.equal((await presenter.next('error')).code, 'bad_message');
    presenter.send(stroke('moves', [1, 2], { indexh: 0, indexv: 0 }));
    await presenter.next('ink');
    presenter.send(stroke('moves', [3, 4], { indexh: 1, indexv: 0 }));
    assert.equal((await presenter.next('error')).code, 'bad_message', 'a stroke stays on its slide');
  });
});

describe('drawings across a restart', () => {
  it('keeps strokes and the wall in the talk log, replays them after a restart, and exports them', async () => {
    const dataDir = mkdtempSync(joinPath(tmpdir(), 'livedeck-ink-'));
    try {
      let server = await startTestServer({ dataDir });
      const presenter = await join(server, 'presenter');
      presenter.send(stroke('keep', [100, 100, 200, 150]));
      presenter.send(stroke('keep', [300, 200]));
      presenter.send(stroke('gone', [5, 5], { indexh: 2, indexv: 1 }));
      presenter.send({ type: 'ink_clear', slide: { indexh: 2, indexv: 1 } });
      presenter.send({ type: 'wall', on: true, slide: { indexh: 1, indexv: 0 } });
      await presenter.next('wall_state');
      presenter.close();
      await server.close();

      server = await startTestServer({ dataDir });
      try {
        const screen = await join(server, 'screen');
        const { ink: snapshot, wall } = initial.get(screen) ?? {};
        assert.deepEqual(snapshot?.strokes, [{ id: 'keep', slide: { indexh: 1, indexv: 0 }, color: '#ff3b30', width: 6, points: [100, 100, 200, 150, 300, 200] }]);
        assert.deepEqual({ on: wall?.on, slide: wall?.slide }, { on: true, slide: { indexh: 1, indexv: 0 } });
        screen.close();
        const res = await fetch(`http://127.0.0.1:${server.port}/export/${server.code}.json`, { headers: { authorization: `Bearer ${server.presenterKey}` } });
        assert.equal(res.status, 200);
        const exported = (await res.json()) as { drawings: Array<{ id: string; points: number[]; slide: { label: string } }> };
        assert.deepEqual(exported.drawings.map((d) => ({ id: d.id, label: d.slide.label, points: d.points.length / 2 })), [{ id: 'keep', label: '2', points: 3 }]);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
