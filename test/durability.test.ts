/**
 * Durability and recovery with the real `livedeck` command in a child process: restarts,
 * kill -9 in the middle of a burst of questions and votes, a torn write-ahead log, and SIGTERM
 * with many clients. LIVEDECK_SOAK=1 runs the kill -9 test 20 times (npm run test:soak); otherwise 3.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type DeckState, type ServerMessage } from '../protocol/messages.ts';
import type { BallotMessage } from '../protocol/polls.ts';
import { QA_LIMITS, type AskMessage, type UpvoteMessage } from '../protocol/qa.ts';
import { POLL_EVENTS } from '../server/features/polls/board.ts';
import { askedId, QA_EVENTS, questionId } from '../server/features/qa/board.ts';
import { DATABASE_FILE } from '../server/store/sqlite.ts';
import { freePort, spawnServer, type ChildServer } from './support/child-server.ts';
import { TestClient } from './support/client.ts';
import { watchServerFrames } from './support/contract-check.ts';
import { SMALL_DECK } from './support/server.ts';

const POLL_DECK = fileURLToPath(new URL('./fixtures/poll.md', import.meta.url));
const at = (indexh: number, indexv = 0, indexf = -1): DeckState => ({ indexh, indexv, indexf, paused: false, overview: false });
const SOAK = process.env.LIVEDECK_SOAK === '1';
const CLIENTS = 200;

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'livedeck-durability-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A deck with one slide per writer, so each client's moves are its own. */
function bigDeck(): string {
  const path = join(tmp, 'big.md');
  writeFileSync(path, Array.from({ length: CLIENTS }, (_, i) => `# Slide ${i}`).join('\n\n---\n\n'));
  return path;
}

function storedDeckEvents(dataDir: string): Array<{ seq: number; state: DeckState }> {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT seq, data FROM events WHERE kind = 'deck' ORDER BY seq").all() as Array<{ seq: number; data: string }>).map(
      // A deck event also names the connection that moved (origin): the state is the rest.
      (r) => {
        const { indexh, indexv, indexf, paused, overview } = JSON.parse(r.data) as DeckState;
        return { seq: r.seq, state: { indexh, indexv, indexf, paused, overview } };
      },
    );
  } finally {
    db.close();
  }
}

function storedSeqs(dataDir: string): number[] {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT seq FROM events ORDER BY seq').all() as Array<{ seq: number }>).map((r) => r.seq);
  } finally {
    db.close();
  }
}

function integrity(dataDir: string): string {
  const db = new Database(join(dataDir, DATABASE_FILE));
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

async function stop(server: ChildServer): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  await server.exited;
}

/* ---------------- the kill -9 burst: audience writes, stored log, tallies ---------------- */

/** The audience writes of the burst: each carries an idempotency key and is answered by an ack. */
type AudienceWrite = AskMessage | BallotMessage | UpvoteMessage;

interface SentWrite {
  participant: string;
  message: AudienceWrite;
}

/** The polls of test/fixtures/poll.md the burst votes in, with their option counts. */
const BURST_POLLS = { transport: 3, tools: 3 } as const;

interface EventRow {
  seq: number;
  kind: string;
  data: string;
  participant: string | null;
  key: string | null;
}

/** The whole log, read straight from the SQLite file (read-only; the server may be running). */
function storedEvents(dataDir: string): EventRow[] {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT seq, kind, data, participant, key FROM events ORDER BY seq').all() as EventRow[];
  } finally {
    db.close();
  }
}

/** The event a write must be stored as: its kind and payload (a question's id comes from who asked and the key). */
function expectedEvent(message: AudienceWrite, participant: string): { kind: string; data: unknown } {
  switch (message.type) {
    case 'ask':
      return { kind: QA_EVENTS.asked, data: { id: askedId(participant, message.key), text: message.text, name: message.name, slide: message.slide, state: 'visible' } };
    case 'upvote':
      return { kind: QA_EVENTS.voted, data: { question: message.question, on: message.on } };
    case 'ballot':
      return { kind: POLL_EVENTS.ballot, data: { poll: message.poll, value: message.value } };
  }
}

