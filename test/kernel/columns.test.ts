import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { F64Column, I32Column, U8Column } from '../../src/kernel/index.js';

describe('paged columns', () => {
  it('read back what was set, and `fill` elsewhere, whatever the page size and the order of writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.tuple(fc.nat(5_000), fc.integer({ min: 0, max: 255 })), { maxLength: 200 }), (bits, writes) => {
        const cols = [new F64Column(-1, bits), new I32Column(7, bits), new U8Column(3, bits)];
        const fills = [-1, 7, 3];
        const model = new Map<number, number>();
        for (const [i, v] of writes) {
          for (const c of cols) c.set(i, v);
          model.set(i, v);
        }
        const length = writes.length === 0 ? 0 : Math.max(...writes.map(([i]) => i)) + 1;
        cols.forEach((c, k) => {
          expect(c.length).toBe(length);
          for (let i = 0; i < length + 70; i++) expect(c.get(i)).toBe(model.get(i) ?? fills[k]);
        });
      }),
      { numRuns: 200 },
    );
  });
});
