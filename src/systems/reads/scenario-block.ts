import { z } from 'zod';
import { period, size, wait } from '../../units/index.js';

/**
 * Clients reading the stored data back (the scenario's `reads:` block):
 * document 002's access model and read path, and its metadata catalog
 * partitioned over shards with an owner each.
 */
export const readsBlock = z.strictObject({
  /** Nodes that read, by name; empty: every member the cluster starts with. */
  clients: z.array(z.string()),
  /** Mean time between one client's reads (a Poisson process; at least 1ms). */
  every: period,
  /** No client reads before this simulated time. */
  start: wait,
  /** Bytes one read fetches (a range of a chunk); at most the chunk size. */
  read_size: size,
  /** Zipf exponent of chunk popularity (document 002's hot data): 0 reads every chunk equally often; about 1 is typical of file systems. */
  skew: z.number().min(0).max(4),
  /** Each client's cache of ranges it read, least recently used out; 0: none. */
  cache: size,
  /** What a cache hit costs (document 002: 1ms). */
  cache_latency: wait,
  /** A lookup or a fetch with no answer after this long is tried elsewhere (at least 1ms). */
  timeout: period,
  /** How often each node tells the metadata node which chunks it served most (what rebalancing moves first). */
  heat_report: period,
  metadata: z.strictObject({
    /** Shards of the metadata catalog (document 002: 256), each owned by one member chosen by rendezvous hashing. */
    shards: z.number().int().min(1).max(65_536),
    /** How often the metadata node sends catalog changes to the shards' owners (at least 1ms). */
    publish_every: period,
  }),
});
export type ReadsBlock = z.output<typeof readsBlock>;
