/**
 * The report over HTTP, mounted at `/t`: the page `/t/<code>/report` (a shell; its script reads
 * the key from the URL fragment) and its data `/t/<code>/report.json`, which needs
 * `Authorization: Bearer <presenter or moderator key>` like the export: never a key in a URL.
 */
import { Hono } from 'hono';
import { escapeHtml } from '../../http/html.ts';
import { normalizeJoinCode } from '../../talk/secrets.ts';
import type { Talk } from '../../talk/talk.ts';
import { liveReport } from './index.ts';

export interface ReportRoutesOptions {
  talk: Talk;
  /** True for the presenter's or a moderator's key. */
  authorize(key: string): boolean;
  /** URLs of the report page's script and stylesheet, and the chunks its script imports. */
  script: string;
  style: string;
  preloads: readonly string[];
}

function renderReportPage(options: { title: string; code: string; script: string; style: string; preloads: readonly string[] }): string {
  const { title, code, script, style, preloads } = options;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Report · ${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(style)}">${preloads.map((p) => `\n<link rel="modulepreload" href="${escapeHtml(p)}">`).join('')}
<script type="module" src="${escapeHtml(script)}"></script>
</head>
<body class="ld-report" data-talk="${escapeHtml(code)}">
<main class="ld-rp" id="report"><p class="ld-rp-status" role="status">Loading the report…</p></main>
</body>
</html>
`;
}

export function reportRoutes(options: ReportRoutesOptions): Hono {
  const { talk, authorize } = options;
  const app = new Hono();
  const page = renderReportPage({ title: talk.info.title, code: talk.code, script: options.script, style: options.style, preloads: options.preloads });
  app.get('/:code/report', (c) => {
    if (normalizeJoinCode(c.req.param('code')) !== talk.code) return c.notFound();
    c.header('cache-control', 'no-store');
    return c.html(page);
  });
  app.get('/:code/report.json', (c) => {
    if (normalizeJoinCode(c.req.param('code')) !== talk.code) return c.notFound();
    c.header('cache-control', 'no-store');
    const auth = /^Bearer ([\x21-\x7e]{1,128})$/.exec(c.req.header('authorization') ?? '');
    if (!auth || !authorize(auth[1]!)) {
      c.header('www-authenticate', 'Bearer realm="livedeck report"');
      return c.json({ error: 'Send the presenter or moderator key as "Authorization: Bearer <key>".' }, 401);
    }
    return c.json(liveReport(talk));
  });
  return app;
}
