/**
 * Over a real server and real WebSockets: askers edit and withdraw only their own questions and
 * only while unanswered, nobody upvotes their own question, staff answer in text, and a muted
 * participant's questions and chat are refused (only theirs), kept across a restart.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { PROTOCOL_VERSION, type Role, type ServerMessage } from '../protocol/messages.ts';
import { MUTED_TEXT } from '../protocol/qa-more.ts';
import type { Question } from '../protocol/qa.ts';
import type { RunningServer } from '../server/start.ts';
import { silent, TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const slide = { indexh: 0, indexv: 0, indexf: -1 };
let keys = 0;
const key = () => `k${++keys}-${Date.now()}`;

async function join(server: RunningServer, role: Role, participant?: string): Promise<TestClient> {
  const c = await TestClient.connect(server.port);
  const secret = role === 'presenter' ? server.presenterKey : role === 'moderator' ? server.moderatorKey : undefined;
  c.send({ type: 'hello', v: PROTOCOL_VERSION, role, talk: server.code, ...(secret ? { key: secret } : {}), ...(participant ? { participant } : {}) });
  await c.next('welcome');
  await c.next('qa_snapshot');
  if (role !== 'screen') await c.next('chat_snapshot');
  return c;
}

async function ask(c: TestClient, text: string): Promise<Question> {
  const k = key();
  c.send({ type: 'ask', key: k, text, slide });
  await c.next('ack');
  return (await c.next('question')).question;
}

async function refusal(c: TestClient, ref: string): Promise<Extract<ServerMessage, { type: 'error' }>> {
  for (;;) {
    const error = await c.next('error');
    if (error.ref === ref) return error;
  }
}

describe('editing, withdrawing, answering in text and muting', () => {
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

  it('lets the asker edit their own question, shown to everyone as edited', async () => {
    const alice = track(await join(server, 'audience', 'edit-alice'));
    const bob = track(await join(server, 'audience', 'edit-bob'));
    const presenter = track(await join(server, 'presenter'));
    const q = await ask(alice, 'What is a WebSockt?');
    await bob.next('question');
    await presenter.next('question');
    const k = key();
    alice.send({ type: 'edit_question', key: k, question: q.id, text: '  What is a WebSocket?  ' });
    const ack = await alice.next('ack');
    assert.equal(ack.key, k);
    const seen = await bob.next('question');
    assert.equal(seen.question.text, 'What is a WebSocket?');
    assert.equal(seen.question.edited, true);
    assert.equal(seen.seq, ack.seq);
    assert.equal((await presenter.next('question')).question.text, 'What is a WebSocket?');
  });

  it("refuses to edit or withdraw someone else's question, and changes nothing", async () => {
    const alice = track(await join(server, 'audience', 'other-alice'));
    const mallory = track(await join(server, 'audience', 'other-mallory'));
    const q = await ask(alice, 'Mine, not yours');
    await mallory.next('question');
    const k1 = key();
    mallory.send({ type: 'edit_question', key: k1, question: q.id, text: 'Hijacked' });
    const e1 = await refusal(mallory, 'edit_question');
    assert.equal(e1.code, 'not_yours');
    assert.equal(e1.key, k1);
    mallory.send({ type: 'withdraw_question', key: key(), question: q.id });
    assert.equal((await refusal(mallory, 'withdraw_question')).code, 'not_yours');
    // Staff cannot edit either: only the asker's own phone may.
    const presenter = track(await join(server, 'presenter'));
    presenter.send({ type: 'edit_question', key: key(), question: q.id, text: 'Staff edit' });
    assert.equal((await refusal(presenter, 'edit_question')).code, 'forbidden');
    assert.ok(await silent(alice, 'question'), 'nobody heard of a change');
    const check = track(await TestClient.connect(server.port));
    check.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant: 'other-check' });
    const snapshot = await check.next('qa_snapshot');
    assert.equal(snapshot.questions.find((x) => x.id === q.id)?.text, 'Mine, not yours');
  });

  it('lets the asker withdraw an unanswered question: it leaves every screen', async () => {
    const alice = track(await join(server, 'audience', 'withdraw-alice'));
    const bob = track(await join(server, 'audience', 'withdraw-bob'));
    const q = await ask(alice, 'Never mind');
    await bob.next('question');
    alice.send({ type: 'withdraw_question', key: key(), question: q.id });
    await alice.next('ack');
    assert.equal((await bob.next('question_removed')).id, q.id);
    alice.send({ type: 'edit_question', key: key(), question: q.id, text: 'Back?' });
    assert.equal((await refusal(alice, 'edit_question')).code, 'not_found');
  });

  it('refuses edit and withdraw once the question is answered, in text or marked answered', async () => {
    const alice = track(await join(server, 'audience', 'answered-alice'));
    const presenter = track(await join(server, 'presenter'));
    const moderator = track(await join(server, 'moderator'));
    const inText = await ask(alice, 'Answered in text?');
    const marked = await ask(alice, 'Marked answered?');
    presenter.send({ type: 'answer_question', question: inText.id, text: 'Yes, right here.' });
    presenter.send({ type: 'moderate', question: marked.id, action: 'answer' });
    while ((await alice.next('question')).question.id !== marked.id);
    for (const q of [inText, marked]) {
      alice.send({ type: 'edit_question', key: key(), question: q.id, text: 'Changed after the answer' });
      assert.equal((await refusal(alice, 'edit_question')).code, 'already_answered');
      alice.send({ type: 'withdraw_question', key: key(), question: q.id });
      assert.equal((await refusal(alice, 'withdraw_question')).code, 'already_answered');
    }
    assert.ok(moderator);
  });

  it('refuses an upvote of your own question, but counts it from anyone else', async () => {
    const alice = track(await join(server, 'audience', 'self-alice'));
    const bob = track(await join(server, 'audience', 'self-bob'));
    const q = await ask(alice, 'Vote for me?');
    await bob.next('question');
    const k = key();
    alice.send({ type: 'upvote', key: k, question: q.id, on: true });
    const error = await refusal(alice, 'upvote');
    assert.equal(error.code, 'own_question');
    assert.equal(error.key, k);
    assert.match(error.message, /your own question/);
    assert.ok(await silent(bob, 'question'), 'the refused vote reached nobody');
    bob.send({ type: 'upvote', key: key(), question: q.id, on: true });
    await bob.next('ack');
    assert.equal((await alice.next('question')).question.votes, 1);
  });

  it('shows an answer in text from the presenter and from a moderator to phones and staff, and refuses it from the audience', async () => {
    const alice = track(await join(server, 'audience', 'answer-alice'));
    const bob = track(await join(server, 'audience', 'answer-bob'));
    const presenter = track(await join(server, 'presenter'));
    const moderator = track(await join(server, 'moderator'));
    const q = await ask(alice, 'Does it work behind proxies?');
    await bob.next('question');
    await moderator.next('question');
    await presenter.next('question');
    presenter.send({ type: 'answer_question', question: q.id, text: 'Yes, <b>if</b> they pass Upgrade.' });
    const onPhone = (await bob.next('question')).question;
    assert.equal(onPhone.answer?.text, 'Yes, <b>if</b> they pass Upgrade.', 'kept as text, never as markup');
    assert.equal((await moderator.next('question')).question.answer?.text, 'Yes, <b>if</b> they pass Upgrade.');
    moderator.send({ type: 'answer_question', question: q.id, text: 'Yes, if they pass the Upgrade header.' });
    assert.equal((await bob.next('question')).question.answer?.text, 'Yes, if they pass the Upgrade header.');
    assert.equal((await presenter.next('question')).question.answer?.text, 'Yes, <b>if</b> they pass Upgrade.');
    assert.equal((await presenter.next('question')).question.answer?.text, 'Yes, if they pass the Upgrade header.');
    bob.send({ type: 'answer_question', question: q.id, text: 'I know!' });
    assert.equal((await refusal(bob, 'answer_question')).code, 'forbidden');
    const late = track(await TestClient.connect(server.port));
    late.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'screen', talk: server.code });
    const snap = await late.next('qa_snapshot');
    assert.equal(snap.questions.find((x) => x.id === q.id)?.answer?.text, 'Yes, if they pass the Upgrade header.');
    assert.equal(snap.questions.find((x) => x.id === q.id)?.author, undefined, 'only staff see the handle');
  });

  it("mutes one participant's questions and chat only, tells that phone in words, and unmutes", async () => {
    const loud = track(await join(server, 'audience', 'mute-loud'));
    const other = track(await join(server, 'audience', 'mute-other'));
    const moderator = track(await join(server, 'moderator'));
    const q = await ask(loud, 'Buy my product!');
    const handle = (await moderator.next('question')).question.author;
    assert.ok(handle && !handle.includes('mute-loud'), 'staff get a handle, not the participant id');
    moderator.send({ type: 'mute', author: handle, on: true });
    const told = await loud.next('muted');
    assert.equal(told.muted, true);
    assert.equal(told.message, MUTED_TEXT);
    assert.deepEqual((await moderator.next('mutes')).authors, [handle]);

    const k = key();
    loud.send({ type: 'ask', key: k, text: 'Again!', slide });
    const refused = await refusal(loud, 'ask');
    assert.equal(refused.code, 'muted');
    assert.equal(refused.key, k);
    assert.equal(refused.message, MUTED_TEXT);
    loud.send({ type: 'chat', key: key(), text: 'spam' });
    assert.equal((await refusal(loud, 'chat')).code, 'muted');
    loud.send({ type: 'edit_question', key: key(), question: q.id, text: 'edited spam' });
    assert.equal((await refusal(loud, 'edit_question')).code, 'muted');
    assert.ok(await silent(moderator, 'chat_line'), 'nothing from the muted phone reached anyone');

    other.send({ type: 'chat', key: key(), text: 'still here' });
    await other.next('ack');
    assert.equal((await moderator.next('chat_line')).line.text, 'still here');

    // A muted phone that reconnects is told again.
    const again = track(await join(server, 'audience', 'mute-loud'));
    assert.equal((await again.next('muted')).muted, true);

    const audienceMute = track(await join(server, 'audience', 'mute-rebel'));
    audienceMute.send({ type: 'mute', author: handle, on: false });
    assert.equal((await refusal(audienceMute, 'mute')).code, 'forbidden');

    moderator.send({ type: 'mute', author: handle, on: false });
    assert.equal((await loud.next('muted')).muted, false);
    loud.send({ type: 'chat', key: key(), text: 'sorry' });
    await loud.next('ack');
  });

  it('refuses to mute a handle nobody has', async () => {
    const presenter = track(await join(server, 'presenter'));
    presenter.send({ type: 'mute', author: 'pnobody', on: true });
    assert.equal((await refusal(presenter, 'mute')).code, 'not_found');
  });
});

describe('answers and mutes after a restart', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(joinPath(tmpdir(), 'livedeck-mute-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the answer in text, the edit and the mute in the log, and in the export', async () => {
    const first = await startTestServer({ dataDir: dir });
    const loud = await join(first, 'audience', 'restart-loud');
    const q = await ask(loud, 'Kept?');
    loud.send({ type: 'edit_question', key: key(), question: q.id, text: 'Kept after a restart?' });
    await loud.next('ack');
    const presenter = await TestClient.connect(first.port);
    presenter.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'presenter', talk: first.code, key: first.presenterKey });
    const handle = (await presenter.next('qa_snapshot')).questions.find((x) => x.id === q.id)!.author!;
    presenter.send({ type: 'answer_question', question: q.id, text: 'Yes: it is in the log.' });
    presenter.send({ type: 'mute', author: handle, on: true });
    await loud.next('muted');
    loud.close();
    presenter.close();
    await first.close();

    const second = await startTestServer({ dataDir: dir });
    try {
      assert.equal(second.code, first.code);
      const back = await TestClient.connect(second.port);
      back.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: second.code, participant: 'restart-loud' });
      const snap = await back.next('qa_snapshot');
      const kept = snap.questions.find((x) => x.id === q.id);
      assert.equal(kept?.text, 'Kept after a restart?');
      assert.equal(kept?.edited, true);
      assert.equal(kept?.answer?.text, 'Yes: it is in the log.');
      assert.equal((await back.next('muted')).muted, true);
      back.send({ type: 'chat', key: key(), text: 'after restart' });
      assert.equal((await refusal(back, 'chat')).code, 'muted');
      back.close();
      const other = await join(second, 'audience', 'restart-other');
      other.send({ type: 'chat', key: key(), text: 'others still chat' });
      await other.next('ack');
      other.close();

      const res = await fetch(`http://127.0.0.1:${second.port}/export/${second.code}.json`, { headers: { authorization: `Bearer ${second.presenterKey}` } });
      const data = (await res.json()) as { questions: { id: string; answer: { text: string } | null; edited: boolean; author: string }[]; muted: { author: string }[] };
      const exported = data.questions.find((x) => x.id === q.id);
      assert.equal(exported?.answer?.text, 'Yes: it is in the log.');
      assert.equal(exported?.edited, true);
      assert.deepEqual(data.muted.map((m) => m.author), [handle]);
      assert.equal(exported?.author, handle);
      const csv = await (await fetch(`http://127.0.0.1:${second.port}/export/${second.code}.csv`, { headers: { authorization: `Bearer ${second.presenterKey}` } })).text();
      assert.match(csv, new RegExp(`\\r\\nanswer,${q.id},1,Yes: it is in the log\\.,`));
      assert.match(csv, new RegExp(`\\r\\nmuted,${handle},,,,,muted,`));
    } finally {
      await second.close();
    }
  });
});
