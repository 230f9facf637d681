import { I32Column } from '../../kernel/index.js';
import type { TimerHandle } from '../../world/runtime.js';
import type { PlacementStrategy } from '../pipeline/placement.js';
import type { SourceNodeContext } from '../pipeline/source-node.js';
import { RepairPort, StoragePort, type Inventory, type StoredReply } from '../storage/messages.js';
import type { CatalogEntry } from './catalog.js';
import type { RepairOptions } from './options.js';
import { drawDelay } from '../../units/delay.js';
import type { Rng } from '../../kernel/index.js';

/** How often, at most, the repair backlog is reported, microseconds. */
const BACKLOG_REPORT_INTERVAL = 1_000_000;

interface InFlight {
  entry: CatalogEntry; attempt: number; source: number; target: number; timer: TimerHandle;
  /** The copy is verified and waits for the catalog (Raft) to commit it: no longer a copy that can fail. */
  committing?: boolean;
  /** A drawn repair (`process`) still waiting out its start delay and duration: no copy sent yet. */
  waiting?: boolean;
}

/**
 * Keeps every acknowledged chunk at `replicationFactor` replicas. When the
 * failure detector declares a node failed, or a scrubber reports a bad
 * replica, the chunk's replica is dropped from the catalog and the chunk
 * queued; the most endangered chunks (fewest replicas) go first. Each repair
 * copies from a surviving replica to a target chosen by the placement
 * strategy, paced to the bandwidth budget. Nodes that come back report their
 * inventory: wanted replicas are counted again, surplus ones deleted.
 */
export class Repairer {
  /**
   * The queue, bucketed by replica count so the most endangered come first
   * without sorting: bucket i holds chunks with i replicas, in the order they
   * reached that count.
   */
  private readonly buckets: Array<Set<CatalogEntry>> = [];
  /** Queued entries and the bucket each sits in. */
  private readonly queued = new Map<CatalogEntry, number>();
  private backlogDue = false;
  /** Chunks with no replica left to copy from: set aside until a node reports holding one. */
  private readonly unrepairable = new Set<CatalogEntry>();
  private readonly inFlight = new Map<number, InFlight>();
  /** Attempt numbers start from the boot time, so replies meant for a previous life never match. */
  private attempts: number;
  /** Apparent surplus copies waiting for the listed holders to confirm theirs ("chunk|node"). */
  private readonly surplus = new Map<string, { chunk: number; node: number }>();
  /** Deletion orders sent and not yet seen through ("chunk|node"). */
  private readonly removing = new Set<string>();
  /** By chunk: the number of the last inventory that listed it (a Set of each inventory's chunks, every node every sweep, was most of a sweep's cost). */
  private readonly listedIn = new I32Column(0);
  private inventories = 0;
  /** Earliest local time the next repair may start (bandwidth pacing). */
  private nextStart = 0;
  private wake: TimerHandle | -1 = -1;
  private wakeAt = 0;
  private lastBacklog = { chunks: 0, bytes: 0 };
  /**
   * The backlog kept as it changes (see `recount`): the replicas each entry
   * in it was missing when last counted, and the totals. Counting it by a
   * walk of the queue once a second was 13 % of a late hour of the
   * 1,000-node day, when thousands of chunks wait.
   */
  private readonly missingOf = new Map<CatalogEntry, number>();
  private backlogChunks = 0;
  private backlogBytes = 0;
  /** Background replicas that answered before their chunk's acknowledgement reached the catalog, by chunk. */
  private readonly earlyAnswers = new Map<number, Array<{ node: number; ok: boolean }>>();
  /** Draws of a `process` repair's start delay and duration: the metadata node's own stream, so no other draw moves. */
  private readonly processRng: Rng | undefined;

  /** `placement` picks repair targets: an instance of its own, apart from the orchestrator's (strategies keep state). */
  constructor(private readonly ctx: SourceNodeContext, private readonly opts: RepairOptions, private readonly placement: PlacementStrategy) {
    const { rt, registry } = ctx;
    this.attempts = rt.monotonic() * 1024;
    this.processRng = opts.process ? rt.rng('repair-process') : undefined;
    ctx.catalog.onChange((entry) => this.recount(entry));
    registry.onStateChange((node, state, previous) => {
      if (state === 'failed') this.nodeFailed(node);
      else if (state === 'healthy' && previous === 'failed') rt.send(node, StoragePort.inventoryRequest, { replyPort: RepairPort.inventory });
    });
    rt.listen(RepairPort.stored, (_from, reply) => this.onStored(reply));
    rt.listen(RepairPort.inventory, (from, inv) => this.onInventory(from, inv));
    rt.listen(RepairPort.badReplica, (from, bad) => this.drop(from, bad.chunk, bad.reason));
    if (opts.collectGarbage && opts.scrubInterval > 0) rt.setTimer(opts.scrubInterval, () => this.sweep());
    // A catalog rebuilt after a restart may be stale: ask everyone what they hold now.
    for (const m of registry.members) if (m.index !== rt.self) rt.send(m.index, StoragePort.inventoryRequest, { replyPort: RepairPort.inventory });
  }

