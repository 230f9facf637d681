import { z } from 'zod';
import { RosterPort } from '../../systems/membership/messages.js';
import { defineFault, faultBase } from '../fault.js';
import { leavingCommand, nextStandby } from './operator-command.js';

/**
 * Changes of the cluster's membership, as an operator makes them: a standby
 * machine joins, a node drains and leaves, a node is decommissioned. They are
 * in the fault catalog because a scenario schedules them like faults, and
 * because these are the moments systems break.
 */

export const nodeJoin = defineFault({
  kind: 'node_join',
  summary: 'A standby machine joins the cluster: it boots empty and makes itself known; rebalancing then fills it.',
  schema: z.strictObject({
    kind: z.literal('node_join'),
    ...faultBase,
    /** The standby machine to bring in; or give `region`. */
    node: z.string().optional(),
    /** Bring in the region's next standby machine (in name order); or give `node`. */
    region: z.string().optional(),
  }).refine((p) => (p.node === undefined) !== (p.region === undefined), { message: 'node_join takes either node or region' }),
  apply(ctx, p) {
    const node = p.node !== undefined ? ctx.members(p.node)[0]! : nextStandby(ctx.world, p.region!);
    if (node !== undefined && ctx.world.nodes[node]!.service === 'standby') ctx.world.join(node);
    return undefined;
  },
  endsAfter: () => undefined,
  names: (p) => (p.node !== undefined ? [{ path: ['node'], name: p.node, level: 'node' }] : [{ path: ['region'], name: p.region!, level: 'region' }]),
  describe: (p) => p.node ?? `next standby in ${p.region}`,
});

export const nodeDrain = leavingCommand('node_drain', 'The operator drains a node: it takes no new replicas or work, hands its replicas off, then leaves the cluster.', { port: RosterPort.drain.name, nemesis: { order: 9 } });

export const nodeDecommission = leavingCommand('node_decommission', 'The operator removes a node at once: it announces that it leaves and is wiped; its replicas are repaired from the others.', { port: RosterPort.decommission.name });
