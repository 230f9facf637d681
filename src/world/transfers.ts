import type { EventId, Simulator } from '../kernel/index.js';
import type { Link } from './link.js';
import type { Network } from './network.js';
import type { Partitions } from './partitions.js';
import type { SimNode } from './node.js';
import type { TraceSink } from './trace.js';
import type { TransferHandle } from './runtime.js';

interface Flow {
  from: number;
  to: number;
  fromIncarnation: number;
  port: string;
  bytes: number;
  /** Bytes still to cross the link. */
  remaining: number;
  /** Bytes it sends in all: `bytes`, or less for a doomed transfer. */
  sends: number;
  body: unknown;
  onDone: ((ok: boolean) => void) | undefined;
  link: Link;
  aborted: boolean;
  /** When the transfer began (for a timeline trace). */
  started: number;
  /** Arrived: too late to cancel. */
  done: boolean;
  /** A transfer_failure fault dooms it: it aborts once `remaining` (the part it sends before) has drained. */
  doomed: boolean;
}

/** The flows currently sharing one directed link, and the event for the next one to drain. */
class LinkShare {
  flows: Flow[] = [];
  lastUpdate = 0;
  /** Time the link carried at least one flow, up to `lastUpdate`. */
  busy = 0;
  next: EventId = -1;
  constructor(readonly link: Link) {}
}

export interface TransferStats {
  started: number;
  completed: number;
  aborted: number;
  bytesDelivered: number;
  /** Completed transfers between two clouds. */
  crossCloud: number;
  /** Start-to-arrival time of every completed transfer, summed (µs). */
  completedMicros: number;
}

/**
 * Bulk transfers. Every directed link is a processor-sharing server: n active
 * flows each get bandwidth/n, recomputed whenever a flow starts or drains, so
 * replication, repair and ingestion traffic on the same link slow each other
 * down. A flow's data arrives one link latency after its last byte leaves.
 */
export class Transfers {
  readonly stats: TransferStats = { started: 0, completed: 0, aborted: 0, bytesDelivered: 0, crossCloud: 0, completedMicros: 0 };
  private readonly shares = new Map<Link, LinkShare>();
  /** Flows whose bytes have left and that are waiting out the link latency. */
  private readonly arriving = new Set<Flow>();

  constructor(
    private readonly sim: Simulator,
    private readonly nodes: readonly SimNode[],
    private readonly network: Network,
    private readonly partitions: Partitions,
    private readonly trace: TraceSink,
  ) {}

  start(from: number, to: number, port: string, bytes: number, body: unknown, onDone?: (ok: boolean) => void): TransferHandle {
    this.stats.started++;
    const link = this.network.linkBetween(from, to);
    const flow: Flow = {
      from, to, port, bytes, body, onDone, link,
      fromIncarnation: this.nodes[from]!.incarnation,
      remaining: bytes,
      sends: bytes,
      aborted: false,
      done: false,
      doomed: false,
      started: this.sim.now,
    };
    if (!this.network.canReach(from, to)) {
      this.fail(flow);
      return flow;
    }
    if (from === to || bytes <= 0) {
      this.arriving.add(flow);
      this.sim.after(from === to ? 0 : link.delay(), this.arrive, flow);
      return flow;
    }
    const abortsAt = link.transferAbortsAt();
    if (abortsAt >= 0) {
      flow.doomed = true;
      flow.remaining = flow.sends = Math.max(1, bytes * abortsAt);
    }
    const share = this.shareOf(link);
    this.advance(share);
    share.flows.push(flow);
    this.plan(share);
    return flow;
  }

  /** Bytes of the transfer that have left the sender by now (all of them once it drained; computed, nothing is advanced). */
  progress(handle: TransferHandle): number {
    const flow = handle as Flow;
    const share = this.shares.get(flow.link);
    if (flow.aborted || !share || !share.flows.includes(flow)) return flow.aborted ? 0 : flow.bytes;
    const n = share.flows.length;
    const moved = (share.link.bandwidthBytesPerS / n) * ((this.sim.now - share.lastUpdate) / 1_000_000);
    return Math.max(0, Math.min(flow.sends, flow.sends - flow.remaining + moved));
  }

  /** The sender `from` closes a transfer it started: it leaves its link (the others speed up), nothing arrives, no callback runs. */
  cancel(from: number, handle: TransferHandle): void {
    const flow = handle as Flow;
    if (flow.from !== from || flow.aborted || flow.done) return;
    flow.aborted = true;
    this.stats.aborted++;
    flow.onDone = undefined;
    if (this.arriving.delete(flow)) return;
    const share = this.shares.get(flow.link);
    if (!share || !share.flows.includes(flow)) return;
    this.advance(share);
    share.flows = share.flows.filter((f) => f !== flow);
    this.plan(share);
  }

  /** Breaks every flow that starts or ends at `node` (it crashed or lost its disk). */
  abortInvolving(node: number): void {
    this.abortWhere((f) => f.from === node || f.to === node);
  }

