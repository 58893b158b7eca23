/**
 * Results drawn with plain elements (createElement + textContent): bars for choices and ratings,
 * a word cloud sized by frequency, a list for open answers. Audience text is never HTML.
 */
import type { PollResults, PollView } from '../../protocol/polls.ts';
import { el } from '../dom.ts';
import { ballotsLabel } from './store.ts';

export interface ChartOptions {
  /** Open answers shown (the newest). */
  answers?: number;
}

export function renderResults(view: PollView, options: ChartOptions = {}): HTMLElement {
  const results = view.results;
  if (!results) {
    return el('p', { className: 'ld-poll-hidden', text: view.status === 'closed' ? 'No results.' : 'Results are shown when the poll closes.' });
  }
  const chart =
    view.poll.type === 'words' ? wordCloud(results) : view.poll.type === 'text' ? answerList(results, options.answers ?? 8) : bars(view, results);
  return el('div', { className: 'ld-results' }, [chart, el('p', { className: 'ld-poll-count', text: summary(view, results) })]);
}

function summary(view: PollView, results: PollResults): string {
  const parts = [ballotsLabel(results)];
  if (view.poll.type === 'ranking') parts.push('points (Borda) · #average rank');
  if (view.poll.type === 'rating' && results.ballots > 0) {
    const total = results.counts.reduce((sum, n, i) => sum + n * Number(view.poll.options[i] ?? 0), 0);
    parts.push(`average ${(total / results.ballots).toFixed(1)}`);
  }
  return parts.join(' · ');
}

function bars(view: PollView, results: PollResults): HTMLElement {
  if (view.poll.type === 'ranking') return rankingBars(view, results);
  const max = Math.max(1, ...results.counts);
  const total = Math.max(1, results.ballots);
  const correct = new Set(view.poll.quiz?.correct ?? []);
  const list = el('div', { className: `ld-bars ld-bars-${view.poll.type}`, attrs: { role: 'list' } });
  view.poll.options.forEach((option, i) => {
    const count = results.counts[i] ?? 0;
    const fill = el('span', { className: 'ld-bar-fill' });
    fill.style.width = `${(count / max) * 100}%`;
    const right = correct.has(i);
    list.append(
      el('div', { className: `ld-bar-row${right ? ' ld-bar-correct' : ''}`, attrs: { role: 'listitem', 'data-count': String(count), 'aria-label': `${option}: ${count}${right ? ' (correct)' : ''}` } }, [
        el('span', { className: 'ld-bar-label', text: right ? `✓ ${option}` : option }),
        el('span', { className: 'ld-bar-track' }, [fill]),
        el('span', { className: 'ld-bar-count', text: `${count}` }),
        el('span', { className: 'ld-bar-pct', text: `${Math.round((count / total) * 100)}%` }),
      ]),
    );
  });
  return list;
}

/** A ranking: options by Borda points, best first, each with its average rank. */
function rankingBars(view: PollView, results: PollResults): HTMLElement {
  const max = Math.max(1, ...results.counts);
  const list = el('div', { className: 'ld-bars ld-bars-ranking', attrs: { role: 'list' } });
  const order = view.poll.options.map((_, i) => i).sort((a, b) => (results.counts[b] ?? 0) - (results.counts[a] ?? 0) || a - b);
  for (const i of order) {
    const option = view.poll.options[i] ?? '';
    const points = results.counts[i] ?? 0;
    const rank = results.ranks?.[i] ?? 0;
    const fill = el('span', { className: 'ld-bar-fill' });
    fill.style.width = `${(points / max) * 100}%`;
    list.append(
      el('div', { className: 'ld-bar-row', attrs: { role: 'listitem', 'data-index': String(i), 'data-points': String(points), 'aria-label': `${option}: ${points} points, average rank ${rank}` } }, [
        el('span', { className: 'ld-bar-label', text: option }),
        el('span', { className: 'ld-bar-track' }, [fill]),
        el('span', { className: 'ld-bar-count', text: `${points}`, attrs: { title: 'points' } }),
        el('span', { className: 'ld-bar-pct', text: rank > 0 ? `#${rank.toFixed(1)}` : '–', attrs: { title: 'average rank' } }),
      ]),
    );
  }
  return list;
}

function wordCloud(results: PollResults): HTMLElement {
  const cloud = el('div', { className: 'ld-cloud', attrs: { role: 'list' } });
  if (results.words.length === 0) cloud.append(el('span', { className: 'ld-empty', text: 'No words yet.' }));
  const max = Math.max(1, ...results.words.map((w) => w.count));
  // Alphabetical placement with frequency as size reads as a cloud, not a ranking.
  const words = [...results.words].sort((a, b) => a.text.localeCompare(b.text));
  words.forEach((word, i) => {
    const span = el('span', { className: 'ld-word', text: word.text, attrs: { role: 'listitem', 'data-count': String(word.count), title: `${word.count}` } });
    span.style.fontSize = `${0.8 + 1.8 * Math.sqrt(word.count / max)}em`;
    span.style.setProperty('--hue', String((i * 47) % 360));
    cloud.append(span);
  });
  return cloud;
}

function answerList(results: PollResults, shown: number): HTMLElement {
  const list = el('ul', { className: 'ld-answers' });
  if (results.answers.length === 0) list.append(el('li', { className: 'ld-empty', text: 'No answers yet.' }));
  for (const answer of results.answers.slice(-shown).reverse()) list.append(el('li', { text: answer }));
  return list;
}
