import { z } from 'zod';
import { period, periodOrOff, wait } from '../../units/index.js';

/** Document 003's agent coordinator, with an optional task workload; the pipeline may use it to pick workers (the scenario's `coordinator:` block). */
export const coordinatorBlock = z.strictObject({
  /** Agents by node name, with election priority and capabilities. */
  agents: z.array(z.strictObject({ node: z.string(), priority: z.number().default(0), capabilities: z.array(z.string()).min(1).default(['process']) })).min(1),
  /** At least 1ms. */
  heartbeat_interval: period,
  /** Document 003: 60 s. */
  heartbeat_timeout: wait,
  /** Share of live agents whose votes make a quorum (document 003: 0.5). */
  quorum_threshold: z.number().gt(0).max(1),
  vote_timeout: wait,
  max_retries: z.number().int().positive(),
  /** What a vote weighs (document 003's weighted voting): equal, the voter's health, or its priority. */
  vote_weights: z.enum(['equal', 'health', 'priority']),
  /** Document 003's consensus proposals: a policy change put to the vote every `every`; absent: none. */
  proposals: z.strictObject({
    /** At least 1ms. */
    every: period,
    /** Chance that a voter approves (an agent whose health is under 50 abstains). */
    approve: z.number().min(0).max(1),
  }).optional(),
  /** An assignment with no outcome after this long is retried on another agent (a retry, up to max_retries); 0: never. */
  task_timeout: periodOrOff,
  /** "bully" (document 003) or "majority" (the winner also needs votes from a majority of agents for its term). */
  election: z.enum(['bully', 'majority']),
  /** A synthetic task workload; absent: none (the coordinator may serve only the pipeline). */
  tasks: z.strictObject({
    node: z.string(),
    /** At least 1ms. */
    every: period,
    duration: wait,
    max_priority: z.number().int().positive().default(5),
    capabilities: z.array(z.string()).min(1).default(['process']),
    /** Chance that one execution of a task fails (the coordinator retries it, up to max_retries). */
    failure_rate: z.number().min(0).max(1).default(0),
  }).optional(),
});
export type CoordinatorBlock = z.output<typeof coordinatorBlock>;
