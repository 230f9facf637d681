import type { SwimUpdate } from './messages.js';

interface Entry { update: SwimUpdate; left: number; prev: Entry | undefined; next: Entry | undefined }

/**
 * SWIM's piggyback buffer: the newest rumour per member, each with the
 * transmissions it has left, handed out oldest first (by when its rumour was
 * last replaced). It behaves as the Map it replaced, re-inserted on every
 * update and iterated from its start; but a Map iterated from its start
 * walks over every entry deleted since it was last rehashed, and after a
 * partition of a 1,000-node cluster each node holds hundreds of rumours, so
 * each message walked hundreds of holes. Here the live rumours form a
 * linked list: a message costs O(its updates), replacing or spending a
 * rumour O(1).
 */
export class GossipBuffer {
  private first: Entry | undefined;
  private last: Entry | undefined;
  private readonly bySubject = new Map<number, Entry>();

  constructor(private readonly transmissions: number) {}

  /** Queues a rumour at the back, replacing any older one about the same member. */
  add(update: SwimUpdate): void {
    const old = this.bySubject.get(update.subject);
    if (old) this.unlink(old);
    const entry: Entry = { update, left: this.transmissions, prev: this.last, next: undefined };
    if (this.last) this.last.next = entry;
    else this.first = entry;
    this.last = entry;
    this.bySubject.set(update.subject, entry);
  }

  /** Up to `max` rumours, oldest first; each hand-out spends one transmission. */
  take(max: number): SwimUpdate[] {
    const out: SwimUpdate[] = [];
    for (let e = this.first; e !== undefined && out.length < max; ) {
      const next = e.next;
      out.push(e.update);
      if (--e.left <= 0) {
        this.bySubject.delete(e.update.subject);
        this.unlink(e);
      }
      e = next;
    }
    return out;
  }

  private unlink(e: Entry): void {
    if (e.prev) e.prev.next = e.next;
    else this.first = e.next;
    if (e.next) e.next.prev = e.prev;
    else this.last = e.prev;
  }
}
