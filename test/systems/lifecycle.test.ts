import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/run/index.js';
import { NodeRegistry, type ClusterConfig, type PipelineDefect, type RosterChange, type TelemetryEvent } from '../../src/systems/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

function record(file: string, seed = 42, set: string[] = []) {
  const events: Array<{ t: number; e: TelemetryEvent }> = [];
  const loaded = set.length === 0 ? loadScenario(file) : loadScenario(file, { set });
  const result = runScenario(loaded, { seed, observe: (t, e) => events.push({ t, e }) });
  return { result, events };
}

const invariant = (summary: { invariants: Array<{ name: string; held: boolean }> }, name: string) => summary.invariants.find((i) => i.name === name)!;

describe('the registry\'s roster: who is in the cluster, as one node learned it', () => {
  // Members 0-2 are configured; 3 is a standby machine.
  const cluster: ClusterConfig = {
    members: [0, 1, 2, 3].map((index) => ({ index, name: `n${index}`, cloud: 'c', region: 'r', rack: 'r', slots: 1, diskCapacityBytes: 1, initial: index < 3 })),
    nominalLatency: () => 0,
  };

  it('a standby machine is no member until admitted; a departed one never again', () => {
    const r = new NodeRegistry(cluster, () => 0, 0);
    const changes: Array<[number, RosterChange]> = [];
    const states: Array<[number, string, string]> = [];
    r.onRosterChange((m, c) => changes.push([m, c]));
    r.onStateChange((m, s, p) => states.push([m, s, p]));
    expect([0, 1, 2, 3].map((i) => r.present(i))).toEqual([true, true, true, false]);
    expect(r.state(3)).toBe('failed');
    expect(r.healthyMembers().map((m) => m.index)).toEqual([0, 1, 2]);
    // A detector's verdict on a machine outside the cluster changes nothing anyone hears of (the belief itself changed).
    expect(r.setState(3, 'suspected')).toBe(true);
    expect(r.setState(3, 'suspected')).toBe(false);
    expect(r.verdictCodes[3]).toBe(1);
    expect(states).toEqual([]);
    expect(r.admit(3)).toBe(true);
    expect(r.admit(3)).toBe(false);
    expect(r.healthy(3)).toBe(true);
    // Admission is a healthy verdict: the detectors' belief about the joiner starts there.
    expect(r.verdictCodes[3]).toBe(0);
    r.markDraining(1);
    expect(r.healthy(1)).toBe(false);
    expect(r.serves(1)).toBe(true);
    expect(r.state(1)).toBe('healthy');
    r.depart(1);
    expect(r.state(1)).toBe('failed');
    expect(r.serves(1)).toBe(false);
    expect(r.admit(1)).toBe(false);
    expect(changes).toEqual([[3, 'joined'], [1, 'draining'], [1, 'left']]);
    expect(states).toEqual([[3, 'healthy', 'failed'], [1, 'failed', 'healthy']]);
  });
});

