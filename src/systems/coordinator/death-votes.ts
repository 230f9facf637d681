import type { NodeRuntime } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { CoordPort, type Proposal, type Vote } from './messages.js';
import type { CoordinatorOptions } from './options.js';
import type { AgentPeers } from './peers.js';

export interface DeathVotesContext {
  rt: NodeRuntime;
  opts: CoordinatorOptions;
  telemetry: Telemetry;
  peers: AgentPeers;
  /** Whether this agent coordinates now: only then does a passed vote take effect. */
  leading: () => boolean;
  /** A vote passed while this agent coordinates: `agent` is dead (already marked in peers). */
  declared: (agent: number) => void;
}

/**
 * Document 003's failure handling: silence alone does not kill an agent. The
 * coordinator proposes that an agent silent past the timeout is dead, every
 * other live agent votes by its own view of that agent, and the proposal
 * passes only with a quorum of the electorate voting and more approvals than
 * rejections. A cut-off coordinator thus cannot strip agents the others
 * still hear.
 */
export class DeathVotes {
  private readonly proposals = new Map<number, { agent: number; approve: number; reject: number; electorate: number }>();
  private proposalSeq = 0;

  constructor(private readonly ctx: DeathVotesContext) {}

  /** The coordinator, once a heartbeat: a proposal for each silent agent not already dead or voted on. */
  supervise(): void {
    const { rt, opts, peers } = this.ctx;
    for (const a of opts.agents) {
      if (a === rt.self || peers.isDead(a) || peers.alive(a) || [...this.proposals.values()].some((p) => p.agent === a)) continue;
      const id = ++this.proposalSeq;
      const electorate = opts.agents.filter((x) => x !== a && peers.alive(x));
      this.proposals.set(id, { agent: a, approve: 1, reject: 0, electorate: electorate.length });
      for (const x of electorate) if (x !== rt.self) rt.send(x, CoordPort.proposal, { id, agent: a });
      rt.setTimer(opts.voteTimeout, () => this.tally(id));
    }
  }

  /** Any agent: approve if it too has not heard from the agent within the timeout. */
  vote(from: number, p: Proposal): void {
    const approve = this.ctx.peers.silence(p.agent) > this.ctx.opts.heartbeatTimeout;
    this.ctx.rt.send(from, CoordPort.vote, { id: p.id, approve });
  }

  counted(_from: number, v: Vote): void {
    const p = this.proposals.get(v.id);
    if (!p) return;
    if (v.approve) p.approve++;
    else p.reject++;
  }

  /** Quorum: enough of the electorate voted, and more approved than rejected. */
  private tally(id: number): void {
    const { rt, opts, telemetry, peers } = this.ctx;
    const p = this.proposals.get(id)!;
    this.proposals.delete(id);
    const quorum = p.approve + p.reject >= Math.ceil(opts.quorumThreshold * p.electorate);
    const passed = quorum && p.approve > p.reject;
    telemetry.emit({ kind: 'coord_vote', node: rt.self, agent: p.agent, passed });
    if (!passed || !this.ctx.leading()) return;
    peers.declareDead(p.agent);
    this.ctx.declared(p.agent);
  }
}
