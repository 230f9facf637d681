import type { SimTime } from '../kernel/index.js';

/** The outcome of one invariant over a run. */
export interface InvariantResult {
  name: string;
  description: string;
  held: boolean;
  violations: number;
  /** The first violation, with the simulated second it happened (seconds, like every time in the outputs). */
  first?: { time_s: number; detail: string };
}

/** Collects violations of one named invariant. */
export class Invariant {
  private violations = 0;
  private first: { time: SimTime; detail: string } | undefined;

  constructor(readonly name: string, readonly description: string) {}

  violated(time: SimTime, detail: string): void {
    this.violations++;
    this.first ??= { time, detail };
  }

  result(): InvariantResult {
    return { name: this.name, description: this.description, held: this.violations === 0, violations: this.violations, ...(this.first ? { first: { time_s: this.first.time / 1e6, detail: this.first.detail } } : {}) };
  }
}
