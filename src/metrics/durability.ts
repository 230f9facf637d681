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

const CHUNK_PREFIX = 'chunk/';

/**
 * Per chunk id (ids are dense from 0): its acknowledged size (0: not
 * acknowledged) and its replicas now, intact, available (intact on a node
 * that is up) and corrupt, in typed arrays grown by doubling: 14 bytes a
 * chunk instead of a map entry and an object.
 */
class ChunkReplicas {
  private size = new Float64Array(0);
  private counts = new Uint16Array(0);

  private reach(chunk: number): void {
    if (chunk < this.size.length) return;
    let n = Math.max(64, this.size.length);
    while (n <= chunk) n *= 2;
    const size = new Float64Array(n);
    size.set(this.size);
    const counts = new Uint16Array(3 * n);
    counts.set(this.counts);
    this.size = size;
    this.counts = counts;
  }

  ack(chunk: number, bytes: number): void {
    this.reach(chunk);
    this.size[chunk] = bytes;
  }

  bytes(chunk: number): number {
    return chunk < this.size.length ? this.size[chunk]! : 0;
  }

  set(chunk: number, intact: number, available: number, corrupt: number): void {
    this.counts[3 * chunk] = intact;
    this.counts[3 * chunk + 1] = available;
    this.counts[3 * chunk + 2] = corrupt;
  }

  intact(chunk: number): number {
    return this.counts[3 * chunk]!;
  }

  available(chunk: number): number {
    return this.counts[3 * chunk + 1]!;
  }

  corrupt(chunk: number): number {
    return this.counts[3 * chunk + 2]!;
  }
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
  /** Per acknowledged chunk, by id, what its replicas are now (kept up to date by the world's changes). */
  private readonly chunks = new ChunkReplicas();
  /** Acknowledged chunk ids in order of acknowledgement. */
  private ackedIds = new Int32Array(64);
  private ackedCount = 0;
  private bytesAcked = 0;
  /** The sums over acknowledged chunks a sample reports, kept as each chunk changes. */
  private readonly totals = { replicasIntact: 0, replicasAvailable: 0, underReplicated: 0, overReplicated: 0, unavailable: 0, lost: 0, bytesLost: 0, replicasCorrupt: 0 };
  private backlog = { chunks: 0, bytes: 0 };
  /** The largest backlog the repairer reported, bytes. */
  private mostBacklog = 0;
  private atRisk = 0;
  private orphans = 0;
  /** When the first acknowledged chunk was lost (no intact replica left), µs; -1 while none was. */
  private firstLoss = -1;

  /**
   * A sample used to walk every acknowledged chunk's holders at every bucket
   * (at 180,000 chunks and a bucket of 10 s, 1.5 billion lookups a simulated
   * day); now each chunk's counts change only when one of its replicas does
   * (an object stored, removed or corrupted on a disk, or its node going
   * down or up), and a sample reads the sums.
   */
  constructor(private readonly truth: GroundTruth, private readonly replicationFactor: number) {
    truth.onObjectChange((_node, key) => {
      if (key.startsWith(CHUNK_PREFIX)) this.refresh(Number(key.slice(CHUNK_PREFIX.length)));
    });
    truth.onNodeState((node) => {
      for (const key of truth.keysOn(node.index, CHUNK_PREFIX)) this.refresh(Number(key.slice(CHUNK_PREFIX.length)));
    });
  }

  observe(e: TelemetryEvent): void {
    if (e.kind === 'acked' && this.chunks.bytes(e.chunk) === 0) {
      this.chunks.ack(e.chunk, e.bytes);
      if (this.ackedCount === this.ackedIds.length) {
        const grown = new Int32Array(this.ackedIds.length * 2);
        grown.set(this.ackedIds);
        this.ackedIds = grown;
      }
      this.ackedIds[this.ackedCount++] = e.chunk;
      this.bytesAcked += e.bytes;
      // Counted first as a chunk with no replica (as its zeroed counts say), then recounted from the disks.
      this.count(e.chunk, e.bytes, 1);
      this.refresh(e.chunk);
    } else if (e.kind === 'repair_backlog') {
      this.backlog = { chunks: e.chunks, bytes: e.bytes };
      this.mostBacklog = Math.max(this.mostBacklog, e.bytes);
    } else if (e.kind === 'orphan_removed') {
      this.orphans++;
    }
  }

