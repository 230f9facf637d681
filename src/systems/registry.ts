import type { SimTime } from '../kernel/index.js';
import type { ClusterConfig, MemberInfo } from './cluster.js';

/** What a failure detector believes of a member (document 002: Healthy -> Suspected -> Failed). */
export type MemberState = 'healthy' | 'suspected' | 'failed';

/** A MemberState as a byte (its position here), for tables with an entry per member on every node. */
export const MEMBER_STATES: readonly MemberState[] = ['healthy', 'suspected', 'failed'];
export const MEMBER_STATE_CODE: Readonly<Record<MemberState, number>> = { healthy: 0, suspected: 1, failed: 2 };

export type MemberStateListener = (member: number, state: MemberState, previous: MemberState) => void;

/**
 * One node's view of the membership: who exists (from configuration) and whom
 * it currently believes healthy. Belief comes only from evidence this node has
 * seen — its failure detector's verdicts, a failed transfer, a timeout — never
 * from the world's true state.
 *
 * Two kinds of evidence combine: the detector's state for each member, and
 * short-lived suspicion from a broken transfer or timeout, which keeps a node
 * out of placement for `suspicionPeriod` unless the detector clears it.
 */
export class NodeRegistry {
  /**
   * Allocated at the first suspicion: most nodes never suspect anyone on
   * their own, and every node keeps a registry of every member (10,000
   * nodes x 10,000 members of 8 bytes is 800 MB).
   */
  private suspectedUntil: Float64Array | undefined;
  /** The detector's verdict per member, a byte each (MEMBER_STATE_CODE). */
  private readonly states: Uint8Array;
  private readonly listeners: MemberStateListener[] = [];

  constructor(
    readonly cluster: ClusterConfig,
    private readonly clock: () => SimTime,
    /** How long one piece of evidence keeps a node out of placement, microseconds. */
    private readonly suspicionPeriod: SimTime,
    /** A zeroed byte per member (everyone healthy) to keep verdicts in; its own when not given (see MemberTables). */
    states?: Uint8Array,
  ) {
    this.states = states ?? new Uint8Array(cluster.members.length);
  }

  get members(): readonly MemberInfo[] {
    return this.cluster.members;
  }

  member(index: number): MemberInfo {
    return this.cluster.members[index]!;
  }

  /** The failure detector's verdict on a member. */
  state(index: number): MemberState {
    return MEMBER_STATES[this.states[index]!]!;
  }

  healthy(index: number): boolean {
    return this.states[index] === 0 && (this.suspectedUntil === undefined || this.suspectedUntil[index]! <= this.clock());
  }

  /** Healthy members other than `except`, in configuration order. */
  healthyMembers(except = -1): MemberInfo[] {
    return this.cluster.members.filter((m) => m.index !== except && this.healthy(m.index));
  }

  /** Evidence of trouble from this node's own work (a broken transfer, a timeout). */
  suspect(index: number): void {
    (this.suspectedUntil ??= new Float64Array(this.states.length))[index] = this.clock() + this.suspicionPeriod;
  }

  /** Evidence that a member works (it just answered). */
  clear(index: number): void {
    if (this.suspectedUntil) this.suspectedUntil[index] = 0;
  }

  /** The failure detector's new verdict; listeners hear of changes only. */
  setState(index: number, state: MemberState): void {
    const previous = MEMBER_STATES[this.states[index]!]!;
    if (previous === state) return;
    this.states[index] = MEMBER_STATE_CODE[state];
    if (state === 'healthy' && this.suspectedUntil) this.suspectedUntil[index] = 0;
    for (const l of this.listeners) l(index, state, previous);
  }

  onStateChange(listener: MemberStateListener): void {
    this.listeners.push(listener);
  }
}
