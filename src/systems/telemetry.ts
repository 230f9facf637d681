/**
 * Instrumentation: what the systems report about their own progress, as a
 * production service would export metrics. Metrics collectors consume these;
 * durability is never judged from them alone (see metrics/ground truth).
 */
export type Stage = 'ingestion' | 'processing' | 'distribution' | 'storage';
export const STAGES: readonly Stage[] = ['ingestion', 'processing', 'distribution', 'storage'];

/**
 * Every kind of telemetry event and its fields, by kind. Open for extension:
 * a system in its own folder adds its events by augmenting this interface
 * (`declare module '../telemetry.js' { interface TelemetryEvents { ... } }`).
 */
export interface TelemetryEvents {
  ingested: { chunk: number; bytes: number };
  processed: { chunk: number; bytes: number; node: number };
  /** A processing attempt's answer reached the orchestrator: its wait in the queue (staged to sent to a worker) and its sojourn (staged to answered). */
  queued: { chunk: number; waitMicros: number; sojournMicros: number };
  replica_stored: { chunk: number; bytes: number; node: number };
  /**
   * The pipeline considers the chunk durably distributed on `replicas`;
   * `pending` more are still being written (`acknowledge: min_replicas`);
   * `adopted`: a restarted orchestrator found them in the nodes' inventories.
   */
  acked: { chunk: number; bytes: number; replicas: readonly number[]; pending: number; adopted: boolean };
  chunk_failed: { chunk: number; bytes: number; reason: string };
  /** `micros` of work done by one unit of `stage` (a reader, a slot, a distribution, a disk), just ended; `node`: the worker, for a processing slot. */
  busy: { stage: Stage; micros: number; node?: number };
  retry: { stage: Stage; chunk: number; reason: string };
  /** A distribution target answered (`ok`: verified), or was given up on as silent (`ok` false). */
  /** `late`: a good answer to an attempt already given up on (counted as a replica, not as an answer of the attempt). */
  replica_answer: { chunk: number; node: number; ok: boolean; late?: boolean };
  /** A failure detector on `observer` changed its verdict on `subject`. */
  detector: { observer: number; subject: number; state: 'healthy' | 'suspected' | 'failed' };
  /** The system stopped counting a replica (its node failed, it was found corrupt or missing). */
  replica_dropped: { chunk: number; node: number; reason: string };
  /** A repair copied a chunk to `node`, verified. */
  repaired: { chunk: number; bytes: number; node: number };
  /** The repairer's backlog: repairable chunks below the replication factor, and bytes still to copy. */
  repair_backlog: { chunks: number; bytes: number };
  /** Rebalancing moved a replica: copied to `to` and verified, then deleted from `from`. */
  replica_moved: { chunk: number; bytes: number; from: number; to: number };
  /** A Raft member took a role in a term. */
  raft_role: { node: number; term: number; role: 'follower' | 'candidate' | 'leader' };
  /** A Raft member's log is durable (written and synced) up to `index`. */
  raft_persisted: { node: number; index: number };
  /** A Raft leader advanced its commit index. */
  raft_commit: { node: number; index: number; term: number };
  /** A Raft member put an entry at `index` of its log (in memory), dropping anything after it; `prevTerm` is the term of the entry before. */
  raft_log: { node: number; index: number; term: number; id: string; prevTerm: number; /** Set for a configuration entry: the voting members from it on. */ config?: readonly number[] };
  /** A Raft member restarted with this log, read from its disk: a snapshot up to `base`, then `entries` (a copy the member will not change). */
  raft_restored: { node: number; base: number; entries: ReadonlyArray<{ term: number; id: string; config?: readonly number[] }>; /** The voting members in force at `base` (its snapshot's configuration). */ baseConfig: readonly number[] };
  /** A Raft member read back a log that failed its checksum: entries up to `kept` verified, `lost` after them did not (it repairs them from a leader). */
  raft_log_damaged: { node: number; kept: number; lost: number };
  /** A Raft member that read back a damaged log holds every committed entry again (`after`: microseconds since it noticed). */
  raft_log_repaired: { node: number; after: number };
  /** A Raft member folded its log up to `index` into a snapshot, or installed its leader's (`installed`), replacing its state machine. */
  raft_snapshot: { node: number; index: number; term: number; installed: boolean; /** The voting members in force at `index`. */ config: readonly number[] };
  /** A Raft member applied a log entry to its state machine. */
  raft_applied: { node: number; index: number; term: number; id: string };
  /** A client's write: sent once (retries are not reported), then acknowledged (at `index`), with its latency from the first send. */
  raft_write: { node: number; id: string; key: string; phase: 'sent' | 'acked'; latency: number; index: number; /** Document 001's write level it is acknowledged at (absent: strong). */ level?: string };
  /** A member refused a write (`not_leader`, `no_leader`), or did not answer it within the writer's timeout (`timeout`); the writer tries again elsewhere. */
  raft_write_refused: { node: number; member: number; id: string; reason: string };
  /** A client's read of `key` at a consistency level: sent, then answered (ok, as of `index`, with the value written by `writeId`, '' for none) or refused (with a reason). */
  raft_read: { node: number; id: string; key: string; level: string; phase: 'sent' | 'done'; ok: boolean; index: number; writeId: string; reason: string; latency: number };
  /** An agent became the coordinator of a term. */
  coord_role: { node: number; term: number; coordinator: boolean };
  /** A task's life: submitted, executed (by an agent), completed or failed (as the submitter sees it), or a duplicate completion. */
  coord_task: { node: number; id: string; phase: 'submitted' | 'executed' | 'completed' | 'failed' | 'duplicate'; reason: string };
  /** The coordinator on `node` put a task in its queue, or gave it to an agent (`dispatched`), or dropped its whole queue (`cleared`: it stopped coordinating). */
  coord_queue: { node: number; id: string; priority: number; capability: string; phase: 'queued' | 'dispatched' | 'cleared' };
  /** A relay forwarded a bulk transfer to its destination (`pipeline.routing: relay`). */
  relayed: { node: number; bytes: number };
  /** A replica the catalog did not want was deleted (garbage collection). */
  orphan_removed: { chunk: number; node: number };
  pipeline_done: {};
}

/** One telemetry event: a kind and its fields. */
export type TelemetryEvent = { [K in keyof TelemetryEvents]: { kind: K } & TelemetryEvents[K] }[keyof TelemetryEvents];

export interface Telemetry {
  emit(event: TelemetryEvent): void;
}
