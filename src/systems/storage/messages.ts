import { port, type Port } from '../../world/runtime.js';

/** A replica's bytes, sent as a bulk transfer to the node that will keep it. */
export interface StoreRequest {
  chunk: number;
  attempt: number;
  bytes: number;
  checksum: number;
  /** Node to answer. */
  orchestrator: number;
  /** Port to answer on: whoever asked for the replica (the pipeline, the repairer or the rebalancer). */
  replyPort: Port<StoredReply>;
}

/**
 * Answer to a StoreRequest (also sent by the sender when the stream broke).
 * `micros`: how long the target took to write, sync and verify the replica by
 * its own clock, divided by the writes it shared the disk with (its time as if
 * alone; 0 when it did not store it), which the dynamic balancer uses.
 */
export interface StoredReply { chunk: number; attempt: number; node: number; ok: boolean; micros?: number }

/** Copy a local replica to `target`; the outcome goes to the requester on `replyPort`. */
export interface CopyRequest { chunk: number; attempt: number; target: number; checksum: number; replyPort: Port<StoredReply> }
export interface RemoveRequest { chunk: number }
export interface Inventory { chunks: number[] }
/** Ask a node for its inventory, answered on `replyPort` (default: the repairer's). */
export interface InventoryRequest { replyPort?: Port<Inventory> }
export interface BadReplica { chunk: number; reason: 'corrupt' | 'missing' }

/** Ports of the replica store, on every node. */
export const StoragePort = {
  /** Replica bytes arriving (a transfer): write, verify, answer on `replyPort`. The wire name predates the storage stage. */
  store: port<StoreRequest>('pipeline/store'),
  /** Read a local replica and send it to another node (repair, moves). */
  copy: port<CopyRequest>('storage/copy'),
  /** Delete a local replica (garbage collection). */
  remove: port<RemoveRequest>('storage/remove'),
  /** Report the local replicas. */
  inventoryRequest: port<InventoryRequest>('storage/inventory-request'),
};

/** Ports of the repairer, on the metadata node: replica stores report to it unasked. */
export const RepairPort = {
  /** A repair copy's outcome. */
  stored: port<StoredReply>('repair/stored'),
  /** A node's replicas (at its boot, or when asked). */
  inventory: port<Inventory>('repair/inventory'),
  /** A scrub found a replica corrupt or missing. */
  badReplica: port<BadReplica>('repair/bad-replica'),
};

/** Ports of the rebalancer, on the metadata node. */
export const RebalancePort = {
  /** A move's copy outcome. */
  stored: port<StoredReply>('rebalance/stored'),
};
