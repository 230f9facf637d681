import type { SimTime } from '../../kernel/index.js';
import type { NodeRuntime, Port } from '../../world/runtime.js';
import { chunkKey } from '../pipeline/chunks.js';
import type { PipelineDefect } from '../pipeline/options.js';
import type { Telemetry } from '../telemetry.js';
import {
  RepairPort,
  StoragePort,
  type BadReplica,
  type CopyRequest,
  type Inventory,
  type StoreRequest,
} from './messages.js';

export interface ReplicaStoreOptions {
  /** Node running the repairer, told of inventories and bad replicas. */
  metadataNode: number;
  /** Read replicas back and compare checksums before acknowledging them. */
  verifyAfterWrite: boolean;
  /** Time between scrub passes over every local replica, microseconds; 0 disables scrubbing. */
  scrubInterval: SimTime;
  /** Test-only deliberate bugs. */
  defects: ReadonlySet<PipelineDefect>;
}

const CHUNK_PREFIX = 'chunk/';
const chunkOf = (key: string): number => Number(key.slice(CHUNK_PREFIX.length));

/**
 * The storage stage on every node: writes and verifies replicas it receives,
 * serves copies for repair, deletes on request, reports its inventory when it
 * boots (so replicas of a node that comes back are counted again), and scrubs:
 * re-reads every local replica periodically and reports corrupt or missing
 * ones to the repairer.
 */
export class ReplicaStore {
  /** Replicas this node believes it holds (rebuilt from the disk listing at boot). */
  private readonly held = new Set<number>();
  /** Replicas being written now: they share the disk, so each one's time says how loaded, not how slow, it is. */
  private storing = 0;

  constructor(private readonly rt: NodeRuntime, private readonly opts: ReplicaStoreOptions, private readonly telemetry: Telemetry) {
    for (const key of rt.disk.list(CHUNK_PREFIX)) this.held.add(chunkOf(key));
    rt.listen(StoragePort.store, (_from, req) => this.store(req));
    rt.listen(StoragePort.copy, (from, req) => this.copy(from, req));
    rt.listen(StoragePort.remove, (_from, req) => this.remove(req.chunk));
    rt.listen(StoragePort.inventoryRequest, (from, req) => this.report(from, req.replyPort));
    if (rt.self !== opts.metadataNode) this.report(opts.metadataNode);
    if (opts.scrubInterval > 0) rt.setTimer(opts.scrubInterval, () => this.scrub([...this.held]));
  }

  private report(to: number, port: Port<Inventory> = RepairPort.inventory): void {
    this.rt.send(to, port, { chunks: [...this.held] });
  }

  private store(req: StoreRequest): void {
    const key = chunkKey(req.chunk);
    const startedAt = this.rt.monotonic();
    const sharingAtStart = ++this.storing;
    const reply = (ok: boolean): void => {
      // The time this write would have taken alone: its elapsed time over the writes it shared the disk with (on average).
      const micros = ok ? Math.round((this.rt.monotonic() - startedAt) / ((sharingAtStart + this.storing) / 2)) : 0;
      this.storing--;
      if (ok) {
        this.held.add(req.chunk);
        this.telemetry.emit({ kind: 'replica_stored', chunk: req.chunk, bytes: req.bytes, node: this.rt.self });
      }
      this.rt.send(req.orchestrator, req.replyPort, { chunk: req.chunk, attempt: req.attempt, node: this.rt.self, ok, micros });
    };
    this.rt.disk.write(key, req.bytes, req.checksum, (written) => {
      if (!written) return reply(false);
      // Durable before acknowledged: sync, then verify what is on the platter.
      const afterSync = (): void => {
        if (!this.opts.verifyAfterWrite) return reply(true);
        this.rt.disk.read(key, (obj) => reply(obj !== null && obj.actualChecksum === req.checksum));
      };
      if (this.opts.defects.has('ack_before_sync')) return afterSync();
      this.rt.disk.sync(afterSync);
    });
  }

  private copy(requester: number, req: CopyRequest): void {
    // The copy did not reach the target: the requester hears it as the target's failure.
    const failed = (): void => this.rt.send(requester, req.replyPort, { chunk: req.chunk, attempt: req.attempt, node: req.target, ok: false });
    this.rt.disk.read(chunkKey(req.chunk), (obj) => {
      if (obj === null || obj.actualChecksum !== req.checksum) {
        // Asked for a copy it does not hold (its disk was replaced since it was listed): the repairer must hear that
        // the replica is gone, or it keeps asking this node for it.
        if (obj === null && !this.held.has(req.chunk)) this.rt.send(this.opts.metadataNode, RepairPort.badReplica, { chunk: req.chunk, reason: 'missing' });
        else this.bad(req.chunk, obj === null ? 'missing' : 'corrupt');
        return failed();
      }
      const body: StoreRequest = { chunk: req.chunk, attempt: req.attempt, bytes: obj.bytes, checksum: obj.checksum, orchestrator: requester, replyPort: req.replyPort };
      this.rt.transfer(req.target, StoragePort.store, obj.bytes, body, (ok) => {
        if (!ok) failed();
      });
    });
  }

  private remove(chunk: number): void {
    this.held.delete(chunk);
    this.rt.disk.remove(chunkKey(chunk));
  }

  /** A local replica is unusable: drop it and tell the repairer. */
  private bad(chunk: number, reason: BadReplica['reason']): void {
    if (!this.held.has(chunk)) return;
    this.remove(chunk);
    this.rt.send(this.opts.metadataNode, RepairPort.badReplica, { chunk, reason });
  }

  /** Reads the given replicas one after another (from `next` on), then waits for the next pass. */
  private scrub(pending: number[], next = 0): void {
    // Skipping replicas dropped since the pass began: a loop, not a recursion per replica.
    let i = next;
    while (i < pending.length && !this.held.has(pending[i]!)) i++;
    if (i >= pending.length) {
      this.rt.setTimer(this.opts.scrubInterval, () => this.scrub([...this.held]));
      return;
    }
    const chunk = pending[i]!;
    this.rt.disk.read(chunkKey(chunk), (obj) => {
      if (obj === null) this.bad(chunk, 'missing');
      else if (obj.actualChecksum !== obj.checksum) this.bad(chunk, 'corrupt');
      this.scrub(pending, i + 1);
    });
  }
}
