import type { SimTime } from '../kernel/index.js';
import type { TelemetryEvent } from '../systems/index.js';
import type { GroundTruth } from '../world/ground-truth.js';
import type { TopologySpec } from '../world/spec.js';
import { fixed3, seconds, toCsv } from './csv.js';
import { NumberRows } from './number-rows.js';

/** Topologies up to this many nodes get a row per node in utilisation.csv; larger ones per cloud and for the cluster only. */
export const PER_NODE_ROWS_MAX = 32;

type Resource = 'slots' | 'disk' | 'link';

/** One row of utilisation.csv per bucket: a resource over a scope, with its capacity in units busy at once. */
interface Series {
  resource: Resource;
  scope: string;
  /** Units of the resource in the scope (slots, disks, directed links). */
  units: number;
}

export interface UtilisationSummary {
  /** Processing slots busy, over every slot of the cluster. */
  slots: number;
  /** Disks busy, over every disk. */
  disks: number;
  /** Each cloud pair's links busy (a link is busy while it carries any transfer), over its directed region links. */
  links: Record<string, number>;
  /** The busiest cloud pair's figure. */
  busiest_link: number;
}

/**
 * utilisation.csv: per bucket, the fraction of each resource's capacity in
 * use. Worker slots from the workers' own report of each task (spread over
 * the buckets it ran in); disks and links from the world (a disk's busy
 * time; a link is busy while it carries at least one transfer, since a
 * processor-sharing link runs at full bandwidth whenever it carries any).
 * Slots and disks are counted against the capacity of nodes that were
 * running (a crashed node's slots are not idle, they are gone).
 * Scopes: the cluster, each cloud, each node (up to PER_NODE_ROWS_MAX nodes),
 * and links by cloud pair (`aws-gcp` is both directions between every
 * region of the two; `aws-aws` is traffic inside the cloud).
 */
export class UtilisationCollector {
  private readonly series: Series[] = [];
  /** Per node: its column for slots (cluster, cloud, node) and disks. */
  private readonly slotColumns: number[][];
  private readonly diskColumns: number[][];
  /** Per directed region link (from x regions + to): its cloud pair's column. */
  private readonly linkColumn: Int32Array;
  private readonly rows: NumberRows;
  /** Per bucket and column: unit-microseconds of capacity that was up (slots and disks of nodes that were running). */
  private readonly upRows: NumberRows;
  /** When each node last came up, -1 while it is down. */
  private readonly upSince: Float64Array;
  private readonly lastDisk: Float64Array;
  private readonly lastLink: Float64Array;
  private lastSample = 0;
  /** Busy time by column up to the pipeline's completion (or the horizon), for the summary. */
  private settled: Float64Array | undefined;
  private settledUp: Float64Array | undefined;

  constructor(private readonly truth: GroundTruth, private readonly topology: TopologySpec, private readonly bucket: SimTime) {
    const perNode = topology.nodes.length <= PER_NODE_ROWS_MAX;
    const column = new Map<string, number>();
    const add = (resource: Resource, scope: string, units: number): number => {
      const key = `${resource}|${scope}`;
      const at = column.get(key);
      if (at !== undefined) {
        this.series[at]!.units += units;
        return at;
      }
      this.series.push({ resource, scope, units });
      column.set(key, this.series.length - 1);
      return this.series.length - 1;
    };
    add('slots', 'cluster', 0);
    for (const c of topology.clouds) add('slots', c, 0);
    add('disk', 'cluster', 0);
    for (const c of topology.clouds) add('disk', c, 0);
    this.slotColumns = topology.nodes.map((n) => [add('slots', 'cluster', n.slots), add('slots', n.cloud, n.slots), ...(perNode ? [add('slots', n.name, n.slots)] : [])]);
    this.diskColumns = topology.nodes.map((n) => [add('disk', 'cluster', 1), add('disk', n.cloud, 1), ...(perNode ? [add('disk', n.name, 1)] : [])]);
    const regions = topology.regions;
    this.linkColumn = new Int32Array(regions.length * regions.length);
    const order = new Map(topology.clouds.map((c, i) => [c, i]));
    regions.forEach((a, i) => regions.forEach((b, j) => {
      const [x, y] = order.get(a.cloud)! <= order.get(b.cloud)! ? [a.cloud, b.cloud] : [b.cloud, a.cloud];
      this.linkColumn[i * regions.length + j] = add('link', `${x}-${y}`, 1);
    }));
    // Slot and disk series first in the CSV, then links, in the order made.
    this.rows = new NumberRows(this.series.length, 64);
    this.upRows = new NumberRows(this.series.length, 64);
    // A standby machine is not running until it joins.
    this.upSince = Float64Array.from(truth.nodes, (n) => (n.up ? 0 : -1));
    // A node that is down has no slots or disk to use: capacity counts only while it runs.
    truth.onNodeState((node, event) => {
      if (event === 'crash' || event === 'leave') this.closeUpSpan(node.index, truth.now, -1);
      else if (node.up) this.upSince[node.index] = truth.now;
    });
    this.lastDisk = new Float64Array(topology.nodes.length);
    this.lastLink = new Float64Array(regions.length * regions.length);
  }

