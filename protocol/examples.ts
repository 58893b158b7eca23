/**
 * One example of every message, in both directions: published in docs/asyncapi.json and in
 * docs/protocol.md (both written by `npm run protocol:doc`), and checked against the contract's
 * schemas by protocol/asyncapi.test.ts, so an example can never show a shape the server refuses
 * or would not send. A poll type or variant with its own shape gets its own example.
 */
import type { ClientMessage, ServerMessage } from './messages.ts';
import type { PollView } from './polls.ts';

const connection = '3f0c2a9e-5b1d-4c6e-9a7f-2d8b1e4c6a90';
/** The talk's epoch (protocol/cluster.ts): one lineage of seqs. */
const epoch = 'e-2f9c41d7';
const deck = { indexh: 2, indexv: 1, indexf: 0, paused: false, overview: false };
const singlePoll: PollView = {
  poll: { id: 'transport', type: 'single', question: 'How do you sync?', options: ['WebSocket', 'SSE', 'Polling'], results: 'live', open: 'on-slide', slide: { h: 3, v: 0 } },
  status: 'open',
  seq: 41,
  results: { ballots: 3, counts: [2, 1, 0], words: [], answers: [] },
};

type Examples<M extends { type: string }> = { [K in M['type']]: Array<{ title: string; message: Extract<M, { type: K }> }> };

export const clientExamples: Partial<Examples<ClientMessage>> = {
  hello: [
    { title: 'a phone', message: { type: 'hello', v: 1, role: 'audience', talk: 'K7QM4P', participant: 'p-8c1d0e5a' } },
    { title: 'a console', message: { type: 'hello', v: 1, role: 'presenter', talk: 'K7QM4P', key: 'Xo1fQ9k2vR7-the-presenter-key-from-the-URL-fragment' } },
    { title: 'a phone reconnecting', message: { type: 'hello', v: 1, role: 'audience', talk: 'K7QM4P', participant: 'p-8c1d0e5a', lastSeq: 57, epoch } },
  ],
  goto: [{ title: 'move the deck', message: { type: 'goto', state: deck } }],
  ping: [{ title: 'liveness', message: { type: 'ping', t: 1764500000000 } }],
  ballot: [
    { title: 'single or rating: one index', message: { type: 'ballot', poll: 'transport', key: 'b-1', value: { choices: [0] } } },
    { title: 'multiple: distinct indexes', message: { type: 'ballot', poll: 'tools', key: 'b-2', value: { choices: [0, 2] } } },
    { title: 'words (≤ 32) or text (≤ 280)', message: { type: 'ballot', poll: 'word', key: 'b-3', value: { text: 'latency' } } },
  ],
  openPoll: [{ title: 'open', message: { type: 'openPoll', poll: 'transport' } }],
  closePoll: [{ title: 'close', message: { type: 'closePoll', poll: 'transport' } }],
  createPoll: [
    { title: 'single or multiple: 2 to 12 options (≤ 80 each; question ≤ 200)', message: { type: 'createPoll', key: 'c-1', poll: { type: 'single', question: 'Coffee or tea?', options: ['Coffee', 'Tea'], results: 'live' }, openNow: true } },
    { title: 'rating: a scale of 1 to 5 (options are ignored)', message: { type: 'createPoll', key: 'c-2', poll: { type: 'rating', question: 'How clear was this?', options: [], results: 'closed' }, openNow: false } },
    { title: 'words or text: no options', message: { type: 'createPoll', key: 'c-3', poll: { type: 'words', question: 'One word for this talk?', options: [], results: 'live' }, openNow: true } },
  ],
  react: [{ title: 'a reaction', message: { type: 'react', reaction: 'clap' } }],
  pace: [{ title: 'too slow', message: { type: 'pace', signal: 'slow' } }],
  ask: [{ title: 'a question', message: { type: 'ask', key: 'a-1', text: 'Does it work behind a proxy?', name: 'Ada', slide: { indexh: 2, indexv: 1, indexf: 0 } } }],
  upvote: [{ title: 'vote', message: { type: 'upvote', key: 'u-1', question: 'q12', on: true } }],
  chat: [{ title: 'a chat line', message: { type: 'chat', key: 'm-1', text: 'Great demo!', name: null } }],
  moderate: [{ title: 'answer a question', message: { type: 'moderate', question: 'q12', action: 'answer' } }],
  qa_mode: [{ title: 'approve first', message: { type: 'qa_mode', approveFirst: true } }],
  chat_delete: [{ title: 'remove a line', message: { type: 'chat_delete', id: 'c31' } }],
  edit_question: [{ title: 'the asker rewords it', message: { type: 'edit_question', key: 'e-1', question: 'q12', text: 'Does it work behind a corporate proxy?' } }],
  withdraw_question: [{ title: 'the asker takes it back', message: { type: 'withdraw_question', key: 'w-1', question: 'q12' } }],
  answer_question: [
    { title: 'answer in text', message: { type: 'answer_question', question: 'q12', text: 'Yes: it falls back to SSE, then long-polling.' } },
    { title: 'take the answer back', message: { type: 'answer_question', question: 'q12', text: null } },
  ],
  mute: [{ title: 'mute a participant', message: { type: 'mute', author: 'a-5f2c9d1e', on: true } }],
  timer: [{ title: 'start the talk timer', message: { type: 'timer', action: 'start' } }],
  pairRemote: [{ title: 'show a pairing QR code', message: { type: 'pairRemote' } }],
  revokeRemote: [{ title: 'unpair a phone', message: { type: 'revokeRemote', device: 'd-4a7c' } }],
  pointer: [
    { title: 'the laser pointer at a spot (slide space)', message: { type: 'pointer', slide: { indexh: 2, indexv: 1 }, at: { x: 480, y: 350 } } },
    { title: 'the laser put away', message: { type: 'pointer', slide: { indexh: 2, indexv: 1 }, at: null } },
  ],
  stroke: [{ title: 'a batch of pen points', message: { type: 'stroke', stroke: 's-7', slide: { indexh: 2, indexv: 1 }, color: '#ff3b30', width: 6, points: [100, 200, 110, 204, 121, 209] } }],
  ink_clear: [{ title: 'clear the slide', message: { type: 'ink_clear', slide: { indexh: 2, indexv: 1 } } }],
  media: [{ title: 'play the first video from 12.5 s', message: { type: 'media', slide: { indexh: 4, indexv: 0 }, index: 0, playing: true, position: 12.5 } }],
  wall: [{ title: 'chat wall for the whole talk', message: { type: 'wall', on: true, slide: null } }],
  quizName: [{ title: 'a nickname for the leaderboard', message: { type: 'quizName', key: 'n-1', name: 'Ada' } }],
  publish: [{ title: 'a tap on the slide', message: { type: 'publish', topic: 'taps', data: 1, id: 'p-1' } }],
};

