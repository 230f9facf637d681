import type { SimTime } from '../kernel/index.js';
import { chunkKey, type TelemetryEvent } from '../systems/index.js';
import type { GroundTruth } from '../world/ground-truth.js';
import { seconds, toCsv } from './csv.js';
import { NumberRows } from './number-rows.js';

/** Durability of acknowledged data at one instant, judged from the world's disks. */
export interface DurabilitySample {
  time: SimTime;
  chunksAcked: number;
  bytesAcked: number;
  /** Replicas of acknowledged chunks physically present with their original checksum. */
  replicasIntact: number;
  /** Of those, on nodes that are up. */
  replicasAvailable: number;
  /** Acknowledged chunks with fewer than replication_factor available replicas. */
  underReplicated: number;
  /** Acknowledged chunks with more than replication_factor replicas on nodes that are up (stored twice; copies on dead nodes cannot be collected). */
  overReplicated: number;
  /** Acknowledged chunks with no available replica but an intact one somewhere (a node is down). */
  unavailable: number;
  /** Acknowledged chunks with no intact replica anywhere: gone for good. */
  lost: number;
  bytesLost: number;
  /** Replicas of acknowledged chunks present but failing their checksum (silent corruption). */
  replicasCorrupt: number;
  /** The repairer's queue, as it last reported it. */
  repairBacklogChunks: number;
  repairBacklogBytes: number;
  /** Replicas deleted so far because the catalog did not want them (garbage collection). */
  orphansRemoved: number;
  /** Under-replicated chunk-seconds accumulated so far (sampled at bucket resolution). */
  atRiskChunkS: number;
  nodesUp: number;
}

export const DURABILITY_COLUMNS = [
  'time_s', 'chunks_acked', 'bytes_acked', 'replicas_intact', 'replicas_available',
  'chunks_under_replicated', 'chunks_over_replicated', 'chunks_unavailable', 'chunks_lost', 'bytes_lost', 'replicas_corrupt',
  'repair_backlog_chunks', 'repair_backlog_bytes', 'orphans_removed', 'at_risk_chunk_s', 'nodes_up',
] as const;

/**
 * Samples ground truth at the end of every bucket: for each chunk the
 * pipeline acknowledged, which replicas really exist, intact, on which nodes.
 * The system's own bookkeeping is not consulted, so a system bug that loses
 * data shows up here even when the system believes all is well.
 */
export class DurabilityCollector {
  /**
   * Every sample, a row of DURABILITY_COLUMNS.length numbers in one flat
   * array grown by doubling (an object per sample cost about 320 bytes, the
   * largest part of a week-long run's heap growth; a row costs 128).
   */
  private readonly rows = new NumberRows(DURABILITY_COLUMNS.length);
  private lastSample: DurabilitySample | undefined;
  private maxUnder = 0;
  private maxMissing = 0;
  private corruptSeen = false;
  private readonly acked = new Map<number, number>();
  private bytesAcked = 0;
  private backlog = { chunks: 0, bytes: 0 };
  private atRisk = 0;
  private orphans = 0;

  constructor(private readonly truth: GroundTruth, private readonly replicationFactor: number) {}

  observe(e: TelemetryEvent): void {
    if (e.kind === 'acked' && !this.acked.has(e.chunk)) {
      this.acked.set(e.chunk, e.bytes);
      this.bytesAcked += e.bytes;
    } else if (e.kind === 'repair_backlog') {
      this.backlog = { chunks: e.chunks, bytes: e.bytes };
    } else if (e.kind === 'orphan_removed') {
      this.orphans++;
    }
  }

  /** Bytes of an acknowledged chunk (its raw size, as acknowledged), 0 if not acknowledged. */
  ackedBytes(chunk: number): number {
    return this.acked.get(chunk) ?? 0;
  }

  /** The largest acknowledged chunk's raw size. */
  largestAcked(): number {
    let most = 0;
    for (const b of this.acked.values()) most = Math.max(most, b);
    return most;
  }

