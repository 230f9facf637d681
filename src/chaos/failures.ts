import { z } from 'zod';
import type { RandomStreams, Rng, SimTime } from '../kernel/index.js';
import { delaySchema, drawDelay, meanDelay, type DelaySpec } from '../units/delay.js';
import { duration, MAX_DURATION } from '../units/index.js';
import { faultSchema, type FaultSpec } from './catalog.js';
import { drawLifetime, lifetimeSchema, meanLifetime, percent } from './lifetimes.js';

export const failuresSchema = z.strictObject({
  /** When the processes start: every machine and disk is new then (age 0). */
  start: duration,
  /** No failure starts at or after this; omitted: the end of the run. */
  stop: duration.optional(),
  /** Machines: each fails at the end of a drawn lifetime, for a while (a crash) or for good (its disk with it). */
  nodes: z.strictObject({
    lifetime: lifetimeSchema,
    /** The share of failures that are permanent (the machine and its disk are lost); the rest are crashes the machine comes back from. */
    permanent: percent.refine((p) => p <= 1, { message: 'must be at most 1 (100%)' }).default(1),
    /** How long a crashed machine stays down (needed when some failures are not permanent). */
    downtime: delaySchema.optional(),
    /** How long until a new machine with an empty disk takes a lost one's place; omitted: never (the slot stays empty). */
    replace_after: delaySchema.optional(),
  }).refine((n) => n.permanent === 1 || n.downtime !== undefined, { message: 'with "permanent" below 1 some failures are crashes: give "downtime" (how long a crashed machine stays down)', path: ['downtime'] }).optional(),
  /** Data disks: each dies at the end of a drawn lifetime while its machine stays up. */
  disks: z.strictObject({
    lifetime: lifetimeSchema,
    /** How long until a new, empty disk replaces a dead one (the node's software restarts on it); omitted: never. */
    replace_after: delaySchema.optional(),
  }).optional(),
  /**
   * Correlated bursts: a rack (a region without racks is one) fails as a
   * whole at the end of a drawn interval (a power or top-of-rack switch
   * failure), its machines down together for a drawn downtime, each lost for
   * good with probability `lose` (disks that do not survive the event).
   */
  racks: z.strictObject({
    /** Time from a rack's start (or its return) to its next failure. */
    every: lifetimeSchema,
    /** How long the rack's machines stay down. */
    downtime: delaySchema,
    /** The chance that each machine of the failing rack is lost for good (0: none). */
    lose: percent.refine((p) => p <= 1, { message: 'must be at most 1 (100%)' }).default(0),
    /** How long until a new machine takes a lost one's place; omitted: never. */
    replace_after: delaySchema.optional(),
  }).optional(),
  /** Nodes that never fail by these processes. */
  spare: z.array(z.string()),
});
export type FailuresSpec = z.output<typeof failuresSchema>;

/** Most failures the processes may plan for one run: the whole timeline is drawn before the run. */
export const MAX_FAILURES = 1_000_000;

/**
 * About how many failures the processes plan for `nodes` machines over
 * `span` (a renewal count: the span over a mean life plus its repair, and
 * one more per machine), for the limit on a run's timeline.
 */
export function expectedFailures(spec: FailuresSpec, nodes: number, span: SimTime): number {
  let perNode = 0;
  if (spec.nodes) {
    const n = spec.nodes;
    const away = n.permanent * (n.replace_after === undefined ? 0 : meanDelay(n.replace_after)) + (1 - n.permanent) * (n.downtime === undefined ? 0 : meanDelay(n.downtime));
    perNode += span / (meanLifetime(n.lifetime) + away) + 1;
  }
  if (spec.disks) perNode += span / (meanLifetime(spec.disks.lifetime) + (spec.disks.replace_after === undefined ? 0 : meanDelay(spec.disks.replace_after))) + 1;
  // A rack burst is one fault per rack, plus the machines it loses: counted per node, at most one each.
  if (spec.racks) perNode += span / (meanLifetime(spec.racks.every) + meanDelay(spec.racks.downtime)) + 1;
  return perNode * nodes;
}

