import type { NodeRuntime, Port, TimerHandle } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { RaftPort, type ProposeReply, type ReadLevel } from './messages.js';

interface Pending { id: string; key: string; value: number; firstSent: number; target: number; timer: TimerHandle | -1; done: (index: number) => void; level: ReadLevel }

/**
 * Gets writes committed by a Raft group: each goes to the member believed to
 * lead; a redirect follows the leader hint, a timeout or a refusal tries the
 * next member. A write is retried under the same id until acknowledged, so
 * the log may hold it more than once (at-least-once). Replies come back on
 * this proposer's own port, so several proposers can share a node.
 */
export class RaftProposer {
  private readonly pending = new Map<string, Pending>();
  private leaderGuess: number;

  constructor(
    private readonly rt: NodeRuntime,
    private readonly members: readonly number[],
    private readonly replyPort: Port<ProposeReply>,
    private readonly timeout: number,
    private readonly backoff: number,
    private readonly telemetry: Telemetry,
  ) {
    this.leaderGuess = members[0]!;
    rt.listen(replyPort, (from, reply) => this.onReply(from, reply));
  }

  /** Proposes `key = value` under a unique `id`; `done(index)` once it is committed (or, below `strong`, held by as many members as its level asks). */
  propose(id: string, key: string, value: number, done: (index: number) => void, level: ReadLevel = 'strong'): void {
    const p: Pending = { id, key, value, firstSent: this.rt.monotonic(), target: this.leaderGuess, timer: -1, done, level };
    this.pending.set(id, p);
    this.telemetry.emit({ kind: 'raft_write', node: this.rt.self, id, key, phase: 'sent', latency: 0, index: 0, ...(level === 'strong' ? {} : { level }) });
    this.send(p);
  }

  private send(p: Pending): void {
    if (p.timer !== -1) this.rt.cancelTimer(p.timer);
    this.rt.send(p.target, RaftPort.propose, { id: p.id, key: p.key, value: p.value, replyPort: this.replyPort, ...(p.level === 'strong' ? {} : { level: p.level }) });
    p.timer = this.rt.setTimer(this.timeout, () => {
      p.timer = -1;
      this.telemetry.emit({ kind: 'raft_write_refused', node: this.rt.self, member: p.target, id: p.id, reason: 'timeout' });
      p.target = this.nextMember(p.target);
      this.send(p);
    });
  }

  private nextMember(after: number): number {
    return this.members[(this.members.indexOf(after) + 1) % this.members.length]!;
  }

  private onReply(from: number, reply: ProposeReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    // A late refusal from a member we already left must not move us off the current target.
    if (!reply.ok && from !== p.target) return;
    if (reply.ok) {
      if (p.timer !== -1) this.rt.cancelTimer(p.timer);
      this.pending.delete(p.id);
      this.leaderGuess = p.target;
      this.telemetry.emit({ kind: 'raft_write', node: this.rt.self, id: p.id, key: p.key, phase: 'acked', latency: this.rt.monotonic() - p.firstSent, index: reply.index, ...(p.level === 'strong' ? {} : { level: p.level }) });
      return p.done(reply.index);
    }
    this.telemetry.emit({ kind: 'raft_write_refused', node: this.rt.self, member: from, id: p.id, reason: reply.reason });
    // Refused: follow the hint, or try the next member after a pause.
    const hinted = reply.leaderHint >= 0 && reply.leaderHint !== p.target;
    p.target = hinted ? reply.leaderHint : this.nextMember(p.target);
    this.leaderGuess = p.target;
    if (p.timer !== -1) this.rt.cancelTimer(p.timer);
    p.timer = this.rt.setTimer(hinted ? 0 : this.backoff, () => {
      p.timer = -1;
      this.send(p);
    });
  }
}
