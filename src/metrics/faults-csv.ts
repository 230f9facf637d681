import type { FaultRecord } from '../chaos/index.js';
import { seconds, toCsv } from './csv.js';

/** The fault timeline, to line up against throughput and durability. */
export function faultsCsv(timeline: readonly FaultRecord[]): string {
  return toCsv(['time_s', 'fault', 'kind', 'phase', 'targets'], timeline.map((r) => [seconds(r.time), r.index, r.kind, r.phase, r.targets]));
}
