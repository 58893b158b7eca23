import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell } from './index.ts';

describe('csvCell', () => {
  it('quotes commas, quotes and newlines (RFC 4180)', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('plain'), 'plain');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    for (const f of ['=1+1', '+1', '-1', '@SUM(A1)']) assert.equal(csvCell(f).startsWith("'") || csvCell(f).startsWith(`"'`), true, f);
  });

  it('writes numbers as numbers and null as empty', () => {
    assert.equal(csvCell(-3), '-3');
    assert.equal(csvCell(null), '');
  });
});
