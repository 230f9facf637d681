import { anyLossDisjoint, anyLossRandom, expectedChunksLost, mmcMeanWait, mttdlMarkov, phiSilence, swimPeriodsUntilProbed } from './formulas.js';

/** What an experiment measures over its seeds: the mean of a summary metric, or the share of runs where it is above 0. */
export type Measure = { metric: string; kind: 'mean' | 'share_above_zero' };

/**
 * One validation experiment: a scenario in experiments/, the settings it is
 * run with, what is measured, and the closed form it must agree with.
 */
export interface Experiment {
  /** Short name: the row's name in docs/validation.md. */
  name: string;
  file: string;
  set: readonly string[];
  measure: Measure;
  /** The closed form, and how it reads in the docs. */
  expected: number;
  formula: string;
  /**
   * A quantity that happens on a grid (a check every so often) can land
   * anywhere up to one step after the closed form: it agrees when the
   * interval meets [expected, expected + grid]. Omitted: 0.
   */
  grid?: number;
  /** Seeds for `npm test` (enough for the interval to decide) and for `npm run validate` (the figures the docs quote). */
  testSeeds: number;
  fullSeeds: number;
}

/** experiments/k-random-loss.yml: 15 nodes, 50 chunks at 3 replicas, 4 nodes lost at once. */
const K_LOSS = { file: 'experiments/k-random-loss.yml', n: 15, chunks: 50, r: 3, k: 4 };
const placed = (strategy: string) => [`pipeline.distribution.placement.strategy=${strategy}`];

/** experiments/phi-detection.yml: a crash 1 ms after a heartbeat arrived, heartbeats every 1 s, checks every 10 ms, threshold 8. */
const PHI = { file: 'experiments/phi-detection.yml', interval: 1, check: 0.01, threshold: 8, pause: 3, minStd: 0.1, sinceHeartbeat: 0.001 };

/**
 * experiments/swim-detection.yml: 50 members, 1 s periods from boot, suspicion timeout 5 s, a crash at 60.5 s.
 * The first period start after it is 61 s, position 61 mod 49 = 12 of a round-robin round; whoever probes it
 * then suspects it a period later and declares it failed a suspicion timeout after that.
 */
const SWIM = { file: 'experiments/swim-detection.yml', n: 50, period: 1, suspicion: 5, crash: 60.5 };
const swimDetection = (order: 'random' | 'round_robin'): number => {
  const first = Math.ceil(SWIM.crash / SWIM.period) * SWIM.period;
  const position = Math.round(first / SWIM.period) % (SWIM.n - 1);
  return first - SWIM.crash + (swimPeriodsUntilProbed(order, SWIM.n, position) + 1) * SWIM.period + SWIM.suspicion;
};

/**
 * experiments/mttdl.yml: one chunk, disks failing at rate 1/lifetime (exponential, replaced after 1 s), each lost
 * replica re-made after an exponential time of mean 6 h, one at a time. The chunk is stored within the run's first
 * seconds, which the comparison ignores (seconds against weeks).
 */
const MTTDL = { file: 'experiments/mttdl.yml', repairHours: 6 };
const DAY_S = 86_400;
const mttdlSeconds = (r: number, lifetimeDays: number): number => mttdlMarkov(r, 1 / lifetimeDays, 24 / MTTDL.repairHours) * DAY_S;

/** experiments/queueing.yml: Poisson arrivals (mean gap 1.5 s, or 400 ms), exponential service of mean 1 s, c slots. */
const QUEUE = { file: 'experiments/queueing.yml', service: 1 };
const fourSlots = ['topology.clouds.aws.regions.aws-proc.slots=4', 'pipeline.dataset.arrivals.every.mean=400ms'];

