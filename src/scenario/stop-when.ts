import { z } from 'zod';
import { comparisonSchema } from './expectations.js';

/**
 * What a `stop_when:` condition may read: the durability gauges sampled at
 * every bucket's end, named as durability.csv's columns (a test keeps the two
 * lists in step; the scenario layer comes before metrics/, which owns the
 * columns).
 */
export const STOP_GAUGES = [
  'chunks_acked', 'bytes_acked', 'replicas_intact', 'replicas_available',
  'chunks_under_replicated', 'chunks_over_replicated', 'chunks_unavailable', 'chunks_lost', 'bytes_lost', 'replicas_corrupt',
  'repair_backlog_chunks', 'repair_backlog_bytes', 'orphans_removed', 'at_risk_chunk_s', 'nodes_up',
] as const;

/**
 * `stop_when:`: gauge -> comparison (as `expect:` writes them). The run ends
 * at the end of the first bucket where any holds: an absorbing state (the
 * first chunk lost) needs no more simulated time, and a sweep of thousands
 * of seeds of years each gets its time to the event from `stopped_s`.
 */
export const stopWhenSchema = z.partialRecord(z.enum(STOP_GAUGES), comparisonSchema);
