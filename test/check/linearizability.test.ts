import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRegisters, type RegisterRead, type RegisterWrite } from '../../src/check/linearizability.js';

const w = (id: string, invoked: number, completed: number, position: number, key = 'k'): RegisterWrite => ({ id, key, invoked, completed, position });
const r = (id: string, invoked: number, completed: number, saw: string, key = 'k'): RegisterRead => ({ id, key, invoked, completed, saw });

describe('checkRegisters', () => {
  it('accepts reads concurrent with a write returning either value', () => {
    const writes = [w('a', 0, 10, 1), w('b', 20, 40, 2)];
    expect(checkRegisters(writes, [r('r1', 25, 35, 'a'), r('r2', 25, 35, 'b'), r('r3', 41, 50, 'b'), r('r0', 0, 1, '')])).toEqual([]);
  });

  it('flags a read that started after a newer write finished (stale)', () => {
    const v = checkRegisters([w('a', 0, 10, 1), w('b', 20, 30, 2)], [r('r1', 31, 35, 'a')]);
    expect(v).toEqual([{ time: 35, detail: 'key k: read r1 (saw a @1) started at 0.000031s, after write b (log index 2) had finished at 0.00003s, yet comes before it in the log' }]);
  });

  it('flags a read of the initial value after a write finished, and reads going back in time', () => {
    expect(checkRegisters([w('a', 0, 10, 1)], [r('r1', 11, 12, '')])).toHaveLength(1);
    // r2 saw b, then r3 (started after r2 finished) saw the older a.
    expect(checkRegisters([w('a', 0, 10, 1), w('b', 20, Infinity, 2)], [r('r2', 21, 22, 'b'), r('r3', 23, 24, 'a')])).toHaveLength(1);
  });

  it('flags a read returning a write before it was sent, or one that never took effect', () => {
    expect(checkRegisters([w('a', 10, 20, 1)], [r('r1', 0, 5, 'a')])[0]!.detail).toBe('key k: read r1 returned a before that write was sent');
    expect(checkRegisters([w('a', 10, Infinity, 0)], [r('r1', 11, 15, 'a')])[0]!.detail).toContain('a write that never took effect');
  });

  it('flags writes whose log order contradicts real time, per key only', () => {
    expect(checkRegisters([w('a', 0, 10, 2), w('b', 20, 30, 1)], [])).toHaveLength(1);
    expect(checkRegisters([w('a', 0, 10, 2, 'x'), w('b', 20, 30, 1, 'y')], [])).toEqual([]);
  });

  // Soundness: any history produced by a real register, whose operations take
  // effect at distinct instants inside their intervals, passes.
  it('accepts every history of a real register (property)', () => {
    const op = fc.record({ isWrite: fc.boolean(), key: fc.constantFrom('x', 'y'), before: fc.nat(50), after: fc.nat(50), unacked: fc.boolean() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const writes: RegisterWrite[] = [];
        const reads: RegisterRead[] = [];
        const current = new Map<string, string>();
        ops.forEach((o, i) => {
          const point = 100 * (i + 1);
          const invoked = point - o.before;
          if (o.isWrite) {
            const id = `w${i}`;
            writes.push(w(id, invoked, o.unacked ? Infinity : point + o.after, i + 1, o.key));
            current.set(o.key, id);
          } else {
            reads.push(r(`r${i}`, invoked, point + o.after, current.get(o.key) ?? '', o.key));
          }
        });
        expect(checkRegisters(writes, reads)).toEqual([]);
      }),
    );
  });

  // Completeness on one shape: make a read return the value before the last write
  // it must see (one that finished before the read started), and it is flagged.
  it('flags every read made stale on purpose (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 20 }), fc.nat(1000), (n, seed) => {
        const writes = Array.from({ length: n }, (_, i) => w(`w${i}`, 100 * i, 100 * i + 50, i + 1));
        const seen = 1 + (seed % (n - 1));
        const stale = r('r', 100 * seen + 60, 100 * seen + 70, `w${seen - 1}`);
        expect(checkRegisters(writes, [stale])).toHaveLength(1);
      }),
    );
  });
});
