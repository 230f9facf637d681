import type { NodeRuntime } from '../../world/runtime.js';
import { CoordPort, type Release, type Submit, type Submitted, type Task } from './messages.js';
import type { CoordinatorOptions } from './options.js';

/** The capability an agent needs to be given pipeline processing. */
export const PROCESS_CAPABILITY = 'process';

interface Open {
  task: Task;
  /** Told of the first claim; false: the work is no longer wanted, release it. */
  onClaim: (agent: number) => boolean;
  /** The agent whose claim was taken, -1 while unclaimed. */
  agent: number;
  sentAt: number;
  /** The agent it was last sent to has confirmed it is queued. */
  acked: boolean;
}

/**
 * The pipeline's side of document 003's coordinator: asks it for a worker for
 * each piece of work and takes the first agent that claims it. It submits to
 * the agent it believes coordinates, follows redirects, resends what is not
 * acknowledged to the next agent in turn, and resubmits what stays unclaimed
 * for a heartbeat timeout (a new coordinator starts with an empty queue).
 * Every other claim (a second agent after a reassignment, a task already
 * finished, a task of this node's previous life) is released at once, so a
 * piece of work runs on one agent at a time and no agent keeps a slot for it.
 * Task ids carry this boot's monotonic time, so a restarted submitter never
 * reuses one.
 */
export class CoordinatorClient {
  private readonly open = new Map<string, Open>();
  private readonly epoch: number;
  private seq = 0;
  private target: number;

  constructor(private readonly rt: NodeRuntime, private readonly coord: CoordinatorOptions) {
    this.epoch = rt.monotonic();
    this.target = coord.agents[0]!;
    rt.listen(CoordPort.pipelineSubmitted, (from, s) => this.onSubmitted(from, s));
    rt.listen(CoordPort.claimed, (from, c) => this.onClaimed(from, c.id));
    this.resubmitLoop();
  }

  /** Asks for an agent with the `process` capability; returns the task id to pass to `finished`. */
  request(onClaim: (agent: number) => boolean): string {
    const id = `p${this.rt.self}-${this.epoch}-${++this.seq}`;
    // One priority for all: the coordinator's queue then keeps submission order, that is chunk order.
    const task: Task = { id, priority: 1, capability: PROCESS_CAPABILITY, duration: 0, external: true };
    const o: Open = { task, onClaim, agent: -1, sentAt: 0, acked: false };
    this.open.set(id, o);
    this.send(o);
    return id;
  }

  /** The work is over (`ok`: it succeeded): the agent that holds it frees its slot. */
  finished(id: string, ok: boolean): void {
    const o = this.open.get(id);
    if (!o) return;
    this.open.delete(id);
    if (o.agent >= 0) this.rt.send(o.agent, CoordPort.release, { id, ok } satisfies Release);
  }

  private send(o: Open): void {
    o.sentAt = this.rt.monotonic();
    o.acked = false;
    this.rt.send(this.target, CoordPort.submit, { task: o.task, replyPort: CoordPort.pipelineSubmitted } satisfies Submit);
  }

  private onSubmitted(from: number, s: Submitted): void {
    const o = this.open.get(s.id);
    if (!o || o.agent >= 0) return;
    if (s.ok) {
      this.target = from;
      o.acked = true;
    } else if (s.coordinator >= 0 && s.coordinator !== from) {
      // Not the coordinator: go where it points, at once.
      this.target = s.coordinator;
      this.send(o);
    }
  }

  private onClaimed(agent: number, id: string): void {
    const o = this.open.get(id);
    if (o && o.agent === agent) return; // the agent in use, still holding it
    if (o && o.agent < 0 && this.capable(agent)) {
      if (o.onClaim(agent)) {
        o.agent = agent;
        return;
      }
      this.open.delete(id);
    }
    this.rt.send(agent, CoordPort.release, { id, ok: false } satisfies Release);
  }

  private capable(agent: number): boolean {
    const i = this.coord.agents.indexOf(agent);
    return i >= 0 && this.coord.capabilities[i]!.includes(PROCESS_CAPABILITY);
  }

  /**
   * Once a heartbeat interval: work sent but not acknowledged within an
   * interval goes to the next agent (the target may be down); work queued but
   * unclaimed for a heartbeat timeout is submitted again (the coordinator
   * that queued it may have died or been deposed since).
   */
  private resubmitLoop(): void {
    this.rt.setTimer(this.coord.heartbeatInterval, () => {
      const now = this.rt.monotonic();
      const resend: Open[] = [];
      let unanswered = false;
      for (const o of this.open.values()) {
        if (o.agent >= 0) continue;
        const silent = !o.acked && now - o.sentAt >= this.coord.heartbeatInterval;
        if (silent || (o.acked && now - o.sentAt >= this.coord.heartbeatTimeout)) resend.push(o);
        unanswered ||= silent;
      }
      if (unanswered) this.target = this.coord.agents[(this.coord.agents.indexOf(this.target) + 1) % this.coord.agents.length]!;
      // In submission order, so the coordinator's queue keeps chunk order.
      for (const o of resend) this.send(o);
      this.resubmitLoop();
    });
  }
}
