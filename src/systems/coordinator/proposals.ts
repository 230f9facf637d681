import type { Rng } from '../../kernel/index.js';
import type { NodeRuntime } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { CoordPort, type Ballot, type Proposal, type ProposalKind, type Vote } from './messages.js';
import type { CoordinatorOptions } from './options.js';
import type { AgentPeers } from './peers.js';

export interface ProposalsContext {
  rt: NodeRuntime;
  opts: CoordinatorOptions;
  telemetry: Telemetry;
  peers: AgentPeers;
  /** Whether this agent coordinates now: only the coordinator proposes, and only then does a passed vote take effect. */
  leading: () => boolean;
  /** A vote passed while this agent coordinates: `agent` is dead (already marked in peers). */
  declared: (agent: number) => void;
  /** This agent's health score now (its vote's weight with `votes.weights: health`; it abstains on policy below 50). */
  health: () => number;
}

interface Open {
  kind: ProposalKind;
  /** The agent a death proposal is about; -1 for a policy change. */
  agent: number;
  approve: number;
  reject: number;
  abstain: number;
  /** Total weight of the live agents asked (and the proposer). */
  electorate: number;
  voters: Set<number>;
}

/** A health below this makes an agent abstain on policy: it does not trust its own judgement. */
const ABSTAIN_BELOW = 50;

/**
 * Document 003's consensus voting: the coordinator proposes, every other
 * live agent votes approve, reject or abstain, and the proposal passes only
 * if the weight of the votes cast (abstentions included) reaches
 * `quorum_threshold` of the electorate's weight and approvals outweigh
 * rejections. Two kinds of proposal:
 * - `agent_dead`: an agent silent past the heartbeat timeout. Each voter
 *   judges by its own view (approve if it too has not heard from it within
 *   the timeout), and abstains if it booted less than a timeout ago (its
 *   silence measure is no evidence yet). A cut-off coordinator thus cannot
 *   strip agents the others still hear.
 * - `policy_change` (with `coordinator.proposals`): a change of policy put to
 *   the vote every `proposals.every`; a voter approves with probability
 *   `proposals.approve` (its own `proposals` stream), and abstains while its
 *   health is below 50.
 * Weights (`votes.weights`): 1 each, the voter's health / 100, or its priority (at least 1).
 */
export class Proposals {
  private readonly open = new Map<number, Open>();
  /** Ids start from the boot time (like the repairer's attempts), so votes for a proposal of an earlier life never count. */
  private seq: number;
  private readonly rng: Rng;
  private readonly bootedAt: number;

  constructor(private readonly ctx: ProposalsContext) {
    this.seq = ctx.rt.monotonic() * 1024;
    this.bootedAt = ctx.rt.monotonic();
    this.rng = ctx.rt.rng('proposals');
    const every = ctx.opts.proposals?.every ?? 0;
    if (every > 0) {
      const tick = (): void => {
        ctx.rt.setTimer(every, tick);
        if (ctx.leading()) this.propose('policy_change', -1);
      };
      ctx.rt.setTimer(every, tick);
    }
  }

  /** The coordinator, once a heartbeat: a death proposal for each silent agent not already dead or voted on. */
  supervise(): void {
    const { rt, opts, peers } = this.ctx;
    for (const a of opts.agents) {
      if (a === rt.self || peers.isDead(a) || peers.alive(a) || [...this.open.values()].some((p) => p.agent === a)) continue;
      this.propose('agent_dead', a);
    }
  }

  private weightOf(agent: number, health: number): number {
    const { opts } = this.ctx;
    switch (opts.weights) {
      case 'health': return health / 100;
      case 'priority': return Math.max(1, opts.priorities[opts.agents.indexOf(agent)]!);
      default: return 1;
    }
  }

