import type { MetricValue } from '../check/expectations.js';
import { SYSTEMS } from '../modules/registry.js';
import type { Summary } from '../modules/summary.js';

/** Metrics of the run itself (the network, the invariants); each system module names its own. */
const RUN_METRICS: Record<string, (s: Summary) => MetricValue> = {
  messages_dropped: (s) => s.network.messages_dropped,
  transfers_aborted: (s) => s.network.transfers_aborted,
  transfers_cross_cloud: (s) => s.network.transfers_cross_cloud,
  mean_transfer_s: (s) => s.network.mean_transfer_s,
  invariants_broken: (s) => s.invariants.filter((i) => !i.held).length,
  /** When a `stop_when:` condition ended the run (null: none did): a sweep's time to the event. */
  stopped_s: (s) => s.stopped?.at_s ?? null,
};

/**
 * The summary metrics that expectations and `npm run compare` know by name:
 * every module's (`SystemModule.metrics`, in registry order), then the run's.
 */
const METRICS: ReadonlyArray<[string, (s: Summary) => MetricValue]> = [
  ...SYSTEMS.flatMap((m) => Object.entries(m.metrics ?? {})),
  ...Object.entries(RUN_METRICS),
];

export const METRIC_NAMES: readonly string[] = METRICS.map(([name]) => name);

/** Every named metric of a summary (a missing section reads as null). */
export function metricsOf(summary: Summary): Map<string, MetricValue> {
  return new Map(METRICS.map(([name, read]) => [name, read(summary)]));
}
