import type { RandomStreams, SimTime, Simulator } from '../kernel/index.js';
import { Disk, type DiskObserver, type DiskSlowdown } from './disk.js';
import { WorldTruth, type GroundTruth } from './ground-truth.js';
import { Link, type LinkEffect } from './link.js';
import { Network } from './network.js';
import { SimNode, type Boot, type HostServices, type NodeEvent } from './node.js';
import { Partitions } from './partitions.js';
import type { StoredObject } from './runtime.js';
import type { RegionSpec, TopologySpec } from './spec.js';
import { Transfers } from './transfers.js';
import type { TimelineTap, TraceSink, Tracer } from './trace.js';

/**
 * What a reversible fault verb returns: calling it undoes that one
 * application of the verb (lifts its hold, removes its effect), leaving any
 * other fault's in force. It acts once; calling it again does nothing.
 */
export type Undo = () => void;

/** Wraps an undo so that it acts once. */
function once(undo: () => void): Undo {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    undo();
  };
}

/** Told when a node changes power state, for metrics and checkers. */
export type NodeStateListener = (node: SimNode, event: NodeEvent) => void;

/**
 * The simulated infrastructure: nodes in regions in clouds, the links between
 * regions, the disks, and the verbs that faults use to break them (crash,
 * pause, partition, link effects, ...; each reversible one returns its Undo).
 * It also keeps the ground truth of
 * where every stored object physically is.
 */
export class World implements DiskObserver {
  readonly nodes: SimNode[];
  readonly regions: readonly RegionSpec[];
  readonly clouds: readonly string[];
  readonly links: Link[];
  readonly network: Network;
  readonly transfers: Transfers;
  readonly partitions: Partitions;
  private readonly boots: Array<{ boot: Boot; on: (node: SimNode) => boolean }> = [];
  private readonly nodeListeners: NodeStateListener[] = [];
  /** Told after every change of an object on a data disk (stored, removed, corrupted). */
  private readonly objectWatchers: Array<(node: number, key: string) => void> = [];
  private readonly locations = new Map<string, number[]>();
  private nextFaultId = 1;
  private readonly traceSink: TraceSink = { tracer: undefined, flows: undefined };
  /** Objects destroyed by faults, as "node|key". */
  private readonly destroyed = new Set<string>();
  /** Crashes and pauses not yet undone, per node. */
  private readonly downHolds: Int32Array;
  private readonly pauseHolds: Int32Array;
  /** The read-only view metrics and checkers get: ground truth without fault verbs. */
  readonly truth: GroundTruth = new WorldTruth(this);

  constructor(readonly sim: Simulator, readonly streams: RandomStreams, readonly spec: TopologySpec) {
    this.clouds = spec.clouds;
    this.regions = spec.regions;
    const regionIndex = new Map(spec.regions.map((r, i) => [r.name, i]));
    this.links = [];
    for (const from of spec.regions) {
      for (const to of spec.regions) {
        const label = `${from.name}->${to.name}`;
        this.links.push(new Link(regionIndex.get(from.name)!, regionIndex.get(to.name)!, label, spec.link(from, to), streams.get(`net/${label}`), () => streams.get(`net/${label}/transfer-failure`)));
      }
    }
    const services: HostServices = {
      sim,
      streams,
      send: (from, to, port, body) => this.network.send(from, to, port, body),
      transfer: (from, to, port, bytes, body, onDone) => this.transfers.start(from, to, port, bytes, body, onDone),
      cancelTransfer: (from, transfer) => this.transfers.cancel(from, transfer),
      transferProgress: (transfer) => this.transfers.progress(transfer),
      leave: (node) => this.retire(node),
      trace: this.traceSink,
    };
    // A log device holds no data the ground truth tracks (replicas), so nothing observes it.
    const unobserved: DiskObserver = { stored: () => {}, removed: () => {} };
    this.nodes = spec.nodes.map((n, i) => new SimNode(i, n, regionIndex.get(n.region)!, new Disk(i, n.disk, sim, this), services, n.logDisk && new Disk(i, n.logDisk, sim, unobserved)));
    this.downHolds = new Int32Array(this.nodes.length);
    this.pauseHolds = new Int32Array(this.nodes.length);
    this.partitions = new Partitions(this.nodes.length);
    this.network = new Network(sim, this.nodes, this.links, spec.regions.length, this.partitions, this.traceSink);
    this.transfers = new Transfers(sim, this.nodes, this.network, this.partitions, this.traceSink);
  }

  /** Records every world event through `tracer` from now on (undefined: stop). */
  setTracer(tracer: Tracer | undefined): void {
    this.traceSink.tracer = tracer;
  }

