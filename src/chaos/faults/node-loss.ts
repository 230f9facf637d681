import { z } from 'zod';
import { defineFault, faultBase } from '../fault.js';

export const nodeLoss = defineFault({
  kind: 'node_loss',
  summary: 'A node is lost for good: it crashes and its disk, with every replica on it, is gone.',
  schema: z.strictObject({
    kind: z.literal('node_loss'),
    ...faultBase,
    /** The node to lose. */
    node: z.string(),
  }),
  apply(ctx, p) {
    const [node] = ctx.members(p.node);
    ctx.world.crash(node!);
    ctx.world.failDisk(node!);
    return undefined;
  },
  endsAfter: () => undefined,
  names: (p) => [{ path: ['node'], name: p.node, level: 'node' }],
  describe: (p) => p.node,
});
