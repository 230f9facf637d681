import type { ClusterConfig } from './cluster.js';

/**
 * Every node's per-member tables of one kind (registry verdicts, which are
 * SWIM's statuses too; incarnation positions; probe orders; gossip links
 * and transmissions), cut from one slab
 * per kind for the run. Every node keeps a table of every member, so at
 * 10,000 nodes a kind is 10,000 tables of 10,000 entries: allocated one by
 * one that was most of the time to boot (a quarter of a second per kind),
 * while one zeroed slab of 100 MB costs the operating system nothing until
 * it is written. A node gets its own slice, zeroed; a restarted node's new
 * software gets the same slice zeroed again (the old software never runs
 * again). Nothing passes between nodes through a slab.
 */
export class MemberTables {
  private readonly slabs = new Map<string, { table: Uint8Array | Uint16Array | Int32Array; issued: Uint8Array }>();

  constructor(readonly members: number) {}

  /** `node`'s zeroed table of `kind`, a byte per member. */
  bytes(kind: string, node: number): Uint8Array {
    return this.slice(kind, node, () => new Uint8Array(this.members * this.members)) as Uint8Array;
  }

  /** `node`'s zeroed table of `kind`, two bytes per member. */
  shorts(kind: string, node: number): Uint16Array {
    return this.slice(kind, node, () => new Uint16Array(this.members * this.members)) as Uint16Array;
  }

  /** `node`'s zeroed table of `kind`, four bytes per member. */
  ints(kind: string, node: number): Int32Array {
    return this.slice(kind, node, () => new Int32Array(this.members * this.members)) as Int32Array;
  }

  /**
   * `node`'s zeroed table of `kind` for member + 1 values (0: none): two
   * bytes per member while members fit (below 65,536), else four.
   */
  memberLinks(kind: string, node: number): Uint16Array | Int32Array {
    return this.members <= 0xffff ? this.shorts(`${kind}/16`, node) : this.ints(`${kind}/32`, node);
  }

  /** `node`'s zeroed table of `kind` for counts up to `max`: a byte per member when they fit, else two or four. */
  counts(kind: string, node: number, max: number): Uint8Array | Uint16Array | Int32Array {
    // The width is part of the slab's name: a slab holds one element type.
    return max <= 0xff ? this.bytes(`${kind}/8`, node) : max <= 0xffff ? this.shorts(`${kind}/16`, node) : this.ints(`${kind}/32`, node);
  }

  private slice(kind: string, node: number, make: () => Uint8Array | Uint16Array | Int32Array): Uint8Array | Uint16Array | Int32Array {
    let slab = this.slabs.get(kind);
    if (!slab) this.slabs.set(kind, (slab = { table: make(), issued: new Uint8Array(this.members) }));
    const view = slab.table.subarray(node * this.members, (node + 1) * this.members);
    if (slab.issued[node]) view.fill(0);
    slab.issued[node] = 1;
    return view;
  }
}

/** One set of slabs per run (per cluster configuration). */
const runs = new WeakMap<ClusterConfig, MemberTables>();

export function memberTables(cluster: ClusterConfig): MemberTables {
  let tables = runs.get(cluster);
  if (!tables) runs.set(cluster, (tables = new MemberTables(cluster.members.length)));
  return tables;
}