/**
 * The stored writes of one round (key → seq), each checked against what was sent: stored ⊆ sent,
 * no key twice, under the participant that sent it, as it was sent.
 */
function storedWrites(rows: readonly EventRow[], round: number, sent: ReadonlyMap<string, SentWrite>): Map<string, number> {
  const stored = new Map<string, number>();
  for (const row of rows) {
    if (!row.key?.startsWith(`r${round}.`)) continue;
    assert.ok(!stored.has(row.key), `${row.key} is stored once`);
    const write = sent.get(row.key);
    assert.ok(write, `stored ${row.key} was sent`);
    assert.equal(row.participant, write.participant, `${row.key} is stored for its sender`);
    assert.deepEqual({ kind: row.kind, data: JSON.parse(row.data) as unknown }, expectedEvent(write.message, write.participant), `${row.key} is stored as sent`);
    stored.set(row.key, row.seq);
  }
  return stored;
}

/**
 * What the log says people must see: per poll, each participant's latest ballot counted once;
 * per question, the participants whose latest upvote is on.
 */
function talliesOf(rows: readonly EventRow[]) {
  const ballots = new Map<string, Map<string, number[]>>();
  const questions = new Map<string, { text: string; voters: Map<string, boolean> }>();
  for (const row of rows) {
    const data = JSON.parse(row.data) as Record<string, unknown>;
    if (row.kind === POLL_EVENTS.ballot) {
      const { poll, value } = data as { poll: string; value: { choices: number[] } };
      const byParticipant = ballots.get(poll) ?? new Map<string, number[]>();
      byParticipant.set(row.participant!, value.choices);
      ballots.set(poll, byParticipant);
    } else if (row.kind === QA_EVENTS.asked) {
      // A question's id is in its event (older logs: derived from the seq).
      questions.set((data.id as string | undefined) ?? questionId(row.seq), { text: data.text as string, voters: new Map() });
    } else if (row.kind === QA_EVENTS.voted) {
      questions.get(data.question as string)?.voters.set(row.participant!, data.on as boolean);
    }
  }
  const polls = Object.fromEntries(
    Object.entries(BURST_POLLS).map(([poll, options]) => {
      const latest = [...(ballots.get(poll)?.values() ?? [])];
      const counts = Array.from({ length: options }, (_, o) => latest.filter((choices) => choices.includes(o)).length);
      return [poll, { ballots: latest.length, counts }];
    }),
  );
  const votes = [...questions].map(([id, q]) => ({ id, text: q.text, votes: [...q.voters.values()].filter(Boolean).length }));
  return { polls, votes };
}

/**
 * Checks, through the protocol and the export, that the server shows exactly the stored log:
 * poll tallies in a presenter's welcome, every question once with its votes in the export, and
 * the newest questions with the same votes in the presenter's snapshot.
 */
async function checkTallies(server: ChildServer, rows: readonly EventRow[]): Promise<void> {
  const expected = talliesOf(rows);
  const presenter = await TestClient.connect(server.port);
  try {
    presenter.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'presenter', talk: server.code, key: server.presenterKey });
    const welcome = await presenter.next('welcome', 10_000);
    for (const [poll, tally] of Object.entries(expected.polls)) {
      const view = welcome.polls?.find((p) => p.poll.id === poll);
      assert.equal(view?.status, 'open', `${poll} is still open after the restart`);
      assert.deepEqual({ ballots: view.results?.ballots, counts: view.results?.counts }, tally, `${poll}: the tally equals the stored latest ballots`);
    }
    const res = await fetch(`http://127.0.0.1:${server.port}/export/${server.code}.json`, { headers: { authorization: `Bearer ${server.presenterKey}` } });
    assert.equal(res.status, 200);
    const exported = ((await res.json()) as { questions: Array<{ id: string; text: string; votes: number }> }).questions;
    assert.deepEqual(exported.map(({ id, text, votes }) => ({ id, text, votes })), expected.votes, 'every stored question once, with its stored votes');
    const snapshot = await presenter.next('qa_snapshot', 10_000);
    const votes = new Map(expected.votes.map((q) => [q.id, q.votes]));
    assert.equal(new Set(snapshot.questions.map((q) => q.id)).size, snapshot.questions.length, 'no question twice in the snapshot');
    for (const q of snapshot.questions) assert.equal(q.votes, votes.get(q.id), `${q.id} shows its stored votes`);
  } finally {
    presenter.close();
  }
}

