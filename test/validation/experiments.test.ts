import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/index.js';
import { phi } from '../../src/systems/membership/phi.js';
import { anyLossDisjoint, anyLossRandom, choose, chunkLossChance, EXPERIMENTS, erlangC, expectedChunksLost, measureAll, mmcMeanWait, mttdlMarkov, phiSilence, swimPeriodsUntilProbed } from '../../src/validation/index.js';

describe('closed forms', () => {
  it('choose: Pascal\'s triangle, and 0 outside it', () => {
    for (let n = 1; n <= 30; n++) for (let k = 1; k < n; k++) expect(choose(n, k)).toBe(choose(n - 1, k - 1) + choose(n - 1, k));
    expect([choose(15, 4), choose(15, 3), choose(5, 0), choose(3, 5)]).toEqual([1365, 455, 1, 0]);
  });

  it('a chunk is lost when the failed set covers its replicas: C(k,R)/C(N,R), the same as counting failed sets', () => {
    // Counted over every 4-subset of 15 nodes: those that contain nodes {0, 1, 2}.
    let covering = 0;
    let all = 0;
    for (let a = 0; a < 15; a++) for (let b = a + 1; b < 15; b++) for (let c = b + 1; c < 15; c++) for (let d = c + 1; d < 15; d++) {
      all++;
      const s = [a, b, c, d];
      if ([0, 1, 2].every((x) => s.includes(x))) covering++;
    }
    expect(chunkLossChance(15, 3, 4)).toBeCloseTo(covering / all, 15);
    expect(expectedChunksLost(50, 15, 3, 4)).toBeCloseTo(200 / 455, 15);
  });

  it('disjoint groups: inclusion-exclusion equals counting the failed sets that contain a whole group', () => {
    for (const [n, r, k] of [[15, 3, 4], [12, 3, 6], [9, 3, 7], [8, 2, 5]] as const) {
      const groups = Array.from({ length: Math.floor(n / r) }, (_, g) => Array.from({ length: r }, (_, i) => g * r + i));
      let hit = 0;
      let all = 0;
      // Every k-subset of n, as a bit mask.
      for (let mask = 0; mask < 1 << n; mask++) {
        let bits = 0;
        for (let m = mask; m; m &= m - 1) bits++;
        if (bits !== k) continue;
        all++;
        if (groups.some((g) => g.every((x) => mask & (1 << x)))) hit++;
      }
      expect(anyLossDisjoint(n, r, k)).toBeCloseTo(hit / all, 12);
    }
  });

  it('phi accrual: the silence the closed form gives is where the detector\'s own phi reaches the threshold', () => {
    for (const threshold of [1, 5, 8, 12]) {
      const t = phiSilence('normal', threshold, 4e6, 1e5);
      expect(phi(t, 4e6, 1e5)).toBeCloseTo(threshold, 9);
      expect(phiSilence('exponential', threshold, 1e6, 0) / (1e6 * Math.LN10)).toBeCloseTo(threshold, 12);
    }
    // Akka's figure with these settings: about 4.5 s after the last heartbeat.
    expect(phiSilence('normal', 8, 4, 0.1)).toBeCloseTo(4.5226, 3);
  });

  it('SWIM: periods until someone probes a crashed member, against probers drawn in a loop (random and shuffled rounds)', () => {
    const rng = new RandomStreams(9).get('swim');
    const n = 12;
    const m = n - 1;
    const trials = 40_000;
    let random = 0;
    let rounds = 0;
    const position = 4;
    for (let t = 0; t < trials; t++) {
      // Random: each of m probers picks the crashed member with chance 1/m per period.
      let g = 0;
      while (!Array.from({ length: m }, () => rng.int(0, m - 1) === 0).some(Boolean)) g++;
      random += g;
      // Round robin: each prober's turn for it is uniform over its round (and over the next).
      const first = Math.min(...Array.from({ length: m }, () => {
        const turn = rng.int(0, m - 1);
        return turn >= position ? turn - position : m - position + rng.int(0, m - 1);
      }));
      rounds += first;
    }
    // Within 4 standard errors (G's spread is under 1.5 periods here).
    expect(Math.abs(random / trials - swimPeriodsUntilProbed('random', n))).toBeLessThan(4 * 1.5 / Math.sqrt(trials));
    expect(Math.abs(rounds / trials - swimPeriodsUntilProbed('round_robin', n, position))).toBeLessThan(4 * 1.5 / Math.sqrt(trials));
    // The paper's large-n figure: 1 / (1 - 1/e) periods to the first probe, counting it.
    expect(swimPeriodsUntilProbed('random', 100_000) + 1).toBeCloseTo(Math.E / (Math.E - 1), 4);
  });

  it('MTTDL: the Markov chain\'s textbook forms, and a simulation of the chain itself', () => {
    // One replica: the time to its first failure. Two: (3λ + μ) / (2λ²). Without repair: the sum of 1/(iλ).
    expect(mttdlMarkov(1, 0.5, 9)).toBeCloseTo(2, 12);
    for (const [l, mu] of [[0.2, 4], [1, 1], [0.01, 50]] as const) expect(mttdlMarkov(2, l, mu)).toBeCloseTo((3 * l + mu) / (2 * l * l), 6);
    expect(mttdlMarkov(3, 1, 0)).toBeCloseTo(1 + 1 / 2 + 1 / 3, 12);
    // Three replicas, against the chain run step by step.
    const rng = new RandomStreams(5).get('markov');
    const [l, mu] = [1 / 3, 4];
    let total = 0;
    const runs = 20_000;
    for (let k = 0; k < runs; k++) {
      let state = 3;
      while (state > 0) {
        const down = state * l;
        const up = state < 3 ? mu : 0;
        total += rng.exponential(1 / (down + up));
        state += rng.chance(down / (down + up)) ? -1 : 1;
      }
    }
    // The absorption time's spread is about its mean: 4 standard errors.
    expect(Math.abs(total / runs - mttdlMarkov(3, l, mu)) / mttdlMarkov(3, l, mu)).toBeLessThan(4 / Math.sqrt(runs));
  });

  it('Erlang C: M/M/1\'s ρ/(μ − λ), M/M/2\'s textbook value, and a queue simulated event by event', () => {
    expect(mmcMeanWait(1, 0.5, 1)).toBeCloseTo(1, 12);
    expect(erlangC(1, 0.3)).toBeCloseTo(0.3, 12);
    // M/M/2 at a = 1: C = 1/3, Wq = 1/3.
    expect(mmcMeanWait(2, 1, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangC(3, 3)).toBe(1);
    // M/M/4 at a = 2.5, first come first served: each arrival takes the server that frees first.
    const rng = new RandomStreams(3).get('mmc');
    const free = [0, 0, 0, 0];
    let t = 0;
    let waited = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      t += rng.exponential(0.4);
      const k = free.indexOf(Math.min(...free));
      const start = Math.max(t, free[k]!);
      waited += start - t;
      free[k] = start + rng.exponential(1);
    }
    expect(Math.abs(waited / n - mmcMeanWait(4, 2.5, 1))).toBeLessThan(0.01);
  });

  it('random placement: with one chunk, the chance it is lost; with many, toward 1', () => {
    expect(anyLossRandom(1, 15, 3, 4)).toBeCloseTo(chunkLossChance(15, 3, 4), 15);
    expect(anyLossRandom(10_000, 15, 3, 4)).toBeGreaterThan(0.9999);
  });
});

