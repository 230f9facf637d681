import type { NodeRuntime } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { CoordPort, type Done, type Refuse, type Submit, type Submitted, type Task } from './messages.js';
import type { CoordinatorOptions } from './options.js';
import type { AgentPeers } from './peers.js';
import { PipelineLoad, type ExternalAssignment } from './pipeline-load.js';

export interface DispatcherContext {
  rt: NodeRuntime;
  opts: CoordinatorOptions;
  peers: AgentPeers;
  /** Who coordinates as this agent believes (-1: nobody known): only the coordinator queues work. */
  coordinator: () => number;
  /** The external tasks this agent itself holds (it sends itself no heartbeat). */
  ownHeld: () => readonly string[];
  telemetry: Telemetry;
  /** Test-only: hand out the queue in arrival order, ignoring priorities. */
  fifo?: boolean;
}

interface Assignment { task: Task; agent: number; attempt: number; submitter: number }

/** Why an attempt of a task ended without success: its agent failed it, its outcome did not come in time, or its agent was declared dead. */
export type RetryReason = 'failed' | 'timeout' | 'agent_dead';

/**
 * The coordinator's work: a priority queue of submitted tasks, each given to
 * the least-loaded live agent with the capability it needs, and retried on
 * another when its agent fails it or is declared dead, up to max_retries
 * attempts. Its state is volatile: a new coordinator starts empty and learns
 * from resubmissions, and one that stops coordinating gives it all up.
 *
 * External (pipeline) tasks go only to an agent with a free processing slot
 * (PipelineLoad), and their submitter owns their retry budget, so a dead
 * agent's external tasks are reassigned without counting attempts.
 */
export class TaskDispatcher {
  private readonly rt: NodeRuntime;
  private readonly opts: CoordinatorOptions;
  private readonly peers: AgentPeers;
  private readonly coordinator: () => number;
  /** Waiting tasks; every entry goes in through `enqueue`, so the checker sees the queue as it is. */
  private readonly queue: Array<{ task: Task; submitter: number; attempt: number }> = [];
  private readonly telemetry: Telemetry;
  private readonly fifo: boolean;
  private readonly assigned = new Map<string, Assignment>();
  private readonly pipelineLoad: PipelineLoad;

  constructor(ctx: DispatcherContext) {
    this.rt = ctx.rt;
    this.opts = ctx.opts;
    this.peers = ctx.peers;
    this.coordinator = ctx.coordinator;
    this.telemetry = ctx.telemetry;
    this.fifo = ctx.fifo === true;
    this.pipelineLoad = new PipelineLoad({ agents: ctx.opts.agents, slots: ctx.opts.slots, ownHeld: ctx.ownHeld, self: ctx.rt.self });
  }

  private get leading(): boolean {
    return this.coordinator() === this.rt.self;
  }

  /** This agent no longer hears a majority: it stops coordinating, and gives up the queue and its estimate. */
  abandon(): void {
    if (this.queue.length > 0) this.telemetry.emit({ kind: 'coord_queue', node: this.rt.self, id: '', priority: 0, capability: '', phase: 'cleared' });
    this.queue.length = 0;
    this.assigned.clear();
    this.pipelineLoad.reset();
  }

  /** Another agent coordinates now: give up the queue (submitters resubmit what is not done) if there is any. */
  deposed(): void {
    if (this.queue.length + this.assigned.size > 0) this.abandon();
  }

  /**
   * Every agent keeps what the others report holding, so that it knows their
   * load the moment it becomes coordinator. The coordinator also ends
   * assignments an agent no longer holds, and hands out waiting work if an
   * agent may have room again.
   */
  reconcile(agent: number, held: readonly string[]): void {
    const { over, changed } = this.pipelineLoad.heard(agent, held, this.externalAssignments());
    if (!this.leading) return;
    for (const id of over) this.assigned.delete(id);
    if (changed) this.dispatch();
  }

  private *externalAssignments(): Iterable<ExternalAssignment> {
    for (const a of this.assigned.values()) yield { id: a.task.id, agent: a.agent, external: a.task.external === true };
  }

  /** A quorum declared `agent` dead: its assignments go back to the queue (or fail, out of attempts). */
  reassignFrom(agent: number): void {
    for (const [id, asg] of [...this.assigned]) {
      if (asg.agent !== agent) continue;
      this.assigned.delete(id);
      this.retryOrFail(asg.task, asg.submitter, asg.attempt, 'agent_dead');
    }
    this.dispatch();
  }

  submit(from: number, s: Submit): void {
    const replyPort = s.replyPort ?? CoordPort.submitted;
    if (!this.leading) return this.rt.send(from, replyPort, { id: s.task.id, ok: false, coordinator: this.coordinator() } satisfies Submitted);
    const asg = this.assigned.get(s.task.id);
    // Resubmitted while assigned: the run, its claim or its Done was lost, so send the run again (the agent does not run it twice).
    if (asg) this.rt.send(asg.agent, CoordPort.run, { task: asg.task, attempt: asg.attempt, submitter: asg.submitter });
    if (!asg && !this.queue.some((q) => q.task.id === s.task.id)) this.enqueue({ task: s.task, submitter: from, attempt: 1 });
    this.rt.send(from, replyPort, { id: s.task.id, ok: true, coordinator: this.rt.self } satisfies Submitted);
    this.dispatch();
  }

