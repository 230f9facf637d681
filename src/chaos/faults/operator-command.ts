import { z } from 'zod';
import { duration } from '../../units/index.js';
import type { World } from '../../world/index.js';
import { defineFault, faultBase, type FaultContext, type NameRef, type NemesisDraw } from '../fault.js';

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
  /** How the nemesis draws it, if it may. */
  nemesis?: { order: number };
}

/** The first standby machine of `region`, in topology order (undefined: none left). */
export function nextStandby(world: World, region: string): number | undefined {
  return world.nodes.find((n) => n.service === 'standby' && n.spec.region === region)?.index;
}

/** An undo that brings the next standby machine of `node`'s region in (a replacement), if one is left. */
export function replacementOf(world: World, node: number): () => void {
  const region = world.nodes[node]!.spec.region;
  return () => {
    const standby = nextStandby(world, region);
    if (standby !== undefined) world.join(standby);
  };
}

/** The fields every operator command has: its kind, when, and the node it is about. */
function commandFields<K extends string>(kind: K) {
  return {
    kind: z.literal(kind),
    ...faultBase,
    /** The node the command is about. */
    node: z.string(),
  };
}

/** Delivers the command about `node` (a node name) as the route says. */
function deliver(ctx: FaultContext, route: CommandRoute, name: string): number {
  const node = ctx.members(name)[0]!;
  ctx.world.command(route.to ? route.to(ctx, node) : node, route.port, route.body ? route.body(node) : {});
  return node;
}

function refs(route: CommandRoute, node: string): NameRef[] {
  return [{ path: ['node'], name: node, level: 'node' }, ...(route.needs ?? []).map((role): NameRef => ({ path: ['node'], name: role, level: 'node', implicit: true }))];
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
    schema: z.strictObject(commandFields(kind)),
    apply(ctx, p) {
      deliver(ctx, route, p.node);
      return undefined;
    },
    endsAfter: () => undefined,
    names: (p) => refs(route, p.node),
    describe: (p) => p.node,
  });
}

/**
 * An operator's command that takes a node out of the cluster (a drain, a
 * decommission): `replace_after` brings a standby machine of its region in
 * that long after (its end in faults.csv). The nemesis may draw it, a strike
 * replaced after its duration, counted against the node budget meanwhile.
 */
export function leavingCommand<K extends string>(kind: K, summary: string, route: CommandRoute) {
  return defineFault({
    kind,
    summary,
    schema: z.strictObject({
      ...commandFields(kind),
      /** A standby machine of the node's region joins this long after the command; omitted: no replacement. */
      replace_after: duration.optional(),
    }),
    apply(ctx, p) {
      const node = deliver(ctx, route, p.node);
      return p.replace_after === undefined ? undefined : replacementOf(ctx.world, node);
    },
    endsAfter: (p) => p.replace_after,
    names: (p) => refs(route, p.node),
    describe: (p) => (p.replace_after === undefined ? p.node : `${p.node} (replaced by a standby machine at the end)`),
    ...(route.nemesis ? {
      nemesis: {
        order: route.nemesis.order,
        budget: 'node' as const,
        strike: (d: NemesisDraw) => ({ node: d.node, replace_after: d.length }),
      },
    } : {}),
  });
}
