import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SequenceGate } from './sequence.ts';

describe('SequenceGate', () => {
  it('accepts rising numbers and drops stale or repeated ones', () => {
    const gate = new SequenceGate();
    gate.reset(5);
    assert.equal(gate.accept(6), true);
    assert.equal(gate.accept(6), false);
    assert.equal(gate.accept(4), false);
    assert.equal(gate.accept(9), true);
    assert.equal(gate.accept(7), false);
  });

  it('lets a fresh snapshot lower the floor after a server restart', () => {
    const gate = new SequenceGate();
    gate.reset(100);
    gate.reset(2);
    assert.equal(gate.accept(3), true);
  });
});
