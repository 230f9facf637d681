/**
 * Which chunks a repair or a move holds. The repairer and the rebalancer both
 * change replica sets on the metadata node, and each must leave the other's
 * chunks alone: a move may not take a chunk a repair waits for or works on,
 * and a copy being written by either is not an orphan to collect. Each states
 * its holds here, so neither asks the other (or reaches into its state).
 */
export class ChunkClaims {
  /** Chunks waiting in the repair queue. */
  private readonly repairQueued = new Set<number>();
  /** Chunks a repair is copying, or committing to the catalog. */
  private readonly repairing = new Set<number>();
  /** Chunks a move is copying, or committing to the catalog. */
  private readonly moving = new Set<number>();

  queueRepair(chunk: number): void {
    this.repairQueued.add(chunk);
  }

  unqueueRepair(chunk: number): void {
    this.repairQueued.delete(chunk);
  }

  startRepair(chunk: number): void {
    this.repairing.add(chunk);
  }

  endRepair(chunk: number): void {
    this.repairing.delete(chunk);
  }

  startMove(chunk: number): void {
    this.moving.add(chunk);
  }

  endMove(chunk: number): void {
    this.moving.delete(chunk);
  }

  /** A repair or a move is writing a copy of `chunk`: a copy seen on some node may be theirs to settle. */
  copying(chunk: number): boolean {
    return this.repairing.has(chunk) || this.moving.has(chunk);
  }

  /** A move may take `chunk`: no other move has it, and no repair waits for or works on it. */
  movable(chunk: number): boolean {
    return !this.moving.has(chunk) && !this.repairing.has(chunk) && !this.repairQueued.has(chunk);
  }
}
