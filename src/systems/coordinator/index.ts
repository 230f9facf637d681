/**
 * systems/coordinator/ — document 003's agent coordinator.
 * - agent.ts: one agent; wires its roles and sends its heartbeats:
 *   - peers.ts: whom it hears from, and their election scores;
 *   - executor.ts: tasks it runs, and (held-tasks.ts) pipeline tasks it holds;
 *   - election.ts: who coordinates, by bully or majority votes (ballot.ts);
 *   - dispatcher.ts: the coordinator's task queue and assignments (pipeline-load.ts: its estimate of pipeline tasks);
 *   - death-votes.ts: an agent is declared dead by a quorum vote only.
 * - submitter.ts: a task workload that owns outcomes and resubmits what is lost.
 * - client.ts: the pipeline's side: asks for a worker per chunk attempt, takes the first claim.
 * - messages.ts, options.ts: the wire protocol (typed ports) and the settings; boot.ts: what runs on a node.
 */
export * from './options.js';
export * from './messages.js';
export { CoordinatorAgent } from './agent.js';
export { TaskSubmitter } from './submitter.js';
export { CoordinatorClient, PROCESS_CAPABILITY } from './client.js';