  /** Reports every message, bulk transfer and milestone to `tap` from now on (undefined: stop). */
  setTimelineTap(tap: TimelineTap | undefined): void {
    this.traceSink.flows = tap;
  }

  /** Records one event through the tracer, if any (for faults and systems' milestones). */
  trace(kind: string, node: number, detail: string): void {
    this.traceSink.tracer?.(kind, node, detail);
    this.traceSink.flows?.event(kind, node, detail);
  }

  // --- software ------------------------------------------------------------

  /** Installs software started on every node matching `on` (default: all), at boot and after each restart. */
  install(boot: Boot, on: (node: SimNode) => boolean = () => true): void {
    this.boots.push({ boot, on });
  }

  /** Boots every node. Call once, after installing software. */
  start(): void {
    for (const node of this.nodes) if (node.up) this.boot(node);
  }

  private boot(node: SimNode): void {
    for (const { boot, on } of this.boots) if (on(node)) boot(node.host);
  }

  onNodeState(listener: NodeStateListener): void {
    this.nodeListeners.push(listener);
  }

  /** Calls `watcher` after each change of an object on a node's data disk: stored (or overwritten), removed, corrupted. */
  onObjectChange(watcher: (node: number, key: string) => void): void {
    this.objectWatchers.push(watcher);
  }

  // --- lookup --------------------------------------------------------------

  nodeIndex(name: string): number | undefined {
    const i = this.nodes.findIndex((n) => n.name === name);
    return i >= 0 ? i : undefined;
  }

  /** Node indexes named by a node, rack, region or cloud name. */
  resolveMembers(name: string): number[] {
    return this.nodes.filter((n) => n.name === name || n.spec.region === name || n.spec.cloud === name || n.spec.rack === name).map((n) => n.index);
  }

  // --- fault verbs ---------------------------------------------------------

  /**
   * Power loss: volatile state and in-flight work are gone; the disk stays.
   * Crashes stack: a node crashed by two overlapping faults comes back only
   * when both have restarted it. The undo restarts it (lifts this crash's hold).
   */
  crash(node: number, opts: { loseUnsyncedWrites?: boolean } = {}): Undo {
    const n = this.nodes[node]!;
    this.downHolds[node]!++;
    const undo = once(() => this.restart(node));
    if (!n.up) return undo;
    n.up = false;
    n.paused = false;
    this.pauseHolds[node] = 0;
    for (const disk of n.logDisk ? [n.disk, n.logDisk] : [n.disk]) {
      if (opts.loseUnsyncedWrites) for (const key of disk.loseUnsynced()) this.trace('unsynced_lost', node, key);
      disk.interrupt();
    }
    n.incarnation++;
    n.host.reset();
    this.trace('crash', node, '');
    this.transfers.abortInvolving(node);
    for (const l of this.nodeListeners) l(n, 'crash');
    return undo;
  }

  /**
   * Lifts one crash hold; power back on once every crash holding the node down
   * is lifted: it boots its software again from its disk. (`crash`'s undo.)
   */
  restart(node: number): void {
    const n = this.nodes[node]!;
    if (this.downHolds[node]! > 0) this.downHolds[node]!--;
    if (n.up || this.downHolds[node]! > 0 || n.service !== 'active') return;
    n.up = true;
    this.trace('restart', node, '');
    for (const l of this.nodeListeners) l(n, 'restart');
    this.boot(n);
  }

  /**
   * A standby machine joins: it powers on with an empty disk and boots its
   * software, which must make itself known (nothing tells the other nodes).
   * A crash fault already holding it down keeps it down until lifted.
   */
  join(node: number): void {
    const n = this.nodes[node]!;
    if (n.service !== 'standby') throw new Error(`${n.name} is not a standby node`);
    n.service = 'active';
    this.trace('join', node, '');
    for (const l of this.nodeListeners) l(n, 'join');
    if (this.downHolds[node]! > 0) return;
    n.up = true;
    this.boot(n);
  }

  /**
   * A node leaves the cluster for good (its software asks, at the end of a
   * drain or a decommission): it powers off, its disks are wiped, and no
   * restart brings it back. Unlike a crash this is no failure.
   */
  retire(node: number): void {
    const n = this.nodes[node]!;
    if (n.service !== 'active') return;
    n.service = 'retired';
    if (n.up) {
      n.up = false;
      n.paused = false;
      this.pauseHolds[node] = 0;
      for (const disk of n.logDisk ? [n.disk, n.logDisk] : [n.disk]) disk.interrupt();
      n.incarnation++;
      n.host.reset();
      this.transfers.abortInvolving(node);
    }
    // Observers see what it held as it leaves; then the machine is wiped.
    for (const l of this.nodeListeners) l(n, 'leave');
    for (const key of n.disk.keys('')) this.destroyed.add(`${node}|${key}`);
    n.disk.fail();
    this.trace('leave', node, '');
  }

