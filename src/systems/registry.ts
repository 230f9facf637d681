import type { SimTime } from '../kernel/index.js';
import type { ClusterConfig, MemberInfo } from './cluster.js';

/** What a failure detector believes of a member (document 002: Healthy -> Suspected -> Failed). */
export type MemberState = 'healthy' | 'suspected' | 'failed';

/** A MemberState as a byte (its position here), for tables with an entry per member on every node. */
export const MEMBER_STATES: readonly MemberState[] = ['healthy', 'suspected', 'failed'];
export const MEMBER_STATE_CODE: Readonly<Record<MemberState, number>> = { healthy: 0, suspected: 1, failed: 2 };

export type MemberStateListener = (member: number, state: MemberState, previous: MemberState) => void;

/** A change in who is in the cluster, as this node learned it. */
export type RosterChange = 'joined' | 'draining' | 'left';
export type RosterListener = (member: number, change: RosterChange) => void;

/** Roster codes, a byte per member: 0 means "as configured" (a member iff `initial`), so a zeroed table is the configuration. */
const AS_CONFIGURED = 0;
const JOINED = 1;
const LEFT = 2;
const DRAINING = 3;

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
  private readonly rosterListeners: RosterListener[] = [];
  /**
   * Who joined, left or is draining, as this node learned it (a byte per
   * member, ROSTER codes); allocated at the first change, since most runs
   * keep the configured cluster throughout.
   */
  private roster: Uint8Array | undefined;

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

  /**
   * The failure detector's verdicts as codes (MEMBER_STATE_CODE), a byte per
   * member, whether a member or not: the detector's beliefs are these bytes
   * (`Beliefs`), not a copy of them, and SWIM reads its statuses (alive,
   * suspect, dead) here too. Every node keeps one per member, so each copy
   * was 100 MB at 10,000 nodes. Changed only by `setState` and `admit`.
   */
  get verdictCodes(): ArrayLike<number> {
    return this.states;
  }

  /** The failure detector's verdict on a member; `failed` for a machine not in the cluster (standby, or left). */
  state(index: number): MemberState {
    if (!this.present(index)) return 'failed';
    return MEMBER_STATES[this.states[index]!]!;
  }

  /** A member of the cluster as far as this node knows: configured or joined since, and not left. */
  present(index: number): boolean {
    const code = this.roster === undefined ? AS_CONFIGURED : this.roster[index]!;
    return code === AS_CONFIGURED ? this.cluster.members[index]!.initial : code !== LEFT;
  }

  /** Known to have left the cluster for good. */
  departed(index: number): boolean {
    return this.roster !== undefined && this.roster[index] === LEFT;
  }

  /** Handing its data off before it leaves: it takes no new replicas or work, but still serves what it holds. */
  draining(index: number): boolean {
    return this.roster !== undefined && this.roster[index] === DRAINING;
  }

  /** Eligible for new work and new replicas: a member, not draining, believed healthy and not suspected. */
  healthy(index: number): boolean {
    return this.states[index] === 0 && (this.suspectedUntil === undefined || this.suspectedUntil[index]! <= this.clock()) &&
      (this.roster === undefined ? this.cluster.members[index]!.initial : this.present(index) && !this.draining(index));
  }

  /** Can serve what it holds (a copy's source): healthy, or draining and otherwise healthy. */
  serves(index: number): boolean {
    return this.healthy(index) || (this.draining(index) && this.states[index] === 0);
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

  /** The failure detector's new verdict; listeners hear of changes only (none about machines not in the cluster). Returns whether it changed. */
  setState(index: number, state: MemberState): boolean {
    const previous = MEMBER_STATES[this.states[index]!]!;
    if (previous === state) return false;
    this.states[index] = MEMBER_STATE_CODE[state];
    if (state === 'healthy' && this.suspectedUntil) this.suspectedUntil[index] = 0;
    if (this.present(index)) for (const l of this.listeners) l(index, state, previous);
    return true;
  }

  onStateChange(listener: MemberStateListener): void {
    this.listeners.push(listener);
  }

  onRosterChange(listener: RosterListener): void {
    this.rosterListeners.push(listener);
  }

  /**
   * `index` has joined (it said so, or it was heard from): a healthy member
   * from now on. A member known to have left stays out (a machine that left
   * never comes back; its replacement is a new one). Returns whether this was news.
   */
  admit(index: number): boolean {
    if (this.present(index) || this.departed(index)) return false;
    (this.roster ??= new Uint8Array(this.states.length))[index] = JOINED;
    this.states[index] = MEMBER_STATE_CODE.healthy;
    if (this.suspectedUntil) this.suspectedUntil[index] = 0;
    for (const l of this.rosterListeners) l(index, 'joined');
    for (const l of this.listeners) l(index, 'healthy', 'failed');
    return true;
  }

  /** `index` is handing its data off before it leaves (see `draining`). */
  markDraining(index: number): void {
    if (!this.present(index) || this.draining(index)) return;
    (this.roster ??= new Uint8Array(this.states.length))[index] = DRAINING;
    for (const l of this.rosterListeners) l(index, 'draining');
  }

  /** `index` left the cluster for good: to everything here it is as a failed member that never returns. */
  depart(index: number): void {
    if (this.departed(index)) return;
    const previous = this.state(index);
    const wasPresent = this.present(index);
    (this.roster ??= new Uint8Array(this.states.length))[index] = LEFT;
    if (!wasPresent) return;
    for (const l of this.rosterListeners) l(index, 'left');
    if (previous !== 'failed') for (const l of this.listeners) l(index, 'failed', previous);
  }
}
