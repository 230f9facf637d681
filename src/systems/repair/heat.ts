/**
 * How often each chunk has been read, as the nodes serving reads report it
 * to the metadata node (document 002: hot data first). Rebalancing and
 * drains move the hottest eligible chunk first; with no reports (no reads
 * in the scenario) they keep acknowledgement order.
 */
export class ChunkHeat {
  private readonly reads = new Map<number, number>();

  add(chunk: number, reads: number): void {
    this.reads.set(chunk, (this.reads.get(chunk) ?? 0) + reads);
  }

  of(chunk: number): number {
    return this.reads.get(chunk) ?? 0;
  }

  /** Nothing reported yet. */
  get empty(): boolean {
    return this.reads.size === 0;
  }
}
