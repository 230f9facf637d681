import { describe, expect, it } from 'vitest';
import { majoritiesOverlap } from '../../src/check/raft-checker.js';
import { loadScenario, runScenario } from '../../src/run/index.js';
import type { TelemetryEvent } from '../../src/systems/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const FILE = 'scenarios/raft-reconfiguration.yml';

describe('majorities of two configurations', () => {
  it('overlap for one server added or removed, and not for two at once or a swap', () => {
    expect(majoritiesOverlap([1, 2, 3], [1, 2, 3])).toBe(true);
    expect(majoritiesOverlap([1, 2, 3], [1, 2, 3, 4])).toBe(true);
    expect(majoritiesOverlap([1, 2, 3, 4], [1, 2, 3, 4, 5])).toBe(true);
    expect(majoritiesOverlap([1, 2, 3, 4, 5], [1, 2, 3, 4])).toBe(true);
    expect(majoritiesOverlap([1, 2, 3], [1, 2])).toBe(true);
    expect(majoritiesOverlap([1, 2, 3], [1, 2, 3, 4, 5])).toBe(false);
    expect(majoritiesOverlap([1, 2, 3], [1, 2, 4])).toBe(false);
  });
});

describe('Raft membership changes, one server at a time', () => {
  const events: Array<{ t: number; e: TelemetryEvent }> = [];
  const loaded = loadScenario(FILE);
  const result = runScenario(loaded, { seed: 42, observe: (t, e) => events.push({ t, e }) });
  // The topology's nodes in index order; the group starts as aws-east-1, gcp-central-1, azure-east-1.
  const NODES = ['aws-east-1', 'aws-east-2', 'aws-east-3', 'aws-west-1', 'aws-west-2', 'gcp-central-1', 'gcp-central-2', 'azure-east-1', 'azure-east-2'];
  const INITIAL = [0, 5, 7];

  it('grows 3 -> 5 under load and chaos, then replaces a lost member; every checker holds', () => {
    expect(result.ok, result.failures.join('; ')).toBe(true);
    const raft = result.summary.raft!;
    expect(raft.membership_changes!.map((c) => [c.op, c.node, c.done_after_s !== null])).toEqual([
      ['add', 'aws-west-1', true], ['add', 'gcp-central-2', true], ['remove', 'azure-east-1', true], ['add', 'azure-east-2', true],
    ]);
    expect([...raft.final_members!].sort()).toEqual(['aws-east-1', 'aws-west-1', 'azure-east-2', 'gcp-central-1', 'gcp-central-2']);
    expect(result.summary.invariants.find((i) => i.name === 'raft_config_quorums_overlap')).toMatchObject({ held: true, violations: 0 });
  });

  it('the leader takes one change at a time: configurations of 4, 5, 4, 5 voters, each caught up before it counts', () => {
    const configs = events.flatMap(({ t, e }) => (e.kind === 'raft_log' && e.config ? [{ t, node: e.node, index: e.index, size: e.config.length, config: e.config }] : []));
    // The first time each configuration (by index) appears, in log order.
    const firsts = [...new Map(configs.map((c) => [c.index, c])).values()].sort((a, b) => a.index - b.index);
    expect(firsts.map((c) => c.size)).toEqual([4, 5, 4, 5]);
    // A new member held the log up to close to where its configuration went in before it was counted.
    for (const c of firsts.filter((x, i) => i !== 2)) {
      const added = c.config.find((m) => !(firsts[firsts.indexOf(c) - 1]?.config ?? INITIAL).includes(m))!;
      const heldBefore = Math.max(0, ...events.filter(({ t, e }) => t <= c.t && e.kind === 'raft_log' && e.node === added).map(({ e }) => (e as { index: number }).index));
      expect(heldBefore, `${NODES[added]} before index ${c.index}`).toBeGreaterThan(c.index - 50);
    }
  });

  it('a planted defect: two servers added in one configuration is caught by raft_config_quorums_overlap', () => {
    const caught = runScenario(loaded, { seed: 42, defects: ['add_two_at_once'] }).summary.invariants.find((i) => i.name === 'raft_config_quorums_overlap')!;
    expect(caught.held).toBe(false);
    expect(caught.first!.detail).toMatch(/went from \[aws-east-1, gcp-central-1, azure-east-1\] to \[aws-east-1, gcp-central-1, azure-east-1, \S+, \S+\] at index \d+: a majority of each can be disjoint$/);
  });

  it('every checker holds at 20 seeds, with all four changes done', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = runScenario(loaded, { seed });
      expect(r.ok, `seed ${seed}: ${r.failures.join('; ')}`).toBe(true);
      expect(r.summary.raft!.membership_changes!.every((c) => c.done_after_s !== null), `seed ${seed}`).toBe(true);
    }
  }, 180_000);

  it('a membership change needs a raft group, said of the fault', () => {
    expect(() => scenarioFrom('faults:\n  - { kind: raft_add_member, at: 1s, node: aws-east-2 }\n')).toThrow(/faults\[0\]\.kind: raft_add_member needs a raft group in the scenario/);
  });
});
