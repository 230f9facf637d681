/** Entries per page: growing a column never copies what it holds, and wastes at most one page. */
const PAGE_BITS = 14;
const PAGE = 1 << PAGE_BITS;

/**
 * An append-mostly column of numbers in fixed-size typed-array pages, for
 * checkers that keep a value per operation or per log index for a whole
 * run: 8 (or 4) bytes an entry where an object or a boxed number in an array
 * cost several times that, and no doubling copies as it grows. Reads past
 * the end (or of entries never set) give `fill`.
 */
abstract class PagedColumn<A extends Float64Array | Int32Array> {
  private readonly pages: A[] = [];
  /** One past the highest index set. */
  length = 0;

  constructor(private readonly fill: number) {}

  protected abstract page(): A;

  get(i: number): number {
    const p = this.pages[i >>> PAGE_BITS];
    return p === undefined || i >= this.length ? this.fill : p[i & (PAGE - 1)]!;
  }

  set(i: number, value: number): void {
    const k = i >>> PAGE_BITS;
    while (this.pages.length <= k) {
      const p = this.page();
      if (this.fill !== 0) p.fill(this.fill);
      this.pages.push(p);
    }
    this.pages[k]![i & (PAGE - 1)] = value;
    if (i >= this.length) this.length = i + 1;
  }

  push(value: number): void {
    this.set(this.length, value);
  }
}

export class F64Column extends PagedColumn<Float64Array> {
  constructor(fill = 0) {
    super(fill);
  }
  protected page(): Float64Array {
    return new Float64Array(PAGE);
  }
}

/** Values must fit in a signed 32-bit integer. */
export class I32Column extends PagedColumn<Int32Array> {
  constructor(fill = 0) {
    super(fill);
  }
  protected page(): Int32Array {
    return new Int32Array(PAGE);
  }
}
