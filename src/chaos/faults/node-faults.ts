import { z } from 'zod';
import { duration, MAX_FACTOR } from '../../units/index.js';
import { defineFault, faultBase } from '../fault.js';
import { describeLinks, targetLinks } from './link-fault.js';

export const nodePause = defineFault({
  kind: 'node_pause',
  summary: 'A node freezes (a long GC pause): nothing runs; timers and arrivals wait and run when it resumes, as if no time had passed.',
  schema: z.strictObject({
    kind: z.literal('node_pause'),
    ...faultBase,
    node: z.string(),
    /** How long the node stays frozen. */
    duration: duration,
  }),
  apply(ctx, p) {
    return ctx.world.pause(ctx.members(p.node)[0]!);
  },
  endsAfter: (p) => p.duration,
  names: (p) => [{ path: ['node'], name: p.node, level: 'node' }],
  describe: (p) => p.node,
  nemesis: {
    order: 1,
    budget: 'node',
    strike: (d) => ({ node: d.node, duration: d.length }),
  },
});

/** clock_skew's drift range: the local clock runs between 1/MAX_FACTOR and just under 2 times real speed. */
const MIN_DRIFT_PPM = -1e6 + 1e6 / MAX_FACTOR;
const MAX_DRIFT_PPM = 1e6 - 1e6 / MAX_FACTOR;

export const clockSkew = defineFault({
  kind: 'clock_skew',
  summary: "A node's wall clock jumps by an offset and/or its clocks drift: timers and measured durations follow the drift; only readers of the wall clock see the jump.",
  schema: z
    .strictObject({
      kind: z.literal('clock_skew'),
      ...faultBase,
      node: z.string(),
      /** How long the skew lasts; omitted: for the rest of the run (then the clock is corrected at once). */
      duration: duration.optional(),
      /** Jump of the local clock, positive (ahead) or negative (behind), e.g. "2s" or "-500ms". */
      offset: z.union([z.string(), z.number()]).default(0).transform((v, c) => {
        if (typeof v === 'number') return v;
        const m = /^\s*(-?)(.*)$/.exec(v)!;
        const parsed = duration.safeParse(m[2]);
        if (!parsed.success) {
          c.addIssue({ code: 'custom', message: `expected an offset such as "2s" or "-500ms", got "${v}"` });
          return z.NEVER;
        }
        return m[1] ? -parsed.data : parsed.data;
      }),
      /**
       * Drift in parts per million: 1000 makes the local clock run 0.1 % fast.
       * -999000 to 999000: the clock runs between 1/MAX_FACTOR of real speed
       * (slower stretches a timer past the clock's range) and just under twice
       * real speed (at twice, a 1 µs timer rounds to 0 µs of simulated time, and
       * a node waiting for its clock to reach a deadline never advances it).
       */
      drift_ppm: z.number().min(MIN_DRIFT_PPM, { message: `is under ${MIN_DRIFT_PPM}: the slowest clock runs at 1/${MAX_FACTOR} of real speed` }).max(MAX_DRIFT_PPM, { message: `is over ${MAX_DRIFT_PPM}: the fastest clock runs just under twice real speed (at twice, a 1 µs timer rounds to no time at all and the node can loop at one instant)` }).default(0),
    })
    .refine((p) => p.offset !== 0 || p.drift_ppm !== 0, { message: 'a clock_skew needs "offset" or "drift_ppm"' }),
  apply(ctx, p) {
    return ctx.world.skewClock(ctx.members(p.node)[0]!, p.offset, p.drift_ppm);
  },
  endsAfter: (p) => p.duration,
  names: (p) => [{ path: ['node'], name: p.node, level: 'node' }],
  describe: (p) => `${p.node} ${p.offset >= 0 ? '+' : ''}${p.offset / 1000}ms ${p.drift_ppm}ppm`,
  nemesis: {
    order: 7,
    strike: (d) => ({ duration: d.length, node: d.node, offset: Math.round(d.rng.uniform(-2_000_000, 2_000_000)), drift_ppm: Math.round(d.rng.uniform(-500, 500)) }),
  },
});

