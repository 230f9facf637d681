export const CoordPort = {
  heartbeat: 'coord/heartbeat',
  coordinator: 'coord/coordinator',
  /** election: majority: a candidate asks for votes for its term. */
  claim: 'coord/claim',
  claimVote: 'coord/claim-vote',
  propose: 'coord/propose',
  vote: 'coord/vote',
  submit: 'coord/submit',
  submitted: 'coord/submitted',
  run: 'coord/run',
  done: 'coord/done',
  /** A task's outcome, to its submitter (its own port: a submitter may share a node with an agent, which listens on `done`). */
  taskDone: 'coord/task-done',
  /** Pipeline tasks: the coordinator's answer to a submission (its own port, so a workload on the same node keeps `submitted`). */
  pipelineSubmitted: 'coord/pipeline-submitted',
  /** Pipeline tasks: an agent tells the submitter it holds the task. */
  claimed: 'coord/claimed',
  /** Pipeline tasks: the submitter tells the agent the task is over. */
  release: 'coord/release',
  /** Pipeline tasks: an agent at capacity gives an assignment back to the coordinator. */
  refuse: 'coord/refuse',
} as const;

/**
 * A unit of work. An `external` task (the pipeline's) is carried out by its
 * submitter on the node of the agent that claims it: the agent runs no timer,
 * it holds the task, counted in its load, until the submitter releases it.
 */
export interface Task { id: string; priority: number; capability: string; duration: number; external?: boolean }
/** An agent's liveness and the inputs of its election score; `held` lists the external tasks it holds. */
export interface Heartbeat { priority: number; health: number; load: number; coordinator: number; term: number; held: readonly string[] }
/** "I coordinate now" (bully: the best score announces). */
export interface CoordinatorAnnounce { term: number }
/** election: majority: "vote for me in `term`". */
export interface Claim { term: number }
export interface ClaimVote { term: number; granted: boolean }
/** The coordinator asks: may `agent` be declared dead? */
export interface Proposal { id: number; agent: number }
export interface Vote { id: number; approve: boolean }
/** `replyPort`: where the answer goes (default `coord/submitted`). */
export interface Submit { task: Task; replyPort?: string }
export interface Submitted { id: string; ok: boolean; coordinator: number }
export interface Run { task: Task; attempt: number; /** Who owns the outcome. */ submitter: number }
export interface Done { id: string; attempt: number; ok: boolean }
/** Agent -> submitter: I hold external task `id` (sent again each heartbeat while held). */
export interface Claimed { id: string }
/** Submitter -> agent: external task `id` is over (`ok`: it succeeded); stop counting it. */
export interface Release { id: string; ok: boolean }
/** Agent -> coordinator: I am at capacity; assignment `attempt` of `id` comes back. */
export interface Refuse { id: string; attempt: number }
