import type { SimTime } from '../../kernel/index.js';
import type { TimerHandle } from '../../world/runtime.js';
import type { SourceNodeContext } from '../pipeline/source-node.js';
import { RosterPort } from '../membership/messages.js';
import { RebalancePort, StoragePort, type StoredReply } from '../storage/messages.js';
import type { CatalogEntry } from './catalog.js';

/** Moving replicas from full disks to empty ones (document 002). */
export interface RebalanceOptions {
  enabled: boolean;
  /** How often disk use is compared, microseconds. */
  interval: SimTime;
  /** Rebalance while (most - least loaded) / least exceeds this (document 002: max > min + min / 2, so 0.5). */
  threshold: number;
  /** Moves in flight at once. */
  maxConcurrent: number;
  /** A move with no answer after this long is abandoned, microseconds. */
  timeout: SimTime;
  /** Move the most read eligible chunk first, by the nodes' read reports (document 002); false: in acknowledgement order. */
  hotFirst: boolean;
}

interface Move { entry: CatalogEntry; from: number; to: number; attempt: number; timer: TimerHandle }

/** How often the handoff of a draining node's replicas looks for the next chunks to move, microseconds. */
const DRAIN_INTERVAL = 1_000_000;

/**
 * Evens out disk use by two-phase moves: copy a replica from the most loaded
 * healthy node to the least loaded one, commit the new replica in the catalog
 * once it is verified (the chunk briefly has replication_factor + 1), and only
 * then delete the old one. A chunk never has fewer replicas because of a move,
 * and a move that fails before the commit changes nothing. With a Raft
 * catalog the commit is document 002's MigrateExtent: the old copy is deleted
 * only once the group has committed the new set, so a catalog cut off from
 * its majority stops migrations (the move waits, holding its slot).
 *
 * It also hands off a draining node's replicas (document 001's drain): the
 * same moves, from the drainer to the least loaded healthy members, ahead
 * of balancing and whether or not balancing is on; once the catalog lists
 * nothing on the drainer it is released and leaves.
 */
export class Rebalancer {
  private readonly moves = new Map<number, Move>();
  /** Draining members whose data is being handed off, in the order they announced it. */
  private readonly drainers = new Set<number>();
  private drainTimer: TimerHandle | -1 = -1;
  /** Starts from the boot time, like the repairer's. */
  private attempts: number;

  constructor(private readonly ctx: SourceNodeContext, private readonly opts: RebalanceOptions) {
    const { rt } = ctx;
    this.attempts = rt.monotonic() * 1024;
    rt.listen(RebalancePort.stored, (_from, reply) => this.onCopied(reply));
    if (opts.enabled) rt.setTimer(opts.interval, () => this.tick());
    ctx.registry.onRosterChange((member, change) => {
      if (change === 'draining' && member !== rt.self) {
        this.drainers.add(member);
        this.drainSoon();
      } else if (change === 'left') this.drainers.delete(member);
    });
  }

  private drainSoon(): void {
    if (this.drainTimer === -1) this.drainTimer = this.ctx.rt.setTimer(DRAIN_INTERVAL, () => this.drainTick());
  }

  /** Moves replicas off each draining member; releases the ones with nothing left in the catalog. */
  private drainTick(): void {
    this.drainTimer = -1;
    for (const drainer of [...this.drainers]) {
      // A drainer that failed meanwhile is the repairer's now; it is released if it comes back with nothing listed.
      const held = this.ctx.catalog.on(drainer);
      const moving = [...this.moves.values()].some((m) => m.from === drainer);
      if (held.length === 0 && !moving) {
        this.drainers.delete(drainer);
        this.ctx.rt.send(drainer, RosterPort.release, {});
        continue;
      }
      if (this.ctx.defects.has('drain_release_early')) {
        this.drainers.delete(drainer);
        this.ctx.rt.send(drainer, RosterPort.release, {});
        continue;
      }
      for (const entry of this.hottestFirst(held)) {
        if (this.moves.size >= this.opts.maxConcurrent) break;
        if (!this.ctx.claims.movable(entry.chunk) || !this.ctx.registry.serves(drainer)) continue;
        const to = this.handoffTarget(entry, drainer);
        if (to !== undefined) this.start(entry, drainer, to);
      }
    }
    if (this.drainers.size > 0) this.drainSoon();
  }

