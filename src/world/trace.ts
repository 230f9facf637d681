/**
 * Optional record of everything that happens to the world, event by event:
 * (kind, node index or -1, detail). Used to find the first event where two
 * runs that should be identical diverge. Off (undefined) in normal runs.
 */
export type Tracer = (kind: string, node: number, detail: string) => void;

/** Shared slot through which world parts reach the tracer, so it can be set after construction. */
export interface TraceSink {
  tracer: Tracer | undefined;
}
