/**
 * JSON that everyone of one kind gets between two changes of a talk. Every change is a stored
 * event and moves talk.seq on, so an entry holds until the seq moves. In a join storm each
 * snapshot is then serialised once per change, not once per phone.
 */
export class PerSeq<K> {
  private seq = -1;
  private readonly entries = new Map<K, string>();

  /**
   * The entry for `kind`, made with build(a, b) if the seq moved or there is none. A function
   * and its arguments rather than a closure: the server runs under tsx, whose keepNames wraps
   * every closure made per call in a defineProperty (1–3 µs each, a measurable part of a join).
   */
  get<A, B>(seq: number, kind: K, build: (a: A, b: B) => string, a: A, b: B): string {
    if (seq !== this.seq) {
      this.entries.clear();
      this.seq = seq;
    }
    let json = this.entries.get(kind);
    if (json === undefined) {
      json = build(a, b);
      this.entries.set(kind, json);
    }
    return json;
  }
}
