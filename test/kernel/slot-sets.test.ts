import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlotSetMap } from '../../src/kernel/index.js';

describe('slot sets', () => {
  it('behave as a Map of Sets: keys in first-opened order, values in added order, past the slots per item too', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('open' as const), id: fc.nat(5), ns: fc.array(fc.nat(7), { maxLength: 6 }) }),
      fc.record({ k: fc.constant('add' as const), id: fc.nat(5), n: fc.nat(7) }),
      fc.record({ k: fc.constant('delete' as const), id: fc.nat(5), n: fc.nat(7) }),
      fc.record({ k: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 80 }), (width, ops) => {
        const sets = new SlotSetMap(width, 2);
        const model = new Map<number, Set<number>>();
        // Ids far apart: each in a page of its own.
        const at = (id: number): number => id * 1_003;
        for (const o of ops) {
          if (o.k === 'open') sets.open(at(o.id), o.ns), model.set(o.id, new Set(o.ns));
          else if (o.k === 'add') {
            if (model.has(o.id)) expect(sets.add(at(o.id), o.n)).toBe(!model.get(o.id)!.has(o.n)), model.get(o.id)!.add(o.n);
          } else if (o.k === 'delete') expect(sets.delete(at(o.id), o.n)).toBe(model.get(o.id)?.delete(o.n) ?? false);
          else sets.clear(), model.clear();
          expect([...sets.keys()]).toEqual([...model.keys()].map(at));
          for (let id = 0; id <= 5; id++) {
            expect(sets.isOpen(at(id))).toBe(model.has(id));
            expect(sets.values(at(id))).toEqual([...(model.get(id) ?? [])]);
            expect(sets.size(at(id))).toBe(model.get(id)?.size ?? 0);
            for (let n = 0; n <= 7; n++) expect(sets.has(at(id), n)).toBe(model.get(id)?.has(n) ?? false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
