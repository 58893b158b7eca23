import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, type Role, type ServerMessage } from '../protocol/messages.ts';
import type { Question } from '../protocol/qa.ts';
import { QA_COALESCE_MIN_AUDIENCE } from '../server/features/qa/public-votes.ts';
import type { RunningServer } from '../server/start.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

/** Joins and waits for the snapshots, so later messages are the ones under test. */
async function join(server: RunningServer, role: Role, participant?: string): Promise<TestClient> {
  const c = await TestClient.connect(server.port);
  const key = role === 'presenter' ? server.presenterKey : undefined;
  c.send({ type: 'hello', v: PROTOCOL_VERSION, role, talk: server.code, ...(key ? { key } : {}), ...(participant ? { participant } : {}) });
  await c.next('welcome');
  await c.next('qa_snapshot');
  if (role !== 'screen') await c.next('chat_snapshot', 10_000);
  return c;
}

const questionsAbout = (c: TestClient, id: string): Question[] =>
  c.messages.flatMap((m: ServerMessage) => (m.type === 'question' && m.question.id === id ? [m.question] : []));

/** The id of the first question the client has seen (with this text), once it has one. */
async function firstQuestion(c: TestClient, text = 'Will it scale?'): Promise<string> {
  let id: string | undefined;
  await until(() => {
    const m = c.messages.find((m) => m.type === 'question' && m.question.text === text);
    id = m?.type === 'question' ? m.question.id : undefined;
    return id !== undefined;
  }, 'the asker sees their question');
  return id!;
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('upvotes in a large room', () => {
  const PHONES = QA_COALESCE_MIN_AUDIENCE + 20;
  const VOTERS = 150;
  let server: RunningServer;
  const phones: TestClient[] = [];
  let presenter: TestClient;
  let screen: TestClient;

  before(async () => {
    server = await startTestServer();
    presenter = await join(server, 'presenter');
    screen = await join(server, 'screen');
    for (let i = 0; i < PHONES; i += 50) {
      const batch = Array.from({ length: Math.min(50, PHONES - i) }, (_, j) => join(server, 'audience', `phone-${String(i + j).padStart(4, '0')}`));
      phones.push(...(await Promise.all(batch)));
    }
  });

  after(async () => {
    for (const c of [presenter, screen, ...phones]) c?.close();
    await server.close();
  });

  it(`reaches ${QA_COALESCE_MIN_AUDIENCE}+ phones as a few count updates, while voters, the asker and staff hear at once`, async () => {
    const [asker, ...others] = phones;
    asker!.send({ type: 'ask', key: 'ask-1', text: 'Will it scale?', slide: { indexh: 0, indexv: 0, indexf: -1 } });
    await asker!.next('ack', 5000);
    const id = await firstQuestion(asker!);
    await until(() => phones.every((p) => questionsAbout(p, id).length === 1), 'everyone sees the new question');
    for (const c of [presenter, screen, ...phones]) c.messages.length = 0;

    const voters = others.slice(0, VOTERS);
    for (const [i, voter] of voters.entries()) voter.send({ type: 'upvote', key: `vote-${i}`, question: id, on: true });

    // Each voter's own view arrives with their vote counted and marked as theirs.
    for (const voter of voters) {
      await until(() => questionsAbout(voter, id).some((q) => q.voted === true), 'a voter sees their vote');
    }
    // Staff see every vote as it happens.
    await until(() => questionsAbout(presenter, id).length === VOTERS, 'the presenter hears each vote');
    assert.deepEqual(
      questionsAbout(presenter, id).map((q) => q.votes),
      Array.from({ length: VOTERS }, (_, i) => i + 1),
    );
    // Everyone ends on the full count, the asker still seeing the question as theirs.
    const bystanders = others.slice(VOTERS);
    const final = (c: TestClient) => questionsAbout(c, id).at(-1)?.votes === VOTERS;
    await until(() => [screen, asker!, ...voters, ...bystanders].every(final), 'the final count reaches every phone and the screen');
    // The asker's own view follows the public count in the same flush (same seq): wait for it too,
    // rather than reading between the two frames.
    await until(() => questionsAbout(asker!, id).at(-1)?.mine === true, 'the asker ends on their own view');
    assert.equal(questionsAbout(asker!, id).at(-1)!.votes, VOTERS);
    // A coalesced count replaces the whole question: each voter's copy still says it is voted.
    const unmarked = voters.filter((v) => questionsAbout(v, id).at(-1)?.voted !== true).length;
    assert.equal(unmarked, 0, `${unmarked} of ${VOTERS} voters lost their voted mark`);
    assert.ok(bystanders.every((c) => questionsAbout(c, id).at(-1)?.voted !== true), 'no bystander sees a vote as theirs');

    // ...in a handful of messages, not one per vote.
    const perBystander = bystanders.map((c) => questionsAbout(c, id).length);
    assert.ok(Math.max(...perBystander) <= 10, `a bystander got ${Math.max(...perBystander)} updates for ${VOTERS} votes`);
    assert.ok(questionsAbout(screen, id).length <= 10, `the screen got ${questionsAbout(screen, id).length} updates`);
    // Seqs never go backwards on any phone, so the client model keeps every update.
    for (const c of [screen, ...phones]) {
      const seqs = c.messages.flatMap((m) => ('seq' in m && typeof m.seq === 'number' ? [m.seq] : []));
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    }
  });

  it('keeps every question of one asker marked as theirs when several counts move in one flush', async () => {
    const asker = phones[2]!;
    const ids: string[] = [];
    asker.messages.length = 0;
    for (const [i, text] of ['First of two', 'Second of two'].entries()) {
      asker.send({ type: 'ask', key: `two-${i}`, text, slide: { indexh: 0, indexv: 0, indexf: -1 } });
      await asker.next('ack', 5000);
      ids.push(await firstQuestion(asker, text));
    }
    const [voterA, voterB] = phones.slice(3, 5);
    asker.messages.length = 0;
    voterA!.send({ type: 'upvote', key: 'two-a', question: ids[0]!, on: true });
    voterB!.send({ type: 'upvote', key: 'two-b', question: ids[1]!, on: true });
    const bystander = phones[10]!;
    await until(() => ids.every((id) => questionsAbout(bystander, id).at(-1)?.votes === 1), 'both counts reach the room');
    await new Promise((r) => setTimeout(r, 100));
    for (const id of ids) assert.equal(questionsAbout(asker, id).at(-1)?.mine, true, `${id} is still the asker's`);
  });

  it('sends a hidden question away at once, and no later count brings it back', async () => {
    const [asker, voter] = phones.slice(-2);
    asker!.send({ type: 'ask', key: 'ask-2', text: 'Hide me after a vote', slide: { indexh: 0, indexv: 0, indexf: -1 } });
    await asker!.next('ack', 5000);
    const id = await firstQuestion(asker!, 'Hide me after a vote');
    await until(() => phones.every((p) => questionsAbout(p, id).length >= 1), 'everyone sees the second question');
    for (const c of phones) c.messages.length = 0;

    voter!.send({ type: 'upvote', key: 'vote-hide', question: id, on: true });
    await until(() => questionsAbout(voter!, id).some((q) => q.voted === true), 'the vote is counted');
    presenter.send({ type: 'moderate', question: id, action: 'hide' });
    const bystander = phones[1]!;
    await until(() => bystander.messages.some((m) => m.type === 'question_removed' && m.id === id), 'the bystander is told it is gone');
    await new Promise((r) => setTimeout(r, 600));
    const after = bystander.messages.findIndex((m) => m.type === 'question_removed' && m.id === id);
    assert.deepEqual(
      bystander.messages.slice(after + 1).filter((m) => m.type === 'question' && m.question.id === id),
      [],
      'no count update after the removal',
    );
  });
});
