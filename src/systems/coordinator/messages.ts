import { port, type Port } from '../../world/runtime.js';

/**
 * A unit of work. An `external` task (the pipeline's) is carried out by its
 * submitter on the node of the agent that claims it: the agent runs no timer,
 * it holds the task, counted in its load, until the submitter releases it.
 */
export interface Task { id: string; priority: number; capability: string; duration: number; external?: boolean }
/** An agent's liveness and the inputs of its election score; `held` lists the external tasks it holds. */
export interface Heartbeat { priority: number; health: number; load: number; coordinator: number; term: number; held: readonly string[]; /** From the coordinator: the agents a vote declared dead (so every agent stops counting them); empty from the others. */ dead: readonly number[] }
/** "I coordinate now" (bully: the best score announces). */
export interface CoordinatorAnnounce { term: number }
/** election: majority: "vote for me in `term`". */
export interface Claim { term: number }
export interface ClaimVote { term: number; granted: boolean }
/** What a proposal is about: declaring a silent agent dead, or a change of policy (document 003's consensus proposals). */
export type ProposalKind = 'agent_dead' | 'policy_change';
export type Ballot = 'approve' | 'reject' | 'abstain';
/** The coordinator puts a proposal to the vote; `agent`: the subject of a death proposal (-1 otherwise). */
export interface Proposal { id: number; agent: number; kind: ProposalKind }
/** A voter's ballot, with its weight (`coordinator.vote_weights`). */
export interface Vote { id: number; ballot: Ballot; weight: number }
/** `replyPort`: where the answer goes (default `CoordPort.submitted`). */
export interface Submit { task: Task; replyPort?: Port<Submitted> }
export interface Submitted { id: string; ok: boolean; coordinator: number }
export interface Run { task: Task; attempt: number; /** Who owns the outcome. */ submitter: number }
export interface Done { id: string; attempt: number; ok: boolean }
/** Agent -> submitter: I hold external task `id` (sent again each heartbeat while held). */
export interface Claimed { id: string }
/** Submitter -> agent: external task `id` is over (`ok`: it succeeded); stop counting it. */
export interface Release { id: string; ok: boolean }
/** Agent -> coordinator: I am at capacity; assignment `attempt` of `id` comes back. */
export interface Refuse { id: string; attempt: number }

/**
 * The coordinator's ports, each named after what it carries. The wire names
 * are what traces and determinism digests show: never rename them.
 */
export const CoordPort = {
  heartbeat: port<Heartbeat>('coord/heartbeat'),
  /** bully and majority: the winner announces itself. */
  announce: port<CoordinatorAnnounce>('coord/coordinator'),
  /** election: majority: a candidate asks for votes for its term. */
  claim: port<Claim>('coord/claim'),
  claimVote: port<ClaimVote>('coord/claim-vote'),
  /** The coordinator puts a proposal to the others (an agent's death, a policy change). */
  proposal: port<Proposal>('coord/propose'),
  vote: port<Vote>('coord/vote'),
  submit: port<Submit>('coord/submit'),
  submitted: port<Submitted>('coord/submitted'),
  run: port<Run>('coord/run'),
  /** A task's outcome, to the coordinator. */
  done: port<Done>('coord/done'),
  /** A task's outcome, to its submitter (its own port: a submitter may share a node with an agent, which listens on `done`). */
  taskDone: port<Done>('coord/task-done'),
  /** Pipeline tasks: the coordinator's answer to a submission (its own port, so a workload on the same node keeps `submitted`). */
  pipelineSubmitted: port<Submitted>('coord/pipeline-submitted'),
  /** Pipeline tasks: an agent tells the submitter it holds the task. */
  claimed: port<Claimed>('coord/claimed'),
  /** Pipeline tasks: the submitter tells the agent the task is over. */
  release: port<Release>('coord/release'),
  /** Pipeline tasks: an agent at capacity gives an assignment back to the coordinator. */
  refuse: port<Refuse>('coord/refuse'),
};
