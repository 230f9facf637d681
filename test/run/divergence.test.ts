import { describe, expect, it } from 'vitest';
import { findDivergence, loadScenarioFromText, runScenario, checkDeterminism } from '../../src/run/index.js';
import { runCli } from '../helpers/cli.js';

const loaded = loadScenarioFromText('d.yml', 'duration: 1m\nfaults:\n  - { kind: node_crash, at: 5s, node: gcp-central-2 }\n');

describe('divergence finder', () => {
  it('says a deterministic run matched and gives a stable trace hash', () => {
    const a = checkDeterminism(loaded, 3);
    expect(a.matched).toBe(true);
    expect(a.events).toBeGreaterThan(100);
    expect(checkDeterminism(loaded, 3).traceHash).toBe(a.traceHash);
    expect(checkDeterminism(loaded, 4).traceHash).not.toBe(a.traceHash);
  });

  it('names the first diverging event of a nondeterministic run', () => {
    let calls = 0;
    // Hidden state across runs: the second run crashes the node 1 s later, as a leaked global might make it.
    const later = loadScenarioFromText('d.yml', 'duration: 1m\nfaults:\n  - { kind: node_crash, at: 6s, node: gcp-central-2 }\n');
    const report = findDivergence((trace) => runScenario(calls++ === 0 ? loaded : later, { seed: 3, trace }));
    expect(report.matched).toBe(false);
    const d = report.divergence!;
    expect(d.first).not.toEqual(d.second);
    expect(d.index).toBeGreaterThan(0);
    expect(d.first!.index).toBe(d.index);
    // Everything before the crash matched; the first run's crash at 5 s is where they part.
    expect(d.first).toMatchObject({ time: 5_000_000, kind: 'crash', node: 'gcp-central-2' });
  });

  it('--check-determinism on the CLI', () => {
    const r = runCli('sim.ts', ['scenarios/partition.yml', '--seed', '42', '--check-determinism']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^deterministic: two runs matched over \d+ events; trace sha256 [0-9a-f]{64}/);
  });
});
