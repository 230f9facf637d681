import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppliedIds } from '../../src/systems/raft/applied-ids.js';

describe('AppliedIds (the Raft state machine record of applied writes)', () => {
  // Numbered ids of a few sessions, odd ones (noop, leading zeros, huge numbers) and index values.
  const id = fc.oneof(
    fc.tuple(fc.constantFrom('w3-100', 'w3-200', 'cat0-5', 'noop-4'), fc.integer({ min: 0, max: 300 })).map(([s, n]) => `${s}-${n}`),
    fc.constantFrom('w3-100-007', 'w3-100-7x', 'plain', 'w3-100-99999999', '-1', 'a-'),
  );
  const op = fc.tuple(fc.boolean(), id, fc.integer({ min: 1, max: 1_000_000 }));

  it('answers as a Map of first applications would, and a clone is independent', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.array(id, { maxLength: 20 }), (ops, probes) => {
        const ids = new AppliedIds();
        const model = new Map<string, number>();
        let snapshot: { ids: AppliedIds; model: Map<string, number> } | undefined;
        for (const [set, key, index] of ops) {
          // The state machine sets an id only once (the first application); a set here mirrors that.
          if (set && !model.has(key)) {
            ids.set(key, index);
            model.set(key, index);
          }
          expect(ids.get(key)).toBe(model.get(key));
          expect(ids.has(key)).toBe(model.has(key));
          if (!snapshot && ops.length > 1 && key.endsWith('0')) snapshot = { ids: ids.clone(), model: new Map(model) };
        }
        expect(ids.size).toBe(model.size);
        for (const key of probes) expect(ids.get(key)).toBe(model.get(key));
        if (snapshot) {
          expect(snapshot.ids.size).toBe(snapshot.model.size);
          for (const key of model.keys()) expect(snapshot.ids.get(key)).toBe(snapshot.model.get(key));
          // And the other way: what a state machine restored from the snapshot applies stays out of the record it was cloned from.
          for (const key of probes) if (!snapshot.model.has(key)) snapshot.ids.set(key, 7);
          for (const key of [...probes, ...model.keys()]) expect(ids.get(key)).toBe(model.get(key));
        }
      }),
    );
  });
});
