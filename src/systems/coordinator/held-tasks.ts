import type { NodeRuntime } from '../../world/runtime.js';
import { CoordPort, type Claimed, type Done, type Refuse, type Run } from './messages.js';

interface Held { submitter: number; attempt: number; /** The coordinator that assigned it, told when it is released. */ coordinator: number }

/**
 * The external (pipeline) tasks one agent holds. The work itself happens
 * elsewhere (the submitter streams the chunk to this node's worker), so the
 * agent runs no timer: it claims the task to the submitter and counts it in
 * its load until the submitter releases it. It never holds more than its
 * node's processing slots: an assignment beyond that goes back to the
 * coordinator, which only estimates what each agent holds.
 */
export class HeldTasks {
  private readonly held = new Map<string, Held>();

  constructor(private readonly rt: NodeRuntime, private readonly capacity: number) {}

  get size(): number {
    return this.held.size;
  }

  ids(): string[] {
    return [...this.held.keys()];
  }

  /** An assignment from coordinator `from`. A repeat (the claim or the run was lost) is claimed again. */
  run(from: number, run: Run): void {
    const h = this.held.get(run.task.id);
    if (!h && this.held.size >= this.capacity) return this.rt.send(from, CoordPort.refuse, { id: run.task.id, attempt: run.attempt } satisfies Refuse);
    this.held.set(run.task.id, { submitter: run.submitter, attempt: run.attempt, coordinator: from });
    this.rt.send(run.submitter, CoordPort.claimed, { id: run.task.id } satisfies Claimed);
  }

  /**
   * The submitter is done with the task (or never wanted this claim). The
   * coordinator that assigned it is told, so it stops counting it at once
   * rather than at the next heartbeat.
   */
  release(id: string): void {
    const h = this.held.get(id);
    if (!h) return;
    this.held.delete(id);
    this.rt.send(h.coordinator, CoordPort.done, { id, attempt: h.attempt, ok: true } satisfies Done);
  }

  /**
   * Claims everything held again, once a heartbeat. A submitter that lost a
   * release, restarted (and forgot its tasks) or took another agent's claim
   * answers with a release; the one that is using this node says nothing.
   */
  reclaim(): void {
    for (const [id, h] of this.held) this.rt.send(h.submitter, CoordPort.claimed, { id } satisfies Claimed);
  }
}
