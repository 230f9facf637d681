import { port } from '../../world/runtime.js';

/** A chunk's replica set as the metadata catalog has it; `version`: the publisher's batch it was sent in (older ones lose). */
export interface ShardEntry { chunk: number; replicas: number[]; version: number }

/** The metadata node hands a shard's entries to its new owner (a transfer sized by the entries). */
export interface ShardHandover { shard: number; version: number; entries: ShardEntry[] }
/** Changes since the last batch, for shards the receiver owns. */
export interface ShardUpdates { entries: ShardEntry[] }
/** The receiver no longer owns `shard`. */
export interface ShardDrop { shard: number }
/** A node that restarted asks to be handed the shards it owns again. */
export interface ShardResync {}

export interface LookupRequest { chunk: number; request: number }
/**
 * `served` false: the receiver does not hold the chunk's shard (not its
 * owner, or not handed over yet). `known` false: no such chunk in the
 * catalog (not written yet).
 */
export interface LookupReply { chunk: number; request: number; served: boolean; known: boolean; replicas: number[] }

/** A client asks a holder for `bytes` of a chunk. */
export interface FetchRequest { chunk: number; bytes: number; request: number }
/** A holder's answer: the bytes (a transfer) or a refusal (a message). */
export interface FetchReply { chunk: number; request: number; ok: boolean }

/** A node's most-served chunks since its last report, and how often each was read. */
export interface HeatReport { chunks: number[]; reads: number[] }

export const MetadataPort = {
  handover: port<ShardHandover>('metadata/handover'),
  updates: port<ShardUpdates>('metadata/updates'),
  drop: port<ShardDrop>('metadata/drop'),
  resync: port<ShardResync>('metadata/resync'),
  /** On every node: a lookup in a shard it owns. */
  lookup: port<LookupRequest>('metadata/lookup'),
  /** On the metadata node: a lookup in the authoritative catalog (a client's fallback). */
  authority: port<LookupRequest>('metadata/authority'),
  /** On clients: answers to both. */
  answer: port<LookupReply>('metadata/answer'),
};

export const ReadPort = {
  fetch: port<FetchRequest>('reads/fetch'),
  data: port<FetchReply>('reads/data'),
  /** On the metadata node. */
  heat: port<HeatReport>('reads/heat'),
};
