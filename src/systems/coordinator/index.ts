/**
 * systems/coordinator/ — document 003's agent coordinator.
 * - agent.ts: heartbeats, bully election by score, quorum votes, the task queue.
 * - submitter.ts: a task workload that owns outcomes and resubmits what is lost.
 * - client.ts: the pipeline's side: asks for a worker per chunk attempt, takes the first claim.
 * - held-tasks.ts: an agent's pipeline tasks, held until released, within its slots.
 * - pipeline-load.ts: the coordinator's estimate of each agent's pipeline tasks.
 */
export * from './options.js';
export * from './messages.js';
export { CoordinatorAgent } from './agent.js';
export { TaskSubmitter } from './submitter.js';
export { CoordinatorClient, PROCESS_CAPABILITY } from './client.js';
