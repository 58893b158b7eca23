/** The report as plain text, for `livedeck report` in a terminal. One function per section. */
import { REACTION_FACES, type Reaction } from '../../../protocol/polls.ts';
import { formatDuration, type TalkReport } from '../../../protocol/report.ts';

const BAR = 24;

const duration = formatDuration;

/** Local wall-clock time, as the speaker remembers the talk. */
function clock(at: number): string {
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

function day(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function bar(value: number, max: number): string {
  return '█'.repeat(max > 0 ? Math.round((value / max) * BAR) : 0);
}

const title = (r: TalkReport, key: string) => {
  const slide = r.slides.find((s) => s.key === key);
  return slide ? `${slide.label}  ${slide.title}` : key;
};

function header(r: TalkReport): string[] {
  const t = r.timeline;
  const lines = [`Report: ${r.talk.title} (${r.talk.code})`];
  if (t.start === null || t.end === null) return [...lines, 'Nothing recorded yet.'];
  lines.push(`${day(t.start)} ${clock(t.start)} to ${clock(t.end)}: ${duration(t.shownMs)} on slides, ${duration(t.pausedMs)} paused, ${duration(t.overviewMs)} in overview, ${t.breaks.length} break(s)`);
  return lines;
}

function timelineText(r: TalkReport): string[] {
  const max = Math.max(0, ...Object.values(r.timeline.slides).map((s) => s.ms));
  const width = Math.min(40, Math.max(5, ...r.slides.map((s) => s.title.length)));
  return [
    'Time per slide',
    ...r.slides.map((s) => {
      const time = r.timeline.slides[s.key] ?? { ms: 0, visits: 0 };
      const name = s.title.length > width ? `${s.title.slice(0, width - 1)}…` : s.title.padEnd(width);
      return `  ${s.label.padEnd(5)} ${name}  ${duration(time.ms).padStart(7)}  ${bar(time.ms, max)}${time.visits > 1 ? ` (${time.visits} visits)` : ''}`;
    }),
  ];
}

function presenceText(r: TalkReport): string[] {
  const p = r.presence;
  if (p.samples.length === 0) return ['Audience', '  No presence samples recorded.'];
  return [
    `Audience: peak ${p.peak}${p.peakAt === null ? '' : ` at ${clock(p.peakAt)}`}, mean ${p.mean}`,
    ...p.samples.map((s) => `  ${clock(s.at)}  ${String(s.audience).padStart(5)}  ${bar(s.audience, p.peak)}`),
  ];
}

function questionsText(r: TalkReport): string[] {
  const q = r.questions;
  const lines = [`Questions: ${q.total}, ${q.answered} answered`];
  for (const s of r.slides) {
    const list = q.slides[s.key];
    if (!list) continue;
    lines.push(`  Slide ${title(r, s.key)}`);
    for (const item of list) lines.push(`    ${String(item.votes).padStart(3)} ▲ ${item.text}${item.name ? ` (${item.name})` : ''}${item.state === 'visible' ? '' : ` [${item.state}]`}`);
  }
  return lines;
}

const reactionList = (counts: Partial<Record<Reaction, number>>) =>
  Object.entries(counts).map(([reaction, n]) => `${REACTION_FACES[reaction as Reaction]?.label ?? reaction} ${n}`).join(', ');

function reactionsText(r: TalkReport): string[] {
  const slides = r.slides.filter((s) => r.reactions.slides[s.key]);
  if (slides.length === 0) return ['Reactions: none'];
  return [`Reactions: ${reactionList(r.reactions.total)}`, ...slides.map((s) => `  ${title(r, s.key)}: ${reactionList(r.reactions.slides[s.key]!)}`)];
}

function paceText(r: TalkReport): string[] {
  const slides = r.slides.filter((s) => r.pace.slides[s.key]);
  if (slides.length === 0) return ['Pace: no signals'];
  return [
    `Pace: too fast ${r.pace.total.fast}, too slow ${r.pace.total.slow}`,
    ...slides.map((s) => `  ${title(r, s.key)}: too fast ${r.pace.slides[s.key]!.fast}, too slow ${r.pace.slides[s.key]!.slow}`),
  ];
}

function pollsText(r: TalkReport): string[] {
  if (r.polls.length === 0) return ['Polls: none'];
  const lines = ['Polls'];
  for (const poll of r.polls) {
    lines.push(`  ${poll.question} (${poll.type}, ${poll.status}, ${poll.ballots} ballot${poll.ballots === 1 ? '' : 's'}${poll.slide ? `, slide ${title(r, poll.slide)}` : ''})`);
    const rows = poll.type === 'words' ? poll.words : poll.options;
    const max = Math.max(0, ...rows.map((o) => o.count));
    const width = Math.min(30, Math.max(0, ...rows.map((o) => o.text.length)));
    for (const o of rows) lines.push(`    ${o.text.slice(0, width).padEnd(width)}  ${String(o.count).padStart(4)}  ${bar(o.count, max)}`);
    for (const answer of poll.answers) lines.push(`    “${answer}”`);
  }
  return lines;
}

const SECTIONS: Array<(r: TalkReport) => string[]> = [timelineText, presenceText, questionsText, reactionsText, paceText, pollsText];

export function reportText(report: TalkReport): string {
  return [header(report), ...SECTIONS.map((section) => section(report))].map((lines) => lines.join('\n')).join('\n\n') + '\n';
}
