import { z } from 'zod';
import { duration } from '../../units/index.js';
import { defineFault, faultBase } from '../fault.js';
import { replacementOf } from './operator-command.js';

export const nodeLoss = defineFault({
  kind: 'node_loss',
  summary: 'A node is lost for good: it crashes and its disk, with every replica on it, is gone.',
  schema: z.strictObject({
    kind: z.literal('node_loss'),
    ...faultBase,
    /** The node to lose. */
    node: z.string(),
    /** A standby machine of the same region replaces it this long after the loss (its end in faults.csv); omitted: no replacement. */
    replace_after: duration.optional(),
  }),
  apply(ctx, p) {
    const [node] = ctx.members(p.node);
    ctx.world.crash(node!);
    ctx.world.failDisk(node!);
    return p.replace_after === undefined ? undefined : replacementOf(ctx.world, node!);
  },
  endsAfter: (p) => p.replace_after,
  names: (p) => [{ path: ['node'], name: p.node, level: 'node' }],
  describe: (p) => (p.replace_after === undefined ? p.node : `${p.node} (replaced by a standby machine at the end)`),
});
