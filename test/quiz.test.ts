import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { PROTOCOL_VERSION, type ServerMessage } from '../protocol/messages.ts';
import { quizServerSchemas } from '../protocol/quiz-schemas.ts';
import type { QuizBoardMessage, QuizScoreMessage } from '../protocol/quiz.ts';
import { MemoryStore } from '../server/store/memory.ts';
import type { RunningServer } from '../server/start.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const QUIZ_DECK = fileURLToPath(new URL('./fixtures/quiz.md', import.meta.url));
const keep = { code: 'QUIZ23', presenterKey: 'p'.repeat(43), moderatorKey: 'm'.repeat(43) };

async function phone(server: RunningServer, participant: string): Promise<TestClient> {
  const client = await TestClient.connect(server.port);
  client.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant });
  await client.next('welcome');
  return client;
}

/** Every quiz message the server sends must match its published schema. */
function checked<T extends ServerMessage>(message: T): T {
  if (message.type === 'quizBoard' || message.type === 'quizScore' || message.type === 'quizClock') {
    const result = v.safeParse(quizServerSchemas[message.type], message);
    assert.ok(result.success, `${message.type} matches its schema: ${JSON.stringify(result.issues?.[0]?.message)}`);
  }
  return message;
}

/** Sends a quiz or poll ballot and returns the server's answer to it: its ack or its error. */
async function answer(client: TestClient, poll: string, key: string, choices: number[]): Promise<ServerMessage> {
  client.send({ type: 'ballot', poll, key, value: { choices } });
  return replyTo(client, key);
}

