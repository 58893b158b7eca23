/**
 * Export of a talk's audience interaction as JSON and CSV, for the presenter and moderators:
 * `GET /export/<code>.json|.csv` with `Authorization: Bearer <presenter or moderator key>`.
 * The key is never accepted in the query string: proxies and servers log URLs.
 *
 * Features contribute sections (questions and chat here; polls register theirs with
 * `registerExportSection`, server/features/polls/export.ts): each gives a JSON value and rows
 * for the one CSV table.
 */
import { Hono } from 'hono';
import { slideRefLabel } from '../../../protocol/qa.ts';
import { normalizeJoinCode } from '../../talk/secrets.ts';
import type { Talk } from '../../talk/talk.ts';
import { chatOf } from '../chat/index.ts';
import { qaOf } from '../qa/index.ts';
import { authorOf } from '../mute/author.ts';
import { mutedAuthors } from '../mute/index.ts';

/** One CSV row; every section maps its items onto these columns. */
export interface ExportRow {
  /** 'question', 'chat', 'poll'… */
  kind: string;
  id: string;
  /** Slide label ("3", "3.2"), empty when not tied to a slide. */
  slide: string;
  text: string;
  name: string;
  votes: number | null;
  state: string;
  /** Epoch milliseconds; written as ISO 8601. */
  at: number | null;
}

export interface ExportSection {
  /** Key of the section in the JSON export. */
  name: string;
  json(talk: Talk): unknown;
  rows(talk: Talk): ExportRow[];
}

const questionsSection: ExportSection = {
  name: 'questions',
  json: (talk) => {
    const { board } = qaOf(talk);
    return board.all().map((q) => ({
      id: q.id,
      text: q.text,
      name: q.name,
      slide: { ...q.slide, label: slideRefLabel(q.slide) },
      votes: q.voters.size,
      state: q.state,
      highlighted: board.highlight === q.id,
      askedAt: new Date(q.at).toISOString(),
      author: authorOf(q.asker),
      edited: q.edited,
      answer: q.answer ? { text: q.answer.text, answeredAt: new Date(q.answer.at).toISOString() } : null,
    }));
  },
  // A question's answer in text is a row of its own (kind `answer`, the question's id), right under it.
  rows: (talk) =>
    qaOf(talk).board.all().flatMap((q) => [
      {
        kind: 'question',
        id: q.id,
        slide: slideRefLabel(q.slide),
        text: q.text,
        name: q.name ?? '',
        votes: q.voters.size,
        state: q.edited ? `${q.state} (edited)` : q.state,
        at: q.at,
      },
      ...(q.answer ? [{ kind: 'answer', id: q.id, slide: slideRefLabel(q.slide), text: q.answer.text, name: '', votes: null, state: '', at: q.answer.at }] : []),
    ]),
};

const chatSection: ExportSection = {
  name: 'chat',
  json: (talk) => chatOf(talk).log.all().map((l) => ({ id: l.id, text: l.text, name: l.name, sentAt: new Date(l.at).toISOString() })),
  rows: (talk) =>
    chatOf(talk).log.all().map((l) => ({ kind: 'chat', id: l.id, slide: '', text: l.text, name: l.name ?? '', votes: null, state: '', at: l.at })),
};

/** Participants muted now, by the handle staff saw on their questions and chat lines. */
const mutedSection: ExportSection = {
  name: 'muted',
  json: (talk) => mutedAuthors(talk).map((m) => ({ author: m.author, mutedAt: new Date(m.at).toISOString() })),
  rows: (talk) => mutedAuthors(talk).map((m) => ({ kind: 'muted', id: m.author, slide: '', text: '', name: '', votes: null, state: 'muted', at: m.at })),
};

const sections: ExportSection[] = [questionsSection, chatSection, mutedSection];

/** The hook for other features (polls): their section joins both formats. */
export function registerExportSection(section: ExportSection): void {
  const at = sections.findIndex((s) => s.name === section.name);
  if (at >= 0) sections[at] = section;
  else sections.push(section);
}

export function exportJson(talk: Talk, now = Date.now()): Record<string, unknown> {
  const out: Record<string, unknown> = { talk: { code: talk.code, title: talk.info.title }, exportedAt: new Date(now).toISOString() };
  for (const section of sections) out[section.name] = section.json(talk);
  return out;
}

const COLUMNS: readonly (keyof ExportRow)[] = ['kind', 'id', 'slide', 'text', 'name', 'votes', 'state', 'at'];

/** RFC 4180 quoting, and formula-looking cells defused so a spreadsheet never runs audience text. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function exportCsv(talk: Talk): string {
  const lines = [COLUMNS.join(',')];
  for (const section of sections) {
    for (const row of section.rows(talk)) {
      lines.push(COLUMNS.map((c) => csvCell(c === 'at' ? (row.at === null ? null : new Date(row.at).toISOString()) : row[c])).join(','));
    }
  }
  // A BOM so spreadsheet programs read the UTF-8 (names, emoji) correctly.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export interface ExportRoutesOptions {
  talk: Talk;
  /** True for the presenter's or a moderator's key. */
  authorize(key: string): boolean;
}

/** Mounted at `/export`. */
export function exportRoutes({ talk, authorize }: ExportRoutesOptions): Hono {
  const app = new Hono();
  app.get('/:file', (c) => {
    const match = /^(.+)\.(json|csv)$/.exec(c.req.param('file'));
    if (!match || normalizeJoinCode(match[1]!) !== talk.code) return c.notFound();
    const auth = /^Bearer ([\x21-\x7e]{1,128})$/.exec(c.req.header('authorization') ?? '');
    c.header('cache-control', 'no-store');
    if (!auth || !authorize(auth[1]!)) {
      c.header('www-authenticate', 'Bearer realm="livedeck export"');
      return c.json({ error: 'Send the presenter or moderator key as "Authorization: Bearer <key>".' }, 401);
    }
    const filename = `livedeck-${talk.code}.${match[2]}`;
    c.header('content-disposition', `attachment; filename="${filename}"`);
    if (match[2] === 'json') return c.json(exportJson(talk));
    return c.body(exportCsv(talk), 200, { 'content-type': 'text/csv; charset=utf-8' });
  });
  return app;
}
