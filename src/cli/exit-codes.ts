/** Exit codes of every Lorenz command. */
export const EXIT_CODES = {
  /** Completed; every invariant and expectation held (compare: equal). */
  ok: 0,
  /** Completed; something did not hold (compare: different). */
  failed: 1,
  /** Bad input or usage. */
  usage: 2,
  /** A bug in Lorenz surfaced during a run (reported with the scenario, seed, instant and a reproduce line). */
  internal: 3,
} as const;
