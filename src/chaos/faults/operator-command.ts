import { z } from 'zod';
import { defineFault, faultBase, type FaultContext, type NameRef } from '../fault.js';

/** Where an operator's command about `node` goes, and what it says. */
export interface CommandRoute {
  /** The port the receiving software listens on. */
  port: string;
  /** The node that receives it (default: the node the fault names). */
  to?: (ctx: FaultContext, node: number) => number;
  /** The command's body (default: empty). */
  body?: (node: number) => unknown;
  /** Roles the route needs besides the named node (checked before the run). */
  needs?: readonly string[];
}

/**
 * A fault that is an operator's command about one node, delivered to a
 * node's software as a message from itself (`World.command`); the software
 * does the rest, and a node that is down when it comes ignores it.
 */
export function operatorCommand<K extends string>(kind: K, summary: string, route: CommandRoute) {
  return defineFault({
    kind,
    summary,
    schema: z.strictObject({
      kind: z.literal(kind),
      ...faultBase,
      /** The node the command is about. */
      node: z.string(),
    }),
    apply(ctx, p) {
      const node = ctx.members(p.node)[0]!;
      ctx.world.command(route.to ? route.to(ctx, node) : node, route.port, route.body ? route.body(node) : {});
      return undefined;
    },
    endsAfter: () => undefined,
    names: (p): NameRef[] => [{ path: ['node'], name: p.node, level: 'node' }, ...(route.needs ?? []).map((role): NameRef => ({ path: ['node'], name: role, level: 'node', implicit: true }))],
    describe: (p) => p.node,
  });
}
