/**
 * The report page (`/t/<code>/report#key=…`), for the presenter and moderators after the talk.
 * The key comes from the URL fragment and goes out only as a Bearer header; the data is drawn
 * with elements and SVG built from text, never HTML.
 */
import './report.css';
import type { TalkReport } from '../protocol/report.ts';
import { el } from '../client/dom.ts';
import { pageInfo } from '../client/page.ts';
import { badLinkMessage, staffKey } from '../client/staff-link.ts';
import { renderReport } from './sections.ts';

const { talk } = pageInfo();
const key = staffKey();
const main = document.getElementById('report') ?? document.body.appendChild(el('main', { className: 'ld-rp' }));

function show(message: string): void {
  main.replaceChildren(el('p', { className: 'ld-rp-status ld-rp-error', text: message, attrs: { role: 'alert' } }));
}

async function load(): Promise<void> {
  if (!key) return show(badLinkMessage('Presenter', key));
  const response = await fetch(`/t/${encodeURIComponent(talk)}/report.json`, { headers: { authorization: `Bearer ${key}` }, cache: 'no-store' });
  if (response.status === 401) return show(badLinkMessage('Presenter', key));
  if (!response.ok) return show(`The report could not be loaded (HTTP ${response.status}).`);
  const report = (await response.json()) as TalkReport;
  document.title = `Report · ${report.talk.title}`;
  main.replaceChildren(...renderReport(report, { print: () => window.print(), reload: () => void load() }));
  document.body.dataset.ready = 'true';
}

load().catch((err: unknown) => show(`The report could not be loaded: ${err instanceof Error ? err.message : String(err)}`));
