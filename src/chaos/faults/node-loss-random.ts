import { z } from 'zod';
import { duration } from '../../units/index.js';
import { defineFault, faultBase } from '../fault.js';

/**
 * k nodes lost at once, drawn when the fault strikes: the correlated loss
 * that durability studies ask about ("what is the chance that 1 % of the
 * nodes failing together loses data"). Each drawn node is lost as by
 * `node_loss` (crash, disk gone); with `replace_after`, a new machine with
 * an empty disk takes each one's place.
 */
export const nodeLossRandom = defineFault({
  kind: 'node_loss_random',
  summary: 'k nodes drawn at random (from the cluster, a cloud, region or rack) are lost for good at the same instant.',
  schema: z.strictObject({
    kind: z.literal('node_loss_random'),
    ...faultBase,
    /** How many distinct nodes to lose. */
    count: z.number().int().min(1),
    /** Where they are drawn from: a cloud, region or rack name; omitted: every node of the cluster. */
    among: z.string().optional(),
    /** A new machine with an empty disk takes each lost node's place this long after (its end in faults.csv); omitted: never. */
    replace_after: duration.optional(),
    /** Nodes never drawn (the source node, say: a new machine in its place starts the pipeline over). */
    spare: z.array(z.string()).default([]),
  }),
  draw(ctx, p) {
    const pool = (p.among === undefined ? ctx.world.nodes.map((n) => n.index) : ctx.members(p.among)).filter((n) => ctx.world.nodes[n]!.service === 'active' && !p.spare.includes(ctx.world.nodes[n]!.name));
    // A partial Fisher-Yates: k draws from the `faults` stream, whatever the pool's size.
    const k = Math.min(p.count, pool.length);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(ctx.rng.float() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, k);
  },
  apply(ctx, p, drawn) {
    const replacements = (drawn ?? []).map((node) => ctx.world.loseNode(node));
    return p.replace_after === undefined ? undefined : () => replacements.forEach((r) => r());
  },
  endsAfter: (p) => p.replace_after,
  names: (p) => [...(p.among === undefined ? [] : [{ path: ['among'], name: p.among }]), ...p.spare.map((name, i) => ({ path: ['spare', i], name, level: 'node' as const }))],
  check(p, members, serving) {
    const n = (p.among === undefined ? serving : members(p.among).filter((m) => serving.includes(m))).filter((m) => !p.spare.includes(m)).length;
    return p.count > n ? { path: ['count'], message: `${p.among ?? 'the cluster'} starts with ${n} node${n === 1 ? '' : 's'} in service; cannot lose ${p.count} of them` } : undefined;
  },
  describe: (p, drawn) => `${drawn?.join('+') ?? `${p.count} of ${p.among ?? 'the cluster'}`}${p.replace_after === undefined ? '' : ' (replaced by new machines in their places at the end)'}`,
});
