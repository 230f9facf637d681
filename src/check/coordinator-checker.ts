import type { SimTime } from '../kernel/index.js';
import type { TelemetryEvent } from '../systems/index.js';
import type { GroundTruth } from '../world/ground-truth.js';
import { InvariantSet, type InvariantResult } from './invariant.js';

export interface CoordinatorSummary {
  elections: number;
  tasks_submitted: number;
  tasks_completed: number;
  tasks_failed: number;
  /** Extra completions of tasks already completed (work done twice, counted once). */
  duplicate_executions: number;
  /** Tasks submitted before the settle window that never finished: silently dropped. */
  tasks_lost: number;
  /** Each time the coordinator crashed or left: when, who, who took over and how long that took (null: nobody by the end). */
  failovers: Array<{ at_s: number; from: string; to: string | null; after_s: number | null }>;
  /** Attempts of tasks that ended without success, by why (each was retried, or was the task's last). */
  task_retries: { failed: number; timeout: number; agent_dead: number };
  /** Each agent's health score as it reported it once a heartbeat: lowest, mean, last (agents in node order). */
  agent_health: Array<{ agent: string; min: number; mean: number; final: number }>;
  /** Proposals decided, by kind and outcome, and the weight of abstentions counted. */
  proposals: Record<ProposalKind, { decided: number; approved: number; rejected: number; no_quorum: number }> & { abstained_weight: number };
}

type ProposalKind = 'agent_dead' | 'policy_change';
const KINDS: readonly ProposalKind[] = ['agent_dead', 'policy_change'];

/**
 * Document 003's coordinator, judged from its events: at most one coordinator
 * per term; a task is completed at most once, and only after some agent
 * executed it; and every task submitted well before the end has completed or
 * failed (never silently dropped).
 */
export class CoordinatorChecker {
  private readonly invariants = new InvariantSet();
  private readonly oneCoordinator = this.invariants.declare('coordinator_one_per_term', 'at most one coordinator per term');
  private readonly once = this.invariants.declare('task_completed_once', 'a task completes at most once, and only after an agent ran it');
  private readonly noneLost = this.invariants.declare('task_never_dropped', 'every task submitted before the settle window completes or fails');
  private readonly order = this.invariants.declare('task_queue_priority_order', 'the coordinator never gives out a task while a task of higher priority needing the same capability waits in its queue');
  private readonly tally = this.invariants.declare('proposal_tally_matches_ballots', 'a decided proposal counts no more weight for each choice than the ballots cast for it, and its outcome follows from its counts (quorum of the electorate\'s weight, approvals over rejections)');
  /** Ballots cast on each open proposal ("proposer:id"), summed by choice; dropped when it is decided. */
  private readonly ballots = new Map<string, { approve: number; reject: number; abstain: number }>();
  private readonly retries = { failed: 0, timeout: 0, agent_dead: 0 };
  private readonly health = new Map<number, { min: number; sum: number; count: number; last: number }>();
  private readonly decided = Object.fromEntries(KINDS.map((k) => [k, { decided: 0, approved: 0, rejected: 0, no_quorum: 0 }])) as Record<ProposalKind, { decided: number; approved: number; rejected: number; no_quorum: number }>;
  private abstained = 0;
  /** Each coordinator's queue as its events show it: task id -> (priority, capability). */
  private readonly queues = new Map<number, Map<string, { priority: number; capability: string }>>();
  private readonly byTerm = new Map<number, number>();
  private readonly submittedAt = new Map<string, SimTime>();
  private readonly executed = new Set<string>();
  private readonly finished = new Map<string, 'completed' | 'failed'>();
  private duplicates = 0;
  private elections = 0;
  private lost = 0;
  private active = false;
  /** The agent that last announced itself coordinator, and the failovers since its crashes (the last may be open). */
  private coordinator = -1;
  private readonly failovers: Array<{ at: SimTime; from: number; to: number; after: SimTime | null }> = [];

  constructor(private readonly truth: GroundTruth, private readonly quorumThreshold: number) {
    truth.onNodeState((node, event) => {
      if (event !== 'crash' && event !== 'leave') return;
      // A crash takes the coordinator's volatile queue with it; the coordinator's own starts a failover.
      this.queues.delete(node.index);
      if (node.index === this.coordinator) {
        this.failovers.push({ at: truth.now, from: node.index, to: -1, after: null });
        this.coordinator = -1;
      }
    });
  }

  /**
   * Dispatch in priority order: when the coordinator gives out a task, no
   * task of higher priority with the same capability may still wait in its
   * queue (a task that cannot be placed leaves every later one of its
   * capability unplaced too: they need the same agents).
   */
  private judgeQueue(e: Extract<TelemetryEvent, { kind: 'coord_queue' }>): void {
    let queue = this.queues.get(e.node);
    if (e.phase === 'cleared') return void this.queues.delete(e.node);
    if (!queue) this.queues.set(e.node, (queue = new Map()));
    if (e.phase === 'queued') return void queue.set(e.id, { priority: e.priority, capability: e.capability });
    queue.delete(e.id);
    for (const [id, w] of queue) {
      if (w.capability === e.capability && w.priority > e.priority) {
        this.order.violated(this.truth.now, `${this.truth.nodes[e.node]!.name} gave out ${e.id} (priority ${e.priority}) while ${id} (priority ${w.priority}, ${w.capability}) waited`);
        return;
      }
    }
  }

