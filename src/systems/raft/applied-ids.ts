/** Per session: the log index each write number first took effect at (0: not applied). */
interface Session { indexes: Int32Array }

/** Numbered write ids, `<session>-<n>` (`w3-1500000-42`): the form every Lorenz proposer uses. */
const NUMBERED = /^(.+)-(0|[1-9]\d{0,6})$/;

/**
 * The state machine's record of which write ids it applied, and at which
 * index each first took effect (a retried write applies once). Every write
 * is remembered for the whole run, on every member: as a Map of strings
 * that was about 100 bytes per write per member (a client writing 10 times
 * a second: 430 MB a simulated day over five members). Ids are
 * `<session>-<n>` with n counting from 1, so each session keeps an array
 * of indexes by n, 4 bytes a write; any other id goes to a plain map.
 * Answers, and `size`, are exactly those of the map it replaced.
 */
export class AppliedIds {
  private sessions = new Map<string, Session>();
  private others = new Map<string, number>();
  private count = 0;

  /** How many distinct ids were applied (a snapshot's size is counted from it). */
  get size(): number {
    return this.count;
  }

  get(id: string): number | undefined {
    const m = NUMBERED.exec(id);
    if (!m) return this.others.get(id);
    const s = this.sessions.get(m[1]!);
    const n = Number(m[2]);
    const at = s && n < s.indexes.length ? s.indexes[n]! : 0;
    return at === 0 ? undefined : at;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** Records the first application of `id` at `index` (>= 1). */
  set(id: string, index: number): void {
    const m = NUMBERED.exec(id);
    if (!m || index > 0x7fffffff) {
      if (!this.others.has(id)) this.count++;
      this.others.set(id, index);
      return;
    }
    const n = Number(m[2]);
    let s = this.sessions.get(m[1]!);
    if (!s) this.sessions.set(m[1]!, (s = { indexes: new Int32Array(Math.max(16, n + 1)) }));
    if (n >= s.indexes.length) {
      const grown = new Int32Array(Math.max(n + 1, s.indexes.length * 2));
      grown.set(s.indexes);
      s.indexes = grown;
    }
    if (s.indexes[n] === 0) this.count++;
    s.indexes[n] = index;
  }

  /** An independent copy (a snapshot's). */
  clone(): AppliedIds {
    const copy = new AppliedIds();
    for (const [key, s] of this.sessions) copy.sessions.set(key, { indexes: s.indexes.slice() });
    copy.others = new Map(this.others);
    copy.count = this.count;
    return copy;
  }
}
