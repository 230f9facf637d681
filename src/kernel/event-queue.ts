/**
 * The pending-event set: a binary min-heap keyed by (time, sequence), kept in
 * typed arrays so that scheduling allocates nothing. The sequence number is the
 * insertion order, so events at the same instant fire in the order they were
 * scheduled, independent of heap shape.
 *
 * The heap holds (time, slot); the sequence number lives with the slot and is
 * read only to break ties, so sifting moves two arrays, not three.
 * Payloads (handler and argument) live in slots addressed by the heap entries.
 * An event id packs the slot with the slot's generation, so a stale id (an
 * event that already fired or was cancelled, its slot since reused) can never
 * cancel someone else's event. Cancellation is lazy: the handler is cleared
 * and the entry is skipped when it reaches the top.
 */
export type Handler<A> = (arg: A) => void;
export type EventId = number;

const SLOT_BITS = 2 ** 24; // at most 16,777,216 events pending at once

export class EventQueue {
  private hTime: Float64Array;
  private hSlot: Int32Array;
  /** Insertion sequence of the event in each slot. */
  private slotSeq: Float64Array;
  private heapSize = 0;

  private handlers: Array<Handler<any> | null> = [];
  private args: unknown[] = [];
  private generations: Uint32Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
  private slotCount = 0;

  private nextSeq = 0;
  private live = 0;

  /** The instant of the event being run (or last run). */
  time = 0;

  constructor(initialCapacity = 1024) {
    initialCapacity = Math.max(1, Math.floor(initialCapacity));
    this.hTime = new Float64Array(initialCapacity);
    this.hSlot = new Int32Array(initialCapacity);
    this.slotSeq = new Float64Array(initialCapacity);
    this.generations = new Uint32Array(initialCapacity);
    this.freeSlots = new Int32Array(initialCapacity);
  }

  /** Number of events scheduled and neither fired nor cancelled. */
  get size(): number {
    return this.live;
  }

  push<A>(time: number, handler: Handler<A>, arg: A): EventId {
    return this.pushInPlace(time, this.nextSeq++, handler, arg);
  }

  /**
   * Takes the next place in the same-instant order without scheduling
   * anything yet: an event pushed later with `pushInPlace` and this number
   * runs exactly where one pushed now would have. Lets a component keep its
   * own timers outside the heap and hand the kernel only the earliest.
   */
  reserve(): number {
    return this.nextSeq++;
  }

  /** Like `push`, at a place in the order taken earlier with `reserve`. */
  pushInPlace<A>(time: number, seq: number, handler: Handler<A>, arg: A): EventId {
    const slot = this.allocSlot();
    this.handlers[slot] = handler;
    this.args[slot] = arg;
    this.slotSeq[slot] = seq;
    this.live++;
    if (this.heapSize === this.hTime.length) this.growHeap();
    this.siftUp(this.heapSize++, time, slot);
    return this.generations[slot]! * SLOT_BITS + slot;
  }

  cancel(id: EventId): boolean {
    const slot = id % SLOT_BITS;
    const gen = (id - slot) / SLOT_BITS;
    if (slot >= this.slotCount || this.generations[slot] !== gen || this.handlers[slot] === null) return false;
    this.handlers[slot] = null;
    this.args[slot] = undefined;
    this.live--;
    return true;
  }

  /** Time of the earliest live event, or Infinity when none is pending. */
  peekTime(): number {
    this.dropCancelledTop();
    return this.heapSize === 0 ? Infinity : this.hTime[0]!;
  }

  /**
   * Removes the earliest live event, sets `time` to its instant and runs its
   * handler. Returns false when nothing is pending, or when the earliest event
   * lies after `until` (it is then left in place).
   */
  runNext(until: number): boolean {
    for (;;) {
      if (this.heapSize === 0) return false;
      const time = this.hTime[0]!;
      const slot = this.hSlot[0]!;
      const handler = this.handlers[slot];
      if (handler === null || handler === undefined) {
        this.removeTop();
        this.releaseSlot(slot);
        continue;
      }
      if (time > until) return false;
      const arg = this.args[slot];
      this.removeTop();
      this.releaseSlot(slot);
      this.live--;
      this.time = time;
      handler(arg);
      return true;
    }
  }

  private dropCancelledTop(): void {
    while (this.heapSize > 0 && this.handlers[this.hSlot[0]!] === null) {
      const slot = this.hSlot[0]!;
      this.removeTop();
      this.releaseSlot(slot);
    }
  }

  private removeTop(): void {
    const last = --this.heapSize;
    if (last > 0) this.siftDown(0, this.hTime[last]!, this.hSlot[last]!);
  }

  private siftUp(pos: number, time: number, slot: number): void {
    const hTime = this.hTime, hSlot = this.hSlot, seqOf = this.slotSeq;
    const seq = seqOf[slot]!;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pt = hTime[parent]!;
      if (pt < time || (pt === time && seqOf[hSlot[parent]!]! < seq)) break;
      hTime[pos] = pt;
      hSlot[pos] = hSlot[parent]!;
      pos = parent;
    }
    hTime[pos] = time;
    hSlot[pos] = slot;
  }

  private siftDown(pos: number, time: number, slot: number): void {
    const hTime = this.hTime, hSlot = this.hSlot, seqOf = this.slotSeq;
    const seq = seqOf[slot]!;
    const n = this.heapSize;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      let ct = hTime[child]!;
      const right = child + 1;
      if (right < n) {
        const rt = hTime[right]!;
        if (rt < ct || (rt === ct && seqOf[hSlot[right]!]! < seqOf[hSlot[child]!]!)) {
          child = right;
          ct = rt;
        }
      }
      if (time < ct || (time === ct && seq < seqOf[hSlot[child]!]!)) break;
      hTime[pos] = ct;
      hSlot[pos] = hSlot[child]!;
      pos = child;
    }
    hTime[pos] = time;
    hSlot[pos] = slot;
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    const slot = this.slotCount++;
    if (slot >= SLOT_BITS) throw new RangeError(`more than ${SLOT_BITS} events pending at once`);
    if (slot === this.generations.length) {
      const grown = new Uint32Array(slot * 2);
      grown.set(this.generations);
      this.generations = grown;
      const seqs = new Float64Array(slot * 2);
      seqs.set(this.slotSeq);
      this.slotSeq = seqs;
    }
    return slot;
  }

  /** Frees a slot. Its handler and argument stay until reuse: the generation already makes old ids useless. */
  private releaseSlot(slot: number): void {
    this.generations[slot] = (this.generations[slot]! + 1) % 0x20000000;
    if (this.freeCount === this.freeSlots.length) {
      const grown = new Int32Array(this.freeSlots.length * 2);
      grown.set(this.freeSlots);
      this.freeSlots = grown;
    }
    this.freeSlots[this.freeCount++] = slot;
  }

  private growHeap(): void {
    const cap = this.hTime.length * 2;
    const t = new Float64Array(cap); t.set(this.hTime); this.hTime = t;
    const sl = new Int32Array(cap); sl.set(this.hSlot); this.hSlot = sl;
  }
}
