import type { NodeRuntime } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { DurableRecord } from '../durable-record.js';
import { CoordinatorBallot } from './ballot.js';
import { HeldTasks } from './held-tasks.js';
import { CoordPort, type Claim, type ClaimVote, type CoordinatorAnnounce, type Done, type Heartbeat, type Proposal, type Refuse, type Run, type Submit, type Submitted, type Task, type Vote } from './messages.js';
import type { CoordinatorOptions } from './options.js';
import { PipelineLoad, type ExternalAssignment } from './pipeline-load.js';

/** election: majority: the agent's term and the vote it cast in it, on its disk. */
interface SavedVote { term: number; votedFor: number }
const VOTE_KEY = 'coord/vote';

interface Assignment { task: Task; agent: number; attempt: number; submitter: number }

/**
 * One agent of document 003's coordinator, on every agent node. Agents
 * heartbeat their priority, health and load to each other. When no live
 * coordinator is known, the agent with the best score (priority + health -
 * load, ties to the lower index) announces itself (bully). The coordinator
 * keeps a priority queue of tasks and gives each to the least-loaded live
 * agent with the capability it needs; an agent silent past the timeout is
 * declared dead only by a quorum vote of the others, and its tasks are then
 * reassigned, up to max_retries attempts.
 *
 * External (pipeline) tasks differ in three ways: the agent holds them until
 * the submitter releases them (HeldTasks) instead of running a timer; they go
 * only to an agent with a free processing slot (PipelineLoad); and the
 * submitter owns their retry budget, so a dead agent's external tasks are
 * reassigned without counting attempts.
 */
export class CoordinatorAgent {
  private readonly lastHeard = new Map<number, number>();
  private readonly peerInfo = new Map<number, Heartbeat>();
  private coordinator = -1;
  private term = 0;
  private health = 100;
  private readonly running = new Map<string, Run>();
  /** Tasks this agent ran, with their answer, so a repeated run is answered, not run again (volatile: lost with a crash). */
  private readonly executed = new Map<string, Done>();
  // Coordinator state (volatile: a new coordinator starts empty and learns from resubmissions).
  private readonly queue: Array<{ task: Task; submitter: number; attempt: number }> = [];
  private readonly assigned = new Map<string, Assignment>();
  private readonly dead = new Set<number>();
  private readonly proposals = new Map<number, { agent: number; approve: number; reject: number; electorate: number }>();
  private proposalSeq = 0;
  private readonly index: number;
  private readonly held: HeldTasks;
  private readonly ballot: CoordinatorBallot;
  /** election: majority: the term and this agent's vote in it, synced before a vote or a claim is sent. */
  private readonly votes: DurableRecord<SavedVote>;
  private readonly pipelineLoad: PipelineLoad;

  constructor(private readonly rt: NodeRuntime, private readonly opts: CoordinatorOptions, private readonly telemetry: Telemetry) {
    this.index = opts.agents.indexOf(rt.self);
    this.held = new HeldTasks(rt, opts.slots[this.index]!);
    this.ballot = new CoordinatorBallot(opts.agents.length, rt.self);
    this.votes = new DurableRecord(rt, VOTE_KEY, () => ({ term: this.term, votedFor: this.ballot.votedIn(this.term) }), () => 64, opts.heartbeatInterval);
    this.pipelineLoad = new PipelineLoad(opts.agents, opts.slots, () => this.held.ids(), rt.self);
    const now = rt.monotonic();
    for (const a of opts.agents) this.lastHeard.set(a, now);
    if (opts.election !== 'majority') {
      this.start();
      return;
    }
    // Majority votes must survive a restart: take up the term and vote from disk first.
    rt.disk.read(VOTE_KEY, (obj) => {
      const saved = obj?.data as SavedVote | undefined;
      if (saved) {
        this.term = saved.term;
        this.ballot.restore(saved.term, saved.votedFor);
      }
      this.start();
    });
  }

  private start(): void {
    const rt = this.rt;
    rt.listen(CoordPort.heartbeat, (from, hb) => this.onHeartbeat(from, hb));
    rt.listen(CoordPort.announce, (from, a) => this.onAnnounce(from, a));
    rt.listen(CoordPort.claim, (from, c) => this.onClaim(from, c));
    rt.listen(CoordPort.claimVote, (from, v) => this.onClaimVote(from, v));
    rt.listen(CoordPort.proposal, (from, p) => this.onProposal(from, p));
    rt.listen(CoordPort.vote, (from, v) => this.onVote(from, v));
    rt.listen(CoordPort.submit, (from, s) => this.onSubmit(from, s));
    rt.listen(CoordPort.run, (from, run) => this.onRun(from, run));
    rt.listen(CoordPort.done, (from, d) => this.onDone(from, d));
    rt.listen(CoordPort.release, (_from, r) => this.held.release(r.id));
    rt.listen(CoordPort.refuse, (from, r) => this.onRefuse(from, r));
    this.tick();
  }

