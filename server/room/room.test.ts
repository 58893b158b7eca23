import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import type { DeckMessage } from '../../protocol/messages.ts';
import type { Peer } from './peer.ts';
import { kBacklog, textFrame, writeFrame, type BacklogListener } from './frame.ts';
import { Room, sendAll } from './room.ts';
import { ResumableRoom, resumeReply } from './resumable-room.ts';

/** Real sockets on both ends: a ws server whose accepted sockets become Peers, and ws clients. */
interface Pair {
  peer: Peer;
  client: WebSocket;
  /** Every frame the client got, as raw bytes with its binary flag, in arrival order. */
  frames: Array<{ data: Buffer; binary: boolean }>;
}

const deck = (seq: number): DeckMessage => ({
  type: 'deck',
  seq,
  state: { indexh: seq % 3, indexv: 0, indexf: -1, paused: false, overview: false },
  origin: 'presenter-1',
});

/** One I/O turn: deck broadcasts go out at setImmediate. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) return resolve();
      if (Date.now() > deadline) return reject(new Error('timed out'));
      setTimeout(poll, 5);
    };
    poll();
  });
}

describe('Room', () => {
  let http: Server;
  let wss: WebSocketServer;
  let port: number;
  const accepted: WebSocket[] = [];

  before(async () => {
    http = createServer();
    wss = new WebSocketServer({ server: http, perMessageDeflate: false, clientTracking: false });
    wss.on('connection', (ws) => {
      ws.on('error', () => ws.terminate());
      accepted.push(ws);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    port = (http.address() as AddressInfo).port;
  });

  after(async () => {
    for (const ws of accepted) ws.terminate();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  async function connect(count: number, room: Room): Promise<Pair[]> {
    const pairs: Pair[] = [];
    for (let i = 0; i < count; i++) {
      const before = accepted.length;
      const client = new WebSocket(`ws://127.0.0.1:${port}/`);
      const frames: Pair['frames'] = [];
      client.on('message', (data: Buffer, binary) => frames.push({ data, binary }));
      client.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => {
        client.once('open', () => resolve());
        client.once('error', reject);
      });
      await waitFor(() => accepted.length > before);
      const peer: Peer = { id: `p${i}`, ws: accepted[accepted.length - 1]!, role: 'audience', talk: null, participant: null };
      room.add(peer, 'audience');
      pairs.push({ peer, client, frames });
    }
    return pairs;
  }

  describe('#broadcast', () => {
    it('gives 50 clients byte-identical frames, in order', async () => {
      const room = new Room();
      const pairs = await connect(50, room);
      for (let seq = 1; seq <= 5; seq++) {
        room.broadcast(deck(seq));
        await turn();
      }
      await waitFor(() => pairs.every((p) => p.frames.length === 5));
      const expected = [1, 2, 3, 4, 5].map((seq) => Buffer.from(JSON.stringify(deck(seq))));
      for (const { frames } of pairs) {
        assert.deepEqual(
          frames.map((f) => f.data),
          expected,
        );
        assert.ok(frames.every((f) => !f.binary), 'text frames');
      }
      for (const p of pairs) p.client.close();
    });

    it('skips closing and closed sockets without throwing', async () => {
      const room = new Room();
      const [open, closing, closed] = await connect(3, room);
      closed!.peer.ws.terminate();
      await waitFor(() => closed!.peer.ws.readyState === WebSocket.CLOSED);
      closing!.peer.ws.close(1001, 'bye');
      assert.equal(closing!.peer.ws.readyState, WebSocket.CLOSING);
      room.broadcast(deck(7));
      await waitFor(() => open!.frames.length === 1);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(closing!.frames.length, 0);
      assert.equal(closed!.frames.length, 0);
      open!.client.close();
    });

    it('keeps order behind a send that ws is still queueing', async () => {
      const room = new Room();
      const [busy, idle] = await connect(2, room);
      // A Blob makes ws's sender wait for its bytes; sends behind it queue inside ws.
      busy!.peer.ws.send(new Blob(['before']));
      room.broadcast(deck(1));
      await turn();
      room.broadcast(deck(2));
      await waitFor(() => busy!.frames.length === 3 && idle!.frames.length === 2);
      assert.deepEqual(
        busy!.frames.map((f) => f.data.toString()),
        ['before', JSON.stringify(deck(1)), JSON.stringify(deck(2))],
      );
      assert.deepEqual(
        idle!.frames.map((f) => f.data.toString()),
        [JSON.stringify(deck(1)), JSON.stringify(deck(2))],
      );
    });

    it('keeps order behind a large frame still in the socket buffer', async () => {
      const room = new Room();
      const [peer] = await connect(1, room);
      const big = 'x'.repeat(4 * 1024 * 1024);
      peer!.peer.ws.send(big);
      room.broadcast(deck(9));
      await waitFor(() => peer!.frames.length === 2, 10_000);
      assert.equal(peer!.frames[0]!.data.length, big.length);
      assert.equal(peer!.frames[1]!.data.toString(), JSON.stringify(deck(9)));
    });

    it('tells the socket owner when a write leaves bytes queued past the high-water mark, and only then', async () => {
      const room = new Room();
      const [reader, flooded] = await connect(2, room);
      const reported: WebSocket[] = [];
      for (const pair of [reader!, flooded!]) (pair.peer.ws as WebSocket & { [kBacklog]?: BacklogListener })[kBacklog] = (ws) => reported.push(ws);
      room.broadcast({ type: 'presence', audience: 2 });
      assert.deepEqual(reported, [], 'what the kernel takes at once is not reported');
      // More than the kernel's loopback buffers take at once: the rest waits in the stream.
      const json = JSON.stringify({ type: 'presence', audience: 'x'.repeat(8 * 1024 * 1024) });
      writeFrame(flooded!.peer.ws, textFrame(json));
      assert.deepEqual(reported, [flooded!.peer.ws]);
      await waitFor(() => flooded!.frames.length === 2, 10_000);
      for (const p of [reader!, flooded!]) p.client.close();
    });

    it('coalesces deck moves made in one turn, once fan-out is expensive, keeping order', async () => {
      const room = new Room({ coalesceAfterMs: 0, coalesceMinMembers: 0 });
      const [peer] = await connect(1, room);
      room.broadcast(deck(1));
      room.broadcast(deck(2));
      room.broadcast({ type: 'presence', audience: 1 });
      room.broadcast(deck(3));
      await waitFor(() => peer!.frames.length === 2);
      await new Promise((r) => setTimeout(r, 30));
      assert.deepEqual(
        peer!.frames.map((f) => f.data.toString()),
        [JSON.stringify({ type: 'presence', audience: 1 }), JSON.stringify(deck(3))],
      );
    });

    it('holds a feature\'s own writes behind a deck move waiting for the turn, so seqs arrive rising', async () => {
      const room = new Room({ coalesceAfterMs: 0, coalesceMinMembers: 0 });
      const [peer] = await connect(1, room);
      const later = JSON.stringify(deck(5));
      room.broadcast(deck(4));
      room.inOrder(() => room.writeToRoles(['audience'], textFrame(later)));
      assert.equal(peer!.frames.length, 0, 'nothing leaves before the end of the turn');
      await waitFor(() => peer!.frames.length === 2);
      assert.deepEqual(
        peer!.frames.map((f) => JSON.parse(f.data.toString()).seq),
        [4, 5],
      );
      // With nothing waiting, the write goes out at once.
      room.inOrder(() => room.writeToRoles(['audience'], textFrame(later)));
      await waitFor(() => peer!.frames.length === 3);
    });

    it('gives a join and a resume answered while a deck move waits every seq once', async () => {
      const room = new ResumableRoom(0, {}, { coalesceAfterMs: 0, coalesceMinMembers: 0 });
      const [member] = await connect(1, room);
      const [joiner, resumer, leaver] = await connect(3, new Room());
      room.broadcast(deck(1));
      await turn();
      room.broadcast(deck(2));
      // Both are answered in this turn, as the hello handler answers them: the welcome already
      // shows move 2, the resume (from seq 1) replays it from the history.
      room.add(joiner!.peer, 'audience');
      sendAll(joiner!.peer, [JSON.stringify({ type: 'welcome', seq: 2 })]);
      room.add(resumer!.peer, 'audience');
      sendAll(resumer!.peer, resumeReply(resumer!.peer, room, 'audience', 1, 2, room.count('audience'), 'e1')!);
      room.add(leaver!.peer, 'audience');
      assert.equal(room.count('audience'), 4, 'a joiner waiting for its place counts at once');
      room.remove(leaver!.peer);
      assert.equal(room.count('audience'), 3);
      // A feature's write queued after the joins (seq 3) reaches them; next turn, a move (seq 4) too.
      room.inOrder(() => room.writeToRoles(['audience'], textFrame(JSON.stringify(deck(3)))));
      await turn();
      room.broadcast(deck(4));
      const seqsOf = (pair: Pair) =>
        pair.frames.map((f) => JSON.parse(f.data.toString()) as { type: string; seq: number }).filter((m) => m.type !== 'resumed').map((m) => m.seq);
      await waitFor(() => [member!, joiner!, resumer!].every((p) => seqsOf(p).includes(4)));
      await new Promise((r) => setTimeout(r, 30));
      assert.deepEqual(seqsOf(member!), [1, 2, 3, 4]);
      assert.deepEqual(seqsOf(joiner!), [2, 3, 4], 'the welcome, then only what came after it');
      assert.deepEqual(seqsOf(resumer!), [2, 3, 4], 'the replay, then only what came after it');
      assert.equal(leaver!.frames.length, 0, 'a joiner that left before its place came is never added');
      for (const p of [member!, joiner!, resumer!, leaver!]) p.client.close();
    });

    it('sends every deck move while fan-out is cheap', async () => {
      const room = new Room();
      const [peer] = await connect(1, room);
      for (let seq = 1; seq <= 4; seq++) room.broadcast(deck(seq));
      await waitFor(() => peer!.frames.length === 4);
      assert.deepEqual(
        peer!.frames.map((f) => JSON.parse(f.data.toString()).seq),
        [1, 2, 3, 4],
      );
    });

    it('sends only to the roles asked for', async () => {
      const room = new Room();
      const [audience, screen] = await connect(2, room);
      room.remove(screen!.peer);
      screen!.peer.role = 'screen';
      room.add(screen!.peer, 'screen');
      room.broadcast({ type: 'presence', audience: 1 }, ['screen']);
      await waitFor(() => screen!.frames.length === 1);
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(audience!.frames.length, 0);
    });
  });

  describe('#eachConnectionOf', () => {
    /** Re-adds the pairs' peers as the given participants. */
    function as(room: Room, pairs: Pair[], participants: Array<string | null>): void {
      pairs.forEach((pair, i) => {
        room.remove(pair.peer);
        pair.peer.participant = participants[i]!;
        room.add(pair.peer, 'audience');
      });
    }
    const idsOf = (room: Room, participant: string) => {
      const ids: string[] = [];
      room.eachConnectionOf(participant, (peer) => ids.push(peer.id));
      return ids.sort();
    };

    it('finds every phone of one person and nobody else', async () => {
      const room = new Room();
      const pairs = await connect(4, room);
      as(room, pairs, ['ann', 'ann', 'bob', null]);
      assert.deepEqual(idsOf(room, 'ann'), ['p0', 'p1']);
      assert.deepEqual(idsOf(room, 'bob'), ['p2']);
      assert.deepEqual(idsOf(room, 'nobody'), []);
      for (const p of pairs) p.client.close();
    });

    it('forgets a connection when it leaves, and the person when their last one does', async () => {
      const room = new Room();
      const pairs = await connect(3, room);
      as(room, pairs, ['ann', 'ann', 'ann']);
      room.remove(pairs[0]!.peer);
      assert.deepEqual(idsOf(room, 'ann'), ['p1', 'p2']);
      room.remove(pairs[1]!.peer);
      assert.deepEqual(idsOf(room, 'ann'), ['p2']);
      room.remove(pairs[2]!.peer);
      assert.deepEqual(idsOf(room, 'ann'), []);
      room.add(pairs[1]!.peer, 'audience');
      assert.deepEqual(idsOf(room, 'ann'), ['p1'], 'a returning phone is found again');
      for (const p of pairs) p.client.close();
    });

    it('does not index staff or screens', async () => {
      const room = new Room();
      const [screen] = await connect(1, room);
      room.remove(screen!.peer);
      screen!.peer.participant = 'ann';
      screen!.peer.role = 'screen';
      room.add(screen!.peer, 'screen');
      assert.deepEqual(idsOf(room, 'ann'), []);
      screen!.client.close();
    });
  });
});
