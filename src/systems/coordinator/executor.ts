import type { Rng } from '../../kernel/index.js';
import type { NodeRuntime } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import type { AgentHealth } from './health.js';
import { HeldTasks } from './held-tasks.js';
import { CoordPort, type Done, type Run } from './messages.js';

export interface ExecutorContext {
  rt: NodeRuntime;
  telemetry: Telemetry;
  /** Processing slots of this agent's node: the most external tasks it holds at once. */
  slots: number;
  /** Chance that one execution fails. */
  failureRate: number;
  /** Told of every execution's outcome and measured duration. */
  health: AgentHealth;
}

/**
 * The agent's own work, whoever coordinates: it runs an ordinary task for its
 * duration and reports the outcome to the coordinator and the submitter; an
 * external (pipeline) task it only holds (HeldTasks). Both count in its load.
 */
export class TaskExecutor {
  private readonly rt: NodeRuntime;
  private readonly telemetry: Telemetry;
  private readonly running = new Map<string, Run>();
  /** Tasks this agent ran, with their answer, so a repeated run is answered, not run again (volatile: lost with a crash). */
  private readonly executed = new Map<string, Done>();
  private readonly held: HeldTasks;
  private readonly failureRate: number;
  private readonly health: AgentHealth;
  /** Drawn only when executions may fail, from the agent's own stream. */
  private failures: Rng | undefined;

  constructor(ctx: ExecutorContext) {
    this.rt = ctx.rt;
    this.telemetry = ctx.telemetry;
    this.held = new HeldTasks(ctx.rt, ctx.slots);
    this.failureRate = ctx.failureRate;
    this.health = ctx.health;
  }

  get load(): number {
    return this.running.size + this.held.size;
  }

  /** The external tasks held, for the heartbeat. */
  heldIds(): string[] {
    return this.held.ids();
  }

  /** Claims the held tasks again (once a heartbeat; see HeldTasks.reclaim). */
  reclaim(): void {
    this.held.reclaim();
  }

  /** The submitter is done with external task `id`. */
  release(id: string): void {
    this.held.release(id);
  }

  /** An assignment from coordinator `from`. */
  run(from: number, run: Run): void {
    if (run.task.external) return this.held.run(from, run);
    const submitter = run.submitter;
    const sendDone = (done: Done): void => {
      this.rt.send(from, CoordPort.done, done);
      this.rt.send(submitter, CoordPort.taskDone, done);
    };
    // A repeated run (its Done was lost, the task was resubmitted): still running, or answered again without running twice.
    if (this.running.has(run.task.id)) return;
    const finished = this.executed.get(run.task.id);
    if (finished) return sendDone(finished);
    this.running.set(run.task.id, run);
    const startedAt = this.rt.monotonic();
    this.rt.setTimer(run.task.duration, () => {
      this.running.delete(run.task.id);
      const ok = this.failureRate === 0 || !(this.failures ??= this.rt.rng('task-failures')).chance(this.failureRate);
      // Its own clock says how long the task really took: a brownout stretches the timer, not the clock.
      this.health.executed(ok, run.task.duration, this.rt.monotonic() - startedAt);
      const done: Done = { id: run.task.id, attempt: run.attempt, ok };
      // A failure goes to the coordinator only: it retries the task, and tells the submitter once the attempts are spent.
      if (!ok) return this.rt.send(from, CoordPort.done, done);
      this.telemetry.emit({ kind: 'coord_task', node: this.rt.self, id: run.task.id, phase: 'executed', reason: '' });
      this.executed.set(run.task.id, done);
      sendDone(done);
    });
  }
}
