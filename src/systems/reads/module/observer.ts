import { InvariantSet } from '../../../check/invariant.js';
import type { SimTime } from '../../../kernel/index.js';
import { seconds, toCsv } from '../../../metrics/csv.js';
import { LatencyHistogram } from '../../../metrics/latency-histogram.js';
import { NumberRows } from '../../../metrics/number-rows.js';
import type { GroundTruth } from '../../../world/ground-truth.js';
import { chunkKey } from '../../pipeline/chunks.js';
import type { TelemetryEvent } from '../../telemetry.js';
import type { ReadsOptions } from '../options.js';

/** One row of document 002's latency table, as measured. */
export interface LatencyRow {
  operation: string;
  count: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

/** summary.json's `reads` section. */
export interface ReadsSummary {
  reads: number;
  ok: number;
  /** Reads that found no such chunk (not written yet): not failures of the store. */
  not_found: number;
  /** Reads of written chunks that got no data, by cause. */
  failed: { metadata: number; unavailable: number };
  /** ok / (ok + failed): the read availability of the data written. */
  availability: number | null;
  cache_hit_ratio: number | null;
  /** Document 002's table: cached, local replica, remote replica (after the lookup), metadata operation; then end to end. */
  latency_table: LatencyRow[];
  metadata: {
    shards: number;
    lookups: number;
    /** Lookups the shard's owner could not answer (not its shard, not handed over yet, no answer), answered by the metadata node. */
    fallbacks: number;
    /** Remote fetches refused or timed out: the replica set the client was given was out of date, or a holder was down. */
    stale_or_down_fetches: number;
  };
  /** Replica moves (rebalancing, drains), and how many were of the hottest tenth of the chunks. */
  moves: number;
  hot_moves: number;
}

const PATHS = ['cache', 'local', 'remote'] as const;
const OPERATIONS = ['read (cached)', 'read (local replica)', 'read (remote replica)', 'metadata operation', 'read (end to end)'];
/** reads.csv columns after the time: reads, then each path's successes, then failures, not found. */
const COLUMNS = ['reads', 'cached', 'local', 'remote', 'failed', 'not_found'];

/**
 * Measures the read path from the clients' reports and judges what they
 * were served from ground truth: every range a node served came from a
 * replica that was intact on its disk at that moment.
 */
export class ReadsObserver {
  private readonly invariants = new InvariantSet();
  private readonly intact = this.invariants.declare('read_served_intact', 'every range served to a client came from a replica intact on disk (ground truth)');
  /** cached, local, remote, metadata, end to end. */
  private readonly latency = OPERATIONS.map(() => new LatencyHistogram());
  private readonly rows = new NumberRows(COLUMNS.length);
  private ok = 0;
  private notFound = 0;
  private readonly failed = { metadata: 0, unavailable: 0 };
  private lookups = 0;
  private fallbacks = 0;
  private refusals = 0;
  private moves = 0;
  private hotMoves = 0;
  private ranks: Int32Array | undefined;

  constructor(private readonly truth: GroundTruth, private readonly bucket: SimTime, private readonly opts: ReadsOptions) {}

  observe(e: TelemetryEvent): void {
    if (e.kind === 'read_served') {
      if (!this.truth.intactOn(e.node, chunkKey(e.chunk))) this.intact.violated(this.truth.now, `${this.truth.nodeName(e.node)} served chunk ${e.chunk} to ${this.truth.nodeName(e.client)} from a replica that is not intact on its disk`);
    } else if (e.kind === 'read_done') {
      this.done(e);
    } else if (e.kind === 'replica_moved') {
      this.moves++;
      this.ranks ??= this.opts.popularity.ranks();
      if ((this.ranks[e.chunk] ?? Infinity) < this.opts.popularity.chunks / 10) this.hotMoves++;
    }
  }

  private done(e: Extract<TelemetryEvent, { kind: 'read_done' }>): void {
    const row = Math.max(0, Math.ceil(this.truth.now / this.bucket) - 1);
    this.rows.reach(row + 1);
    this.rows.add(row, 0, 1);
    if (e.lookup >= 0) {
      this.lookups++;
      this.latency[3]!.add(e.lookup);
    }
    if (e.fallback) this.fallbacks++;
    // Every fetch but the one that brought the data was refused or timed out.
    this.refusals += e.fetches - (e.ok && e.path === 'remote' ? 1 : 0);
    if (e.ok) {
      this.ok++;
      const p = PATHS.indexOf(e.path as (typeof PATHS)[number]);
      this.latency[p]!.add(e.micros);
      this.latency[4]!.add(e.micros + Math.max(0, e.lookup));
      this.rows.add(row, 1 + p, 1);
    } else if (e.reason === 'not_found') {
      this.notFound++;
      this.rows.add(row, 5, 1);
    } else {
      this.failed[e.reason as 'metadata' | 'unavailable']++;
      this.rows.add(row, 4, 1);
    }
  }

  results() {
    return this.invariants.results();
  }

  summary(): ReadsSummary {
    const ms = (h: LatencyHistogram, q: number): number | null => {
      const v = h.quantile(q);
      return v === null ? null : Math.round(v) / 1000;
    };
    const failures = this.failed.metadata + this.failed.unavailable;
    const reads = this.ok + this.notFound + failures;
    return {
      reads,
      ok: this.ok,
      not_found: this.notFound,
      failed: { ...this.failed },
      availability: this.ok + failures === 0 ? null : Math.round((this.ok / (this.ok + failures)) * 1e6) / 1e6,
      cache_hit_ratio: this.ok === 0 ? null : Math.round((this.latency[0]!.count / this.ok) * 1e6) / 1e6,
      latency_table: OPERATIONS.map((operation, i) => {
        const h = this.latency[i]!;
        return { operation, count: h.count, p50_ms: ms(h, 0.5), p95_ms: ms(h, 0.95), p99_ms: ms(h, 0.99) };
      }),
      metadata: { shards: this.opts.shards, lookups: this.lookups, fallbacks: this.fallbacks, stale_or_down_fetches: this.refusals },
      moves: this.moves,
      hot_moves: this.hotMoves,
    };
  }

  toCsv(horizon: SimTime): string {
    const out: Array<Array<string | number>> = [];
    const count = Math.ceil(horizon / this.bucket);
    for (let i = 0; i < count; i++) {
      const end = Math.min(horizon, (i + 1) * this.bucket);
      out.push([seconds(end), ...COLUMNS.map((_, c) => (i < this.rows.length ? this.rows.get(i, c) : 0))]);
    }
    return toCsv(['time_s', ...COLUMNS], out);
  }
}
