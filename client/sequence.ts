/**
 * Drops anything older than what was already applied. Sequence numbers restart when the
 * server restarts, so a welcome (a full snapshot) always resets the floor.
 */
export class SequenceGate {
  private last = -1;

  reset(seq: number): void {
    this.last = seq;
  }

  /** True if `seq` is newer than anything accepted so far (and records it). */
  accept(seq: number): boolean {
    if (seq <= this.last) return false;
    this.last = seq;
    return true;
  }
}
