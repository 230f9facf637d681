import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario, metricsOf, runScenario } from '../../src/run/index.js';

const FILES = readdirSync('experiments').filter((f) => f.endsWith('.yml')).sort();

describe('experiments/', () => {
  it('every experiment loads and is described in experiments/README.md', () => {
    const readme = readFileSync('experiments/README.md', 'utf8');
    expect(FILES.length).toBeGreaterThanOrEqual(5);
    for (const f of FILES) {
      expect(() => loadScenario(`experiments/${f}`), f).not.toThrow();
      expect(readme, f).toContain(`| \`${f}\` |`);
    }
  });

  it('fleet-10y, scaled down (400 nodes, 10 % AFR), runs its decade and says whether data was lost', () => {
    const regions = ['aws-east', 'aws-west', 'aws-north', 'aws-south'];
    const set = [...regions.map((r) => `topology.clouds.aws.regions.${r}.nodes=100`), ...regions.map((r) => `topology.clouds.aws.regions.${r}.racks=5`), 'pipeline.dataset.size=80GB', 'failures.disks.lifetime.afr=10%'];
    const loaded = loadScenario('experiments/fleet-10y.yml', { set });
    const outcomes = [1, 2, 3, 4, 5, 6].map((seed) => {
      const r = runScenario(loaded, { seed });
      const m = metricsOf(r.summary);
      // Every chunk was stored before the failures could matter, and repairs ran.
      expect(m.get('lost_chunks') === 0 || r.summary.stopped !== null).toBe(true);
      expect(r.summary.repair.repairs).toBeGreaterThan(0);
      // A run that lost data stopped at the first bucket end after the loss; one that did not ran ten years.
      if (m.get('data_lost') === true) expect(r.summary.stopped!.at_s).toBeGreaterThanOrEqual(m.get('first_loss_s') as number);
      else expect(m.get('first_loss_s')).toBeNull();
      return m.get('data_lost');
    });
    // At five times the AFR some seeds lose data and some do not (this is what a sweep's share measures).
    expect(outcomes).toContain(true);
    expect(outcomes).toContain(false);
  });
});
