import type { NodeRuntime } from '../../world/runtime.js';
import { DurableRecord } from '../durable-record.js';
import type { Telemetry } from '../telemetry.js';
import { CoordinatorBallot } from './ballot.js';
import { CoordPort, type Claim, type ClaimVote, type CoordinatorAnnounce, type Heartbeat } from './messages.js';
import type { CoordinatorOptions } from './options.js';
import type { AgentPeers } from './peers.js';

/** election: majority: the agent's term and the vote it cast in it, on its disk. */
interface SavedVote { term: number; votedFor: number }
const VOTE_KEY = 'coord/vote';

export interface ElectionContext {
  rt: NodeRuntime;
  opts: CoordinatorOptions;
  telemetry: Telemetry;
  peers: AgentPeers;
  /** An agent's election score (priority + health - load), this agent's own included. */
  score: (agent: number) => number;
  /** This agent stopped coordinating: it no longer hears a majority. */
  steppedDown: () => void;
  /** Another agent coordinates now (whether or not this one did). */
  deposed: () => void;
}

/**
 * Who coordinates, as this agent believes, and in which term. When no live
 * coordinator is known, the agent with the best score (ties to the lower
 * index) takes over (bully). With `election: majority` it must first win the
 * votes of a majority of all agents for its term (CoordinatorBallot, kept on
 * disk), and a coordinator that stops hearing a majority steps down.
 */
export class CoordinatorElection {
  private readonly rt: NodeRuntime;
  private readonly opts: CoordinatorOptions;
  private readonly peers: AgentPeers;
  private coordinatorNode = -1;
  private currentTerm = 0;
  private readonly ballot: CoordinatorBallot;
  /** election: majority: the term and this agent's vote in it, synced before a vote or a claim is sent. */
  private readonly votes: DurableRecord<SavedVote>;

  constructor(private readonly ctx: ElectionContext) {
    this.rt = ctx.rt;
    this.opts = ctx.opts;
    this.peers = ctx.peers;
    this.ballot = new CoordinatorBallot(ctx.opts.agents.length, ctx.rt.self);
    this.votes = new DurableRecord(ctx.rt, VOTE_KEY, () => ({ term: this.currentTerm, votedFor: this.ballot.votedIn(this.currentTerm) }), () => 64, ctx.opts.heartbeatInterval);
  }

  /** The coordinator this agent follows, -1 if none is known. */
  get coordinator(): number {
    return this.coordinatorNode;
  }

  get term(): number {
    return this.currentTerm;
  }

  get leading(): boolean {
    return this.coordinatorNode === this.rt.self;
  }

  /** Majority votes must survive a restart: the term and vote are taken up from disk before `then`. Bully keeps nothing. */
  restore(then: () => void): void {
    if (this.opts.election !== 'majority') return then();
    this.rt.disk.read(VOTE_KEY, (obj) => {
      const saved = obj?.data as SavedVote | undefined;
      if (saved) {
        this.currentTerm = saved.term;
        this.ballot.restore(saved.term, saved.votedFor);
      }
      then();
    });
  }

  /** Once a heartbeat: step down without a majority (election: majority); elect if no live coordinator is known. */
  check(): void {
    if (this.opts.election === 'majority' && this.leading && !this.hearsMajority()) this.stepDown();
    if (this.coordinatorNode === -1 || !this.peers.alive(this.coordinatorNode)) this.elect();
  }

  /** A heartbeat names the coordinator its sender follows: a later term settles it (under majority votes, so does its own claim to the current one). */
  heartbeat(from: number, hb: Heartbeat): void {
    if (hb.coordinator >= 0 && (hb.term > this.currentTerm || (this.opts.election === 'majority' && hb.term === this.currentTerm && hb.coordinator === from))) this.becomeCoordinator(hb.coordinator, hb.term);
  }

  /** Bully: among live agents the best score (ties to the lower index) takes over. */
  private elect(): void {
    const live = this.peers.live();
    const score = this.ctx.score;
    const best = live.reduce((b, a) => (score(a) > score(b) || (score(a) === score(b) && a < b) ? a : b));
    if (best !== this.rt.self) return;
    if (this.opts.election === 'majority') return this.campaign();
    this.currentTerm++;
    this.win(this.currentTerm);
  }

  private win(term: number): void {
    this.becomeCoordinator(this.rt.self, term);
    for (const a of this.opts.agents) if (a !== this.rt.self) this.rt.send(a, CoordPort.announce, { term });
  }

  announced(from: number, a: CoordinatorAnnounce): void {
    // Under majority votes a term has one winner, so its announcement settles the term; bully terms can collide.
    const settles = this.opts.election === 'majority' ? a.term >= this.currentTerm : a.term > this.currentTerm || (a.term === this.currentTerm && from < this.coordinatorNode);
    if (settles) this.becomeCoordinator(from, a.term);
  }

  // --- election: majority ----------------------------------------------------

  private hearsMajority(): boolean {
    return this.peers.live().length * 2 > this.opts.agents.length;
  }

  /** Asks every agent for its vote in the next term; gives up after the vote timeout. */
  private campaign(): void {
    if (this.ballot.campaigning || !this.hearsMajority()) return;
    const term = ++this.currentTerm;
    const alone = this.ballot.start(term);
    this.votes.save(() => {
      if (this.currentTerm !== term) return this.ballot.end(term);
      if (alone) return this.win(term);
      for (const a of this.opts.agents) if (a !== this.rt.self) this.rt.send(a, CoordPort.claim, { term });
      this.rt.setTimer(this.opts.voteTimeout, () => this.ballot.end(term));
    });
  }

  /** One vote per term, and none while this agent still hears a coordinator (a cut-off agent must not unseat it). */
  claimed(from: number, c: Claim): void {
    const following = this.coordinatorNode >= 0 && this.coordinatorNode !== from && this.peers.alive(this.coordinatorNode);
    const granted = c.term >= this.currentTerm && !following && this.ballot.grant(c.term, from);
    if (!granted) return this.rt.send(from, CoordPort.claimVote, { term: c.term, granted });
    this.currentTerm = c.term;
    this.votes.save(() => this.rt.send(from, CoordPort.claimVote, { term: c.term, granted }));
  }

  voted(from: number, v: ClaimVote): void {
    if (!v.granted || !this.ballot.counted(v.term, from) || v.term !== this.currentTerm) return;
    this.ballot.end(v.term);
    this.win(v.term);
  }

  /** A coordinator that no longer hears a majority stops acting as one; the majority side elects another. */
  private stepDown(): void {
    this.coordinatorNode = -1;
    this.ctx.steppedDown();
  }

  private becomeCoordinator(node: number, term: number): void {
    const changed = this.coordinatorNode !== node;
    this.coordinatorNode = node;
    this.currentTerm = term;
    if (changed && node === this.rt.self) this.ctx.telemetry.emit({ kind: 'coord_role', node: this.rt.self, term, coordinator: true });
    if (changed && node !== this.rt.self) this.ctx.deposed();
  }
}
