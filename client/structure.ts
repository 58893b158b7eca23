/**
 * The slide structure a reveal.js deck has in this browser, compared with the one the server
 * enforces and phones follow (TalkInfo.stacks and .fragments). A difference means some moves
 * will be refused or land elsewhere, so the console must say so instead of staying silent.
 */
import type { TalkInfo } from '../protocol/messages.ts';
import { slideLabel, type RevealDeck } from './deck-state.ts';

export type DeckStructure = Pick<TalkInfo, 'stacks' | 'fragments'>;

/**
 * Fragment steps on one slide, by reveal.js's own rule (Fragments.sort): fragments sharing a
 * `data-fragment-index` are one step, each fragment without one is a step of its own, and
 * reveal ignores an index that is not a non-negative integer (it lands off its array).
 */
export function fragmentSteps(indexes: ReadonlyArray<string | null>): number {
  const shared = new Set<number>();
  let own = 0;
  for (const raw of indexes) {
    if (raw === null) own++;
    else {
      const n = Number.parseInt(raw, 10);
      if (Number.isInteger(n) && n >= 0) shared.add(n);
    }
  }
  return shared.size + own;
}

/** What reveal.js built: columns, slides per column and fragment steps per slide (after plugins ran). */
export function readStructure(deck: RevealDeck): DeckStructure {
  const stacks: number[] = [];
  const fragments: number[][] = [];
  for (const column of deck.getHorizontalSlides()) {
    const children = Array.from(column.children).filter((c): c is HTMLElement => c.tagName === 'SECTION');
    const slides = children.length ? children : [column];
    stacks.push(slides.length);
    fragments.push(slides.map((s) => fragmentSteps(Array.from(s.querySelectorAll('.fragment'), (f) => f.getAttribute('data-fragment-index')))));
  }
  return { stacks, fragments };
}

/**
 * Until the server counts fragments (the deck model), it sends this as "not counted": such a
 * slide's fragments are not compared.
 */
const NOT_COUNTED = Number.MAX_SAFE_INTEGER;

export interface Difference {
  h: number;
  v: number;
  /** One sentence for the speaker, naming the slide. */
  message: string;
}

/** The first slide where this console's deck and the server's differ, or null when they agree. */
export function firstDifference(local: DeckStructure, server: DeckStructure): Difference | null {
  const columns = Math.max(local.stacks.length, server.stacks.length);
  for (let h = 0; h < columns; h++) {
    const mine = local.stacks[h];
    const theirs = server.stacks[h];
    if (mine === undefined || theirs === undefined) {
      const message =
        mine === undefined
          ? `The server has ${server.stacks.length} slide columns, this console ${local.stacks.length}: slide ${h + 1} onwards is not on this console.`
          : `This console has ${local.stacks.length} slide columns, the phones' deck ${server.stacks.length}: slide ${h + 1} onwards is not in the deck phones have.`;
      return { h, v: 0, message };
    }
    for (let v = 0; v < Math.min(mine, theirs); v++) {
      const f = local.fragments[h]?.[v] ?? 0;
      const g = server.fragments[h]?.[v] ?? 0;
      if (g !== NOT_COUNTED && f !== g) {
        return { h, v, message: `Slide ${slideLabel({ indexh: h, indexv: v })} has ${f} fragment steps on this console but ${g} in the deck phones have.` };
      }
    }
    if (mine !== theirs) {
      const v = Math.min(mine, theirs);
      return { h, v, message: `Slide ${h + 1} has ${mine} vertical slides on this console but ${theirs} in the deck phones have.` };
    }
  }
  return null;
}
