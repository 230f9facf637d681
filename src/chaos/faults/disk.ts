import { z } from 'zod';
import { duration, MAX_FACTOR } from '../../units/index.js';
import { RAFT_STATE_PREFIX } from '../../systems/raft/raft-node.js';
import { defineFault, faultBase } from '../fault.js';

export const diskFail = defineFault({
  kind: 'disk_fail',
  summary: "A node's disk dies while the node stays up: every object on it is gone and writes fail from then on.",
  schema: z.strictObject({
    kind: z.literal('disk_fail'),
    ...faultBase,
    node: z.string(),
    /** A new, empty disk replaces the dead one this long after (its end in faults.csv; the node's software restarts on it); omitted: never. */
    replace_after: duration.optional(),
  }),
  apply(ctx, p) {
    const node = ctx.members(p.node)[0]!;
    ctx.world.failDisk(node);
    return p.replace_after === undefined ? undefined : () => ctx.world.replaceDisk(node);
  },
  endsAfter: (p) => p.replace_after,
  names: (p) => [{ path: ['node'], name: p.node, level: 'node' }],
  describe: (p) => (p.replace_after === undefined ? p.node : `${p.node} (a new disk at the end)`),
});

const SLOWEST = `is over ${MAX_FACTOR}, the largest factor a fault slows by (a disk that much slower is dead: use disk_fail or disk_full)`;

export const diskSlow = defineFault({
  kind: 'disk_slow',
  summary: "A node's disk slows down: bandwidth divided and per-operation latency multiplied for a while.",
  schema: z
    .strictObject({
      kind: z.literal('disk_slow'),
      ...faultBase,
      node: z.string(),
      /** How long the slowdown lasts; omitted: for the rest of the run. */
      duration: duration.optional(),
      /** Bandwidth is divided by this (at most MAX_FACTOR, 1000). */
      bandwidth_divide: z.number().min(1).max(MAX_FACTOR, { message: SLOWEST }).default(1),
      /** Per-operation latency is multiplied by this (at most MAX_FACTOR, 1000). */
      latency_multiply: z.number().min(1).max(MAX_FACTOR, { message: SLOWEST }).default(1),
    })
    .refine((p) => p.bandwidth_divide > 1 || p.latency_multiply > 1, { message: 'a disk_slow needs bandwidth_divide or latency_multiply above 1' }),
  apply(ctx, p) {
    return ctx.world.slowDisk(ctx.members(p.node)[0]!, { bandwidthDivide: p.bandwidth_divide, latencyMultiply: p.latency_multiply });
  },
  endsAfter: (p) => p.duration,
  names: (p) => [{ path: ['node'], name: p.node, level: 'node' }],
  describe: (p) => `${p.node} bandwidth /${p.bandwidth_divide} latency x${p.latency_multiply}`,
  nemesis: {
    order: 6,
    strike: (d) => ({ duration: d.length, node: d.node, bandwidth_divide: 2 + Math.floor(d.rng.float() * 9) }),
  },
});

export const diskCorruption = defineFault({
  kind: 'disk_corruption',
  summary: "Silent bit rot: some replicas on a node's disk stop matching their checksums; nothing reports it until they are read.",
  schema: z.strictObject({
    kind: z.literal('disk_corruption'),
    ...faultBase,
    node: z.string(),
    /** Share of the objects on the device to corrupt, chosen by the faults stream. */
    fraction: z.number().gt(0).max(1).default(0.1),
    /** "data": the node's disk (replicas, and whatever else is on it); "log": where Raft keeps its state (the dedicated log device, or the Raft state on the shared disk). */
    device: z.enum(['data', 'log']).default('data'),
  }),
  apply(ctx, p) {
    const node = ctx.members(p.node)[0]!;
    const n = ctx.world.nodes[node]!;
    const keys = p.device === 'data' ? n.disk.keys('') : n.logDisk ? n.logDisk.keys('') : n.disk.keys(RAFT_STATE_PREFIX);
    const count = Math.ceil(keys.length * p.fraction);
    ctx.world.corrupt(node, ctx.rng.shuffled(keys).slice(0, count), p.device);
    return undefined;
  },
  endsAfter: () => undefined,
  names: (p) => [{ path: ['node'], name: p.node, level: 'node' }],
  describe: (p) => `${p.node} ${Math.round(p.fraction * 100)}%${p.device === 'log' ? ' of its log device' : ''}`,
});
