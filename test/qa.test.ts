import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, type Role, type ServerMessage } from '../protocol/messages.ts';
import type { Question } from '../protocol/qa.ts';
import { MemoryStore } from '../server/store/memory.ts';
import type { RunningServer } from '../server/start.ts';
import { silent, TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const slide = (indexh: number, indexv = 0, indexf = -1) => ({ indexh, indexv, indexf });
let keys = 0;
const key = () => `k${++keys}-${Date.now()}`;

/** Joins with a participant id (phones) or a key (staff); resolves after the snapshots. */
async function join(server: RunningServer, role: Role, participant?: string): Promise<TestClient> {
  const c = await TestClient.connect(server.port);
  const secret = role === 'presenter' ? server.presenterKey : role === 'moderator' ? server.moderatorKey : undefined;
  c.send({ type: 'hello', v: PROTOCOL_VERSION, role, talk: server.code, ...(secret ? { key: secret } : {}), ...(participant ? { participant } : {}) });
  await c.next('welcome');
  await c.next('qa_snapshot');
  if (role !== 'screen') await c.next('chat_snapshot');
  return c;
}

async function ask(c: TestClient, text: string, at = slide(0)): Promise<{ question: Question; seq: number }> {
  const k = key();
  c.send({ type: 'ask', key: k, text, slide: at });
  const ack = await c.next('ack');
  assert.equal(ack.key, k);
  const msg = await c.next('question');
  return { question: msg.question, seq: ack.seq };
}

describe('questions and chat over a real server', () => {
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

  it('delivers a question to everyone with its slide, and acks the asker after storing it', async () => {
    const presenter = track(await join(server, 'presenter'));
    const alice = track(await join(server, 'audience', 'alice-0001'));
    const bob = track(await join(server, 'audience', 'bob-00001'));
    const k = key();
    alice.send({ type: 'ask', key: k, text: '  What about proxies?  ', name: 'Alice', slide: slide(2, 1, 0) });
    const staffView = (await presenter.next('question')).question;
    assert.equal(staffView.text, 'What about proxies?');
    assert.deepEqual(staffView.slide, slide(2, 1, 0));
    assert.equal(staffView.name, 'Alice');
    const own = (await alice.next('question')).question;
    assert.equal(own.mine, true);
    const ack = await alice.next('ack');
    assert.equal(ack.key, k);
    assert.ok(ack.seq > 0);
    const pub = await bob.next('question');
    assert.equal(pub.seq, ack.seq, 'the broadcast carries the stored event seq');
    assert.equal(pub.question.mine, undefined, 'nobody else learns who asked');
  });

  it('stores a resend with the same key once and acknowledges it again', async () => {
    const phone = track(await join(server, 'audience', 'resender-1'));
    const presenter = track(await join(server, 'presenter'));
    const k = key();
    const msg = { type: 'ask', key: k, text: 'Sent twice?', slide: slide(0) } as const;
    phone.send(msg);
    const first = await phone.next('ack');
    phone.send(msg);
    const second = await phone.next('ack');
    assert.equal(second.seq, first.seq);
    await presenter.next('question');
    assert.ok(await silent(presenter, 'question'), 'the duplicate is not broadcast');
    const late = track(await TestClient.connect(server.port));
    late.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'presenter', talk: server.code, key: server.presenterKey });
    await late.next('welcome');
    const snapshot = await late.next('qa_snapshot');
    assert.equal(snapshot.questions.filter((q) => q.text === 'Sent twice?').length, 1);
  });

  it('counts one upvote per participant, lets it be taken back, and orders by votes', async () => {
    const asker = track(await join(server, 'audience', 'voter-asker'));
    const { question: a } = await ask(asker, 'Question A');
    const { question: b } = await ask(asker, 'Question B');
    const voters = await Promise.all(['voter-1', 'voter-2', 'voter-3'].map((p) => join(server, 'audience', p)));
    voters.forEach(track);
    for (const v of voters) {
      v.send({ type: 'upvote', key: key(), question: b.id, on: true });
      await v.next('ack');
    }
    voters[0]!.send({ type: 'upvote', key: key(), question: a.id, on: true });
    await voters[0]!.next('ack');
    // A second upvote by the same person changes nothing; taking it back does.
    voters[1]!.send({ type: 'upvote', key: key(), question: b.id, on: true });
    await voters[1]!.next('ack');
    voters[2]!.send({ type: 'upvote', key: key(), question: b.id, on: false });
    await voters[2]!.next('ack');
    const observer = track(await TestClient.connect(server.port));
    observer.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant: 'voter-1' });
    await observer.next('welcome');
    const snap = await observer.next('qa_snapshot');
    const votes = Object.fromEntries(snap.questions.map((q) => [q.id, q]));
    assert.equal(votes[b.id]!.votes, 2);
    assert.equal(votes[a.id]!.votes, 1);
    assert.equal(votes[b.id]!.voted, true, 'the snapshot tells a participant what they upvoted');
  });

  it('keeps approve-first questions from the audience until approved, and tells the asker', async () => {
    const presenter = track(await join(server, 'presenter'));
    presenter.send({ type: 'qa_mode', approveFirst: true });
    assert.equal((await presenter.next('qa_state')).approveFirst, true);
    const asker = track(await join(server, 'audience', 'pending-asker'));
    const other = track(await join(server, 'audience', 'pending-other'));
    const { question } = await ask(asker, 'Needs review');
    assert.equal(question.state, 'pending');
    assert.equal((await presenter.next('question')).question.state, 'pending');
    assert.ok(await silent(other, 'question'), 'the audience does not see a pending question');
    presenter.send({ type: 'moderate', question: question.id, action: 'approve' });
    assert.equal((await other.next('question')).question.state, 'visible');
    const mine = (await asker.next('question')).question;
    assert.equal(mine.state, 'visible');
    assert.equal(mine.mine, true);
    presenter.send({ type: 'moderate', question: question.id, action: 'answer' });
    assert.equal((await asker.next('question')).question.state, 'answered', 'the asker hears it was answered');
    presenter.send({ type: 'qa_mode', approveFirst: false });
    await presenter.next('qa_state');
  });

  it('never sends hidden questions to the audience, but shows the asker their state', async () => {
    const moderator = track(await join(server, 'moderator'));
    const asker = track(await join(server, 'audience', 'hidden-asker'));
    const other = track(await join(server, 'audience', 'hidden-other'));
    const { question } = await ask(asker, 'Rude question');
    await other.next('question');
    moderator.send({ type: 'moderate', question: question.id, action: 'hide' });
    assert.equal((await other.next('question_removed')).id, question.id);
    assert.equal((await asker.next('question')).question.state, 'hidden');
    const late = track(await TestClient.connect(server.port));
    late.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant: 'hidden-late' });
    await late.next('welcome');
    const snap = await late.next('qa_snapshot');
    assert.equal(snap.questions.some((q) => q.id === question.id), false);
  });

  it('highlights a question for everyone, including the screen', async () => {
    const presenter = track(await join(server, 'presenter'));
    const screen = track(await join(server, 'screen'));
    const phone = track(await join(server, 'audience', 'highlight-asker'));
    const { question } = await ask(phone, 'Show me on screen');
    presenter.send({ type: 'moderate', question: question.id, action: 'highlight' });
    assert.equal((await screen.next('qa_state')).highlight, question.id);
    presenter.send({ type: 'moderate', question: question.id, action: 'answer' });
    assert.equal((await screen.next('qa_state')).highlight, null, 'answering ends the highlight');
  });

  it('lets a moderator moderate but not move slides', async () => {
    const moderator = track(await join(server, 'moderator'));
    moderator.send({ type: 'goto', state: { indexh: 1, indexv: 0, indexf: -1, paused: false, overview: false } });
    const error = await moderator.next('error');
    assert.equal(error.code, 'forbidden');
    assert.equal(error.ref, 'goto');
    const wrong = await TestClient.connect(server.port);
    wrong.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'moderator', talk: server.code, key: server.presenterKey.slice(1) + 'x' });
    assert.equal((await wrong.next('error')).code, 'bad_key');
    assert.equal(await wrong.waitClose(), 4003);
  });

  it('refuses moderation from the audience and questions from staff', async () => {
    const phone = track(await join(server, 'audience', 'sneaky-1'));
    const { question } = await ask(phone, 'Mine');
    phone.send({ type: 'moderate', question: question.id, action: 'delete' });
    assert.equal((await phone.next('error')).code, 'forbidden');
    phone.send({ type: 'qa_mode', approveFirst: true });
    assert.equal((await phone.next('error')).code, 'forbidden');
    phone.send({ type: 'chat_delete', id: 'c1' });
    assert.equal((await phone.next('error')).code, 'forbidden');
    const presenter = track(await join(server, 'presenter'));
    const k = key();
    presenter.send({ type: 'ask', key: k, text: 'staff?', slide: slide(0) });
    const err = await presenter.next('error');
    assert.equal(err.code, 'forbidden');
    assert.equal(err.key, k, 'the refusal names the key so the outbox can let go');
  });

  it('enforces length limits and the question rate limit with a clear message', async () => {
    const phone = track(await join(server, 'audience', 'limited-1'));
    phone.send({ type: 'ask', key: key(), text: 'x'.repeat(281), slide: slide(0) });
    const long = await phone.next('error');
    assert.equal(long.code, 'text_too_long');
    assert.match(long.message, /280 characters/);
    phone.send({ type: 'ask', key: key(), text: '😀'.repeat(280), slide: slide(0) });
    await phone.next('ack');
    phone.send({ type: 'ask', key: key(), text: 'ok', name: 'n'.repeat(41), slide: slide(0) });
    assert.match((await phone.next('error')).message, /name may be at most 40/);
    phone.send({ type: 'ask', key: key(), text: '   ', slide: slide(0) });
    assert.equal((await phone.next('error')).code, 'empty_text');
    phone.send({ type: 'ask', key: key(), text: 'q2', slide: slide(0) });
    await phone.next('ack');
    phone.send({ type: 'ask', key: key(), text: 'q3', slide: slide(0) });
    await phone.next('ack');
    const k = key();
    phone.send({ type: 'ask', key: k, text: 'q4', slide: slide(0) });
    const limited = await phone.next('error');
    assert.equal(limited.code, 'rate_limited');
    assert.equal(limited.key, k);
    assert.match(limited.message, /You can ask 3 questions in a minute\. Try again in \d+ s\./);
    phone.send({ type: 'ask', key: key(), text: 'q', slide: slide(99) });
    assert.equal((await phone.next('error')).code, 'out_of_range');
  });

  it('carries chat to the audience and staff (not the screen), with delete and a rate limit', async () => {
    const moderator = track(await join(server, 'moderator'));
    const screen = track(await join(server, 'screen'));
    const a = track(await join(server, 'audience', 'chatter-1'));
    const b = track(await join(server, 'audience', 'chatter-2'));
    a.send({ type: 'chat', key: key(), text: 'Hello room', name: 'Ann' });
    const own = await a.next('chat_line');
    assert.equal(own.line.mine, true);
    await a.next('ack');
    const seen = await b.next('chat_line');
    assert.equal(seen.line.text, 'Hello room');
    assert.equal(seen.line.mine, undefined);
    assert.equal((await moderator.next('chat_line')).line.name, 'Ann');
    assert.ok(await silent(screen, 'chat_line'));
    moderator.send({ type: 'chat_delete', id: seen.line.id });
    assert.equal((await b.next('chat_removed')).id, seen.line.id);
    for (let i = 0; i < 9; i++) a.send({ type: 'chat', key: key(), text: `line ${i}` });
    for (let i = 0; i < 9; i++) await a.next('ack');
    a.send({ type: 'chat', key: key(), text: 'one too many' });
    const limited = await a.next('error');
    assert.equal(limited.code, 'rate_limited');
    assert.match(limited.message, /10 messages in 30 seconds/);
  });

  it('gives each joiner their own marks in the snapshots, even when newcomers joined at the same seq', async () => {
    const asker = track(await join(server, 'audience', 'snap-asker'));
    const { question } = await ask(asker, 'Will the snapshot know me?');
    const voter = track(await join(server, 'audience', 'snap-voter'));
    voter.send({ type: 'upvote', key: key(), question: question.id, on: true });
    await voter.next('ack');
    asker.send({ type: 'chat', key: key(), text: 'mine, this line' });
    await asker.next('ack');
    await new Promise((r) => setTimeout(r, 50));
    // Nothing changes from here on: all of these join at one seq. Newcomers go first, so a
    // shared snapshot exists before the asker and the voter come back.
    const snapshotsOf = async (role: Role, participant?: string) => {
      const c = track(await TestClient.connect(server.port));
      const secret = role === 'moderator' ? server.moderatorKey : undefined;
      c.send({ type: 'hello', v: PROTOCOL_VERSION, role, talk: server.code, ...(secret ? { key: secret } : {}), ...(participant ? { participant } : {}) });
      const welcome = await c.next('welcome');
      const qa = await c.next('qa_snapshot');
      const chat = role === 'screen' ? null : await c.next('chat_snapshot');
      return { seq: welcome.seq, question: qa.questions.find((q) => q.id === question.id), line: chat?.lines.find((l) => l.text === 'mine, this line') };
    };
    const first = await snapshotsOf('audience', 'snap-newcomer-1');
    const second = await snapshotsOf('audience', 'snap-newcomer-2');
    const askerAgain = await snapshotsOf('audience', 'snap-asker');
    const voterAgain = await snapshotsOf('audience', 'snap-voter');
    const third = await snapshotsOf('audience', 'snap-newcomer-3');
    const moderator = await snapshotsOf('moderator');
    const screen = await snapshotsOf('screen');
    assert.deepEqual(new Set([first, second, askerAgain, voterAgain, third, moderator, screen].map((j) => j.seq)).size, 1, 'all joined at one seq');
    for (const newcomer of [first, second, third]) {
      assert.deepEqual({ mine: newcomer.question?.mine, voted: newcomer.question?.voted, votes: newcomer.question?.votes }, { mine: undefined, voted: false, votes: 1 });
      assert.equal(newcomer.line?.mine, undefined);
    }
    assert.deepEqual({ mine: askerAgain.question?.mine, voted: askerAgain.question?.voted }, { mine: true, voted: false });
    assert.equal(askerAgain.line?.mine, true, 'the asker\'s chat line is still theirs');
    assert.deepEqual({ mine: voterAgain.question?.mine, voted: voterAgain.question?.voted }, { mine: undefined, voted: true });
    assert.equal(voterAgain.line?.mine, undefined);
    assert.deepEqual({ mine: moderator.question?.mine, voted: moderator.question?.voted, votes: moderator.question?.votes }, { mine: undefined, voted: undefined, votes: 1 });
    assert.deepEqual({ voted: screen.question?.voted, line: screen.line }, { voted: undefined, line: undefined });
  });

  it('refuses writes from a connection without a participant id', async () => {
    const anon = track(await join(server, 'audience'));
    anon.send({ type: 'chat', key: key(), text: 'hi' });
    assert.equal((await anon.next('error')).code, 'no_participant');
  });
});

