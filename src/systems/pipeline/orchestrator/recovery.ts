import { StoragePort } from '../../storage/messages.js';
import { PipelinePort } from '../messages.js';
import type { LoggedOutcome } from '../outcome-log.js';
import { ADOPTED, type StageContext } from './stage.js';

/**
 * Resuming after a restart of the source node: chunks in the OutcomeLog are
 * settled as logged; for the rest, every node is asked what it holds, and
 * after `recoveryWait` chunks that already have `minReplicasSuccess`
 * replicas are adopted, partial replicas kept, and the rest redone by the
 * normal stages. Ingestion waits until then.
 */
export class Recovery {
  /** Replicas reported by nodes while recovering, by chunk; undefined when not recovering. */
  private found: Map<number, Set<number>> | undefined;

  constructor(private readonly ctx: StageContext) {}

  /** Inventories are still being collected: nothing new is read meanwhile. */
  get active(): boolean {
    return this.found !== undefined;
  }

  start(recovered: readonly LoggedOutcome[]): void {
    const { rt, stages } = this.ctx;
    for (const o of recovered) stages.settlement.restore(o);
    if (stages.settlement.allSettled) return;
    this.found = new Map();
    rt.listen(PipelinePort.inventory, (from, inv) => {
      for (const chunk of inv.chunks) this.found?.set(chunk, (this.found.get(chunk) ?? new Set()).add(from));
    });
    for (const m of this.ctx.cluster.members) rt.send(m.index, StoragePort.inventoryRequest, { replyPort: PipelinePort.inventory });
    rt.setTimer(this.ctx.opts.recoveryWait, () => this.resume());
  }

  /** After the inventories: adopt what is already safe, keep partial replicas, redo the rest. */
  private resume(): void {
    const { opts, stages } = this.ctx;
    const found = this.found!;
    // `found` stays set through the loop, so settling a chunk does not start ingestion midway.
    // In id order, as a walk over every chunk would take them; a chunk no node holds has nothing to adopt.
    const held = [...found.keys()].filter((id) => id >= 0 && id < this.ctx.chunks.length).sort((a, b) => a - b);
    for (const id of held) {
      const state = this.ctx.chunks.get(id);
      if (state.status !== 'waiting') continue;
      for (const n of found.get(state.chunk.id) ?? []) state.replicas.add(n);
      if (state.replicas.size >= opts.minReplicasSuccess) {
        state.processedBytes = Math.round(state.chunk.bytes * opts.outputRatio);
        for (const n of state.replicas) this.ctx.placed.place(n, state.processedBytes);
        stages.ingestion.hold();
        stages.settlement.finish(state, 'acked', ADOPTED);
      }
    }
    this.found = undefined;
    stages.ingestion.next();
  }
}
