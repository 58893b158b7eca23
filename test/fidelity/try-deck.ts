/**
 * Tries any deck as a speaker would (`npx tsx test/fidelity/try-deck.ts path/to/deck.md [more…]`):
 * the sync walk and the comparison with plain reveal.js, printed as figures. Diff images of slides
 * over the limit go to a temp folder (printed). Exit code 1 when a check fails.
 * Flags after `--reveal-md` are passed to reveal-md (e.g. `--reveal-md --css style.css`);
 * `--css a.css` adds a style sheet beside the deck on both sides; `--reveal6` runs reveal-md's page on reveal.js 6 (livedeck's) instead of the 5.x it bundles.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../support/browser.ts';
import { checkDeck, MAX_DIFF_PERCENT, summary } from './check-deck.ts';
import { CORPUS } from './corpus.ts';

const args = process.argv.slice(2);
const split = args.indexOf('--reveal-md');
const own = split < 0 ? args : args.slice(0, split);
// --reveal6: reveal-md's page on livedeck's reveal.js 6 rather than the 5.x it bundles.
const revealMdOnReveal6 = own.includes('--reveal6');
// --css a.css,b.css: extra style sheets beside the deck, for livedeck and reveal-md alike.
const cssAt = own.indexOf('--css');
const css = cssAt < 0 ? [] : (own[cssAt + 1] ?? '').split(',').filter(Boolean);
const decks = own.filter((a, i) => a !== '--reveal6' && (cssAt < 0 || (i !== cssAt && i !== cssAt + 1)));
const revealMdArgs = split < 0 ? [] : args.slice(split + 1);
if (decks.length === 0) {
  console.error('usage: tsx test/fidelity/try-deck.ts <deck.md|deck.html> [...] [--reveal-md <reveal-md flags>]');
  process.exit(2);
}
const diffDir = await mkdtemp(path.join(tmpdir(), 'livedeck-fidelity-'));
const browser = await launchBrowser();
let failed = false;
try {
  for (const deckPath of decks) {
    // A deck of the corpus brings its feature checks along.
    const checks = CORPUS.find((d) => d.path === path.resolve(deckPath))?.checks ?? [];
    const report = await checkDeck({ deckPath, browser, diffDir, revealMdArgs, checks, revealMdOnReveal6, css });
    console.log(summary(report));
    failed ||=
      report.refused.length + report.followMismatches.length + report.stepMismatches.length + report.pageErrors.length + report.checkFailures.length + report.blocked.length > 0 ||
      report.slides.some((s) => s.percent > MAX_DIFF_PERCENT);
  }
} finally {
  await browser.close();
}
console.log(`diff images: ${diffDir}`);
process.exit(failed ? 1 : 0);