describe('export', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
    const phone = await join(server, 'audience', 'export-1');
    phone.send({ type: 'ask', key: 'e1', text: '=HYPERLINK("x") "quoted", ok?', name: 'Zoë', slide: slide(2, 1) });
    await phone.next('ack');
    phone.send({ type: 'chat', key: 'e2', text: 'line one\nline two' });
    await phone.next('ack');
    // A poll made live from the console, with a formula-looking option, and one ballot in it.
    const presenter = await join(server, 'presenter');
    presenter.send({ type: 'createPoll', key: 'e3', poll: { type: 'single', question: 'Ship it?', options: ['Yes', '=1+1'], results: 'closed' }, openNow: true });
    const created = await presenter.next('poll');
    phone.send({ type: 'ballot', key: 'e4', poll: created.view.poll.id, value: { choices: [1] } });
    await phone.next('ack');
    presenter.close();
    phone.close();
  });
  after(async () => {
    await server.close();
  });

  const url = (ext: string) => `http://127.0.0.1:${server.port}/export/${server.code}.${ext}`;

  it('refuses without the key, with a wrong key, and with the key in the query string', async () => {
    assert.equal((await fetch(url('json'))).status, 401);
    assert.equal((await fetch(url('json'), { headers: { authorization: 'Bearer nope' } })).status, 401);
    assert.equal((await fetch(`${url('json')}?key=${server.presenterKey}`)).status, 401);
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/export/XXXXXX.json`, { headers: { authorization: `Bearer ${server.presenterKey}` } })).status, 404);
  });

  it('gives the presenter and the moderator questions (slide, votes, state) and chat as JSON', async () => {
    for (const secret of [server.presenterKey, server.moderatorKey]) {
      const res = await fetch(url('json'), { headers: { authorization: `Bearer ${secret}` } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-disposition') ?? '', /attachment/);
      const body = (await res.json()) as { questions: Array<{ slide: { label: string }; votes: number; state: string; name: string }>; chat: Array<{ text: string }> };
      assert.equal(body.questions[0]!.slide.label, '3.2');
      assert.equal(body.questions[0]!.votes, 0);
      assert.equal(body.questions[0]!.state, 'visible');
      assert.equal(body.questions[0]!.name, 'Zoë');
      assert.equal(body.chat[0]!.text, 'line one\nline two');
    }
  });

  it('includes the polls with their results, even those hidden from the audience until closed', async () => {
    const res = await fetch(url('json'), { headers: { authorization: `Bearer ${server.presenterKey}` } });
    const { polls } = (await res.json()) as { polls: Array<Record<string, unknown>> };
    assert.deepEqual(polls, [
      {
        id: 'live-1',
        question: 'Ship it?',
        type: 'single',
        state: 'open',
        results: 'closed',
        slide: null,
        ballots: 1,
        options: [
          { text: 'Yes', count: 0 },
          { text: '=1+1', count: 1 },
        ],
        words: [],
        answers: [],
      },
    ]);
  });

  it('writes CSV with quoting and defuses spreadsheet formulas', async () => {
    const res = await fetch(url('csv'), { headers: { authorization: `Bearer ${server.moderatorKey}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
    const text = (await res.text()).replace(/^\uFEFF/, '');
    const lines = text.split('\r\n');
    assert.equal(lines[0], 'kind,id,slide,text,name,votes,state,at');
    assert.match(lines[1]!, /^question,q-[\w-]+,3\.2,"'=HYPERLINK\(""x""\) ""quoted"", ok\?",Zoë,0,visible,\d{4}-/);
    assert.match(text, /chat,c-[\w-]+,,"line one\nline two",,,,/);
    assert.match(text, /\r\npoll,live-1,,Ship it\?,,1,open,\r\npoll_option,live-1,,Yes,,0,,\r\npoll_option,live-1,,'=1\+1,,1,,\r\n/);
  });
});

