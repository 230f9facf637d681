import type { SimTime } from '../kernel/index.js';
import type { ClusterConfig, MemberInfo } from './cluster.js';

/**
 * One node's view of the membership: who exists (from configuration) and whom
 * it currently believes healthy. Belief comes only from evidence this node has
 * seen — a failed transfer, a timeout — never from the world's true state.
 * A suspected node is avoided until `suspicionPeriod` passes without new
 * evidence. Failure detectors feed the same `suspect`/`clear` calls.
 */
export class NodeRegistry {
  private readonly suspectedUntil: Float64Array;

  constructor(
    readonly cluster: ClusterConfig,
    private readonly clock: () => SimTime,
    /** How long one piece of evidence keeps a node out of placement, microseconds. */
    private readonly suspicionPeriod: SimTime,
  ) {
    this.suspectedUntil = new Float64Array(cluster.members.length);
  }

  get members(): readonly MemberInfo[] {
    return this.cluster.members;
  }

  member(index: number): MemberInfo {
    return this.cluster.members[index]!;
  }

  healthy(index: number): boolean {
    return this.suspectedUntil[index]! <= this.clock();
  }

  /** Healthy members other than `except`, in configuration order. */
  healthyMembers(except = -1): MemberInfo[] {
    return this.cluster.members.filter((m) => m.index !== except && this.healthy(m.index));
  }

  suspect(index: number): void {
    this.suspectedUntil[index] = this.clock() + this.suspicionPeriod;
  }

  clear(index: number): void {
    this.suspectedUntil[index] = 0;
  }
}