  /**
   * Highest priority first (then submission order), each to the least-loaded
   * live capable agent; an external task only to one with a free processing
   * slot, least loaded as a share of its slots, and otherwise it waits.
   */
  private enqueue(entry: { task: Task; submitter: number; attempt: number }): void {
    this.queue.push(entry);
    this.telemetry.emit({ kind: 'coord_queue', node: this.rt.self, id: entry.task.id, priority: entry.task.priority, capability: entry.task.capability, phase: 'queued' });
  }

  private dispatch(): void {
    // A stable sort: equal priorities keep their order of arrival.
    if (!this.fifo) this.queue.sort((a, b) => b.task.priority - a.task.priority);
    const load = new Map(this.opts.agents.map((a) => [a, 0]));
    for (const asg of this.assigned.values()) load.set(asg.agent, load.get(asg.agent)! + 1);
    const external = this.queue.some((q) => q.task.external) ? this.pipelineLoad.estimate(this.externalAssignments()) : new Map<number, number>();
    const waiting: typeof this.queue = [];
    for (const q of this.queue) {
      const capable = this.opts.agents.filter((a, i) => this.peers.alive(a) && this.opts.capabilities[i]!.includes(q.task.capability) && (!q.task.external || this.pipelineLoad.hasRoom(a, external)));
      if (capable.length === 0) {
        waiting.push(q);
        continue;
      }
      const agent = q.task.external
        ? capable.reduce((b, a) => (this.pipelineLoad.share(a, external) < this.pipelineLoad.share(b, external) ? a : b))
        : capable.reduce((b, a) => (load.get(a)! < load.get(b)! ? a : b));
      load.set(agent, load.get(agent)! + 1);
      if (q.task.external) {
        external.set(agent, external.get(agent)! + 1);
        this.pipelineLoad.assigned(q.task.id);
      }
      const asg: Assignment = { task: q.task, agent, attempt: q.attempt, submitter: q.submitter };
      this.assigned.set(q.task.id, asg);
      this.telemetry.emit({ kind: 'coord_queue', node: this.rt.self, id: q.task.id, priority: q.task.priority, capability: q.task.capability, phase: 'dispatched' });
      this.rt.send(agent, CoordPort.run, { task: q.task, attempt: q.attempt, submitter: q.submitter });
      // An ordinary task whose outcome does not come in time is retried elsewhere (the pipeline's own tasks have their submitter's deadline).
      if (this.opts.taskTimeout > 0 && !q.task.external) this.rt.setTimer(this.opts.taskTimeout, () => this.timedOut(asg));
    }
    this.queue.length = 0;
    this.queue.push(...waiting);
  }

  private timedOut(asg: Assignment): void {
    if (this.assigned.get(asg.task.id) !== asg) return;
    this.assigned.delete(asg.task.id);
    this.retryOrFail(asg.task, asg.submitter, asg.attempt, 'timeout');
    this.dispatch();
  }

  private retryOrFail(task: Task, submitter: number, attempt: number, reason: RetryReason): void {
    // The submitter of an external task owns its retry budget: here it is only handed to another agent.
    if (task.external) return this.enqueue({ task, submitter, attempt: attempt + 1 });
    const last = attempt >= this.opts.maxRetries;
    this.telemetry.emit({ kind: 'coord_retry', node: this.rt.self, id: task.id, attempt, reason, last });
    // The submitter owns the outcome and declares the failure when told.
    if (last) return this.rt.send(submitter, CoordPort.taskDone, { id: task.id, attempt, ok: false });
    this.enqueue({ task, submitter, attempt: attempt + 1 });
  }

  done(from: number, d: Done): void {
    const asg = this.assigned.get(d.id);
    if (asg?.task.external) this.pipelineLoad.released(from, d.id);
    if (!asg || asg.attempt !== d.attempt) return;
    this.assigned.delete(d.id);
    if (!d.ok) this.retryOrFail(asg.task, asg.submitter, asg.attempt, 'failed');
    this.dispatch();
  }

  /** An agent at capacity gave the task back: it waits for another (no attempt is used up). */
  refused(from: number, r: Refuse): void {
    const asg = this.assigned.get(r.id);
    if (!asg || asg.agent !== from || asg.attempt !== r.attempt) return;
    this.assigned.delete(r.id);
    this.pipelineLoad.refused(from);
    this.enqueue({ task: asg.task, submitter: asg.submitter, attempt: asg.attempt });
    this.dispatch();
  }
}

declare module '../telemetry.js' {
  interface TelemetryEvents {
    /** Attempt `attempt` of a task ended without success (`reason`); `last`: it was the last allowed (max_retries), and the task fails. */
    coord_retry: { node: number; id: string; attempt: number; reason: RetryReason; last: boolean };
  }
}
