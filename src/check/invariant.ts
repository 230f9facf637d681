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

/** Only `InvariantSet.declare` holds this, so every invariant belongs to a set that reports it. */
const DECLARED: unique symbol = Symbol('declared by an InvariantSet');

/** Collects violations of one named invariant. Made by `InvariantSet.declare`. */
export class Invariant {
  private violations = 0;
  private first: { time: SimTime; detail: string } | undefined;

  constructor(token: typeof DECLARED, readonly name: string, readonly description: string) {
    if (token !== DECLARED) throw new Error(`invariant ${name}: declare it through an InvariantSet, so that it is reported`);
  }

  violated(time: SimTime, detail: string): void {
    this.violations++;
    this.first ??= { time, detail };
  }

  /** `count` violations found at once, the first of them at `time` (a checker that counts as it goes and keeps only the first). */
  violatedTimes(count: number, time: SimTime, detail: string): void {
    if (count <= 0) return;
    this.violations += count;
    this.first ??= { time, detail };
  }

  result(): InvariantResult {
    return { name: this.name, description: this.description, held: this.violations === 0, violations: this.violations, ...(this.first ? { first: { time_s: this.first.time / 1e6, detail: this.first.detail } } : {}) };
  }
}

/**
 * A checker's invariants. Declaring one here is the only way to make one, and
 * `results()` reports every one declared, in declaration order (which is the
 * order summary.json lists them), so none can be checked and left unreported.
 */
export class InvariantSet {
  private readonly declared: Invariant[] = [];

  declare(name: string, description: string): Invariant {
    if (this.declared.some((i) => i.name === name)) throw new Error(`invariant ${name} is declared twice`);
    const invariant = new Invariant(DECLARED, name, description);
    this.declared.push(invariant);
    return invariant;
  }

  results(): InvariantResult[] {
    return this.declared.map((i) => i.result());
  }
}