  private get load(): number {
    return this.running.size + this.held.size;
  }

  private score(agent: number): number {
    if (agent === this.rt.self) return this.opts.priorities[this.index]! + this.health - this.load;
    const hb = this.peerInfo.get(agent);
    const i = this.opts.agents.indexOf(agent);
    return hb ? hb.priority + hb.health - hb.load : this.opts.priorities[i]! + 100;
  }

  private alive(agent: number): boolean {
    return agent === this.rt.self || (!this.dead.has(agent) && this.rt.monotonic() - (this.lastHeard.get(agent) ?? -Infinity) <= this.opts.heartbeatTimeout);
  }

  private tick(): void {
    this.rt.setTimer(this.opts.heartbeatInterval, () => this.tick());
    const hb: Heartbeat = { priority: this.opts.priorities[this.index]!, health: this.health, load: this.load, coordinator: this.coordinator, term: this.term, held: this.held.ids() };
    for (const a of this.opts.agents) if (a !== this.rt.self) this.rt.send(a, CoordPort.heartbeat, hb);
    this.held.reclaim();
    if (this.opts.election === 'majority' && this.coordinator === this.rt.self && !this.hearsMajority()) this.stepDown();
    if (this.coordinator === -1 || !this.alive(this.coordinator)) this.elect();
    if (this.coordinator === this.rt.self) this.superviseAgents();
  }

  /** Bully: among live agents the best score (ties to the lower index) takes over. */
  private elect(): void {
    const live = this.opts.agents.filter((a) => this.alive(a));
    const best = live.reduce((b, a) => (this.score(a) > this.score(b) || (this.score(a) === this.score(b) && a < b) ? a : b));
    if (best !== this.rt.self) return;
    if (this.opts.election === 'majority') return this.campaign();
    this.term++;
    this.win(this.term);
  }

  private win(term: number): void {
    this.becomeCoordinator(this.rt.self, term);
    for (const a of this.opts.agents) if (a !== this.rt.self) this.rt.send(a, CoordPort.announce, { term });
  }

  // --- election: majority ----------------------------------------------------

  private hearsMajority(): boolean {
    return this.opts.agents.filter((a) => this.alive(a)).length * 2 > this.opts.agents.length;
  }

  /** Asks every agent for its vote in the next term; gives up after the vote timeout. */
  private campaign(): void {
    if (this.ballot.campaigning || !this.hearsMajority()) return;
    const term = ++this.term;
    const alone = this.ballot.start(term);
    this.votes.save(() => {
      if (this.term !== term) return this.ballot.end(term);
      if (alone) return this.win(term);
      for (const a of this.opts.agents) if (a !== this.rt.self) this.rt.send(a, CoordPort.claim, { term } satisfies Claim);
      this.rt.setTimer(this.opts.voteTimeout, () => this.ballot.end(term));
    });
  }


  /** One vote per term, and none while this agent still hears a coordinator (a cut-off agent must not unseat it). */
  private onClaim(from: number, c: Claim): void {
    const following = this.coordinator >= 0 && this.coordinator !== from && this.alive(this.coordinator);
    const granted = c.term >= this.term && !following && this.ballot.grant(c.term, from);
    if (!granted) return this.rt.send(from, CoordPort.claimVote, { term: c.term, granted } satisfies ClaimVote);
    this.term = c.term;
    this.votes.save(() => this.rt.send(from, CoordPort.claimVote, { term: c.term, granted } satisfies ClaimVote));
  }

  private onClaimVote(from: number, v: ClaimVote): void {
    if (!v.granted || !this.ballot.counted(v.term, from) || v.term !== this.term) return;
    this.ballot.end(v.term);
    this.win(v.term);
  }

  /** A coordinator that no longer hears a majority stops acting as one; the majority side elects another. */
  private stepDown(): void {
    this.coordinator = -1;
    this.queue.length = 0;
    this.assigned.clear();
    this.pipelineLoad.reset();
  }

