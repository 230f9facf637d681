import type { Rng } from '../../kernel/index.js';
import type { NodeRuntime, TimerHandle } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { RaftPort, type ProposeReply } from './messages.js';
import type { RaftClientOptions } from './options.js';

interface Pending { id: string; key: string; value: number; firstSent: number; target: number; timer: TimerHandle | -1 }

/**
 * A client writing to the Raft group at a Poisson rate: each write goes to
 * the member it believes leads; a redirect follows the leader hint, a timeout
 * tries the next member. A write is retried under the same id until
 * acknowledged, so the log may hold it more than once (at-least-once).
 */
export class RaftClient {
  private readonly rng: Rng;
  private readonly pending = new Map<string, Pending>();
  private leaderGuess: number;
  private written = 0;

  constructor(private readonly rt: NodeRuntime, private readonly opts: RaftClientOptions, private readonly members: readonly number[], private readonly telemetry: Telemetry, private readonly backoff: number) {
    this.rng = rt.rng('raft-client');
    this.leaderGuess = members[0]!;
    rt.listen(RaftPort.proposeReply, (_from, body) => this.onReply(body as ProposeReply));
    if (opts.every > 0) this.schedule();
  }

  private schedule(): void {
    this.rt.setTimer(Math.max(1, Math.round(this.rng.exponential(this.opts.every))), () => {
      const n = ++this.written;
      const p: Pending = { id: `w${this.rt.self}-${n}`, key: `k${n % this.opts.keys}`, value: n, firstSent: this.rt.monotonic(), target: this.leaderGuess, timer: -1 };
      this.pending.set(p.id, p);
      this.telemetry.emit({ kind: 'raft_write', node: this.rt.self, id: p.id, phase: 'sent', latency: 0 });
      this.send(p);
      this.schedule();
    });
  }

  private send(p: Pending): void {
    if (p.timer !== -1) this.rt.cancelTimer(p.timer);
    this.rt.send(p.target, RaftPort.propose, { id: p.id, key: p.key, value: p.value });
    p.timer = this.rt.setTimer(this.opts.timeout, () => {
      p.timer = -1;
      p.target = this.nextMember(p.target);
      this.send(p);
    });
  }

  private nextMember(after: number): number {
    return this.members[(this.members.indexOf(after) + 1) % this.members.length]!;
  }

  private onReply(reply: ProposeReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.ok) {
      if (p.timer !== -1) this.rt.cancelTimer(p.timer);
      this.pending.delete(p.id);
      this.leaderGuess = p.target;
      this.telemetry.emit({ kind: 'raft_write', node: this.rt.self, id: p.id, phase: 'acked', latency: this.rt.monotonic() - p.firstSent });
      return;
    }
    // Not the leader: follow its hint, or try the next member after a pause.
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
