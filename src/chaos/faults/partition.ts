import { z } from 'zod';
import type { Rng } from '../../kernel/index.js';
import { duration, period } from '../../units/index.js';
import type { Undo } from '../../world/index.js';
import { defineFault, faultBase, type FaultContext } from '../fault.js';

/** Jepsen's common partition shapes, over a set of nodes. */
const SHAPES = ['isolate', 'halves', 'bridge', 'ring'] as const;
type Shape = (typeof SHAPES)[number];

/** Who can reach whom under a shape: returns blocked(from, to) over node indexes. */
function shapeBlocked(shape: Shape, nodes: number[], rng: Rng, isolated: number | undefined): (a: number, b: number) => boolean {
  const inSet = new Set(nodes);
  const order = shape === 'isolate' ? nodes : rng.shuffled(nodes);
  const majority = Math.floor(order.length / 2) + 1;
  switch (shape) {
    case 'isolate':
      return (a, b) => inSet.has(a) && inSet.has(b) && (a === isolated) !== (b === isolated);
    case 'halves': {
      // A random majority and minority.
      const big = new Set(order.slice(0, majority));
      return (a, b) => inSet.has(a) && inSet.has(b) && big.has(a) !== big.has(b);
    }
    case 'bridge': {
      // Two halves that cannot talk, and one bridge node that talks to both.
      const bridge = order[0]!;
      const left = new Set(order.slice(1, 1 + Math.floor((order.length - 1) / 2)));
      return (a, b) => inSet.has(a) && inSet.has(b) && a !== bridge && b !== bridge && left.has(a) !== left.has(b);
    }
    case 'ring': {
      // Each node reaches its neighbours on a random ring far enough to see a majority, and no further.
      const pos = new Map(order.map((n, i) => [n, i]));
      const reach = Math.ceil((majority - 1) / 2);
      return (a, b) => {
        if (!inSet.has(a) || !inSet.has(b)) return false;
        const d = Math.abs(pos.get(a)! - pos.get(b)!);
        return Math.min(d, order.length - d) > reach;
      };
    }
  }
}

export const partition = defineFault({
  kind: 'partition',
  summary: 'The network splits: given groups (of nodes, racks, regions or clouds), or a shape (isolate, halves, bridge, ring); traffic between sides is dropped until it heals.',
  schema: z
    .strictObject({
      kind: z.literal('partition'),
      ...faultBase,
      /** How long the partition lasts; omitted: it never heals. */
      duration: duration.optional(),
      /** Groups of names. Nodes in no group form one more group. */
      groups: z.array(z.array(z.string()).min(1)).min(1).optional(),
      /** Drop only traffic leaving the first group (an asymmetric partition). Groups only. */
      one_way: z.boolean().default(false),
      /** Instead of groups: isolate one node, random majority/minority halves, a bridge, or a ring where each node sees a majority. */
      shape: z.enum(SHAPES).optional(),
      /** With shape: the nodes it applies to (names); omitted: every node. */
      among: z.array(z.string()).min(1).optional(),
      /** With shape isolate: the node to cut off. */
      node: z.string().optional(),
    })
    .refine((p) => (p.groups === undefined) !== (p.shape === undefined), { message: 'a partition takes either "groups" or "shape"' })
    .refine((p) => p.shape !== 'isolate' || p.node !== undefined, { message: 'shape isolate needs "node"' }),
  apply(ctx, p) {
    return p.groups
      ? ctx.world.partition(p.groups.map((g) => g.flatMap((name) => ctx.members(name))), p.one_way)
      : ctx.world.partitionWhere(shapeBlocked(p.shape!, among(ctx, p.among), ctx.rng, p.node === undefined ? undefined : ctx.members(p.node)[0]));
  },
  endsAfter: (p) => p.duration,
  names: (p) => [
    ...(p.groups ?? []).flatMap((g, i) => g.map((name, j) => ({ path: ['groups', i, j], name }))),
    ...(p.among ?? []).map((name, i) => ({ path: ['among', i], name })),
    ...(p.node !== undefined ? [{ path: ['node'], name: p.node, level: 'node' as const }] : []),
  ],
  check(p, members) {
    const groupOf = new Map<string, number>();
    for (const [i, group] of (p.groups ?? []).entries()) {
      for (const [j, name] of group.entries()) {
        for (const node of members(name)) {
          const other = groupOf.get(node);
          if (other !== undefined && other !== i) return { path: ['groups', i, j], message: `node ${node} is in group ${other} and again in group ${i}; a node can be on one side only` };
          groupOf.set(node, i);
        }
      }
    }
    if (p.one_way && !p.groups) return { path: ['one_way'], message: 'one_way applies to groups, not shapes' };
    return undefined;
  },
  nemesis: {
    order: 2,
    budget: 'partition',
    // Half the strikes cut one node off, half split every node (spare ones too) into random halves.
    strike: (d) => (d.rng.chance(0.5) ? { duration: d.length, shape: 'isolate' as const, node: d.node } : { duration: d.length, shape: 'halves' as const }),
  },
  describe: (p) => (p.groups ? p.groups.map((g) => g.join('+')).join(' | ') + (p.one_way ? ' (one way)' : '') : `${p.shape}${p.node ? ` ${p.node}` : ''}${p.among ? ` among ${p.among.join('+')}` : ''}`),
});

function among(ctx: FaultContext, names: string[] | undefined): number[] {
  if (!names) return ctx.world.nodes.map((n) => n.index);
  return [...new Set(names.flatMap((n) => ctx.members(n)))].sort((a, b) => a - b);
}

export const linkFlap = defineFault({
  kind: 'link_flap',
  summary: 'The links between two places go down and up on a period, for a while (a flapping interconnect).',
  schema: z.strictObject({
    kind: z.literal('link_flap'),
    ...faultBase,
    /** Two node, rack, region or cloud names. */
    between: z.tuple([z.string(), z.string()]),
    /** Length of one down+up cycle (at least 1ms). */
    period: period,
    /** How long the link is down in each cycle. */
    down: duration,
    /** How long the flapping goes on; omitted: for the rest of the run. */
    duration: duration.optional(),
  }).refine((p) => p.down > 0 && p.down < p.period, { message: '"down" must be shorter than "period"' }),
  apply(ctx, p) {
    const sim = ctx.world.sim;
    const a = new Set(ctx.members(p.between[0]));
    const b = new Set(ctx.members(p.between[1]));
    // Only traffic between the two places: everyone else still reaches both.
    const cut = (x: number, y: number): boolean => (a.has(x) && b.has(y)) || (b.has(x) && a.has(y));
    let heal: Undo | undefined;
    let stopped = false;
    const cycle = (): void => {
      if (stopped) return;
      heal = ctx.world.partitionWhere(cut);
      sim.after(p.down, () => {
        heal!();
        heal = undefined;
        if (!stopped) sim.after(p.period - p.down, cycle, undefined);
      }, undefined);
    };
    cycle();
    return () => {
      stopped = true;
      heal?.();
    };
  },
  endsAfter: (p) => p.duration,
  names: (p) => p.between.map((name, i) => ({ path: ['between', i], name })),
  describe: (p) => `${p.between.join('<->')} down ${p.down / 1000}ms every ${p.period / 1000}ms`,
});
