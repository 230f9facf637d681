import type { SimTime } from '../kernel/index.js';
import type { TelemetryEvent } from '../systems/index.js';
import type { GroundTruth } from '../world/ground-truth.js';
import { seconds, toCsv } from './csv.js';

interface CrashRecord {
  node: number;
  at: SimTime;
  /** Open until the node restarts. */
  open: boolean;
  first: { suspected?: SimTime; failed?: SimTime };
  firstObserver: { suspected?: number; failed?: number };
  observers: { suspected: Set<number>; failed: Set<number> };
}

interface FalseSuspicion { at: SimTime; node: number; observer: number; state: 'suspected' | 'failed' }

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
 * every verdict against a node that was in fact up (a false suspicion).
 * Truth (who is really down) comes from the world, verdicts from telemetry.
 */
export class DetectorCollector {
  private readonly crashes: CrashRecord[] = [];
  private readonly openCrash = new Map<number, CrashRecord>();
  private readonly falseSuspicions: FalseSuspicion[] = [];

  constructor(private readonly truth: GroundTruth) {
    truth.onNodeState((node, event) => {
      if (event === 'crash') {
        const rec: CrashRecord = { node: node.index, at: truth.now, open: true, first: {}, firstObserver: {}, observers: { suspected: new Set(), failed: new Set() } };
        this.crashes.push(rec);
        this.openCrash.set(node.index, rec);
      } else {
        const rec = this.openCrash.get(node.index);
        if (rec) rec.open = false;
        this.openCrash.delete(node.index);
      }
    });
  }

  observe(e: TelemetryEvent): void {
    if (e.kind !== 'detector' || e.state === 'healthy') return;
    const now = this.truth.now;
    const crash = this.openCrash.get(e.subject);
    if (!crash) return void this.falseSuspicions.push({ at: now, node: e.subject, observer: e.observer, state: e.state });
    crash.observers[e.state].add(e.observer);
    if (crash.first[e.state] === undefined) {
      crash.first[e.state] = now;
      crash.firstObserver[e.state] = e.observer;
    }
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
      false_suspicions: this.falseSuspicions.length,
      false_failures: this.falseSuspicions.filter((f) => f.state === 'failed').length,
    };
  }

  toCsv(): string {
    const name = (i: number | undefined) => (i === undefined ? '' : this.truth.nodes[i]!.name);
    const rows: Array<{ at: SimTime; cells: Array<string | number> }> = [];
    for (const c of this.crashes) {
      for (const state of ['suspected', 'failed'] as const) {
        const first = c.first[state];
        rows.push({
          at: c.at,
          cells: ['crash', name(c.node), seconds(c.at), name(c.firstObserver[state]), state, first === undefined ? '' : seconds(first), c.observers[state].size, first === undefined ? '' : seconds(first - c.at)],
        });
      }
    }
    for (const f of this.falseSuspicions) rows.push({ at: f.at, cells: ['false_suspicion', name(f.node), seconds(f.at), name(f.observer), f.state, seconds(f.at), 1, ''] });
    // Stable by time: crashes and false suspicions interleave as they happened.
    const ordered = rows.map((r, i) => ({ ...r, i })).sort((a, b) => a.at - b.at || a.i - b.i);
    return toCsv(['event', 'node', 'at_s', 'first_observer', 'state', 'first_at_s', 'observers', 'latency_s'], ordered.map((r) => r.cells));
  }
}
