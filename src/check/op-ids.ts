import { IntColumn } from '../kernel/columns.js';

/** Numbered operation ids, `<session>-<n>` (`w3-1500000-42`, `r3-1500000-7`): the form Lorenz's clients and proposers use. */
const NUMBERED = /^(.+)-(0|[1-9]\d{0,6})$/;
/** n < 10^7 < 2^24: a code is session * 2^24 + n, exact in a double for any session count a run can have. */
const N_SPAN = 2 ** 24;

/**
 * Operation ids as numbers, so a checker that must remember every operation
 * of a long run keeps 8 bytes an id in a typed array instead of a string
 * (about 40 bytes) and a map entry. A numbered id is its session's index
 * times 2^24 plus its number; any other id is a session of its own (number
 * 0, flagged whole). `id(code(x)) === x` for every string.
 */
export class OpIds {
  private readonly prefixes: string[] = [];
  private readonly whole: boolean[] = [];
  private readonly sessionOf = new Map<string, number>();

  code(id: string): number {
    const m = NUMBERED.exec(id);
    const key = m ? m[1]! : `\u0000${id}`;
    let s = this.sessionOf.get(key);
    if (s === undefined) {
      s = this.prefixes.length;
      this.sessionOf.set(key, s);
      this.prefixes.push(m ? m[1]! : id);
      this.whole.push(!m);
    }
    return s * N_SPAN + (m ? Number(m[2]) : 0);
  }

  /** The code of `id` if it was ever coded, else -1 (without coding it). */
  known(id: string): number {
    const m = NUMBERED.exec(id);
    const s = this.sessionOf.get(m ? m[1]! : `\u0000${id}`);
    return s === undefined ? -1 : s * N_SPAN + (m ? Number(m[2]) : 0);
  }

  id(code: number): string {
    const s = Math.floor(code / N_SPAN);
    return this.whole[s] ? this.prefixes[s]! : `${this.prefixes[s]}-${code - s * N_SPAN}`;
  }
}

/** Ids a page of a session's index holds: 512 bytes, as most sessions (a node's catalog writes between two of its restarts, one session each) write a handful. */
const INDEX_PAGE_BITS = 8;

/**
 * A map from op codes to non-negative integers (rows, log indexes), a
 * paged column per session indexed by number: 2 bytes an entry for ids
 * numbered densely from 0 or 1, as every Lorenz session numbers them, while
 * a page's values are within 32,767 of each other (4 or 8 where not), and
 * no copies or spare capacity as a session's numbers grow.
 */
export class CodeIndex {
  private readonly bySession: Array<IntColumn | undefined> = [];

  /** The value stored for `code`, or -1. */
  get(code: number): number {
    if (code < 0) return -1;
    const s = Math.floor(code / N_SPAN);
    const column = this.bySession[s];
    return column ? column.get(code - s * N_SPAN) - 1 : -1;
  }

  has(code: number): boolean {
    return this.get(code) >= 0;
  }

  /** Stores `value` (0 <= value < 2^31 - 1) for `code`. */
  set(code: number, value: number): void {
    const s = Math.floor(code / N_SPAN);
    let column = this.bySession[s];
    if (!column) this.bySession[s] = column = new IntColumn(0, INDEX_PAGE_BITS, 16);
    column.set(code - s * N_SPAN, value + 1);
  }
}
