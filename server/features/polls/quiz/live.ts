/**
 * The quiz part of a talk's polls: nicknames, the server-held countdown of each question, and the
 * leaderboard and personal scores sent when a question closes. A quiz question is a poll (its
 * open, close and ballots go through the poll feature and the talk's log); this class adds what
 * only a quiz has. Everything here is rebuilt from the log: `quiz.name` events, and the `ms` the
 * poll feature stores with each quiz ballot.
 */
import type { Role } from '../../../../protocol/messages.ts';
import { cleanName } from '../../../../protocol/qa.ts';
import { QUIZ_LIMITS, type QuizBoardMessage, type QuizClockMessage, type QuizScoreMessage } from '../../../../protocol/quiz.ts';
import type { TalkHost } from '../../../talk/host.ts';
import { send } from '../../../room/room.ts';
import type { StoredEvent } from '../../../store/types.ts';
import type { PollBoard, PollEntry } from '../board.ts';
import { standings, type Player, type QuizAnswer, type QuizQuestion } from './scoring.ts';

export const QUIZ_EVENTS = { name: 'quiz.name' } as const;

const ALL_ROLES: readonly Role[] = ['presenter', 'moderator', 'screen', 'audience'];

/** A nickname as stored and shown: one line, no control characters, capped; null when blank. */
export function tidyName(name: string): string | null {
  const clean = cleanName(name);
  return clean === null ? null : [...clean].slice(0, QUIZ_LIMITS.name).join('').trim();
}

export function isQuiz(entry: PollEntry): entry is PollEntry & { poll: { quiz: NonNullable<PollEntry['poll']['quiz']> } } {
  return entry.poll.type === 'quiz' && entry.poll.quiz !== undefined;
}

export class LiveQuiz {
  readonly names = new Map<string, string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /**
   * Each quiz's standings and board, made once between two changes that move them: only closed
   * questions score, so a question opening or closing and a rename are the only ones (a ballot
   * reaches only an open question). A join storm then does not sort every player per phone.
   */
  private readonly ranked = new Map<string, Ranked | null>();

  constructor(
    private readonly host: TalkHost,
    private readonly board: PollBoard,
    /** Commits the close of a question whose time ran out (keyed, so every node's countdown stores one). */
    private readonly closePoll: (entry: PollEntry) => void,
  ) {}

  /** Epoch ms after which a running question takes no answers. */
  static deadline(entry: PollEntry): number {
    return entry.openedAt + (entry.poll.quiz?.seconds ?? 0) * 1000;
  }

  /** A stored nickname; live, the boards it appears on go out again. */
  applyName(e: StoredEvent, live: boolean): void {
    const name = (e.data as { name: string }).name;
    if (!e.participant || this.names.get(e.participant) === name) return;
    if (live) this.rename(e.participant, name);
    else this.names.set(e.participant, name);
  }

  /** After a replay: questions still open get their remaining time, or close now if it ran out. */
  resume(): void {
    for (const entry of this.board.all()) if (isQuiz(entry) && entry.status === 'open') this.schedule(entry);
  }

  /** A quiz question just opened: start its clock and tell everyone. */
  opened(entry: PollEntry): void {
    if (!isQuiz(entry)) return;
    // A closed question opened again stops counting until it closes again.
    this.ranked.clear();
    this.schedule(entry);
    this.host.room.broadcast(this.clock(entry, Date.now()));
  }

  /** A quiz question just closed (by the clock or the presenter): scores for all, each their own. */
  closed(entry: PollEntry): void {
    if (!isQuiz(entry)) return;
    clearTimeout(this.timers.get(entry.poll.id));
    this.timers.delete(entry.poll.id);
    this.ranked.clear();
    this.publish(entry.poll.quiz.id);
  }

  rename(participant: string, name: string): void {
    this.names.set(participant, name);
    this.ranked.clear();
    for (const quiz of this.quizIds()) {
      if (this.questions(quiz).some((q) => q.closed && q.answers.has(participant))) this.publish(quiz);
    }
  }