describe('durability of questions and chat', () => {
  it('rebuilds questions, votes, moderation and chat from the log after a restart', async () => {
    const store = new MemoryStore();
    const keep = { code: 'DUR234', presenterKey: 'p'.repeat(43), moderatorKey: 'm'.repeat(43) };
    const first = await startTestServer({ store: wrap(store), ...keep });
    const phone = await join(first, 'audience', 'durable-1');
    const { question } = await ask(phone, 'Still here after a restart?', slide(1));
    const voter = await join(first, 'audience', 'durable-2');
    voter.send({ type: 'upvote', key: 'v1', question: question.id, on: true });
    await voter.next('ack');
    const presenter = await join(first, 'presenter');
    presenter.send({ type: 'moderate', question: question.id, action: 'highlight' });
    await presenter.next('qa_state');
    phone.send({ type: 'chat', key: 'c1', text: 'persisted chat' });
    await phone.next('ack');
    for (const c of [phone, voter, presenter]) c.close();
    await first.close();

    const second = await startTestServer({ store, ...keep });
    const back = await TestClient.connect(second.port);
    back.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: keep.code, participant: 'durable-2' });
    await back.next('welcome');
    const snap = await back.next('qa_snapshot');
    const q = snap.questions.find((x) => x.id === question.id);
    assert.equal(q?.votes, 1);
    assert.equal(q?.voted, true);
    assert.equal(snap.highlight, question.id);
    const chat = await back.next('chat_snapshot');
    assert.equal(chat.lines.at(-1)?.text, 'persisted chat');
    // A resend of an already stored key after the restart is acknowledged, not stored again.
    back.send({ type: 'upvote', key: 'v1', question: question.id, on: true });
    assert.ok((await back.next('ack')).seq > 0);
    back.close();
    await second.close();
  });
});

/** The first server's close() closes its store; keep the log for the second one. */
function wrap(store: MemoryStore): MemoryStore {
  return Object.assign(Object.create(store) as MemoryStore, { close: () => undefined });
}