  private becomeCoordinator(node: number, term: number): void {
    const changed = this.coordinator !== node;
    this.coordinator = node;
    this.term = term;
    if (changed && node === this.rt.self) this.telemetry.emit({ kind: 'coord_role', node: this.rt.self, term, coordinator: true });
    if (changed && node !== this.rt.self && this.queue.length + this.assigned.size > 0) {
      // Deposed: give up the queue; submitters resubmit what is not done.
      this.queue.length = 0;
      this.assigned.clear();
      this.pipelineLoad.reset();
    }
  }

  private onHeartbeat(from: number, hb: Heartbeat): void {
    this.lastHeard.set(from, this.rt.monotonic());
    this.peerInfo.set(from, hb);
    this.dead.delete(from);
    if (hb.coordinator >= 0 && (hb.term > this.term || (this.opts.election === 'majority' && hb.term === this.term && hb.coordinator === from))) this.becomeCoordinator(hb.coordinator, hb.term);
    this.reconcile(from, hb.held);
  }

  /**
   * Every agent keeps what the others report holding, so that it knows their
   * load the moment it becomes coordinator. The coordinator also ends
   * assignments an agent no longer holds, and hands out waiting work if an
   * agent may have room again.
   */
  private reconcile(agent: number, held: readonly string[]): void {
    const { over, changed } = this.pipelineLoad.heard(agent, held, this.externalAssignments());
    if (this.coordinator !== this.rt.self) return;
    for (const id of over) this.assigned.delete(id);
    if (changed) this.dispatch();
  }

  private *externalAssignments(): Iterable<ExternalAssignment> {
    for (const a of this.assigned.values()) yield { id: a.task.id, agent: a.agent, external: a.task.external === true };
  }

  private onAnnounce(from: number, a: CoordinatorAnnounce): void {
    this.lastHeard.set(from, this.rt.monotonic());
    // Under majority votes a term has one winner, so its announcement settles the term; bully terms can collide.
    const settles = this.opts.election === 'majority' ? a.term >= this.term : a.term > this.term || (a.term === this.term && from < this.coordinator);
    if (settles) this.becomeCoordinator(from, a.term);
  }

  // --- failure handling by quorum vote ---------------------------------------

  private superviseAgents(): void {
    for (const a of this.opts.agents) {
      if (a === this.rt.self || this.dead.has(a) || this.alive(a) || [...this.proposals.values()].some((p) => p.agent === a)) continue;
      const id = ++this.proposalSeq;
      const electorate = this.opts.agents.filter((x) => x !== a && this.alive(x));
      this.proposals.set(id, { agent: a, approve: 1, reject: 0, electorate: electorate.length });
      for (const x of electorate) if (x !== this.rt.self) this.rt.send(x, CoordPort.proposal, { id, agent: a });
      this.rt.setTimer(this.opts.voteTimeout, () => this.tally(id));
    }
  }

  private onProposal(from: number, p: Proposal): void {
    const approve = this.rt.monotonic() - (this.lastHeard.get(p.agent) ?? -Infinity) > this.opts.heartbeatTimeout;
    this.rt.send(from, CoordPort.vote, { id: p.id, approve });
  }

  private onVote(_from: number, v: Vote): void {
    const p = this.proposals.get(v.id);
    if (!p) return;
    if (v.approve) p.approve++;
    else p.reject++;
  }

  /** Quorum: enough of the electorate voted, and more approved than rejected. */
  private tally(id: number): void {
    const p = this.proposals.get(id)!;
    this.proposals.delete(id);
    const quorum = p.approve + p.reject >= Math.ceil(this.opts.quorumThreshold * p.electorate);
    const passed = quorum && p.approve > p.reject;
    this.telemetry.emit({ kind: 'coord_vote', node: this.rt.self, agent: p.agent, passed });
    if (!passed || this.coordinator !== this.rt.self) return;
    this.dead.add(p.agent);
    for (const [id2, asg] of [...this.assigned]) {
      if (asg.agent !== p.agent) continue;
      this.assigned.delete(id2);
      this.retryOrFail(asg.task, asg.submitter, asg.attempt, `agent ${p.agent} declared dead`);
    }
    this.dispatch();
  }

  // --- tasks -----------------------------------------------------------------

