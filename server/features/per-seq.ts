/**
 * JSON that everyone of one kind gets between two changes of a talk. Every change is a stored
 * event and moves talk.seq on, so an entry holds until the seq moves. In a join storm each
 * snapshot is then serialised once per change, not once per phone.
 */
export class PerSeq<K> {
  private seq = -1;
  private readonly entries = new Map<K, string>();

  get(seq: number, kind: K, build: () => string): string {
    if (seq !== this.seq) {
      this.entries.clear();
      this.seq = seq;
    }
    let json = this.entries.get(kind);
    if (json === undefined) {
      json = build();
      this.entries.set(kind, json);
    }
    return json;
  }
}
