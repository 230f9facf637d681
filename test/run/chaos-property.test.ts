import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadScenario, loadScenarioFromText, runScenario, type RunResult } from '../../src/run/index.js';
import type { PipelineDefect } from '../../src/systems/index.js';
import { writeShrunk } from '../helpers/shrunk.js';

/**
 * Property-based chaos: random fault schedules over the catalog on a small
 * two-cloud cluster. Runs per property: 12 by default; LORENZ_CHAOS_RUNS=500
 * for a long hunt.
 */
const RUNS = Number(process.env.LORENZ_CHAOS_RUNS ?? 12);
const NODES = ['aws-a-2', 'aws-a-3', 'aws-b-1', 'gcp-a-1', 'gcp-a-2', 'gcp-a-3'];

const BASE = {
  duration: '3m',
  topology: { clouds: { aws: { regions: { 'aws-a': { nodes: 3 }, 'aws-b': { nodes: 1 } } }, gcp: { regions: { 'gcp-a': { nodes: 3 } } } } },
  pipeline: { source_node: 'aws-a-1', dataset: { size: '2GB', file_size: '1GB' } },
};

type Fault = Record<string, unknown>;
const ms = (n: number) => `${n}ms`;

// The source (aws-a-1) may crash and restart: it resumes from its outcome log. Losing it for good
// (its disk holds the log and the catalog) is outside the budget.
const crash = fc.record({ node: fc.constantFrom('aws-a-1', ...NODES), at: fc.integer({ min: 0, max: 40_000 }), down: fc.integer({ min: 1_000, max: 60_000 }) })
  .map((f): Fault => ({ kind: 'node_crash', at: ms(f.at), node: f.node, restart_after: ms(f.down) }));
const partition = fc.record({ side: fc.constantFrom(['aws'], ['gcp'], ['aws-b'], ...NODES.map((n) => [n])), at: fc.integer({ min: 0, max: 40_000 }), length: fc.integer({ min: 1_000, max: 60_000 }) })
  .map((f): Fault => ({ kind: 'partition', at: ms(f.at), duration: ms(f.length), groups: [f.side] }));
const loss = fc.record({ node: fc.constantFrom(...NODES), at: fc.integer({ min: 0, max: 40_000 }) })
  .map((f): Fault => ({ kind: 'node_loss', at: ms(f.at), node: f.node }));
const spike = fc.record({ at: fc.integer({ min: 0, max: 40_000 }), length: fc.integer({ min: 1_000, max: 60_000 }), multiply: fc.integer({ min: 2, max: 50 }) })
  .map((f): Fault => ({ kind: 'latency_spike', at: ms(f.at), duration: ms(f.length), between: ['aws', 'gcp'], multiply: f.multiply }));

/** Within the fault budget: never more than replication_factor - 1 (2) nodes down or lost at once (a lost node stays down). */
function withinBudget(faults: Fault[]): boolean {
  const edges = faults.filter((f) => f.kind === 'node_crash' || f.kind === 'node_loss').flatMap((f) => {
    const at = parseInt(f.at as string, 10);
    return f.kind === 'node_loss' ? [[at, 1]] : [[at, 1], [at + parseInt(f.restart_after as string, 10), -1]];
  }).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let down = 0;
  for (const [, d] of edges) if ((down += d!) > 2) return false;
  return true;
}

const schedules = fc.array(fc.oneof(crash, loss, partition, spike), { maxLength: 6 }).filter(withinBudget);

function scenarioText(faults: Fault[]): string {
  return stringify({ description: 'A fault schedule found and shrunk by the property-based chaos test.', ...BASE, faults });
}

function run(faults: Fault[], seed: number, defects: PipelineDefect[] = []): RunResult {
  return runScenario(loadScenarioFromText('chaos.yml', scenarioText(faults)), { seed, defects });
}

const safe = (r: RunResult) => r.ok && r.summary.durability.lost_chunks === 0;

describe('property-based chaos', () => {
  it('same schedule and seed give the same outputs', () => {
    fc.assert(fc.property(schedules, fc.nat(1000), (faults, seed) => {
      expect(JSON.stringify(run(faults, seed).files)).toBe(JSON.stringify(run(faults, seed).files));
    }), { numRuns: Math.max(4, RUNS / 2) });
  });

  it('within the fault budget, every invariant holds and no acknowledged chunk is lost', () => {
    fc.assert(fc.property(schedules, fc.nat(1000), (faults, seed) => {
      const r = run(faults, seed);
      expect(r.failures).toEqual([]);
      expect(r.summary.durability.lost_chunks).toBe(0);
    }), { numRuns: RUNS });
  });

  it('a placement that asks one target too few is caught under any schedule, though repair hides it by the end', () => {
    fc.assert(fc.property(schedules, fc.nat(1000), (faults, seed) => {
      const r = run(faults, seed, ['place_fewer']);
      expect(r.summary.invariants.find((i) => i.name === 'partial_ack_explained')!.held).toBe(false);
    }), { numRuns: Math.max(4, RUNS / 2) });
  });

  it('finds a deliberate bug, shrinks its schedule to a few faults and writes it as a runnable scenario', () => {
    const outcome = fc.check(fc.property(schedules, fc.nat(1000), (faults, seed) => safe(run(faults, seed, ['count_silent_targets']))), { numRuns: 200, seed: 7 });
    expect(outcome.failed).toBe(true);
    const [faults, seed] = outcome.counterexample!;
    expect(faults.length).toBeGreaterThan(0);
    expect(faults.length).toBeLessThanOrEqual(3);
    const file = writeShrunk('count-silent-targets', seed, scenarioText(faults), 'count_silent_targets');
    // The written file reproduces the failure, and only with the defect on.
    const again = runScenario(loadScenario(file), { seed, defects: ['count_silent_targets'] });
    expect(again.ok).toBe(false);
    expect(again.failures.join('\n')).toMatch(/ack_matches_disks/);
    expect(safe(runScenario(loadScenario(file), { seed }))).toBe(true);
  });
});
