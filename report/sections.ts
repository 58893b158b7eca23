/**
 * One drawing per section of the report (protocol/report.ts). A new section is one function
 * here, listed in SECTIONS, beside its builder on the server (server/features/report/build.ts).
 */
import { REACTION_FACES, REACTIONS, type PollView, type Reaction } from '../protocol/polls.ts';
import { formatDuration, type ReportPoll, type TalkReport } from '../protocol/report.ts';
import { el } from '../client/dom.ts';
import { renderResults } from '../client/polls/chart.ts';
import { barChart, pairChart, stepChart } from './charts.ts';

const duration = formatDuration;

let shortTalk = false;
/** Wall-clock time; with seconds when the whole talk is shorter than ten minutes, or every label would read the same. */
const clock = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', ...(shortTalk ? { second: '2-digit' } : {}) });

function section(name: string, heading: string, children: Node[]): HTMLElement {
  return el('section', { className: 'ld-rp-section', attrs: { 'data-section': name, 'aria-label': heading } }, [el('h2', { text: heading }), ...children]);
}

const empty = (text: string) => el('p', { className: 'ld-rp-empty', text });

function slideName(report: TalkReport, key: string): { label: string; name: string } {
  const slide = report.slides.find((s) => s.key === key);
  return slide ? { label: slide.label, name: slide.title } : { label: key, name: '' };
}

function timelineSection(r: TalkReport): HTMLElement {
  const t = r.timeline;
  const notes = [`${duration(t.shownMs)} on slides`];
  if (t.pausedMs > 0) notes.push(`${duration(t.pausedMs)} paused`);
  if (t.overviewMs > 0) notes.push(`${duration(t.overviewMs)} in overview`);
  if (t.breaks.length > 0) notes.push(`${t.breaks.length} break${t.breaks.length === 1 ? '' : 's'} not counted (over ${Math.round(t.breakAfterMs / 60_000)} min with nothing happening)`);
  const rows = r.slides.map((s) => {
    const time = t.slides[s.key] ?? { ms: 0, visits: 0 };
    return { label: s.label, name: s.title, value: time.ms, text: duration(time.ms), ...(time.visits > 1 ? { note: `${time.visits} visits` } : {}) };
  });
  return section('timeline', 'Time per slide', [el('p', { className: 'ld-rp-note', text: notes.join(' · ') }), barChart(rows, 'ld-rp-time')]);
}

function presenceSection(r: TalkReport): HTMLElement {
  const p = r.presence;
  if (p.samples.length === 0) return section('presence', 'Audience', [empty('No audience was recorded.')]);
  return section('presence', 'Audience over time', [
    el('p', { className: 'ld-rp-note', text: `Peak ${p.peak}${p.peakAt === null ? '' : ` at ${clock(p.peakAt)}`} · mean ${p.mean}` }),
    stepChart(p.samples, clock),
  ]);
}

function questionsSection(r: TalkReport): HTMLElement {
  const q = r.questions;
  if (q.total === 0) return section('questions', 'Questions', [empty('No questions were asked.')]);
  const groups: HTMLElement[] = [];
  for (const slide of r.slides) {
    const list = q.slides[slide.key];
    if (!list) continue;
    groups.push(
      el('div', { className: 'ld-rp-group' }, [
        el('h3', { text: `${slide.label} · ${slide.title}` }),
        el(
          'ol',
          { className: 'ld-rp-questions' },
          list.map((item) =>
            el('li', { attrs: { 'data-state': item.state, 'data-votes': String(item.votes) } }, [
              el('span', { className: 'ld-rp-votes', text: `▲ ${item.votes}` }),
              el('span', { className: 'ld-rp-qtext', text: item.text }),
              el('span', { className: 'ld-rp-qmeta', text: [item.name ?? 'Anonymous', item.state === 'visible' ? '' : item.state].filter(Boolean).join(' · ') }),
            ]),
          ),
        ),
      ]),
    );
  }
  return section('questions', `Questions (${q.total}, ${q.answered} answered)`, groups);
}

const face = (reaction: Reaction) => `${REACTION_FACES[reaction].emoji} ${REACTION_FACES[reaction].label}`;

