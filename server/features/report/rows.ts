/**
 * The report in the export's one CSV table (server/features/export): `slide_time` rows (text: the
 * title, votes: seconds shown to a tenth, state: "visits N"), `presence` rows (votes: audience connections,
 * at: when), and `reaction` and `pace` rows per slide (text: the reaction or fast/slow, votes: how many).
 */
import type { TalkReport } from '../../../protocol/report.ts';
import type { ExportRow } from '../export/index.ts';

export function reportRows(report: TalkReport): ExportRow[] {
  const labels = new Map(report.slides.map((s) => [s.key, s.label]));
  const label = (key: string) => labels.get(key) ?? key;
  const row = (kind: string, id: string, slide: string, text: string, votes: number | null, state = '', at: number | null = null): ExportRow => ({ kind, id, slide, text, name: '', votes, state, at });
  const rows: ExportRow[] = [];
  for (const slide of report.slides) {
    const time = report.timeline.slides[slide.key];
    if (time) rows.push(row('slide_time', slide.key, slide.label, slide.title, Math.round(time.ms / 100) / 10, `visits ${time.visits}`));
  }
  for (const sample of report.presence.samples) rows.push(row('presence', '', '', '', sample.audience, '', sample.at));
  for (const [key, counts] of Object.entries(report.reactions.slides)) {
    for (const [reaction, n] of Object.entries(counts)) rows.push(row('reaction', key, label(key), reaction, n ?? 0));
  }
  for (const [key, counts] of Object.entries(report.pace.slides)) {
    for (const signal of ['fast', 'slow'] as const) if (counts[signal] > 0) rows.push(row('pace', key, label(key), signal, counts[signal]));
  }
  return rows;
}
