import type { SimTime } from '../kernel/index.js';
import type { Invariant } from './invariant.js';

/**
 * What document 001's `session` level promises a client, per key: its reads
 * reflect every write of its own acknowledged before the read was sent
 * (read-your-writes), and never go back before what its earlier session
 * reads returned (monotonic reads). Positions are log indexes where writes
 * took effect; 0 is the initial, never-written value.
 */
export class SessionGuarantees {
  /** Declared by the owner (see RaftChecker), so it is reported in its place. */
  constructor(readonly invariant: Invariant) {}

  /** `client|key` -> highest position of the client's acknowledged writes to it. */
  private readonly wrote = new Map<string, number>();
  /** `client|key` -> highest position the client's session reads of it returned. */
  private readonly seen = new Map<string, number>();
  /** Session reads in flight: what they must reflect. */
  private readonly floors = new Map<string, { slot: string; wrote: number; seen: number }>();

  acknowledged(client: number, key: string, position: number): void {
    const slot = `${client}|${key}`;
    this.wrote.set(slot, Math.max(this.wrote.get(slot) ?? 0, position));
  }

  sent(id: string, client: number, key: string): void {
    const slot = `${client}|${key}`;
    this.floors.set(id, { slot, wrote: this.wrote.get(slot) ?? 0, seen: this.seen.get(slot) ?? 0 });
  }

  /** A session read `id` answered with the value of the write at `position`. */
  answered(now: SimTime, id: string, position: number, writeId: string): void {
    const f = this.floors.get(id);
    if (!f) return;
    this.floors.delete(id);
    const key = f.slot.slice(f.slot.indexOf('|') + 1);
    const saw = writeId || 'the initial value';
    if (position < f.wrote) this.invariant.violated(now, `session read ${id} of ${key} returned ${saw} (@${position}), older than the client's own write acknowledged at @${f.wrote}`);
    else if (position < f.seen) this.invariant.violated(now, `session read ${id} of ${key} returned ${saw} (@${position}), older than @${f.seen} its earlier session read returned`);
    this.seen.set(f.slot, Math.max(f.seen, position, this.seen.get(f.slot) ?? 0));
  }

  /** A read refused or unanswered: it promised nothing. */
  dropped(id: string): void {
    this.floors.delete(id);
  }
}
