import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRegisters, type RegisterRead, type RegisterWrite } from '../../src/check/linearizability.js';
import { OpIds } from '../../src/check/op-ids.js';
import { RegisterHistory } from '../../src/check/register-history.js';

/** The columnar history of the same writes and reads, fed as the Raft checker feeds it. */
function columns(writes: RegisterWrite[], reads: RegisterRead[]): RegisterHistory {
  const h = new RegisterHistory(new OpIds());
  for (const w of writes) {
    h.sent(w.id, w.key, w.invoked, w.position);
    if (Number.isFinite(w.completed)) h.acknowledged(w.id, w.completed);
  }
  for (const r of reads) h.read(r.id, r.key, r.invoked, r.completed, r.saw);
  return h;
}

describe('OpIds', () => {
  it('codes numbered and other ids to numbers and back', () => {
    const ids = new OpIds();
    for (const id of ['w3-1500000-42', 'w3-1500000-0', 'r3-7-9999999', 'cat4-0-1', 'plain', 'x-01', 'x-', '-5', '']) expect(ids.id(ids.code(id))).toBe(id);
    expect(ids.known('never-seen-1')).toBe(-1);
    expect(ids.code('w3-1500000-43') - ids.code('w3-1500000-42')).toBe(1);
  });
});

describe('RegisterHistory', () => {
  it('finds a stale read as checkRegisters does', () => {
    const writes = [{ id: 'w1-0-1', key: 'k', invoked: 0, completed: 10, position: 1 }, { id: 'w1-0-2', key: 'k', invoked: 20, completed: 30, position: 2 }];
    const reads = [{ id: 'r1-0-1', key: 'k', invoked: 31, completed: 35, saw: 'w1-0-1' }];
    expect(columns(writes, reads).check()).toEqual([{ time: 35, detail: 'key k: read r1-0-1 (saw w1-0-1 @1) started at 0.000031s, after write w1-0-2 (log index 2) had finished at 0.00003s, yet comes before it in the log' }]);
  });

  // The columns must be the same check, violations and their text and order included, on any history (sound or not).
  it('gives exactly the violations of checkRegisters (property)', () => {
    const id = fc.oneof(fc.integer({ min: 1, max: 30 }).map((n) => `w1-0-${n}`), fc.integer({ min: 1, max: 5 }).map((n) => `odd${n}`));
    const time = fc.integer({ min: 0, max: 100 });
    const write = fc.record({ id, key: fc.constantFrom('x', 'y', 'z'), invoked: time, span: fc.option(time, { nil: undefined }), position: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 })) });
    const read = fc.record({ n: fc.nat(1000), key: fc.constantFrom('x', 'y', 'z'), invoked: time, span: time, saw: fc.oneof(fc.constant(''), id, fc.constant('ghost-1')) });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 40 }), fc.array(read, { maxLength: 40 }), (ws, rs) => {
        const seen = new Set<string>();
        const writes: RegisterWrite[] = ws.filter((w) => !seen.has(w.id) && seen.add(w.id)).map((w) => ({ id: w.id, key: w.key, invoked: w.invoked, completed: w.span === undefined ? Infinity : w.invoked + w.span, position: w.position }));
        const reads: RegisterRead[] = rs.map((r, i) => ({ id: `r2-0-${i + 1}`, key: r.key, invoked: r.invoked, completed: r.invoked + r.span, saw: r.saw }));
        expect(columns(writes, reads).check()).toEqual(checkRegisters(writes, reads));
      }),
      { numRuns: 500 },
    );
  });
});
