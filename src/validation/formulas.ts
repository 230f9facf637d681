/**
 * Closed forms the validation experiments are held to. Each is the textbook
 * answer to a question a run can also answer; docs/validation.md says where
 * each comes from and what it assumes.
 */

/** C(n, k), exactly for the small arguments here (a product of ratios, rounded). */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) c = (c * (n - Math.min(k, n - k) + i)) / i;
  return Math.round(c);
}

/**
 * The chance that one chunk whose r replicas sit on r distinct nodes of n is
 * lost when k of the n nodes, drawn uniformly, fail at once: the k failed
 * must include its r, C(n - r, k - r) / C(n, k) = C(k, r) / C(n, r). It holds
 * for any placement, since the failed set alone is random.
 */
export const chunkLossChance = (n: number, r: number, k: number): number => choose(k, r) / choose(n, r);

/** Chunks lost on average when k of n nodes fail at once: by linearity, chunks x chunkLossChance, whatever the placement. */
export const expectedChunksLost = (chunks: number, n: number, r: number, k: number): number => chunks * chunkLossChance(n, r, k);

/**
 * The chance that some chunk is lost when k of n nodes fail at once and
 * every chunk's replica set is an independent uniform draw of r of the n
 * nodes (random placement): given the failed set, each chunk escapes with
 * 1 - p independently, so 1 - (1 - p)^chunks.
 */
export const anyLossRandom = (chunks: number, n: number, r: number, k: number): number => 1 - Math.pow(1 - chunkLossChance(n, r, k), chunks);

/**
 * The chance that some chunk is lost when k of n nodes fail at once and the
 * nodes are cut into n / r disjoint groups, each holding some chunk's every
 * replica (copysets of scatter width r - 1): the chance that the failed set
 * contains a whole group, by inclusion-exclusion over the groups it contains.
 */
export function anyLossDisjoint(n: number, r: number, k: number): number {
  const groups = Math.floor(n / r);
  let p = 0;
  for (let j = 1; j <= Math.min(groups, Math.floor(k / r)); j++) p += (j % 2 === 1 ? 1 : -1) * choose(groups, j) * (choose(n - j * r, k - j * r) / choose(n, k));
  return p;
}

/**
 * The silence after the last heartbeat at which phi accrual reaches
 * `threshold`, for inter-arrival times of mean `mean` (acceptable pause
 * included) and spread `std`:
 * - exponential (Cassandra): phi = t / (mean ln 10), so t = threshold · mean · ln 10;
 * - normal (Akka's logistic approximation of the tail, as Lorenz computes it):
 *   t = mean + std · y, where y solves -log10(e / (1 + e)) = threshold with
 *   e = exp(-y (1.5976 + 0.070566 y²)), found by bisection (the left side
 *   rises with y).
 */
export function phiSilence(model: 'normal' | 'exponential', threshold: number, mean: number, std: number): number {
  if (model === 'exponential') return threshold * mean * Math.LN10;
  const target = Math.log((1 - Math.pow(10, -threshold)) / Math.pow(10, -threshold));
  let lo = 0;
  let hi = 100;
  for (let i = 0; i < 200; i++) {
    const y = (lo + hi) / 2;
    if (y * (1.5976 + 0.070566 * y * y) < target) lo = y;
    else hi = y;
  }
  return mean + std * ((lo + hi) / 2);
}

/**
 * SWIM: the expected number of whole periods, after the first period start
 * that follows a crash, before some live member probes the crashed one (G,
 * so its first probe is at period G from there). n members, the crashed one
 * among them: each of the n - 1 live ones probes one of its n - 1 others.
 * - random (the paper's analysis): each prober picks it with chance
 *   1 / (n - 1) every period, so P(G >= j) = q^j with q = (1 - 1/(n-1))^(n-1),
 *   and E[G] = q / (1 - q) (1 / (1 - q) is the paper's e / (e - 1) bound as
 *   n grows, counting the probing period);
 * - round_robin (shuffled rounds of n - 1 periods, every member once a
 *   round): at position `position` of a round, each prober's turn for it is
 *   uniform over the round, so P(G >= j) = (1 - j/(n-1))^(n-1) while the
 *   round lasts, then (position/(n-1))^(n-1) (1 - j'/(n-1))^(n-1) into the
 *   next; E[G] is the sum over j >= 1.
 */
export function swimPeriodsUntilProbed(order: 'random' | 'round_robin', n: number, position = 0): number {
  const m = n - 1;
  if (order === 'random') {
    const q = Math.pow(1 - 1 / m, m);
    return q / (1 - q);
  }
  const left = m - position;
  let sum = 0;
  for (let j = 1; j <= left; j++) sum += Math.pow(1 - j / m, m);
  const missedRound = Math.pow(position / m, m);
  for (let j = 1; j <= m; j++) sum += missedRound * Math.pow(1 - j / m, m);
  return sum;
}

/**
 * Mean time to data loss of one chunk at r replicas (the Markov model of
 * r-way replication): each live replica fails at rate `lambda`, lost ones
 * are re-made one at a time at rate `mu` (a repair takes an exponential
 * time of mean 1/mu), and no replica left is the absorbing state. The mean
 * times to absorption T_i from i live replicas solve
 * (i·λ + μ_i)·T_i = 1 + i·λ·T_(i−1) + μ_i·T_(i+1), T_0 = 0, μ_r = 0, μ_i = μ
 * otherwise: a tridiagonal system, solved by elimination. Returns T_r, in
 * the unit of 1/lambda. For r = 2 it is (3λ + μ) / (2λ²).
 */
export function mttdlMarkov(r: number, lambda: number, mu: number): number {
  // T_i = a_i + b_i·T_(i+1), from T_1 upwards (T_0 = 0 and μ_r = 0 close the ends).
  let a = 0;
  let b = 0;
  for (let i = 1; i <= r; i++) {
    const up = i < r ? mu : 0;
    const down = i * lambda;
    // (down + up)·T_i = 1 + down·(a + b·T_i) + up·T_(i+1)
    const denominator = down + up - down * b;
    a = (1 + down * a) / denominator;
    b = up / denominator;
  }
  return a;
}

/**
 * Erlang C: the chance that an arrival to an M/M/c queue (Poisson arrivals
 * at rate λ, c servers each serving at rate μ, first come first served)
 * must wait, with offered load a = λ/μ < c:
 * C(c, a) = (aᶜ/c! · c/(c − a)) / (Σₖ₌₀^(c−1) aᵏ/k! + aᶜ/c! · c/(c − a)).
 */
export function erlangC(c: number, a: number): number {
  if (a >= c) return 1;
  let term = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term = (term * a) / (k + 1);
  }
  const tail = (term * c) / (c - a);
  return tail / (sum + tail);
}

/** Mean wait in the queue of an M/M/c queue: C(c, a) / (cμ − λ); for c = 1, ρ/(μ − λ). In the unit of 1/μ. */
export const mmcMeanWait = (c: number, lambda: number, mu: number): number => erlangC(c, lambda / mu) / (c * mu - lambda);
