/** How many of its latest task outcomes an agent remembers for its error rate and its slowness. */
export const HEALTH_WINDOW = 20;

/** The three measurements behind a health score, each in [0, 1]. */
export interface HealthParts {
  /** Share of the other agents heard from within the heartbeat timeout. */
  heard: number;
  /** Share of its latest task executions that failed. */
  errors: number;
  /** Nominal over measured duration of its latest executions, at most 1 (1: on time; 0.2: five times slower). */
  speed: number;
}

/**
 * Document 003's health score, measured instead of fixed at 100: each agent
 * scores itself from what it sees, once a heartbeat, and reports the score
 * in the heartbeat (where it counts in the election score and, with
 * `votes.weights: health`, in the weight of its votes):
 *
 *     health = round(100 x heard x (1 - errors) x speed)
 *
 * An agent cut off from the others, failing its tasks, or running slow (a
 * brownout stretches its timers; it measures its own executions by its
 * monotonic clock) scores low. Volatile: a restarted agent starts at full
 * marks for what it has not measured yet.
 */
export class AgentHealth {
  /** Latest outcomes, oldest first: 1 failed, 0 succeeded. */
  private readonly failed: number[] = [];
  /** Nominal over measured duration of the same executions. */
  private readonly speeds: number[] = [];

  /** An execution ended: it took `measured` microseconds by the agent's clock, against `nominal`. */
  executed(ok: boolean, nominal: number, measured: number): void {
    this.failed.push(ok ? 0 : 1);
    this.speeds.push(measured <= 0 ? 1 : Math.min(1, nominal / measured));
    if (this.failed.length > HEALTH_WINDOW) {
      this.failed.shift();
      this.speeds.shift();
    }
  }

  /**
   * The window counts as full from the start, its unmeasured places as tasks
   * done on time: one failure among an agent's first tasks costs 5 %, not
   * all of its health.
   */
  parts(heard: number): HealthParts {
    const unmeasured = HEALTH_WINDOW - this.failed.length;
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    return { heard, errors: sum(this.failed) / HEALTH_WINDOW, speed: (sum(this.speeds) + unmeasured) / HEALTH_WINDOW };
  }

  score(heard: number): number {
    const p = this.parts(heard);
    return Math.round(100 * p.heard * (1 - p.errors) * p.speed);
  }
}
