export const CoordPort = {
  heartbeat: 'coord/heartbeat',
  coordinator: 'coord/coordinator',
  propose: 'coord/propose',
  vote: 'coord/vote',
  submit: 'coord/submit',
  submitted: 'coord/submitted',
  run: 'coord/run',
  done: 'coord/done',
} as const;

export interface Task { id: string; priority: number; capability: string; duration: number }
/** An agent's liveness and the inputs of its election score. */
export interface Heartbeat { priority: number; health: number; load: number; coordinator: number; term: number }
/** "I coordinate now" (bully: the best score announces). */
export interface CoordinatorAnnounce { term: number }
/** The coordinator asks: may `agent` be declared dead? */
export interface Proposal { id: number; agent: number }
export interface Vote { id: number; approve: boolean }
export interface Submit { task: Task }
export interface Submitted { id: string; ok: boolean; coordinator: number }
export interface Run { task: Task; attempt: number; /** Who owns the outcome. */ submitter: number }
export interface Done { id: string; attempt: number; ok: boolean }
