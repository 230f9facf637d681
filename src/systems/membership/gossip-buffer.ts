import type { MemberTables } from '../member-tables.js';
import type { IncarnationBook } from './incarnations.js';
import type { SwimStatus, SwimUpdate } from './messages.js';

const STATUS: readonly SwimStatus[] = ['alive', 'suspect', 'dead'];
const CODE: Record<SwimStatus, number> = { alive: 0, suspect: 1, dead: 2 };

/**
 * SWIM's piggyback buffer on one node: the newest rumour per member, each
 * with the transmissions it has left, handed out oldest first (by when its
 * rumour was last replaced), each hand-out spending one transmission.
 *
 * At most one rumour per member is live, so the buffer is a doubly linked
 * list threaded through per-member tables (this node's slices of the run's
 * slabs, see MemberTables): after a partition of 10,000 nodes into halves,
 * every node holds a rumour about nearly every member, 100 million in all,
 * which as objects was gigabytes of heap; here it is 8 bytes per member
 * below 65,536 members (status 1, incarnation 2, transmissions left 1, links
 * 2 + 2), outside the heap. A message costs O(its updates); replacing or spending a
 * rumour O(1). It hands out exactly what the Map it replaced (re-inserted on
 * every update, iterated from its start) handed out, in the same order.
 */
export class GossipBuffer {
  /** Status code + 1 of the live rumour about each member; 0: none. */
  private readonly status: Uint8Array;
  /** Its incarnation, as a position in the run's book (see incarnations.ts). */
  private readonly incarnation: Uint16Array;
  private readonly wide = new Map<number, number>();
  /** Transmissions left: a byte each at the usual multipliers (3 x log2(n + 1) is 42 at 10,000 nodes). */
  private readonly left: Uint8Array | Uint16Array | Int32Array;
  /** Neighbours in the list, as member + 1; 0: none. Two bytes each below 65,536 members. */
  private readonly prev: Uint16Array | Int32Array;
  private readonly next: Uint16Array | Int32Array;
  /** Who suspects, as member + 1 (0: not said), kept only when suspicions name their suspecter (Lifeguard). */
  private readonly from: Uint16Array | Int32Array | undefined;
  private first = 0;
  private last = 0;

  constructor(private readonly transmissions: number, tables: MemberTables, node: number, private readonly book: IncarnationBook, suspecters = false) {
    this.from = suspecters ? tables.memberLinks('swim/gossip-from', node) : undefined;
    this.status = tables.bytes('swim/gossip-status', node);
    this.incarnation = tables.shorts('swim/gossip-incarnation', node);
    this.left = tables.counts('swim/gossip-left', node, transmissions);
    this.prev = tables.memberLinks('swim/gossip-prev', node);
    this.next = tables.memberLinks('swim/gossip-next', node);
  }

  /** Queues a rumour at the back, replacing any older one about the same member. */
  add(update: SwimUpdate): void {
    const s = update.subject;
    if (this.status[s] !== 0) this.unlink(s);
    this.status[s] = CODE[update.status] + 1;
    const code = this.book.code(s, update.incarnation);
    // A member that announced more than 65,535 incarnations keeps its position here instead.
    if (code > 0xffff) this.wide.set(s, code);
    else this.wide.delete(s);
    this.incarnation[s] = Math.min(code, 0xffff);
    if (this.from) this.from[s] = update.from === undefined ? 0 : update.from + 1;
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
      const code = this.incarnation[s] === 0xffff ? (this.wide.get(s) ?? 0xffff) : this.incarnation[s]!;
      const from = this.from?.[s] ?? 0;
      const u: SwimUpdate = { subject: s, status: STATUS[this.status[s]! - 1]!, incarnation: this.book.value(s, code) };
      if (from !== 0) u.from = from - 1;
      out.push(u);
      if (--this.left[s]! <= 0) this.unlink(s);
      e = after;
    }
    return out;
  }

  private unlink(s: number): void {
    const p = this.prev[s]!;
    const n = this.next[s]!;
    if (p !== 0) this.next[p - 1] = n;
    else this.first = n;
    if (n !== 0) this.prev[n - 1] = p;
    else this.last = p;
    this.status[s] = 0;
  }
}
