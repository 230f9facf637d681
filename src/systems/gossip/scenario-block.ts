import { z } from 'zod';
import { duration } from '../../units/index.js';

/** Push anti-entropy of one versioned value (the scenario's `gossip:` block). */
export const gossipBlock = z.strictObject({
  /** The node that publishes new versions. */
  source: z.string(),
  /** Time between a node's gossip rounds. */
  interval: duration.refine((d) => d > 0, { message: 'must be positive' }),
  /** Time between new versions at the source. */
  update_every: duration.refine((d) => d > 0, { message: 'must be positive' }),
  /** Peers each round pushes to. */
  fanout: z.number().int().positive(),
});
export type GossipBlock = z.output<typeof gossipBlock>;