  private propose(kind: ProposalKind, agent: number): void {
    const { rt, opts, peers, telemetry } = this.ctx;
    const id = ++this.seq;
    const electorate = opts.agents.filter((x) => x !== agent && peers.alive(x));
    const weight = electorate.reduce((sum, x) => sum + this.weightOf(x, x === rt.self ? this.ctx.health() : peers.health(x)), 0);
    const open: Open = { kind, agent, approve: 0, reject: 0, abstain: 0, electorate: weight, voters: new Set() };
    this.open.set(id, open);
    telemetry.emit({ kind: 'coord_proposal', node: rt.self, id, proposal: kind, agent, phase: 'proposed', outcome: '', approve: 0, reject: 0, abstain: 0, electorate: weight });
    // The proposer votes too, by the same rule as everyone.
    this.count(open, rt.self, this.ballot(rt.self, id, kind, agent));
    for (const x of electorate) if (x !== rt.self) rt.send(x, CoordPort.proposal, { id, agent, kind });
    rt.setTimer(opts.voteTimeout, () => this.tally(id));
  }

  private judge(kind: ProposalKind, agent: number): Ballot {
    const { rt, opts, peers } = this.ctx;
    if (kind === 'agent_dead') {
      if (rt.monotonic() - this.bootedAt <= opts.heartbeatTimeout) return 'abstain';
      return peers.silence(agent) > opts.heartbeatTimeout ? 'approve' : 'reject';
    }
    if (this.ctx.health() < ABSTAIN_BELOW) return 'abstain';
    return this.rng.chance(opts.proposals?.approve ?? 0.5) ? 'approve' : 'reject';
  }

  /** Any agent: its vote on a proposal, by its own view, with its weight. */
  vote(from: number, p: Proposal): void {
    this.ctx.rt.send(from, CoordPort.vote, this.ballot(from, p.id, p.kind, p.agent));
  }

  private ballot(proposer: number, id: number, kind: ProposalKind, agent: number): Vote {
    const { rt, telemetry } = this.ctx;
    const v: Vote = { id, ballot: this.judge(kind, agent), weight: this.weightOf(rt.self, this.ctx.health()) };
    telemetry.emit({ kind: 'coord_ballot', node: rt.self, proposer, id, ballot: v.ballot, weight: v.weight });
    return v;
  }

  counted(from: number, v: Vote): void {
    const p = this.open.get(v.id);
    if (p) this.count(p, from, v);
  }

  private count(p: Open, from: number, v: Vote): void {
    if (p.voters.has(from)) return;
    p.voters.add(from);
    const ballot = v.ballot === 'abstain' && this.ctx.opts.defects?.has('abstain_counts_as_approve') ? 'approve' : v.ballot;
    p[ballot] += v.weight;
  }

  /** Quorum: the votes cast weigh at least the threshold's share of the electorate, and approvals outweigh rejections. */
  private tally(id: number): void {
    const { rt, opts, telemetry, peers } = this.ctx;
    const p = this.open.get(id)!;
    this.open.delete(id);
    // A hair of tolerance: weights are fractions, and a sum of them must not miss a quorum by rounding.
    const quorum = p.approve + p.reject + p.abstain >= opts.quorumThreshold * p.electorate - 1e-9;
    const passed = quorum && p.approve > p.reject;
    const outcome = !quorum ? 'no_quorum' : passed ? 'approved' : 'rejected';
    telemetry.emit({ kind: 'coord_proposal', node: rt.self, id, proposal: p.kind, agent: p.agent, phase: 'decided', outcome, approve: p.approve, reject: p.reject, abstain: p.abstain, electorate: p.electorate });
    if (p.kind !== 'agent_dead' || !passed || !this.ctx.leading()) return;
    peers.declareDead(p.agent);
    this.ctx.declared(p.agent);
  }
}

declare module '../telemetry.js' {
  interface TelemetryEvents {
    /** The coordinator on `node` put a proposal to the vote, then decided it with these weights (`agent`: the subject of a death proposal, -1 otherwise). */
    coord_proposal: { node: number; id: number; proposal: ProposalKind; agent: number; phase: 'proposed' | 'decided'; outcome: '' | 'approved' | 'rejected' | 'no_quorum'; approve: number; reject: number; abstain: number; electorate: number };
    /** Agent `node` cast this ballot, of this weight, on `proposer`'s proposal `id`. */
    coord_ballot: { node: number; proposer: number; id: number; ballot: Ballot; weight: number };
  }
}
