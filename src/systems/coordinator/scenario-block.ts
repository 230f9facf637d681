import { z } from 'zod';
import { period, wait } from '../../units/index.js';

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
  }).optional(),
});
export type CoordinatorBlock = z.output<typeof coordinatorBlock>;
