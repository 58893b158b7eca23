import type { Page } from '../assets/bundle.ts';
import type { RevealSetup } from '../deck/types.ts';
import { escapeHtml } from './html.ts';

export interface PageInput {
  page: Page;
  title: string;
  code: string;
  /** Hash-suffixed URLs of the page's script and stylesheet. */
  script: string;
  style: string;
  themeUrl: string;
  /**
   * The theme's web fonts, split out of it (null if it has none). Linked normally on the
   * projector pages; phones get it as data-fonts and load it after the first slide shows.
   */
  fontsUrl?: string | null;
  /** The deck's <section> markup (the author's own HTML, notes already removed). */
  deckHtml: string;
  /** Public audience URL, shown (and drawn as a QR code) on the presenter console. */
  joinUrl: string;
  /** The deck's reveal.js set-up, handed to the page script as JSON. */
  reveal: RevealSetup;
  /** URL of the highlight.js style sheet, when the deck has code (null otherwise). */
  highlightUrl: string | null;
  /** Chunks the page script imports statically, fetched in parallel with it. */
  preloads: readonly string[];
}

/**
 * JSON inside a <script> element: `<` is written as \u003c so no `</script>` or `<!--` in a
 * deck option can end the element or change how it is parsed. Still valid JSON for JSON.parse.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The page shell. Everything dynamic is built by the page script from the WebSocket; the
 * only values written here are public (title, join code, join URL), never the presenter key.
 */
export function renderPage(input: PageInput): string {
  const { page, title, code, script, style, themeUrl, deckHtml, joinUrl, fontsUrl, reveal, highlightUrl, preloads } = input;
  const lazyFonts = page === 'audience';
  const fontsLink = fontsUrl && !lazyFonts ? `\n<link rel="stylesheet" href="${escapeHtml(fontsUrl)}">` : '';
  const fontsData = fontsUrl && lazyFonts ? ` data-fonts="${escapeHtml(fontsUrl)}"` : '';
  const label =
    page === 'presenter' ? `Presenter · ${title}` : page === 'screen' ? `Screen · ${title}` : page === 'moderator' ? `Moderator · ${title}` : page === 'remote' ? `Remote · ${title}` : title;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(label)}</title>
<link rel="stylesheet" href="${escapeHtml(style)}">
${stylesheets([reveal.themeCss ?? themeUrl])}${fontsLink}${highlightUrl ? `\n${stylesheets([highlightUrl])}` : ''}${reveal.css.length ? `\n${stylesheets(reveal.css)}` : ''}
<script type="application/json" id="ld-reveal">${scriptJson(reveal)}</script>${preloads.map((p) => `\n<link rel="modulepreload" href="${escapeHtml(p)}">`).join('')}
<script type="module" src="${escapeHtml(script)}"></script>
</head>
<body class="ld-${page}" data-talk="${escapeHtml(code)}" data-join-url="${escapeHtml(joinUrl)}"${fontsData}>
<div class="reveal"><div class="slides">
${deckHtml}
</div></div>
</body>
</html>
`;
}

function stylesheets(urls: readonly string[]): string {
  return urls.map((url) => `<link rel="stylesheet" href="${escapeHtml(url)}">`).join('\n');
}

/** The landing page where people type the join code shown on the projector. */
export function renderJoinForm(message: string | null): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Join a talk · livedeck</title>
<style>
body{font-family:system-ui,sans-serif;background:#111;color:#eee;display:grid;place-items:center;min-height:100vh;margin:0}
form{display:grid;gap:12px;padding:24px;max-width:320px;width:90%}
h1{font-size:1.4rem;margin:0}
input{font-size:1.6rem;padding:10px;text-transform:uppercase;letter-spacing:.2em;text-align:center;border-radius:8px;border:1px solid #555;background:#222;color:#fff}
button{font-size:1.2rem;padding:12px;border-radius:8px;border:0;background:#2a7ae2;color:#fff}
p{color:#f88;margin:0}
</style>
</head>
<body>
<form action="/join" method="get">
<h1>Join a talk</h1>
<label for="code">Code on the screen</label>
<input id="code" name="code" autocomplete="off" autocapitalize="characters" maxlength="12" required autofocus>
${message ? `<p role="alert">${escapeHtml(message)}</p>` : ''}
<button type="submit">Join</button>
</form>
</body>
</html>
`;
}
