import { I32Column, U8Column } from './columns.js';

/**
 * A small set of integers per item (the nodes holding a chunk's replicas),
 * in columns: each item has `width` slots in one typed array and a count,
 * and a set that outgrows its slots keeps its values in an array beside
 * them until it shrinks back. Values iterate in the order they were added,
 * as a Set's do. Some 4 bytes a value where a Set per item, kept for a
 * whole run, cost 150 or more.
 */
export class SlotSets {
  private readonly counts: I32Column;
  private readonly slots: I32Column;
  private readonly overflow = new Map<number, number[]>();

  constructor(readonly width: number, pageBits = 12) {
    if (!Number.isInteger(width) || width < 1) throw new Error(`SlotSets: width ${width}`);
    this.counts = new I32Column(0, pageBits);
    this.slots = new I32Column(-1, pageBits + Math.ceil(Math.log2(width)));
  }

  size(id: number): number {
    return this.counts.get(id);
  }

  has(id: number, value: number): boolean {
    const n = this.counts.get(id);
    if (n > this.width) return this.overflow.get(id)!.includes(value);
    const base = id * this.width;
    for (let k = 0; k < n; k++) if (this.slots.get(base + k) === value) return true;
    return false;
  }

  /** Item `id`'s values in the order added (a fresh array). */
  values(id: number): number[] {
    const n = this.counts.get(id);
    if (n > this.width) return this.overflow.get(id)!.slice();
    const out: number[] = [];
    const base = id * this.width;
    for (let k = 0; k < n; k++) out.push(this.slots.get(base + k));
    return out;
  }

  /** Adds `value` at the end unless present; whether it was added. */
  add(id: number, value: number): boolean {
    if (this.has(id, value)) return false;
    const n = this.counts.get(id);
    if (n < this.width) {
      this.slots.set(id * this.width + n, value);
      this.counts.set(id, n + 1);
      return true;
    }
    const list = n > this.width ? this.overflow.get(id)! : this.values(id);
    list.push(value);
    this.overflow.set(id, list);
    this.counts.set(id, n + 1);
    return true;
  }

  /** Removes `value`; whether it was there. */
  delete(id: number, value: number): boolean {
    if (!this.has(id, value)) return false;
    this.replace(id, this.values(id).filter((v) => v !== value));
    return true;
  }

  /** Makes item `id`'s set exactly `values` (first of each kept, in order). */
  replace(id: number, values: Iterable<number>): void {
    // Emptied, then filled: slots past the count are never read, so they need no clearing.
    this.counts.set(id, 0);
    this.overflow.delete(id);
    for (const v of values) this.add(id, v);
  }
}

/** What a reader of one item's set sees: membership, size and values in order. */
export interface IntSet extends Iterable<number> {
  readonly size: number;
  has(value: number): boolean;
}

/**
 * One item's set as an object with the part of the Set interface callers
 * use: a view of the SlotSets (made per use; two views of an item are the
 * same set).
 */
export class SlotSetView implements IntSet {
  constructor(private readonly sets: SlotSets, private readonly id: number) {}

  get size(): number {
    return this.sets.size(this.id);
  }

  has(value: number): boolean {
    return this.sets.has(this.id, value);
  }

  add(value: number): this {
    this.sets.add(this.id, value);
    return this;
  }

  delete(value: number): boolean {
    return this.sets.delete(this.id, value);
  }

  [Symbol.iterator](): Iterator<number> {
    return this.sets.values(this.id)[Symbol.iterator]();
  }
}

/**
 * SlotSets that also remember which items have a set (made by `open`, even
 * if empty), in the order they were first opened, as a Map's keys iterate.
 */
export class SlotSetMap extends SlotSets {
  private readonly opened: U8Column;
  private readonly order: I32Column;

  constructor(width: number, pageBits = 12) {
    super(width, pageBits);
    this.opened = new U8Column(0, pageBits);
    this.order = new I32Column(0, pageBits);
  }

  /** Whether item `id` has a set. */
  isOpen(id: number): boolean {
    return this.opened.get(id) === 1;
  }

  /** Gives item `id` the set `values` (opening it if it had none: it keeps its place in the order if it had). */
  open(id: number, values: Iterable<number>): void {
    if (!this.isOpen(id)) {
      this.opened.set(id, 1);
      this.order.push(id);
    }
    this.replace(id, values);
  }

  /** Items with a set, in the order they were first opened. */
  *keys(): Generator<number> {
    for (let i = 0; i < this.order.length; i++) yield this.order.get(i);
  }

  /** Every item's set is gone. */
  clear(): void {
    for (let i = 0; i < this.order.length; i++) {
      const id = this.order.get(i);
      this.opened.set(id, 0);
      this.replace(id, []);
    }
    this.order.length = 0;
  }
}
