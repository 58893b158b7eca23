/**
 * Polls written in a deck. In markdown, a fenced block with the info string `poll`:
 *
 *     ```poll
 *     id: transport
 *     type: single            # single | multiple | words | rating | text
 *     question: How do your apps talk to the server today?
 *     options:
 *       - Polling
 *       - WebSockets
 *     results: live           # live | closed
 *     open: on-slide          # on-slide | manual
 *     ```
 *
 * In HTML, `<pre class="poll">` with the same body, or `<div class="poll" data-poll='{"type":…}'>`
 * with the same keys as JSON. Each is replaced by `<div class="ld-poll" data-poll-id="…"></div>`,
 * which the pages fill. docs/polls.md is the author's guide.
 */
import { POLL_LIMITS, POLL_TYPES, type PollDefinition, type PollSlide, type PollType } from '../../protocol/polls.ts';
import { QUIZ_LIMITS } from '../../protocol/quiz.ts';
import { normalizeWord } from '../../protocol/words.ts';
import { DeckError } from './errors.ts';
import type { SlideAt } from './slides.ts';

const KEYS = ['id', 'type', 'question', 'options', 'results', 'open', 'scale', 'quiz', 'time', 'max-words', 'deny'] as const;
/** Keys whose value is a list of `- item` lines below them. */
const LIST_KEYS: readonly string[] = ['options', 'deny'];
/** A quiz option marked correct (`- [x] WebSockets`) or not (`- [ ] Polling`). */
const MARK = /^\[([ xX])\]\s*(.*)$/;
type Key = (typeof KEYS)[number];
/** A poll block before validation: every value as the author wrote it. */
type RawPoll = Partial<Record<Key, unknown>>;

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function placeholder(id: string): string {
  return `<div class="ld-poll" data-poll-id="${id}"></div>`;
}

/**
 * Finds the poll blocks on the slides (in the deck's DOM), checks them, and swaps in
 * placeholders. A block inside a nested slide belongs to that slide, not to its stack.
 */
export function extractPolls(slides: readonly SlideAt[]): PollDefinition[] {
  const polls: PollDefinition[] = [];
  const ids = new Set<string>();
  for (const { el, h, v } of slides) {
    const where: PollSlide = { h, v };
    const blocks = [...el.querySelectorAll('pre, div.poll[data-poll]')].filter((b) => isPollBlock(b) && b.parentElement?.closest('section') === el);
    for (const block of blocks) {
      const poll = checkPoll(readBlock(block, where), where);
      if (ids.has(poll.id)) throw new DeckError(`${label(where)}: two polls have the id "${poll.id}"; give each poll its own id.`);
      ids.add(poll.id);
      polls.push(poll);
      const div = block.ownerDocument.createElement('div');
      div.className = 'ld-poll';
      div.setAttribute('data-poll-id', poll.id);
      block.replaceWith(div);
    }
  }
  return polls;
}

/** `<pre class="poll">`, a fenced ```poll block (reveal's markdown plugin writes `<code class="poll">`), or `<div class="poll" data-poll>`. */
function isPollBlock(el: Element): boolean {
  if (el.localName === 'pre') {
    return el.classList.contains('poll') || [...el.children].some((c) => c.localName === 'code' && (c.classList.contains('poll') || c.classList.contains('language-poll')));
  }
  return el.localName === 'div' && el.classList.contains('poll') && el.hasAttribute('data-poll');
}

