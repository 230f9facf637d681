import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { F64Column, I32Column, IntColumn, U8Column } from '../../src/kernel/index.js';

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

describe('IntColumn (4 bytes a value where a page holds integers close together)', () => {
  // Small and large integers, times that rise by µs or by hours, and values no difference holds: fractions, -0, beyond 2^31 apart.
  const value = fc.oneof(
    fc.integer({ min: -3, max: 3 }),
    fc.integer({ min: -40_000, max: 40_000 }),
    fc.integer({ min: 0, max: 90_000_000_000 }),
    fc.constantFrom(0.5, -0, 2 ** 31, -(2 ** 31), 2 ** 53, -1e-9, 1e300),
  );

  it('reads back every value exactly as set (Object.is), and `fill` elsewhere, whatever the page size and the order of writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.constantFrom(0, -1, 0.25), fc.constantFrom(16 as const, 32 as const), fc.array(fc.tuple(fc.nat(300), value), { maxLength: 200 }), (bits, fill, cellBits, writes) => {
        const c = new IntColumn(fill, bits, cellBits);
        const model = new Map<number, number>();
        for (const [i, v] of writes) {
          c.set(i, v);
          model.set(i, v);
          expect(Object.is(c.get(i), v)).toBe(true);
        }
        const length = writes.length === 0 ? 0 : Math.max(...writes.map(([i]) => i)) + 1;
        expect(c.length).toBe(length);
        for (let i = 0; i < length + 70; i++) expect(Object.is(c.get(i), model.get(i) ?? fill)).toBe(true);
        // As F64Column's: a typed array's sort (-0 before 0).
        const sorted = Float64Array.from({ length }, (_, i) => model.get(i) ?? fill).sort();
        const got = c.toSorted();
        expect([...got]).toEqual([...sorted]);
        // 4 bytes a value when every value is a 32-bit integer (-0 is not).
        expect(got instanceof Int32Array).toBe([...sorted].every((v) => (v | 0) === v && !Object.is(v, -0)));
      }),
      { numRuns: 300 },
    );
  });

  it('holds rising µs times and small latencies in 4-byte pages, and widens only a page that needs it', () => {
    const c = new IntColumn(0, 10);
    for (let i = 0; i < 4096; i++) c.push(86_400_000_000 + i * 100_000);
    const pages = (c as unknown as { pages: Array<Int32Array | Float64Array> }).pages;
    expect(pages.every((p) => p instanceof Int32Array)).toBe(true);
    c.set(1500, 0.5);
    expect(pages.map((p) => p.constructor.name)).toEqual(['Int32Array', 'Float64Array', 'Int32Array', 'Int32Array']);
    expect(c.get(1499)).toBe(86_400_000_000 + 1499 * 100_000);
    expect(c.get(1500)).toBe(0.5);
  });

  it('with 2-byte cells, widens a page to 4-byte differences, then to doubles, only as its values need', () => {
    const c = new IntColumn(-1, 4, 16);
    const pages = (c as unknown as { pages: Array<Int16Array | Int32Array | Float64Array> }).pages;
    for (let i = 0; i < 48; i++) c.push(1_000_000 + i);
    c.set(17, 1_000_000 + 40_000);
    c.set(33, 2 ** 40);
    expect(pages.map((p) => p.constructor.name)).toEqual(['Int16Array', 'Int32Array', 'Float64Array']);
    expect([c.get(16), c.get(17), c.get(33), c.get(34), c.get(48)]).toEqual([1_000_016, 1_040_000, 2 ** 40, 1_000_034, -1]);
  });
});