  /** Recounts an acknowledged chunk's replicas from the disks and moves the sums by the difference. */
  private refresh(chunk: number): void {
    const bytes = this.chunks.bytes(chunk);
    if (bytes === 0) return;
    this.count(chunk, bytes, -1);
    const truth = this.truth;
    const key = chunkKey(chunk);
    let intact = 0;
    let available = 0;
    let corrupt = 0;
    for (const node of truth.holders(key)) {
      if (!truth.intactOn(node, key)) {
        corrupt++;
        continue;
      }
      intact++;
      if (truth.nodes[node]!.up) available++;
    }
    this.chunks.set(chunk, intact, available, corrupt);
    this.count(chunk, bytes, 1);
    // Exact, not at a bucket's end: an absorbing-state experiment's time to data loss.
    if (intact === 0 && this.firstLoss < 0) this.firstLoss = truth.now;
  }

  /** Adds (sign 1) or takes away (-1) what one chunk contributes to the sums. */
  private count(chunk: number, bytes: number, sign: 1 | -1): void {
    const t = this.totals;
    const intact = this.chunks.intact(chunk);
    const available = this.chunks.available(chunk);
    t.replicasIntact += sign * intact;
    t.replicasAvailable += sign * available;
    t.replicasCorrupt += sign * this.chunks.corrupt(chunk);
    if (available < this.replicationFactor) t.underReplicated += sign;
    if (available > this.replicationFactor) t.overReplicated += sign;
    if (intact === 0) {
      t.lost += sign;
      t.bytesLost += sign * bytes;
    } else if (available === 0) t.unavailable += sign;
  }

  /** Acknowledged chunk ids, in order of acknowledgement. */
  private *ackedChunks(): IterableIterator<number> {
    for (let i = 0; i < this.ackedCount; i++) yield this.ackedIds[i]!;
  }

  /** Bytes of an acknowledged chunk (its raw size, as acknowledged), 0 if not acknowledged. */
  ackedBytes(chunk: number): number {
    return this.chunks.bytes(chunk);
  }

  /** The largest acknowledged chunk's raw size. */
  largestAcked(): number {
    let most = 0;
    for (const chunk of this.ackedChunks()) most = Math.max(most, this.chunks.bytes(chunk));
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
    for (const chunk of this.ackedChunks()) {
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
    for (const chunk of this.ackedChunks()) {
      const key = chunkKey(chunk);
      for (const n of truth.holders(key)) if (truth.intactOn(n, key)) counts[n]!++;
    }
    return counts;
  }

  /** Takes a sample now. */
  sample(): DurabilitySample {
    const truth = this.truth;
    const s: DurabilitySample = {
      time: truth.now, chunksAcked: this.ackedCount, bytesAcked: this.bytesAcked, ...this.totals,
      repairBacklogChunks: this.backlog.chunks, repairBacklogBytes: this.backlog.bytes, orphansRemoved: this.orphans, atRiskChunkS: 0,
      nodesUp: truth.nodes.filter((n) => n.up).length,
    };
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

  /** When the first acknowledged chunk was lost, µs (null: none was). */
  firstLossAt(): SimTime | null {
    return this.firstLoss < 0 ? null : this.firstLoss;
  }

  /** The latest sample, if any. */
  last(): DurabilitySample | undefined {
    return this.lastSample;
  }

  /** The latest row by column name (time left out), for `stop_when:`; empty before the first sample. */
  gauges(): Record<string, number> {
    const last = this.rows.length - 1;
    if (last < 0) return {};
    return Object.fromEntries(DURABILITY_COLUMNS.slice(1).map((name, i) => [name, this.rows.get(last, i + 1)]));
  }

  /** The most acknowledged chunks under-replicated in any sample. */
  maxUnderReplicated(): number {
    return this.maxUnder;
  }

  /** The most replicas missing in any sample: replication_factor per acknowledged chunk, less those on live disks. */
  mostReplicasMissing(): number {
    return this.maxMissing;
  }

  /**
   * The most bytes the repairer ever reported it had to copy at once (its own
   * backlog, by its pacing). More than the disks' shortfall when the detector
   * declares live nodes failed: their replicas are copied again all the same.
   */
  mostBacklogBytes(): number {
    return this.mostBacklog;
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