describe('validation experiments (npm run validate at the seed counts of npm test)', () => {
  const measured = measureAll(EXPERIMENTS, (e) => e.testSeeds);

  for (const m of measured) {
    it(`${m.experiment.name}: ${m.experiment.expected.toPrecision(4)} lies within the 95 % interval of ${m.seeds} seeds (or one grid step below it)`, () => {
      expect(m.interval.low).toBeLessThanOrEqual(m.experiment.expected + (m.experiment.grid ?? 0));
      expect(m.interval.high).toBeGreaterThanOrEqual(m.experiment.expected);
      expect(m.agrees).toBe(true);
      // An interval that decides something: narrower than the value it is held to, or than 0.1 for a share.
      expect(m.interval.high - m.interval.low).toBeLessThan(Math.max(m.experiment.expected * 1.5, 0.1));
    });
  }

  it('docs/validation.md quotes every experiment with its closed form and expected value', () => {
    const doc = readFileSync('docs/validation.md', 'utf8');
    for (const e of EXPERIMENTS) {
      const row = doc.split('\n').find((line) => line.startsWith(`| ${e.name} |`));
      expect(row, e.name).toBeDefined();
      expect(row).toContain(`| ${e.formula} | ${Number(e.expected.toPrecision(4))} | ${e.fullSeeds} |`);
    }
  });
});
