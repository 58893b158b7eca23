/**
 * Time on each slide, from the talk's log: the deck moves with their times, and the times of
 * every other event, which show that the talk was going on between two moves.
 */
import { slideKeyOf } from '../../../protocol/live.ts';
import type { DeckState } from '../../../protocol/messages.ts';
import type { TimelineSection } from '../../../protocol/report.ts';
import { INITIAL_DECK_STATE } from '../../talk/deck-state.ts';

/**
 * A silence longer than this with nothing in the log is a break (the server was stopped, or no
 * one was connected), not time on the slide. While anyone is connected the recorder writes a
 * presence sample at least once a minute, so a talk in progress never stays silent this long.
 */
export const BREAK_AFTER_MS = 5 * 60_000;

/** One event of the log: its time, and the deck state when it is a deck move. */
export interface LogPoint {
  at: number;
  deck?: DeckState;
}


/**
 * Walks the log in order. Between two events the deck holds the earlier state: that stretch
 * counts for its slide, unless the deck was paused (black screen) or in overview, which are
 * totalled apart, or the stretch is longer than `breakAfterMs`, which is a break. Moving through
 * fragments stays on the slide; arriving on a different slide is a visit.
 */
export function timeline(points: readonly LogPoint[], breakAfterMs = BREAK_AFTER_MS): TimelineSection {
  const out: TimelineSection = { start: null, end: null, shownMs: 0, pausedMs: 0, overviewMs: 0, breaks: [], breakAfterMs, slides: {} };
  const first = points[0];
  if (!first) return out;
  let state: DeckState = INITIAL_DECK_STATE;
  let shownKey: string | null = null;
  const arrive = (next: DeckState) => {
    state = next;
    const key = next.paused || next.overview ? null : slideKeyOf(next);
    if (key !== null && key !== shownKey) (out.slides[key] ??= { ms: 0, visits: 0 }).visits++;
    // A pause or the overview between two stretches of the same slide is not a new visit.
    if (key !== null) shownKey = key;
  };
  arrive(first.deck ?? INITIAL_DECK_STATE);
  let previous = first.at;
  for (let i = 1; i < points.length; i++) {
    const point = points[i]!;
    // A clock set back between two events must not subtract time.
    const ms = Math.max(0, point.at - previous);
    if (ms > breakAfterMs) out.breaks.push({ from: previous, to: point.at });
    else if (state.paused) out.pausedMs += ms;
    else if (state.overview) out.overviewMs += ms;
    else {
      (out.slides[slideKeyOf(state)] ??= { ms: 0, visits: 0 }).ms += ms;
      out.shownMs += ms;
    }
    previous = Math.max(previous, point.at);
    if (point.deck) arrive(point.deck);
  }
  out.start = first.at;
  out.end = previous;
  return out;
}
