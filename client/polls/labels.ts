import type { PollType, PollView } from '../../protocol/polls.ts';

/** What the console's create form offers (a rating made there is 1–5). */
export const TYPE_LABELS: Record<PollType, string> = {
  single: 'Single choice',
  multiple: 'Multiple choice',
  words: 'Word cloud',
  rating: 'Rating 1–5',
  text: 'Open text',
  quiz: 'Quiz question',
  ranking: 'Ranking',
};

/** A listed poll names its own scale: a deck's rating may be 0–10 or 1–7. */
export function typeLabel(poll: Pick<PollView['poll'], 'type' | 'options'>): string {
  const { type, options } = poll;
  return type === 'rating' && options.length > 0 ? `Rating ${options[0]}–${options[options.length - 1]}` : TYPE_LABELS[type];
}
