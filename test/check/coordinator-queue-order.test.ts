import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/run/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

/**
 * Document 003's task queue gives out the highest priority first. The only
 * agent that can index is down from 10 s to 30 s, so index tasks of mixed
 * priorities pile up in the coordinator's queue and go out together when it
 * returns.
 */
const yaml = `duration: 60s
pipeline:
  dataset: { size: 0, file_size: 1GB }
coordinator:
  agents:
    - { node: aws-east-1, priority: 50, capabilities: [process] }
    - { node: gcp-central-1, priority: 10, capabilities: [index] }
  heartbeat_interval: 1s
  heartbeat_timeout: 3s
  tasks: { node: aws-west-1, every: 500ms, duration: 1s, capabilities: [index] }
faults:
  - { kind: node_crash, at: 10s, node: gcp-central-1, restart_after: 20s }
`;

describe('the coordinator queue in priority order (invariant task_queue_priority_order)', () => {
  it('holds for the coordinator as built, with tasks piled up while no agent could take them', () => {
    const r = runScenario(scenarioFrom(yaml), { seed: 42 });
    expect(r.summary.invariants.find((i) => i.name === 'task_queue_priority_order')).toMatchObject({ held: true, violations: 0 });
    expect(r.summary.coordinator!.tasks_lost).toBe(0);
  });

  it('a planted defect: a queue handed out in arrival order is caught', () => {
    const r = runScenario(scenarioFrom(yaml), { seed: 42, defects: ['fifo_queue'] });
    const v = r.summary.invariants.find((i) => i.name === 'task_queue_priority_order')!;
    expect(v.held).toBe(false);
    expect(v.first!.detail).toMatch(/^aws-east-1 gave out \S+ \(priority \d\) while \S+ \(priority \d, index\) waited$/);
  });
});

describe('coordinator failover time', () => {
  it('coordinator-failover: the coordinator crashes at 60 s and the next agent announces itself a heartbeat timeout later', () => {
    const r = runScenario(loadScenario('scenarios/coordinator-failover.yml'), { seed: 42 });
    expect(r.summary.coordinator!.failovers).toEqual([{ at_s: 60, from: 'aws-east-1', to: 'aws-east-2', after_s: 10 }]);
  });
});