  /**
   * Garbage collection: every scrub interval, ask each healthy node what it
   * holds; replicas the catalog does not want (left by interrupted moves or
   * repairs, or placed twice) are deleted, missing ones counted back.
   */
  private sweep(): void {
    this.ctx.rt.setTimer(this.opts.scrubInterval, () => this.sweep());
    // An order may have been lost: copies still reported after a full interval get a new one.
    this.removing.clear();
    this.ctx.sightings.clear();
    for (const m of this.ctx.registry.healthyMembers()) this.ctx.rt.send(m.index, StoragePort.inventoryRequest, { replyPort: RepairPort.inventory });
  }

  /**
   * A chunk was just acknowledged: its holders already declared failed (the
   * announcement may have waited on a Raft commit) are not counted, and it is
   * queued if that leaves it short.
   */
  track(entry: CatalogEntry): void {
    for (const n of [...entry.replicas]) if (this.ctx.registry.state(n) === 'failed') this.drop(n, entry.chunk, 'node failed');
    const early = this.earlyAnswers.get(entry.chunk);
    this.earlyAnswers.delete(entry.chunk);
    for (const a of early ?? []) this.backgroundAnswered(entry.chunk, a.node, a.ok);
    this.enqueue(entry);
  }

  /**
   * A replica the distribution kept writing after acknowledging the chunk
   * (`acknowledge: min_replicas`) answered: if verified on a node not
   * declared failed it joins the catalog; either way the chunk is queued if
   * still short. An answer that comes before the acknowledgement reached the
   * catalog (it waits for the outcome log) is kept until it does.
   */
  backgroundAnswered(chunk: number, node: number, ok: boolean): void {
    const entry = this.ctx.catalog.get(chunk);
    if (!entry) {
      const early = this.earlyAnswers.get(chunk);
      if (early) early.push({ node, ok });
      else this.earlyAnswers.set(chunk, [{ node, ok }]);
      return;
    }
    this.ctx.claims.endBackground(chunk);
    if (ok && this.ctx.registry.state(node) !== 'failed' && entry.replicas.size < this.ctx.replicationFactor) {
      this.ctx.catalog.addReplica(entry, node);
      this.ctx.record?.(chunk, () => entry.replicas, () => {});
      // Reported as an adoption (a replica counted without a copy), so observers follow the catalog.
      this.ctx.telemetry.emit({ kind: 'repaired', chunk, bytes: 0, node });
    }
    this.enqueue(entry);
  }

  private nodeFailed(node: number): void {
    // Repairs copying from or to it will not finish: retry them now rather than at their timeout.
    for (const flight of [...this.inFlight.values()]) {
      if (flight.committing || (flight.source !== node && flight.target !== node)) continue;
      if (flight.waiting) this.startOver(flight);
      else this.finish(flight.entry.chunk, flight.attempt, false);
    }
    for (const entry of this.ctx.catalog.on(node)) this.drop(node, entry.chunk, 'node failed');
  }

  private drop(node: number, chunk: number, reason: string): void {
    const entry = this.ctx.catalog.get(chunk);
    if (!entry || !this.ctx.catalog.removeReplica(entry, node)) return;
    this.ctx.placed.takeBack(node, entry.bytes);
    this.ctx.telemetry.emit({ kind: 'replica_dropped', chunk, node, reason });
    const flight = this.inFlight.get(chunk);
    if (flight?.waiting && flight.source === node) this.startOver(flight);
    // The loss is a fact whether or not the catalog can take it now: counted at once, committed when it can be.
    this.ctx.record?.(chunk, () => entry.replicas, () => {});
    this.enqueue(entry);
  }

