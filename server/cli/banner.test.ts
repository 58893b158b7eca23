import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { outsideLines } from './banner.ts';

describe('the start banner on outside URLs', () => {
  it('says nothing when the deck needs no internet', () => {
    assert.deepEqual(outsideLines([]), []);
  });

  it('names a few and counts the rest', () => {
    assert.deepEqual(outsideLines(['https://a.example/x.png']), ['Phones will need internet for: https://a.example/x.png']);
    const urls = ['https://a/1', 'https://a/2', 'https://a/3', 'https://a/4', 'https://a/5'];
    assert.deepEqual(outsideLines(urls), ['Phones will need internet for: https://a/1, https://a/2, https://a/3 and 2 more']);
  });
});
