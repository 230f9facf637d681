/**
 * Whoever decides where chunks are processed when the orchestrator does not
 * (`pipeline.coordination: coordinator`: document 003's coordinator, through
 * its CoordinatorClient). The orchestrator asks once per processing attempt
 * and still owns the attempt: its timeout, its retry budget, its outcome.
 */
export interface WorkerBroker {
  /**
   * Asks for a worker. `onClaim` is called with the first one that takes the
   * work; it answers false if the attempt is no longer wanted, and the worker
   * is let go at once. Returns a ticket for `finished`.
   */
  request(onClaim: (worker: number) => boolean): string;
  /** The attempt is over (`ok`: processed), so the worker's slot is free again. */
  finished(ticket: string, ok: boolean): void;
}