  /**
   * Acknowledged chunks whose intact replicas all sit in one cloud, one
   * region, one rack (a region without racks is one rack): the chunks one
   * outage of that domain would take (document 000's cross-cloud
   * redundancy, `placement.spread`). From the disks, at the time asked.
   */
  concentration(): { cloud: number; region: number; rack: number } {
    const truth = this.truth;
    const out = { cloud: 0, region: 0, rack: 0 };
    for (const chunk of this.acked.keys()) {
      const key = chunkKey(chunk);
      const intact = truth.holders(key).filter((n) => truth.intactOn(n, key)).map((n) => truth.nodes[n]!.spec);
      if (intact.length === 0) continue;
      const one = (at: (spec: (typeof intact)[number]) => string | undefined): boolean => intact.every((x) => at(x) === at(intact[0]!));
      if (one((x) => x.cloud)) out.cloud++;
      if (one((x) => x.region)) out.region++;
      if (one((x) => x.rack ?? x.region)) out.rack++;
    }
    return out;
  }

  /**
   * Intact replicas of acknowledged chunks on each node (by index), from the
   * disks now: document 004's per-node chunk balance.
   */
  replicasPerNode(): Int32Array {
    const truth = this.truth;
    const counts = new Int32Array(truth.nodes.length);
    for (const chunk of this.acked.keys()) {
      const key = chunkKey(chunk);
      for (const n of truth.holders(key)) if (truth.intactOn(n, key)) counts[n]!++;
    }
    return counts;
  }

  /** Takes a sample now. */
  sample(): DurabilitySample {
    const truth = this.truth;
    const s: DurabilitySample = {
      time: truth.now, chunksAcked: this.acked.size, bytesAcked: this.bytesAcked, replicasIntact: 0, replicasAvailable: 0,
      underReplicated: 0, overReplicated: 0, unavailable: 0, lost: 0, bytesLost: 0, replicasCorrupt: 0,
      repairBacklogChunks: this.backlog.chunks, repairBacklogBytes: this.backlog.bytes, orphansRemoved: this.orphans, atRiskChunkS: 0,
      nodesUp: truth.nodes.filter((n) => n.up).length,
    };
    for (const [chunk, bytes] of this.acked) {
      const key = chunkKey(chunk);
      let intact = 0;
      let available = 0;
      for (const node of truth.holders(key)) {
        if (!truth.intactOn(node, key)) {
          s.replicasCorrupt++;
          continue;
        }
        intact++;
        if (truth.nodes[node]!.up) available++;
      }
      s.replicasIntact += intact;
      s.replicasAvailable += available;
      if (available < this.replicationFactor) s.underReplicated++;
      if (available > this.replicationFactor) s.overReplicated++;
      if (intact === 0) {
        s.lost++;
        s.bytesLost += bytes;
      } else if (available === 0) s.unavailable++;
    }
    const previous = this.lastSample;
    this.atRisk += (s.underReplicated * (s.time - (previous?.time ?? 0))) / 1e6;
    s.atRiskChunkS = Math.round(this.atRisk * 1000) / 1000;
    this.keep(s);
    return s;
  }

  private keep(s: DurabilitySample): void {
    this.rows.push([
      s.time, s.chunksAcked, s.bytesAcked, s.replicasIntact, s.replicasAvailable,
      s.underReplicated, s.overReplicated, s.unavailable, s.lost, s.bytesLost, s.replicasCorrupt,
      s.repairBacklogChunks, s.repairBacklogBytes, s.orphansRemoved, s.atRiskChunkS, s.nodesUp,
    ]);
    this.lastSample = s;
    this.maxUnder = Math.max(this.maxUnder, s.underReplicated);
    this.maxMissing = Math.max(this.maxMissing, s.chunksAcked * this.replicationFactor - s.replicasAvailable);
    this.corruptSeen ||= s.replicasCorrupt > 0;
  }

  /** The latest sample, if any. */
  last(): DurabilitySample | undefined {
    return this.lastSample;
  }

  /** The most acknowledged chunks under-replicated in any sample. */
  maxUnderReplicated(): number {
    return this.maxUnder;
  }

  /** The most replicas missing in any sample: replication_factor per acknowledged chunk, less those on live disks. */
  mostReplicasMissing(): number {
    return this.maxMissing;
  }

  /** Whether any sample found a corrupt replica. */
  sawCorruption(): boolean {
    return this.corruptSeen;
  }

  toCsv(): string {
    const rows: Array<Array<string | number>> = [];
    for (let i = 0; i < this.rows.length; i++) {
      const row: Array<string | number> = this.rows.row(i);
      row[0] = seconds(row[0] as number);
      rows.push(row);
    }
    return toCsv(DURABILITY_COLUMNS, rows);
  }
}
