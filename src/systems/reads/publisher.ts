import type { NodeRuntime } from '../../world/runtime.js';
import type { NodeRegistry } from '../registry.js';
import type { ReplicaCatalog } from '../repair/catalog.js';
import { MetadataPort, type ShardEntry } from './messages.js';
import type { ReadsOptions } from './options.js';
import { shardOf, type ShardOwners } from './shards.js';

/** Bytes a catalog entry takes on the wire in a handover (id, replica set, version). */
const ENTRY_BYTES = 32;

/**
 * On the metadata node: keeps the shards' owners in step with the
 * authoritative catalog (document 002's metadata sharding, per-shard
 * owner). Changes are batched every `publishEvery` and sent to each
 * changed chunk's shard owner; when this node's view of a shard's owner
 * changes (a failure, a join), the new owner is handed the whole shard and
 * the old one told to drop it. Owners therefore lag the catalog by up to a
 * batch plus a message, and a lost message leaves one stale until the
 * chunk changes again or the shard moves: what clients read from them is
 * as stale as real sharded metadata gets. It also answers lookups itself,
 * from the catalog, for clients whose owner could not.
 */
export class MetadataPublisher {
  /** Whom each shard was last handed to (-1: nobody yet, in this life). */
  private readonly handedTo: Int32Array;
  private dirty = new Set<number>();
  private timer = false;
  private version = 0;

  constructor(private readonly rt: NodeRuntime, private readonly catalog: ReplicaCatalog, registry: NodeRegistry, private readonly owners: ShardOwners, private readonly opts: ReadsOptions) {
    this.handedTo = new Int32Array(opts.shards).fill(-1);
    catalog.onChange((e) => {
      this.dirty.add(e.chunk);
      this.soon();
    });
    registry.onStateChange(() => this.soon());
    registry.onRosterChange(() => this.soon());
    rt.listen(MetadataPort.resync, (from) => {
      for (let s = 0; s < opts.shards; s++) if (this.handedTo[s] === from) this.handedTo[s] = -1;
      this.soon();
    });
    rt.listen(MetadataPort.authority, (from, req) => {
      const entry = catalog.get(req.chunk);
      rt.send(from, MetadataPort.answer, { chunk: req.chunk, request: req.request, served: true, known: entry !== undefined, replicas: entry ? [...entry.replicas] : [] });
    });
    this.soon();
  }

  private soon(): void {
    if (this.timer) return;
    this.timer = true;
    this.rt.setTimer(this.opts.publishEvery, () => {
      this.timer = false;
      this.publish();
    });
  }

  private publish(): void {
    const version = ++this.version;
    const moved: number[] = [];
    for (let s = 0; s < this.opts.shards; s++) if (this.owners.of(s) !== this.handedTo[s]) moved.push(s);
    if (moved.length > 0) this.handOver(moved, version);
    const batches = new Map<number, ShardEntry[]>();
    for (const chunk of this.dirty) {
      const owner = this.handedTo[shardOf(chunk, this.opts.shards)]!;
      const entry = this.catalog.get(chunk);
      if (owner < 0 || !entry) continue;
      let batch = batches.get(owner);
      if (!batch) batches.set(owner, (batch = []));
      batch.push({ chunk, replicas: [...entry.replicas], version });
    }
    this.dirty = new Set();
    for (const [owner, entries] of batches) this.rt.send(owner, MetadataPort.updates, { entries });
  }

  /** Hands each of `shards` to its owner now, with every entry the catalog has in it (one pass over the catalog). */
  private handOver(shards: number[], version: number): void {
    const contents = new Map<number, ShardEntry[]>(shards.map((s) => [s, []]));
    for (const e of this.catalog.all()) contents.get(shardOf(e.chunk, this.opts.shards))?.push({ chunk: e.chunk, replicas: [...e.replicas], version });
    for (const [shard, entries] of contents) {
      const previous = this.handedTo[shard]!;
      const owner = this.owners.of(shard);
      this.handedTo[shard] = owner;
      if (previous >= 0 && previous !== owner) this.rt.send(previous, MetadataPort.drop, { shard });
      if (owner >= 0) this.rt.transfer(owner, MetadataPort.handover, 64 + ENTRY_BYTES * entries.length, { shard, version, entries });
    }
  }
}
