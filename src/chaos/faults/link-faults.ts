import { z } from 'zod';
import { latencyDuration, MAX_FACTOR } from '../../units/index.js';
import { linkFault } from './link-fault.js';

export const latencySpike = linkFault({
  kind: 'latency_spike',
  summary: 'Links between two places get slower: latency multiplied and/or increased for a while.',
  shape: {
    /** Multiply each latency draw by this factor (at most MAX_FACTOR, 1000). */
    multiply: z.number().positive().max(MAX_FACTOR, { message: `is over ${MAX_FACTOR}, the largest factor a fault slows by (a link that much slower is down: use a partition)` }).default(1),
    /** Then add this much (at most 1 day). */
    add: latencyDuration.default(0),
  },
  refine: { check: (p) => p.multiply !== 1 || p.add !== 0, message: 'a latency_spike needs "multiply" (other than 1) or "add"' },
  effect: (p) => ({ latencyMultiply: p.multiply, latencyAdd: p.add }),
  describe: (p) => `x${p.multiply}${p.add ? ` +${p.add / 1000}ms` : ''}`,
  nemesis: { order: 3, draw: (rng) => ({ multiply: 2 + Math.floor(rng.float() * 9) }) },
});

export const jitter = linkFault({
  kind: 'jitter',
  summary: 'Each message and transfer on the links gets an extra delay drawn uniformly from [0, amount).',
  shape: {
    /** Largest extra delay (at most 1 day). */
    amount: latencyDuration,
  },
  effect: (p) => ({ jitter: p.amount }),
  describe: (p) => `+[0,${p.amount / 1000}ms)`,
  nemesis: { order: 5, draw: (rng) => ({ amount: 5_000 + Math.round(rng.float() * 45_000) }) },
});

const gilbertElliott = z.strictObject({
  /** Per message, probability of entering the bad state. */
  p_good_to_bad: z.number().min(0).max(1),
  /** Per message, probability of leaving the bad state. */
  p_bad_to_good: z.number().min(0).max(1),
  /** Loss probability in the good state. */
  loss_good: z.number().min(0).max(1).default(0),
  /** Loss probability in the bad state. */
  loss_bad: z.number().min(0).max(1).default(1),
});

export const packetLoss = linkFault({
  kind: 'packet_loss',
  summary: 'Small messages on the links are dropped: independently with a probability, or in bursts (Gilbert-Elliott).',
  shape: {
    /** Independent drop probability per message. */
    probability: z.number().min(0).max(1).default(0),
    /** Bursty loss: a two-state Gilbert-Elliott chain stepped per message. */
    burst: gilbertElliott.optional(),
  },
  refine: { check: (p) => p.probability > 0 || p.burst !== undefined, message: 'a packet_loss needs "probability" above 0 or a "burst" model' },
  effect: (p) => ({
    loss: p.probability,
    ...(p.burst ? { burstLoss: { pGoodToBad: p.burst.p_good_to_bad, pBadToGood: p.burst.p_bad_to_good, lossGood: p.burst.loss_good, lossBad: p.burst.loss_bad } } : {}),
  }),
  describe: (p) => (p.burst ? `bursty loss g->b ${p.burst.p_good_to_bad} b->g ${p.burst.p_bad_to_good}` : `loss ${p.probability}`),
  nemesis: { order: 4, draw: (rng) => ({ probability: Math.round(rng.uniform(0.05, 0.5) * 100) / 100 }) },
});

export const duplicate = linkFault({
  kind: 'duplicate',
  summary: 'Small messages on the links are delivered twice with a probability (the copy takes its own latency).',
  shape: {
    probability: z.number().gt(0).max(1),
  },
  effect: (p) => ({ duplicate: p.probability }),
  describe: (p) => `duplicate ${p.probability}`,
});

export const reorder = linkFault({
  kind: 'reorder',
  summary: 'Small messages on the links are held back with a probability, so later ones overtake them.',
  shape: {
    probability: z.number().gt(0).max(1),
    /** How long a held-back message waits on top of its latency (at most 1 day). */
    delay: latencyDuration,
  },
  effect: (p) => ({ reorder: p.probability, reorderDelay: p.delay }),
  describe: (p) => `reorder ${p.probability} +${p.delay / 1000}ms`,
});

export const bandwidthThrottle = linkFault({
  kind: 'bandwidth_throttle',
  summary: 'Links carry bulk data at a fraction of their bandwidth; transfers in flight slow down at once.',
  shape: {
    /** Fraction of the bandwidth left (0.1 = a tenth); at least 1/MAX_FACTOR. */
    factor: z.number().min(1 / MAX_FACTOR, { message: `is under ${1 / MAX_FACTOR}, the smallest fraction of bandwidth a throttle leaves (a link that much slower is down: use a partition)` }).max(1),
  },
  effect: (p) => ({ bandwidthMultiply: p.factor }),
  describe: (p) => `bandwidth x${p.factor}`,
});

export const transferFailure = linkFault({
  kind: 'transfer_failure',
  summary: 'Bulk transfers on the links abort partway with a probability (document 000\'s random replica-transfer failure); small messages are not affected.',
  shape: {
    /** Probability that a transfer started while the fault lasts aborts, after a uniformly drawn part of its bytes. */
    probability: z.number().gt(0).max(1),
  },
  effect: (p) => ({ transferFailure: p.probability }),
  describe: (p) => `transfer failure ${p.probability}`,
});
