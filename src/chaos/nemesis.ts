import { z } from 'zod';
import type { RandomStreams, Rng, SimTime } from '../kernel/index.js';
import { duration, formatSpan } from '../units/index.js';
import { FAULT_CATALOG, faultSchema, type FaultSpec } from './catalog.js';
import type { FaultKind, NemesisDraw, NemesisPart } from './fault.js';

/** A duration drawn per fault: fixed, or uniform between two bounds. */
const drawnDuration = z.union([
  duration,
  z.strictObject({ min: duration, max: duration }).refine((d) => d.min <= d.max, { message: '"min" must not exceed "max"' }),
]);

/** How often one kind of fault strikes, and how long each lasts. */
const rate = z.strictObject({
  /** Mean time between strikes (a Poisson process). */
  every: duration.refine((d) => d > 0, { message: 'must be positive' }),
  /** How long each lasts. */
  duration: drawnDuration,
});

/** Catalog entries the nemesis may draw, in their nemesis order. */
const DRAWN = (FAULT_CATALOG as readonly FaultKind[])
  .filter((f): f is FaultKind & { nemesis: NemesisPart } => f.nemesis !== undefined)
  .sort((a, b) => a.nemesis.order - b.nemesis.order);

/** The kinds the nemesis may draw: those whose catalog entries have a `nemesis` part, in its order. */
export const NEMESIS_KINDS: readonly string[] = DRAWN.map((f) => f.kind);

/** Most strikes the nemesis draws of one kind: its whole timeline is planned before the run. */
export const MAX_STRIKES = 100_000;

export const nemesisSchema = z.strictObject({
  /** When the chaos phase starts. */
  start: duration,
  /** When it stops: faults that would begin later are not drawn, so the run ends with a quiet (liveness) phase. */
  stop: duration,
  /** Rates per fault kind; kinds not listed do not strike. */
  faults: z.partialRecord(z.enum(NEMESIS_KINDS as [string, ...string[]]), rate),
  budget: z.strictObject({
      /** Off: no limit on what is down at once (a finding is then not necessarily a bug). */
      enabled: z.boolean(),
      /** Most nodes down or frozen at once (crashes and pauses together). Not derived from replication_factor, so system settings never change the timeline. */
      max_nodes_down: z.number().int().min(0),
      /** Most partitions at once. */
      max_partitions: z.number().int().min(0),
    }),
  /** Nodes the nemesis must never touch (e.g. a node whose loss is outside the design). */
  spare: z.array(z.string()),
}).superRefine((spec, ctx) => {
  // The timeline is drawn up front: (stop - start) / every strikes per kind, each a fault spec in memory.
  for (const [kind, r] of Object.entries(spec.faults)) {
    const strikes = Math.max(0, spec.stop - spec.start) / r!.every;
    if (strikes > MAX_STRIKES) {
      ctx.addIssue({ code: 'custom', path: ['faults', kind, 'every'], message: `one ${kind} every ${formatSpan(r!.every)} from start to stop is about ${Math.round(strikes)} strikes; at most ${MAX_STRIKES} per kind (docs/scenarios.md, Limits): strike less often or stop sooner` });
    }
  }
});
export type NemesisSpec = z.output<typeof nemesisSchema>;

/** The names a nemesis draws targets from. */
export interface NemesisTargets {
  nodes: readonly string[];
  clouds: readonly string[];
}

interface Busy { from: SimTime; to: SimTime; kind: 'node' | 'partition' }

/**
 * Draws a random fault timeline up front from the nemesis's own streams
 * (`nemesis/<kind>`), one Poisson process per kind, taking the kinds in their
 * nemesis order. Within the budget, a strike that would put too many nodes
 * down (or partitions up) at once is skipped. The result is ordinary fault
 * specs, applied and recorded like hand-written ones.
 */
export function planNemesis(spec: NemesisSpec, targets: NemesisTargets, streams: RandomStreams): FaultSpec[] {
  const nodes = targets.nodes.filter((n) => !spec.spare.includes(n));
  const busy: Busy[] = [];
  const planned: Array<{ at: SimTime; order: number; raw: Record<string, unknown> }> = [];
  let order = 0;
  for (const { kind, nemesis } of DRAWN) {
    const r = spec.faults[kind];
    if (!r || nodes.length === 0) continue;
    const rng = streams.get(`nemesis/${kind}`);
    for (let at = spec.start + Math.round(rng.exponential(r.every)); at < spec.stop; at += Math.max(1, Math.round(rng.exponential(r.every)))) {
      const length = typeof r.duration === 'number' ? r.duration : Math.round(rng.uniform(r.duration.min, r.duration.max));
      const raw = { kind, at, ...nemesis.strike(draw(rng, nodes, targets.clouds, at, length)) };
      const costs = nemesis.budget;
      if (costs && spec.budget.enabled) {
        const limit = costs === 'node' ? spec.budget.max_nodes_down : spec.budget.max_partitions;
        const overlapping = busy.filter((b) => b.kind === costs && b.from < at + length && at < b.to).length;
        if (overlapping >= limit) continue;
        busy.push({ from: at, to: at + length, kind: costs });
      }
      planned.push({ at, order: order++, raw });
    }
  }
  planned.sort((a, b) => a.at - b.at || a.order - b.order);
  return planned.map((p) => faultSchema.parse(p.raw));
}

/** What one strike is drawn from: "the node" is drawn first, for every strike. */
function draw(rng: Rng, nodes: readonly string[], clouds: readonly string[], at: SimTime, length: SimTime): NemesisDraw {
  return {
    rng,
    at,
    length,
    node: rng.pick(nodes),
    nodes,
    clouds,
    pair() {
      if (clouds.length < 2) return [rng.pick(nodes), rng.pick(nodes)];
      const [a, b] = rng.shuffled(clouds);
      return [a!, b!];
    },
  };
}
