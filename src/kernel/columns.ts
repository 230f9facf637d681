/** Entries per page by default: growing a column never copies what it holds, and wastes at most one page. */
const PAGE_BITS = 14;

/**
 * A column of numbers in fixed-size typed-array pages, for state kept per
 * item (per operation, per log index, per chunk) over a whole run: 8, 4 or
 * 1 bytes an entry where an object or a boxed number in an array cost
 * several times that, and no doubling copies as it grows. Pages are made
 * only when an index in them is first set, so a sparse or late-reached
 * range costs nothing until used. Reads past the end (or of entries never
 * set) give `fill`.
 */
abstract class PagedColumn<A extends Float64Array | Int32Array | Uint8Array> {
  private readonly pages: (A | undefined)[] = [];
  private readonly bits: number;
  private readonly mask: number;
  /** One past the highest index set. */
  length = 0;
  /** Pages below this one were forgotten. */
  private forgotten = 0;

  constructor(private readonly fill: number, pageBits = PAGE_BITS) {
    this.bits = pageBits;
    this.mask = (1 << pageBits) - 1;
  }

  protected abstract page(size: number): A;

  get(i: number): number {
    const p = this.pages[i >>> this.bits];
    return p === undefined || i >= this.length ? this.fill : p[i & this.mask]!;
  }

  set(i: number, value: number): void {
    const k = i >>> this.bits;
    while (this.pages.length <= k) this.pages.push(undefined);
    let p = this.pages[k];
    if (p === undefined) {
      p = this.page(1 << this.bits);
      if (this.fill !== 0) p.fill(this.fill);
      this.pages[k] = p;
    }
    p[i & this.mask] = value;
    if (i >= this.length) this.length = i + 1;
  }

  push(value: number): void {
    this.set(this.length, value);
  }

  /**
   * Frees the pages that hold only indexes below `before`: the owner will
   * not read or write there again (a floor below which what the column kept
   * is settled). Reading a forgotten index gives `fill`.
   */
  forget(before: number): void {
    const whole = Math.min(before >>> this.bits, this.pages.length);
    for (let k = this.forgotten; k < whole; k++) this.pages[k] = undefined;
    this.forgotten = Math.max(this.forgotten, whole);
  }
}

export class F64Column extends PagedColumn<Float64Array> {
  constructor(fill = 0, pageBits?: number) {
    super(fill, pageBits);
  }
  protected page(size: number): Float64Array {
    return new Float64Array(size);
  }
}

/** Values must fit in a signed 32-bit integer. */
export class I32Column extends PagedColumn<Int32Array> {
  constructor(fill = 0, pageBits?: number) {
    super(fill, pageBits);
  }
  protected page(size: number): Int32Array {
    return new Int32Array(size);
  }
}

/** Values must be integers from 0 to 255. */
export class U8Column extends PagedColumn<Uint8Array> {
  constructor(fill = 0, pageBits?: number) {
    super(fill, pageBits);
  }
  protected page(size: number): Uint8Array {
    return new Uint8Array(size);
  }
}

/** Narrow pages of an `IntColumn`: differences from the page's base. Each type's least value marks a cell never set (reads give the fill). */
type NarrowPage = Int16Array | Int32Array;
const UNSET16 = -0x8000;
const UNSET32 = -0x80000000;

/**
 * Numbers kept as differences from the first value set in their page, in 2
 * or 4 bytes each (`cellBits`) while a page's values are integers that
 * close; a page with a value further off is widened (2 -> 4 bytes, or to
 * doubles for good). For what a long run keeps per write: commit latencies
 * in µs, op codes and log indexes, terms, and times that only rise (when
 * each log index was first applied: 4,096 of them span minutes at a few
 * writes a second, inside the ±35 minutes 4 bytes hold). A quarter or half a
 * F64Column's size in those cases, never more than its size plus a page,
 * and every value reads back exactly as set.
 */
export class IntColumn {
  private readonly pages: Array<NarrowPage | Float64Array | undefined> = [];
  /** Per narrow page, the first value set in it. */
  private readonly bases: number[] = [];
  private readonly bits: number;
  private readonly mask: number;
  /** One past the highest index set. */
  length = 0;

  constructor(private readonly fill = 0, pageBits = PAGE_BITS, private readonly cellBits: 16 | 32 = 32) {
    this.bits = pageBits;
    this.mask = (1 << pageBits) - 1;
  }

  get(i: number): number {
    const k = i >>> this.bits;
    const p = this.pages[k];
    if (p === undefined || i >= this.length) return this.fill;
    const c = p[i & this.mask]!;
    if (p instanceof Float64Array) return c;
    return c === (p instanceof Int16Array ? UNSET16 : UNSET32) ? this.fill : this.bases[k]! + c;
  }

  set(i: number, value: number): void {
    const k = i >>> this.bits;
    while (this.pages.length <= k) this.pages.push(undefined);
    const integer = Number.isSafeInteger(value) && !Object.is(value, -0);
    let p = this.pages[k];
    if (p === undefined) {
      const size = 1 << this.bits;
      p = !integer ? new Float64Array(size).fill(this.fill) : this.cellBits === 16 ? new Int16Array(size).fill(UNSET16) : new Int32Array(size).fill(UNSET32);
      this.pages[k] = p;
      this.bases[k] = integer ? value : 0;
    }
    const j = i & this.mask;
    const d = integer ? value - this.bases[k]! : NaN;
    if (p instanceof Int16Array) {
      if (d > UNSET16 && d <= 0x7fff) p[j] = d;
      else if (d > UNSET32 && d <= 0x7fffffff) this.widen(k, Int32Array)[j] = d;
      else this.widen(k, Float64Array)[j] = value;
    } else if (p instanceof Int32Array) {
      if (d > UNSET32 && d <= 0x7fffffff) p[j] = d;
      else this.widen(k, Float64Array)[j] = value;
    } else p[j] = value;
    if (i >= this.length) this.length = i + 1;
  }

  push(value: number): void {
    this.set(this.length, value);
  }

  /**
   * The values from 0 to length - 1 in ascending order, as a new array
   * (numbers, no NaN): 4 bytes a value when every one is a 32-bit integer
   * (a day's commit latencies in µs), since this is sorted at the end of a
   * run, when memory peaks; 8 otherwise.
   */
  toSorted(): Int32Array | Float64Array {
    const ints = new Int32Array(this.length);
    for (let i = 0; i < this.length; i++) {
      const v = this.get(i);
      if ((v | 0) !== v || Object.is(v, -0)) return Float64Array.from({ length: this.length }, (_, j) => this.get(j)).sort();
      ints[i] = v;
    }
    return ints.sort();
  }

  /** Page k in a wider type, for a value its cells cannot hold: 4-byte differences, or the values as doubles. */
  private widen<W extends Int32Array | Float64Array>(k: number, to: { new (n: number): W }): W {
    const narrow = this.pages[k] as NarrowPage;
    const unset = narrow instanceof Int16Array ? UNSET16 : UNSET32;
    const base = this.bases[k]!;
    const wide = new to(narrow.length);
    const doubles = wide instanceof Float64Array;
    for (let j = 0; j < narrow.length; j++) {
      const c = narrow[j]!;
      wide[j] = c === unset ? (doubles ? this.fill : UNSET32) : doubles ? base + c : c;
    }
    this.pages[k] = wide;
    return wide;
  }
}
