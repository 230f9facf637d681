import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppliedIds, AppliedPagePool } from '../../src/systems/raft/applied-ids.js';

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

  it('members sharing a page pool each answer as their own map, whatever order they fill pages in', () => {
    // Numbers over several 1,024-id pages, so members start pages (and offer the one before) in every order.
    const numbered = fc.tuple(fc.constantFrom('w3-100', 'w9-7'), fc.integer({ min: 0, max: 4_500 })).map(([s, n]) => `${s}-${n}`);
    // Each step: which members apply it (a bit each of 3), the id, and the index (the same for all, or one member's own).
    const step = fc.tuple(fc.integer({ min: 1, max: 7 }), numbered, fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: -1, max: 2 }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), fc.integer({ min: 0, max: 399 }), (steps, snapAt) => {
        const pool = new AppliedPagePool();
        const members = [0, 1, 2].map(() => ({ ids: new AppliedIds(pool), model: new Map<string, number>() }));
        let snap: { ids: AppliedIds; model: Map<string, number> } | undefined;
        for (const [i, [who, key, index, odd]] of steps.entries()) {
          for (const [m, member] of members.entries()) {
            if (!(who & (1 << m)) || member.model.has(key)) continue;
            const at = odd === m ? index + 1 : index;
            member.ids.set(key, at);
            member.model.set(key, at);
          }
          if (i === snapAt) snap = { ids: members[0]!.ids.clone(), model: new Map(members[0]!.model) };
        }
        const keys = new Set(steps.map((s) => s[1]));
        for (const { ids, model } of members) {
          expect(ids.size).toBe(model.size);
          for (const key of keys) expect(ids.get(key)).toBe(model.get(key));
        }
        if (snap) for (const key of keys) expect(snap.ids.get(key)).toBe(snap.model.get(key));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps one copy of a page every member filled alike', () => {
    const pool = new AppliedPagePool();
    const members = [0, 1, 2, 3, 4].map(() => new AppliedIds(pool));
    for (const ids of members) for (let n = 1; n < 4 * 1024; n++) ids.set(`w3-100-${n}`, n + 10);
    // Pages 0 and 1 were offered (pages 2 and 3 were started): every member reads the pool's copy; pages 2 and 3 are each member's own.
    const pagesOf = (ids: AppliedIds) => (ids as unknown as { sessions: Map<string, { pages: Int32Array[] }> }).sessions.get('w3-100')!.pages;
    for (const k of [0, 1]) expect(new Set(members.map((ids) => pagesOf(ids)[k])).size).toBe(1);
    for (const k of [2, 3]) expect(new Set(members.map((ids) => pagesOf(ids)[k])).size).toBe(5);
    // A late write to a shared page copies it for the writer only.
    members[1]!.set('w3-100-0', 99);
    expect(members[1]!.get('w3-100-0')).toBe(99);
    for (const i of [0, 2, 3, 4]) expect(members[i]!.get('w3-100-0')).toBeUndefined();
  });
});