/** The answer to one write: its ack's seq, a refusal, or nothing (the server died first). */
type Answer = { seq: number } | { refused: string } | null;

/**
 * An audience connection that writes and waits for the answer to each key. Leaner than
 * TestClient on purpose: 200 of them hear every broadcast of the burst, and keep none of it.
 */
class Phone {
  private readonly ws: WebSocket;
  private readonly pending = new Map<string, (answer: Answer) => void>();
  private readonly welcomed: Promise<void>;

  private constructor(
    port: number,
    talk: string,
    readonly participant: string,
  ) {
    this.ws = watchServerFrames(new WebSocket(`ws://127.0.0.1:${port}/ws`), `phone ${participant}`);
    this.ws.on('error', () => undefined);
    this.ws.once('open', () => this.ws.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk, participant })));
    this.welcomed = new Promise((resolve, reject) => {
      this.ws.once('close', (code) => reject(new Error(`${participant}: closed (${code}) before the welcome`)));
      this.ws.on('message', (data) => {
        const m = JSON.parse(data.toString()) as ServerMessage;
        if (m.type === 'welcome') resolve();
        else if (m.type === 'ack') this.settle(m.key, { seq: m.seq });
        else if (m.type === 'error' && m.key !== undefined) this.settle(m.key, { refused: `${m.code}: ${m.message}` });
      });
    });
    this.ws.on('close', () => {
      for (const key of [...this.pending.keys()]) this.settle(key, null);
    });
  }

  static async join(port: number, talk: string, participant: string): Promise<Phone> {
    const phone = new Phone(port, talk, participant);
    await phone.welcomed;
    return phone;
  }

  write(message: AudienceWrite, timeoutMs = 10_000): Promise<Answer> {
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(message.key, null), timeoutMs);
      this.pending.set(message.key, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.ws.send(JSON.stringify(message));
    });
  }

  private settle(key: string, answer: Answer): void {
    const done = this.pending.get(key);
    this.pending.delete(key);
    done?.(answer);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Opens the two burst polls as presenter and asks three questions to upvote; returns their ids. */
async function openPollsAndSeed(server: ChildServer): Promise<string[]> {
  const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
  for (const poll of Object.keys(BURST_POLLS)) {
    presenter.send({ type: 'openPoll', poll });
    assert.equal((await presenter.next('poll')).view.status, 'open');
  }
  presenter.close();
  const seed = await Phone.join(server.port, server.code, 'seed');
  const ids: string[] = [];
  for (let n = 0; n < QA_LIMITS.ask.count; n++) {
    const answer = await seed.write({ type: 'ask', key: `seed.n${n}`, text: `Seed question ${n}`, slide: { indexh: 0, indexv: 0, indexf: -1 } });
    assert.ok(answer && 'seq' in answer, 'the seed question is acknowledged');
    ids.push(askedId(seed.participant, `seed.n${n}`));
  }
  seed.close();
  return ids;
}

const randomInt = (n: number) => Math.floor(Math.random() * n);

/**
 * A phone's write at `step`: a question every fourth step (at most the per-minute limit), otherwise
 * an upvote of a seed question or a ballot in the single- or the multiple-choice poll.
 */
function nextWrite(key: string, step: number, asked: number, targets: readonly string[]): AudienceWrite {
  if (step % 4 === 0 && asked < QA_LIMITS.ask.count) {
    return { type: 'ask', key, text: `Question ${key}?`, name: `Asker ${key}`, slide: { indexh: step % 5, indexv: 0, indexf: -1 } };
  }
  if (step % 4 === 2) return { type: 'upvote', key, question: targets[randomInt(targets.length)]!, on: Math.random() < 0.7 };
  if (step % 4 === 3) {
    const choices = [0, 1, 2].filter(() => Math.random() < 0.5);
    return { type: 'ballot', key, poll: 'tools', value: { choices: choices.length ? choices : [randomInt(3)] } };
  }
  return { type: 'ballot', key, poll: 'transport', value: { choices: [randomInt(3)] } };
}

/**
 * 200 phones (participants `r<round>.c<i>`) write one after another, each waiting for its ack;
 * the server is killed with SIGKILL at a random moment 0.2–1.4 s into the burst.
 */
async function burstThenKill(server: ChildServer, round: number, targets: readonly string[]) {
  const phones = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => Phone.join(server.port, server.code, `r${round}.c${i}`)));
  const sent = new Map<string, SentWrite>();
  const acked = new Map<string, number>();
  const refused: string[] = [];
  let killed = false;
  const writers = phones.map(async (phone, i) => {
    let asked = 0;
    for (let n = 0; !killed; n++) {
      const key = `r${round}.c${i}.n${n}`;
      // Shifted by i, so even a short burst mixes the kinds of write evenly across the phones.
      const message = nextWrite(key, n + i, asked, targets);
      if (message.type === 'ask') asked++;
      sent.set(key, { participant: phone.participant, message });
      const answer = await phone.write(message);
      if (answer === null) return;
      if ('refused' in answer) refused.push(`${key} ${answer.refused}`);
      else acked.set(key, answer.seq);
      await sleep(50 + Math.random() * 100);
    }
  });
  await sleep(200 + Math.random() * 1200);
  server.child.kill('SIGKILL');
  killed = true;
  await server.exited;
  await Promise.all(writers);
  for (const phone of phones) phone.close();
  return { sent, acked, refused };
}

