import type { Rng } from '../../kernel/index.js';
import type { NodeRuntime } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { RaftPort, type ReadReply } from './messages.js';
import { RaftProposer } from './proposer.js';
import type { RaftClientOptions } from './options.js';

/**
 * A client workload on the Raft group: writes at a Poisson rate through a
 * RaftProposer (redirects, retries, at-least-once), and reads at the
 * configured consistency levels.
 */
export class RaftClient {
  private readonly rng: Rng;
  private readonly writer: RaftProposer;
  private written = 0;
  /** Boot time: ids of a restarted client never repeat those of its previous life. */
  private readonly epoch: number;
  /** Highest log index this client has written or read: its session, for read-your-writes. */
  private session = 0;
  private reads = 0;
  private readonly readsInFlight = new Map<string, { level: string; key: string; sentAt: number; target: number }>();
  /** Where strong reads go: a connection kept until it fails or redirects (separate from writes'). */
  private readLeader: number;

  constructor(private readonly rt: NodeRuntime, private readonly opts: RaftClientOptions, private readonly members: readonly number[], private readonly telemetry: Telemetry, private readonly backoff: number) {
    this.rng = rt.rng('raft-client');
    this.epoch = rt.monotonic();
    this.writer = new RaftProposer(rt, members, RaftPort.proposeReply, opts.timeout, backoff, telemetry);
    this.readLeader = members[0]!;
    rt.listen(RaftPort.readReply, (_from, reply) => this.onReadReply(reply));
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
      const id = `r${this.rt.self}-${this.epoch}-${n}`;
      const target = level === 'strong' ? this.readLeader : this.rng.pick(this.members);
      const key = `k${n % this.opts.keys}`;
      this.readsInFlight.set(id, { level, key, sentAt: this.rt.monotonic(), target });
      this.telemetry.emit({ kind: 'raft_read', node: this.rt.self, id, key, level, phase: 'sent', ok: false, index: 0, writeId: '', reason: '', latency: 0 });
      this.rt.send(target, RaftPort.read, { id, key, level, session: this.session });
      this.rt.setTimer(this.opts.timeout, () => this.readDone(id, false, 0, '', 'timeout'));
      this.scheduleRead();
    });
  }

  private onReadReply(reply: ReadReply): void {
    if (reply.ok) this.session = Math.max(this.session, reply.index);
    const r = this.readsInFlight.get(reply.id);
    if (r?.level === 'strong' && !reply.ok) this.readLeader = reply.leaderHint >= 0 && reply.leaderHint !== r.target ? reply.leaderHint : this.nextMember(r.target);
    this.readDone(reply.id, reply.ok, reply.index, reply.writeId, reply.reason);
  }

  private readDone(id: string, ok: boolean, index: number, writeId: string, reason: string): void {
    const r = this.readsInFlight.get(id);
    if (!r) return;
    if (reason === 'timeout' && r.level === 'strong' && this.readLeader === r.target) this.readLeader = this.nextMember(r.target);
    this.readsInFlight.delete(id);
    this.telemetry.emit({ kind: 'raft_read', node: this.rt.self, id, key: r.key, level: r.level, phase: 'done', ok, index, writeId, reason, latency: this.rt.monotonic() - r.sentAt });
  }

  private schedule(): void {
    this.rt.setTimer(Math.max(1, Math.round(this.rng.exponential(this.opts.every))), () => {
      const n = ++this.written;
      const level = this.opts.writeLevels[(n - 1) % this.opts.writeLevels.length] ?? 'strong';
      this.writer.propose(`w${this.rt.self}-${this.epoch}-${n}`, `k${n % this.opts.keys}`, n, (index) => {
        // Only a committed write is one the session may count on having been written at `index`.
        if (level === 'strong') this.session = Math.max(this.session, index);
      }, level);
      this.schedule();
    });
  }

  private nextMember(after: number): number {
    return this.members[(this.members.indexOf(after) + 1) % this.members.length]!;
  }
}
