import type { NodeRuntime } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { DeathVotes } from './death-votes.js';
import { TaskDispatcher } from './dispatcher.js';
import { CoordinatorElection } from './election.js';
import { TaskExecutor } from './executor.js';
import { CoordPort, type Heartbeat } from './messages.js';
import type { CoordinatorOptions } from './options.js';
import { AgentPeers } from './peers.js';

/**
 * One agent of document 003's coordinator, on every agent node. Every agent
 * plays all the roles, and this class only wires them and keeps the beat:
 * - AgentPeers: whom it hears from, and their scores;
 * - TaskExecutor: its own work (tasks it runs or holds for the pipeline);
 * - CoordinatorElection: who coordinates (bully, or majority votes);
 * - TaskDispatcher: the coordinator's queue and assignments;
 * - DeathVotes: an agent silent past the timeout is declared dead only by a
 *   quorum vote of the others, and its tasks are then reassigned.
 * The order of calls below is the order of side effects (messages, timers,
 * telemetry) that runs are pinned to: keep it.
 */
export class CoordinatorAgent {
  private readonly priority: number;
  /** Health reported in heartbeats and counted in the score (constant: nothing degrades it yet). */
  private readonly health = 100;
  private readonly peers: AgentPeers;
  private readonly executor: TaskExecutor;
  private readonly dispatcher: TaskDispatcher;
  private readonly election: CoordinatorElection;
  private readonly deathVotes: DeathVotes;

  constructor(private readonly rt: NodeRuntime, private readonly opts: CoordinatorOptions, telemetry: Telemetry) {
    const index = opts.agents.indexOf(rt.self);
    this.priority = opts.priorities[index]!;
    this.executor = new TaskExecutor({ rt, telemetry, slots: opts.slots[index]! });
    this.peers = new AgentPeers(rt, opts);
    const peers = this.peers;
    this.dispatcher = new TaskDispatcher({ rt, opts, peers, coordinator: () => this.election.coordinator, ownHeld: () => this.executor.heldIds(), telemetry, fifo: opts.defects?.has('fifo_queue') });
    this.election = new CoordinatorElection({
      rt, opts, telemetry, peers,
      score: (agent) => this.score(agent),
      steppedDown: () => this.dispatcher.abandon(),
      deposed: () => this.dispatcher.deposed(),
    });
    this.deathVotes = new DeathVotes({
      rt, opts, telemetry, peers,
      leading: () => this.election.leading,
      declared: (agent) => this.dispatcher.reassignFrom(agent),
    });
    this.election.restore(() => this.start());
  }

  /** What arrives where; then the beat. */
  private start(): void {
    const rt = this.rt;
    rt.listen(CoordPort.heartbeat, (from, hb) => this.onHeartbeat(from, hb));
    rt.listen(CoordPort.announce, (from, a) => {
      this.peers.heard(from);
      this.election.announced(from, a);
    });
    rt.listen(CoordPort.claim, (from, c) => this.election.claimed(from, c));
    rt.listen(CoordPort.claimVote, (from, v) => this.election.voted(from, v));
    rt.listen(CoordPort.proposal, (from, p) => this.deathVotes.vote(from, p));
    rt.listen(CoordPort.vote, (from, v) => this.deathVotes.counted(from, v));
    rt.listen(CoordPort.submit, (from, s) => this.dispatcher.submit(from, s));
    rt.listen(CoordPort.run, (from, run) => this.executor.run(from, run));
    rt.listen(CoordPort.done, (from, d) => this.dispatcher.done(from, d));
    rt.listen(CoordPort.release, (_from, r) => this.executor.release(r.id));
    rt.listen(CoordPort.refuse, (from, r) => this.dispatcher.refused(from, r));
    this.tick();
  }

  private score(agent: number): number {
    return agent === this.rt.self ? this.priority + this.health - this.executor.load : this.peers.score(agent);
  }

  /** Once a heartbeat interval: tell the others how this agent stands, reclaim held tasks, keep a coordinator, and as one supervise. */
  private tick(): void {
    this.rt.setTimer(this.opts.heartbeatInterval, () => this.tick());
    const hb: Heartbeat = { priority: this.priority, health: this.health, load: this.executor.load, coordinator: this.election.coordinator, term: this.election.term, held: this.executor.heldIds() };
    for (const a of this.opts.agents) if (a !== this.rt.self) this.rt.send(a, CoordPort.heartbeat, hb);
    this.executor.reclaim();
    this.election.check();
    if (this.election.leading) this.deathVotes.supervise();
  }

  private onHeartbeat(from: number, hb: Heartbeat): void {
    this.peers.heartbeat(from, hb);
    this.election.heartbeat(from, hb);
    this.dispatcher.reconcile(from, hb.held);
  }
}