function reactionsSection(r: TalkReport): HTMLElement {
  const keys = r.slides.filter((s) => r.reactions.slides[s.key]).map((s) => s.key);
  if (keys.length === 0) return section('reactions', 'Reactions', [empty('No reactions were sent.')]);
  const total = REACTIONS.filter((x) => r.reactions.total[x]).map((x) => `${face(x)} ${r.reactions.total[x]}`).join(' · ');
  const rows = keys.map((key) => {
    const counts = r.reactions.slides[key]!;
    const sum = REACTIONS.reduce((n, x) => n + (counts[x] ?? 0), 0);
    const note = REACTIONS.filter((x) => counts[x]).map((x) => `${face(x)} ${counts[x]}`).join(' · ');
    return { ...slideName(r, key), value: sum, text: String(sum), note };
  });
  return section('reactions', 'Reactions per slide', [el('p', { className: 'ld-rp-note', text: total }), barChart(rows, 'ld-rp-reactions')]);
}

function paceSection(r: TalkReport): HTMLElement {
  const keys = r.slides.filter((s) => r.pace.slides[s.key]).map((s) => s.key);
  if (keys.length === 0) return section('pace', 'Pace', [empty('No pace signals were sent.')]);
  const rows = keys.map((key) => ({ ...slideName(r, key), a: r.pace.slides[key]!.fast, b: r.pace.slides[key]!.slow }));
  return section('pace', 'Pace per slide', [
    el('p', { className: 'ld-rp-note' }, [
      el('span', { className: 'ld-rp-key ld-rp-key-a', text: `Too fast ${r.pace.total.fast}` }),
      el('span', { className: 'ld-rp-key ld-rp-key-b', text: `Too slow ${r.pace.total.slow}` }),
    ]),
    pairChart(rows, ['Too fast', 'Too slow']),
  ]);
}

/** The poll as the live charts (client/polls/chart.ts) take it, with every result shown. */
function pollView(poll: ReportPoll): PollView {
  const counts = poll.options.map((o) => o.count);
  return {
    poll: { id: poll.id, type: poll.type, question: poll.question, options: poll.options.map((o) => o.text), results: poll.results, open: 'manual', slide: null },
    status: poll.status,
    seq: 0,
    results: { ballots: poll.ballots, counts, words: poll.words, answers: poll.answers },
  };
}

function pollsSection(r: TalkReport): HTMLElement {
  if (r.polls.length === 0) return section('polls', 'Polls', [empty('No polls.')]);
  return section(
    'polls',
    'Polls',
    r.polls.map((poll) => {
      const where = poll.slide ? `slide ${slideName(r, poll.slide).label}` : 'created live';
      return el('article', { className: 'ld-rp-poll', attrs: { 'data-poll': poll.id, 'data-type': poll.type } }, [
        el('h3', { text: poll.question }),
        el('p', { className: 'ld-rp-note', text: `${poll.type} · ${where} · ${poll.status}` }),
        renderResults(pollView(poll), { answers: poll.answers.length }),
      ]);
    }),
  );
}

const SECTIONS: Array<(report: TalkReport) => HTMLElement> = [timelineSection, presenceSection, questionsSection, reactionsSection, paceSection, pollsSection];

export function renderReport(report: TalkReport, actions: { print(): void; reload(): void }): HTMLElement[] {
  const t = report.timeline;
  shortTalk = t.start !== null && t.end !== null && t.end - t.start < 10 * 60_000;
  const when = t.start === null ? 'Nothing recorded yet' : `${new Date(t.start).toLocaleDateString()} · ${clock(t.start)}–${clock(t.end ?? t.start)}`;
  const print = el('button', { className: 'ld-rp-btn', text: 'Print / PDF', attrs: { type: 'button' } });
  const reload = el('button', { className: 'ld-rp-btn', text: 'Refresh', attrs: { type: 'button' } });
  print.addEventListener('click', actions.print);
  reload.addEventListener('click', actions.reload);
  const header = el('header', { className: 'ld-rp-header' }, [
    el('div', {}, [el('p', { className: 'ld-rp-kicker', text: `Report · ${report.talk.code}` }), el('h1', { text: report.talk.title }), el('p', { className: 'ld-rp-note', text: when })]),
    el('div', { className: 'ld-rp-actions' }, [reload, print]),
  ]);
  return [header, ...SECTIONS.map((draw) => draw(report))];
}
