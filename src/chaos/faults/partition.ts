import { z } from 'zod';
import { duration } from '../../units/index.js';
import { defineFault, faultBase } from '../fault.js';

export const partition = defineFault({
  kind: 'partition',
  summary: 'The network splits into groups (of nodes, regions or clouds); traffic between groups is dropped until it heals.',
  schema: z.strictObject({
    kind: z.literal('partition'),
    ...faultBase,
    /** How long the partition lasts; omitted: it never heals. */
    duration: duration.optional(),
    /** Groups of node, region or cloud names. Nodes in no group form one more group. */
    groups: z.array(z.array(z.string()).min(1)).min(1),
    /** Drop only traffic leaving the first group (an asymmetric partition). */
    one_way: z.boolean().default(false),
  }),
  apply(ctx, p) {
    const id = ctx.world.partition(p.groups.map((g) => g.flatMap((name) => ctx.members(name))), p.one_way);
    return () => ctx.world.heal(id);
  },
  endsAfter: (p) => p.duration,
  names: (p) => p.groups.flatMap((g, i) => g.map((name, j) => ({ path: ['groups', i, j], name }))),
  check(p, members) {
    const groupOf = new Map<string, number>();
    for (const [i, group] of p.groups.entries()) {
      for (const [j, name] of group.entries()) {
        for (const node of members(name)) {
          const other = groupOf.get(node);
          if (other !== undefined && other !== i) return { path: ['groups', i, j], message: `node ${node} is in group ${other} and again in group ${i}; a node can be on one side only` };
          groupOf.set(node, i);
        }
      }
    }
    return undefined;
  },
  describe: (p) => p.groups.map((g) => g.join('+')).join(' | ') + (p.one_way ? ' (one way)' : ''),
});
