/**
 * What each SWIM node knows of each member's incarnation, kept compactly.
 * Every node knows an incarnation per member: at 10,000 nodes, 100 million
 * numbers, 800 MB as doubles. But every value a node can hold for a member
 * is 0 (heard nothing) or one its subject announced (its boot incarnation,
 * or a refutation): members announce few in a run. So the run keeps, per
 * member, the list of values it ever announced (an `IncarnationBook`,
 * shared by all nodes as a table of names), and each node keeps, per
 * member, a 2-byte position in that list (`KnownIncarnations`). Nothing
 * passes between nodes through the book: a node reads back exactly the
 * value it stored.
 */
export class IncarnationBook {
  private readonly announced: number[][];
  /**
   * Each member's newest value in the book and its position (0: none yet):
   * what most nodes hold and are told. Every rumour a node hears is checked
   * against the incarnation it holds, so these are read for nearly every
   * rumour of the run; in two flat arrays (10 bytes a member, 100 KB at
   * 10,000) they stay in the processor's cache, where a list is an object
   * and its elements, two more loads from anywhere in the heap.
   */
  private readonly newest: Float64Array;
  private readonly newestCode: Uint32Array;

  constructor(size: number) {
    this.announced = Array.from({ length: size }, () => []);
    this.newest = new Float64Array(size);
    this.newestCode = new Uint32Array(size);
  }

  /** The value at a position (0: the incarnation 0). */
  value(subject: number, code: number): number {
    if (code === 0) return 0;
    return code === this.newestCode[subject] ? this.newest[subject]! : this.announced[subject]![code - 1]!;
  }

  /** Positions by value, for a member with a long list (one that refuted often). */
  private readonly positions = new Map<number, Map<number, number>>();

  /** The position of a value, added on first sight. Newest values are looked up most, so a short list is searched from its end. */
  code(subject: number, value: number): number {
    if (value === 0) return 0;
    const newest = this.newestCode[subject]!;
    if (newest !== 0 && this.newest[subject] === value) return newest;
    const list = this.announced[subject]!;
    const long = this.positions.get(subject);
    if (long) {
      const at = long.get(value);
      if (at !== undefined) return at;
    } else {
      for (let i = list.length - 1; i >= 0; i--) if (list[i] === value) return i + 1;
    }
    list.push(value);
    this.newest[subject] = value;
    this.newestCode[subject] = list.length;
    if (long) long.set(value, list.length);
    else if (list.length > 16) this.positions.set(subject, new Map(list.map((v, i) => [v, i + 1])));
    return list.length;
  }
}

/** One node's knowledge: an incarnation per member, as positions in the run's book. */
export class KnownIncarnations {
  private codes: Uint16Array | Uint32Array;

  /** `codes`: a zeroed entry per member (every incarnation 0), this node's own. */
  constructor(private readonly book: IncarnationBook, codes: Uint16Array) {
    this.codes = codes;
  }

  get(subject: number): number {
    return this.book.value(subject, this.codes[subject]!);
  }

  set(subject: number, value: number): void {
    const code = this.book.code(subject, value);
    // A member that announced more than 65,535 incarnations: widen this node's table.
    if (code > 0xffff && this.codes instanceof Uint16Array) this.codes = Uint32Array.from(this.codes);
    this.codes[subject] = code;
  }
}
