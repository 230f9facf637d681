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

/**
 * A node's disk: a FIFO device whose operations take `opLatency` plus size over
 * bandwidth, holding named objects. It survives node crashes; it does not
 * survive `fail()`.
 */
export class Disk {
  private readonly objects = new Map<string, StoredObject>();
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
    const existing = this.objects.get(key);
    return this.used - (existing?.bytes ?? 0) + bytes <= this.spec.capacityBytes;
  }

  get(key: string): StoredObject | undefined {
    return this.failed ? undefined : this.objects.get(key);
  }

  put(key: string, obj: StoredObject): void {
    const existing = this.objects.get(key);
    if (this.spec.syncInterval > 0) {
      this.pruneSynced();
      this.unsynced.push({ at: this.sim.now, key, before: existing });
    }
    if (existing) this.used -= existing.bytes;
    this.objects.set(key, obj);
    this.used += obj.bytes;
    this.observer.stored(this.node, key, obj);
  }

  remove(key: string): void {
    const existing = this.objects.get(key);
    if (!existing) return;
    this.objects.delete(key);
    this.used -= existing.bytes;
    this.observer.removed(this.node, key);
  }

  usedBytes(): number {
    return this.used;
  }

  keys(prefix: string): string[] {
    if (this.failed) return [];
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix));
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
    const obj = this.objects.get(key);
    if (!obj || this.failed) return false;
    this.objects.set(key, { ...obj, actualChecksum: (obj.checksum ^ 0x5bd1e995) >>> 0 });
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
    for (const key of [...this.objects.keys()]) this.remove(key);
  }
}
