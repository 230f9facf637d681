import { z } from 'zod';
import { duration } from '../../units/index.js';
import { defineFault, faultBase } from '../fault.js';

export const nodeCrash = defineFault({
  kind: 'node_crash',
  summary: 'A node loses power: volatile state and in-flight transfers are gone, the disk survives; optionally restarts.',
  schema: z.strictObject({
    kind: z.literal('node_crash'),
    ...faultBase,
    /** The node to crash. */
    node: z.string(),
    /** Restart the node this long after the crash; omitted: it stays down. */
    restart_after: duration.optional(),
    /** Writes not yet synced (see disk sync_interval) are lost with the power. */
    lose_unsynced_writes: z.boolean().default(false),
  }),
  apply(ctx, p) {
    return ctx.world.crash(ctx.members(p.node)[0]!, { loseUnsyncedWrites: p.lose_unsynced_writes });
  },
  endsAfter: (p) => p.restart_after,
  names: (p) => [{ path: ['node'], name: p.node, level: 'node' }],
  describe: (p) => p.node,
  nemesis: {
    order: 0,
    budget: 'node',
    strike: (d) => ({ node: d.node, restart_after: d.length }),
  },
});
