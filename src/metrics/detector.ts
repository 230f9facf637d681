import type { SimTime } from '../kernel/index.js';
import type { TelemetryEvent } from '../systems/index.js';
import type { GroundTruth } from '../world/ground-truth.js';
import { seconds, toCsv } from './csv.js';
import { NumberRows } from './number-rows.js';

interface CrashRecord {
  node: number;
  at: SimTime;
  first: { suspected?: SimTime; failed?: SimTime };
  firstObserver: { suspected?: number; failed?: number };
  /** Who gave each verdict while the crash is open; how many, once the node restarted (a set of up to every node, for each of a long run's crashes). */
  observers: { suspected: Set<number> | number; failed: Set<number> | number };
}

const observerCount = (o: Set<number> | number): number => (typeof o === 'number' ? o : o.size);

/**
 * The false verdicts of one state about one node within one metrics bucket:
 * one row however many observers gave it (a partition of 1,000 nodes gives
 * a quarter of a million verdicts), so memory follows buckets with
 * suspicions, not verdicts.
 */
/** Numbers kept per closed false-suspicion row. */
const CLOSED_WIDTH = 5;

interface FalseSuspicionRow {
  bucket: number;
  node: number;
  state: 'suspected' | 'failed';
  at: SimTime;
  firstObserver: number;
  /** Distinct observers. */
  observers: number;
  /** Who gave it so far, a bit per node; handed back to the pool when the bucket is over. */
  seen: Uint8Array;
}

export interface DetectionSummary {
  crashes: number;
  /** Crashes some observer declared failed before the node came back. */
  detected: number;
  /** Time from crash to the first Failed verdict, seconds (null: nothing detected). */
  p50_s: number | null;
  p95_s: number | null;
  max_s: number | null;
  /** Suspected or Failed verdicts about nodes that were up (each observer's verdict counts). */
  false_suspicions: number;
  /** Of those, Failed verdicts: live nodes declared dead. */
  false_failures: number;
}

/**
 * detector.csv: for every crash, when the first observer suspected it and
 * declared it failed, and how many observers did so before it restarted; and
 * the verdicts against nodes that were in fact up (false suspicions), one
 * row per node, state and metrics bucket with the first observer and how
 * many observers gave it.
 * Truth (who is really down) comes from the world, verdicts from telemetry.
 */
export class DetectorCollector {
  private readonly crashes: CrashRecord[] = [];
  private readonly openCrash = new Map<number, CrashRecord>();
  /**
   * Rows of buckets that are over, in the order they were opened: five
   * numbers each (time, node, failed 0/1, first observer, observers) in one
   * flat array grown by doubling, not an object per row (a week-long run
   * with chaos keeps tens of thousands).
   */
  private readonly closed = new NumberRows(CLOSED_WIDTH, 256);
  /** Rows of the current bucket, by `node * 2 + (state is failed)`. */
  private readonly openRows = new Map<number, FalseSuspicionRow>();
  private openBucket = -1;
  private falseVerdicts = 0;
  private falseFailures = 0;
  /**
   * Observer bitmaps of closed rows, for the next bucket's rows to reuse. A
   * bit per node, not a set of observers: after a partition of 10,000 nodes
   * into halves, each of 10,000 rows hears from 5,000 observers within the
   * bucket (50 million set entries, and a hash lookup for each of the
   * verdicts, against 1,250 bytes a row and a bit test).
   */
  private readonly spareBitmaps: Uint8Array[] = [];

  constructor(private readonly truth: GroundTruth, private readonly bucket: SimTime) {
    truth.onNodeState((node, event) => {
      if (event === 'crash') {
        const rec: CrashRecord = { node: node.index, at: truth.now, first: {}, firstObserver: {}, observers: { suspected: new Set(), failed: new Set() } };
        this.crashes.push(rec);
        this.openCrash.set(node.index, rec);
      } else if (event === 'restart') {
        const rec = this.openCrash.get(node.index);
        if (rec) {
          rec.observers = { suspected: observerCount(rec.observers.suspected), failed: observerCount(rec.observers.failed) };
        }
        this.openCrash.delete(node.index);
      }
    });
  }

  observe(e: TelemetryEvent): void {
    if (e.kind !== 'detector' || e.state === 'healthy') return;
    // A node that left the cluster is gone, not falsely suspected: verdicts about it judge nothing.
    if (this.truth.nodes[e.subject]!.service === 'retired') return;
    const now = this.truth.now;
    const crash = this.openCrash.get(e.subject);
    if (!crash) return this.falseVerdict(now, e.subject, e.observer, e.state);
    // An open crash keeps its observers as sets (they become counts at its restart).
    (crash.observers[e.state] as Set<number>).add(e.observer);
    if (crash.first[e.state] === undefined) {
      crash.first[e.state] = now;
      crash.firstObserver[e.state] = e.observer;
    }
  }