/** Resends writes as a phone's outbox does after a reconnect: same participant, same key, in order. */
async function resend(server: ChildServer, writes: ReadonlyArray<[string, SentWrite]>): Promise<Map<string, number>> {
  const byParticipant = new Map<string, AudienceWrite[]>();
  for (const [, write] of writes) byParticipant.set(write.participant, [...(byParticipant.get(write.participant) ?? []), write.message]);
  const answers = new Map<string, number>();
  await Promise.all(
    [...byParticipant].map(async ([participant, messages]) => {
      const phone = await Phone.join(server.port, server.code, participant);
      for (const message of messages) {
        const answer = await phone.write(message);
        assert.ok(answer && 'seq' in answer, `resent ${message.key} is acknowledged: ${JSON.stringify(answer)}`);
        answers.set(message.key, answer.seq);
      }
      phone.close();
    }),
  );
  return answers;
}

describe('restart with the same data dir', () => {
  it('brings back the same join code, presenter link and slide', async () => {
    const dataDir = join(tmp, 'restart');
    const port = await freePort();
    const first = await spawnServer(SMALL_DECK, port, ['--data-dir', dataDir]);
    const presenter = await TestClient.join(port, first.code, 'presenter', first.presenterKey);
    presenter.send({ type: 'goto', state: at(2, 1) });
    await presenter.next('deck');
    presenter.close();
    first.child.kill('SIGTERM');
    await first.exited;
    assert.equal(statSync(join(dataDir, 'secrets.json')).mode & 0o777, 0o600);

    const second = await spawnServer(SMALL_DECK, port, ['--data-dir', dataDir]);
    try {
      assert.equal(second.code, first.code);
      assert.equal(second.presenterKey, first.presenterKey);
      const back = await TestClient.join(port, second.code, 'presenter', second.presenterKey);
      assert.deepEqual(back.messages.filter((m) => m.type === 'error'), [], 'the old presenter key is accepted');
      back.close();
      const phone = await TestClient.connect(port);
      phone.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: second.code });
      assert.deepEqual((await phone.next('welcome')).deck, at(2, 1));
      phone.close();
    } finally {
      await stop(second);
    }
  });
});

