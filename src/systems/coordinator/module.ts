import { CoordinatorChecker } from '../../check/coordinator-checker.js';
import type { SystemModule } from '../../modules/system-module.js';
import { bootCoordinator } from './boot.js';
import { COORDINATOR_DEFECTS, type CoordinatorOptions, type TaskWorkloadOptions } from './options.js';
import { coordinatorBlock, type CoordinatorBlock } from './scenario-block.js';

export interface CoordinatorSettings { group: CoordinatorOptions; work?: TaskWorkloadOptions }

/**
 * Document 003's agent coordinator, when the scenario has a `coordinator:`
 * block: agents, their election, the task queue and an optional task
 * workload. Its checker judges one coordinator per term and tasks done once
 * and never dropped.
 */
export const coordinatorModule: SystemModule<CoordinatorSettings, CoordinatorBlock> = {
  name: 'coordinator',
  block: { key: 'coordinator', schema: coordinatorBlock },
  defects: COORDINATOR_DEFECTS,
  check({ names, hint }, c) {
    if (!c) return undefined;
    for (const [i, a] of c.agents.entries()) {
      if (!names.nodes.includes(a.node)) return { path: ['coordinator', 'agents', i, 'node'], message: `no node called "${a.node}"; ${hint}` };
      if (c.agents.findIndex((b) => b.node === a.node) !== i) return { path: ['coordinator', 'agents', i, 'node'], message: `"${a.node}" is listed twice` };
    }
    if (c.tasks && !names.nodes.includes(c.tasks.node)) return { path: ['coordinator', 'tasks', 'node'], message: `no node called "${c.tasks.node}"; ${hint}` };
    return undefined;
  },
  settings({ topology, index, defects }, c) {
    if (!c) return undefined;
    return {
      group: {
        agents: c.agents.map((a) => index(a.node)),
        priorities: c.agents.map((a) => a.priority),
        capabilities: c.agents.map((a) => a.capabilities),
        heartbeatInterval: c.heartbeat_interval,
        heartbeatTimeout: c.heartbeat_timeout,
        quorumThreshold: c.quorum_threshold,
        voteTimeout: c.vote_timeout,
        maxRetries: c.max_retries,
        election: c.election,
        slots: c.agents.map((a) => topology.nodes[index(a.node)]!.slots),
        weights: c.vote_weights,
        ...(c.proposals ? { proposals: { every: c.proposals.every, approve: c.proposals.approve } } : {}),
        taskTimeout: c.task_timeout,
        taskFailureRate: c.tasks?.failure_rate ?? 0,
        defects,
      },
      ...(c.tasks ? { work: {
        node: index(c.tasks.node), every: c.tasks.every, duration: c.tasks.duration,
        maxPriority: c.tasks.max_priority, capabilities: c.tasks.capabilities,
      } } : {}),
    };
  },
  boot(node, s) {
    bootCoordinator(node.rt, s, node.telemetry);
  },
  observe({ truth }, s) {
    const checker = new CoordinatorChecker(truth, s.group.quorumThreshold);
    return {
      observe: (e) => checker.observe(e),
      // A task may take the heartbeat timeout to be noticed, a vote, a few durations to redo, and every attempt's timeout.
      finish: ({ quietSince }) => checker.finish(2 * s.group.heartbeatTimeout + s.group.voteTimeout + 20 * (s.work?.duration ?? 0) + s.group.taskTimeout * s.group.maxRetries, quietSince),
      summary: () => {
        const coordinator = checker.summary();
        return coordinator ? { coordinator } : {};
      },
      invariants: () => checker.results(),
    };
  },
  terminal(s) {
    const c = s.coordinator;
    if (!c) return [];
    // Without a task workload (the coordinator may serve only the pipeline) there are no tasks to count.
    const tasks = c.tasks_submitted > 0 ? `, ${c.tasks_completed}/${c.tasks_submitted} tasks completed, ${c.tasks_failed} failed, ${c.tasks_lost} lost, ${c.duplicate_executions} run twice` : '';
    const policy = c.proposals.policy_change;
    const proposals = policy.decided > 0 ? `; ${policy.decided} proposals: ${policy.approved} approved, ${policy.rejected} rejected, ${policy.no_quorum} without quorum` : '';
    const lowest = c.agent_health.reduce((m, h) => Math.min(m, h.min), 100);
    return [`coordinator: ${c.elections} elections${tasks}${proposals}; lowest agent health ${lowest}`];
  },
  metrics: {
    coordinator_elections: (s) => s.coordinator?.elections ?? null,
    tasks_completed: (s) => s.coordinator?.tasks_completed ?? null,
    tasks_failed: (s) => s.coordinator?.tasks_failed ?? null,
    tasks_lost: (s) => s.coordinator?.tasks_lost ?? null,
    duplicate_executions: (s) => s.coordinator?.duplicate_executions ?? null,
    // The longest finished failover (null without one); one nobody took over by the end shows in the section only.
    coordinator_failover_max_s: (s) => {
      const times = (s.coordinator?.failovers ?? []).flatMap((f) => (f.after_s === null ? [] : [f.after_s]));
      return times.length === 0 ? null : Math.max(...times);
    },
    task_retries: (s) => (s.coordinator ? s.coordinator.task_retries.failed + s.coordinator.task_retries.timeout + s.coordinator.task_retries.agent_dead : null),
    agent_health_min: (s) => (s.coordinator && s.coordinator.agent_health.length > 0 ? Math.min(...s.coordinator.agent_health.map((h) => h.min)) : null),
    proposals_approved: (s) => s.coordinator?.proposals.policy_change.approved ?? null,
  },
};
