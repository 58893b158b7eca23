/** The report's charts: bars as elements, the audience line as SVG; every label through textContent. */
import { el } from '../client/dom.ts';

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

export interface BarRow {
  label: string;
  name: string;
  value: number;
  /** The figure written beside the bar. */
  text: string;
  /** Further words under the name (visits, a breakdown). */
  note?: string;
}

/** One row per item: label, name, a bar as long as its share of the largest, the figure. */
export function barChart(rows: readonly BarRow[], className: string): HTMLElement {
  const max = Math.max(0, ...rows.map((r) => r.value));
  const list = el('div', { className: `ld-rp-bars ${className}`, attrs: { role: 'list' } });
  for (const row of rows) {
    const fill = el('span', { className: 'ld-rp-fill' });
    fill.style.width = `${max > 0 ? (row.value / max) * 100 : 0}%`;
    const name = el('span', { className: 'ld-rp-name' }, [el('span', { text: row.name })]);
    if (row.note) name.append(el('small', { text: row.note }));
    list.append(
      el('div', { className: 'ld-rp-bar', attrs: { role: 'listitem', 'data-value': String(row.value) } }, [
        el('span', { className: 'ld-rp-label', text: row.label }),
        name,
        el('span', { className: 'ld-rp-track' }, [fill]),
        el('span', { className: 'ld-rp-figure', text: row.text }),
      ]),
    );
  }
  return list;
}

/** Two bars per row (too fast, too slow), scaled together. */
export function pairChart(rows: ReadonlyArray<{ label: string; name: string; a: number; b: number }>, names: [string, string]): HTMLElement {
  const max = Math.max(0, ...rows.flatMap((r) => [r.a, r.b]));
  const list = el('div', { className: 'ld-rp-bars ld-rp-pairs', attrs: { role: 'list' } });
  for (const row of rows) {
    const bars = el('span', { className: 'ld-rp-pair' });
    for (const [i, value] of [row.a, row.b].entries()) {
      const fill = el('span', { className: `ld-rp-fill ld-rp-fill-${i === 0 ? 'a' : 'b'}` });
      fill.style.width = `${max > 0 ? (value / max) * 100 : 0}%`;
      bars.append(el('span', { className: 'ld-rp-track', attrs: { title: `${names[i]}: ${value}` } }, [fill]));
    }
    list.append(
      el('div', { className: 'ld-rp-bar', attrs: { role: 'listitem', 'data-a': String(row.a), 'data-b': String(row.b) } }, [
        el('span', { className: 'ld-rp-label', text: row.label }),
        el('span', { className: 'ld-rp-name' }, [el('span', { text: row.name })]),
        bars,
        el('span', { className: 'ld-rp-figure', text: `${row.a} / ${row.b}` }),
      ]),
    );
  }
  return list;
}

const W = 720;
const H = 220;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

/**
 * The audience count as a step line over the talk's time span, with the peak and the start and
 * end times written on the axes.
 */
export function stepChart(samples: ReadonlyArray<{ at: number; audience: number }>, clock: (at: number) => string): SVGSVGElement {
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'ld-rp-line', role: 'img' });
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) return chart;
  const peak = Math.max(1, ...samples.map((s) => s.audience));
  const span = Math.max(1, last.at - first.at);
  const x = (at: number) => PAD.left + ((at - first.at) / span) * (W - PAD.left - PAD.right);
  const y = (n: number) => H - PAD.bottom - (n / peak) * (H - PAD.top - PAD.bottom);
  chart.append(svg('title', {}, `Audience over time: peak ${peak}`));
  for (const n of [0, Math.round(peak / 2), peak]) {
    chart.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(n), y2: y(n), class: 'ld-rp-grid' }));
    chart.append(svg('text', { x: PAD.left - 6, y: y(n) + 4, 'text-anchor': 'end', class: 'ld-rp-axis' }, String(n)));
  }
  let d = `M${x(first.at)},${y(first.audience)}`;
  for (let i = 1; i < samples.length; i++) {
    const s = samples[i]!;
    d += ` H${x(s.at)} V${y(s.audience)}`;
  }
  const area = `${d} V${y(0)} H${x(first.at)} Z`;
  chart.append(svg('path', { d: area, class: 'ld-rp-area' }), svg('path', { d, class: 'ld-rp-stroke' }));
  chart.append(
    svg('text', { x: PAD.left, y: H - 8, class: 'ld-rp-axis' }, clock(first.at)),
    svg('text', { x: W - PAD.right, y: H - 8, 'text-anchor': 'end', class: 'ld-rp-axis' }, clock(last.at)),
  );
  return chart;
}
