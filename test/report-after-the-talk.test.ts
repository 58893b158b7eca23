import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PROTOCOL_VERSION, type DeckState } from '../protocol/messages.ts';
import type { TalkReport } from '../protocol/report.ts';
import { SqliteStore } from '../server/store/sqlite.ts';
import type { RunningServer } from '../server/start.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const POLL_DECK = fileURLToPath(new URL('./fixtures/poll.md', import.meta.url));
const run = promisify(execFile);
const on = (indexh: number, indexv = 0, paused = false): DeckState => ({ indexh, indexv, indexf: -1, paused, overview: false });

/** Fast sampling so the test waits on events, not on minutes; the behaviour is the same. */
const SAMPLING = { checkMs: 20, minGapMs: 0, heartbeatMs: 60_000, tallyMs: 40 };

async function phone(server: RunningServer, participant: string): Promise<TestClient> {
  const client = await TestClient.connect(server.port);
  client.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant });
  await client.next('welcome');
  return client;
}

async function fetchReport(server: RunningServer, key = server.presenterKey): Promise<Response> {
  return fetch(`http://127.0.0.1:${server.port}/t/${server.code}/report.json`, { headers: { authorization: `Bearer ${key}` } });
}

/** Reads the report until `check` holds (the recorder writes on its own timer). */
async function reportWhen(server: RunningServer, check: (r: TalkReport) => boolean, what: string): Promise<TalkReport> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const report = (await (await fetchReport(server)).json()) as TalkReport;
    if (check(report)) return report;
    if (Date.now() > deadline) throw new Error(`the report never showed ${what}: ${JSON.stringify(report)}`);
    await sleep(30);
  }
}

