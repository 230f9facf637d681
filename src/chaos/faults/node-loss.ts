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
    /** A replacement comes this long after the loss (its end in faults.csv); omitted: no replacement. */
    replace_after: duration.optional(),
    /** `standby`: the region's next standby machine joins; `in_place`: a new machine with an empty disk takes the lost one's place and name (what a failure process does). */
    replace_with: z.enum(['standby', 'in_place']).default('standby'),
  }),
  apply(ctx, p) {
    const [node] = ctx.members(p.node);
    const replaceInPlace = ctx.world.loseNode(node!);
    if (p.replace_after === undefined) return undefined;
    return p.replace_with === 'standby' ? replacementOf(ctx.world, node!) : replaceInPlace;
  },
  endsAfter: (p) => p.replace_after,
  names: (p) => [{ path: ['node'], name: p.node, level: 'node' }],
  describe: (p) => (p.replace_after === undefined ? p.node : `${p.node} (replaced by ${p.replace_with === 'standby' ? 'a standby machine' : 'a new machine in its place'} at the end)`),
});
