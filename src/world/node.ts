import type { RandomStreams, Rng, SimTime, Simulator } from '../kernel/index.js';
import type { Disk } from './disk.js';
import type { DiskRuntime, NodeRuntime, Port, StoredObject, TimerHandle, TimerSet, TransferHandle } from './runtime.js';
import { KeyedTimers, localDelayInSim } from './keyed-timers.js';
import type { NodeSpec } from './spec.js';
import type { TraceSink } from './trace.js';

/** Starts the software on a node: called at boot and again at every restart. */
export type Boot = (rt: NodeRuntime) => void;

/** The world services a host needs; supplied by `World`. */
export interface HostServices {
  readonly sim: Simulator;
  readonly streams: RandomStreams;
  send(from: number, to: number, port: string, body: unknown): void;
  transfer(from: number, to: number, port: string, bytes: number, body: unknown, onDone?: (ok: boolean) => void): TransferHandle;
  cancelTransfer(from: number, transfer: TransferHandle): void;
  transferProgress(transfer: TransferHandle): number;
  /** The node has handed everything off and leaves the cluster for good (`NodeRuntime.leave`). */
  leave(node: number): void;
  readonly trace: TraceSink;
}

/** A change of a node's power state (`crash`, `restart`) or of its place in the cluster (`join`, `leave`). */
export type NodeEvent = 'crash' | 'restart' | 'join' | 'leave';

/** A machine's life in the cluster (see `SimNode.service`). */
export type NodeService = 'standby' | 'active' | 'retired';

/** One simulated machine: its place in the topology, power state and disks. */
export class SimNode {
  up: boolean;
  /**
   * Where the machine is in its life: `standby` (racked but off, in no one's
   * configuration), `active` (in service: up or down), `retired` (it left the
   * cluster for good, wiped). Crashes and restarts happen within `active`.
   */
  service: NodeService;
  /** Bumped at every crash, so callbacks of a previous life are recognised and dropped. */
  incarnation = 0;
  /** Frozen (a long GC pause): timers and arrivals wait in `held` until it resumes. */
  paused = false;
  /** Work that fell due while paused, in the order it fell due. */
  held: Array<() => void> = [];
  /**
   * The node's clocks. Drift accrues at `driftPpm` since `driftSince`.
   * Wall clock = simulated time + offset + drift: it jumps when skew starts and
   * snaps back when it ends (an NTP step). Monotonic clock = simulated time +
   * `monoBase` + drift: never jumps, only runs fast or slow.
   */
  clock = { offset: 0, driftPpm: 0, driftSince: 0, monoBase: 0 };

  /** Drift accrued under the current clock settings at simulated time `t`. */
  drift(t: SimTime): number {
    const c = this.clock;
    return c.driftPpm === 0 ? 0 : Math.round(((t - c.driftSince) * c.driftPpm) / 1e6);
  }
  /** Software runs this many times slower (a brownout): its timers stretch. */
  cpuSlowdown = 1;
  readonly host: NodeHost;

  constructor(
    readonly index: number,
    readonly spec: NodeSpec,
    /** Region index in the world. */
    readonly region: number,
    readonly disk: Disk,
    services: HostServices,
    /** A dedicated log device, if the node has one. */
    readonly logDisk?: Disk,
  ) {
    this.service = spec.standby ? 'standby' : 'active';
    this.up = this.service === 'active';
    this.host = new NodeHost(this, services);
  }

  get name(): string {
    return this.spec.name;
  }

  /** Whether the network can reach this node. */
  get reachable(): boolean {
    return this.up;
  }
}

interface PendingTimer {
  host: NodeHost;
  incarnation: number;
  fn: () => void;
  /** The handle `setTimer` returned (-1: a device completion, never cancelled). */
  id: TimerHandle;
}

const fireTimer = (t: PendingTimer): void => {
  const node = t.host.node;
  if (!node.up || node.incarnation !== t.incarnation) return;
  if (node.paused) {
    // Fell due while frozen: it waits for the resume, and can still be cancelled until it runs.
    if (t.id >= 0) t.host.heldTimers.set(t.id, t);
    return void node.held.push(() => {
      if (t.id < 0 || t.host.heldTimers.delete(t.id)) fireTimer(t);
    });
  }
  const trace = t.host.traceSink;
  if (trace.tracer) trace.tracer('timer', t.host.node.index, '');
  t.fn();
};

/**
 * The runtime a node's software sees. Every callback it hands out is bound to
 * the node's current incarnation: after a crash, old callbacks do nothing.
 */
export class NodeHost implements NodeRuntime {
  private handlers = new Map<string, (from: number, body: unknown) => void>();
  readonly disk: DiskRuntime;
  readonly logDisk: DiskRuntime;
  /**
   * Timers that fell due while the node was paused and wait in `held`, by
   * handle. For the node no time passed, so one it cancels at resume (say,
   * while handling a message that arrived before the timer fell due) must not
   * run: `cancelTimer` takes it out of here.
   */
  readonly heldTimers = new Map<TimerHandle, PendingTimer>();

  constructor(readonly node: SimNode, private readonly services: HostServices) {
    this.disk = new HostDisk(this, node.disk);
    this.logDisk = node.logDisk ? new HostDisk(this, node.logDisk) : this.disk;
  }

  get self(): number {
    return this.node.index;
  }

  get traceSink(): TraceSink {
    return this.services.trace;
  }

  get name(): string {
    return this.node.spec.name;
  }

  now(): SimTime {
    const now = this.services.sim.now;
    return now + this.node.clock.offset + this.node.drift(now);
  }

