import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/index.js';
import { PathRates } from '../../src/systems/routing/path-rates.js';
import { scenarioFrom } from '../helpers/scenario.js';

function shipped(file: string, set: string[] = [], seed = 1) {
  return runScenario(scenarioFrom(readFileSync(`scenarios/${file}`, 'utf8'), file, set), { seed }).summary;
}

describe('PathRates (what a node knows of its paths)', () => {
  it('rates a relay by its slower hop; an unreported second hop by the best the node saw to the destination, times the share it is given', () => {
    const r = new PathRates(3);
    r.recordDirect(2, 100); // healthy at first
    r.recordDirect(2, 4); // then slow: running (100 + 4) / 2
    expect(r.directRate(2)).toBe(52);
    expect(r.relayRate(1, 2)).toBe(0); // the first hop is unmeasured
    r.recordDirect(1, 80);
    expect(r.relayRate(1, 2)).toBe(80); // min(80, best to 2 = 100)
    expect(r.relayRate(1, 2, 0.25)).toBe(25);
    r.recordOnward(1, 2, 30);
    expect(r.relayRate(1, 2)).toBe(30);
  });
});

describe('pipeline.routing: relay (document 004\'s topology optimizer)', () => {
  const baseline = shipped('baseline.yml').pipeline.throughput_mb_s;

  for (const seed of [1, 2, 3]) {
    it(`routed-brownout.yml keeps at least 0.8x of baseline throughput by relaying through Azure (seed ${seed}); direct keeps much less`, () => {
      const routed = shipped('routed-brownout.yml', [], seed);
      const direct = shipped('routed-brownout.yml', ['pipeline.routing=direct'], seed);
      expect(routed.pipeline.throughput_mb_s).toBeGreaterThanOrEqual(0.8 * baseline);
      expect(direct.pipeline.throughput_mb_s).toBeLessThan(0.75 * baseline);
      expect(routed.routing!.relayed_bytes).toBeGreaterThan(0);
      expect(direct.routing).toBeUndefined();
      // Relayed traffic really crosses both links: the AWS-GCP links go quiet, the Azure ones carry it.
      expect(routed.utilisation.links['aws-gcp']).toBeLessThan(direct.utilisation.links['aws-gcp']! / 2);
      expect(routed.utilisation.links['aws-azure']).toBeGreaterThan(direct.utilisation.links['aws-azure']!);
      expect(routed.invariants.every((i) => i.held)).toBe(true);
      expect(routed.durability.lost_chunks).toBe(0);
    });
  }

  it('relays nothing when no path is slow: baseline.yml is the same run', () => {
    const routed = shipped('baseline.yml', ['pipeline.routing=relay']);
    const direct = shipped('baseline.yml');
    expect(routed.routing).toEqual({ relayed_transfers: 0, relayed_bytes: 0 });
    expect(routed.pipeline).toEqual(direct.pipeline);
    expect(routed.utilisation).toEqual(direct.utilisation);
  });
});
