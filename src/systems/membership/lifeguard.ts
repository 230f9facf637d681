import type { SimTime } from '../../kernel/index.js';

/**
 * Lifeguard (Dadgar, Phillips and Currey, "Lifeguard: Local Health Awareness
 * for More Accurate Failure Detection", 2018), the refinements HashiCorp's
 * memberlist runs on top of SWIM. Two of its three parts live here as
 * arithmetic; swim.ts applies them:
 *
 * - **Suspicion that scales and is confirmed.** A suspicion starts long and
 *   shrinks as other members independently suspect the same member: with
 *   `min = suspicion_multiplier x max(1, log10 n) x period` and
 *   `max = max_multiplier x min`, a suspicion confirmed by `c` distinct
 *   others times out after `max - (max - min) x log(c + 1) / log(k + 1)`,
 *   never under `min`, where `k` is the confirmations expected
 *   (`suspicion_multiplier - 2`, at most the n - 2 others that could
 *   confirm). A lone, mistaken suspicion so lasts long enough for its
 *   subject to hear of it and refute; a real failure, which many probers
 *   see, is declared after about `min`.
 * - **Local health.** A node's health multiplier (0 healthy, at most
 *   `max_health - 1`) rises when its probe goes unanswered or when it must
 *   refute a suspicion of itself, and falls with each answered probe; the
 *   node's probe period and ping timeout are multiplied by it plus one. A
 *   node that is itself slow or cut off then probes less and waits longer,
 *   instead of suspecting healthy members.
 *
 * The third part (a ping to a suspect carries the suspicion, so the suspect
 * refutes at once) is in swim.ts's probe.
 */
export interface LifeguardOptions {
  suspicionMultiplier: number;
  maxMultiplier: number;
  maxHealth: number;
}

/** The shortest and longest suspicion in a cluster of `members`, microseconds. */
export function suspicionBounds(opts: LifeguardOptions, members: number, period: SimTime): { min: SimTime; max: SimTime } {
  const min = Math.round(opts.suspicionMultiplier * Math.max(1, Math.log10(Math.max(1, members))) * period);
  return { min, max: Math.round(opts.maxMultiplier * min) };
}

/** Confirmations a suspicion waits for before it is at its shortest. */
export function expectedConfirmations(opts: LifeguardOptions, members: number): number {
  return Math.max(0, Math.min(Math.floor(opts.suspicionMultiplier) - 2, members - 2));
}

/** How long a suspicion lasts, from its start, after `confirmations` distinct others confirmed it. */
export function suspicionTimeout(confirmations: number, expected: number, min: SimTime, max: SimTime): SimTime {
  if (expected < 1) return min;
  const shrunk = max - ((max - min) * Math.log(confirmations + 1)) / Math.log(expected + 1);
  return Math.max(min, Math.floor(shrunk));
}

/** A node's local health multiplier: 0 is healthy; each step stretches its probing by one more period. */
export class LocalHealth {
  private score = 0;
  constructor(private readonly max: number) {}

  /** A probe went unanswered, or the node had to refute a suspicion of itself. */
  worse(): void {
    if (this.score < this.max - 1) this.score++;
  }

  /** A probe was answered. */
  better(): void {
    if (this.score > 0) this.score--;
  }

  /** `base` stretched by the node's health: base x (score + 1). */
  scale(base: SimTime): SimTime {
    return base * (this.score + 1);
  }

  get value(): number {
    return this.score;
  }
}
