import type { TelemetryEvent } from '../systems/index.js';
import { NumberRows } from './number-rows.js';

/** A queue's times in the summary, seconds: mean and nearest-rank quantiles (null with no task). */
export interface QueueTimesSummary {
  tasks: number;
  wait_mean_s: number | null;
  wait_p50_s: number | null;
  wait_p95_s: number | null;
  wait_p99_s: number | null;
  sojourn_mean_s: number | null;
  sojourn_p50_s: number | null;
  sojourn_p95_s: number | null;
  sojourn_p99_s: number | null;
}

/**
 * The processing stage as a queue: per processing attempt that answered,
 * its wait (staged at the source to sent to a worker) and its sojourn
 * (staged to answered), as the orchestrator measured them. Kept exactly,
 * two numbers a task, so the means are exact and the quantiles are the
 * tasks' own (a queueing experiment holds the mean wait to Erlang C).
 */
export class QueueTimesCollector {
  private readonly times = new NumberRows(2);

  observe(e: TelemetryEvent): void {
    if (e.kind === 'queued') this.times.push([e.waitMicros, e.sojournMicros]);
  }

  summary(): QueueTimesSummary {
    const n = this.times.length;
    const column = (c: number): Float64Array => {
      const xs = new Float64Array(n);
      for (let i = 0; i < n; i++) xs[i] = this.times.get(i, c);
      return xs.sort();
    };
    const wait = column(0);
    const sojourn = column(1);
    const mean = (xs: Float64Array): number | null => (n === 0 ? null : round6(xs.reduce((a, b) => a + b, 0) / n / 1e6));
    // Nearest rank: the smallest value with at least q of the tasks at or below it.
    const q = (xs: Float64Array, p: number): number | null => (n === 0 ? null : xs[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]! / 1e6);
    return {
      tasks: n,
      wait_mean_s: mean(wait), wait_p50_s: q(wait, 0.5), wait_p95_s: q(wait, 0.95), wait_p99_s: q(wait, 0.99),
      sojourn_mean_s: mean(sojourn), sojourn_p50_s: q(sojourn, 0.5), sojourn_p95_s: q(sojourn, 0.95), sojourn_p99_s: q(sojourn, 0.99),
    };
  }
}

/** Microsecond resolution for a mean in seconds. */
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
