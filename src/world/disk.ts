import type { Simulator, SimTime } from '../kernel/index.js';
import type { StoredObject } from './runtime.js';
import type { DiskSpec } from './spec.js';

/** A disk fault's effect while it lasts. */
export interface DiskSlowdown {
  /** Bandwidth is divided by this. */
  bandwidthDivide: number;
  /** Per-operation latency is multiplied by this. */
  latencyMultiply: number;
}

/** Told of every object that appears on or disappears from a disk: the ground truth index. */
export interface DiskObserver {
  stored(node: number, key: string, obj: StoredObject): void;
  removed(node: number, key: string): void;
}

/** Numbers kept per stored object: its size, the checksum it was written with, the one its bytes give now, and its version. */
const STRIDE = 4;
const BYTES = 0;
const CHECKSUM = 1;
const ACTUAL = 2;
const VERSION = 3;

/**
 * A node's disk: a FIFO device whose operations take `opLatency` plus size over
 * bandwidth, holding named objects. It survives node crashes; it does not
 * survive `fail()`.
 *
 * Objects are kept as a key's slot in one typed array of numbers (size,
 * checksums, version), with content only for the few objects that have
 * any (logs, checkpoints): a replica costs its key and some 60 bytes, where
 * an object per replica cost several times that, and a 10 TB pipeline
 * stores a hundred thousand of them per replication factor.
 */
export class Disk {
  /** Key -> slot, in the order keys were first written (a directory listing's order). */
  private readonly slots = new Map<string, number>();
  private meta = new Float64Array(STRIDE * 8);
  /** Slots of removed objects, reused before the array grows. */
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  /** Content of the objects that have any, by slot. */
  private readonly contents = new Map<number, unknown>();
  /** Versions given so far: every put and corruption makes a new one, so a read can tell whether what it saw is still there. */
  private versions = 0;
  private used = 0;
  private busyUntil: SimTime = 0;
  private readonly slowdowns = new Map<number, DiskSlowdown>();
  private bandwidthDivide = 1;
  /** Faults holding the disk full. */
  fullHolds = 0;
  /** Writes since the last sync that a crash may revert: (time, key, object before). */
  private unsynced: Array<{ at: SimTime; key: string; before: StoredObject | undefined }> = [];
  private latencyMultiply = 1;
  /** Total time spent serving operations, for utilisation. */
  busyTime: SimTime = 0;
  failed = false;

  constructor(
    readonly node: number,
    readonly spec: DiskSpec,
    private readonly sim: Simulator,
    private readonly observer: DiskObserver,
  ) {}

  /** Reserves the device for an operation of `bytes` at `bytesPerS`; returns its completion time. */
  schedule(bytes: number, bytesPerS: number): SimTime {
    const service = Math.ceil(this.spec.opLatency * this.latencyMultiply) + Math.ceil((bytes * 1_000_000 * this.bandwidthDivide) / bytesPerS);
    const start = Math.max(this.sim.now, this.busyUntil);
    this.busyUntil = start + service;
    this.busyTime += service;
    return this.busyUntil;
  }

  hasRoomFor(key: string, bytes: number): boolean {
    if (this.fullHolds > 0) return false;
    const slot = this.slots.get(key);
    return this.used - (slot === undefined ? 0 : this.meta[slot * STRIDE + BYTES]!) + bytes <= this.spec.capacityBytes;
  }

  /** The object under `key` as it is now (a copy: storing or corrupting it later does not change it). */
  get(key: string): StoredObject | undefined {
    if (this.failed) return undefined;
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.objectAt(slot);
  }

  /** The version of the object under `key` (-1 when there is none): it changes whenever the object is stored again or corrupted. */
  version(key: string): number {
    if (this.failed) return -1;
    const slot = this.slots.get(key);
    return slot === undefined ? -1 : this.meta[slot * STRIDE + VERSION]!;
  }

  /** Size of the object under `key`, 0 when there is none (or the disk failed). */
  sizeOf(key: string): number {
    if (this.failed) return 0;
    const slot = this.slots.get(key);
    return slot === undefined ? 0 : this.meta[slot * STRIDE + BYTES]!;
  }

  private objectAt(slot: number): StoredObject {
    const m = this.meta;
    const at = slot * STRIDE;
    const obj: StoredObject = { bytes: m[at + BYTES]!, checksum: m[at + CHECKSUM]!, actualChecksum: m[at + ACTUAL]! };
    return this.contents.has(slot) ? { ...obj, data: this.contents.get(slot) } : obj;
  }