  private enqueue(entry: CatalogEntry): void {
    if (!this.opts.enabled || entry.replicas.size + this.ctx.claims.backgroundCopies(entry.chunk) >= this.ctx.replicationFactor || this.inFlight.has(entry.chunk)) return;
    // Test-only defect: a fifth of the chunks are never repaired, and never counted in the backlog.
    if (this.ctx.defects.has('repair_skip_some') && entry.chunk % 5 === 0) return;
    if (entry.replicas.size === 0) {
      this.dequeue(entry);
      this.unrepairable.add(entry);
      return this.backlogChanged();
    }
    this.unrepairable.delete(entry);
    const bucket = entry.replicas.size;
    if (this.queued.get(entry) !== bucket) {
      this.dequeue(entry);
      (this.buckets[bucket] ??= new Set()).add(entry);
      this.queued.set(entry, bucket);
      this.recount(entry);
      this.ctx.claims.queueRepair(entry.chunk);
    }
    this.backlogChanged();
    this.pump();
  }

  /**
   * Reports the backlog when it changes: repairable chunks below the
   * replication factor (queued or being copied), and the bytes still to copy
   * (missing replicas x chunk size).
   */
  private backlogChanged(): void {
    // Computed at most once a second while it changes: a pass over the queue per change would be quadratic
    // when thousands of chunks wait (the durability samples every bucket see a value under a second old).
    if (this.backlogDue) return;
    this.backlogDue = true;
    this.ctx.rt.setTimer(BACKLOG_REPORT_INTERVAL, () => {
      this.backlogDue = false;
      this.reportBacklog();
    });
  }

  private reportBacklog(): void {
    const chunks = this.backlogChunks;
    const bytes = this.backlogBytes;
    if (chunks === this.lastBacklog.chunks && bytes === this.lastBacklog.bytes) return;
    this.lastBacklog = { chunks, bytes };
    this.ctx.telemetry.emit({ kind: 'repair_backlog', chunks, bytes });
  }

  /**
   * Brings the backlog's totals up to date for one entry: it counts while it
   * is queued or being copied, for the replicas it is short of
   * replication_factor (negative if it has more), times its size. Called
   * whenever the queue, the repairs in flight or the entry's replica set
   * change, so the totals are what a walk of the queue and the flights
   * would add up (all integers, so the order of the sums does not matter).
   */
  private recount(entry: CatalogEntry): void {
    const counts = this.queued.has(entry) || this.inFlight.get(entry.chunk)?.entry === entry;
    const before = this.missingOf.get(entry);
    const missing = counts ? this.ctx.replicationFactor - entry.replicas.size : undefined;
    if (before === missing) return;
    if (before !== undefined) {
      this.backlogChunks--;
      this.backlogBytes -= before * entry.bytes;
      this.missingOf.delete(entry);
    }
    if (missing !== undefined) {
      this.backlogChunks++;
      this.backlogBytes += missing * entry.bytes;
      this.missingOf.set(entry, missing);
    }
  }

  /** The queue in repair order: fewest replicas first, then the order chunks reached that count. */
  private *byEndangerment(): Generator<CatalogEntry> {
    // Lazily: a pump usually stops after a few (concurrency or pacing), so it must not walk the whole queue.
    for (const bucket of this.buckets) if (bucket) yield* bucket;
  }

  private dequeue(entry: CatalogEntry): void {
    const bucket = this.queued.get(entry);
    if (bucket === undefined) return;
    this.buckets[bucket]!.delete(entry);
    this.queued.delete(entry);
    this.recount(entry);
    // A drawn repair that just started waiting on the chunk (the pump dequeues after starting) keeps holding it against moves.
    if (!this.inFlight.get(entry.chunk)?.waiting) this.ctx.claims.unqueueRepair(entry.chunk);
  }

  private pump(): void {
    let blocked = false;
    for (const entry of this.byEndangerment()) {
      if (this.inFlight.size >= this.opts.maxConcurrent) break;
      const now = this.ctx.rt.monotonic();
      if (now < this.nextStart) return this.sleepUntil(this.nextStart);
      // Nothing healthy to copy from or to for this one now: try the next, look again later.
      if (!this.start(entry)) {
        blocked = true;
        continue;
      }
      this.dequeue(entry);
      // A drawn repair's duration is its pace: the bandwidth budget does not hold it back.
      if (!this.opts.process) this.nextStart = Math.max(now, this.nextStart) + Math.ceil((entry.bytes * 1_000_000) / this.opts.bandwidthBytesPerS);
    }
    this.backlogChanged();
    if (blocked) this.sleepUntil(this.ctx.rt.monotonic() + this.opts.timeout);
  }

  /** Wakes the pump at `at`, or earlier if an earlier wake is already set. */
  private sleepUntil(at: number): void {
    if (this.wake !== -1) {
      if (this.wakeAt <= at) return;
      this.ctx.rt.cancelTimer(this.wake);
    }
    this.wakeAt = at;
    this.wake = this.ctx.rt.setTimer(at - this.ctx.rt.monotonic(), () => {
      this.wake = -1;
      this.pump();
    });
  }

