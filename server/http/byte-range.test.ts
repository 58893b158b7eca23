import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRange } from './byte-range.ts';

describe('parseRange', () => {
  it('reads one bounded, open-ended or suffix range, clamped to the file', () => {
    assert.deepEqual(parseRange('bytes=0-1023', 5000), { kind: 'part', start: 0, end: 1023 });
    assert.deepEqual(parseRange('bytes=4000-', 5000), { kind: 'part', start: 4000, end: 4999 });
    assert.deepEqual(parseRange('bytes=-500', 5000), { kind: 'part', start: 4500, end: 4999 });
    assert.deepEqual(parseRange('bytes=-9000', 5000), { kind: 'part', start: 0, end: 4999 });
    assert.deepEqual(parseRange('bytes=10-99999', 5000), { kind: 'part', start: 10, end: 4999 });
    assert.deepEqual(parseRange('Bytes= 1-2 ', 5000), { kind: 'part', start: 1, end: 2 });
  });

  it('calls a range that starts past the end, or an empty suffix, unsatisfiable', () => {
    assert.deepEqual(parseRange('bytes=5000-', 5000), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=-0', 5000), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=-10', 0), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange(`bytes=${'9'.repeat(400)}-`, 5000), { kind: 'unsatisfiable' });
  });

  it('ignores what it does not serve: no header, other units, several ranges, reversed or empty ranges', () => {
    for (const header of [undefined, 'items=0-5', 'bytes=0-1,4-5', 'bytes=5-1', 'bytes=-', 'bytes=a-b', '0-10', '']) {
      assert.deepEqual(parseRange(header, 5000), { kind: 'whole' }, String(header));
    }
  });
});
