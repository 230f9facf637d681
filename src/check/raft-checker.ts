import type { TelemetryEvent } from '../systems/index.js';
import type { World } from '../world/index.js';
import { Invariant, type InvariantResult } from './invariant.js';

/**
 * Raft's safety properties, checked on every event, and liveness at the end:
 * - election safety: at most one leader per term;
 * - state machine safety: no two members apply different entries at one index
 *   (with log matching and leader completeness, what this ultimately protects);
 * - no acknowledged write lost: every write a client was told is committed
 *   has been applied (at its index, by whoever applies it);
 * - liveness: a leader at the end of the run, and every member that is up has
 *   applied every acknowledged write.
 */
export class RaftChecker {
  private readonly election = new Invariant('raft_one_leader_per_term', 'at most one leader per term');
  private readonly stateMachine = new Invariant('raft_state_machine_safety', 'no two members apply different entries at the same index');
  private readonly durable = new Invariant('raft_acked_writes_kept', 'every acknowledged write is in the committed log');
  private readonly realTime = new Invariant('raft_writes_in_real_time_order', 'a write sent after another was acknowledged comes later in the log (with fresh strong reads: a linearizable register per key)');
  /** For writes in flight: the highest acknowledged index when each was first sent. */
  private readonly writeFloor = new Map<string, number>();
  private readonly freshReads = new Invariant('raft_strong_reads_fresh', 'a strong read reflects every write acknowledged before it was sent');
  /** For strong reads in flight: the highest acknowledged index when each was sent. */
  private readonly readFloor = new Map<string, number>();
  private highestAcked = 0;
  private readonly liveness = new Invariant('raft_liveness', 'after the run, a leader exists and every live member has applied every acknowledged write');
  private readonly leaders = new Map<number, number>();
  private readonly applied = new Map<number, { id: string; node: number }>();
  private readonly appliedIds = new Set<string>();
  private readonly acked = new Set<string>();
  private readonly lastApplied = new Map<number, number>();
  /** (ack time, index) of acknowledged writes, in order. */
  private readonly ackedAt: Array<{ time: number; index: number }> = [];
  private readonly indexOf = new Map<string, number>();
  private active = false;

  constructor(private readonly world: World) {}

  observe(e: TelemetryEvent): void {
    const now = this.world.sim.now;
    switch (e.kind) {
      case 'raft_role': {
        this.active = true;
        if (e.role !== 'leader') return;
        const other = this.leaders.get(e.term);
        if (other !== undefined && other !== e.node) this.election.violated(now, `term ${e.term} has two leaders: ${this.world.nodes[other]!.name} and ${this.world.nodes[e.node]!.name}`);
        this.leaders.set(e.term, e.node);
        return;
      }
      case 'raft_applied': {
        const before = this.applied.get(e.index);
        if (before && before.id !== e.id) {
          this.stateMachine.violated(now, `index ${e.index}: ${this.world.nodes[before.node]!.name} applied ${before.id}, ${this.world.nodes[e.node]!.name} applied ${e.id}`);
        }
        if (!before) this.applied.set(e.index, { id: e.id, node: e.node });
        if (!this.indexOf.has(e.id)) this.indexOf.set(e.id, e.index);
        this.appliedIds.add(e.id);
        this.lastApplied.set(e.node, e.index);
        return;
      }
      case 'raft_write':
        if (e.phase === 'sent') {
          if (!this.writeFloor.has(e.id)) this.writeFloor.set(e.id, this.highestAcked);
          return;
        }
        if ((this.indexOf.get(e.id) ?? Infinity) <= (this.writeFloor.get(e.id) ?? 0)) {
          this.realTime.violated(now, `write ${e.id} is at index ${this.indexOf.get(e.id)}, before index ${this.writeFloor.get(e.id)} acknowledged before it was sent`);
        }
        this.writeFloor.delete(e.id);
        this.acked.add(e.id);
        if (!this.appliedIds.has(e.id)) this.durable.violated(now, `write ${e.id} acknowledged but never applied`);
        this.ackedAt.push({ time: now, index: this.indexOf.get(e.id) ?? 0 });
        this.highestAcked = Math.max(this.highestAcked, e.index);
        return;
      case 'raft_read':
        if (e.level !== 'strong') return;
        if (e.phase === 'sent') return void this.readFloor.set(e.id, this.highestAcked);
        if (e.ok && e.index < (this.readFloor.get(e.id) ?? 0)) {
          this.freshReads.violated(now, `strong read ${e.id} answered as of index ${e.index}, but index ${this.readFloor.get(e.id)} was acknowledged before it was sent`);
        }
        this.readFloor.delete(e.id);
        return;
      default:
        return;
    }
  }

  /**
   * Checks at the end of the run; `leaderUp` says whether a live leader exists
   * now. Writes acknowledged within the last `settle` may still be on their
   * way to the followers and are not held against them.
   */
  finish(leaderUp: boolean, members: readonly number[], settle: number): void {
    if (!this.active) return;
    const now = this.world.sim.now;
    // An acknowledged write overwritten at its index shows as a state machine violation; one never applied, here.
    for (const id of this.acked) if (!this.appliedIds.has(id)) this.durable.violated(now, `write ${id} acknowledged, never applied`);
    if (!leaderUp) this.liveness.violated(now, 'no leader at the end of the run');
    const settled = this.ackedAt.filter((a) => a.time <= now - settle).reduce((m, a) => Math.max(m, a.index), 0);
    for (const m of members) {
      if (!this.world.nodes[m]!.up) continue;
      if ((this.lastApplied.get(m) ?? 0) < settled) {
        this.liveness.violated(now, `${this.world.nodes[m]!.name} applied up to ${this.lastApplied.get(m) ?? 0}, writes acknowledged more than ${settle / 1e6}s before the end reach ${settled}`);
      }
    }
  }

  results(): InvariantResult[] {
    return this.active ? [this.election.result(), this.stateMachine.result(), this.durable.result(), this.realTime.result(), this.freshReads.result(), this.liveness.result()] : [];
  }
}