  private start(entry: CatalogEntry): boolean {
    // A draining node still serves what it holds.
    const sources = [...entry.replicas].filter((n) => this.ctx.registry.serves(n));
    if (sources.length === 0) return false;
    // The least-loaded surviving replica serves the copy.
    const source = sources.sort((a, b) => this.ctx.placed.on(a) - this.ctx.placed.on(b) || a - b)[0]!;
    // A target must have room for the copy, by the placer's own count of what it put there.
    const placed = this.ctx.placed;
    const candidates = this.ctx.registry.healthyMembers().filter((m) => !entry.replicas.has(m.index) && placed.fits(m.index, entry.bytes, m.diskCapacityBytes));
    const [target] = this.placement.select(source, 1, { cluster: this.ctx.cluster, candidates, placedBytes: this.ctx.placed.perMember, chunk: entry.chunk, holders: this.ctx.domains || this.placement.wantsHolders ? [...entry.replicas] : undefined });
    if (target === undefined) return false;
    const attempt = ++this.attempts;
    this.ctx.placed.place(target, entry.bytes);
    const process = this.opts.process;
    if (process) {
      const rng = this.processRng!;
      const wait = drawDelay(rng, process.startAfter) + drawDelay(rng, process.duration);
      const flight: InFlight = { entry, attempt, source, target, timer: -1, waiting: true };
      flight.timer = this.ctx.rt.setTimer(wait, () => {
        flight.waiting = false;
        this.ctx.claims.unqueueRepair(entry.chunk);
        this.ctx.claims.startRepair(entry.chunk);
        this.copy(flight);
      });
      this.fly(entry.chunk, flight);
      return true;
    }
    const flight: InFlight = { entry, attempt, source, target, timer: -1 };
    this.copy(flight);
    this.fly(entry.chunk, flight);
    return true;
  }

  /** Orders the copy from the flight's source to its target, given up at the timeout. */
  private copy(flight: InFlight): void {
    const { entry, attempt, source, target } = flight;
    flight.timer = this.ctx.rt.setTimer(this.opts.timeout, () => this.finish(entry.chunk, attempt, false));
    this.ctx.rt.send(source, StoragePort.copy, { chunk: entry.chunk, attempt, target, checksum: entry.checksum, replyPort: RepairPort.stored });
  }

  /**
   * A drawn repair whose source lost its replica, or whose source or target
   * was declared failed, before its copy was made: called off and queued
   * again, to start over with fresh draws (for exponential draws the same
   * in law as carrying on, as the Markov chain has it). The target is not
   * blamed: nothing was sent to it.
   */
  private startOver(flight: InFlight): void {
    const chunk = flight.entry.chunk;
    this.ctx.rt.cancelTimer(flight.timer);
    this.inFlight.delete(chunk);
    this.recount(flight.entry);
    this.ctx.claims.unqueueRepair(chunk);
    flight.attempt = -1;
    this.ctx.placed.takeBack(flight.target, flight.entry.bytes);
    this.enqueue(flight.entry);
  }

  private onStored(reply: StoredReply): void {
    const flight = this.inFlight.get(reply.chunk);
    if (flight && flight.attempt === reply.attempt && flight.target === reply.node) return this.finish(reply.chunk, reply.attempt, reply.ok);
    // A late success is still a real replica: keep it if wanted, else collect it.
    if (reply.ok) this.adopt(reply.chunk, reply.node);
  }

  private finish(chunk: number, attempt: number, ok: boolean): void {
    const flight = this.inFlight.get(chunk);
    if (!flight || flight.attempt !== attempt || flight.committing) return;
    this.ctx.rt.cancelTimer(flight.timer);
    this.land(chunk);
    const { entry, target } = flight;
    flight.attempt = -1; // settled: a late reply or timeout for it finds nothing to do
    if (ok && entry.replicas.size >= this.ctx.replicationFactor) {
      // The chunk got back to full strength meanwhile (a node returned): the new copy is surplus.
      this.ctx.placed.takeBack(target, entry.bytes);
      this.collect(chunk, target);
    } else if (ok) {
      this.ctx.registry.clear(target);
      const count = (): void => {
        this.ctx.catalog.addReplica(entry, target);
        this.ctx.telemetry.emit({ kind: 'repaired', chunk, bytes: entry.bytes, node: target });
        this.enqueue(entry);
        this.backlogChanged();
      };
      if (this.ctx.record) {
        // Still "in flight" until the catalog commits it, so nothing else repairs or collects this chunk meanwhile.
        flight.committing = true;
        this.fly(chunk, flight);
        return this.ctx.record(chunk, () => [...entry.replicas, target], () => {
          if (this.inFlight.get(chunk) === flight) this.land(chunk);
          if (this.ctx.registry.state(target) === 'failed') {
            // The target died while the catalog write was pending: the copy does not count, and the catalog is told so.
            this.ctx.placed.takeBack(target, entry.bytes);
            this.ctx.record!(chunk, () => entry.replicas, () => {});
            this.enqueue(entry);
            this.backlogChanged();
          } else count();
          this.pump();
        });
      }
      count();
    } else {
      this.ctx.placed.takeBack(target, entry.bytes);
      this.ctx.registry.suspect(target);
    }
    this.enqueue(entry);
    this.backlogChanged();
    this.pump();
  }