describe('the report after a talk, from a demo talk over real WebSockets', () => {
  let server: RunningServer;
  let dataDir: string;
  let live: TalkReport;
  let code = '';

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'livedeck-report-'));
    server = await startTestServer({ deckPath: POLL_DECK, dataDir, report: SAMPLING });
    code = server.code;
    const presenter = await TestClient.join(server.port, code, 'presenter', server.presenterKey);
    const phones = await Promise.all(['ann', 'bob', 'cat'].map((p) => phone(server, p)));
    const [ann, bob, cat] = phones as [TestClient, TestClient, TestClient];
    await reportWhen(server, (r) => r.presence.samples.some((s) => s.audience === 3), 'three phones');

    const move = async (state: DeckState) => {
      presenter.send({ type: 'goto', state });
      await ann.next('deck');
      // Some time on each slide; the figures are checked against the log's own times, not this.
      await sleep(120);
    };
    await move(on(1));
    ann.send({ type: 'ask', key: 'q-ann', text: 'Does it work through proxies?', name: 'Ann', slide: { indexh: 1, indexv: 0, indexf: -1 } });
    const asked = await ann.next('question');
    bob.send({ type: 'ask', key: 'q-bob', text: 'And on slide three?', slide: { indexh: 2, indexv: 0, indexf: -1 } });
    await bob.next('ack');
    for (const [voter, k] of [[bob, 'v-bob'], [cat, 'v-cat']] as const) {
      voter.send({ type: 'upvote', key: k, question: asked.question.id, on: true });
      await voter.next('ack');
    }
    presenter.send({ type: 'moderate', question: asked.question.id, action: 'answer' });
    ann.send({ type: 'react', reaction: 'like' });
    ann.send({ type: 'react', reaction: 'like' });
    bob.send({ type: 'react', reaction: 'clap' });
    cat.send({ type: 'pace', signal: 'fast' });
    presenter.send({ type: 'openPoll', poll: 'transport' });
    await ann.next('poll');
    for (const [p, choice] of [[ann, 2], [bob, 2], [cat, 0]] as const) {
      p.send({ type: 'ballot', poll: 'transport', key: `b-${choice}-${phones.indexOf(p)}`, value: { choices: [choice] } });
      await p.next('ack');
    }
    await reportWhen(server, (r) => r.reactions.slides['1/0']?.clap === 1 && r.pace.total.fast === 1, 'the reactions and the pace signal');

    await move(on(2));
    await move(on(2, 0, true));
    await move(on(2));
    await move(on(3));
    cat.close();
    live = await reportWhen(server, (r) => r.presence.samples.at(-1)?.audience === 2, 'a phone leaving');
    for (const c of [presenter, ann, bob]) c.close();
  });

  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses the report without the presenter or moderator key, and serves it with either', async () => {
    assert.equal((await fetchReport(server, 'wrong')).status, 401);
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/t/${code}/report.json`)).status, 401);
    assert.equal((await fetchReport(server, server.moderatorKey)).status, 200);
  });

  it('names every slide of the deck with its title', () => {
    assert.deepEqual(
      live.slides.map((s) => [s.key, s.label, s.title]),
      [['0/0', '1', 'Polls'], ['1/0', '2', 'Pick one'], ['2/0', '3', 'Pick several'], ['3/0', '4', 'Words'], ['3/1', '4.2', 'Rate it'], ['4/0', '5', 'Ask']],
    );
  });

  it('times each slide from the deck moves in the log, with the paused stretch apart', () => {
    const store = new SqliteStore(dataDir);
    const moves = store.events(code, 0).filter((e) => e.kind === 'deck');
    store.close();
    assert.equal(moves.length, 5);
    const [toSlide2, toSlide3, pause, resume, toSlide4] = moves.map((m) => m.at) as [number, number, number, number, number];
    assert.equal(live.timeline.slides['1/0']?.ms, toSlide3 - toSlide2);
    assert.equal(live.timeline.slides['2/0']?.ms, pause - toSlide3 + (toSlide4 - resume));
    assert.equal(live.timeline.slides['2/0']?.visits, 1, 'coming back from a pause is not another visit');
    assert.equal(live.timeline.pausedMs, resume - pause);
    assert.ok(live.timeline.slides['1/0']!.ms > 0);
  });

  it('charts the audience: up to three phones, then two after one left', () => {
    assert.equal(live.presence.peak, 3);
    assert.equal(live.presence.samples.at(-1)?.audience, 2);
  });

  it('lists questions on the slide they were asked on, with votes and answered', () => {
    assert.equal(live.questions.total, 2);
    assert.equal(live.questions.answered, 1);
    const [q] = live.questions.slides['1/0'] ?? [];
    assert.deepEqual([q?.text, q?.name, q?.votes, q?.answered], ['Does it work through proxies?', 'Ann', 2, true]);
    assert.equal(live.questions.slides['2/0']?.[0]?.text, 'And on slide three?');
  });

  it('counts reactions and pace signals on the slide that was live', () => {
    assert.deepEqual(live.reactions.slides, { '1/0': { like: 2, clap: 1 } });
    assert.deepEqual(live.pace.slides, { '1/0': { fast: 1, slow: 0 } });
  });

  it('has every poll with its results', () => {
    const transport = live.polls.find((p) => p.id === 'transport');
    assert.equal(transport?.ballots, 3);
    assert.deepEqual(transport?.options.map((o) => o.count), [1, 0, 2]);
    assert.equal(transport?.slide, '1/0');
    assert.deepEqual(live.polls.map((p) => p.id), ['transport', 'tools', 'word', 'rate', 'open']);
  });

  it('puts the same report in the JSON and CSV export', async () => {
    const headers = { authorization: `Bearer ${server.presenterKey}` };
    const json = (await (await fetch(`http://127.0.0.1:${server.port}/export/${code}.json`, { headers })).json()) as { report: TalkReport };
    assert.deepEqual(json.report.questions, live.questions);
    assert.deepEqual(json.report.timeline.slides['1/0'], live.timeline.slides['1/0']);
    const csv = await (await fetch(`http://127.0.0.1:${server.port}/export/${code}.csv`, { headers })).text();
    assert.match(csv, /\r\nslide_time,1\/0,2,Pick one,,\d+(\.\d)?,visits 1,\r\n/);
    assert.match(csv, /\r\nreaction,1\/0,2,like,,2,,\r\n/);
    assert.match(csv, /\r\npace,1\/0,2,fast,,1,,\r\n/);
  });

  it('prints the same report on the command line from the data dir after the server stopped, without starting one', async () => {
    await server.close();
    const cli = (args: string[]) => run(process.execPath, ['bin/livedeck.mjs', 'report', ...args], { cwd: ROOT, timeout: 60_000 });
    const { stdout: jsonOut } = await cli([dataDir, '--json']);
    const stored = JSON.parse(jsonOut) as TalkReport;
    assert.equal(stored.talk.code, code);
    assert.deepEqual(stored.slides, live.slides);
    assert.deepEqual(stored.questions, live.questions);
    assert.deepEqual(stored.reactions, live.reactions);
    assert.deepEqual(stored.pace, live.pace);
    assert.deepEqual(stored.polls, live.polls);
    assert.equal(stored.timeline.slides['1/0']?.ms, live.timeline.slides['1/0']?.ms);
    assert.equal(stored.timeline.pausedMs, live.timeline.pausedMs);
    // The server's stop wrote a last sample: everyone was gone.
    assert.equal(stored.presence.samples.at(-1)?.audience, 0);

    const { stdout: text } = await cli([POLL_DECK, '--data-dir', dataDir]);
    assert.match(text, new RegExp(`^Report: Poll test deck \\(${code}\\)`));
    assert.match(text, /Time per slide\n {2}1 +Polls/);
    assert.match(text, /2 ▲ Does it work through proxies\? \(Ann\) \[answered\]/);
    assert.match(text, /How do your apps talk to the server today\? \(single, open, 3 ballots, slide 2 {2}Pick one\)/);
    assert.doesNotMatch(text, /Audience: http/, 'no server banner');

    await assert.rejects(cli([join(dataDir, 'nothing-here')]), (err: Error & { stderr?: string; code?: number }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr ?? '', /no such deck or data directory/);
      return true;
    });
  });
});
