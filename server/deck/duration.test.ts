import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it('reads minutes, hours and seconds as people write them', () => {
    assert.equal(parseDuration('20m'), 1200);
    assert.equal(parseDuration('1h30m'), 5400);
    assert.equal(parseDuration('1h 15m'), 4500);
    assert.equal(parseDuration('90s'), 90);
    assert.equal(parseDuration(20), 1200);
    assert.equal(parseDuration('45'), 2700);
  });

  it('refuses what is not a length', () => {
    for (const bad of ['', 'soon', '0m', '-5', 'm', null, {}, 0]) assert.equal(parseDuration(bad), null, String(bad));
  });
});
