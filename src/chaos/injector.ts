import type { Simulator, SimTime } from '../kernel/index.js';
import { faultKind, type FaultSpec } from './catalog.js';
import type { FaultContext } from './fault.js';

/** How often a fault waiting for a role's holder looks again: a few events a second of leaderless time, and at most 10 ms late. */
const ROLE_RECHECK: SimTime = 10_000;

/** One line of the fault timeline (faults.csv). */
export interface FaultRecord {
  time: SimTime;
  /** Position of the fault in the scenario's list. */
  index: number;
  kind: string;
  /** `waiting`: its target named no node when it was due (a role nobody held); it strikes, with a `start` row, once someone holds it. */
  phase: 'start' | 'end' | 'waiting';
  targets: string;
}

/**
 * Schedules a scenario's faults on the simulator: each starts at `at` and,
 * when the kind says so, is undone after its duration. Keeps the timeline.
 */
export class FaultInjector {
  readonly timeline: FaultRecord[] = [];

  /** `afterChange` runs after every fault starts or ends (metrics that depend on reachability look again). */
  constructor(private readonly sim: Simulator, private readonly ctx: FaultContext, private readonly afterChange: () => void = () => {}) {}

  schedule(faults: readonly FaultSpec[]): void {
    faults.forEach((spec, index) => this.sim.at(spec.at, () => this.start(spec, index), undefined));
  }

  private start(spec: FaultSpec, index: number, waited = false): void {
    const entry = faultKind(spec.kind)!;
    const drawn = entry.draw?.(this.ctx, spec as never) ?? [];
    let targets = entry.describe(spec as never, drawn.map((n) => this.ctx.world.nodes[n]!.name));
    // A role target ("@raft-leader") may name nobody when the fault is due (an election under way): it waits for a holder.
    const empty = entry.names(spec as never).find((ref) => this.ctx.members(ref.name).length === 0);
    if (empty) {
      if (!waited) this.timeline.push({ time: this.sim.now, index, kind: spec.kind, phase: 'waiting', targets: `${targets} (no node is ${empty.name} now; it strikes when one is)` });
      this.sim.after(ROLE_RECHECK, () => this.start(spec, index, true), undefined);
      return;
    }
    // Whom a role named when the fault struck, so faults.csv says which node it hit.
    const roles = [...new Set(entry.names(spec as never).map((ref) => ref.name).filter((name) => name.startsWith('@')))];
    const resolved = roles.map((role) => `${role}=${this.ctx.members(role).map((n) => this.ctx.world.nodes[n]!.name).join('+')}`);
    if (resolved.length > 0) targets = `${targets} (${resolved.join(', ')})`;
    const undo = entry.apply(this.ctx, spec as never, drawn);
    this.timeline.push({ time: this.sim.now, index, kind: spec.kind, phase: 'start', targets });
    this.ctx.world.trace('fault', -1, `${spec.kind} start ${targets}`);
    this.afterChange();
    const endsAfter = entry.endsAfter(spec as never);
    if (undo && endsAfter !== undefined) {
      this.sim.after(endsAfter, () => {
        undo();
        this.timeline.push({ time: this.sim.now, index, kind: spec.kind, phase: 'end', targets });
        this.ctx.world.trace('fault', -1, `${spec.kind} end ${targets}`);
        this.afterChange();
      }, undefined);
    }
  }
}
