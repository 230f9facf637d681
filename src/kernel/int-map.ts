/**
 * A map from non-negative 31-bit integers to numbers, open-addressed in two
 * typed arrays (linear probing, deletion by shifting back, so no tombstones).
 *
 * For maps that churn: a timer set arms and cancels a key every protocol
 * period on every node, and V8's Map, which reallocates its table as entries
 * come and go, cost several times the timers themselves there. This one
 * allocates only when it grows past three quarters full or shrinks below an
 * eighth (never below its initial size), so a map that briefly held
 * thousands of keys gives the memory back. Iteration order is not offered.
 */
export class IntMap {
  private keys: Int32Array;
  private values: Float64Array;
  private mask: number;
  private shift: number;
  private readonly minCapacity: number;
  size = 0;

  constructor(capacity = 8) {
    this.minCapacity = Math.max(8, 2 ** Math.ceil(Math.log2(capacity)));
    this.keys = new Int32Array(this.minCapacity).fill(-1);
    this.values = new Float64Array(this.minCapacity);
    this.mask = this.minCapacity - 1;
    this.shift = 32 - Math.log2(this.minCapacity);
  }

  /** Fibonacci hashing: the top bits of key x 2^32 / phi, so runs of keys (member indexes, sequence numbers) spread out. */
  private home(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> this.shift;
  }

  private find(key: number): number {
    const keys = this.keys;
    for (let i = this.home(key); ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === key) return i;
      if (k === -1) return -1;
    }
  }

  get(key: number): number | undefined {
    const i = this.find(key);
    return i < 0 ? undefined : this.values[i];
  }

  has(key: number): boolean {
    return this.find(key) >= 0;
  }

  set(key: number, value: number): void {
    if (!(key >= 0 && key <= 0x7fffffff && Math.floor(key) === key)) throw new RangeError(`IntMap key ${key}: must be an integer in [0, 2^31)`);
    const keys = this.keys;
    let i = this.home(key);
    for (; ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === key) return void (this.values[i] = value);
      if (k === -1) break;
    }
    keys[i] = key;
    this.values[i] = value;
    if (++this.size * 4 > keys.length * 3) this.resize(keys.length * 2);
  }

  delete(key: number): boolean {
    let i = this.find(key);
    if (i < 0) return false;
    const keys = this.keys, values = this.values, mask = this.mask;
    // Shift back every later entry of the run whose home is not between the hole and it, so lookups never stop early.
    for (let j = (i + 1) & mask; keys[j] !== -1; j = (j + 1) & mask) {
      const home = this.home(keys[j]!);
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      keys[i] = keys[j]!;
      values[i] = values[j]!;
      i = j;
    }
    keys[i] = -1;
    if (--this.size * 8 < keys.length && keys.length > this.minCapacity) this.resize(keys.length / 2);
    return true;
  }

  private resize(capacity: number): void {
    const oldKeys = this.keys, oldValues = this.values;
    this.keys = new Int32Array(capacity).fill(-1);
    this.values = new Float64Array(capacity);
    this.mask = capacity - 1;
    this.shift = 32 - Math.log2(capacity);
    this.size = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i]!;
      if (k !== -1) this.set(k, oldValues[i]!);
    }
  }
}
