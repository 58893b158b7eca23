import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PollDefinition } from '../../../protocol/polls.ts';
import type { Talk } from '../../talk/talk.ts';
import { PollBoard } from './board.ts';
import { pollsExportSection } from './export.ts';

const poll = (id: string, type: PollDefinition['type'], options: string[] = [], slide: PollDefinition['slide'] = null): PollDefinition => ({
  id,
  type,
  question: `${id}?`,
  options,
  results: 'closed',
  open: 'manual',
  slide,
});

/** A board with a choice poll on slide 2.2, a word cloud and 150 open answers (more than a results message carries). */
function board(): PollBoard {
  const b = new PollBoard([poll('pick', 'single', ['ws', 'sse'], { h: 1, v: 1 }), poll('cloud', 'words'), poll('open', 'text')]);
  b.setStatus('pick', 'open', 1);
  b.cast('pick', 'p1', { choices: [0] }, 2);
  b.cast('pick', 'p2', { choices: [0] }, 3);
  b.cast('pick', 'p3', { choices: [1] }, 4);
  b.cast('pick', 'p3', { choices: [0] }, 5);
  b.setStatus('pick', 'closed', 6);
  b.cast('cloud', 'p1', { text: 'Fast' }, 7);
  b.cast('cloud', 'p2', { text: 'fast' }, 8);
  for (let i = 0; i < 150; i++) b.cast('open', `a${i}`, { text: `answer ${i}` }, 100 + i);
  return b;
}

describe('pollsExportSection', () => {
  const talk = {} as Talk;
  const section = pollsExportSection(() => board());

  it('gives each poll its question, type, state, slide and full results as JSON', () => {
    const [pick, cloud, open] = section.json(talk) as Array<Record<string, unknown>>;
    assert.deepEqual(pick, {
      id: 'pick',
      question: 'pick?',
      type: 'single',
      state: 'closed',
      results: 'closed',
      slide: { h: 1, v: 1, label: '2.2' },
      ballots: 3,
      options: [
        { text: 'ws', count: 3 },
        { text: 'sse', count: 0 },
      ],
      words: [],
      answers: [],
    });
    assert.deepEqual(cloud?.words, [{ text: 'fast', count: 2 }]); // words are exported in their normalised (lower-case) form
    assert.equal(cloud?.slide, null);
    assert.equal((open?.answers as string[]).length, 150, 'every answer, not only the newest a screen shows');
  });

  it('writes a poll row and one row per option, word and answer for the CSV', () => {
    const rows = section.rows(talk);
    assert.deepEqual(rows.slice(0, 3), [
      { kind: 'poll', id: 'pick', slide: '2.2', text: 'pick?', name: '', votes: 3, state: 'closed', at: null },
      { kind: 'poll_option', id: 'pick', slide: '2.2', text: 'ws', name: '', votes: 3, state: '', at: null },
      { kind: 'poll_option', id: 'pick', slide: '2.2', text: 'sse', name: '', votes: 0, state: '', at: null },
    ]);
    assert.deepEqual(rows.find((r) => r.kind === 'poll_word'), { kind: 'poll_word', id: 'cloud', slide: '', text: 'fast', name: '', votes: 2, state: '', at: null });
    assert.equal(rows.filter((r) => r.kind === 'poll_answer').length, 150);
  });

  it('is empty for a talk without polls', () => {
    assert.deepEqual(pollsExportSection(() => undefined).json(talk), []);
  });
});
