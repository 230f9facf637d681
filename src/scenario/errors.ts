/**
 * An error a user can cause and fix: bad file, bad YAML, bad field, impossible
 * topology. The CLI prints `message` alone and exits 2; never a stack trace.
 */
export class ScenarioError extends Error {
  readonly code = 'E_SCENARIO';
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}
