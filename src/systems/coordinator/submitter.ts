import type { Rng } from '../../kernel/index.js';
import type { NodeRuntime } from '../../world/runtime.js';
import { DurableRecord } from '../durable-record.js';
import type { Telemetry } from '../telemetry.js';
import { CoordPort, type Done, type Submitted, type Task } from './messages.js';
import type { CoordinatorOptions, TaskWorkloadOptions } from './options.js';

const OPEN_KEY = 'tasks/open';

/**
 * Submits a stream of tasks to whichever agent it believes coordinates, and
 * owns their outcome: the first completion of a task counts, later ones are
 * duplicate executions; a task not finished within a generous deadline is
 * submitted again (a new coordinator starts with an empty queue), so no task
 * is silently dropped. Its open tasks are on its disk: a restarted submitter
 * takes them up again (and numbers new ones after its boot time, so an id is
 * never reused).
 */
export class TaskSubmitter {
  private readonly rng: Rng;
  private readonly open = new Map<string, { task: Task; sentAt: number }>();
  private readonly finished = new Set<string>();
  private coordinator: number;
  /** When the agent believed to coordinate last answered (accepted a task, or its outcome came): its silence, not slow tasks, makes the submitter look elsewhere. */
  private answeredAt: number;
  private n = 0;
  private readonly epoch: number;
  /** The open tasks on disk: a task is announced submitted, or finished, only once the set saying so is synced. */
  private readonly stored: DurableRecord<Task[]>;

  constructor(private readonly rt: NodeRuntime, private readonly work: TaskWorkloadOptions, private readonly coord: CoordinatorOptions, private readonly telemetry: Telemetry) {
    this.rng = rt.rng('tasks');
    this.epoch = rt.monotonic();
    this.coordinator = coord.agents[0]!;
    this.answeredAt = rt.monotonic();
    this.stored = new DurableRecord(rt, OPEN_KEY, () => [...this.open.values()].map((o) => o.task), (tasks) => 64 + 32 * tasks.length, coord.heartbeatInterval);
    rt.disk.read(OPEN_KEY, (obj) => {
      // Taken up again as if just sent: the resubmission deadline runs from now.
      for (const task of (obj?.data as Task[] | undefined) ?? []) this.open.set(task.id, { task, sentAt: rt.monotonic() });
      rt.listen(CoordPort.submitted, (_from, s) => this.onSubmitted(s));
      rt.listen(CoordPort.taskDone, (_from, d) => this.onDone(d));
      for (const o of this.open.values()) rt.send(this.coordinator, CoordPort.submit, { task: o.task });
      if (work.every > 0) this.next();
      this.resubmitLoop();
    });
  }

  private next(): void {
    this.rt.setTimer(Math.max(1, Math.round(this.rng.exponential(this.work.every))), () => {
      const task: Task = {
        id: `t${this.rt.self}-${this.epoch}-${++this.n}`,
        priority: this.rng.int(1, this.work.maxPriority),
        capability: this.rng.pick(this.work.capabilities),
        duration: Math.max(1, Math.round(this.rng.exponential(this.work.duration))),
      };
      this.open.set(task.id, { task, sentAt: this.rt.monotonic() });
      // A task exists once it is on disk: a crash before that loses nothing anyone was told of.
      this.stored.save(() => {
        this.telemetry.emit({ kind: 'coord_task', node: this.rt.self, id: task.id, phase: 'submitted', reason: '' });
        this.rt.send(this.coordinator, CoordPort.submit, { task });
      });
      this.next();
    });
  }

  private onSubmitted(s: Submitted): void {
    if (s.ok && s.coordinator === this.coordinator) this.answeredAt = this.rt.monotonic();
    if (s.ok || s.coordinator < 0) return;
    this.coordinator = s.coordinator;
    const o = this.open.get(s.id);
    if (o) this.rt.send(this.coordinator, CoordPort.submit, { task: o.task });
  }

  private onDone(d: Done): void {
    this.answeredAt = this.rt.monotonic();
    if (this.finished.has(d.id)) return void this.telemetry.emit({ kind: 'coord_task', node: this.rt.self, id: d.id, phase: 'duplicate', reason: '' });
    if (!this.open.has(d.id)) return;
    this.open.delete(d.id);
    this.finished.add(d.id);
    // Announced once the open set without it is on disk; a crash before that takes it up again, and it finishes (once) later.
    this.stored.save(() => this.telemetry.emit({ kind: 'coord_task', node: this.rt.self, id: d.id, phase: d.ok ? 'completed' : 'failed', reason: d.ok ? '' : 'retries exhausted' }));
  }

  /**
   * Resubmits work older than a deadline (heartbeat timeout + ten mean
   * durations + every attempt's task timeout) to the coordinator, and turns
   * to the next agent when the coordinator has not answered anything for
   * that long either.
   */
  private resubmitLoop(): void {
    this.rt.setTimer(this.coord.heartbeatInterval, () => {
      const deadline = this.coord.heartbeatTimeout + 10 * this.work.duration + this.coord.taskTimeout * this.coord.maxRetries;
      const now = this.rt.monotonic();
      let stale = false;
      for (const o of this.open.values()) {
        if (now - o.sentAt < deadline) continue;
        stale = true;
        o.sentAt = now;
        this.rt.send(this.coordinator, CoordPort.submit, { task: o.task });
      }
      // No answers at all: the coordinator may be gone; ask the next agent.
      if (stale && now - this.answeredAt >= deadline) this.coordinator = this.coord.agents[(this.coord.agents.indexOf(this.coordinator) + 1) % this.coord.agents.length]!;
      this.resubmitLoop();
    });
  }
}
