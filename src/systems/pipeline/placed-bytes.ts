/**
 * The source node's view of disk load: bytes it believes each member holds
 * for it. Placement decisions read it (the node cannot see other disks), and
 * the orchestrator, the repairer and the rebalancer each change it as
 * replicas are placed, lost, found or moved. One ledger, so the three agree
 * and every change has a name.
 */
export class PlacedBytes {
  private readonly bytes: Float64Array;

  constructor(members: number) {
    this.bytes = new Float64Array(members);
  }

  /** Per member, for placement strategies (read-only to them). */
  get perMember(): ArrayLike<number> {
    return this.bytes;
  }

  on(member: number): number {
    return this.bytes[member]!;
  }

  /** A replica of `bytes` fits on `member` (of `capacity` bytes) by this ledger: placement, repair and moves ask it before choosing a target. */
  fits(member: number, bytes: number, capacity: number): boolean {
    return this.bytes[member]! + bytes <= capacity;
  }

  /** A replica of `bytes` is (or is being) written on `member`, or was found there. */
  place(member: number, bytes: number): void {
    this.bytes[member]! += bytes;
  }

  /** A replica counted on `member` is not there after all: lost, refused, deleted, or never written. */
  takeBack(member: number, bytes: number): void {
    this.bytes[member]! -= bytes;
  }

  /** A replica goes from `from` to `to` (or, with the two swapped, a move is undone). */
  move(from: number, to: number, bytes: number): void {
    this.bytes[to]! += bytes;
    this.bytes[from]! -= bytes;
  }
}
