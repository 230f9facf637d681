/** Ports of the replica store (every node) and of the repairer (the metadata node). */
export const StoragePort = {
  /** Replica bytes arriving (a transfer): write, verify, answer on `replyPort`. */
  store: 'pipeline/store',
  /** Read a local replica and send it to another node (repair). */
  copy: 'storage/copy',
  /** Delete a local replica (garbage collection). */
  remove: 'storage/remove',
  /** Report the local replicas. */
  inventoryRequest: 'storage/inventory-request',
} as const;

export const RepairPort = {
  stored: 'repair/stored',
  inventory: 'repair/inventory',
  badReplica: 'repair/bad-replica',
  moved: 'rebalance/stored',
} as const;

/** A replica's bytes, sent as a bulk transfer to the node that will keep it. */
export interface StoreRequest {
  chunk: number;
  attempt: number;
  bytes: number;
  checksum: number;
  /** Node to answer. */
  orchestrator: number;
  /** Port to answer on (the pipeline's or the repairer's). */
  replyPort: string;
}

/** Answer to a StoreRequest (also sent by the sender when the stream broke). */
export interface StoredReply { chunk: number; attempt: number; node: number; ok: boolean }

/** Copy a local replica to `target`; the outcome goes to the requester on `replyPort`. */
export interface CopyRequest { chunk: number; attempt: number; target: number; checksum: number; replyPort: string }
export interface RemoveRequest { chunk: number }
export interface Inventory { chunks: number[] }
/** Ask a node for its inventory, answered on `replyPort` (default: the repairer's). */
export interface InventoryRequest { replyPort?: string }
export interface BadReplica { chunk: number; reason: 'corrupt' | 'missing' }
