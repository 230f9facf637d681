import type { Rng, SimTime } from '../../../kernel/index.js';
import type { NodeRuntime } from '../../../world/runtime.js';

/** `distribution.backoff`: how the wait before a retry grows (document 004: retries with exponential backoff and jitter). */
export interface BackoffOptions {
  /** Each retry of a chunk waits this many times longer than the one before (1: always `retry_delay`). */
  multiplier: number;
  /** No wait is longer than this (nor shorter than `retry_delay`). */
  max: SimTime;
  /** Each wait is scaled by a uniform draw from [1 - jitter, 1 + jitter], so chunks that failed together do not retry together. */
  jitter: number;
}

/**
 * The waits before retries on the orchestrator: `retry_delay` x multiplier^(n-1)
 * for the n-th retry of a chunk at one stage, capped at `max`, then jittered.
 * The jitter draws from the node's own stream (`node/<name>/retry-jitter`),
 * made only when jitter is on, so runs without it draw nothing.
 */
export class RetryWaits {
  private rng: Rng | undefined;

  constructor(private readonly rt: NodeRuntime, private readonly base: SimTime, private readonly backoff: BackoffOptions) {}

  /** The wait before retry number `n` (1 for the first). */
  before(n: number): SimTime {
    const { multiplier, max, jitter } = this.backoff;
    let wait = multiplier === 1 ? this.base : Math.min(this.base * Math.pow(multiplier, Math.max(0, n - 1)), Math.max(this.base, max));
    if (jitter > 0) wait *= 1 + jitter * (2 * (this.rng ??= this.rt.rng('retry-jitter')).float() - 1);
    return Math.max(0, Math.round(wait));
  }
}