  private falseVerdict(now: SimTime, node: number, observer: number, state: 'suspected' | 'failed'): void {
    this.falseVerdicts++;
    if (state === 'failed') this.falseFailures++;
    const bucket = Math.floor(now / this.bucket);
    if (bucket !== this.openBucket) {
      for (const row of this.openRows.values()) {
        this.close(row);
        this.spareBitmaps.push(row.seen);
      }
      this.openRows.clear();
      this.openBucket = bucket;
    }
    const key = node * 2 + (state === 'failed' ? 1 : 0);
    let row = this.openRows.get(key);
    if (!row) {
      row = { bucket, node, state, at: now, firstObserver: observer, observers: 0, seen: this.bitmap() };
      this.openRows.set(key, row);
    }
    const byte = observer >> 3;
    const bit = 1 << (observer & 7);
    if ((row.seen[byte]! & bit) === 0) {
      row.seen[byte]! |= bit;
      row.observers++;
    }
  }

  /** A zeroed bitmap of every node: a spare one cleared, or a new one. */
  private bitmap(): Uint8Array {
    const spare = this.spareBitmaps.pop();
    return spare ? spare.fill(0) : new Uint8Array((this.truth.nodes.length + 7) >> 3);
  }

  private close(row: FalseSuspicionRow): void {
    this.closed.push([row.at, row.node, row.state === 'failed' ? 1 : 0, row.firstObserver, row.observers]);
  }

  summary(): DetectionSummary {
    const latencies = this.crashes.filter((c) => c.first.failed !== undefined).map((c) => (c.first.failed! - c.at) / 1e6).sort((a, b) => a - b);
    const rank = (q: number): number | null => (latencies.length === 0 ? null : latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!);
    return {
      crashes: this.crashes.length,
      detected: latencies.length,
      p50_s: rank(0.5),
      p95_s: rank(0.95),
      max_s: latencies.length === 0 ? null : latencies[latencies.length - 1]!,
      false_suspicions: this.falseVerdicts,
      false_failures: this.falseFailures,
    };
  }

  toCsv(): string {
    const name = (i: number | undefined) => (i === undefined ? '' : this.truth.nodes[i]!.name);
    // False-suspicion row f, in the order they were opened: the closed buckets' (read in place, no object a row: a day keeps some 100,000), then the current one's.
    const closed = this.closed;
    const open = [...this.openRows.values()];
    const falseAt = (f: number): SimTime => (f < closed.length ? closed.get(f, 0) : open[f - closed.length]!.at);
    // Row r < 2 * crashes is crash r >> 1 (suspected, then failed); the others are false suspicions.
    const crashRows = 2 * this.crashes.length;
    const rows = crashRows + closed.length + open.length;
    const at = (r: number): SimTime => (r < crashRows ? this.crashes[r >> 1]!.at : falseAt(r - crashRows));
    // Stable by time: crashes and false suspicions interleave as they happened. Rows are made as they are written.
    const order = Array.from({ length: rows }, (_, r) => r).sort((a, b) => at(a) - at(b) || a - b);
    const crashes = this.crashes;
    function* cells(): Generator<Array<string | number>> {
      for (const r of order) {
        if (r >= crashRows) {
          const f = r - crashRows;
          const row = f < closed.length ? undefined : open[f - closed.length]!;
          const [when, node, failed, firstObserver, observers] = row ? [row.at, row.node, row.state === 'failed' ? 1 : 0, row.firstObserver, row.observers] : [closed.get(f, 0), closed.get(f, 1), closed.get(f, 2), closed.get(f, 3), closed.get(f, 4)];
          yield [seconds(when), 'false_suspicion', name(node), name(firstObserver), failed === 1 ? 'failed' : 'suspected', seconds(when), observers, ''];
          continue;
        }
        const c = crashes[r >> 1]!;
        const state = (['suspected', 'failed'] as const)[r & 1]!;
        const first = c.first[state];
        yield [seconds(c.at), 'crash', name(c.node), name(c.firstObserver[state]), state, first === undefined ? '' : seconds(first), observerCount(c.observers[state]), first === undefined ? '' : seconds(first - c.at)];
      }
    }
    // time_s first, as in every CSV: when the crash happened, or when the first false verdict of the row came.
    return toCsv(['time_s', 'event', 'node', 'first_observer', 'state', 'first_at_s', 'observers', 'latency_s'], cells());
  }
}
