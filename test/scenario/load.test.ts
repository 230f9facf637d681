import { describe, expect, it } from 'vitest';
import { loadScenarioFile, ScenarioError } from '../../src/scenario/index.js';
import { loadScenario, loadScenarioFromText } from '../../src/run/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
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
      expect(() => loadScenario(`scenarios/${f}`), f).not.toThrow();
    }
  });
});

describe('scenario loading: the corners', () => {
  it('a type mismatch names the value, not a missing field', () => {
    expect(() => scenarioFrom('pipeline:\n  max_staged_chunks: lots\n')).toThrow(/pipeline\.max_staged_chunks: expected number, received string, got "lots"/);
    expect(() => scenarioFrom('faults:\n  - { kind: node_crash, at: 1s }\n')).toThrow(/faults\[0\]\.node: required field is missing/);
  });

  it('a bare-number duration must be whole microseconds', () => {
    expect(() => scenarioFrom('duration: 1.5\n')).toThrow(/duration: a bare number is a count of microseconds and must be a whole number, got 1.5/);
    expect(scenarioFrom('duration: 1.5s\n').scenario.duration).toBe(1_500_000);
  });

  it('--set indexes into lists and reports a bad index', () => {
    const yaml = 'faults:\n  - { kind: node_crash, at: 10s, node: aws-east-2 }\n';
    expect(scenarioFrom(yaml, 'x.yml', ['faults.0.at=30s']).scenario.faults[0]!.at).toBe(30_000_000);
    expect(() => scenarioFrom(yaml, 'x.yml', ['faults.3.at=30s'])).toThrow(/--set faults\.3\.at=30s: "3" is not an index of a list of 1/);
    expect(() => scenarioFrom(yaml, 'x.yml', ['faults.0.node=nowhere'])).toThrow(/^--set faults\.0\.node=nowhere: faults\[0\]\.node: no node called "nowhere"/);
  });

  it('an unknown field a --set made is blamed on that --set, not on the file', () => {
    const yaml = 'duration: 1m\npipeline:\n  chunk_size: 10MB\n';
    expect(() => scenarioFrom(yaml, 'x.yml', ['foo.bar=1'])).toThrow(/^--set foo\.bar=1: foo: unknown field "foo"/);
    expect(() => scenarioFrom(yaml, 'x.yml', ['pipeline.foo.x=1'])).toThrow(/^--set pipeline\.foo\.x=1: pipeline\.foo: unknown field "foo"/);
    // A block the --set made, missing a field it needs: the --set's doing too, not the defaults file's.
    expect(() => scenarioFrom(yaml, 'x.yml', ['repair.process.duration=1h'])).toThrow(/^--set repair\.process\.duration=1h: repair\.process\.start_after: required field is missing/);
    // The same unknown field written in the file is the file's.
    expect(() => scenarioFrom(`${yaml}  foo: { x: 1 }\n`, 'x.yml', ['pipeline.chunk_size=20MB'])).toThrow(/^x\.yml:4:8: pipeline\.foo: unknown field "foo"/);
  });

  it('a latency distribution replaces the default distribution whole', () => {
    const { scenario } = scenarioFrom('network:\n  same_cloud:\n    latency: { dist: lognormal, median: 5ms, sigma: 0.3 }\n');
    expect(scenario.network.same_cloud.latency).toEqual({ dist: 'lognormal', median: 5000, sigma: 0.3, floor: 0 });
  });

  it('cloud_latency keys must name two clouds', () => {
    expect(() => scenarioFrom('network:\n  cloud_latency:\n    aws-gpc: 50ms\n')).toThrow(/network\.cloud_latency\.aws-gpc: "aws-gpc" does not name two clouds/);
  });

  it('a node on both sides of a partition is an error', () => {
    expect(() => scenarioFrom('faults:\n  - { kind: partition, at: 1s, groups: [[aws], [aws-east-1]] }\n')).toThrow(/faults\[0\]\.groups\[1\]\[0\]: node aws-east-1 is in group 0 and again in group 1/);
  });
});

describe('scenario loading: more corners', () => {
  it('a reversed cloud pair replaces the default pair', () => {
    const { scenario } = scenarioFrom('network:\n  cloud_latency:\n    gcp-aws: 80ms\n');
    expect(scenario.network.cloud_latency['aws-gcp']).toBe(80_000);
    expect(scenario.network.cloud_latency['gcp-aws']).toBeUndefined();
  });

  it('cloud_latency keys added by --set are checked too', () => {
    expect(() => scenarioFrom('duration: 1m\n', 'x.yml', ['network.cloud_latency.aws-gpc=50ms'])).toThrow(/^--set network\.cloud_latency\.aws-gpc=50ms: .*does not name two clouds/);
  });

  it('a fractional bare latency says what is wrong', () => {
    expect(() => scenarioFrom('network:\n  same_cloud:\n    latency: 1.5\n')).toThrow(/network\.same_cloud\.latency: a bare number is a count of microseconds and must be a whole number/);
    expect(() => scenarioFrom('pipeline:\n  chunk_size: 1.5\n')).toThrow(/such as "1\.5MB"/);
  });

  it('an error inside a list replaced by --set points at that --set', () => {
    expect(() => scenarioFrom('duration: 1m\n', 'x.yml', ['faults=[{kind: node_crash, at: 1s, node: nowhere}]'])).toThrow(/^--set faults=/);
  });
});

