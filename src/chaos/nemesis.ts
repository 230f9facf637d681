import { z } from 'zod';
import type { RandomStreams, Rng, SimTime } from '../kernel/index.js';
import { duration } from '../units/index.js';
import { faultSchema, type FaultSpec } from './catalog.js';

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

const KINDS = ['node_crash', 'node_pause', 'partition', 'latency_spike', 'packet_loss', 'jitter', 'disk_slow', 'clock_skew', 'brownout'] as const;
type NemesisKind = (typeof KINDS)[number];

export const nemesisSchema = z.strictObject({
  /** When the chaos phase starts. */
  start: duration.default(0),
  /** When it stops: faults that would begin later are not drawn, so the run ends with a quiet (liveness) phase. */
  stop: duration,
  /** Rates per fault kind; kinds not listed do not strike. */
  faults: z.partialRecord(z.enum(KINDS), rate),
  budget: z
    .strictObject({
      /** Off: no limit on what is down at once (a finding is then not necessarily a bug). */
      enabled: z.boolean().default(true),
      /** Most nodes down or frozen at once (crashes and pauses together). Not derived from replication_factor, so system settings never change the timeline. */
      max_nodes_down: z.number().int().min(0).default(1),
      /** Most partitions at once. */
      max_partitions: z.number().int().min(0).default(1),
    })
    .default({ enabled: true, max_nodes_down: 1, max_partitions: 1 }),
  /** Nodes the nemesis must never touch (e.g. a node whose loss is outside the design). */
  spare: z.array(z.string()).default([]),
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
 * (`nemesis/<kind>`), one Poisson process per kind. Within the budget, a
 * strike that would put too many nodes down (or partitions up) at once is
 * skipped. The result is ordinary fault specs, applied and recorded like
 * hand-written ones.
 */
export function planNemesis(spec: NemesisSpec, targets: NemesisTargets, streams: RandomStreams): FaultSpec[] {
  const nodes = targets.nodes.filter((n) => !spec.spare.includes(n));
  const busy: Busy[] = [];
  const planned: Array<{ at: SimTime; order: number; raw: Record<string, unknown> }> = [];
  let order = 0;
  for (const kind of KINDS) {
    const r = spec.faults[kind];
    if (!r || nodes.length === 0) continue;
    const rng = streams.get(`nemesis/${kind}`);
    for (let at = spec.start + Math.round(rng.exponential(r.every)); at < spec.stop; at += Math.max(1, Math.round(rng.exponential(r.every)))) {
      const length = typeof r.duration === 'number' ? r.duration : Math.round(rng.uniform(r.duration.min, r.duration.max));
      const raw = strike(kind, rng, nodes, targets.clouds, at, length);
      const costs = kind === 'node_crash' || kind === 'node_pause' ? 'node' : kind === 'partition' ? 'partition' : undefined;
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

function strike(kind: NemesisKind, rng: Rng, nodes: readonly string[], clouds: readonly string[], at: SimTime, length: SimTime): Record<string, unknown> {
  const node = rng.pick(nodes);
  const pair = (): [string, string] => {
    if (clouds.length < 2) return [rng.pick(nodes), rng.pick(nodes)];
    const [a, b] = rng.shuffled(clouds);
    return [a!, b!];
  };
  switch (kind) {
    case 'node_crash':
      return { kind, at, node, restart_after: length };
    case 'node_pause':
      return { kind, at, node, duration: length };
    case 'partition':
      return rng.chance(0.5) ? { kind, at, duration: length, shape: 'isolate', node } : { kind, at, duration: length, shape: 'halves' };
    case 'latency_spike':
      return { kind, at, duration: length, between: pair(), multiply: 2 + Math.floor(rng.float() * 9) };
    case 'packet_loss':
      return { kind, at, duration: length, between: pair(), probability: Math.round(rng.uniform(0.05, 0.5) * 100) / 100 };
    case 'jitter':
      return { kind, at, duration: length, between: pair(), amount: 5_000 + Math.round(rng.float() * 45_000) };
    case 'disk_slow':
      return { kind, at, duration: length, node, bandwidth_divide: 2 + Math.floor(rng.float() * 9) };
    case 'clock_skew':
      return { kind, at, duration: length, node, offset: Math.round(rng.uniform(-2_000_000, 2_000_000)), drift_ppm: Math.round(rng.uniform(-500, 500)) };
    case 'brownout':
      return { kind, at, duration: length, node, factor: 2 + Math.floor(rng.float() * 4) };
  }
}
