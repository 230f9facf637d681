/**
 * Rows of `width` numbers in one flat Float64Array grown by doubling: a time
 * series kept per bucket (or per record) without an object per row, so the
 * memory a long run keeps for its CSVs is a few dozen bytes a row.
 */
export class NumberRows {
  private data: Float64Array;
  /** Rows held (the last ones may be all zeros, made by `reach`). */
  length = 0;

  constructor(readonly width: number, initialRows = 64) {
    this.data = new Float64Array(width * initialRows);
  }

  /** Appends a row of `width` values. */
  push(values: ArrayLike<number>): void {
    this.reach(this.length + 1);
    this.data.set(values, (this.length - 1) * this.width);
  }

  /** Makes rows up to `rows` exist, the new ones all zeros. */
  reach(rows: number): void {
    if (rows <= this.length) return;
    if (rows * this.width > this.data.length) {
      let size = this.data.length;
      while (size < rows * this.width) size *= 2;
      const grown = new Float64Array(size);
      grown.set(this.data);
      this.data = grown;
    }
    this.length = rows;
  }

  /** Adds `delta` to one cell of an existing row. */
  add(row: number, column: number, delta: number): void {
    this.data[row * this.width + column]! += delta;
  }

  get(row: number, column: number): number {
    return this.data[row * this.width + column]!;
  }

  /** A row as plain numbers. */
  row(row: number): number[] {
    return Array.from(this.data.subarray(row * this.width, (row + 1) * this.width));
  }
}