describe('kill -9 during a burst of questions and votes from 200 clients', () => {
  const rounds = SOAK ? 20 : 3;
  it(`stores every acknowledged write exactly once and the tallies match, ${rounds} times over (acknowledged ⊆ stored ⊆ sent)`, { timeout: rounds * 40_000 }, async () => {
    const dataDir = join(tmp, 'kill9');
    const port = await freePort();
    const started = Date.now();
    let server = await spawnServer(POLL_DECK, port, ['--data-dir', dataDir]);
    const totals = { sent: 0, acked: 0, stored: 0, lostAcks: 0, resentStored: 0, replayed: 0 };
    const kinds = { ask: 0, ballot: 0, upvote: 0 };
    try {
      const targets = await openPollsAndSeed(server);
      for (let round = 0; round < rounds; round++) {
        const roundStarted = Date.now();
        const { sent, acked, refused } = await burstThenKill(server, round, targets);
        assert.deepEqual(refused, [], 'no write of the burst is refused');
        assert.ok(acked.size > 0, `round ${round + 1} acknowledged writes`);

        const atKill = storedEvents(dataDir);
        assert.deepEqual(atKill.map((e) => e.seq), atKill.map((_, i) => i + 1), 'seqs are contiguous');
        const stored = storedWrites(atKill, round, sent);
        for (const [key, seq] of acked) assert.equal(stored.get(key), seq, `acknowledged ${key} is stored, at the seq of its ack`);

        server = await spawnServer(POLL_DECK, port, ['--data-dir', dataDir]);
        await checkTallies(server, atKill);

        // The phones' outboxes resend what was never acknowledged, with the same keys. Each phone
        // also resends its last acknowledged write, as if that ack had been lost on the way.
        const unacked = [...sent].filter(([key]) => !acked.has(key));
        const lastAcked = new Map<string, string>();
        for (const [key, write] of sent) if (acked.has(key)) lastAcked.set(write.participant, key);
        const replayed = new Set(lastAcked.values());
        const answers = await resend(server, [...sent].filter(([key]) => !acked.has(key) || replayed.has(key)));
        let lostAcks = 0;
        for (const [key, seq] of answers) {
          const before = stored.get(key);
          if (before === undefined) continue;
          if (!acked.has(key)) lostAcks++;
          assert.equal(seq, before, `the resend of ${key}, stored before the kill, is acknowledged with its first seq`);
        }
        const afterResend = storedEvents(dataDir);
        const final = storedWrites(afterResend, round, sent);
        assert.deepEqual([...final.keys()].sort(), [...sent.keys()].sort(), 'after the resend every sent write is stored, each once');
        for (const [key, seq] of answers) assert.equal(final.get(key), seq, `resent ${key} is stored at the seq of its ack`);
        await checkTallies(server, afterResend);

        totals.sent += sent.size;
        totals.acked += acked.size;
        totals.stored += stored.size;
        totals.lostAcks += lostAcks;
        totals.resentStored += unacked.length - lostAcks;
        totals.replayed += replayed.size;
        for (const { message } of sent.values()) kinds[message.type]++;
        console.log(
          `# kill -9 round ${round + 1}/${rounds}: sent ${sent.size}, acknowledged ${acked.size}, stored ${stored.size} ` +
            `(${lostAcks} unacknowledged); resent ${unacked.length} unacknowledged (${unacked.length - lostAcks} stored now, ` +
            `${lostAcks} acknowledged again) and ${replayed.size} acknowledged (acknowledged again, not stored twice); ` +
            `${((Date.now() - roundStarted) / 1000).toFixed(1)} s`,
        );
      }
    } finally {
      await stop(server);
    }
    console.log(
      `# kill -9 total over ${rounds} rounds: sent ${totals.sent}, acknowledged ${totals.acked}, stored at the kills ${totals.stored} ` +
        `(${totals.lostAcks} of them unacknowledged), stored by the resends ${totals.resentStored}, ` +
        `acknowledged writes resent ${totals.replayed} (none stored twice); sent ${kinds.ask} questions, ${kinds.ballot} ballots, ` +
        `${kinds.upvote} upvotes; ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    assert.equal(integrity(dataDir), 'ok');
  });
});

describe('a torn write-ahead log', () => {
  it('recovers to a prefix of the log and serves again', async () => {
    const dataDir = join(tmp, 'torn');
    const port = await freePort();
    const server = await spawnServer(bigDeck(), port, ['--data-dir', dataDir]);
    const presenter = await TestClient.join(port, server.code, 'presenter', server.presenterKey);
    for (let n = 0; n < 150; n++) {
      // The slide number is the marker: each move is to a slide of its own (the deck has CLIENTS slides).
      presenter.send({ type: 'goto', state: at(n % CLIENTS) });
      await presenter.next('deck');
      if (n % 25 === 24) await new Promise((r) => setTimeout(r, 1000));
    }
    server.child.kill('SIGKILL');
    await server.exited;
    const wal = join(dataDir, `${DATABASE_FILE}-wal`);
    const size = statSync(wal).size;
    const cut = Math.floor(size * (0.3 + Math.random() * 0.6));
    truncateSync(wal, cut);
    console.log(`# torn WAL: cut ${size} bytes to ${cut}`);

    const again = await spawnServer(bigDeck(), port, ['--data-dir', dataDir]);
    try {
      const stored = storedDeckEvents(dataDir);
      assert.ok(stored.length > 0 && stored.length <= 150, `kept ${stored.length} of 150`);
      assert.deepEqual(stored.map((e) => e.state.indexh), stored.map((_, i) => i), 'what survives is a prefix, in order');
      const phone = await TestClient.connect(port);
      phone.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: again.code });
      assert.deepEqual((await phone.next('welcome')).deck, stored.at(-1)!.state);
      const p = await TestClient.join(port, again.code, 'presenter', again.presenterKey);
      p.send({ type: 'goto', state: at(3) });
      const moved = (await phone.next('deck')).seq;
      // The log also holds the report's presence samples (server/features/report), so seqs are counted over every event.
      const seqs = storedSeqs(dataDir);
      assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'the log stays contiguous');
      assert.ok(moved > stored.at(-1)!.seq && seqs.includes(moved), 'new moves continue the log');
      for (const c of [phone, p]) c.close();
    } finally {
      await stop(again);
    }
    assert.equal(integrity(dataDir), 'ok');
  });
});

