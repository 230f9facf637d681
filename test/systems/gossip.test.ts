import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SYSTEMS } from '../../src/modules/registry.js';
import { runScenario } from '../../src/run/index.js';
import { gossipModule } from '../../src/systems/gossip/module/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

/**
 * The gossip system is the proof of the recipe in docs/architecture.md: a
 * system added through its own folder and one registry line, with its own
 * scenario block, telemetry, output file, summary section, metrics and
 * invariants, and nothing else in Lorenz naming it.
 */
const GOSSIP = `
duration: 5m
pipeline:
  dataset: { size: 0B, file_size: 1MB }
gossip:
  source: aws-east-1
  interval: 500ms
  update_every: 20s
faults:
  - { kind: node_crash, at: 60s, node: gcp-central-2, restart_after: 30s }
expect:
  gossip_versions: { gte: 10 }
  gossip_convergence_p95_s: { lt: 10 }
`;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : [p];
  });
}

describe('a system added through the registry alone (gossip)', () => {
  it('runs from its block: gossip.csv, a summary section, metrics expect: can use, and its invariants hold', () => {
    const r = runScenario(scenarioFrom(GOSSIP), { seed: 42 });
    expect(r.failures).toEqual([]);
    const g = r.summary.gossip!;
    expect(g.versions).toBe(14);
    expect(g.converged).toBe(g.versions);
    expect(g.max_convergence_s).toBeGreaterThan(0);
    expect(r.files['gossip.csv']!.split('\n')[0]).toBe('time_s,version,converged_s,convergence_s');
    expect(r.summary.invariants.map((i) => i.name)).toContain('gossip_converges');
    expect(r.summary.expectations.every((e) => e.held)).toBe(true);
  });

  it('the checker catches a planted defect: nodes that ignore pushes never converge', () => {
    const r = runScenario(scenarioFrom(GOSSIP), { seed: 42, defects: ['gossip_ignore_pushes' as never] });
    expect(r.ok).toBe(false);
    expect(r.summary.invariants.find((i) => i.name === 'gossip_converges')).toMatchObject({ held: false });
  });

  it('is off, and writes nothing, without its block; its block is checked at load time', () => {
    const r = runScenario(scenarioFrom('duration: 1m\n'), { seed: 1 });
    expect(r.files['gossip.csv']).toBeUndefined();
    expect(r.summary.gossip).toBeUndefined();
    expect(() => scenarioFrom('gossip:\n  source: nowhere-1\n')).toThrow(/gossip\.source: no node called "nowhere-1"/);
  });

  it('nothing outside its folder names it but the registry line', () => {
    expect(SYSTEMS).toContain(gossipModule);
    const mentions = sources('src')
      .filter((f) => !f.startsWith(join('src', 'systems', 'gossip')))
      // Its module, its folder, its block key, its telemetry and metric names (SWIM's own gossip is another thing).
      .filter((f) => /gossipModule|systems\/gossip\/|'gossip'|gossip_/.test(readFileSync(f, 'utf8')));
    expect(mentions).toEqual([join('src', 'modules', 'registry.ts')]);
  });
});
