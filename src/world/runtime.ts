import type { Rng, SimTime } from '../kernel/index.js';

/**
 * What code running on one simulated node can do — the whole of it. Systems
 * under test see the world only through this interface, as a process on a real
 * machine sees only its sockets, timers, disk and clock. Everything here is
 * fire-and-callback; callbacks run inside the simulator's event loop.
 *
 * When the node crashes, every pending callback of this runtime is dropped and
 * its handlers are forgotten: volatile state is gone. The disk survives.
 */
export interface NodeRuntime {
  /** This node's index in the world (stable for the run) and its name. */
  readonly self: number;
  readonly name: string;

  /** The local wall clock. Equal to simulated time unless the clock is skewed; it may jump. */
  now(): SimTime;

  /** The local monotonic clock: never jumps, but runs fast or slow with drift. Measure durations with it. */
  monotonic(): SimTime;

  /** Sends a small message to `port` on node `to`. It may be lost, delayed or never arrive. */
  send<T>(to: number, port: Port<T>, body: T): void;

  /** Registers the handler for messages and completed transfers arriving on `port`. */
  listen<T>(port: Port<T>, handler: (from: number, body: T) => void): void;

  /**
   * Streams `bytes` to `port` on node `to` over the link, sharing its
   * bandwidth with the other transfers on it. On arrival the receiver's
   * handler gets `body`; then `onDone(true)`. If the stream breaks (either end
   * down, a partition) `onDone(false)` runs instead — unless this node is the
   * one that died.
   */
  transfer<T>(to: number, port: Port<T>, bytes: number, body: T, onDone?: (ok: boolean) => void): TransferHandle;

  /**
   * The sender closes a transfer it started (as one closes a connection):
   * nothing arrives and `onDone` is not called. No effect once the transfer
   * has ended.
   */
  cancelTransfer(transfer: TransferHandle): void;

  /** Bytes of a transfer this node started that have left it so far (a sender sees its own stream's progress). */
  transferProgress(transfer: TransferHandle): number;

  /** Runs `fn` after `delay` microseconds of local time. */
  setTimer(delay: SimTime, fn: () => void): TimerHandle;
  cancelTimer(timer: TimerHandle): void;
  /**
   * A set of timers named by integer keys, at most one per key, that all run
   * `fire(key, data)`: for a component that holds many timers at once (one
   * per member it suspects, say). Each behaves exactly as a `setTimer` made
   * at the moment it is armed, but costs a few bytes in the set's own arrays
   * instead of a closure and a kernel event.
   */
  timerSet(fire: (key: number, data: number) => void): TimerSet;

  readonly disk: DiskRuntime;
  /** The device for logs: a dedicated one if the node has it (`logDisk` in its spec), else `disk` itself. */
  readonly logDisk: DiskRuntime;

  /** A random stream private to this node and purpose (`node/<name>/<purpose>`). */
  rng(purpose: string): Rng;
  /**
   * This node leaves the cluster for good, as the last step of a drain or a
   * decommission: the machine powers off, is wiped and retired, and never
   * comes back (a replacement is a new machine). Nothing after this runs.
   */
  leave(): void;
}

export type TimerHandle = number;

/** `NodeRuntime.timerSet`'s timers. */
export interface TimerSet {
  /** Runs `fire(key, data)` after `delay` microseconds of local time, replacing any timer `key` has. `key`: an integer in [0, 2^31). */
  arm(key: number, delay: SimTime, data?: number): void;
  /** Cancels `key`'s timer, if it has one that has not run. */
  cancel(key: number): void;
  /** Whether `key` has a timer that has not run. */
  has(key: number): boolean;
}

/** A transfer this node started, for `cancelTransfer`; opaque. */
export interface TransferHandle {
  readonly bytes: number;
}

/**
 * A named endpoint on every node that carries messages of one type, so a
 * sender and a listener agree on the body without casts. The name is what
 * travels (and what traces show); `T` exists only for the type checker.
 */
export interface Port<T> {
  readonly name: string;
  /** Never set: it only ties the message type to the port. */
  readonly message?: T;
}

/** Declares a port carrying `T`; name it after what it carries (`pipeline/stored`). */
export function port<T>(name: string): Port<T> {
  return { name };
}

export interface StoredObject {
  readonly bytes: number;
  /** The checksum the data had when written. */
  readonly checksum: number;
  /** The checksum the bytes on the platter would produce now. */
  readonly actualChecksum: number;
  /**
   * Content, for the few objects whose content the simulation needs (logs,
   * checkpoints); bulk data is described by size and checksum only. Stored as
   * given, without copying: the writer must never change it afterwards (pass
   * a fresh or immutable value).
   */
  readonly data?: unknown;
}

export interface DiskRuntime {
  /** Writes (or overwrites) an object, with optional content; `ok` false when the disk is full or failed. */
  write(key: string, bytes: number, checksum: number, done: (ok: boolean) => void, data?: unknown): void;
  /**
   * Appends `bytes` to an object (a log file): only they are written, the
   * object grows by them, and its content becomes `data`. Creates the object
   * if absent. `ok` false when the disk is full or failed.
   */
  append(key: string, bytes: number, done: (ok: boolean) => void, data?: unknown): void;
  /**
   * Makes every write so far durable (fsync): a crash that loses unsynced
   * writes no longer reverts them. Costs one operation's latency when the disk
   * syncs lazily (sync_interval > 0); free when every write is synced anyway.
   */
  sync(done: () => void): void;
  /**
   * Reads an object back; `null` when absent or the disk failed. With
   * `bytes`, only that much of it (a range): the device is busy for that
   * size, and the object returned is the whole one's description.
   */
  read(key: string, done: (obj: StoredObject | null) => void, bytes?: number): void;
  /** Removes an object at once (metadata only). */
  remove(key: string): void;
  /** Whether an object is stored, without I/O (like a local index lookup). */
  has(key: string): boolean;
  /** Keys starting with `prefix`, in the order written (a directory listing; empty if the disk failed). */
  list(prefix: string): string[];
  usedBytes(): number;
  capacityBytes(): number;
}
