/**
 * Optional record of everything that happens to the world, event by event:
 * (kind, node index or -1, detail). Used to find the first event where two
 * runs that should be identical diverge. Off (undefined) in normal runs.
 */
export type Tracer = (kind: string, node: number, detail: string) => void;

/**
 * Optional record for a timeline trace (Perfetto): what crosses the network,
 * each message from sending to arrival and each bulk transfer from start to
 * end, and the world's milestones (crashes, pauses, faults). Off (undefined)
 * in normal runs: one branch per message when off.
 */
export interface TimelineTap {
  /** A milestone recorded through World.trace (crash, restart, pause, resume, disk_fail, fault, ...), never a message or timer. */
  event(kind: string, node: number, detail: string): void;
  /** A message left `from` for `to` on `port`, in flight in `slot` until arrived(slot). */
  sent(slot: number, from: number, to: number, port: string): void;
  /** The message in `slot` arrived: handed to its receiver, or dropped (receiver down, partition). */
  arrived(slot: number, delivered: boolean): void;
  /** A bulk transfer that began at `started` ended now: its data arrived (`ok`) or it failed. */
  transferred(from: number, to: number, port: string, bytes: number, started: number, ok: boolean): void;
}

/** Shared slot through which world parts reach the tracer, so it can be set after construction. */
export interface TraceSink {
  tracer: Tracer | undefined;
  flows: TimelineTap | undefined;
}
