import type { MemberState } from '../registry.js';

/** Where a detector reports its verdicts: called on every change of its belief about a peer. */
export type Verdict = (subject: number, state: MemberState) => void;

/** A detector's local belief per peer, reporting changes only. */
export class Beliefs {
  private readonly states: MemberState[];

  constructor(size: number, private readonly verdict: Verdict) {
    this.states = Array.from({ length: size }, () => 'healthy');
  }

  get(subject: number): MemberState {
    return this.states[subject]!;
  }

  set(subject: number, state: MemberState): void {
    if (this.states[subject] === state) return;
    this.states[subject] = state;
    this.verdict(subject, state);
  }
}