  monotonic(): SimTime {
    const now = this.services.sim.now;
    return now + this.node.clock.monoBase + this.node.drift(now);
  }

  send<T>(to: number, port: Port<T>, body: T): void {
    this.services.send(this.node.index, to, port.name, body);
  }

  listen<T>(port: Port<T>, handler: (from: number, body: T) => void): void {
    this.handlers.set(port.name, handler as (from: number, body: unknown) => void);
  }

  transfer<T>(to: number, port: Port<T>, bytes: number, body: T, onDone?: (ok: boolean) => void): TransferHandle {
    return this.services.transfer(this.node.index, to, port.name, bytes, body, onDone);
  }

  cancelTransfer(transfer: TransferHandle): void {
    this.services.cancelTransfer(this.node.index, transfer);
  }

  transferProgress(transfer: TransferHandle): number {
    return this.services.transferProgress(transfer);
  }

  leave(): void {
    this.services.leave(this.node.index);
  }

  /** A timer on the local clock: a drifting clock and a slowed CPU stretch it in simulated time. */
  setTimer(delay: SimTime, fn: () => void): TimerHandle {
    const t: PendingTimer = { host: this, incarnation: this.node.incarnation, fn, id: -1 };
    return (t.id = this.services.sim.after(localDelayInSim(this.node, delay), fireTimer, t));
  }

  timerSet(fire: (key: number, data: number) => void): TimerSet {
    return new KeyedTimers(this.services.sim, this.node, this.services.trace, fire);
  }

  cancelTimer(timer: TimerHandle): void {
    if (!this.services.sim.cancel(timer) && this.heldTimers.size > 0) this.heldTimers.delete(timer);
  }

  rng(purpose: string): Rng {
    return this.services.streams.get(`node/${this.node.spec.name}/${purpose}`);
  }

  simNow(): SimTime {
    return this.services.sim.now;
  }

  /** Runs `fn` at simulated instant `at` (a device completion: no clock or CPU stretch) if this life is still going then. */
  atSimTime(at: SimTime, fn: () => void): void {
    this.services.sim.at(Math.max(at, this.services.sim.now), fireTimer, { host: this, incarnation: this.node.incarnation, fn, id: -1 });
  }


  /** Delivers an arriving message or transfer to its port's handler (dropped if none listens). */
  receive(port: string, from: number, body: unknown): void {
    if (this.node.paused) return void this.node.held.push(() => this.receive(port, from, body));
    const handler = this.handlers.get(port);
    if (handler) handler(from, body);
  }

  /** Forgets all volatile state: the node crashed. */
  reset(): void {
    this.handlers = new Map();
    this.node.held = [];
    this.heldTimers.clear();
  }
}

/** Disk operations as seen from the node: queued on the device, completed by callback. */
class HostDisk implements DiskRuntime {
  constructor(private readonly host: NodeHost, private readonly disk: Disk) {}

  write(key: string, bytes: number, checksum: number, done: (ok: boolean) => void, data?: unknown): void {
    const content = data;
    const disk = this.disk;
    if (disk.failed || !disk.hasRoomFor(key, bytes)) return void this.host.setTimer(disk.spec.opLatency, () => done(false));
    const at = disk.schedule(bytes, disk.spec.writeBytesPerS);
    // The data reaches the platter only if the node is still alive when the write completes.
    this.host.atSimTime(at, () => {
      if (disk.failed || !disk.hasRoomFor(key, bytes)) return done(false);
      disk.put(key, content === undefined ? { bytes, checksum, actualChecksum: checksum } : { bytes, checksum, actualChecksum: checksum, data: content });
      done(true);
    });
  }

  append(key: string, bytes: number, done: (ok: boolean) => void, data?: unknown): void {
    const disk = this.disk;
    const size = (): number => disk.sizeOf(key) + bytes;
    if (disk.failed || !disk.hasRoomFor(key, size())) return void this.host.setTimer(disk.spec.opLatency, () => done(false));
    const at = disk.schedule(bytes, disk.spec.writeBytesPerS);
    this.host.atSimTime(at, () => {
      const total = size();
      if (disk.failed || !disk.hasRoomFor(key, total)) return done(false);
      disk.put(key, data === undefined ? { bytes: total, checksum: 0, actualChecksum: 0 } : { bytes: total, checksum: 0, actualChecksum: 0, data });
      done(true);
    });
  }

  sync(done: () => void): void {
    const disk = this.disk;
    if (disk.spec.syncInterval <= 0) return this.host.atSimTime(this.host.simNow(), done);
    const at = disk.schedule(0, disk.spec.writeBytesPerS);
    this.host.atSimTime(at, () => {
      disk.markSynced();
      done();
    });
  }

  read(key: string, done: (obj: StoredObject | null) => void, bytes?: number): void {
    const disk = this.disk;
    const obj = disk.get(key);
    const version = disk.version(key);
    const size = obj === undefined ? 0 : bytes === undefined ? obj.bytes : Math.min(bytes, obj.bytes);
    const at = disk.schedule(size, disk.spec.readBytesPerS);
    // A read returns what was there when it was issued (and is still there, not stored again or corrupted since): it was charged for that size.
    this.host.atSimTime(at, () => done(obj !== undefined && disk.version(key) === version ? obj : null));
  }

  remove(key: string): void {
    this.disk.remove(key);
  }

  has(key: string): boolean {
    return this.disk.version(key) !== -1;
  }

  list(prefix: string): string[] {
    return this.disk.keys(prefix);
  }

  usedBytes(): number {
    return this.disk.usedBytes();
  }

  capacityBytes(): number {
    return this.disk.spec.capacityBytes;
  }
}

