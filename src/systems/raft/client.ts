import type { Rng } from '../../kernel/index.js';
import type { NodeRuntime, TimerHandle } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { RaftPort, type ProposeReply, type ReadReply } from './messages.js';
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
  /** Highest log index this client has written or read: its session, for read-your-writes. */
  private session = 0;
  private reads = 0;
  private readonly readsInFlight = new Map<string, { level: string; sentAt: number; target: number }>();
  /** Where strong reads go: a connection kept until it fails or redirects (separate from writes'). */
  private readLeader: number;

  constructor(private readonly rt: NodeRuntime, private readonly opts: RaftClientOptions, private readonly members: readonly number[], private readonly telemetry: Telemetry, private readonly backoff: number) {
    this.rng = rt.rng('raft-client');
    this.leaderGuess = members[0]!;
    this.readLeader = members[0]!;
    rt.listen(RaftPort.proposeReply, (_from, body) => this.onReply(body as ProposeReply));
    rt.listen(RaftPort.readReply, (_from, body) => this.onReadReply(body as ReadReply));
    if (opts.every > 0) this.schedule();
    if (opts.readEvery > 0 && opts.readLevels.length > 0) this.scheduleRead();
  }

  /**
   * One read per draw, levels in turn: strong reads go to the believed leader,
   * the others to a member chosen at random (a follower, usually). A refused
   * or unanswered read is reported as such, not retried: its outcome is the
   * measurement.
   */
  private scheduleRead(): void {
    this.rt.setTimer(Math.max(1, Math.round(this.rng.exponential(this.opts.readEvery))), () => {
      const n = ++this.reads;
      const level = this.opts.readLevels[(n - 1) % this.opts.readLevels.length]!;
      const id = `r${this.rt.self}-${n}`;
      const target = level === 'strong' ? this.readLeader : this.rng.pick(this.members);
      this.readsInFlight.set(id, { level, sentAt: this.rt.monotonic(), target });
      this.telemetry.emit({ kind: 'raft_read', node: this.rt.self, id, level, phase: 'sent', ok: false, index: 0, reason: '', latency: 0 });
      this.rt.send(target, RaftPort.read, { id, key: `k${n % this.opts.keys}`, level, session: this.session });
      this.rt.setTimer(this.opts.timeout, () => this.readDone(id, false, 0, 'timeout'));
      this.scheduleRead();
    });
  }

  private onReadReply(reply: ReadReply): void {
    if (reply.ok) this.session = Math.max(this.session, reply.index);
    const r = this.readsInFlight.get(reply.id);
    if (r?.level === 'strong' && !reply.ok) this.readLeader = reply.leaderHint >= 0 && reply.leaderHint !== r.target ? reply.leaderHint : this.nextMember(r.target);
    this.readDone(reply.id, reply.ok, reply.index, reply.reason);
  }

  private readDone(id: string, ok: boolean, index: number, reason: string): void {
    const r = this.readsInFlight.get(id);
    if (!r) return;
    if (reason === 'timeout' && r.level === 'strong' && this.readLeader === r.target) this.readLeader = this.nextMember(r.target);
    this.readsInFlight.delete(id);
    this.telemetry.emit({ kind: 'raft_read', node: this.rt.self, id, level: r.level, phase: 'done', ok, index, reason, latency: this.rt.monotonic() - r.sentAt });
  }

  private schedule(): void {
    this.rt.setTimer(Math.max(1, Math.round(this.rng.exponential(this.opts.every))), () => {
      const n = ++this.written;
      const p: Pending = { id: `w${this.rt.self}-${n}`, key: `k${n % this.opts.keys}`, value: n, firstSent: this.rt.monotonic(), target: this.leaderGuess, timer: -1 };
      this.pending.set(p.id, p);
      this.telemetry.emit({ kind: 'raft_write', node: this.rt.self, id: p.id, phase: 'sent', latency: 0, index: 0 });
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
      this.session = Math.max(this.session, reply.index);
      this.telemetry.emit({ kind: 'raft_write', node: this.rt.self, id: p.id, phase: 'acked', latency: this.rt.monotonic() - p.firstSent, index: reply.index });
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
