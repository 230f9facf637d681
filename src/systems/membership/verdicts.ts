import { MEMBER_STATE_CODE, MEMBER_STATES, type MemberState } from '../registry.js';

/** Where a detector reports its verdicts: called on every change of its belief about a peer. */
export type Verdict = (subject: number, state: MemberState) => void;


/** A detector's local belief per peer (a byte each: every node keeps one per member), reporting changes only. */
export class Beliefs {
  private readonly states: Uint8Array;

  /** `states`: a zeroed byte per member (everyone healthy), this node's own. */
  constructor(states: Uint8Array, private readonly verdict: Verdict) {
    this.states = states;
  }

  get(subject: number): MemberState {
    return MEMBER_STATES[this.states[subject]!]!;
  }

  /** A fresh start for `subject` (it just joined): healthy, with no verdict reported. */
  reset(subject: number): void {
    this.states[subject] = MEMBER_STATE_CODE.healthy;
  }

  set(subject: number, state: MemberState): void {
    const code = MEMBER_STATE_CODE[state];
    if (this.states[subject] === code) return;
    this.states[subject] = code;
    this.verdict(subject, state);
  }
}
