/** Ids numbered n of a session are kept in pages of PAGE indexes (4 KiB; a session's first page starts at FIRST_PAGE), shared between a record and its clones until one of them writes to a page. */
const PAGE_BITS = 10;
const PAGE = 1 << PAGE_BITS;
/** Ids the first page of a session holds at first. */
const FIRST_PAGE = 16;

/** Per session: the log index each write number first took effect at (0: not applied), by page, and which pages this record may write in place. */
interface Session { pages: Array<Int32Array | undefined>; owned: boolean[] }

/** Numbered write ids, `<session>-<n>` (`w3-1500000-42`): the form every Lorenz proposer uses. */
const NUMBERED = /^(.+)-(0|[1-9]\d{0,6})$/;

/**
 * The state machine's record of which write ids it applied, and at which
 * index each first took effect (a retried write applies once). Every write
 * is remembered for the whole run, on every member: as a Map of strings
 * that was about 100 bytes per write per member (a client writing 10 times
 * a second: 430 MB a simulated day over five members). Ids are
 * `<session>-<n>` with n counting from 1, so each session keeps pages of
 * indexes by n, 4 bytes a write; any other id goes to a plain map. A
 * snapshot's copy shares the pages (copy on write): writes number upwards,
 * so a clone costs a page table and the page being filled, not the whole
 * record again. Answers, and `size`, are exactly those of the map it
 * replaced.
 */
export class AppliedIds {
  private sessions = new Map<string, Session>();
  private others = new Map<string, number>();
  private count = 0;

  /** `pool`: where a filled page is kept once for every member of the group that filled it alike. */
  constructor(private readonly pool?: AppliedPagePool) {}

  /** How many distinct ids were applied (a snapshot's size is counted from it). */
  get size(): number {
    return this.count;
  }

  get(id: string): number | undefined {
    const m = NUMBERED.exec(id);
    if (!m) return this.others.get(id);
    const n = Number(m[2]);
    const at = this.sessions.get(m[1]!)?.pages[n >>> PAGE_BITS]?.[n & (PAGE - 1)] ?? 0;
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
    if (!s) this.sessions.set(m[1]!, (s = { pages: [], owned: [] }));
    const k = n >>> PAGE_BITS;
    let page = s.pages[k];
    // Starting page k: page k - 2 is full (ids number upwards; one applied out of order, behind a later one, is not a page late) and may be the same as another member's.
    if (!page && k > 1 && this.pool) this.share(m[1]!, s, k - 2);
    const j = n & (PAGE - 1);
    if (!page || !s.owned[k] || j >= page.length) {
      // A session's first page starts small and doubles: most sessions (a node's catalog writes between two of its restarts) write a handful of ids, and each costs its page on every member.
      const size = page && j < page.length ? page.length : k > 0 ? PAGE : Math.min(PAGE, Math.max(FIRST_PAGE, 2 * (page?.length ?? 0), 2 ** Math.ceil(Math.log2(j + 1))));
      const copy = new Int32Array(size);
      if (page) copy.set(page);
      page = copy;
      s.pages[k] = page;
      s.owned[k] = true;
    }
    if (page[j] === 0) this.count++;
    page[j] = index;
  }

  /** Keeps the pool's page `k` of `session` instead of this record's own when the two hold the same; the page is read-only from then on. */
  private share(session: string, s: Session, k: number): void {
    const page = s.pages[k];
    if (!page) return;
    const kept = this.pool!.share(session, k, page);
    if (kept === undefined) return;
    s.pages[k] = kept;
    s.owned[k] = false;
  }

  /** An independent copy (a snapshot's): it shares every page with this record until either writes to it. */
  clone(): AppliedIds {
    const copy = new AppliedIds(this.pool);
    for (const [key, s] of this.sessions) {
      s.owned.fill(false);
      copy.sessions.set(key, { pages: s.pages.slice(), owned: new Array<boolean>(s.pages.length).fill(false) });
    }
    copy.others = new Map(this.others);
    copy.count = this.count;
    return copy;
  }
}

/**
 * Pages of applied-id records kept once for a whole Raft group. Every member
 * applies the same committed log, so page k of a session's record holds the
 * same indexes on every member once it is full: five members kept five
 * copies (20 bytes a write for the group; 16 MiB a simulated day at 10 writes
 * a second). A member starting page k + 2 offers page k here (a page
 * behind: a write applied after later ones, reordered on its way or
 * retried, still lands in its own copy): the first
 * offer is kept, and a later one with the same contents is answered with
 * it, so the member drops its own copy. A page that differs (a write
 * applied late on one member) stays the member's own. Memory only: a record
 * answers the same whichever copy it reads, and no record writes to a page
 * the pool holds (it copies it first, as with a snapshot's shared pages).
 */
export class AppliedPagePool {
  private readonly bySession = new Map<string, Array<Int32Array | undefined>>();

  /** The pool's page k of `session` if it equals `page`, `page` itself if the pool had none (now kept), else undefined. */
  share(session: string, k: number, page: Int32Array): Int32Array | undefined {
    let pages = this.bySession.get(session);
    if (!pages) this.bySession.set(session, (pages = []));
    const held = pages[k];
    if (!held) return (pages[k] = page);
    if (held === page) return held;
    if (held.length !== page.length) return undefined;
    for (let i = 0; i < held.length; i++) if (held[i] !== page[i]) return undefined;
    return held;
  }
}
