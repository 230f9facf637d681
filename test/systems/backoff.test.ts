import { describe, expect, it } from 'vitest';
import { RetryWaits } from '../../src/systems/pipeline/orchestrator/backoff.js';
import type { NodeRuntime } from '../../src/world/index.js';
import { RandomStreams } from '../../src/kernel/index.js';

/** A runtime whose only part RetryWaits uses is its random streams; `drawn` counts streams made. */
function runtime(): { rt: NodeRuntime; drawn: string[] } {
  const streams = new RandomStreams(7);
  const drawn: string[] = [];
  const rt = { rng: (purpose: string) => (drawn.push(purpose), streams.get(`node/n/${purpose}`)) } as unknown as NodeRuntime;
  return { rt, drawn };
}

describe('retry waits (distribution.backoff)', () => {
  it('multiplier 1 and no jitter: always retry_delay, and no random stream is made', () => {
    const { rt, drawn } = runtime();
    const w = new RetryWaits(rt, 3_000_000, { multiplier: 1, max: 60_000_000, jitter: 0 });
    expect([1, 2, 5].map((n) => w.before(n))).toEqual([3_000_000, 3_000_000, 3_000_000]);
    expect(drawn).toEqual([]);
  });

  it('exponential: retry_delay x multiplier^(n-1), capped at max', () => {
    const { rt } = runtime();
    const w = new RetryWaits(rt, 5_000_000, { multiplier: 2, max: 30_000_000, jitter: 0 });
    expect([1, 2, 3, 4, 5].map((n) => w.before(n))).toEqual([5_000_000, 10_000_000, 20_000_000, 30_000_000, 30_000_000]);
  });

  it('jitter scales each wait within [1 - jitter, 1 + jitter], from the node\'s own stream', () => {
    const { rt, drawn } = runtime();
    const w = new RetryWaits(rt, 4_000_000, { multiplier: 1, max: 60_000_000, jitter: 0.25 });
    const waits = Array.from({ length: 200 }, () => w.before(1));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(3_000_000);
    expect(Math.max(...waits)).toBeLessThanOrEqual(5_000_000);
    expect(new Set(waits).size).toBeGreaterThan(100);
    expect(drawn).toEqual(['retry-jitter']);
  });
});
