/**
 * The fidelity suite (issue 10): every deck of the corpus is presented from the console in
 * Chromium, step by step, and compared with plain reveal.js (reveal-md for Markdown decks).
 * `npm test` runs the quick subset; `npm run test:fidelity` (LIVEDECK_FIDELITY=all) runs them all.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { checkDeck, MAX_DIFF_PERCENT, summary, worstSlides, type DeckReport } from './check-deck.ts';
import { positionLabel } from './positions.ts';
import { CORPUS, type DeckAssertion } from './corpus.ts';

const all = process.env.LIVEDECK_FIDELITY === 'all';
const decks = CORPUS.filter((d) => all || d.quick);

describe('in Chromium: decks present as reveal.js shows them', () => {
  let browser: Browser;
  let diffDir: string;

  before(async () => {
    browser = await launchBrowser();
    diffDir = await mkdtemp(path.join(tmpdir(), 'livedeck-fidelity-'));
  });

  after(async () => {
    await browser?.close();
  });

  for (const deck of decks) {
    describe(path.basename(deck.path), () => {
      let report: DeckReport;

      before(async () => {
        report = await checkDeck({ deckPath: deck.path, browser, diffDir, checks: deck.checks });
        console.log(summary(report));
      });

      const todo = (what: DeckAssertion) => ({ todo: deck.todo?.[what] });

      it('steps through the slides and fragments reveal.js steps through, and no others', todo('steps'), () => {
        assert.deepEqual(report.stepMismatches, []);
        assert.deepEqual(report.consoleSteps, report.referenceSteps);
      });

      it('keeps the screen and a phone where the console is after every step', todo('follow'), () => {
        assert.deepEqual(report.followMismatches, []);
      });

      it('refuses no move and logs no error', todo('errors'), () => {
        assert.deepEqual(report.refused, []);
        assert.deepEqual(report.pageErrors, []);
      });

      it("lets the deck load its own scripts and assets (nothing blocked by livedeck's Content-Security-Policy)", todo('blocked'), () => {
        assert.deepEqual([...new Set(report.blocked)], []);
      });

      it("shows each slide's own notes on the console", todo('notes'), () => {
        assert.deepEqual(report.notesMismatches, []);
      });

      it('renders each feature of the deck', todo('features'), () => {
        assert.deepEqual(report.checkFailures, []);
      });

      it(`differs from reveal.js on at most ${MAX_DIFF_PERCENT} % of the pixels of any slide`, todo('pixels'), () => {
        console.log(worstSlides(report));
        assert.ok(report.slides.length > 0, 'slides were compared');
        const over = report.slides.filter((s) => s.percent > MAX_DIFF_PERCENT);
        assert.deepEqual(
          over.map((s) => `${positionLabel(s.position)} ${s.percent.toFixed(1)} % (${s.diffPath})`),
          [],
        );
      });
    });
  }
});
