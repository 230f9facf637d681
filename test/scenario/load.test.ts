import { describe, expect, it } from 'vitest';
import { loadScenarioFile, ScenarioError } from '../../src/scenario/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

describe('scenario loading', () => {
  it('merges over config/defaults.yml and resolves units', () => {
    const { scenario } = scenarioFrom('duration: 90s\npipeline:\n  chunk_size: 64MiB\n');
    expect(scenario.duration).toBe(90_000_000);
    expect(scenario.pipeline.chunk_size).toBe(64 * 2 ** 20);
    expect(scenario.pipeline.distribution.replication_factor).toBe(3); // from defaults
    expect(scenario.network.cross_cloud.bandwidth).toBe(125e6);
  });

  it('a scenario topology replaces the default clouds whole', () => {
    const { scenario } = scenarioFrom(`
topology:
  clouds:
    aws: { regions: { aws-a: { nodes: 4 } } }
pipeline: { source_node: aws-a-1 }
`);
    expect(Object.keys(scenario.topology.clouds)).toEqual(['aws']);
  });

  it('--set overrides a value and changes the hash', () => {
    const a = scenarioFrom('duration: 1m\n');
    const b = scenarioFrom('duration: 1m\n', 'inline.yml', ['pipeline.distribution.replication_factor=2']);
    expect(b.scenario.pipeline.distribution.replication_factor).toBe(2);
    expect(a.hash).not.toBe(b.hash);
    expect(scenarioFrom('duration: 1m\n').hash).toBe(a.hash);
  });

  it('rejects impossible settings with the field named', () => {
    expect(() => scenarioFrom('pipeline:\n  distribution:\n    min_replicas_success: 4\n')).toThrow(/pipeline\.distribution\.min_replicas_success: must not exceed replication_factor/);
    expect(() => scenarioFrom('pipeline:\n  distribution:\n    replication_factor: 11\n    min_replicas_success: 1\n')).toThrow(/need at least 12 nodes/);
    expect(() => scenarioFrom('pipeline:\n  source_node: nowhere-1\n')).toThrow(ScenarioError);
  });

  it('every shipped scenario loads', async () => {
    const { readdirSync } = await import('node:fs');
    for (const f of readdirSync('scenarios').filter((n) => n.endsWith('.yml'))) {
      expect(() => loadScenarioFile(`scenarios/${f}`), f).not.toThrow();
    }
  });
});