describe('SIGTERM with 200 clients', () => {
  it('closes every client with 1001, keeps the data, exits within 5 s, and the clients come back', { timeout: 60_000 }, async () => {
    const dataDir = join(tmp, 'sigterm');
    const port = await freePort();
    const server = await spawnServer(SMALL_DECK, port, ['--data-dir', dataDir]);
    const presenter = await TestClient.join(port, server.code, 'presenter', server.presenterKey);
    const phones = await Promise.all(Array.from({ length: CLIENTS }, () => TestClient.join(port, server.code, 'audience')));
    presenter.send({ type: 'goto', state: at(3) });
    const lastSeq = (await presenter.next('deck')).seq;
    const started = Date.now();
    server.child.kill('SIGTERM');
    const codes = await Promise.all([presenter, ...phones].map((c) => c.waitClose(5000)));
    const exit = await server.exited;
    const took = Date.now() - started;
    console.log(`# SIGTERM: ${codes.length} clients closed, exit ${exit.code} after ${took} ms`);
    assert.ok(codes.every((c) => c === 1001), `close codes ${[...new Set(codes)].join(',')}`);
    assert.equal(exit.code, 0);
    assert.ok(took < 5000, `exited after ${took} ms`);
    assert.equal(statSync(join(dataDir, `${DATABASE_FILE}-wal`), { throwIfNoEntry: false })?.size ?? 0, 0, 'the log was checkpointed');

    const again = await spawnServer(SMALL_DECK, port, ['--data-dir', dataDir]);
    try {
      const back = await Promise.all(
        phones.map(async () => {
          const c = await TestClient.connect(port);
          c.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: again.code, lastSeq });
          return c;
        }),
      );
      for (const c of back) assert.deepEqual((await c.next('welcome', 10_000)).deck, at(3), 'a snapshot after a restart, at the same slide');
      for (const c of back) c.close();
    } finally {
      await stop(again);
    }
  });
});