  /** Breaks every flow that a partition now separates. */
  abortPartitioned(): void {
    this.abortWhere((f) => this.partitions.separates(f.from, f.to));
  }

  /**
   * Changes a link's properties: flows are first advanced to now at the old
   * bandwidth, then re-planned at the new one.
   */
  changeLink(link: Link, change: () => void): void {
    const share = this.shares.get(link);
    if (share) this.advance(share);
    change();
    if (share) this.plan(share);
  }

  /**
   * Time `link` has carried at least one flow so far: a processor-sharing
   * link runs at its full bandwidth whenever it carries anything, so this
   * over the elapsed time is its utilisation.
   */
  busyTime(link: Link): number {
    const share = this.shares.get(link);
    if (!share) return 0;
    return share.busy + (share.flows.length > 0 ? this.sim.now - share.lastUpdate : 0);
  }

  /** Number of flows sharing `link` right now. */
  activeOn(link: Link): number {
    return this.shares.get(link)?.flows.length ?? 0;
  }

  private shareOf(link: Link): LinkShare {
    let share = this.shares.get(link);
    if (!share) {
      share = new LinkShare(link);
      share.lastUpdate = this.sim.now;
      this.shares.set(link, share);
    }
    return share;
  }

  /** Moves every flow on the link forward to now at the fair-share rate. */
  private advance(share: LinkShare): void {
    const now = this.sim.now;
    const n = share.flows.length;
    if (n > 0 && now > share.lastUpdate) {
      share.busy += now - share.lastUpdate;
      const perFlow = (share.link.bandwidthBytesPerS / n) * ((now - share.lastUpdate) / 1_000_000);
      for (const f of share.flows) f.remaining -= perFlow;
    }
    share.lastUpdate = now;
  }

  /** Schedules the moment the fullest-drained flow finishes at the current fair share. */
  private plan(share: LinkShare): void {
    if (share.next !== -1) this.sim.cancel(share.next);
    share.next = -1;
    const n = share.flows.length;
    if (n === 0) return;
    let least = Infinity;
    for (const f of share.flows) if (f.remaining < least) least = f.remaining;
    const perFlowBytesPerS = share.link.bandwidthBytesPerS / n;
    if (perFlowBytesPerS <= 0) return; // link throttled to zero: flows wait for a replan
    const wait = Math.max(0, Math.ceil((least * 1_000_000) / perFlowBytesPerS));
    share.next = this.sim.after(wait, this.drain, share);
  }

  private readonly drain = (share: LinkShare): void => {
    share.next = -1;
    this.advance(share);
    const still: Flow[] = [];
    for (const f of share.flows) {
      if (f.remaining <= 0.5 && f.doomed) this.fail(f);
      else if (f.remaining <= 0.5) {
        this.arriving.add(f);
        this.sim.after(f.link.delay(), this.arrive, f);
      } else still.push(f);
    }
    share.flows = still;
    this.plan(share);
  };

  private readonly arrive = (flow: Flow): void => {
    if (!this.arriving.delete(flow) || flow.aborted) return;
    if (!this.network.canReach(flow.from, flow.to)) return this.fail(flow);
    this.stats.completed++;
    flow.done = true;
    this.stats.bytesDelivered += flow.bytes;
    this.stats.completedMicros += this.sim.now - flow.started;
    if (this.nodes[flow.from]!.spec.cloud !== this.nodes[flow.to]!.spec.cloud) this.stats.crossCloud++;
    if (this.trace.flows) this.trace.flows.transferred(flow.from, flow.to, flow.port, flow.bytes, flow.started, true);
    if (this.trace.tracer) this.trace.tracer('transfer', flow.to, `${flow.port} ${flow.bytes}B from ${this.nodes[flow.from]!.name}`);
    this.nodes[flow.to]!.host.receive(flow.port, flow.from, flow.body);
    this.notify(flow, true);
  };

  private abortWhere(pred: (f: Flow) => boolean): void {
    for (const share of this.shares.values()) {
      if (!share.flows.some(pred)) continue;
      this.advance(share);
      const broken = share.flows.filter(pred);
      share.flows = share.flows.filter((f) => !pred(f));
      this.plan(share);
      for (const f of broken) this.fail(f);
    }
    for (const f of [...this.arriving]) {
      if (pred(f)) {
        this.arriving.delete(f);
        this.fail(f);
      }
    }
  }

  private fail(flow: Flow): void {
    flow.aborted = true;
    this.stats.aborted++;
    if (this.trace.flows) this.trace.flows.transferred(flow.from, flow.to, flow.port, flow.bytes, flow.started, false);
    // The sender learns of the broken stream asynchronously, as from a reset connection.
    this.sim.after(0, this.notifyFailure, flow);
  }

  private readonly notifyFailure = (flow: Flow): void => this.notify(flow, false);

  private notify(flow: Flow, ok: boolean): void {
    const sender = this.nodes[flow.from]!;
    if (!flow.onDone || !sender.up || sender.incarnation !== flow.fromIncarnation) return;
    flow.onDone(ok);
  }
}