describe('node lifecycle', () => {
  it('node-replacement: three nodes lost over an hour, each replaced 10 minutes later; back to 11 nodes, fully replicated, nothing lost', () => {
    const { result, events } = record('scenarios/node-replacement.yml');
    const s = result.summary;
    expect(result.ok).toBe(true);
    expect(s.membership).toMatchObject({ nodes_at_start: 11, nodes_at_end: 11, joins: 3, drains: 0, decommissions: 0 });
    expect(s.durability).toMatchObject({ lost_chunks: 0, under_replicated_at_end: 0 });
    expect(s.pipeline.chunks_failed).toBe(0);
    // The replacements are new machines (aws-east-4, gcp-central-4, azure-east-4) and rebalancing fills them.
    const faults = result.files['faults.csv']!;
    expect(faults).toMatch(/^900,0,node_loss,end,aws-east-2 \(replaced by a standby machine at the end\)$/m);
    const joined = events.filter(({ e }) => e.kind === 'roster' && e.change === 'joined').map(({ e }) => (e as { node: number }).node);
    expect(joined).toHaveLength(3);
    for (const n of joined) expect(events.some(({ e }) => e.kind === 'replica_moved' && e.to === n)).toBe(true);
  });

  it('grow-and-drain: joins, a drain that hands its data off before leaving, and a decommission', () => {
    const { result, events } = record('scenarios/grow-and-drain.yml');
    const s = result.summary;
    expect(result.ok).toBe(true);
    expect(s.membership).toMatchObject({ nodes_at_start: 11, nodes_at_end: 11, joins: 2, drains: 1, decommissions: 1, drains_unfinished: 0 });
    expect(invariant(s, 'drain_hands_off').held).toBe(true);
    // The drainer announced, its replicas moved off, then it left; nothing was repaired on its account.
    const at = (pred: (e: TelemetryEvent) => boolean) => events.find(({ e }) => pred(e))!.t;
    const drained = (events.find(({ e }) => e.kind === 'roster' && e.change === 'draining')!.e as { node: number }).node;
    const announced = at((e) => e.kind === 'roster' && e.change === 'draining');
    const left = at((e) => e.kind === 'roster' && e.change === 'left' && e.how === 'drain');
    const movedOff = events.filter(({ e }) => e.kind === 'replica_moved' && e.from === drained);
    expect(movedOff.length).toBeGreaterThan(0);
    expect(movedOff.every(({ t }) => t > announced && t <= left)).toBe(true);
    expect(events.some(({ e }) => e.kind === 'replica_dropped' && e.node === drained)).toBe(false);
    // The decommissioned node's chunks are repaired from the other replicas.
    expect(s.repair.repairs).toBeGreaterThan(0);
    // Leaving is no crash: nothing to detect, nothing falsely suspected.
    expect(s.detection).toMatchObject({ crashes: 0, false_suspicions: 0 });
  });

  it.each(['heartbeat', 'phi_accrual', 'swim'])('every detector (%s) learns of joiners and leavers without a false verdict', (kind) => {
    for (const file of ['scenarios/grow-and-drain.yml', 'scenarios/node-replacement.yml']) {
      const { result } = record(file, 42, [`detector.kind=${kind}`]);
      expect(result.ok, `${file} ${result.failures.join('; ')}`).toBe(true);
      expect(result.summary.detection.false_suspicions).toBe(0);
    }
  });

  it('a planted defect: a drainer released before its handoff is caught by drain_hands_off', () => {
    const loaded = loadScenario('scenarios/grow-and-drain.yml');
    const run = (defects: PipelineDefect[]) => runScenario(loaded, { seed: 42, defects }).summary;
    const caught = invariant(run(['drain_release_early']), 'drain_hands_off') as { held: boolean; first?: { detail: string } };
    expect(caught.held).toBe(false);
    expect(caught.first!.detail).toMatch(/^azure-east-2 left after its drain holding chunk \d+, which has 2 intact replicas on other nodes in service$/);
    expect(invariant(run([]), 'drain_hands_off').held).toBe(true);
  });

  it('standby machines that never join change no byte of the run but the summary\'s membership section', () => {
    const plain = runScenario(scenarioFrom('duration: 2m\nfaults:\n  - { kind: node_loss, at: 30s, node: aws-east-2 }\n'), { seed: 7 });
    const spare = runScenario(scenarioFrom('duration: 2m\nfaults:\n  - { kind: node_loss, at: 30s, node: aws-east-2 }\ntopology:\n  clouds:\n    aws: { regions: { aws-east: { nodes: 3, standby: 2 }, aws-west: { nodes: 2 } } }\n    gcp: { regions: { gcp-central: { nodes: 3 } } }\n    azure: { regions: { azure-east: { nodes: 3 } } }\n'), { seed: 7 });
    for (const f of ['throughput.csv', 'durability.csv', 'detector.csv', 'faults.csv']) expect(spare.files[f], f).toBe(plain.files[f]);
    expect(spare.summary.membership).toMatchObject({ nodes_at_start: 11, nodes_at_end: 10, joins: 0 });
    expect(plain.summary.membership).toBeUndefined();
    const { membership: _m, ...rest } = spare.summary;
    const { membership: _p, ...plainRest } = plain.summary;
    expect(JSON.stringify(rest.pipeline)).toBe(JSON.stringify(plainRest.pipeline));
  });
});

