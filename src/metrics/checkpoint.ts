import type { TelemetryEvent } from '../systems/index.js';
import type { GroundTruth } from '../world/ground-truth.js';

export interface CheckpointSummary {
  every: number;
  max_delay_s: number;
  /** Checkpoints written (each one append and sync of the outcome log). */
  writes: number;
  /** Outcomes announced but not yet in a checkpoint when the source node crashed (summed over its restarts). */
  outcomes_lost: number;
  /** Of the chunks whose outcome was lost, those acknowledged again from the replicas the nodes still held (cheap), and those processed and distributed again (work redone). */
  chunks_readopted: number;
  chunks_redone: number;
}

/**
 * Document 004's checkpoint trade-off, with `checkpoint.every` above 1: how
 * many checkpoints the source node wrote, and what a crash of it cost in
 * outcomes lost and work redone. Outcomes come from telemetry, crashes and
 * restarts from the world.
 */
export class CheckpointCollector {
  private writes = 0;
  private lost = 0;
  private readopted = 0;
  private redone = 0;
  /** Chunks acknowledged, and those not yet in a checkpoint (a byte each). */
  private readonly acked: Uint8Array;
  private readonly unwritten = new Set<number>();
  /** Chunks a restart of the source node lost the outcome of, until acknowledged again. */
  private readonly forgotten = new Set<number>();

  constructor(truth: GroundTruth, sourceNode: number, chunks: number, private readonly settings: { every: number; maxDelay: number }) {
    this.acked = new Uint8Array(chunks);
    truth.onNodeState((node, event) => {
      if (node.index !== sourceNode || event !== 'restart') return;
      this.lost += this.unwritten.size;
      for (const c of this.unwritten) this.forgotten.add(c);
      this.unwritten.clear();
    });
  }

  /** Whether this acknowledgement repeats an earlier one (the chunk's outcome was lost and it was settled again). */
  isRepeat(chunk: number): boolean {
    return this.acked[chunk] === 2;
  }

  observe(e: TelemetryEvent): void {
    if (e.kind === 'checkpoint') {
      this.writes++;
      for (const c of e.chunks) this.unwritten.delete(c);
    } else if (e.kind === 'acked') {
      if (this.acked[e.chunk] === 0) this.acked[e.chunk] = 1;
      else {
        // Marked for isRepeat, which the observer asks right after this.
        this.acked[e.chunk] = 2;
        if (this.forgotten.delete(e.chunk)) {
          if (e.adopted) this.readopted++;
          else this.redone++;
        }
      }
      this.unwritten.add(e.chunk);
    }
  }

  summary(): CheckpointSummary {
    return {
      every: this.settings.every,
      max_delay_s: this.settings.maxDelay / 1e6,
      writes: this.writes,
      outcomes_lost: this.lost,
      chunks_readopted: this.readopted,
      chunks_redone: this.redone,
    };
  }
}
