/**
 * Active network partitions. Each assigns every node a group; traffic between
 * nodes of different groups is dropped. A node named in no group belongs to
 * the implicit group "everyone else", so `[[n1]]` isolates n1. One-way
 * partitions drop only traffic from `from`-side groups to the others.
 */
interface ActivePartition {
  groupOf: Int32Array;
  /** When set, only traffic leaving nodes of group 0 towards other groups is dropped. */
  oneWay: boolean;
  /** For shapes groups cannot express (bridge, ring): blocked[from * n + to] = 1. */
  blocked?: Uint8Array;
}

export class Partitions {
  private readonly active = new Map<number, ActivePartition>();
  private list: ActivePartition[] = [];

  constructor(private readonly nodeCount: number) {}

  /** `groups` are lists of node indexes. */
  add(id: number, groups: number[][], oneWay = false): void {
    const groupOf = new Int32Array(this.nodeCount).fill(-1);
    groups.forEach((members, g) => {
      for (const n of members) groupOf[n] = g;
    });
    this.active.set(id, { groupOf, oneWay });
    this.list = [...this.active.values()];
  }

  /** A partition given as an explicit matrix of blocked directed pairs. */
  addMatrix(id: number, blocked: Uint8Array): void {
    this.active.set(id, { groupOf: new Int32Array(0), oneWay: false, blocked });
    this.list = [...this.active.values()];
  }

  remove(id: number): boolean {
    const had = this.active.delete(id);
    this.list = [...this.active.values()];
    return had;
  }

  get count(): number {
    return this.list.length;
  }

  /** Whether an active partition drops traffic from `from` to `to` (cheap when none is active). */
  separates(from: number, to: number): boolean {
    return this.list.length > 0 && this.blocks(from, to);
  }

  blocks(from: number, to: number): boolean {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      if (p.blocked) {
        if (p.blocked[from * this.nodeCount + to] === 1) return true;
        continue;
      }
      const a = p.groupOf[from]!;
      const b = p.groupOf[to]!;
      if (a === b) continue;
      if (!p.oneWay || a === 0) return true;
    }
    return false;
  }
}
