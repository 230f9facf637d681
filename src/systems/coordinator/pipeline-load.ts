export interface PipelineLoadContext {
  /** The agents and their processing slots (same order). */
  agents: readonly number[];
  slots: readonly number[];
  /** The external tasks this agent itself holds (it sends itself no heartbeat). */
  ownHeld: () => readonly string[];
  self: number;
}

/** What the coordinator needs to know of one assignment to estimate load. */
export interface ExternalAssignment { id: string; agent: number; external: boolean }

/**
 * The coordinator's estimate of how many external (pipeline) tasks each agent
 * holds, against its processing slots. A coordinator knows what it assigned
 * itself; heartbeats tell it what agents hold (tasks a previous coordinator
 * assigned, after a failover) and reveal releases whose message to it was
 * lost: an assignment an agent's heartbeat once listed and no longer does is
 * over. The estimate may still be wrong for a moment (a stale heartbeat), so
 * agents enforce their capacity themselves and refuse what does not fit;
 * a refusing agent counts as full until it releases something.
 */
export class PipelineLoad {
  private readonly reported = new Map<number, Set<string>>();
  /** Assignments their agent has been seen holding. */
  private readonly confirmed = new Set<string>();
  private readonly full = new Set<number>();

  constructor(private readonly ctx: PipelineLoadContext) {}

  /** A new assignment is unconfirmed until its agent reports holding it. */
  assigned(id: string): void {
    this.confirmed.delete(id);
  }

  /**
   * A heartbeat from `agent` listing what it holds. `over`: assignments it
   * was seen holding and no longer does (released with the message to this
   * coordinator lost, or the agent restarted). `changed`: the estimate for
   * `agent` may have dropped, so waiting tasks may fit now.
   */
  heard(agent: number, held: readonly string[], assignments: Iterable<ExternalAssignment>): { over: string[]; changed: boolean } {
    const now = new Set(held);
    const before = this.reported.get(agent);
    let changed = before !== undefined && [...before].some((id) => !now.has(id));
    this.reported.set(agent, now);
    if (held.length < this.capacity(agent) && this.full.delete(agent)) changed = true;
    const over: string[] = [];
    for (const a of assignments) {
      if (!a.external || a.agent !== agent) continue;
      if (now.has(a.id)) this.confirmed.add(a.id);
      else if (this.confirmed.has(a.id)) over.push(a.id);
    }
    for (const id of over) this.confirmed.delete(id);
    return { over, changed: changed || over.length > 0 };
  }

  /** `agent` gave an assignment back: it is full, whatever the estimate says. */
  refused(agent: number): void {
    this.full.add(agent);
  }

  /** `agent` let go of `id`: a slot is free there now. */
  released(agent: number, id: string): void {
    this.full.delete(agent);
    this.reported.get(agent)?.delete(id);
    this.confirmed.delete(id);
  }

  /** External tasks per agent: this coordinator's assignments plus what agents report beyond them. */
  estimate(assignments: Iterable<ExternalAssignment>): Map<number, number> {
    const load = new Map(this.ctx.agents.map((a) => [a, 0]));
    const known = new Set<string>();
    for (const a of assignments) {
      if (!a.external) continue;
      known.add(a.id);
      load.set(a.agent, load.get(a.agent)! + 1);
    }
    for (const agent of this.ctx.agents) {
      const held = agent === this.ctx.self ? this.ctx.ownHeld() : [...(this.reported.get(agent) ?? [])];
      for (const id of held) if (!known.has(id)) load.set(agent, load.get(agent)! + 1);
    }
    return load;
  }

  hasRoom(agent: number, load: ReadonlyMap<number, number>): boolean {
    return !this.full.has(agent) && load.get(agent)! < this.capacity(agent);
  }

  /** Share of its slots an agent uses: the measure of "least loaded" for pipeline tasks, as the orchestrator's own choice uses. */
  share(agent: number, load: ReadonlyMap<number, number>): number {
    return load.get(agent)! / this.capacity(agent);
  }

  capacity(agent: number): number {
    return this.ctx.slots[this.ctx.agents.indexOf(agent)]!;
  }

  /** A deposed coordinator forgets its estimate with its assignments. */
  reset(): void {
    this.confirmed.clear();
    this.full.clear();
  }
}
