import { z } from 'zod';
import { duration } from '../../units/index.js';
import { defineFault, faultBase } from '../fault.js';

export const latencySpike = defineFault({
  kind: 'latency_spike',
  summary: 'Links between two places get slower: latency multiplied and/or increased for a while.',
  schema: z
    .strictObject({
      kind: z.literal('latency_spike'),
      ...faultBase,
      /** How long the spike lasts; omitted: it never ends. */
      duration: duration.optional(),
      /** Two node, region or cloud names; the links between them both ways. Omitted: every link. */
      between: z.tuple([z.string(), z.string()]).optional(),
      /** Multiply each latency draw by this factor. */
      multiply: z.number().positive().default(1),
      /** Then add this much. */
      add: duration.default(0),
    })
    .refine((p) => p.multiply !== 1 || p.add !== 0, { message: 'a latency_spike needs "multiply" (other than 1) or "add"' }),
  apply(ctx, p) {
    const links = p.between
      ? ctx.world.linksBetween(ctx.members(p.between[0]), ctx.members(p.between[1]))
      : ctx.world.links;
    const id = ctx.world.addLinkEffect(links, { latencyMultiply: p.multiply, latencyAdd: p.add });
    return () => ctx.world.removeLinkEffect(id);
  },
  endsAfter: (p) => p.duration,
  names: (p) => (p.between ? p.between.map((name, i) => ({ path: ['between', i], name })) : []),
  describe: (p) => `${p.between ? p.between.join('<->') : 'all links'} x${p.multiply}${p.add ? ` +${p.add / 1000}ms` : ''}`,
});
