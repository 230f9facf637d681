import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/run/index.js';
import type { TelemetryEvent } from '../../src/systems/index.js';

const s = (n: number) => n * 1_000_000;

describe('coordinator (document 003)', () => {
  const events: Array<{ t: number; e: TelemetryEvent }> = [];
  const result = runScenario(loadScenario('scenarios/coordinator-failover.yml'), { seed: 42, observe: (t, e) => events.push({ t, e }) });
  const roles = events.flatMap(({ t, e }) => (e.kind === 'coord_role' ? [{ t, ...e }] : []));

  it('the highest score coordinates first; after it dies the next best takes over within the heartbeat timeout', () => {
    expect(roles[0]).toMatchObject({ node: 0, term: 1 }); // aws-east-1, priority 50
    const next = roles.find((r) => r.t > s(60))!;
    expect(next.node).toBe(1); // aws-east-2, priority 40
    expect(next.term).toBeGreaterThan(1);
    expect(next.t - s(60)).toBeLessThanOrEqual(s(10) + s(2) * 2);
  });

  it('an agent is declared dead only by a quorum vote, and its tasks are reassigned', () => {
    const votes = events.flatMap(({ t, e }) => (e.kind === 'coord_proposal' && e.proposal === 'agent_dead' && e.phase === 'decided' ? [{ t, ...e }] : []));
    const deadWorker = votes.find((v) => v.agent === 6 /* gcp-central-2 */ && v.outcome === 'approved')!;
    expect(deadWorker.t).toBeGreaterThan(s(150));
    // Tasks were running on it at the crash, and every task still finished.
    expect(result.summary.coordinator!.tasks_lost).toBe(0);
    expect(result.summary.invariants.filter((i) => !i.held)).toEqual([]);
  });

  it('tasks run only on agents, never on the submitter or other nodes', () => {
    const ranOn = new Map<string, number>();
    for (const { e } of events) if (e.kind === 'coord_task' && e.phase === 'executed') ranOn.set(e.id, e.node);
    expect(ranOn.size).toBeGreaterThan(500);
    // Agents are nodes 0,1 (aws-east-1,2), 5,6 (gcp-central-1,2), 8 (azure-east-1); the submitter (aws-west-1) runs nothing.
    expect([...new Set(ranOn.values())].every((n) => [0, 1, 5, 6, 8].includes(n))).toBe(true);
  });
});

describe('coordinator elections under partitions', () => {
  const crashThenSplit = "faults=[{kind: node_crash, at: 60s, node: aws-east-1}, {kind: partition, at: 61s, duration: 30s, groups: [[aws], [gcp, azure]]}]";
  const run = (election: string, set: string[], seed = 42) => runScenario(loadScenario('scenarios/coordinator-failover.yml', { set: [...set, `coordinator.election=${election}`] }), { seed });

  it('bully (document 003) elects a coordinator on each side of a split: two coordinators of one term', () => {
    const r = run('bully', [crashThenSplit]);
    const broken = r.summary.invariants.find((i) => i.name === 'coordinator_one_per_term')!;
    expect(broken.held).toBe(false);
    expect(broken.first!.detail).toBe('term 2 has two coordinators: aws-east-2 and gcp-central-1');
  });

  it('majority: only the side with most agents elects; every invariant holds', () => {
    const r = run('majority', [crashThenSplit]);
    expect(r.summary.invariants.filter((i) => !i.held)).toEqual([]);
    expect(r.summary.coordinator!.elections).toBe(2);
    expect(r.summary.coordinator!.tasks_lost).toBe(0);
  });

  // Random crashes (submitter included) and partitions: the checkers find bully's split brain on some seeds,
  // and nothing at all with majority votes. These runs found: lost Done messages stranding tasks, task ids reused
  // after a restart, votes forgotten by a quickly restarted agent (two coordinators of a term), and a submitter
  // announcing work before it was on disk (a task dropped, or completed twice).
  it.each([
    ['long crashes', '40s', '5s', '40s'],
    ['short crashes', '5s', '1ms', '300ms'],
  ])('random crashes and partitions (%s), 30 seeds each: split brain only without majority votes (property)', (_name, every, min, max) => {
    const nemesis = `nemesis={start: 30s, stop: 5m, faults: {node_crash: {every: ${every}, duration: {min: ${min}, max: ${max}}}, partition: {every: 30s, duration: {min: 5s, max: 40s}}}, budget: {max_nodes_down: 2, max_partitions: 1}}`;
    const brokenBy = (election: string) => {
      const names: string[] = [];
      for (let seed = 1; seed <= 30; seed++) names.push(...run(election, ['faults=[]', nemesis], seed).summary.invariants.filter((i) => !i.held).map((i) => `${seed}:${i.name}`));
      return names;
    };
    const bully = brokenBy('bully');
    expect(bully.length).toBeGreaterThan(0);
    expect(bully.every((n) => n.endsWith(':coordinator_one_per_term'))).toBe(true);
    expect(brokenBy('majority')).toEqual([]);
  });

  it('a submitter crashing just after creating a task: the task was never announced, nothing is dropped', () => {
    // 0.5 ms after a task is drawn at 101.677223 s, before the open set holding it is on disk.
    const r = runScenario(loadScenario('scenarios/coordinator-failover.yml', { set: ['faults=[{kind: node_crash, at: 101677723us, node: aws-west-1, restart_after: 5s}]'] }), { seed: 42 });
    expect(r.summary.invariants.filter((i) => !i.held)).toEqual([]);
  });

  it('a submitter on an agent\'s node: its completions and the agent\'s Done messages do not share a port', () => {
    const r = runScenario(loadScenario('scenarios/coordinator-failover.yml', { set: ['coordinator.tasks.node=aws-east-2'] }), { seed: 42 });
    expect(r.summary.invariants.filter((i) => !i.held)).toEqual([]);
    expect(r.summary.coordinator!.tasks_completed).toBeGreaterThan(600);
    // Sharing one port, the submitter took the coordinator's Done messages: it never freed assignments, and 39 tasks ran twice.
    expect(r.summary.coordinator!.duplicate_executions).toBe(0);
  });

  it('a restarted submitter takes its open tasks up again and never reuses an id', () => {
    const submitted = new Map<string, number>();
    const r = runScenario(loadScenario('scenarios/coordinator-failover.yml', { set: ['faults=[{kind: node_crash, at: 100s, node: aws-west-1, restart_after: 5s}]'] }), {
      seed: 42, observe: (_t, e) => void (e.kind === 'coord_task' && e.phase === 'submitted' && submitted.set(e.id, (submitted.get(e.id) ?? 0) + 1)),
    });
    expect([...submitted.values()].every((n) => n === 1)).toBe(true);
    expect(r.summary.coordinator!.tasks_lost).toBe(0);
    expect(r.summary.invariants.filter((i) => !i.held)).toEqual([]);
  });
});
