import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario, type RunResult } from '../../src/run/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const digest = (r: RunResult) => createHash('sha256').update(JSON.stringify(r.files)).digest('hex');

const faulty = scenarioFrom(`
duration: 2m
pipeline:
  dataset: { size: 3GB, file_size: 1GB }
faults:
  - { kind: partition, at: 5s, duration: 20s, groups: [[aws], [gcp]] }
  - { kind: node_crash, at: 8s, node: azure-east-1, restart_after: 30s }
  - { kind: latency_spike, at: 10s, duration: 30s, between: [aws-east, gcp], multiply: 5 }
`);

describe('determinism', () => {
  it('same scenario and seed give byte-identical outputs, across seeds drawn by fast-check', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        expect(digest(runScenario(faulty, { seed }))).toBe(digest(runScenario(faulty, { seed })));
      }),
      { numRuns: 8 },
    );
  });

  it('different seeds give different outputs', () => {
    const digests = new Set([1, 2, 3, 4].map((seed) => digest(runScenario(faulty, { seed }))));
    expect(digests.size).toBe(4);
  });

  it('an interleaved run does not disturb another (no hidden global state)', () => {
    const alone = digest(runScenario(faulty, { seed: 9 }));
    runScenario(scenarioFrom('duration: 1m\n'), { seed: 123 });
    expect(digest(runScenario(faulty, { seed: 9 }))).toBe(alone);
  });
});
