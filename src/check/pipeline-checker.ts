import { chunkKey, type TelemetryEvent } from '../systems/index.js';
import type { World } from '../world/index.js';
import { Invariant, type InvariantResult } from './invariant.js';

/**
 * Checks the pipeline's claims against ground truth as they are made: when it
 * acknowledges a chunk, the replicas it names must exist, intact, on those
 * nodes at that instant, and there must be at least min_replicas_success of
 * them; a chunk is acknowledged once, and never both acknowledged and failed.
 */
export class PipelineChecker {
  private readonly ackTruth = new Invariant('ack_matches_disks', 'every replica named in an acknowledgement is on that node\'s disk, intact');
  private readonly ackQuorum = new Invariant('ack_has_min_replicas', 'a chunk is acknowledged only with at least min_replicas_success replicas');
  private readonly once = new Invariant('chunk_outcome_once', 'each chunk is acknowledged or failed exactly once');
  private readonly outcomes = new Map<number, 'acked' | 'failed'>();

  constructor(private readonly world: World, private readonly minReplicas: number) {}

  observe(e: TelemetryEvent): void {
    if (e.kind !== 'acked' && e.kind !== 'chunk_failed') return;
    const now = this.world.sim.now;
    const outcome = e.kind === 'acked' ? 'acked' : 'failed';
    const before = this.outcomes.get(e.chunk);
    if (before) this.once.violated(now, `chunk ${e.chunk} ${outcome} after it was already ${before}`);
    this.outcomes.set(e.chunk, outcome);
    if (e.kind !== 'acked') return;
    if (e.replicas.length < this.minReplicas) this.ackQuorum.violated(now, `chunk ${e.chunk} acknowledged with ${e.replicas.length} replicas`);
    for (const node of e.replicas) {
      if (!this.world.intactOn(node, chunkKey(e.chunk))) {
        this.ackTruth.violated(now, `chunk ${e.chunk} acknowledged on ${this.world.nodes[node]!.name}, which holds no intact copy`);
      }
    }
  }

  results(): InvariantResult[] {
    return [this.ackTruth.result(), this.ackQuorum.result(), this.once.result()];
  }
}