  /**
   * A node's full list of what it holds. Replicas the catalog lists there but
   * the node no longer has (deleted as bad while this node was not listening,
   * moved away before a restart of this one) are dropped; what it has is
   * confirmed, then adopted or collected.
   */
  private onInventory(node: number, inv: Inventory): void {
    const mark = ++this.inventories;
    for (const chunk of inv.chunks) if (Number.isInteger(chunk) && chunk >= 0) this.listedIn.set(chunk, mark);
    for (const entry of this.ctx.catalog.on(node)) {
      if (this.listedIn.get(entry.chunk) !== mark && !this.ctx.claims.copying(entry.chunk)) this.drop(node, entry.chunk, 'missing from inventory');
    }
    for (const chunk of inv.chunks) {
      this.ctx.sightings.saw(chunk, node);
      this.adopt(chunk, node);
    }
    // Copies set aside earlier for want of confirmation may be collectable now.
    for (const [key, { chunk, node: holder }] of [...this.surplus]) {
      this.surplus.delete(key);
      this.adopt(chunk, holder);
    }
  }

  private adopt(chunk: number, node: number): void {
    const entry = this.ctx.catalog.get(chunk);
    if (!entry || entry.replicas.has(node)) return;
    // A copy being written by a repair or move is theirs to settle; the next sweep sees how it ended.
    if (this.ctx.claims.copying(chunk)) return;
    if (entry.replicas.size < this.ctx.replicationFactor) {
      this.removing.delete(`${chunk}|${node}`);
      this.ctx.catalog.addReplica(entry, node);
      this.ctx.placed.place(node, entry.bytes);
      this.ctx.telemetry.emit({ kind: 'repaired', chunk, bytes: 0, node });
      this.ctx.record?.(chunk, () => entry.replicas, () => {});
      if (entry.replicas.size >= this.ctx.replicationFactor) this.dequeue(entry);
      else this.enqueue(entry);
      this.unrepairable.delete(entry);
      this.backlogChanged();
    } else if (this.opts.collectGarbage) {
      // Surplus only if enough of the listed holders have shown, this sweep, that they really hold it;
      // a catalog rebuilt after a restart may list copies that were moved or lost since.
      if (this.ctx.sightings.confirmedHolders(entry) >= this.ctx.replicationFactor) this.collect(chunk, node);
      else this.surplus.set(`${chunk}|${node}`, { chunk, node });
    }
  }

  /** A repair of `chunk` starts (or, committing, stays) in flight: held in the claims while it is. */
  private fly(chunk: number, flight: InFlight): void {
    const before = this.inFlight.get(chunk);
    this.inFlight.set(chunk, flight);
    if (before && before.entry !== flight.entry) this.recount(before.entry);
    this.recount(flight.entry);
    // A drawn repair still waiting has copied nothing: it holds the chunk against moves as a queued one does, but a
    // replica missing from an inventory meanwhile (its source's disk replaced) is dropped, not taken for its copy.
    if (flight.waiting) this.ctx.claims.queueRepair(chunk);
    else this.ctx.claims.startRepair(chunk);
  }

  private land(chunk: number): void {
    const flight = this.inFlight.get(chunk);
    this.inFlight.delete(chunk);
    if (flight) this.recount(flight.entry);
    this.ctx.claims.endRepair(chunk);
  }

  /** Deletes an unwanted copy; repeated sightings before it is gone send no second order. */
  private collect(chunk: number, node: number): void {
    const key = `${chunk}|${node}`;
    if (this.removing.has(key)) return;
    this.removing.add(key);
    this.ctx.rt.send(node, StoragePort.remove, { chunk });
    this.ctx.telemetry.emit({ kind: 'orphan_removed', chunk, node });
  }
}
