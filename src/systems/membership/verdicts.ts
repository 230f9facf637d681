import { MEMBER_STATES, type MemberState, type NodeRegistry } from '../registry.js';

/** Where a detector reports its verdicts: called on every change of its belief about a peer, once the registry has it. */
export type Verdict = (subject: number, state: MemberState) => void;

/**
 * A detector's belief per peer, reporting changes only. The beliefs are the
 * registry's verdicts (`NodeRegistry.verdictCodes`), which only a detector
 * sets: a second byte per member on every node would always hold the same.
 * A joiner is healthy from its admission (`NodeRegistry.admit`).
 */
export class Beliefs {
  constructor(private readonly registry: NodeRegistry, private readonly verdict: Verdict) {}

  get(subject: number): MemberState {
    return MEMBER_STATES[this.registry.verdictCodes[subject]!]!;
  }

  set(subject: number, state: MemberState): void {
    if (this.registry.setState(subject, state)) this.verdict(subject, state);
  }
}
