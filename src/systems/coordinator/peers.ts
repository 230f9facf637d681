import type { NodeRuntime } from '../../world/runtime.js';
import type { Heartbeat } from './messages.js';
import type { CoordinatorOptions } from './options.js';

/**
 * What one agent knows of the others: when it last heard from each, the
 * latest heartbeat each sent (the inputs of its election score), and which
 * the coordinator declared dead. Every role of the agent asks it who is
 * alive, so they all agree at any moment.
 */
export class AgentPeers {
  private readonly lastHeard = new Map<number, number>();
  private readonly latest = new Map<number, Heartbeat>();
  /** Declared dead by a quorum vote; a heartbeat from one revives it. */
  private readonly dead = new Set<number>();

  constructor(private readonly rt: NodeRuntime, private readonly opts: CoordinatorOptions) {
    // Booting counts as hearing from everyone: silence is measured from here.
    const now = rt.monotonic();
    for (const a of opts.agents) this.lastHeard.set(a, now);
  }

  /** A sign of life from `agent` that is not a heartbeat (an announcement). */
  heard(agent: number): void {
    this.lastHeard.set(agent, this.rt.monotonic());
  }

  heartbeat(agent: number, hb: Heartbeat): void {
    this.heard(agent);
    this.latest.set(agent, hb);
    this.dead.delete(agent);
  }

  /** This agent, or one not declared dead and heard from within the heartbeat timeout. */
  alive(agent: number): boolean {
    return agent === this.rt.self || (!this.dead.has(agent) && this.silence(agent) <= this.opts.heartbeatTimeout);
  }

  /** The live agents, in configuration order. */
  live(): number[] {
    return this.opts.agents.filter((a) => this.alive(a));
  }

  /** How long `agent` has been silent (whatever was declared about it). */
  silence(agent: number): number {
    return this.rt.monotonic() - (this.lastHeard.get(agent) ?? -Infinity);
  }

  isDead(agent: number): boolean {
    return this.dead.has(agent);
  }

  /** The agents declared dead, in configuration order. */
  declaredDead(): number[] {
    return this.opts.agents.filter((a) => this.dead.has(a));
  }

  declareDead(agent: number): void {
    this.dead.add(agent);
  }

  /** Another agent's health as of its latest heartbeat (100 before any). */
  health(agent: number): number {
    return this.latest.get(agent)?.health ?? 100;
  }

  /** Another agent's election score as of its latest heartbeat; before any, its priority at full health and no load. */
  score(agent: number): number {
    const hb = this.latest.get(agent);
    return hb ? hb.priority + hb.health - hb.load : this.opts.priorities[this.opts.agents.indexOf(agent)]! + 100;
  }
}
