import type { Simulator } from '../kernel/index.js';
import type { Link } from './link.js';
import type { Partitions } from './partitions.js';
import type { SimNode } from './node.js';
import type { TraceSink } from './trace.js';

/** Why a message did not arrive. */
export type DropCause = 'node_down' | 'partition' | 'loss';

export interface NetworkStats {
  sent: number;
  delivered: number;
  /** Extra copies made by duplication faults. */
  duplicated: number;
  dropped: Record<DropCause, number>;
}

/**
 * Small messages between nodes. Each message takes its link's one-way latency
 * and may be lost by the link's loss probability (never on the way to itself).
 * A message is dropped when either end is down or a partition separates them,
 * checked at sending and again at arrival: one in flight when a partition
 * starts is lost if the partition still stands when it would arrive.
 *
 * Messages in flight live in a slot pool of parallel arrays, so sending
 * allocates nothing beyond the caller's body.
 */
export class Network {
  readonly stats: NetworkStats = { sent: 0, delivered: 0, duplicated: 0, dropped: { node_down: 0, partition: 0, loss: 0 } };
  private fromOf = new Int32Array(1024);
  private toOf = new Int32Array(1024);
  private portOf: string[] = [];
  private bodyOf: unknown[] = [];
  private free: number[] = [];
  private slots = 0;
  private readonly regionCount: number;
  private readonly regionOf: Int32Array;

  constructor(
    private readonly sim: Simulator,
    private readonly nodes: readonly SimNode[],
    private readonly links: readonly Link[],
    regionCount: number,
    private readonly partitions: Partitions,
    private readonly trace: TraceSink,
  ) {
    this.regionCount = regionCount;
    this.regionOf = Int32Array.from(nodes, (n) => n.region);
  }

  /** The directed link that carries traffic from node `from` to node `to`. */
  linkBetween(from: number, to: number): Link {
    return this.links[this.regionOf[from]! * this.regionCount + this.regionOf[to]!]!;
  }

  /** The one reachability rule: both ends up, and no partition separates them in this direction. */
  canReach(from: number, to: number): boolean {
    return this.nodes[from]!.reachable && this.nodes[to]!.reachable && !this.partitions.separates(from, to);
  }

  send(from: number, to: number, port: string, body: unknown): void {
    this.stats.sent++;
    if (!this.nodes[from]!.reachable || !this.nodes[to]!.reachable) return void this.stats.dropped.node_down++;
    if (this.partitions.separates(from, to)) return void this.stats.dropped.partition++;
    if (from === to) return this.schedule(from, to, port, body, 0);
    const link = this.linkBetween(from, to);
    if (link.plain) {
      if (link.loss > 0 && link.rng.float() < link.loss) return void this.stats.dropped.loss++;
      return this.schedule(from, to, port, body, link.delay());
    }
    if (link.drops()) return void this.stats.dropped.loss++;
    let delay = link.delay();
    if (link.reorder > 0 && link.rng.float() < link.reorder) delay += link.reorderDelay;
    this.schedule(from, to, port, body, delay);
    if (link.duplicate > 0 && link.rng.float() < link.duplicate) {
      this.stats.duplicated++;
      this.schedule(from, to, port, body, link.delay());
    }
  }

  private schedule(from: number, to: number, port: string, body: unknown, delay: number): void {
    const slot = this.allocSlot();
    this.fromOf[slot] = from;
    this.toOf[slot] = to;
    this.portOf[slot] = port;
    this.bodyOf[slot] = body;
    if (this.trace.flows) this.trace.flows.sent(slot, from, to, port);
    this.sim.after(delay, this.deliver, slot);
  }

  private readonly deliver = (slot: number): void => {
    const from = this.fromOf[slot]!;
    const to = this.toOf[slot]!;
    const port = this.portOf[slot]!;
    const body = this.bodyOf[slot];
    this.bodyOf[slot] = undefined;
    this.free.push(slot);
    const dest = this.nodes[to]!;
    // On arrival only the receiver must be up: a message outlives its sender's crash.
    const cause = !dest.reachable ? 'node_down' : this.partitions.separates(from, to) ? 'partition' : undefined;
    // Before the receiver runs: it may send, and reuse this slot.
    if (this.trace.flows) this.trace.flows.arrived(slot, cause === undefined);
    if (cause !== undefined) return void this.stats.dropped[cause]++;
    this.stats.delivered++;
    if (this.trace.tracer) this.trace.tracer('msg', to, `${port} from ${this.nodes[from]!.name}`);
    dest.host.receive(port, from, body);
  };

  private allocSlot(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const slot = this.slots++;
    if (slot === this.fromOf.length) {
      const f = new Int32Array(slot * 2); f.set(this.fromOf); this.fromOf = f;
      const t = new Int32Array(slot * 2); t.set(this.toOf); this.toOf = t;
    }
    return slot;
  }
}
