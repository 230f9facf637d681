import type { NodeRuntime } from '../../world/runtime.js';
import { MetadataPort, type ShardEntry } from './messages.js';
import { shardOf } from './shards.js';

interface Shard {
  /** The handover this copy started from: updates older than it are already in it. */
  version: number;
  entries: Map<number, ShardEntry>;
}

/**
 * On every node: the metadata shards this node was handed, answering
 * clients' lookups from them. Volatile: a restarted node asks the metadata
 * node to hand its shards over again.
 */
export class ShardServer {
  private readonly shards = new Map<number, Shard>();

  constructor(rt: NodeRuntime, shardCount: number, metadataNode: number) {
    rt.listen(MetadataPort.handover, (_from, h) => {
      const current = this.shards.get(h.shard);
      if (current && current.version > h.version) return;
      this.shards.set(h.shard, { version: h.version, entries: new Map(h.entries.map((e) => [e.chunk, e])) });
    });
    rt.listen(MetadataPort.drop, (_from, { shard }) => this.shards.delete(shard));
    rt.listen(MetadataPort.updates, (_from, { entries }) => {
      for (const e of entries) {
        const shard = this.shards.get(shardOf(e.chunk, shardCount));
        if (!shard || e.version < shard.version) continue;
        const known = shard.entries.get(e.chunk);
        if (!known || known.version <= e.version) shard.entries.set(e.chunk, e);
      }
    });
    rt.listen(MetadataPort.lookup, (from, req) => {
      const shard = this.shards.get(shardOf(req.chunk, shardCount));
      const entry = shard?.entries.get(req.chunk);
      rt.send(from, MetadataPort.answer, { chunk: req.chunk, request: req.request, served: shard !== undefined, known: entry !== undefined, replicas: entry ? entry.replicas : [] });
    });
    if (rt.self !== metadataNode) rt.send(metadataNode, MetadataPort.resync, {});
  }
}
