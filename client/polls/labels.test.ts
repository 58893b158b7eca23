import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { typeLabel } from './labels.ts';

describe('typeLabel', () => {
  it('names a 0–10 rating by its own scale, not the create form\'s 1–5', () => {
    const options = Array.from({ length: 11 }, (_, i) => String(i));
    assert.equal(typeLabel({ type: 'rating', options }), 'Rating 0–10');
    assert.equal(typeLabel({ type: 'rating', options: ['1', '2', '3', '4', '5'] }), 'Rating 1–5');
  });

  it('keeps the plain names of the other types', () => {
    assert.equal(typeLabel({ type: 'single', options: ['a', 'b'] }), 'Single choice');
    assert.equal(typeLabel({ type: 'text', options: [] }), 'Open text');
  });
});
