import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario, ScenarioRun } from '../../src/run/index.js';

/**
 * The scale scenarios run for minutes, so the golden suite leaves them out
 * (test/golden/golden.ts) and `npm run bench -- --only=scale` measures them.
 * Here: they load, and a short slice of each runs with its chaos and keeps
 * its expectations, so a change that breaks them is caught by `npm test`.
 */
describe('the scale scenarios', () => {
  it('scale-1k-day: 1,000 nodes for 2 simulated minutes with chaos from 20 s keep every expectation', () => {
    const loaded = loadScenario('scenarios/scale-1k-day.yml', { set: ['duration=2m', 'nemesis.start=20s', 'nemesis.stop=90s', 'nemesis.faults.node_crash.every=30s', 'nemesis.faults.partition.every=40s'] });
    expect(loaded.scenario.topology.clouds).toBeDefined();
    const r = runScenario(loaded, { seed: 42 });
    expect(r.failures).toEqual([]);
    const summary = JSON.parse(r.files['summary.json']!) as { detection: { crashes: number; false_suspicions: number } };
    expect(summary.detection.crashes).toBeGreaterThan(0);
  }, 120_000);

  it('scale-10k: 10,000 nodes boot and run 2 simulated seconds', () => {
    const run = new ScenarioRun(loadScenario('scenarios/scale-10k.yml'), { seed: 1 });
    run.advance(2_000_000);
    // Every node's first SWIM round has started: at least a period timer and a ping each.
    expect(run.events).toBeGreaterThan(20_000);
  }, 120_000);
});
