import type { SimTime } from '../kernel/index.js';
import type { NetworkStats } from './network.js';
import type { StoredObject } from './runtime.js';
import type { NodeEvent, NodeService } from './node.js';
import type { NodeSpec } from './spec.js';
import type { TransferStats } from './transfers.js';

/** What a node is, as an observer may see it: its place and its state now, never its verbs. */
export interface NodeView {
  readonly index: number;
  readonly name: string;
  readonly spec: Readonly<NodeSpec>;
  /** Powered on (a crash sets it false until the restart). */
  readonly up: boolean;
  /** Frozen by a pause: up, but running nothing. */
  readonly paused: boolean;
  /** Standby (not yet in the cluster), active, or retired (left for good). */
  readonly service: NodeService;
}

/** Told when a node crashes or restarts, joins the cluster or leaves it. */
export type NodeStateWatcher = (node: NodeView, event: NodeEvent) => void;

/**
 * The world as metrics and checkers see it: what is physically true now
 * (who is up, who holds which intact object, who can reach whom, how busy
 * the disks were), read-only. It has no fault verbs and no way to run
 * software, so an observer can judge the systems but never change the run.
 */
export interface GroundTruth {
  /** Simulated time now. */
  readonly now: SimTime;
  readonly nodes: readonly NodeView[];
  readonly clouds: readonly string[];
  nodeName(node: number): string;

  /** Nodes whose disks physically hold `key`, intact or not, up or not. */
  holders(key: string): readonly number[];
  /** The object as it is on `node`'s data disk, if there. */
  objectOn(node: number, key: string): StoredObject | undefined;
  /** Whether `node`'s data disk holds `key` with the checksum it was written with. */
  intactOn(node: number, key: string): boolean;
  /** Whether a fault (a failed disk, corruption) destroyed `key` on `node` since it was last stored there. */
  destroyedByFault(node: number, key: string): boolean;

  /** Whether a message from `from` could reach `to` now: both up, and no partition separates them that way. */
  canReach(from: number, to: number): boolean;

  /** Microseconds the node's data disk has spent serving operations so far. */
  diskBusyTime(node: number): SimTime;
  /** Time the directed link from region `from` to region `to` (indexes in the topology's region order) carried at least one bulk transfer. */
  linkBusyTime(from: number, to: number): SimTime;
  /** Bytes on the node's data disk, and its capacity; `diskFailed` when it died. */
  diskUsedBytes(node: number): number;
  diskCapacity(node: number): number;
  diskFailed(node: number): boolean;

  readonly networkStats: Readonly<NetworkStats>;
  readonly transferStats: Readonly<TransferStats>;

  /** Calls `watcher` at every crash, restart, join and leave from now on. */
  onNodeState(watcher: NodeStateWatcher): void;
  /** Calls `watcher` after each change of an object on a node's data disk (stored or overwritten, removed, corrupted). */
  onObjectChange(watcher: (node: number, key: string) => void): void;
  /** Keys on a node's data disk starting with `prefix`, in the order written. */
  keysOn(node: number, prefix: string): readonly string[];
}

/** The parts of the world a `WorldTruth` reads; `World` provides them. */
interface TruthSource {
  readonly sim: { readonly now: SimTime };
  readonly nodes: ReadonlyArray<NodeView & { readonly disk: { busyTime: SimTime; failed: boolean; usedBytes(): number; spec: { capacityBytes: number } } }>;
  readonly clouds: readonly string[];
  readonly network: { readonly stats: NetworkStats; canReach(from: number, to: number): boolean };
  readonly transfers: { readonly stats: TransferStats };
  linkBusyTime(from: number, to: number): SimTime;
  holders(key: string): readonly number[];
  objectOn(node: number, key: string): StoredObject | undefined;
  intactOn(node: number, key: string): boolean;
  destroyedByFault(node: number, key: string): boolean;
  onNodeState(listener: NodeStateWatcher): void;
  onObjectChange(watcher: (node: number, key: string) => void): void;
  keysOn(node: number, prefix: string): string[];
}

/** The read-only view of one world (`World.truth`). */
export class WorldTruth implements GroundTruth {
  constructor(private readonly world: TruthSource) {}

  get now(): SimTime {
    return this.world.sim.now;
  }

  get nodes(): readonly NodeView[] {
    return this.world.nodes;
  }

  get clouds(): readonly string[] {
    return this.world.clouds;
  }

  nodeName(node: number): string {
    return this.world.nodes[node]!.name;
  }

  holders(key: string): readonly number[] {
    return this.world.holders(key);
  }

  objectOn(node: number, key: string): StoredObject | undefined {
    return this.world.objectOn(node, key);
  }

  intactOn(node: number, key: string): boolean {
    return this.world.intactOn(node, key);
  }

  destroyedByFault(node: number, key: string): boolean {
    return this.world.destroyedByFault(node, key);
  }

  canReach(from: number, to: number): boolean {
    return this.world.network.canReach(from, to);
  }

  linkBusyTime(from: number, to: number): SimTime {
    return this.world.linkBusyTime(from, to);
  }

  diskBusyTime(node: number): SimTime {
    return this.world.nodes[node]!.disk.busyTime;
  }

  diskUsedBytes(node: number): number {
    return this.world.nodes[node]!.disk.usedBytes();
  }

  diskCapacity(node: number): number {
    return this.world.nodes[node]!.disk.spec.capacityBytes;
  }

  diskFailed(node: number): boolean {
    return this.world.nodes[node]!.disk.failed;
  }

  get networkStats(): Readonly<NetworkStats> {
    return this.world.network.stats;
  }

  get transferStats(): Readonly<TransferStats> {
    return this.world.transfers.stats;
  }

  onNodeState(watcher: NodeStateWatcher): void {
    this.world.onNodeState(watcher);
  }

  onObjectChange(watcher: (node: number, key: string) => void): void {
    this.world.onObjectChange(watcher);
  }

  keysOn(node: number, prefix: string): readonly string[] {
    return this.world.keysOn(node, prefix);
  }
}
