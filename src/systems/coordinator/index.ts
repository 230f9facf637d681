/**
 * systems/coordinator/ — document 003's agent coordinator.
 * - agent.ts: heartbeats, bully election by score, quorum votes, the task queue.
 * - submitter.ts: a task workload that owns outcomes and resubmits what is lost.
 */
export * from './options.js';
export * from './messages.js';
export { CoordinatorAgent } from './agent.js';
export { TaskSubmitter } from './submitter.js';
