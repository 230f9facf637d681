import type { NodeRuntime } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { TaskDispatcher } from './dispatcher.js';
import { CoordinatorElection } from './election.js';
import { TaskExecutor } from './executor.js';
import { AgentHealth } from './health.js';
import { CoordPort, type Heartbeat } from './messages.js';
import type { CoordinatorOptions } from './options.js';
import { AgentPeers } from './peers.js';
import { Proposals } from './proposals.js';

/**
 * One agent of document 003's coordinator, on every agent node. Every agent
 * plays all the roles, and this class only wires them and keeps the beat:
 * - AgentPeers: whom it hears from, and their scores;
 * - TaskExecutor: its own work (tasks it runs or holds for the pipeline);
 * - CoordinatorElection: who coordinates (bully, or majority votes);
 * - TaskDispatcher: the coordinator's queue and assignments;
 * - Proposals: an agent silent past the timeout is declared dead only by a
 *   quorum vote of the others, and its tasks are then reassigned; policy
 *   changes are put to the same vote;
 * - AgentHealth: its health score, measured once a heartbeat.
 * The order of calls below is the order of side effects (messages, timers,
 * telemetry) that runs are pinned to: keep it.
 */
export class CoordinatorAgent {
  private readonly priority: number;
  /** What its health score is measured from (its task outcomes; whom it hears is the peers'). */
  private readonly measured = new AgentHealth();
  /** Health as of the last heartbeat: reported in it, counted in votes. */
  private health = 100;
  /**
   * Health as of the heartbeat before: what the other agents hold for this
   * one when they compare scores at the same tick, so that every agent
   * compares scores of the same age (its own fresh one against the others'
   * older ones delayed a failover by a heartbeat).
   */
  private scoredHealth = 100;
  private readonly peers: AgentPeers;
  private readonly executor: TaskExecutor;
  private readonly dispatcher: TaskDispatcher;
  private readonly election: CoordinatorElection;
  private readonly proposals: Proposals;
  private readonly telemetry: Telemetry;

  constructor(private readonly rt: NodeRuntime, private readonly opts: CoordinatorOptions, telemetry: Telemetry) {
    const index = opts.agents.indexOf(rt.self);
    this.priority = opts.priorities[index]!;
    this.executor = new TaskExecutor({ rt, telemetry, slots: opts.slots[index]!, failureRate: opts.taskFailureRate, health: this.measured });
    this.peers = new AgentPeers(rt, opts);
    const peers = this.peers;
    this.dispatcher = new TaskDispatcher({ rt, opts, peers, coordinator: () => this.election.coordinator, ownHeld: () => this.executor.heldIds(), telemetry, fifo: opts.defects?.has('fifo_queue') });
    this.election = new CoordinatorElection({
      rt, opts, telemetry, peers,
      score: (agent) => this.score(agent),
      steppedDown: () => this.dispatcher.abandon(),
      deposed: () => this.dispatcher.deposed(),
    });
    this.proposals = new Proposals({
      rt, opts, telemetry, peers,
      leading: () => this.election.leading,
      declared: (agent) => this.dispatcher.reassignFrom(agent),
      health: () => this.health,
    });
    this.telemetry = telemetry;
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
    rt.listen(CoordPort.proposal, (from, p) => this.proposals.vote(from, p));
    rt.listen(CoordPort.vote, (from, v) => this.proposals.counted(from, v));
    rt.listen(CoordPort.submit, (from, s) => this.dispatcher.submit(from, s));
    rt.listen(CoordPort.run, (from, run) => this.executor.run(from, run));
    rt.listen(CoordPort.done, (from, d) => this.dispatcher.done(from, d));
    rt.listen(CoordPort.release, (_from, r) => this.executor.release(r.id));
    rt.listen(CoordPort.refuse, (from, r) => this.dispatcher.refused(from, r));
    this.tick();
  }

  private score(agent: number): number {
    return agent === this.rt.self ? this.priority + this.scoredHealth - this.executor.load : this.peers.score(agent);
  }

  /** Once a heartbeat interval: measure its health, tell the others how it stands, reclaim held tasks, keep a coordinator, and as one supervise. */
  private tick(): void {
    this.rt.setTimer(this.opts.heartbeatInterval, () => this.tick());
    // Of the other agents not declared dead (whose absence is settled, and no mark against this one), the share it hears.
    const others = this.opts.agents.filter((a) => a !== this.rt.self && !this.peers.isDead(a));
    const heard = others.length === 0 ? 1 : others.filter((a) => this.peers.alive(a)).length / others.length;
    const parts = this.measured.parts(heard);
    this.scoredHealth = this.health;
    this.health = this.measured.score(heard);
    this.telemetry.emit({ kind: 'coord_health', node: this.rt.self, health: this.health, heard: parts.heard, errors: parts.errors, speed: parts.speed });
    const hb: Heartbeat = { priority: this.priority, health: this.health, load: this.executor.load, coordinator: this.election.coordinator, term: this.election.term, held: this.executor.heldIds(), dead: this.election.leading ? this.peers.declaredDead() : [] };
    for (const a of this.opts.agents) if (a !== this.rt.self) this.rt.send(a, CoordPort.heartbeat, hb);
    this.executor.reclaim();
    this.election.check();
    if (this.election.leading) this.proposals.supervise();
  }

  private onHeartbeat(from: number, hb: Heartbeat): void {
    this.peers.heartbeat(from, hb);
    // The coordinator's verdicts: an agent it declared dead, and this one has not heard from either, is dead here too.
    if (hb.coordinator === from) for (const d of hb.dead) if (d !== this.rt.self && !this.peers.alive(d)) this.peers.declareDead(d);
    this.election.heartbeat(from, hb);
    this.dispatcher.reconcile(from, hb.held);
  }
}

declare module '../telemetry.js' {
  interface TelemetryEvents {
    /** An agent's health score as it measured it for its heartbeat, and the three measurements behind it (see AgentHealth). */
    coord_health: { node: number; health: number; heard: number; errors: number; speed: number };
  }
}