  put(key: string, obj: StoredObject): void {
    let slot = this.slots.get(key);
    if (this.spec.syncInterval > 0) {
      this.pruneSynced();
      this.unsynced.push({ at: this.sim.now, key, before: slot === undefined ? undefined : this.objectAt(slot) });
    }
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.nextSlot++;
      if ((slot + 1) * STRIDE > this.meta.length) {
        const grown = new Float64Array(this.meta.length * 2);
        grown.set(this.meta);
        this.meta = grown;
      }
      this.slots.set(key, slot);
    } else this.used -= this.meta[slot * STRIDE + BYTES]!;
    const at = slot * STRIDE;
    this.meta[at + BYTES] = obj.bytes;
    this.meta[at + CHECKSUM] = obj.checksum;
    this.meta[at + ACTUAL] = obj.actualChecksum;
    this.meta[at + VERSION] = ++this.versions;
    if (obj.data !== undefined) this.contents.set(slot, obj.data);
    else this.contents.delete(slot);
    this.used += obj.bytes;
    this.observer.stored(this.node, key, obj);
  }

  remove(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    this.slots.delete(key);
    this.contents.delete(slot);
    this.freeSlots.push(slot);
    this.used -= this.meta[slot * STRIDE + BYTES]!;
    this.observer.removed(this.node, key);
  }

  usedBytes(): number {
    return this.used;
  }

  keys(prefix: string): string[] {
    if (this.failed) return [];
    return [...this.slots.keys()].filter((k) => k.startsWith(prefix));
  }

  /**
   * The node lost power: operations not yet complete stop now (their
   * completions never fire, being bound to the node's old life), so the
   * device is free when the node comes back.
   */
  interrupt(): void {
    const now = this.sim.now;
    if (this.busyUntil > now) {
      this.busyTime -= this.busyUntil - now;
      this.busyUntil = now;
    }
  }

  /** Slows the device until `removeSlowdown(id)`; slowdowns stack by multiplication. */
  addSlowdown(id: number, s: DiskSlowdown): void {
    this.slowdowns.set(id, s);
    this.recomputeSlowdown();
  }

  removeSlowdown(id: number): void {
    this.slowdowns.delete(id);
    this.recomputeSlowdown();
  }

  private recomputeSlowdown(): void {
    this.bandwidthDivide = 1;
    this.latencyMultiply = 1;
    for (const s of this.slowdowns.values()) {
      this.bandwidthDivide *= s.bandwidthDivide;
      this.latencyMultiply *= s.latencyMultiply;
    }
  }

  /** Flips bits in a stored object: it stays readable, but no longer matches its checksum. */
  corrupt(key: string): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined || this.failed) return false;
    const at = slot * STRIDE;
    this.meta[at + ACTUAL] = (this.meta[at + CHECKSUM]! ^ 0x5bd1e995) >>> 0;
    this.meta[at + VERSION] = ++this.versions;
    return true;
  }

  /**
   * Power loss without a sync: writes after the last sync boundary are undone
   * (newest first), as if they had stayed in the page cache. Returns the keys
   * reverted.
   */
  loseUnsynced(): string[] {
    if (this.spec.syncInterval <= 0) return [];
    const lastSync = Math.floor(this.sim.now / this.spec.syncInterval) * this.spec.syncInterval;
    const lost = this.unsynced.filter((w) => w.at >= lastSync);
    this.unsynced = [];
    for (const w of lost.reverse()) {
      if (w.before) this.put(w.key, w.before);
      else this.remove(w.key);
    }
    this.unsynced = [];
    return lost.map((w) => w.key);
  }

  /** An explicit sync: everything written so far is durable. */
  markSynced(): void {
    this.unsynced = [];
  }

  /** Forgets sync bookkeeping older than the last sync boundary (called as time passes). */
  pruneSynced(): void {
    if (this.spec.syncInterval <= 0 || this.unsynced.length === 0) return;
    const lastSync = Math.floor(this.sim.now / this.spec.syncInterval) * this.spec.syncInterval;
    if (this.unsynced[0]!.at < lastSync) this.unsynced = this.unsynced.filter((w) => w.at >= lastSync);
  }

  /** Destroys the device and everything on it. */
  fail(): void {
    this.failed = true;
    for (const key of [...this.slots.keys()]) this.remove(key);
  }

  /** A new, empty device in the failed one's place (`fail` first). Faults holding the device slow or full keep holding the new one until they end. */
  renew(): void {
    this.failed = false;
    this.unsynced = [];
  }
}
