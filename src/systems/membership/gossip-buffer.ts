import type { MemberTables } from '../member-tables.js';
import type { SwimStatus, SwimUpdate } from './messages.js';

const STATUS: readonly SwimStatus[] = ['alive', 'suspect', 'dead'];

/** What the node believes of a member now: its status (0 alive, 1 suspect, 2 dead) and incarnation. */
export interface Rumours {
  status(subject: number): number;
  incarnation(subject: number): number;
}

/**
 * SWIM's piggyback buffer on one node: the newest rumour per member, each
 * with the transmissions it has left, handed out oldest first (by when its
 * rumour was last replaced), each hand-out spending one transmission.
 *
 * A rumour is queued only when the node has just come to believe it (it
 * accepted it, or refuted its own death, or counted a confirmation), and
 * the node's belief about a member changes only by accepting newer news,
 * which queues that in its place. So a queued rumour always says what the
 * node believes now: the buffer keeps which members have one, not what it
 * says, and reads status and incarnation from the node (`Rumours`) when it
 * hands one out. Lifeguard's suspecter, which the node does not keep
 * otherwise, is kept here.
 *
 * At most one rumour per member is live, so the buffer is a doubly linked
 * list threaded through per-member tables (this node's slices of the run's
 * slabs, see MemberTables): after a partition of 10,000 nodes into halves,
 * every node holds a rumour about nearly every member, 100 million in all,
 * which as objects was gigabytes of heap; here it is 5 bytes per member
 * below 65,536 members (transmissions left 1, links 2 + 2), outside the
 * heap. A message costs O(its updates); replacing or spending a rumour
 * O(1). It hands out exactly what the Map it replaced (re-inserted on every
 * update, iterated from its start) handed out, in the same order.
 */
export class GossipBuffer {
  /** Transmissions left: a byte each at the usual multipliers (3 x log2(n + 1) is 42 at 10,000 nodes); 0: no live rumour. */
  private readonly left: Uint8Array | Uint16Array | Int32Array;
  /** Neighbours in the list, as member + 1; 0: none. Two bytes each below 65,536 members. */
  private readonly prev: Uint16Array | Int32Array;
  private readonly next: Uint16Array | Int32Array;
  /** Who suspects, as member + 1 (0: not said), kept only when suspicions name their suspecter (Lifeguard). */
  private readonly from: Uint16Array | Int32Array | undefined;
  private first = 0;
  private last = 0;

  constructor(private readonly transmissions: number, tables: MemberTables, node: number, private readonly rumours: Rumours, suspecters = false) {
    // A live rumour is one with transmissions left, so it must start with some.
    if (!(transmissions >= 1)) throw new Error(`a rumour needs at least one transmission, got ${transmissions}`);
    this.from = suspecters ? tables.memberLinks('swim/gossip-from', node) : undefined;
    this.left = tables.counts('swim/gossip-left', node, transmissions);
    this.prev = tables.memberLinks('swim/gossip-prev', node);
    this.next = tables.memberLinks('swim/gossip-next', node);
  }

  /** Queues the node's news about `subject` at the back, replacing any older rumour about it; `from`: who suspects it (Lifeguard). */
  add(subject: number, from?: number): void {
    const s = subject;
    if (this.left[s] !== 0) this.unlink(s);
    if (this.from) this.from[s] = from === undefined ? 0 : from + 1;
    this.left[s] = this.transmissions;
    this.prev[s] = this.last;
    this.next[s] = 0;
    if (this.last !== 0) this.next[this.last - 1] = s + 1;
    else this.first = s + 1;
    this.last = s + 1;
  }

  /** Up to `max` rumours, oldest first; each hand-out spends one transmission. */
  take(max: number): SwimUpdate[] {
    const out: SwimUpdate[] = [];
    for (let e = this.first; e !== 0 && out.length < max; ) {
      const s = e - 1;
      const after = this.next[s]!;
      const from = this.from?.[s] ?? 0;
      const u: SwimUpdate = { subject: s, status: STATUS[this.rumours.status(s)]!, incarnation: this.rumours.incarnation(s) };
      if (from !== 0) u.from = from - 1;
      out.push(u);
      // Spent: left at 0 marks it gone.
      if (--this.left[s]! <= 0) this.unlink(s);
      e = after;
    }
    return out;
  }

  /** Takes `s` out of the list (the caller sets `left`). */
  private unlink(s: number): void {
    const p = this.prev[s]!;
    const n = this.next[s]!;
    if (p !== 0) this.next[p - 1] = n;
    else this.first = n;
    if (n !== 0) this.prev[n - 1] = p;
    else this.last = p;
  }
}