export const brownout = defineFault({
  kind: 'brownout',
  summary: 'A gray failure: a node (its software and disk) or the links between two places slow down by a factor, without stopping.',
  schema: z
    .strictObject({
      kind: z.literal('brownout'),
      ...faultBase,
      /** How long it lasts; omitted: for the rest of the run. */
      duration: duration.optional(),
      /** A node to slow (its timers stretch and its disk slows)... */
      node: z.string().optional(),
      /** ...or two places whose links slow (latency x factor, bandwidth / factor). */
      between: z.tuple([z.string(), z.string()]).optional(),
      one_way: z.boolean().default(false),
      /** How many times slower (at most MAX_FACTOR, 1000). */
      factor: z.number().gt(1).max(MAX_FACTOR, { message: `is over ${MAX_FACTOR}, the largest factor a fault slows by (that much slower is stopped: use node_pause or a partition)` }),
    })
    .refine((p) => (p.node === undefined) !== (p.between === undefined), { message: 'a brownout takes either "node" or "between"' }),
  apply(ctx, p) {
    if (p.node !== undefined) return ctx.world.brownout(ctx.members(p.node)[0]!, p.factor);
    return ctx.world.addLinkEffect(targetLinks(ctx, p), { latencyMultiply: p.factor, bandwidthMultiply: 1 / p.factor });
  },
  endsAfter: (p) => p.duration,
  names: (p) => (p.node !== undefined ? [{ path: ['node'], name: p.node, level: 'node' as const }] : (p.between ?? []).map((name, i) => ({ path: ['between', i], name }))),
  describe: (p) => `${p.node ?? describeLinks(p)} x${p.factor} slower`,
  nemesis: {
    order: 8,
    strike: (d) => ({ duration: d.length, node: d.node, factor: 2 + Math.floor(d.rng.float() * 4) }),
  },
});

export const diskFull = defineFault({
  kind: 'disk_full',
  summary: "A node's disk reports full: every write fails (reads still work) until it clears.",
  schema: z.strictObject({
    kind: z.literal('disk_full'),
    ...faultBase,
    node: z.string(),
    /** How long the disk stays full; omitted: for the rest of the run. */
    duration: duration.optional(),
  }),
  apply(ctx, p) {
    return ctx.world.fillDisk(ctx.members(p.node)[0]!);
  },
  endsAfter: (p) => p.duration,
  names: (p) => [{ path: ['node'], name: p.node, level: 'node' }],
  describe: (p) => p.node,
});

/** Every node of a region, cloud or rack crashes at once, and restarts together after `duration`. */
function outage<K extends 'region_outage' | 'cloud_outage' | 'rack_failure'>(kind: K, level: 'region' | 'cloud' | 'rack', summary: string) {
  return defineFault({
    kind,
    summary,
    schema: z.strictObject({
      kind: z.literal(kind),
      ...faultBase,
      /** The region, cloud or rack. */
      target: z.string(),
      /** Restart every node this long after; omitted: they stay down. */
      duration: duration.optional(),
    }),
    apply(ctx, p) {
      const restarts = ctx.members(p.target).map((n) => ctx.world.crash(n));
      return () => {
        for (const restart of restarts) restart();
      };
    },
    endsAfter: (p) => p.duration,
    names: (p) => [{ path: ['target'], name: p.target, level }],
    describe: (p) => p.target,
  });
}

export const regionOutage = outage('region_outage', 'region', 'Every node of a region goes down at once (power or network loss of the region); they restart together.');
export const cloudOutage = outage('cloud_outage', 'cloud', 'Every node of a cloud goes down at once; they restart together.');
export const rackFailure = outage('rack_failure', 'rack', 'Every node of a rack (topology regions may declare racks) goes down at once; they restart together.');