const question = { id: 'q12', text: 'Does it work behind a proxy?', name: 'Ada', slide: { indexh: 2, indexv: 1, indexf: 0 }, at: 1764500012345, votes: 4, state: 'visible' } as const;

export const serverExamples: Partial<Examples<ServerMessage>> = {
  welcome: [
    {
      title: 'to a phone',
      message: {
        type: 'welcome',
        v: 1,
        seq: 57,
        role: 'audience',
        connection,
        talk: { title: 'WebSockets in practice', stacks: [1, 1, 2, 1], fragments: [[0], [2], [0, 1], [0]] },
        deck,
        audience: 41,
        polls: [{ ...singlePoll, mine: { choices: [0] } }],
        epoch,
      },
    },
  ],
  resumed: [{ title: 'missed messages follow', message: { type: 'resumed', v: 1, seq: 57, role: 'audience', connection, audience: 41, epoch } }],
  deck: [{ title: 'the deck moved', message: { type: 'deck', seq: 58, state: deck, origin: connection } }],
  presence: [{ title: 'audience count', message: { type: 'presence', audience: 42 } }],
  pong: [{ title: 'echo, with the server clock', message: { type: 'pong', t: 1764500000000, server: 1764500000012 } }],
  ack: [{ title: 'stored', message: { type: 'ack', key: 'a-1', seq: 59 } }],
  error: [
    { title: 'a refused move', message: { type: 'error', code: 'out_of_range', message: 'That slide does not exist in this deck.', ref: 'goto' } },
    { title: 'a refused write names its key', message: { type: 'error', code: 'bad_message', message: 'The message does not match the protocol. value.choices: Invalid type: Expected Array but received "0"', ref: 'ballot', key: 'b-1' } },
    { title: 'cluster mode: not stored now, send it again (keep it in the outbox)', message: { type: 'error', code: 'unavailable', message: 'The talk cannot store changes right now; it will be sent again.', ref: 'ask', key: 'a-1', retryAfterMs: 1000 } },
  ],
  poll: [{ title: 'opened', message: { type: 'poll', seq: 41, view: singlePoll } }],
  results: [
    { title: 'single, multiple, rating: counts per option', message: { type: 'results', poll: 'transport', asOf: 44, results: { ballots: 3, counts: [2, 1, 0], words: [], answers: [] } } },
    { title: 'words: most frequent first', message: { type: 'results', poll: 'word', asOf: 45, results: { ballots: 3, counts: [], words: [{ text: 'latency', count: 2 }, { text: 'fun', count: 1 }], answers: [] } } },
    { title: 'text: newest answers, oldest first', message: { type: 'results', poll: 'open', asOf: 46, results: { ballots: 2, counts: [], words: [], answers: ['More demos', 'Slower please'] } } },
  ],
  reactions: [{ title: 'since the last one', message: { type: 'reactions', counts: { clap: 5, love: 1 } } }],
  paceReport: [{ title: 'the gauge', message: { type: 'paceReport', slides: { '2/1': { fast: 0, slow: 1.87 } }, active: { fast: 0, slow: 2 } } }],
  qa_snapshot: [{ title: 'after the welcome', message: { type: 'qa_snapshot', seq: 57, approveFirst: false, highlight: null, questions: [{ ...question, voted: true }] } }],
  question: [
    { title: 'to a voter', message: { type: 'question', seq: 60, question: { ...question, votes: 5, voted: true } } },
    { title: "to the asker's phone", message: { type: 'question', seq: 60, question: { ...question, votes: 5, mine: true, voted: false } } },
  ],
  question_removed: [{ title: 'deleted or hidden', message: { type: 'question_removed', seq: 61, id: 'q12' } }],
  qa_state: [{ title: 'highlighted on the screen', message: { type: 'qa_state', seq: 62, approveFirst: false, highlight: 'q12' } }],
  chat_snapshot: [{ title: 'the last lines', message: { type: 'chat_snapshot', seq: 57, lines: [{ id: 'c31', text: 'Great demo!', name: null, at: 1764500020000 }] } }],
  chat_line: [{ title: 'a new line (to its sender)', message: { type: 'chat_line', seq: 63, line: { id: 'c32', text: 'Where are the slides?', name: 'Lin', at: 1764500030000, mine: true } } }],
  chat_removed: [{ title: 'removed', message: { type: 'chat_removed', seq: 64, id: 'c31' } }],
  muted: [{ title: "to the muted participant's connections", message: { type: 'muted', seq: 65, muted: true, message: 'The moderator has paused your questions and chat.' } }],
  mutes: [{ title: 'to staff: who is muted', message: { type: 'mutes', seq: 65, authors: ['a-5f2c9d1e'] } }],
  topic: [{ title: 'a coalesced audience topic', message: { type: 'topic', topic: 'taps', data: 1, from: 'audience', count: 128 } }],
  topics: [{ title: 'after the welcome', message: { type: 'topics', topics: { taps: { data: 1, from: 'audience', count: 128 } } } }],
  timerState: [{ title: 'to staff: the timer runs', message: { type: 'timerState', running: true, elapsed: 754000, duration: 1200 } }],
  remotePairing: [{ title: 'to the console that asked: a one-time code', message: { type: 'remotePairing', token: 'pQ3x9Lr2-one-time-token-shown-as-a-QR-code', expiresIn: 180000 } }],
  remoteDevices: [{ title: 'to staff: paired phones', message: { type: 'remoteDevices', devices: [{ id: 'd-4a7c', name: 'Pixel 7', pairedAt: 1764500000000 }] } }],
  pointer: [{ title: 'the laser pointer (coalesced)', message: { type: 'pointer', slide: { indexh: 2, indexv: 1 }, at: { x: 480, y: 350 } } }],
  ink: [{ title: 'pen points', message: { type: 'ink', seq: 66, stroke: 's-7', slide: { indexh: 2, indexv: 1 }, color: '#ff3b30', width: 6, points: [100, 200, 110, 204, 121, 209] } }],
  ink_cleared: [{ title: 'a slide cleared', message: { type: 'ink_cleared', seq: 67, slide: { indexh: 2, indexv: 1 } } }],
  ink_snapshot: [{ title: 'after the welcome', message: { type: 'ink_snapshot', seq: 57, strokes: [{ id: 's-7', slide: { indexh: 2, indexv: 1 }, color: '#ff3b30', width: 6, points: [100, 200, 110, 204] }] } }],
  media_state: [{ title: 'a video playing', message: { type: 'media_state', seq: 68, media: { slide: { indexh: 4, indexv: 0 }, index: 0, playing: true, position: 12.5, at: 1764500040000 }, now: 1764500041000 } }],
  wall_state: [{ title: 'to the screen: the wall is on', message: { type: 'wall_state', seq: 69, on: true, slide: null, lines: [{ id: 'c31', text: 'Great demo!', name: null, at: 1764500020000 }] } }],
  quizClock: [{ title: 'a quiz question is open', message: { type: 'quizClock', poll: 'q-ports', closesIn: 17400, seconds: 20 } }],
  quizBoard: [
    {
      title: 'the leaderboard after question 2 of 3',
      message: { type: 'quizBoard', quiz: 'ws-quiz', closed: 2, total: 3, final: false, players: 41, leaders: [{ rank: 1, name: 'Ada', points: 1930 }, { rank: 2, name: 'Lin', points: 1874 }, { rank: 2, name: 'Sam', points: 1874 }] },
    },
  ],
  quizScore: [
    {
      title: "to one participant: their own score",
      message: { type: 'quizScore', quiz: 'ws-quiz', name: 'Ada', points: 1930, rank: 1, players: 41, answers: [{ poll: 'q-ports', correct: true, points: 988 }, { poll: 'q-frames', correct: true, points: 942 }] },
    },
  ],
  published: [{ title: 'a publish with an id was accepted', message: { type: 'published', id: 'p-1' } }],
};