async function replyTo(client: TestClient, key: string, timeoutMs = 5000): Promise<ServerMessage> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const i = client.messages.findIndex((m) => (m.type === 'ack' || m.type === 'error') && m.key === key);
    if (i >= 0) return client.messages.splice(i, 1)[0]!;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no reply to ${key}; have ${JSON.stringify(client.messages.map((m) => m.type))}`);
}

/** The first server's close() closes its store; keep the log for the second one. */
function wrap(store: MemoryStore): MemoryStore {
  return Object.assign(Object.create(store) as MemoryStore, { close: () => undefined });
}

describe('a quiz with several phones over a real server', () => {
  it('times answers on the server, refuses late and second answers, scores, ranks ties, and keeps it all over a restart', async () => {
    const store = new MemoryStore();
    const first = await startTestServer({ deckPath: QUIZ_DECK, store: wrap(store), ...keep });
    const presenter = await TestClient.join(first.port, keep.code, 'presenter', keep.presenterKey);
    const screen = await TestClient.join(first.port, keep.code, 'screen');
    const [ann, bob, cy, dan] = await Promise.all([phone(first, 'ann'), phone(first, 'bob'), phone(first, 'cy'), phone(first, 'dan')]);

    // The audience never sees the correct answer of a question that is not closed.
    const welcome = (await phone(first, 'peek')).messages;
    assert.equal(JSON.stringify(welcome).includes('"correct"'), false);

    ann.send({ type: 'quizName', key: 'n1', name: '  Ann   <b>the</b>  \u0007' });
    assert.equal((await ann.next('ack')).key, 'n1');

    presenter.send({ type: 'openPoll', poll: 'q1' });
    const clock = checked(await bob.next('quizClock'));
    assert.equal(clock.poll, 'q1');
    assert.equal(clock.seconds, 5);
    assert.ok(clock.closesIn > 4000 && clock.closesIn <= 5000, `closesIn ${clock.closesIn}`);
    const opened = await ann.next('poll');
    assert.equal(opened.view.poll.quiz?.correct, undefined, 'no answer key while open');

    const annAck = await answer(ann, 'q1', 'a1', [1]);
    assert.equal(annAck.type, 'ack');
    await new Promise((r) => setTimeout(r, 400));
    assert.equal((await answer(bob, 'q1', 'b1', [1])).type, 'ack');
    assert.equal((await answer(cy, 'q1', 'c1', [0])).type, 'ack');
    assert.equal((await answer(dan, 'q1', 'd1', [2])).type, 'ack');
    const again = (await answer(ann, 'q1', 'a2', [0])) as Extract<ServerMessage, { type: 'error' }>;
    assert.equal(again.code, 'quiz_answered', 'a quiz answer is final');

    // Nobody closes it: the server's clock does, five seconds after it opened.
    let closed = await screen.next('poll', 8000);
    if (closed.view.status === 'open') closed = await screen.next('poll', 8000);
    assert.equal(closed.view.status, 'closed');
    assert.deepEqual(closed.view.poll.quiz?.correct, [1], 'the answer is shown once closed');
    const late = (await answer(bob, 'q1', 'b2', [1])) as Extract<ServerMessage, { type: 'error' }>;
    assert.equal(late.code, 'poll_closed', 'a late answer is refused');

    const board = checked(await screen.next('quizBoard'));
    assert.deepEqual(
      board.leaders.map((l) => [l.rank, l.name]),
      [
        [1, 'Ann <b>the</b>'],
        [2, 'Player 2'],
        [3, 'Player 3'],
        [3, 'Player 4'],
      ],
      'faster first; the same points share a rank, in the order they answered',
    );
    assert.ok(board.leaders[0]!.points > board.leaders[1]!.points && board.leaders[1]!.points >= 500);
    assert.deepEqual([board.leaders[2]!.points, board.leaders[3]!.points], [0, 0]);
    assert.deepEqual([board.closed, board.total, board.final, board.players], [1, 3, false, 4]);

    // Ann's phone lost the ack and resends the same ballot after the deadline: it was stored, so
    // it gets the same ack again (not a refusal that would drop it), and nothing is counted twice.
    const resent = await answer(ann, 'q1', 'a1', [1]);
    assert.deepEqual(resent, annAck, 'a resend of a stored answer is acked with its seq');
    const peek2 = await phone(first, 'peek2');
    assert.deepEqual(checked(await peek2.next('quizBoard')), board, 'the scores are unchanged');
    peek2.close();

    const annScore = checked(await ann.next('quizScore'));
    assert.deepEqual([annScore.rank, annScore.name, annScore.answers[0]?.correct], [1, 'Ann <b>the</b>', true]);
    const cyScore = checked(await cy.next('quizScore'));
    assert.deepEqual([cyScore.rank, cyScore.points, cyScore.answers], [3, 0, [{ poll: 'q1', correct: false, points: 0 }]]);

    // A late joiner during question 2 gets the question, its remaining time and the board.
    presenter.send({ type: 'openPoll', poll: 'q2' });
    await presenter.next('quizClock');
    const eve = await TestClient.connect(first.port);
    eve.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: keep.code, participant: 'eve' });
    const eveWelcome = await eve.next('welcome');
    assert.equal(eveWelcome.polls?.find((p) => p.poll.id === 'q2')?.status, 'open');
    const eveClock = checked(await eve.next('quizClock'));
    assert.ok(eveClock.closesIn > 0 && eveClock.closesIn <= 60_000);
    assert.equal(checked(await eve.next('quizBoard')).closed, 1);
    assert.equal((await answer(eve, 'q2', 'e1', [0, 2])).type, 'ack', 'several correct options: all of them');
    assert.equal((await answer(bob, 'q2', 'b3', [0])).type, 'ack');
    checked(await presenter.next('quizBoard'));
    presenter.send({ type: 'closePoll', poll: 'q2' });
    const board2 = checked(await presenter.next('quizBoard'));
    const annAfterQ2 = checked(await ann.next('quizScore'));
    assert.equal(board2.players, 5);
    assert.equal(board2.leaders.find((l) => l.name === 'Player 2')?.points, board.leaders[1]!.points, 'a partly right answer scores nothing');
    const bobBack = await phone(first, 'bob');
    const bobScore = checked(await bobBack.next('quizScore'));
    assert.equal(bobScore.answers.length, 2);
    for (const c of [presenter, screen, ann, bob, cy, dan, eve, bobBack]) c.close();
    await first.close();

    // After a restart the log gives the same scores and ranks.
    const second = await startTestServer({ deckPath: QUIZ_DECK, store, ...keep });
    const annAgain = await phone(second, 'ann');
    const after = checked(await annAgain.next('quizScore')) as QuizScoreMessage;
    assert.deepEqual(after, annAfterQ2);
    const staff = await TestClient.connect(second.port);
    staff.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'presenter', talk: keep.code, key: keep.presenterKey });
    await staff.next('welcome');
    assert.deepEqual(checked(await staff.next('quizBoard')) as QuizBoardMessage, board2);

    const exported = (await (await fetch(`http://127.0.0.1:${second.port}/export/${keep.code}.json`, { headers: { authorization: `Bearer ${keep.presenterKey}` } })).json()) as {
      quizzes: Array<{ id: string; players: Array<{ rank: number; name: string; points: number }> }>;
    };
    assert.deepEqual(
      exported.quizzes[0]?.players.map((p) => [p.rank, p.name, p.points]),
      board2.leaders.map((l) => [l.rank, l.name, l.points]),
    );
    annAgain.close();
    staff.close();
    await second.close();
  });

  it('counts a ranking poll as Borda points and a word cloud as normalised words without denied ones', async () => {
    const server = await startTestServer({ deckPath: QUIZ_DECK });
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    presenter.send({ type: 'openPoll', poll: 'rank' });
    presenter.send({ type: 'openPoll', poll: 'words3' });
    const [a, b] = await Promise.all([phone(server, 'ra'), phone(server, 'rb')]);
    assert.equal((await answer(a, 'rank', 'r1', [0, 1, 2])).type, 'ack');
    assert.equal((await answer(b, 'rank', 'r2', [1, 0, 2])).type, 'ack');
    const partial = (await answer(b, 'rank', 'r3', [1, 0])) as Extract<ServerMessage, { type: 'error' }>;
    assert.equal(partial.code, 'bad_message');
    assert.equal((await answer(a, 'rank', 'r4', [0, 1, 2])).type, 'ack');
    a.send({ type: 'ballot', poll: 'words3', key: 'w1', value: { words: ['Fast', ' LIVE ', 'DARN'] } });
    await a.next('ack');
    b.send({ type: 'ballot', poll: 'words3', key: 'w2', value: { words: ['fast', 'open', 'push'] } });
    await b.next('ack');
    b.send({ type: 'ballot', poll: 'words3', key: 'w3', value: { words: ['a', 'b', 'c', 'd'] } });
    assert.equal((await b.next('error')).code, 'bad_message', 'more words than the poll takes');

    const deadline = Date.now() + 5000;
    let rank: Extract<ServerMessage, { type: 'results' }> | undefined;
    let words: Extract<ServerMessage, { type: 'results' }> | undefined;
    while (Date.now() < deadline && (rank?.results.ballots !== 2 || words?.results.ballots !== 2)) {
      const r = await presenter.next('results', 5000);
      if (r.poll === 'rank') rank = r;
      else if (r.poll === 'words3') words = r;
    }
    assert.deepEqual([rank?.results.counts, rank?.results.ranks], [[3, 3, 0], [1.5, 1.5, 3]]);
    assert.deepEqual(words?.results.words, [
      { text: 'fast', count: 2 },
      { text: 'live', count: 1 },
      { text: 'open', count: 1 },
      { text: 'push', count: 1 },
    ]);
    const seen = JSON.stringify(presenter.messages) + JSON.stringify(words);
    assert.equal(seen.toLowerCase().includes('darn'), false, 'a denied word reaches nobody, not even the presenter');
    for (const c of [presenter, a, b]) c.close();
    await server.close();
  });
});
