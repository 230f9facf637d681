import type { SimTime } from '../../kernel/index.js';
import type { NodeRuntime, TimerHandle } from '../../world/runtime.js';
import type { ClusterConfig } from '../cluster.js';
import { chunkKey } from '../pipeline/chunks.js';
import type { NodeRegistry } from '../registry.js';
import type { Telemetry } from '../telemetry.js';
import { MetadataPort, ReadPort, type LookupReply } from './messages.js';
import type { ReadsOptions } from './options.js';
import type { ReadFailure, ReadPath, ReadServer } from './read-server.js';
import { shardOf, type ShardOwners } from './shards.js';

interface Read {
  chunk: number;
  startedAt: SimTime;
  timer: TimerHandle | -1;
  lookupStartedAt: SimTime;
  lookup: number;
  fallback: boolean;
  fetchStartedAt: SimTime;
  /** Holders still to try, nearest first. */
  holders: number[];
  fetches: number;
}

/**
 * A client of document 002's read path: reads arrive as a Poisson process,
 * each for a chunk drawn by popularity, and are served from the first of
 * the client's cache, its own replica, or a replica elsewhere. A remote
 * read first asks the chunk's metadata shard owner (as this node sees
 * owners) where the replicas are, falling back to the metadata node when
 * the owner cannot answer; then fetches the range from the nearest holder
 * it believes up, trying the next on a refusal or a timeout.
 */
export class ReadClient {
  /** Chunks whose range is cached, least recently used first (a Map keeps insertion order). */
  private readonly cache = new Map<number, true>();
  private readonly reads = new Map<number, Read>();
  private readonly rng;
  private requests = 0;

  constructor(
    private readonly rt: NodeRuntime,
    private readonly opts: ReadsOptions,
    private readonly cluster: ClusterConfig,
    private readonly registry: NodeRegistry,
    private readonly server: ReadServer,
    /** This node's view of the shards' owners (shared with the publisher when the node is the metadata node). */
    private readonly owners: ShardOwners,
    private readonly telemetry: Telemetry,
  ) {
    this.rng = rt.rng('reads');
    rt.listen(MetadataPort.answer, (_from, reply) => this.answered(reply));
    rt.listen(ReadPort.data, (from, reply) => {
      const read = this.reads.get(reply.request);
      if (!read) return;
      if (reply.ok) return this.finish(reply.request, read, 'remote', '');
      this.registry.clear(from);
      this.nextHolder(reply.request, read);
    });
    const wait = Math.max(0, opts.start - rt.now());
    rt.setTimer(wait + this.gap(), () => this.tick());
  }

  private gap(): SimTime {
    return Math.max(1, Math.round(this.rng.exponential(this.opts.every)));
  }

  private tick(): void {
    this.rt.setTimer(this.gap(), () => this.tick());
    const chunk = this.opts.popularity.draw(this.rng);
    if (chunk >= 0) this.start(chunk);
  }

  private start(chunk: number): void {
    const read: Read = { chunk, startedAt: this.rt.monotonic(), timer: -1, lookupStartedAt: 0, lookup: -1, fallback: false, fetchStartedAt: 0, holders: [], fetches: 0 };
    if (this.cache.has(chunk)) {
      this.cache.delete(chunk);
      this.cache.set(chunk, true);
      const id = this.track(read);
      this.rt.setTimer(this.opts.cacheLatency, () => this.finish(id, read, 'cache', ''));
      return;
    }
    if (this.rt.disk.has(chunkKey(chunk))) {
      const id = this.track(read);
      this.server.serve(chunk, this.opts.readBytes, this.rt.self, (ok) => {
        if (this.reads.get(id) !== read) return;
        if (ok) this.finish(id, read, 'local', '');
        else this.lookup(id, read);
      });
      return;
    }
    this.lookup(this.track(read), read);
  }

  /** A new request id for `read`, which now waits on it. */
  private track(read: Read): number {
    const id = ++this.requests;
    this.reads.set(id, read);
    return id;
  }

  private retrack(old: number, read: Read): number {
    this.reads.delete(old);
    if (read.timer !== -1) this.rt.cancelTimer(read.timer);
    read.timer = -1;
    return this.track(read);
  }

  /** Asks the shard's owner where the chunk's replicas are. */
  private lookup(old: number, read: Read): void {
    const id = this.retrack(old, read);
    read.lookupStartedAt = this.rt.monotonic();
    const owner = this.owners.of(shardOf(read.chunk, this.opts.shards));
    if (owner < 0) return this.askAuthority(id, read);
    this.rt.send(owner, MetadataPort.lookup, { chunk: read.chunk, request: id });
    read.timer = this.rt.setTimer(this.opts.timeout, () => this.askAuthority(id, read));
  }

  /** The owner could not answer: ask the metadata node's own catalog. */
  private askAuthority(old: number, read: Read): void {
    if (read.fallback) return this.finish(old, read, 'none', 'metadata');
    const id = this.retrack(old, read);
    read.fallback = true;
    this.rt.send(this.opts.metadataNode, MetadataPort.authority, { chunk: read.chunk, request: id });
    read.timer = this.rt.setTimer(this.opts.timeout, () => this.finish(id, read, 'none', 'metadata'));
  }

  private answered(reply: LookupReply): void {
    const read = this.reads.get(reply.request);
    if (!read) return;
    if (!reply.served) return this.askAuthority(reply.request, read);
    read.lookup = this.rt.monotonic() - read.lookupStartedAt;
    if (!reply.known) return this.finish(reply.request, read, 'none', 'not_found');
    const self = this.rt.self;
    read.holders = reply.replicas
      .filter((n) => n !== self && this.registry.state(n) !== 'failed')
      // Holders this node has no evidence against first (a timeout is evidence), then by nominal latency.
      .sort((a, b) => this.trust(a) - this.trust(b) || this.cluster.nominalLatency(self, a) - this.cluster.nominalLatency(self, b) || a - b);
    read.fetchStartedAt = this.rt.monotonic();
    this.nextHolder(reply.request, read);
  }

  private trust(node: number): number {
    return this.registry.serves(node) ? 0 : 1;
  }

  /** Fetches from the nearest holder not tried yet. */
  private nextHolder(old: number, read: Read): void {
    const holder = read.holders.shift();
    if (holder === undefined) return this.finish(old, read, 'none', 'unavailable');
    const id = this.retrack(old, read);
    read.fetches++;
    this.rt.send(holder, ReadPort.fetch, { chunk: read.chunk, bytes: this.opts.readBytes, request: id });
    read.timer = this.rt.setTimer(this.opts.timeout, () => {
      this.registry.suspect(holder);
      this.nextHolder(id, read);
    });
  }

  private finish(id: number, read: Read, path: ReadPath, reason: ReadFailure | ''): void {
    if (this.reads.get(id) !== read) return;
    this.reads.delete(id);
    if (read.timer !== -1) this.rt.cancelTimer(read.timer);
    const ok = reason === '';
    if (ok && path !== 'cache') this.remember(read.chunk);
    const from = path === 'remote' ? read.fetchStartedAt : read.startedAt;
    this.telemetry.emit({ kind: 'read_done', node: this.rt.self, chunk: read.chunk, path, ok, reason, micros: this.rt.monotonic() - from, lookup: read.lookup, fallback: read.fallback, fetches: read.fetches });
  }

  private remember(chunk: number): void {
    if (this.opts.cacheEntries <= 0) return;
    this.cache.set(chunk, true);
    if (this.cache.size > this.opts.cacheEntries) this.cache.delete(this.cache.keys().next().value!);
  }
}
