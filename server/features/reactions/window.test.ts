import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReactionWindow } from './index.ts';

describe('ReactionWindow', () => {
  it('counts per reaction and starts afresh after each take', () => {
    const w = new ReactionWindow();
    w.add('like');
    w.add('like');
    w.add('wow');
    assert.deepEqual(w.take(), { like: 2, wow: 1 });
    assert.deepEqual(w.take(), {});
  });
});