  private onSubmit(from: number, s: Submit): void {
    const replyPort = s.replyPort ?? CoordPort.submitted;
    if (this.coordinator !== this.rt.self) return this.rt.send(from, replyPort, { id: s.task.id, ok: false, coordinator: this.coordinator } satisfies Submitted);
    const asg = this.assigned.get(s.task.id);
    // Resubmitted while assigned: the run, its claim or its Done was lost, so send the run again (the agent does not run it twice).
    if (asg) this.rt.send(asg.agent, CoordPort.run, { task: asg.task, attempt: asg.attempt, submitter: asg.submitter });
    if (!asg && !this.queue.some((q) => q.task.id === s.task.id)) this.queue.push({ task: s.task, submitter: from, attempt: 1 });
    this.rt.send(from, replyPort, { id: s.task.id, ok: true, coordinator: this.rt.self } satisfies Submitted);
    this.dispatch();
  }

  /**
   * Highest priority first (then submission order), each to the least-loaded
   * live capable agent; an external task only to one with a free processing
   * slot, least loaded as a share of its slots, and otherwise it waits.
   */
  private dispatch(): void {
    this.queue.sort((a, b) => b.task.priority - a.task.priority);
    const load = new Map(this.opts.agents.map((a) => [a, 0]));
    for (const asg of this.assigned.values()) load.set(asg.agent, load.get(asg.agent)! + 1);
    const external = this.queue.some((q) => q.task.external) ? this.pipelineLoad.estimate(this.externalAssignments()) : new Map<number, number>();
    const waiting: typeof this.queue = [];
    for (const q of this.queue) {
      const capable = this.opts.agents.filter((a, i) => this.alive(a) && this.opts.capabilities[i]!.includes(q.task.capability) && (!q.task.external || this.pipelineLoad.hasRoom(a, external)));
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
      this.assigned.set(q.task.id, { task: q.task, agent, attempt: q.attempt, submitter: q.submitter });
      this.rt.send(agent, CoordPort.run, { task: q.task, attempt: q.attempt, submitter: q.submitter });
    }
    this.queue.length = 0;
    this.queue.push(...waiting);
  }

  private retryOrFail(task: Task, submitter: number, attempt: number, reason: string): void {
    // The submitter of an external task owns its retry budget: here it is only handed to another agent.
    if (task.external) return void this.queue.push({ task, submitter, attempt: attempt + 1 });
    // The submitter owns the outcome and declares the failure when told.
    if (attempt >= this.opts.maxRetries) return this.rt.send(submitter, CoordPort.taskDone, { id: task.id, attempt, ok: false });
    this.queue.push({ task, submitter, attempt: attempt + 1 });
  }

  /** An agent runs a task for its duration, then tells the coordinator and the submitter; an external task it only holds. */
  private onRun(from: number, run: Run): void {
    if (run.task.external) return this.held.run(from, run);
    const submitter = run.submitter;
    const sendDone = (done: Done): void => {
      this.rt.send(from, CoordPort.done, done);
      this.rt.send(submitter, CoordPort.taskDone, done);
    };
    // A repeated run (its Done was lost, the task was resubmitted): still running, or answered again without running twice.
    if (this.running.has(run.task.id)) return;
    const finished = this.executed.get(run.task.id);
    if (finished) return sendDone(finished);
    this.running.set(run.task.id, run);
    this.rt.setTimer(run.task.duration, () => {
      this.running.delete(run.task.id);
      this.telemetry.emit({ kind: 'coord_task', node: this.rt.self, id: run.task.id, phase: 'executed', reason: '' });
      const done: Done = { id: run.task.id, attempt: run.attempt, ok: true };
      this.executed.set(run.task.id, done);
      sendDone(done);
    });
  }

  private onDone(from: number, d: Done): void {
    const asg = this.assigned.get(d.id);
    if (asg?.task.external) this.pipelineLoad.released(from, d.id);
    if (!asg || asg.attempt !== d.attempt) return;
    this.assigned.delete(d.id);
    if (!d.ok) this.retryOrFail(asg.task, asg.submitter, asg.attempt, 'task failed');
    this.dispatch();
  }

  /** An agent at capacity gave the task back: it waits for another (no attempt is used up). */
  private onRefuse(from: number, r: Refuse): void {
    const asg = this.assigned.get(r.id);
    if (!asg || asg.agent !== from || asg.attempt !== r.attempt) return;
    this.assigned.delete(r.id);
    this.pipelineLoad.refused(from);
    this.queue.push({ task: asg.task, submitter: asg.submitter, attempt: asg.attempt });
    this.dispatch();
  }
}
