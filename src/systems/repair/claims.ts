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
  /** Replicas still being written after their chunk was acknowledged (`acknowledge: min_replicas`), by chunk. */
  private readonly background = new Map<number, number>();

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

  /** The distribution keeps writing `copies` replicas of `chunk` after acknowledging it. */
  startBackground(chunk: number, copies: number): void {
    this.background.set(chunk, (this.background.get(chunk) ?? 0) + copies);
  }

  /** One of the chunk's background replicas answered (or was given up). */
  endBackground(chunk: number): void {
    const left = (this.background.get(chunk) ?? 1) - 1;
    if (left > 0) this.background.set(chunk, left);
    else this.background.delete(chunk);
  }

  /** Replicas of `chunk` the distribution is still writing: a repair need not make them. */
  backgroundCopies(chunk: number): number {
    return this.background.get(chunk) ?? 0;
  }

  /** A repair, a move or a background write is writing a copy of `chunk`: a copy seen on some node may be theirs to settle. */
  copying(chunk: number): boolean {
    return this.repairing.has(chunk) || this.moving.has(chunk) || this.background.has(chunk);
  }

  /** A move may take `chunk`: no other move has it, no repair waits for or works on it, and no background write is open. */
  movable(chunk: number): boolean {
    return !this.moving.has(chunk) && !this.repairing.has(chunk) && !this.repairQueued.has(chunk) && !this.background.has(chunk);
  }
}
