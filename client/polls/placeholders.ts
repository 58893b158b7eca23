/** Fills every `<div class="ld-poll" data-poll-id>` the deck loader left in the slides. */
import type { PollView } from '../../protocol/polls.ts';
import { el } from '../dom.ts';
import { renderResults } from './chart.ts';
import type { PollStore } from './store.ts';

/** What a placeholder shows besides the question: results, or a line saying where to vote. */
export type PlaceholderBody = (view: PollView) => Node[];

export function fillPlaceholders(store: PollStore, body: PlaceholderBody, root: ParentNode = document): void {
  for (const slot of root.querySelectorAll<HTMLElement>('.ld-poll[data-poll-id]')) {
    const view = store.get(slot.dataset.pollId ?? '');
    if (!view) {
      slot.replaceChildren();
      continue;
    }
    slot.dataset.status = view.status;
    slot.replaceChildren(
      el('div', { className: 'ld-poll-head' }, [
        el('p', { className: 'ld-poll-question', text: view.poll.question }),
        el('span', { className: 'ld-poll-status', text: STATUS_TEXT[view.status] }),
      ]),
      ...body(view),
    );
  }
}

export const STATUS_TEXT: Record<PollView['status'], string> = { ready: 'Not open yet', open: 'Open', closed: 'Closed' };

/** The usual body: the results chart when any, else nothing. */
export function resultsBody(view: PollView): Node[] {
  return view.status === 'ready' && (view.results?.ballots ?? 0) === 0 ? [] : [renderResults(view)];
}