function readBlock(block: Element, where: PollSlide): RawPoll {
  if (block.localName === 'div') {
    const json = block.getAttribute('data-poll') ?? '';
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch (err) {
      throw new DeckError(`${label(where)}: data-poll is not valid JSON (${err instanceof Error ? err.message : String(err)}).`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new DeckError(`${label(where)}: data-poll must be a JSON object.`);
    return data as RawPoll;
  }
  return parsePollBody(block.textContent ?? '', where);
}

/** Reads the YAML-like body: `key: value` lines, `options:` followed by `- item` lines, `#` comments. */
export function parsePollBody(body: string, where: PollSlide): RawPoll {
  const raw: RawPoll = {};
  let list: string[] | null = null;
  body.split('\n').forEach((line, i) => {
    const text = stripComment(line).trimEnd();
    if (text.trim() === '') return;
    const item = /^\s*-\s*(.*)$/.exec(text);
    if (item) {
      if (!list) throw new DeckError(`${label(where)}: line ${i + 1} is a list item ("- …") but no "options:" comes before it (or "deny:").`);
      list.push(unquote(item[1] ?? ''));
      return;
    }
    const pair = /^\s*([A-Za-z-]+)\s*:\s*(.*)$/.exec(text);
    if (!pair) throw new DeckError(`${label(where)}: line ${i + 1} should be "key: value", got "${text.trim().slice(0, 40)}".`);
    const key = (pair[1] ?? '').toLowerCase();
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new DeckError(`${label(where)}: unknown key "${key}" (known keys: ${KEYS.join(', ')}).`);
    }
    if (key in raw) throw new DeckError(`${label(where)}: "${key}" is given twice.`);
    const value = unquote(pair[2] ?? '');
    if (LIST_KEYS.includes(key)) {
      list = [];
      raw[key as Key] = list;
      if (value !== '') throw new DeckError(`${label(where)}: write each item on its own line below "${key}:", starting with "- ".`);
      return;
    }
    list = null;
    raw[key as Key] = value;
  });
  return raw;
}

/** `#` starts a comment at the start of a line or after a space, outside quotes ("C#" stays). */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) {
      return line.slice(0, i);
    }
  }
  return line;
}

function unquote(value: string): string {
  const v = value.trim();
  const m = /^"(.*)"$/.exec(v) ?? /^'(.*)'$/.exec(v);
  return m ? (m[1] ?? '') : v;
}

function str(raw: RawPoll, key: Key, where: PollSlide): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new DeckError(`${label(where)}: "${key}" must be text.`);
  return value.trim();
}

/** Validates a raw poll into its definition, with a message naming the slide for every mistake. */
export function checkPoll(raw: RawPoll, where: PollSlide): PollDefinition {
  const at = label(where);
  for (const key of Object.keys(raw)) {
    if (!(KEYS as readonly string[]).includes(key)) throw new DeckError(`${at}: unknown key "${key}" (known keys: ${KEYS.join(', ')}).`);
  }
  const question = str(raw, 'question', where);
  if (!question) throw new DeckError(`${at}: a poll needs a "question".`);
  if (question.length > POLL_LIMITS.question) throw new DeckError(`${at}: the question is longer than ${POLL_LIMITS.question} characters.`);

  const type = str(raw, 'type', where);
  if (!type) throw new DeckError(`${at}: a poll needs a "type" (${POLL_TYPES.join(', ')}).`);
  if (!(POLL_TYPES as readonly string[]).includes(type)) {
    throw new DeckError(`${at}: unknown poll type "${type}" (use ${POLL_TYPES.join(', ')}).`);
  }
  const pollType = type as PollType;

  const id = str(raw, 'id', where) ?? slug(question);
  if (!ID.test(id)) throw new DeckError(`${at}: poll id "${id}" may only use letters, digits, "-" and "_" (at most 64).`);
  if (id.startsWith('live-')) throw new DeckError(`${at}: poll ids starting with "live-" are kept for polls created during the talk.`);

  // A quiz's counts while it runs would give the answer away: shown once it closes, unless asked.
  const results = str(raw, 'results', where) ?? (pollType === 'quiz' ? 'closed' : 'live');
  if (results !== 'live' && results !== 'closed') throw new DeckError(`${at}: "results" must be live or closed, got "${results}".`);
  const open = str(raw, 'open', where) ?? 'manual';
  if (open !== 'on-slide' && open !== 'manual') throw new DeckError(`${at}: "open" must be on-slide or manual, got "${open}".`);

  let options: string[] = [];
  let correct: number[] = [];
  const rawOptions = raw.options;
  if (pollType === 'single' || pollType === 'multiple' || pollType === 'quiz' || pollType === 'ranking') {
    if (!Array.isArray(rawOptions) || rawOptions.length < 2) throw new DeckError(`${at}: a ${pollType} poll needs at least two "options".`);
    options = rawOptions.map((o) => (typeof o === 'string' || typeof o === 'number' ? String(o).trim() : ''));
    if (pollType === 'quiz') {
      const marked = options.map((o) => MARK.exec(o));
      if (marked.some((m) => m === null)) throw new DeckError(`${at}: start every quiz option with [x] (correct) or [ ] (wrong), as in "- [x] WebSockets".`);
      correct = marked.flatMap((m, i) => (m?.[1] === ' ' ? [] : [i]));
      options = marked.map((m) => (m?.[2] ?? '').trim());
      if (correct.length === 0) throw new DeckError(`${at}: mark at least one quiz option correct with [x].`);
    }
    if (options.some((o) => o === '')) throw new DeckError(`${at}: every option must be non-empty text.`);
    if (options.length > POLL_LIMITS.options) throw new DeckError(`${at}: at most ${POLL_LIMITS.options} options.`);
    const long = options.find((o) => o.length > POLL_LIMITS.option);
    if (long) throw new DeckError(`${at}: option "${long.slice(0, 30)}…" is longer than ${POLL_LIMITS.option} characters.`);
    if (new Set(options).size !== options.length) throw new DeckError(`${at}: two options are the same.`);
  } else {
    if (rawOptions !== undefined) throw new DeckError(`${at}: a ${pollType} poll takes no "options".`);
  }
  if (pollType === 'rating') {
    options = scaleLabels(str(raw, 'scale', where) ?? '1-5', at);
  } else if (raw.scale !== undefined) {
    throw new DeckError(`${at}: only a rating poll takes a "scale".`);
  }
  const poll: PollDefinition = { id, type: pollType, question, options, results, open, slide: where };
  if (pollType === 'quiz') poll.quiz = { id: quizId(str(raw, 'quiz', where) ?? 'quiz', at), seconds: seconds(str(raw, 'time', where), at), correct, several: correct.length > 1 };
  else if (raw.quiz !== undefined || raw.time !== undefined) throw new DeckError(`${at}: only a quiz poll takes "quiz" and "time".`);
  if (pollType === 'words') {
    const maxWords = str(raw, 'max-words', where);
    if (maxWords !== undefined) poll.maxWords = wordCount(maxWords, at);
    if (raw.deny !== undefined) poll.deny = denyList(raw.deny, at);
  } else if (raw['max-words'] !== undefined || raw.deny !== undefined) {
    throw new DeckError(`${at}: only a words poll takes "max-words" and "deny".`);
  }
  return poll;
}

