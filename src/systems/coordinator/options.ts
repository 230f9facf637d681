import type { SimTime } from '../../kernel/index.js';

/** Document 003's agent coordinator. */
export interface CoordinatorOptions {
  /** Node indexes of the agents. */
  agents: readonly number[];
  /** Election priority per agent (same order as `agents`). */
  priorities: readonly number[];
  /** Capabilities per agent (same order). */
  capabilities: ReadonlyArray<readonly string[]>;
  /** Heartbeat period, microseconds. */
  heartbeatInterval: SimTime;
  /** Silence after which an agent is suspected dead (document 003: 60 s), microseconds. */
  heartbeatTimeout: SimTime;
  /** Share of live agents whose votes make a quorum (document 003: 0.5). */
  quorumThreshold: number;
  /** How long a proposal collects votes, microseconds. */
  voteTimeout: SimTime;
  /** Attempts per task before it is declared failed (not for pipeline tasks: the orchestrator keeps their budget). */
  maxRetries: number;
  /**
   * `bully` (document 003): the best-scored agent among those it hears from
   * takes over and announces it. `majority`: it must also win votes from a
   * majority of all agents for its term (one vote per agent per term), and a
   * coordinator that stops hearing from a majority steps down.
   */
  election: 'bully' | 'majority';
  /** Processing slots of each agent's node (same order): the most pipeline tasks it holds at once. */
  slots: readonly number[];
  /** What a vote weighs: 1 each, the voter's health / 100, or its priority (at least 1). */
  weights: 'equal' | 'health' | 'priority';
  /** Policy proposals put to the vote by the coordinator: how often, and each voter's chance to approve; absent: none. */
  proposals?: { every: SimTime; approve: number };
  /** The coordinator gives up an assignment with no outcome after this long and retries it elsewhere, microseconds; 0: never. */
  taskTimeout: SimTime;
  /** Chance that one execution of a task fails (an agent's own `task-failures` stream). */
  taskFailureRate: number;
  /** Test-only deliberate bugs (`COORDINATOR_DEFECTS`). */
  defects?: ReadonlySet<string>;
}

/**
 * Test-only defects: fifo_queue, a coordinator that hands out tasks in
 * arrival order, ignoring priorities; abstain_counts_as_approve, a proposer
 * that counts abstentions as approvals.
 */
export const COORDINATOR_DEFECTS = ['fifo_queue', 'abstain_counts_as_approve'] as const;
export type CoordinatorDefect = (typeof COORDINATOR_DEFECTS)[number];

/** A synthetic task workload submitted to the coordinator. */
export interface TaskWorkloadOptions {
  /** Node that submits tasks (to whichever agent it believes coordinates); -1: no workload (the scenario has no `coordinator.tasks`). */
  node: number;
  /** Mean time between tasks (Poisson), microseconds; 0: none. */
  every: SimTime;
  /** Mean task duration (exponential), microseconds. */
  duration: SimTime;
  /** Priorities are drawn uniformly from 1..maxPriority. */
  maxPriority: number;
  /** Each task needs one of these capabilities, drawn uniformly. */
  capabilities: readonly string[];
}