  observe(e: TelemetryEvent): void {
    const now = this.truth.now;
    if (e.kind === 'coord_role') {
      this.active = true;
      this.elections++;
      const other = this.byTerm.get(e.term);
      if (other !== undefined && other !== e.node) this.oneCoordinator.violated(now, `term ${e.term} has two coordinators: ${this.truth.nodes[other]!.name} and ${this.truth.nodes[e.node]!.name}`);
      this.byTerm.set(e.term, e.node);
      if (e.coordinator) {
        const open = this.failovers.at(-1);
        if (open && open.after === null && e.node !== open.from) {
          open.to = e.node;
          open.after = now - open.at;
        }
        this.coordinator = e.node;
      }
      return;
    }
    if (e.kind === 'coord_queue') {
      this.active = true;
      return this.judgeQueue(e);
    }
    if (e.kind === 'coord_health') {
      const h = this.health.get(e.node) ?? { min: e.health, sum: 0, count: 0, last: e.health };
      this.health.set(e.node, { min: Math.min(h.min, e.health), sum: h.sum + e.health, count: h.count + 1, last: e.health });
      return;
    }
    if (e.kind === 'coord_retry') {
      this.retries[e.reason]++;
      return;
    }
    if (e.kind === 'coord_ballot') {
      const cast = this.ballots.get(`${e.proposer}:${e.id}`);
      if (cast) cast[e.ballot] += e.weight;
      return;
    }
    if (e.kind === 'coord_proposal') return this.judgeProposal(e);
    if (e.kind !== 'coord_task') return;
    this.active = true;
    switch (e.phase) {
      case 'submitted':
        this.submittedAt.set(e.id, now);
        return;
      case 'executed':
        this.executed.add(e.id);
        return;
      case 'duplicate':
        this.duplicates++;
        return;
      case 'completed':
      case 'failed':
        if (this.finished.has(e.id)) this.once.violated(now, `task ${e.id} ${e.phase} after it was already ${this.finished.get(e.id)}`);
        if (e.phase === 'completed' && !this.executed.has(e.id)) this.once.violated(now, `task ${e.id} completed but no agent ran it`);
        this.finished.set(e.id, e.phase);
        return;
    }
  }

  /**
   * A proposal's tally against the ballots its voters report casting: the
   * proposer may miss ballots (lost, late), never count more of a choice than
   * was cast, and its outcome must follow from what it counted.
   */
  private judgeProposal(e: Extract<TelemetryEvent, { kind: 'coord_proposal' }>): void {
    const key = `${e.node}:${e.id}`;
    if (e.phase === 'proposed') return void this.ballots.set(key, { approve: 0, reject: 0, abstain: 0 });
    const cast = this.ballots.get(key);
    this.ballots.delete(key);
    const who = this.truth.nodeName(e.node);
    const slack = 1e-9;
    if (cast) {
      for (const choice of ['approve', 'reject', 'abstain'] as const) {
        if (e[choice] > cast[choice] + slack) this.tally.violated(this.truth.now, `${who} counted ${e[choice]} ${choice} on proposal ${e.id} (${e.proposal}); ballots cast: ${cast[choice]}`);
      }
    }
    const quorum = e.approve + e.reject + e.abstain >= this.quorumThreshold * e.electorate - slack;
    const expected = !quorum ? 'no_quorum' : e.approve > e.reject ? 'approved' : 'rejected';
    if (e.outcome !== expected) this.tally.violated(this.truth.now, `${who} decided proposal ${e.id} ${e.outcome} with approve ${e.approve}, reject ${e.reject}, abstain ${e.abstain} of ${e.electorate}: the rule says ${expected}`);
    const d = this.decided[e.proposal];
    d.decided++;
    if (e.outcome !== '') d[e.outcome]++;
    this.abstained += e.abstain;
  }

  /**
   * At the end: tasks must have finished once `settle` has passed since both
   * their submission and the last fault to start or end (`quietSince`):
   * liveness is owed only after the chaos stops.
   */
  finish(settle: SimTime, quietSince: SimTime): void {
    if (!this.active) return;
    const now = this.truth.now;
    for (const [id, at] of this.submittedAt) {
      if (Math.max(at, quietSince) > now - settle || this.finished.has(id)) continue;
      this.lost++;
      if (this.lost === 1) this.noneLost.violated(now, `task ${id}, submitted at ${at / 1e6}s, never finished`);
      else this.noneLost.violated(now, `task ${id}`);
    }
  }

  results(): InvariantResult[] {
    return this.active ? this.invariants.results() : [];
  }

  summary(): CoordinatorSummary | undefined {
    if (!this.active) return undefined;
    const outcomes = [...this.finished.values()];
    return {
      elections: this.elections,
      tasks_submitted: this.submittedAt.size,
      tasks_completed: outcomes.filter((o) => o === 'completed').length,
      tasks_failed: outcomes.filter((o) => o === 'failed').length,
      duplicate_executions: this.duplicates,
      tasks_lost: this.lost,
      failovers: this.failovers.map((f) => ({ at_s: f.at / 1e6, from: this.truth.nodeName(f.from), to: f.to < 0 ? null : this.truth.nodeName(f.to), after_s: f.after === null ? null : f.after / 1e6 })),
      task_retries: { ...this.retries },
      agent_health: [...this.health].sort((a, b) => a[0] - b[0]).map(([node, h]) => ({ agent: this.truth.nodeName(node), min: h.min, mean: Math.round((h.sum / h.count) * 10) / 10, final: h.last })),
      proposals: { ...this.decided, abstained_weight: Math.round(this.abstained * 1000) / 1000 },
    };
  }
}