  /**
   * An operator's command to a node's software (drain, decommission): a
   * message on `port` from the node itself, delivered now if it is up.
   * Returns whether it was delivered.
   */
  command(node: number, port: string, body: unknown): boolean {
    const n = this.nodes[node]!;
    if (!n.up || n.service !== 'active') return false;
    n.host.receive(port, node, body);
    return true;
  }

  /**
   * Freezes a node (a long GC pause): it runs nothing; timers that fall due
   * and messages that arrive wait, and run in order at `resume`, as if no time
   * had passed for it. The network still accepts its traffic. Pauses stack
   * like crashes; the undo resumes the node (lifts this pause's hold).
   */
  pause(node: number): Undo {
    this.pauseHolds[node]!++;
    this.nodes[node]!.paused = true;
    this.trace('pause', node, '');
    return once(() => this.resume(node));
  }

  /** Lifts one pause hold; unfreezes the node once every pause holding it is over. (`pause`'s undo.) */
  resume(node: number): void {
    const n = this.nodes[node]!;
    if (this.pauseHolds[node]! > 0) this.pauseHolds[node]!--;
    if (!n.paused || this.pauseHolds[node]! > 0) return;
    n.paused = false;
    this.trace('resume', node, '');
    const held = n.held;
    n.held = [];
    for (const run of held) run();
  }

  /**
   * Skews a node's clocks from now: its wall clock jumps by `offset` and both
   * clocks drift by `driftPpm`. The returned undo steps the wall clock back to
   * the previous setting; the monotonic clock keeps the drift it accrued.
   */
  skewClock(node: number, offset: number, driftPpm: number): Undo {
    const n = this.nodes[node]!;
    const before = n.clock;
    const set = (o: number, d: number): void => {
      const now = this.sim.now;
      n.clock = { offset: o, driftPpm: d, driftSince: now, monoBase: n.clock.monoBase + n.drift(now) };
    };
    set(offset, driftPpm);
    return once(() => set(before.offset, before.driftPpm));
  }

  /** A brownout: the node's software runs `factor` times slower and its disk too, until undone. */
  brownout(node: number, factor: number): Undo {
    const n = this.nodes[node]!;
    n.cpuSlowdown *= factor;
    const restoreDisk = this.slowDisk(node, { bandwidthDivide: factor, latencyMultiply: factor });
    return once(() => {
      n.cpuSlowdown /= factor;
      restoreDisk();
    });
  }

  /** The node's disk reports full: writes fail until undone. */
  fillDisk(node: number): Undo {
    const disk = this.nodes[node]!.disk;
    disk.fullHolds++;
    return once(() => {
      disk.fullHolds--;
    });
  }

  /** A partition of arbitrary shape: `blocked(from, to)` for each directed pair of nodes; the undo heals it. */
  partitionWhere(blocked: (from: number, to: number) => boolean): Undo {
    const n = this.nodes.length;
    const matrix = new Uint8Array(n * n);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (a !== b && blocked(a, b)) matrix[a * n + b] = 1;
    const id = this.nextFaultId++;
    this.partitions.addMatrix(id, matrix);
    this.transfers.abortPartitioned();
    return this.healer(id);
  }

  /** The node's disk dies (the node may stay up): every object on it is gone, and writes fail from now on. */
  failDisk(node: number): void {
    for (const key of this.nodes[node]!.disk.keys('')) this.destroyed.add(`${node}|${key}`);
    this.nodes[node]!.disk.fail();
    this.trace('disk_fail', node, '');
  }

  /**
   * The machine is lost for good: it crashes and its data disk, with every
   * object on it, is gone. The undo puts a new machine with an empty disk in
   * its place, under its name: it boots once no other crash holds it down.
   */
  loseNode(node: number): Undo {
    const restart = this.crash(node);
    this.failDisk(node);
    return once(() => {
      this.replaceDisk(node);
      restart();
    });
  }

  /**
   * A new, empty data disk replaces the node's (failed or not): what was on
   * the old one is gone. A node that is up restarts its software on the new
   * disk, as after a swap; one that is down boots from it when it restarts.
   */
  replaceDisk(node: number): void {
    const n = this.nodes[node]!;
    if (!n.disk.failed) this.failDisk(node);
    n.disk.renew();
    this.trace('disk_replaced', node, '');
    if (n.up) this.crash(node)();
  }

  /** Slows a node's disk (slowdowns stack by multiplication); the undo removes this slowdown. */
  slowDisk(node: number, slowdown: DiskSlowdown): Undo {
    const id = this.nextFaultId++;
    const disk = this.nodes[node]!.disk;
    disk.addSlowdown(id, slowdown);
    return once(() => disk.removeSlowdown(id));
  }

