import { z } from 'zod';
import type { Rng } from '../../kernel/index.js';
import { duration } from '../../units/index.js';
import type { LinkEffect } from '../../world/index.js';
import { defineFault, faultBase, type FaultContext, type FaultKind } from '../fault.js';

/** Fields every link fault has: which links, for how long. */
const linkTarget = {
  /** How long the fault lasts; omitted: for the rest of the run. */
  duration: duration.optional(),
  /** Two node, rack, region or cloud names: the links between the regions they are in. Omitted: every link. */
  between: z.tuple([z.string(), z.string()]).optional(),
  /** Only the direction from the first name to the second. */
  one_way: z.boolean().default(false),
};

interface LinkTargetParams {
  duration?: number | undefined;
  between?: [string, string] | undefined;
  one_way: boolean;
}

/** The directed links a link fault covers. */
export function targetLinks(ctx: FaultContext, p: LinkTargetParams) {
  return p.between ? ctx.world.linksBetween(ctx.members(p.between[0]), ctx.members(p.between[1]), !p.one_way) : ctx.world.links;
}

export function describeLinks(p: LinkTargetParams): string {
  return p.between ? p.between.join(p.one_way ? '->' : '<->') : 'all links';
}

/**
 * A fault that applies a LinkEffect to links for a while. Effects stack with
 * those of other faults on the same links (see world/link.ts).
 */
export function linkFault<K extends string, S extends z.ZodRawShape>(spec: {
  kind: K;
  summary: string;
  shape: S;
  effect: (p: z.output<z.ZodObject<S>>) => LinkEffect;
  describe: (p: z.output<z.ZodObject<S>>) => string;
  refine?: { check: (p: z.output<z.ZodObject<S>>) => boolean; message: string };
  /** When the nemesis may draw it: its order among the nemesis's kinds, and the magnitude of a strike (drawn after its pair of places). */
  nemesis?: { order: number; draw: (rng: Rng) => Partial<z.input<z.ZodObject<S>>> };
}) {
  let schema = z.strictObject({ kind: z.literal(spec.kind), ...faultBase, ...linkTarget, ...spec.shape });
  if (spec.refine) schema = schema.refine(spec.refine.check as never, { message: spec.refine.message }) as typeof schema;
  return defineFault({
    kind: spec.kind,
    summary: spec.summary,
    schema,
    apply(ctx, p) {
      return ctx.world.addLinkEffect(targetLinks(ctx, p as LinkTargetParams), spec.effect(p as never));
    },
    endsAfter: (p) => (p as LinkTargetParams).duration,
    names: (p) => ((p as LinkTargetParams).between ?? []).map((name, i) => ({ path: ['between', i], name })),
    describe: (p) => `${describeLinks(p as LinkTargetParams)} ${spec.describe(p as never)}`,
    // A strike: the drawn duration, between a pair of places (never one way), then the magnitude.
    ...(spec.nemesis && { nemesis: { order: spec.nemesis.order, strike: (d) => ({ duration: d.length, between: d.pair(), ...spec.nemesis!.draw(d.rng) }) as never } }),
  }) as FaultKind<typeof schema>;
}
