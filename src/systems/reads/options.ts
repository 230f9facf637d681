import type { SimTime } from '../../kernel/index.js';
import type { Popularity } from './popularity.js';

/**
 * Test-only deliberate bugs of the read path.
 * - read_skip_checksum: a node serves a range without checking its replica's
 *   checksum, so a corrupt replica's bytes reach the client.
 */
export const READS_DEFECTS = ['read_skip_checksum'] as const;
export type ReadsDefect = (typeof READS_DEFECTS)[number];

/** Settings of the read path, the same on every node. */
export interface ReadsOptions {
  /** Node indexes of the clients. */
  clients: readonly number[];
  /** Mean time between one client's reads, microseconds. */
  every: SimTime;
  /** No read before this simulated time, microseconds. */
  start: SimTime;
  /** Bytes per read. */
  readBytes: number;
  /** Ranges a client's cache holds (cache size over read size). */
  cacheEntries: number;
  /** What a cache hit costs, microseconds. */
  cacheLatency: SimTime;
  /** Per lookup or fetch attempt, microseconds. */
  timeout: SimTime;
  /** Between a node's reports of the chunks it served most, microseconds. */
  heatReport: SimTime;
  /** Shards of the metadata catalog. */
  shards: number;
  /** Between the metadata node's batches of catalog changes, microseconds. */
  publishEvery: SimTime;
  /** Which chunk each read asks for (shared by every node: it is the workload, not a node's state). */
  popularity: Popularity;
  /** The node holding the authoritative catalog (the pipeline's source node). */
  metadataNode: number;
  defects: ReadonlySet<ReadsDefect>;
}
