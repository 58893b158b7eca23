import type { ServerMessage } from '../../protocol/messages.ts';
import type { BallotValue, PollResults, PollView } from '../../protocol/polls.ts';

/**
 * The polls as this page knows them. A welcome replaces everything; `poll` messages replace one
 * poll's view; `results` (absolute tallies) replace its results unless older than the view held.
 */
export class PollStore {
  private readonly views = new Map<string, PollView>();
  /** This participant's ballots, as last sent or as the welcome reported them. */
  readonly mine = new Map<string, BallotValue>();

  /** Applies a server message; returns true when anything poll-related changed. */
  apply(message: ServerMessage): boolean {
    switch (message.type) {
      case 'welcome':
        this.views.clear();
        this.mine.clear();
        for (const view of message.polls ?? []) {
          this.views.set(view.poll.id, view);
          if (view.mine) this.mine.set(view.poll.id, view.mine);
        }
        return true;
      case 'poll': {
        const held = this.views.get(message.view.poll.id);
        if (held && held.seq > message.view.seq) return false;
        this.views.set(message.view.poll.id, { ...message.view, ...(held?.mine ? { mine: held.mine } : {}) });
        return true;
      }
      case 'results': {
        const held = this.views.get(message.poll);
        if (!held || held.seq > message.asOf) return false;
        this.views.set(message.poll, { ...held, seq: message.asOf, results: message.results });
        return true;
      }
      default:
        return false;
    }
  }

  get(id: string): PollView | undefined {
    return this.views.get(id);
  }

  all(): PollView[] {
    return [...this.views.values()];
  }

  open(): PollView[] {
    return this.all().filter((v) => v.status === 'open');
  }
}

/** "12 votes" / "1 vote". */
export function ballotsLabel(results: PollResults | null): string {
  const n = results?.ballots ?? 0;
  return `${n} ${n === 1 ? 'answer' : 'answers'}`;
}
