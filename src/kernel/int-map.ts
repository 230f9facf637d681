/**
 * A map from non-negative 31-bit integers to numbers, open-addressed in one
 * typed array of (key, value) pairs (linear probing, deletion by shifting
 * back, so no tombstones). A key and its value share a cache line, so a
 * lookup in a table of thousands costs one miss, not two.
 *
 * For maps that churn: a timer set arms and cancels a key per suspicion on
 * every node, and V8's Map, which reallocates its table as entries come and
 * go, cost several times the timers themselves there. This one allocates
 * only when it grows past three quarters full or shrinks below an eighth
 * (never below its initial size), so a map that briefly held thousands of
 * keys gives the memory back. `replace` and `take` do in one probe what
 * `get` then `set` or `delete` would do in two. Iteration is not offered.
 */
const EMPTY = -1;

export class IntMap {
  /** slots[2i] is a key (EMPTY: none), slots[2i + 1] its value. */
  private slots: Float64Array;
  private mask: number;
  private shift: number;
  private readonly minCapacity: number;
  size = 0;

  constructor(capacity = 8) {
    this.minCapacity = Math.max(8, 2 ** Math.ceil(Math.log2(capacity)));
    this.slots = IntMap.table(this.minCapacity);
    this.mask = this.minCapacity - 1;
    this.shift = 32 - Math.log2(this.minCapacity);
  }

  private static table(capacity: number): Float64Array {
    const slots = new Float64Array(2 * capacity);
    for (let i = 0; i < slots.length; i += 2) slots[i] = EMPTY;
    return slots;
  }

  /** Fibonacci hashing: the top bits of key x 2^32 / phi, so runs of keys (member indexes, sequence numbers) spread out. */
  private home(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> this.shift;
  }

  /** The slot holding `key`, or -1 - the empty slot where it would go. */
  private find(key: number): number {
    const slots = this.slots;
    for (let i = this.home(key); ; i = (i + 1) & this.mask) {
      const k = slots[2 * i]!;
      if (k === key) return i;
      if (k === EMPTY) return -1 - i;
    }
  }

  get(key: number): number | undefined {
    const i = this.find(key);
    return i < 0 ? undefined : this.slots[2 * i + 1];
  }

  has(key: number): boolean {
    return this.find(key) >= 0;
  }

  set(key: number, value: number): void {
    this.replace(key, value);
  }

  /** Sets `key` to `value` and returns the value it had (undefined: none). */
  replace(key: number, value: number): number | undefined {
    if (!(key >= 0 && key <= 0x7fffffff && Math.floor(key) === key)) throw new RangeError(`IntMap key ${key}: must be an integer in [0, 2^31)`);
    const i = this.find(key);
    if (i >= 0) {
      const old = this.slots[2 * i + 1];
      this.slots[2 * i + 1] = value;
      return old;
    }
    const at = -1 - i;
    this.slots[2 * at] = key;
    this.slots[2 * at + 1] = value;
    if (++this.size * 4 > (this.mask + 1) * 3) this.resize((this.mask + 1) * 2);
    return undefined;
  }

  delete(key: number): boolean {
    return this.take(key) !== undefined;
  }

  /** Removes `key` and returns its value (undefined: it had none). */
  take(key: number): number | undefined {
    let i = this.find(key);
    if (i < 0) return undefined;
    const slots = this.slots, mask = this.mask;
    const value = slots[2 * i + 1];
    // Shift back every later entry of the run whose home is not between the hole and it, so lookups never stop early.
    for (let j = (i + 1) & mask; slots[2 * j] !== EMPTY; j = (j + 1) & mask) {
      const home = this.home(slots[2 * j]!);
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      slots[2 * i] = slots[2 * j]!;
      slots[2 * i + 1] = slots[2 * j + 1]!;
      i = j;
    }
    slots[2 * i] = EMPTY;
    if (--this.size * 8 < this.mask + 1 && this.mask + 1 > this.minCapacity) this.resize((this.mask + 1) / 2);
    return value;
  }

  private resize(capacity: number): void {
    const old = this.slots;
    this.slots = IntMap.table(capacity);
    this.mask = capacity - 1;
    this.shift = 32 - Math.log2(capacity);
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== EMPTY) this.replace(old[i]!, old[i + 1]!);
  }
}
