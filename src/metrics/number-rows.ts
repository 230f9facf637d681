/**
 * Rows of `width` numbers in pages of Float64Array: a time series kept per
 * bucket (or per record) without an object per row, so the memory a long
 * run keeps for its CSVs is a few dozen bytes a row. Pages, not one array
 * grown by doubling: growing never copies what is held nor keeps up to
 * half again in spare capacity (detector.csv's rows of a busy day: 100,000).
 */
export class NumberRows {
  private readonly pages: Float64Array[] = [];
  private readonly bits: number;
  private readonly mask: number;
  /** Rows held (the last ones may be all zeros, made by `reach`). */
  length = 0;

  /** `pageRows`: rows a page holds (rounded up to a power of two), so a table of a few rows costs one small page. */
  constructor(readonly width: number, pageRows = 64) {
    this.bits = Math.max(0, Math.ceil(Math.log2(pageRows)));
    this.mask = (1 << this.bits) - 1;
  }

  /** Appends a row of `width` values. */
  push(values: ArrayLike<number>): void {
    this.reach(this.length + 1);
    const row = this.length - 1;
    this.pages[row >>> this.bits]!.set(values, (row & this.mask) * this.width);
  }

  /** Makes rows up to `rows` exist, the new ones all zeros. */
  reach(rows: number): void {
    if (rows <= this.length) return;
    while (this.pages.length << this.bits < rows) this.pages.push(new Float64Array(this.width << this.bits));
    this.length = rows;
  }

  /** Adds `delta` to one cell of an existing row. */
  add(row: number, column: number, delta: number): void {
    this.pages[row >>> this.bits]![(row & this.mask) * this.width + column]! += delta;
  }

  get(row: number, column: number): number {
    return this.pages[row >>> this.bits]![(row & this.mask) * this.width + column]!;
  }

  /** A row as plain numbers. */
  row(row: number): number[] {
    const at = (row & this.mask) * this.width;
    return Array.from(this.pages[row >>> this.bits]!.subarray(at, at + this.width));
  }
}