  /** What a joiner needs: running clocks, every started quiz's board, and (a phone) its scores. */
  joined(participant: string | undefined): string[] {
    const now = Date.now();
    const out: string[] = [];
    for (const entry of this.board.all()) {
      if (isQuiz(entry) && entry.status === 'open') out.push(JSON.stringify(this.clock(entry, now)));
    }
    for (const quiz of this.quizIds()) {
      const ranked = this.rankedOf(quiz);
      if (ranked === null) continue;
      out.push(ranked.boardJson);
      const me = participant === undefined ? undefined : ranked.byParticipant.get(participant);
      if (me) out.push(JSON.stringify(scoreMessage(quiz, me, ranked.players.length)));
    }
    return out;
  }

  /** Every player of the quiz (for the export), best first; empty before any question closed. */
  players(quiz: string): Player[] {
    return this.rankedOf(quiz)?.players ?? [];
  }

  quizIds(): string[] {
    return [...new Set(this.board.all().filter(isQuiz).map((e) => e.poll.quiz.id))];
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(entry: PollEntry): void {
    clearTimeout(this.timers.get(entry.poll.id));
    const wait = Math.max(0, LiveQuiz.deadline(entry) - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(entry.poll.id);
      if (entry.status === 'open') this.closePoll(entry);
    }, wait);
    // A running countdown never keeps a stopping server alive.
    timer.unref();
    this.timers.set(entry.poll.id, timer);
  }

  private clock(entry: PollEntry & { poll: { quiz: { seconds: number } } }, now: number): QuizClockMessage {
    return { type: 'quizClock', poll: entry.poll.id, closesIn: Math.max(0, LiveQuiz.deadline(entry) - now), seconds: entry.poll.quiz.seconds };
  }

  private questions(quiz: string): QuizQuestion[] {
    return this.board
      .all()
      .filter(isQuiz)
      .filter((e) => e.poll.quiz.id === quiz)
      .map((e) => {
        const answers = new Map<string, QuizAnswer>();
        for (const [participant, ballot] of e.ballots) {
          if ('choices' in ballot.value) answers.set(participant, { choices: ballot.value.choices, ms: ballot.ms ?? 0, seq: ballot.seq });
        }
        return { poll: e.poll.id, correct: e.poll.quiz.correct ?? [], seconds: e.poll.quiz.seconds, closed: e.status === 'closed', answers };
      });
  }

  /** The cached standings, board and players by id; null while no question of the quiz has closed. */
  private rankedOf(quiz: string): Ranked | null {
    let ranked = this.ranked.get(quiz);
    if (ranked === undefined) {
      const players = this.standings(quiz);
      const board = players === null ? null : this.boardMessage(quiz, players);
      ranked = players === null || board === null ? null : { players, board, boardJson: JSON.stringify(board), byParticipant: new Map(players.map((p) => [p.participant, p])) };
      this.ranked.set(quiz, ranked);
    }
    return ranked;
  }

  /** null while no question of the quiz has closed: there is nothing to show yet. */
  private standings(quiz: string): Player[] | null {
    const questions = this.questions(quiz);
    if (!questions.some((q) => q.closed)) return null;
    return standings(questions, (p) => this.names.get(p));
  }

  private boardMessage(quiz: string, players: Player[]): QuizBoardMessage {
    const questions = this.questions(quiz);
    const closed = questions.filter((q) => q.closed).length;
    return {
      type: 'quizBoard',
      quiz,
      closed,
      total: questions.length,
      final: closed === questions.length,
      leaders: players.slice(0, QUIZ_LIMITS.leaders).map(({ rank, name, points }) => ({ rank, name, points })),
      players: players.length,
    };
  }

  private publish(quiz: string): void {
    const ranked = this.rankedOf(quiz);
    if (ranked === null) return;
    const { players } = ranked;
    const { room } = this.host;
    room.broadcast(ranked.board, ALL_ROLES);
    room.inOrder(() => {
      for (const player of players) {
        const json = JSON.stringify(scoreMessage(quiz, player, players.length));
        room.eachConnectionOf(player.participant, (peer) => send(peer, json));
      }
    });
  }
}

interface Ranked {
  players: Player[];
  board: QuizBoardMessage;
  boardJson: string;
  byParticipant: Map<string, Player>;
}

function scoreMessage(quiz: string, player: Player, players: number): QuizScoreMessage {
  return { type: 'quizScore', quiz, name: player.name, points: player.points, rank: player.rank, players, answers: player.answers };
}
