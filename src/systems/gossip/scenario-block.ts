import { z } from 'zod';
import { period } from '../../units/index.js';

/** Push anti-entropy of one versioned value (the scenario's `gossip:` block). */
export const gossipBlock = z.strictObject({
  /** The node that publishes new versions. */
  source: z.string(),
  /** Time between a node's gossip rounds (at least 1ms). */
  interval: period,
  /** Time between new versions at the source (at least 1ms). */
  update_every: period,
  /** Peers each round pushes to. */
  fanout: z.number().int().positive(),
});
export type GossipBlock = z.output<typeof gossipBlock>;