describe('scenario loading: settings almost surely not meant', () => {
  it('a bare-number duration is an error that suggests the unit', () => {
    expect(() => scenarioFrom('duration: 300\n')).toThrow(/^inline\.yml:1:\d+: duration: a bare number is ambiguous \(it would count microseconds: 300us\); write the unit: 300s for seconds, 300m for minutes, or 300us if you meant microseconds\.$/);
    expect(scenarioFrom('duration: 300s\n').scenario.duration).toBe(300e6);
  });

  it('a fault at or after the end is an error, located; allowed, it is a warning', () => {
    const yaml = 'duration: 1m\nfaults:\n  - { kind: node_crash, at: 1m, node: aws-east-2 }\n';
    expect(() => scenarioFrom(yaml)).toThrow(/^inline\.yml:3:\d+: faults\[0\]\.at: 1m is at or after the end of the run \(1m\): this fault would never strike\. Move it earlier or lengthen duration; --allow-late-faults runs anyway, with a warning\.$/);
    const allowed = loadScenarioFromText('inline.yml', yaml, { allowLateFaults: true });
    expect(allowed.warnings).toEqual([expect.stringMatching(/:3:\d+: faults\[0\]\.at: 1m is at or after the end of the run \(1m\): this fault never strikes\.$/)]);
  });

  it('a nemesis that starts after the end is a warning, located', () => {
    const loaded = scenarioFrom('duration: 30s\nnemesis:\n  start: 1m\n  stop: 2m\n  faults:\n    node_pause: { every: 1m, duration: 1s }\n');
    expect(loaded.warnings).toEqual([expect.stringMatching(/:3:\d+: nemesis\.start: 1m is at or after the end of the run \(30s\): the nemesis never strikes\.$/)]);
    expect(scenarioFrom('duration: 5m\n').warnings).toEqual([]);
    expect(scenarioFrom('duration: 1m\nreads: { every: 1s, start: 2m, cache: 1KB }\n').warnings).toEqual([
      expect.stringMatching(/:2:\d+: reads\.start: 2m is at or after the end of the run \(1m\): no client ever reads\.$/),
      expect.stringMatching(/:2:\d+: reads\.cache: 1000 bytes hold no 1000000-byte read \(read_size\): every client reads without a cache\.$/),
    ]);
    expect(scenarioFrom('duration: 1m\ncoordinator: { agents: [{ node: aws-east-1 }], proposals: { every: 5m, approve: 0.5 } }\n').warnings).toEqual([
      expect.stringMatching(/:2:\d+: coordinator\.proposals\.every: 5m is at or after the end of the run \(1m\): no policy change is ever proposed\.$/),
    ]);
    const lifetime = '{ lifetime: { dist: exponential, mean: 1d } }';
    expect(scenarioFrom(`duration: 1h\nfailures: { start: 2h, nodes: ${lifetime} }\n`).warnings).toEqual([
      expect.stringMatching(/:2:\d+: failures\.start: 2h is at or after the end of the run: no failure process ever strikes\.$/),
    ]);
    expect(scenarioFrom(`duration: 1h\nfailures: { start: 20m, stop: 10m, nodes: ${lifetime} }\n`).warnings).toEqual([
      expect.stringMatching(/failures\.start: 20m is at or after failures\.stop \(10m\): no failure process ever strikes\.$/),
    ]);
    expect(scenarioFrom('duration: 1h\nfailures: { start: 0s }\n').warnings).toEqual([expect.stringMatching(/failures: has no nodes, disks or racks process: nothing ever fails by it\.$/)]);
    expect(scenarioFrom(`duration: 1h\nfailures: { nodes: ${lifetime} }\n`).warnings).toEqual([]);
  });

  it('no shipped scenario has any', async () => {
    const { readdirSync } = await import('node:fs');
    for (const f of readdirSync('scenarios').filter((n) => n.endsWith('.yml'))) expect(loadScenario(`scenarios/${f}`).warnings, f).toEqual([]);
  });

  it('the CLI refuses a late fault (exit 2, naming the --set that made it late), and with --allow-late-faults warns and runs', () => {
    const args = ['scenarios/partition.yml', '--seed', '1', '--set', 'duration=3s', '--set', 'expect={}', '--out', tempDir(), '--quiet'];
    const refused = runCli('sim.ts', args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: scenarios\/partition\.yml:15:9: faults\[0\]\.at: 20s is at or after the end of the run \(3s\): this fault would never strike\./);
    const allowed = runCli('sim.ts', [...args, '--allow-late-faults']);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toBe('warning: scenarios/partition.yml:15:9: faults[0].at: 20s is at or after the end of the run (3s): this fault never strikes.\n');
  });
});
