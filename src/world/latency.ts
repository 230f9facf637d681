import type { Rng, SimTime } from '../kernel/index.js';
import type { LatencyDist } from './spec.js';

/** Draws one latency, rounded to whole microseconds and never negative. */
export function sampleLatency(dist: LatencyDist, rng: Rng): SimTime {
  switch (dist.kind) {
    case 'constant':
      return dist.value;
    case 'uniform':
      return Math.round(rng.uniform(dist.min, dist.max));
    case 'normal':
      return Math.max(dist.floor, Math.round(rng.normal(dist.mean, dist.stddev)));
    case 'lognormal':
      return Math.max(dist.floor, Math.round(rng.lognormal(dist.median, dist.sigma)));
  }
}

/** The distribution's typical value, used by placement to rank links. */
export function typicalLatency(dist: LatencyDist): SimTime {
  switch (dist.kind) {
    case 'constant':
      return dist.value;
    case 'uniform':
      return Math.round((dist.min + dist.max) / 2);
    case 'normal':
      return Math.max(dist.floor, dist.mean);
    case 'lognormal':
      return Math.max(dist.floor, dist.median);
  }
}