  observe(e: TelemetryEvent): void {
    if (e.kind === 'busy' && e.stage === 'processing' && e.node !== undefined) this.spread(this.rows, this.slotColumns[e.node]!, this.truth.now - e.micros, this.truth.now, 1);
    else if (e.kind === 'pipeline_done' && !this.settled) this.settle();
  }

  /** At each bucket's end: the disks' and links' busy time since the last sample. */
  sample(): void {
    const now = this.truth.now;
    if (now <= this.lastSample) return;
    const row = Math.max(0, Math.ceil(now / this.bucket) - 1);
    this.rows.reach(row + 1);
    for (let n = 0; n < this.lastDisk.length; n++) {
      const busy = this.truth.diskBusyTime(n);
      const delta = busy - this.lastDisk[n]!;
      this.lastDisk[n] = busy;
      if (delta > 0) for (const c of this.diskColumns[n]!) this.rows.add(row, c, delta);
    }
    const regions = this.topology.regions.length;
    for (let l = 0; l < this.lastLink.length; l++) {
      const busy = this.truth.linkBusyTime(Math.floor(l / regions), l % regions);
      const delta = busy - this.lastLink[l]!;
      this.lastLink[l] = busy;
      if (delta > 0) this.rows.add(row, this.linkColumn[l]!, delta);
    }
    this.lastSample = now;
  }

  /** Adds the span [from, to) x `weight` to `columns` of `rows`, in every bucket it overlaps. */
  private spread(rows: NumberRows, columns: readonly number[], from: SimTime, to: SimTime, weight: number): void {
    from = Math.max(0, from);
    if (to <= from) return;
    const last = Math.max(0, Math.ceil(to / this.bucket) - 1);
    rows.reach(last + 1);
    for (let b = Math.floor(from / this.bucket); b <= last; b++) {
      const overlap = Math.min(to, (b + 1) * this.bucket) - Math.max(from, b * this.bucket);
      if (overlap > 0) for (const c of columns) rows.add(b, c, overlap * weight);
    }
  }

  /** Counts node `n`'s capacity from when it came up to `at`; it stays up from `at` (`reopen` = at) or is down (-1). */
  private closeUpSpan(n: number, at: SimTime, reopen: number): void {
    const since = this.upSince[n]!;
    if (since >= 0) {
      this.spread(this.upRows, this.slotColumns[n]!, since, at, this.topology.nodes[n]!.slots);
      this.spread(this.upRows, this.diskColumns[n]!, since, at, 1);
    }
    this.upSince[n] = since >= 0 ? reopen : -1;
  }

  /** Counts every running node's capacity up to `at` (before the rows are read). */
  private closeUpSpans(at: SimTime): void {
    for (let n = 0; n < this.upSince.length; n++) if (this.upSince[n]! >= 0) this.closeUpSpan(n, at, at);
  }

  /** Totals by column now: the summary's figures are over the pipeline's active time. */
  private settle(): void {
    this.sample();
    this.closeUpSpans(this.truth.now);
    this.settled = new Float64Array(this.series.length);
    this.settledUp = new Float64Array(this.series.length);
    for (let r = 0; r < this.rows.length; r++) {
      for (let c = 0; c < this.series.length; c++) {
        this.settled[c]! += this.rows.get(r, c);
        if (r < this.upRows.length) this.settledUp[c]! += this.upRows.get(r, c);
      }
    }
  }

  /** Capacity of column `c` over `span` microseconds: running units for slots and disks, every link for links. */
  private capacity(c: number, up: number, span: SimTime): number {
    return this.series[c]!.resource === 'link' ? this.series[c]!.units * span : up;
  }

  /** Fractions over `active` time (the pipeline's completion, or the horizon). */
  summary(active: SimTime): UtilisationSummary {
    if (!this.settled) this.settle();
    const fraction = (c: number): number => {
      const capacity = this.capacity(c, this.settledUp![c]!, active);
      return capacity > 0 ? Math.min(1, this.settled![c]! / capacity) : 0;
    };
    const round = (x: number): number => Math.round(x * 1000) / 1000;
    const links: Record<string, number> = {};
    let busiest = 0;
    this.series.forEach((s, c) => {
      if (s.resource !== 'link') return;
      links[s.scope] = round(fraction(c));
      busiest = Math.max(busiest, links[s.scope]!);
    });
    return { slots: round(fraction(0)), disks: round(fraction(1 + this.topology.clouds.length)), links, busiest_link: busiest };
  }

  toCsv(horizon: SimTime): string {
    this.sample();
    this.closeUpSpans(Math.min(this.truth.now, horizon));
    const out: string[][] = [];
    const count = Math.ceil(horizon / this.bucket);
    this.rows.reach(count);
    this.upRows.reach(count);
    for (let i = 0; i < count; i++) {
      const start = i * this.bucket;
      const end = Math.min(horizon, start + this.bucket);
      const width = end - start;
      this.series.forEach((s, c) => {
        const capacity = this.capacity(c, this.upRows.get(i, c), width);
        out.push([seconds(end), seconds(start), s.resource, s.scope, fixed3(capacity > 0 ? Math.min(1, this.rows.get(i, c) / capacity) : 0)]);
      });
    }
    return toCsv(['time_s', 'bucket_start_s', 'resource', 'scope', 'busy_fraction'], out);
  }
}
