import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntMap } from '../../src/kernel/int-map.js';

describe('IntMap', () => {
  it('answers as a Map does through any sequence of sets and deletes, growing and shrinking', () => {
    const key = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 0x7fffffff }));
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key, value: fc.double({ noNaN: true }) }),
      fc.record({ kind: fc.constant('replace' as const), key, value: fc.double({ noNaN: true }) }),
      fc.record({ kind: fc.constant('delete' as const), key }),
      fc.record({ kind: fc.constant('take' as const), key }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 100, maxLength: 400 }), (ops) => {
        const map = new IntMap();
        const ref = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            map.set(o.key, o.value);
            ref.set(o.key, o.value);
          } else if (o.kind === 'replace') {
            expect(map.replace(o.key, o.value)).toBe(ref.get(o.key));
            ref.set(o.key, o.value);
          } else if (o.kind === 'take') {
            expect(map.take(o.key)).toBe(ref.get(o.key));
            ref.delete(o.key);
          } else expect(map.delete(o.key)).toBe(ref.delete(o.key));
          expect(map.size).toBe(ref.size);
        }
        for (let k = 0; k <= 40; k++) expect([map.has(k), map.get(k)]).toEqual([ref.has(k), ref.get(k)]);
        for (const [k, v] of ref) expect(map.get(k)).toBe(v);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every key through a fill to thousands and a drain back to none', () => {
    const map = new IntMap();
    for (let k = 0; k < 5000; k++) map.set(k * 7, k);
    for (let k = 0; k < 5000; k += 2) map.delete(k * 7);
    for (let k = 0; k < 5000; k++) expect(map.get(k * 7)).toBe(k % 2 === 0 ? undefined : k);
    for (let k = 1; k < 5000; k += 2) map.delete(k * 7);
    expect(map.size).toBe(0);
  });

  it('refuses keys it cannot hold', () => {
    const map = new IntMap();
    for (const bad of [-1, 0.5, 2 ** 31, NaN]) expect(() => map.set(bad, 1)).toThrow(RangeError);
  });
});
