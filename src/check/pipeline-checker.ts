import { SlotSetMap, type SimTime } from '../kernel/index.js';
import { chunkKey, type TelemetryEvent } from '../systems/index.js';
import type { GroundTruth } from '../world/ground-truth.js';
import { InvariantSet, type InvariantResult } from './invariant.js';

/**
 * Checks the pipeline's claims against ground truth as they are made: when it
 * acknowledges (or repairs) a chunk, the replicas it names must exist, intact,
 * on those nodes at that instant — unless a fault destroyed them after they
 * were verified, while the news travelled — and there must be at least
 * min_replicas_success of them; a chunk is acknowledged once, and never both
 * acknowledged and failed.
 */
export class PipelineChecker {
  // Declared in the order summary.json reports them.
  private readonly invariants = new InvariantSet();
  private readonly ackTruth = this.invariants.declare('ack_matches_disks', 'every replica named in an acknowledgement is on that node\'s disk, intact');
  private readonly ackQuorum = this.invariants.declare('ack_has_min_replicas', 'a chunk is acknowledged only with at least min_replicas_success replicas');
  private readonly once = this.invariants.declare('chunk_outcome_once', 'each chunk is acknowledged or failed exactly once');
  private readonly repairTruth = this.invariants.declare('repair_matches_disks', 'every replica a repair reports is on that node\'s disk, intact');
  private readonly moveSafety = this.invariants.declare('move_keeps_replication', 'a move deletes its source only while replication_factor other intact replicas exist');
  private readonly repairLive = this.invariants.declare('repair_restores_replication', 'every acknowledged chunk with an intact replica on a live node has replication_factor replicas again by the end, when the run ends long enough after its last fault (a bound from the detector and repair settings)');
  private readonly partialCause = this.invariants.declare('partial_ack_explained', 'a chunk acknowledged with fewer than replication_factor replicas (PARTIAL) had replication_factor targets asked: the others failed, stayed silent or are still writing');
  private readonly drainSafety = this.invariants.declare('drain_hands_off', 'a drained node leaves only once every acknowledged chunk it holds has replication_factor intact replicas on other nodes in service');
  private readonly outcomes = new Map<number, 'acked' | 'failed'>();
  /**
   * With checkpoints in batches (`checkpoint.every` > 1) an outcome is
   * announced before it is on disk: those not yet in a checkpoint, and those
   * a restart of the metadata node lost (each may be announced once more).
   */
  private readonly unwritten = new Set<number>();
  private readonly forgotten = new Set<number>();
  /** Nodes that announced they leave at the end of a drain (their world 'leave' follows at once). */
  private readonly drained = new Set<number>();
  /** Distribution targets that answered (or were given up on), by chunk, until the chunk is acknowledged. */
  private readonly answered = new Map<number, Set<number>>();
  /** Where the system believes each acknowledged chunk's replicas are (in columns: one set per chunk for the whole run). */
  private readonly believed: SlotSetMap;

  /** Times the metadata node restarted so far (ground truth). */
  private metadataRestarts = 0;

  /** Nodes the metadata node (which makes every claim) has declared failed, as of now. */
  private readonly declaredFailed = new Set<number>();

  constructor(
    private readonly truth: GroundTruth,
    private readonly minReplicas: number,
    private readonly replicationFactor: number,
    private readonly metadataNode: number,
    /** With `fallback_to_any_node` off, a distribution may legitimately ask fewer targets than exist: PARTIAL needs no cause then. */
    private readonly asksEnough = true,
    /** `checkpoint.every` above 1: outcomes are announced before they are on disk. */
    private readonly batchedCheckpoints = false,
  ) {
    this.believed = new SlotSetMap(Math.max(1, replicationFactor));
    truth.onNodeState((node, event) => {
      if (node.index === metadataNode && event === 'restart') {
        this.metadataRestarts++;
        for (const c of this.unwritten) this.forgotten.add(c);
        this.unwritten.clear();
      }
      if (event === 'leave' && this.drained.delete(node.index)) this.judgeDrain(node.index);
    });
  }

  /** At a drained node's leaving (its disk not yet wiped): what it holds must be safe elsewhere. */
  private judgeDrain(node: number): void {
    for (const chunk of this.believed.keys()) {
      if (!this.holds(node, chunk)) continue;
      const others = this.truth.holders(chunkKey(chunk)).filter((n) => n !== node && this.truth.nodes[n]!.service === 'active' && this.holds(n, chunk)).length;
      if (others < this.replicationFactor) {
        this.drainSafety.violated(this.truth.now, `${this.truth.nodes[node]!.name} left after its drain holding chunk ${chunk}, which has ${others} intact replicas on other nodes in service`);
      }
    }
  }

