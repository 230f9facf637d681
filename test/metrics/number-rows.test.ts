import { describe, expect, it } from 'vitest';
import { NumberRows } from '../../src/metrics/number-rows.js';

describe('NumberRows', () => {
  it('keeps appended rows through growth, and zero rows made by reach for cells added in place', () => {
    const rows = new NumberRows(3, 2);
    for (let i = 0; i < 100; i++) rows.push([i, i * 2, i + 0.5]);
    expect(rows.length).toBe(100);
    expect(rows.row(0)).toEqual([0, 0, 0.5]);
    expect(rows.row(99)).toEqual([99, 198, 99.5]);
    rows.reach(150);
    expect(rows.row(149)).toEqual([0, 0, 0]);
    rows.add(149, 1, 7);
    rows.add(149, 1, 2 ** 40);
    expect(rows.get(149, 1)).toBe(2 ** 40 + 7);
    rows.reach(10);
    expect(rows.length).toBe(150);
  });

  it('reads every row back whatever the page size (rounded up to a power of two)', () => {
    for (const pageRows of [1, 3, 64]) {
      const rows = new NumberRows(2, pageRows);
      for (let i = 0; i < 70; i++) rows.push([i, -i]);
      for (let i = 0; i < 70; i++) expect([rows.get(i, 0), rows.row(i)[1]]).toEqual([i, -i]);
    }
  });
});
