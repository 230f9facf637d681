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

  // Found by the scale bench's 300-node points: a chunk whose worker was declared failed mid-distribution was
  // reprocessed; the given-up attempt's targets answered late, one of them was declared failed before the
  // next distribution, and that replica was still counted, so the chunk was acknowledged with 2 of 3 and no
  // third target asked (partial_ack_explained). A replica on a node declared failed no longer counts there.
  // Then a second race of the same kind (seed 17, at 322 s): a late replica counted at the start of the next
  // attempt, its node declared failed before the acknowledgement; the checker never learnt that target was asked.
  // Late answers are now reported (replica_answer, late), so the PARTIAL is explained.
  it.each([
    [42, 400],
    [17, 600],
  ])('scale-1k-day at 300 nodes, seed %i, for %i simulated seconds (chaos from 60 s) keeps every invariant', (seed, seconds) => {
    const regions = { 'aws.regions.aws-east': 60, 'aws.regions.aws-west': 45, 'gcp.regions.gcp-central': 60, 'gcp.regions.gcp-west': 30, 'azure.regions.azure-east': 60, 'azure.regions.azure-west': 45 };
    const set = [...Object.entries(regions).map(([r, n]) => `topology.clouds.${r}.nodes=${n}`), `duration=${seconds}s`, 'nemesis.start=60s', `nemesis.stop=${seconds}s`];
    const r = runScenario(loadScenario('scenarios/scale-1k-day.yml', { set }), { seed });
    expect(r.summary.invariants.filter((i) => !i.held)).toEqual([]);
    // The cases above happened at 372.7 s and 322.2 s: the runs reached them.
    expect(r.summary.pipeline.chunks_acked).toBeGreaterThan(1000);
  }, 120_000);

  it('scale-10k: 10,000 nodes boot and run 2 simulated seconds', () => {
    const run = new ScenarioRun(loadScenario('scenarios/scale-10k.yml'), { seed: 1 });
    run.advance(2_000_000);
    // Every node's first SWIM round has started: at least a period timer and a ping each.
    expect(run.events).toBeGreaterThan(20_000);
  }, 120_000);
});