  observe(e: TelemetryEvent): void {
    if (e.kind === 'roster') {
      if (e.change === 'left' && e.how === 'drain') this.drained.add(e.node);
      return;
    }
    if (e.kind === 'checkpoint') {
      for (const c of e.chunks) this.unwritten.delete(c);
      return;
    }
    if (e.kind === 'detector' && e.observer === this.metadataNode) {
      if (e.state === 'failed') this.declaredFailed.add(e.subject);
      else this.declaredFailed.delete(e.subject);
      return;
    }
    if (e.kind === 'replica_dropped') return void this.believed.delete(e.chunk, e.node);
    if (e.kind === 'replica_answer') {
      if (this.outcomes.has(e.chunk)) return;
      let asked = this.answered.get(e.chunk);
      if (!asked) this.answered.set(e.chunk, (asked = new Set()));
      asked.add(e.node);
      return;
    }
    if (e.kind === 'repaired') {
      if (this.believed.isOpen(e.chunk)) this.believed.add(e.chunk, e.node);
      // bytes 0: a replica counted again from a node's inventory, not copied now.
      if (e.bytes > 0 && !this.holds(e.node, e.chunk)) {
        this.repairTruth.violated(this.truth.now, `chunk ${e.chunk} reported repaired on ${this.truth.nodes[e.node]!.name}, which holds no intact copy`);
      }
      return;
    }
    if (e.kind === 'replica_moved') {
      if (this.believed.isOpen(e.chunk)) {
        this.believed.add(e.chunk, e.to);
        this.believed.delete(e.chunk, e.from);
      }
      const key = chunkKey(e.chunk);
      const others = this.truth.holders(key).filter((n) => n !== e.from && this.holds(n, e.chunk)).length;
      if (others < this.replicationFactor) {
        this.moveSafety.violated(this.truth.now, `chunk ${e.chunk} moved off ${this.truth.nodes[e.from]!.name} with ${others} other intact replicas`);
      }
      return;
    }
    if (e.kind !== 'acked' && e.kind !== 'chunk_failed') return;
    const now = this.truth.now;
    const outcome = e.kind === 'acked' ? 'acked' : 'failed';
    const before = this.outcomes.get(e.chunk);
    // An outcome the restarted metadata node never had on disk may be announced again (work redone), once.
    if (before && !this.forgotten.delete(e.chunk)) this.once.violated(now, `chunk ${e.chunk} ${outcome} after it was already ${before}`);
    this.outcomes.set(e.chunk, outcome);
    if (this.batchedCheckpoints) this.unwritten.add(e.chunk);
    if (e.kind !== 'acked') return void this.answered.delete(e.chunk);
    this.believed.open(e.chunk, e.replicas);
    if (e.replicas.length < this.minReplicas) this.ackQuorum.violated(now, `chunk ${e.chunk} acknowledged with ${e.replicas.length} replicas`);
    const asked = this.answered.get(e.chunk) ?? new Set<number>();
    this.answered.delete(e.chunk);
    // Adopted after a restart of the metadata node: the targets' answers went to its previous life.
    const adopted = e.adopted && this.metadataRestarts > 0;
    if (e.adopted && this.metadataRestarts === 0) this.partialCause.violated(now, `chunk ${e.chunk} acknowledged as adopted after a restart, but the metadata node never restarted`);
    if (this.asksEnough && !adopted && e.replicas.length < this.replicationFactor) {
      for (const n of e.replicas) asked.add(n);
      if (asked.size + e.pending < this.replicationFactor) {
        this.partialCause.violated(now, `chunk ${e.chunk} acknowledged with ${e.replicas.length} of ${this.replicationFactor} replicas; ${asked.size} targets answered, ${e.pending} still writing`);
      }
    }
    for (const node of e.replicas) {
      if (!this.holds(node, e.chunk)) {
        this.ackTruth.violated(now, `chunk ${e.chunk} acknowledged on ${this.truth.nodes[node]!.name}, which holds no intact copy`);
      }
    }
  }

  /**
   * Whether the claim "node holds chunk" is true, or was true until a fault
   * destroyed the copy while the news was in flight (a race, not a lie). A
   * claim about a node the claimant itself has declared failed is no race:
   * it knew.
   */
  private holds(node: number, chunk: number): boolean {
    const key = chunkKey(chunk);
    return this.truth.intactOn(node, key) || (this.truth.destroyedByFault(node, key) && !this.declaredFailed.has(node));
  }

  results(): InvariantResult[] {
    return this.invariants.results();
  }

  /**
   * Repair's liveness, judged once at the end from the disks: if the run
   * ended at least `settle` after its last fault, every acknowledged chunk
   * that still has an intact replica on a live node must have
   * replication_factor of them, unless too few live nodes (not declared
   * failed) have room for the missing copies. `settle` null: not judged
   * (repair off, or no detector to declare a loss).
   */
  judgeRepair(settle: SimTime | null, quietSince: SimTime, replicaBytes: (chunk: number) => number): void {
    const now = this.truth.now;
    if (settle === null || now - quietSince < settle) return;
    const live = this.truth.nodes.map((n, i) => i).filter((i) => this.truth.nodes[i]!.up && !this.truth.diskFailed(i) && !this.declaredFailed.has(i));
    for (const [chunk, outcome] of this.outcomes) {
      if (outcome !== 'acked') continue;
      const key = chunkKey(chunk);
      const holders = this.truth.holders(key).filter((n) => this.truth.intactOn(n, key) && this.truth.nodes[n]!.up);
      if (holders.length === 0 || holders.length >= this.replicationFactor) continue;
      const bytes = replicaBytes(chunk);
      const room = live.filter((n) => !holders.includes(n) && this.truth.diskCapacity(n) - this.truth.diskUsedBytes(n) >= bytes).length;
      if (room < this.replicationFactor - holders.length) continue;
      this.repairLive.violated(now, `chunk ${chunk} has ${holders.length} of ${this.replicationFactor} replicas at the end, ${(now - quietSince) / 1e6}s after the last fault (bound ${settle / 1e6}s)`);
    }
  }

  /** Chunks the system still believes have replicas, of which the world holds no intact copy. */
  silentlyLost(): number[] {
    const lost: number[] = [];
    for (const chunk of this.believed.keys()) {
      const key = chunkKey(chunk);
      if (this.believed.size(chunk) > 0 && !this.truth.holders(key).some((n) => this.truth.intactOn(n, key))) lost.push(chunk);
    }
    return lost;
  }
}