/** A rack and its machines (by name), as the failure processes see them. */
export interface RackNodes {
  name: string;
  nodes: readonly string[];
}

/**
 * Draws the failure processes' whole timeline before the run, as ordinary
 * fault specs (`node_loss` with its replacement in place, `node_crash`,
 * `disk_fail`). Every node has its own streams, `failures/node/<name>` and
 * `failures/disk/<name>`: a node's timeline depends on the seed and its
 * name only, so adding nodes, a disk process, a nemesis or any system
 * setting never moves it. Per life, in this order: the lifetime, then
 * (machines) whether it is permanent, then the downtime or the replacement
 * delay. A machine or disk that is replaced, or comes back, starts a new
 * life at age 0; one never replaced fails no more. Rack bursts draw from
 * `failures/rack/<rack>`: the interval, the downtime, one draw per machine
 * (lost or not), then each loss's replacement delay.
 */
export function planFailures(spec: FailuresSpec, nodes: readonly string[], horizon: SimTime, streams: RandomStreams, racks: readonly RackNodes[] = []): FaultSpec[] {
  const stop = Math.min(spec.stop ?? horizon, horizon);
  const planned: Array<{ at: SimTime; order: number; raw: Record<string, unknown> }> = [];
  let order = 0;
  const plan = (at: SimTime, raw: Record<string, unknown>) => planned.push({ at, order: order++, raw: { ...raw, at } });
  for (const node of nodes) {
    if (spec.spare.includes(node)) continue;
    if (spec.nodes) {
      const n = spec.nodes;
      const rng = streams.get(`failures/node/${node}`);
      for (let at = spec.start + drawLifetime(rng, n.lifetime); at < stop; ) {
        // Drawn for every failure, whatever `permanent` is: changing it moves no first failure (nor later ones while both delays draw alike).
        const permanent = rng.float() < n.permanent;
        if (!permanent) {
          const down = drawDelay(rng, n.downtime!);
          plan(at, { kind: 'node_crash', node, restart_after: down });
          at += down + drawLifetime(rng, n.lifetime);
          continue;
        }
        if (n.replace_after === undefined) {
          plan(at, { kind: 'node_loss', node });
          break;
        }
        const replace = drawDelay(rng, n.replace_after);
        plan(at, { kind: 'node_loss', node, replace_after: replace, replace_with: 'in_place' });
        at += replace + drawLifetime(rng, n.lifetime);
      }
    }
    if (spec.disks) {
      const d = spec.disks;
      const rng = streams.get(`failures/disk/${node}`);
      for (let at = spec.start + drawLifetime(rng, d.lifetime); at < stop; ) {
        if (d.replace_after === undefined) {
          plan(at, { kind: 'disk_fail', node });
          break;
        }
        const replace = drawDelay(rng, d.replace_after);
        plan(at, { kind: 'disk_fail', node, replace_after: replace });
        at += replace + drawLifetime(rng, d.lifetime);
      }
    }
  }
  if (spec.racks) {
    const r = spec.racks;
    for (const rack of racks) {
      const members = rack.nodes.filter((n) => !spec.spare.includes(n));
      if (members.length === 0) continue;
      const rng = streams.get(`failures/rack/${rack.name}`);
      for (let at = spec.start + drawLifetime(rng, r.every); at < stop; ) {
        const down = drawDelay(rng, r.downtime);
        plan(at, { kind: 'rack_failure', target: rack.name, duration: down });
        // One draw per machine, lost or not, in topology order; then each loss's replacement delay.
        const lost = members.filter(() => rng.float() < r.lose);
        for (const node of lost) {
          if (r.replace_after === undefined) plan(at, { kind: 'node_loss', node });
          else plan(at, { kind: 'node_loss', node, replace_after: drawDelay(rng, r.replace_after), replace_with: 'in_place' });
        }
        at += down + drawLifetime(rng, r.every);
      }
    }
  }
  // By time; at one microsecond, in node order, a machine's failure before its disk's; rack bursts after.
  planned.sort((a, b) => a.at - b.at || a.order - b.order);
  return planned.map((p) => faultSchema.parse(p.raw));
}