function quizId(id: string, at: string): string {
  if (!ID.test(id)) throw new DeckError(`${at}: quiz id "${id}" may only use letters, digits, "-" and "_" (at most 64).`);
  return id;
}

function seconds(time: string | undefined, at: string): number {
  if (time === undefined) return QUIZ_LIMITS.defaultSeconds;
  const m = /^(\d+)\s*s?$/.exec(time);
  const n = Number(m?.[1]);
  if (!m || n < QUIZ_LIMITS.minSeconds || n > QUIZ_LIMITS.maxSeconds) {
    throw new DeckError(`${at}: "time" is the seconds to answer, ${QUIZ_LIMITS.minSeconds} to ${QUIZ_LIMITS.maxSeconds}, got "${time}".`);
  }
  return n;
}

function wordCount(value: string, at: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > POLL_LIMITS.wordsPerPerson) {
    throw new DeckError(`${at}: "max-words" is how many words each person may give, 1 to ${POLL_LIMITS.wordsPerPerson}, got "${value}".`);
  }
  return n;
}

/** Deny-list entries as the server matches them (normalised like the words people send). */
function denyList(raw: unknown, at: string): string[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
  if (list === null) throw new DeckError(`${at}: "deny" is a list of words.`);
  const words = [...new Set(list.map((w) => (typeof w === 'string' || typeof w === 'number' ? normalizeWord(String(w)) : '')).filter((w) => w !== ''))];
  if (words.length > POLL_LIMITS.deny) throw new DeckError(`${at}: at most ${POLL_LIMITS.deny} words in "deny".`);
  return words;
}

function scaleLabels(scale: string, at: string): string[] {
  const m = /^(\d+)\s*(?:-|\.\.|to)\s*(\d+)$/.exec(scale);
  const min = Number(m?.[1]);
  const max = Number(m?.[2]);
  if (!m || min > 1 || max <= min || max - min + 1 > POLL_LIMITS.options - 1) {
    throw new DeckError(`${at}: "scale" must look like 1-5 (starting at 0 or 1, at most 10 steps), got "${scale}".`);
  }
  return Array.from({ length: max - min + 1 }, (_, i) => String(min + i));
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'poll'
  );
}

function label(where: PollSlide): string {
  return `Poll on slide ${where.v > 0 ? `${where.h + 1}.${where.v + 1}` : where.h + 1}`;
}