describe('the nemesis draws drains, each replaced after the strike', () => {
  const yaml = `duration: 10m
topology:
  clouds:
    aws: { regions: { aws-east: { nodes: 3, standby: 3 }, aws-west: { nodes: 2, standby: 2 } } }
    gcp: { regions: { gcp-central: { nodes: 3, standby: 3 } } }
    azure: { regions: { azure-east: { nodes: 3, standby: 3 } } }
rebalance: { enabled: true }
nemesis:
  start: 30s
  stop: 8m
  faults:
    node_drain: { every: 90s, duration: { min: 30s, max: 2m } }
    node_crash: { every: 60s, duration: { min: 5s, max: 30s } }
  budget: { max_nodes_down: 1 }
`;
  it('within the node budget, never on a standby machine, the same timeline whatever the detector; nothing lost', () => {
    const a = runScenario(scenarioFrom(yaml), { seed: 42 });
    const b = runScenario(scenarioFrom(yaml, 'inline.yml', ['detector.kind=swim']), { seed: 42 });
    expect(a.ok, a.failures.join('; ')).toBe(true);
    expect(a.files['faults.csv']).toBe(b.files['faults.csv']);
    const drains = a.files['faults.csv']!.split('\n').filter((l) => l.includes(',node_drain,start,'));
    expect(drains.length).toBeGreaterThan(0);
    // Every target is a machine the cluster started with (the standby ones are aws-east-4..6, aws-west-3..4, ...).
    const initial = ['aws-east-1', 'aws-east-2', 'aws-east-3', 'aws-west-1', 'aws-west-2', 'gcp-central-1', 'gcp-central-2', 'gcp-central-3', 'azure-east-1', 'azure-east-2', 'azure-east-3'];
    const targets = a.files['faults.csv']!.trim().split('\n').slice(1).map((l) => l.split(',')[4]!.split(' ')[0]!);
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) expect(initial, t).toContain(t);
    expect(a.summary.membership).toMatchObject({ nodes_at_start: 11, joins: drains.length, drains: drains.length });
    expect(a.summary.membership!.nodes_at_end).toBe(11);
  });
});

describe('membership changes in scenario files', () => {
  const topology = 'topology:\n  clouds:\n    aws: { regions: { aws-east: { nodes: 3, standby: 1 }, aws-west: { nodes: 2 } } }\n    gcp: { regions: { gcp-central: { nodes: 3 } } }\n';
  it('are refused up front when they cannot happen, with the field named', () => {
    expect(() => scenarioFrom(`${topology}faults:\n  - { kind: node_join, at: 1s, node: aws-east-2 }\n`)).toThrow(/faults\[0\]\.node: "aws-east-2" is not a standby machine; .*: aws-east-4/);
    expect(() => scenarioFrom(`${topology}faults:\n  - { kind: node_join, at: 1s, region: gcp-central }\n`)).toThrow(/faults\[0\]\.region: no standby machine left in gcp-central by then \(it has 0\)/);
    expect(() => scenarioFrom(`${topology}faults:\n  - { kind: node_loss, at: 1s, node: aws-east-2, replace_after: 1m }\n  - { kind: node_join, at: 30s, region: aws-east }\n`)).toThrow(/faults\[0\]\.replace_after: no standby machine left in aws-east by then \(it has 1\)/);
    expect(() => scenarioFrom(`${topology}faults:\n  - { kind: node_drain, at: 1s, node: aws-east-1 }\n`)).toThrow(/faults\[0\]\.node: "aws-east-1" is the source node/);
    expect(() => scenarioFrom(`${topology}pipeline: { source_node: aws-east-4 }\n`)).toThrow(/pipeline\.source_node: "aws-east-4" is a standby machine/);
    expect(() => scenarioFrom(`${topology}faults:\n  - { kind: node_join, at: 1s, node: aws-east-4, region: aws-east }\n`)).toThrow(/node_join takes either node or region/);
  });

  it('a join and a replacement in one region each take a standby machine, in the order they happen', () => {
    const two = topology.replace('standby: 1', 'standby: 2');
    expect(() => scenarioFrom(`${two}faults:\n  - { kind: node_loss, at: 1s, node: aws-east-2, replace_after: 1m }\n  - { kind: node_join, at: 30s, region: aws-east }\n`)).not.toThrow();
    const r = runScenario(scenarioFrom(`${two}duration: 2m\nfaults:\n  - { kind: node_loss, at: 1s, node: aws-east-2, replace_after: 1m }\n  - { kind: node_join, at: 30s, region: aws-east }\n`), { seed: 1 });
    expect(r.summary.membership).toMatchObject({ nodes_at_start: 8, nodes_at_end: 9, joins: 2 });
  });
});