  /** The least loaded healthy member not holding the chunk, keeping its spread if any such member can. */
  private handoffTarget(entry: CatalogEntry, from: number): number | undefined {
    let best: number | undefined;
    let bestSpread: number | undefined;
    for (const m of this.ctx.registry.healthyMembers(from)) {
      const n = m.index;
      if (entry.replicas.has(n) || !this.hasRoom(n, entry)) continue;
      if (best === undefined || this.load(n) < this.load(best)) best = n;
      if (this.keepsSpread(entry, from, n) && (bestSpread === undefined || this.load(n) < this.load(bestSpread))) bestSpread = n;
    }
    return bestSpread ?? best;
  }

  /** The member's disk can take the chunk, by the bytes this node placed there (a move to a full disk only fails). */
  private hasRoom(member: number, entry: CatalogEntry): boolean {
    return this.ctx.placed.fits(member, entry.bytes, this.ctx.cluster.members[member]!.diskCapacityBytes);
  }

  /** Disk use of a member as this node knows it (bytes placed over capacity). */
  private load(member: number): number {
    return this.ctx.placed.on(member) / this.ctx.cluster.members[member]!.diskCapacityBytes;
  }

  /**
   * (most - least loaded) / least, over members believed healthy: document
   * 002's rule `max_load > min_load + min_load / 2` is this above 0.5. An
   * empty member against a loaded one is an infinite imbalance.
   */
  imbalance(): { value: number; most: number; least: number } {
    const healthy = this.ctx.registry.healthyMembers().map((m) => m.index);
    let most = -1;
    let least = -1;
    for (const n of healthy) {
      if (most < 0 || this.load(n) > this.load(most)) most = n;
      if (least < 0 || this.load(n) < this.load(least)) least = n;
    }
    const high = most < 0 ? 0 : this.load(most);
    const low = least < 0 ? 0 : this.load(least);
    const value = high === 0 ? 0 : low === 0 ? Infinity : (high - low) / low;
    return { value, most, least };
  }

  private tick(): void {
    this.ctx.rt.setTimer(this.opts.interval, () => this.tick());
    while (this.moves.size < this.opts.maxConcurrent) {
      const { value, most, least } = this.imbalance();
      if (value <= this.opts.threshold || most === least) return;
      const entry = this.pick(most, least);
      if (!entry) return;
      this.start(entry, most, least);
    }
  }

  /** Entries by reads reported, most first, ties in acknowledgement order; as given when nothing was read. */
  private hottestFirst(entries: CatalogEntry[]): CatalogEntry[] {
    const heat = this.ctx.heat;
    if (!this.opts.hotFirst || heat.empty) return entries;
    // A stable sort: equally hot chunks keep their order.
    return entries.sort((a, b) => heat.of(b.chunk) - heat.of(a.chunk));
  }

  /** A fully replicated chunk on `from`, not on `to`, that nothing else is touching: the most read such chunk (document 002). */
  private pick(from: number, to: number): CatalogEntry | undefined {
    const heat = this.ctx.heat;
    const byHeat = this.opts.hotFirst && !heat.empty;
    let best: CatalogEntry | undefined;
    for (const e of this.ctx.catalog.on(from)) {
      if (best && heat.of(e.chunk) <= heat.of(best.chunk)) continue;
      // Only chunks whose listed holders all confirmed their copies this sweep: a stale catalog must not drive deletions.
      if (e.replicas.size >= this.ctx.replicationFactor && !e.replicas.has(to) && this.hasRoom(to, e) && this.ctx.claims.movable(e.chunk) &&
        this.ctx.sightings.confirmedHolders(e) >= e.replicas.size && this.keepsSpread(e, from, to)) {
        if (!byHeat) return e;
        best = e;
      }
    }
    return best;
  }

