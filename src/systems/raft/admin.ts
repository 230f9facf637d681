import type { NodeRuntime, TimerHandle } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { RaftPort, type MembershipCommand, type ReconfigureReply } from './messages.js';

declare module '../telemetry.js' {
  interface TelemetryEvents {
    /** The operator's membership change of the Raft group: requested, then done (committed), with its time from the request. */
    raft_membership: { node: number; id: string; op: 'add' | 'remove'; member: number; phase: 'requested' | 'done'; latency: number };
  }
}

interface Pending { id: string; cmd: MembershipCommand; target: number; since: number; timer: TimerHandle | -1 }

/**
 * The operator's tool for the group's membership (like `etcdctl member
 * add`), on the client's node: each command goes to the member believed to
 * lead, follows leader hints, tries the next member when one is silent,
 * and waits and asks again while another change is under way (`busy`),
 * until the new configuration is committed. Commands run independently:
 * it is the leader that takes one change at a time.
 */
export class RaftAdmin {
  private readonly pending = new Map<string, Pending>();
  private seq = 0;
  private readonly epoch: number;

  /** `members`: every machine that may be a member (the initial ones and those to be added), tried in turn. */
  constructor(private readonly rt: NodeRuntime, private readonly members: readonly number[], private readonly timeout: number, private readonly busyWait: number, private readonly telemetry: Telemetry) {
    this.epoch = rt.monotonic();
    rt.listen(RaftPort.membershipCommand, (_from, cmd) => this.start(cmd));
    rt.listen(RaftPort.reconfigureReply, (from, reply) => this.onReply(from, reply));
  }

  private start(cmd: MembershipCommand): void {
    const id = `cfg${this.rt.self}-${this.epoch}-${++this.seq}`;
    const p: Pending = { id, cmd, target: this.members[0]!, since: this.rt.monotonic(), timer: -1 };
    this.pending.set(id, p);
    this.telemetry.emit({ kind: 'raft_membership', node: this.rt.self, id, op: cmd.op, member: cmd.node, phase: 'requested', latency: 0 });
    this.send(p);
  }

  private send(p: Pending): void {
    this.rt.send(p.target, RaftPort.reconfigure, { id: p.id, op: p.cmd.op, node: p.cmd.node, replyPort: RaftPort.reconfigureReply });
    this.retryAfter(p, this.timeout, () => this.next(p.target));
  }

  private retryAfter(p: Pending, wait: number, target: () => number): void {
    if (p.timer !== -1) this.rt.cancelTimer(p.timer);
    p.timer = this.rt.setTimer(wait, () => {
      p.timer = -1;
      p.target = target();
      this.send(p);
    });
  }

  private next(after: number): number {
    return this.members[(this.members.indexOf(after) + 1) % this.members.length]!;
  }

  private onReply(from: number, reply: ReconfigureReply): void {
    const p = this.pending.get(reply.id);
    if (!p || from !== p.target) return;
    if (reply.ok) {
      if (p.timer !== -1) this.rt.cancelTimer(p.timer);
      this.pending.delete(p.id);
      this.telemetry.emit({ kind: 'raft_membership', node: this.rt.self, id: p.id, op: p.cmd.op, member: p.cmd.node, phase: 'done', latency: this.rt.monotonic() - p.since });
      return;
    }
    if (reply.reason === 'busy') return this.retryAfter(p, this.busyWait, () => from);
    const hinted = reply.leaderHint >= 0 && reply.leaderHint !== from;
    this.retryAfter(p, hinted ? 0 : this.busyWait, () => (hinted ? reply.leaderHint : this.next(from)));
  }
}