  /**
   * Silently corrupts those of the given objects that are on a node's disk,
   * or (`log`) on its log device (its disk when it has none).
   */
  corrupt(node: number, keys: readonly string[], device: 'data' | 'log' = 'data'): void {
    const n = this.nodes[node]!;
    const disk = device === 'log' && n.logDisk ? n.logDisk : n.disk;
    // Only the data disk's objects are ground truth (replicas); a log device's are the software's business.
    for (const key of keys) {
      if (!disk.corrupt(key) || disk !== n.disk) continue;
      this.destroyed.add(`${node}|${key}`);
      for (const w of this.objectWatchers) w(node, key);
    }
  }

  /**
   * Whether a fault (a failed disk, corruption) destroyed `key` on `node`.
   * Checkers use it to tell a system's false claim from news overtaken by a fault.
   */
  destroyedByFault(node: number, key: string): boolean {
    return this.destroyed.has(`${node}|${key}`);
  }

  /** Splits the network into groups of node indexes (partitions stack); the undo heals this one. */
  partition(groups: number[][], oneWay = false): Undo {
    const id = this.nextFaultId++;
    this.partitions.add(id, groups, oneWay);
    this.transfers.abortPartitioned();
    return this.healer(id);
  }

  private healer(partitionId: number): Undo {
    return once(() => this.partitions.remove(partitionId));
  }

  /** Applies an effect to the given links (effects stack); the undo removes this one. */
  addLinkEffect(links: Link[], effect: LinkEffect): Undo {
    const id = this.nextFaultId++;
    for (const link of links) this.transfers.changeLink(link, () => link.addEffect(id, effect));
    return once(() => {
      for (const link of links) this.transfers.changeLink(link, () => link.removeEffect(id));
    });
  }

  /** Directed links from any region in `a` to any region in `b` (both ways when `bothWays`). */
  linksBetween(a: number[], b: number[], bothWays = true): Link[] {
    const regionsA = new Set(a.map((n) => this.nodes[n]!.region));
    const regionsB = new Set(b.map((n) => this.nodes[n]!.region));
    return this.links.filter((l) => (regionsA.has(l.from) && regionsB.has(l.to)) || (bothWays && regionsB.has(l.from) && regionsA.has(l.to)));
  }

  // --- ground truth --------------------------------------------------------

  stored(node: number, key: string): void {
    // A fresh copy supersedes the one a fault destroyed: claims about it are judged afresh.
    if (this.destroyed.size > 0) this.destroyed.delete(`${node}|${key}`);
    const where = this.locations.get(key);
    if (!where) this.locations.set(key, [node]);
    else if (!where.includes(node)) this.locations.set(key, exactly(where.length + 1, (i) => (i < where.length ? where[i]! : node)));
    for (const w of this.objectWatchers) w(node, key);
  }

  removed(node: number, key: string): void {
    const where = this.locations.get(key);
    if (!where) return;
    const at = where.indexOf(node);
    if (at >= 0) {
      if (where.length === 1) this.locations.delete(key);
      else this.locations.set(key, exactly(where.length - 1, (i) => where[i < at ? i : i + 1]!));
    }
    for (const w of this.objectWatchers) w(node, key);
  }

  /** Keys on a node's data disk starting with `prefix` (none when the disk failed). */
  keysOn(node: number, prefix: string): string[] {
    return this.nodes[node]!.disk.keys(prefix);
  }

  /** Nodes whose disks physically hold `key`, intact or not, up or not. */
  /** Time the directed link between two regions (by index) carried at least one bulk transfer. */
  linkBusyTime(from: number, to: number): SimTime {
    return this.transfers.busyTime(this.links[from * this.regions.length + to]!);
  }

  holders(key: string): readonly number[] {
    return this.locations.get(key) ?? [];
  }

  /** The object as it is on `node`'s disk, if there. */
  objectOn(node: number, key: string): StoredObject | undefined {
    return this.nodes[node]!.disk.get(key);
  }

  /** Whether `node`'s disk holds `key` with the checksum it was written with. */
  intactOn(node: number, key: string): boolean {
    const obj = this.nodes[node]!.disk.get(key);
    return obj !== undefined && obj.actualChecksum === obj.checksum;
  }
}

/**
 * An array of exactly `n` elements: ground truth keeps one per stored key,
 * and an array grown by push, spread or filter keeps room for 17 or more
 * (V8's growth), some 100 bytes a key for nothing.
 */
function exactly(n: number, at: (i: number) => number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = at(i);
  return out;
}