  /** Moving the replica from `from` to `to` leaves the chunk spread over as many failure domains as the rule asks (`placement.spread`). */
  private keepsSpread(e: CatalogEntry, from: number, to: number): boolean {
    const domains = this.ctx.domains;
    return !domains || domains.spread([...e.replicas].filter((n) => n !== from).concat(to));
  }

  private start(entry: CatalogEntry, from: number, to: number): void {
    const attempt = ++this.attempts;
    // Counted on the target from the start, so the next pick in this tick sees the shift.
    this.ctx.placed.move(from, to, entry.bytes);
    const timer = this.ctx.rt.setTimer(this.opts.timeout, () => this.abandon(entry.chunk, attempt));
    this.moves.set(entry.chunk, { entry, from, to, attempt, timer });
    this.ctx.claims.startMove(entry.chunk);
    this.ctx.rt.send(from, StoragePort.copy, { chunk: entry.chunk, attempt, target: to, checksum: entry.checksum, replyPort: RebalancePort.stored });
    if (this.ctx.defects.has('move_delete_first')) {
      this.ctx.catalog.removeReplica(entry, from);
      this.ctx.telemetry.emit({ kind: 'replica_moved', chunk: entry.chunk, bytes: entry.bytes, from, to });
      this.ctx.rt.send(from, StoragePort.remove, { chunk: entry.chunk });
    }
  }

  private onCopied(reply: StoredReply): void {
    const move = this.moves.get(reply.chunk);
    if (!move || move.attempt !== reply.attempt || move.to !== reply.node) return;
    if (!reply.ok) return this.abandon(reply.chunk, reply.attempt);
    this.ctx.rt.cancelTimer(move.timer);
    move.attempt = -1; // settled: a duplicate reply finds nothing to do
    if (!this.ctx.record) {
      this.end(reply.chunk);
      return this.commit(move);
    }
    // Still a move in flight (nothing repairs or collects the chunk) until the catalog has the new set.
    this.ctx.record(reply.chunk, () => this.afterMove(move), () => {
      this.end(reply.chunk);
      this.commit(move);
    });
  }

  /** The replica set once the move commits: the new copy in, the old one out if that leaves enough. */
  private afterMove({ entry, from, to }: Move): number[] {
    const after = new Set(entry.replicas).add(to);
    if (after.has(from) && after.size > this.ctx.replicationFactor) after.delete(from);
    return [...after];
  }

  private commit(move: Move): void {
    const { entry, from, to } = move;
    if (this.ctx.registry.state(to) === 'failed') {
      // The target died while the catalog write was pending: the old copy stays, and the catalog is told so.
      this.ctx.placed.move(to, from, entry.bytes);
      this.ctx.record?.(entry.chunk, () => entry.replicas, () => {});
      return;
    }
    // Phase 2: commit the new replica; phase 3: only now let go of the old one.
    this.ctx.catalog.addReplica(entry, to);
    if (entry.replicas.has(from) && entry.replicas.size > this.ctx.replicationFactor) {
      this.ctx.catalog.removeReplica(entry, from);
      this.ctx.rt.send(from, StoragePort.remove, { chunk: entry.chunk });
      this.ctx.telemetry.emit({ kind: 'replica_moved', chunk: entry.chunk, bytes: entry.bytes, from, to });
      return;
    }
    // The chunk lost a replica meanwhile: keep the old one (if still there), and the new copy is a repair.
    this.ctx.placed.place(from, entry.bytes);
    this.ctx.telemetry.emit({ kind: 'repaired', chunk: entry.chunk, bytes: entry.bytes, node: to });
  }

  private abandon(chunk: number, attempt: number): void {
    const move = this.moves.get(chunk);
    if (!move || move.attempt !== attempt) return;
    this.ctx.rt.cancelTimer(move.timer);
    this.end(chunk);
    this.ctx.placed.move(move.to, move.from, move.entry.bytes);
  }

  /** The move of `chunk` is over (committed or abandoned): the chunk is free for repairs and other moves. */
  private end(chunk: number): void {
    this.moves.delete(chunk);
    this.ctx.claims.endMove(chunk);
  }
}