export const EXPERIMENTS: readonly Experiment[] = [
  {
    name: 'k-random-loss, random placement: chunks lost',
    file: K_LOSS.file,
    set: placed('random'),
    measure: { metric: 'lost_chunks', kind: 'mean' },
    expected: expectedChunksLost(K_LOSS.chunks, K_LOSS.n, K_LOSS.r, K_LOSS.k),
    formula: 'C · C(k,R) / C(N,R)',
    testSeeds: 200,
    fullSeeds: 2000,
  },
  {
    name: 'k-random-loss, random placement: any chunk lost',
    file: K_LOSS.file,
    set: placed('random'),
    measure: { metric: 'lost_chunks', kind: 'share_above_zero' },
    expected: anyLossRandom(K_LOSS.chunks, K_LOSS.n, K_LOSS.r, K_LOSS.k),
    formula: '1 − (1 − C(k,R)/C(N,R))^C',
    testSeeds: 200,
    fullSeeds: 2000,
  },
  {
    name: 'k-random-loss, copysets (disjoint): chunks lost',
    file: K_LOSS.file,
    set: placed('copyset'),
    measure: { metric: 'lost_chunks', kind: 'mean' },
    expected: expectedChunksLost(K_LOSS.chunks, K_LOSS.n, K_LOSS.r, K_LOSS.k),
    formula: 'C · C(k,R) / C(N,R)',
    testSeeds: 200,
    fullSeeds: 2000,
  },
  {
    name: 'k-random-loss, copysets (disjoint): any chunk lost',
    file: K_LOSS.file,
    set: placed('copyset'),
    measure: { metric: 'lost_chunks', kind: 'share_above_zero' },
    expected: anyLossDisjoint(K_LOSS.n, K_LOSS.r, K_LOSS.k),
    formula: 'Σⱼ (−1)^(j+1) C(N/R, j) C(N − jR, k − jR) / C(N,k)',
    testSeeds: 200,
    fullSeeds: 2000,
  },
  {
    name: 'mttdl, 2 replicas, disks of mean life 5 d, repairs of mean 6 h: time to data loss, s',
    file: MTTDL.file,
    set: [],
    measure: { metric: 'first_loss_s', kind: 'mean' },
    expected: mttdlSeconds(2, 5),
    formula: 'Markov chain, absorbing at 0 replicas: (3λ + μ) / (2λ²)',
    testSeeds: 200,
    fullSeeds: 2000,
  },
  {
    name: 'mttdl, 3 replicas, disks of mean life 3 d, repairs of mean 6 h: time to data loss, s',
    file: MTTDL.file,
    set: ['pipeline.distribution.replication_factor=3', 'failures.disks.lifetime.mean=3d'],
    measure: { metric: 'first_loss_s', kind: 'mean' },
    expected: mttdlSeconds(3, 3),
    formula: 'Markov chain, absorbing at 0 replicas: T₃ of (iλ + μᵢ)Tᵢ = 1 + iλTᵢ₋₁ + μᵢTᵢ₊₁',
    testSeeds: 200,
    fullSeeds: 2000,
  },
  {
    name: 'queueing, M/M/1 at load 2/3: mean wait for a worker, s',
    file: QUEUE.file,
    set: [],
    measure: { metric: 'wait_mean_s', kind: 'mean' },
    expected: mmcMeanWait(1, 1 / 1.5, 1 / QUEUE.service),
    formula: 'ρ / (μ − λ)',
    testSeeds: 50,
    fullSeeds: 400,
  },
  {
    name: 'queueing, M/M/4 at load 0.625: mean wait for a worker, s',
    file: QUEUE.file,
    set: fourSlots,
    measure: { metric: 'wait_mean_s', kind: 'mean' },
    expected: mmcMeanWait(4, 1 / 0.4, 1 / QUEUE.service),
    formula: 'Erlang C: C(c, a) / (cμ − λ), a = λ/μ',
    testSeeds: 50,
    fullSeeds: 400,
  },
  {
    name: 'phi-detection, normal model (Akka): detection time, s',
    file: PHI.file,
    set: [],
    measure: { metric: 'detection_p50_s', kind: 'mean' },
    // Inter-arrivals are exactly the interval: the mean is it plus the acceptable pause, the spread the min_std_dev floor.
    expected: phiSilence('normal', PHI.threshold, PHI.interval + PHI.pause, PHI.minStd) - PHI.sinceHeartbeat,
    formula: 'μ + σ·y(Φ) − 1 ms, up to one check later',
    grid: PHI.check,
    testSeeds: 5,
    fullSeeds: 20,
  },
  {
    name: 'phi-detection, exponential model (Cassandra): detection time, s',
    file: PHI.file,
    set: ['detector.phi_accrual.model=exponential', 'detector.phi_accrual.acceptable_pause=0'],
    measure: { metric: 'detection_p50_s', kind: 'mean' },
    expected: phiSilence('exponential', PHI.threshold, PHI.interval, 0) - PHI.sinceHeartbeat,
    formula: 'Φ · mean · ln 10 − 1 ms, up to one check later',
    grid: PHI.check,
    testSeeds: 5,
    fullSeeds: 20,
  },
  {
    name: 'swim-detection, random probes: detection time, s',
    file: SWIM.file,
    set: ['detector.swim.probe_order=random'],
    measure: { metric: 'detection_p50_s', kind: 'mean' },
    expected: swimDetection('random'),
    formula: '(61 − 60.5) + (E[G] + 1)·T + S, E[G] = q/(1 − q), q = (1 − 1/(n−1))^(n−1)',
    testSeeds: 300,
    fullSeeds: 3000,
  },
  {
    name: 'swim-detection, round-robin probes: detection time, s',
    file: SWIM.file,
    set: [],
    measure: { metric: 'detection_p50_s', kind: 'mean' },
    expected: swimDetection('round_robin'),
    formula: '(61 − 60.5) + (E[G] + 1)·T + S, E[G] = Σⱼ (1 − j/(n−1))^(n−1)',
    testSeeds: 300,
    fullSeeds: 3000,
  },
];
