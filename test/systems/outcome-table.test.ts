import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutcomeTable, type LoggedOutcome } from '../../src/systems/pipeline/outcome-table.js';

const outcome: fc.Arbitrary<LoggedOutcome> = fc.record({
  chunk: fc.nat(1_000_000),
  outcome: fc.constantFrom('acked' as const, 'failed' as const),
  replicas: fc.array(fc.nat(10_000), { maxLength: 5 }),
  bytes: fc.nat(2 ** 40),
  reason: fc.constantFrom('', 'adopted from inventories after a restart', 'processing timeout on node 3'),
});

describe('the outcome table', () => {
  it('gives back what was appended, as an array would, through failed writes taken back; a copy cut at an earlier length is unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.record({ append: outcome }), fc.record({ takeBack: fc.nat(8) })), { maxLength: 80 }), (ops) => {
        const table = new OutcomeTable();
        let model: LoggedOutcome[] = [];
        let durable = 0;
        let durableCopy: LoggedOutcome[] = [];
        for (const op of ops) {
          if ('append' in op) {
            table.append(op.append);
            model.push(op.append);
          } else {
            // A write failed: entries after the last durable length are taken back.
            const to = Math.max(durable, model.length - op.takeBack);
            table.truncate(to);
            model = model.slice(0, to);
            // The next write succeeds: what is there now becomes durable.
            durable = model.length;
            durableCopy = model.slice();
          }
          expect(table.length).toBe(model.length);
          expect(table.slice(table.length)).toEqual(model);
          expect(table.slice(durable)).toEqual(durableCopy);
        }
      }),
      { numRuns: 300 },
    );
  });
});
