import type { LifeguardOptions } from './lifeguard.js';
import type { SimTime } from '../../kernel/index.js';

export type DetectorKind = 'heartbeat' | 'phi_accrual' | 'swim' | 'none';

/** Document 002's detector: silence longer than `timeout` means failed. */
export interface HeartbeatOptions {
  /** Period of heartbeats to every peer, and of the check, microseconds (document 002: 5 s). */
  interval: SimTime;
  /** Silence after which a peer is suspected, microseconds. */
  suspectAfter: SimTime;
  /** Silence after which a peer is declared failed, microseconds (document 002: 15 s). */
  timeout: SimTime;
}

/** Hayashibara et al.'s phi accrual detector, with Akka's usual settings. */
export interface PhiAccrualOptions {
  /** Heartbeat period, microseconds. */
  interval: SimTime;
  /** How often phi is evaluated, microseconds. */
  checkInterval: SimTime;
  /** Phi at which a peer is suspected. */
  suspectThreshold: number;
  /** Phi at which a peer is declared failed. */
  threshold: number;
  /** Inter-arrival samples kept per peer. */
  windowSize: number;
  /** Floor on the standard deviation, microseconds (keeps phi sane on a perfectly regular network). */
  minStdDev: SimTime;
  /** Extra silence tolerated before phi rises, microseconds. */
  acceptablePause: SimTime;
  /** How inter-arrival times are modelled: `normal` (Hayashibara, Akka) or `exponential` (Cassandra). */
  model: 'normal' | 'exponential';
}

/** SWIM (Das, Gupta, Motivala 2002) with suspicion and piggybacked dissemination. */
export interface SwimOptions {
  /** Protocol period: one probe per node per period, microseconds. */
  period: SimTime;
  /** Wait for a direct ack before asking others, microseconds. */
  pingTimeout: SimTime;
  /** Members asked to probe indirectly (k). */
  indirectProbes: number;
  /** A suspect not refuted within this long is declared failed, microseconds. */
  suspicionTimeout: SimTime;
  /** Each update is piggybacked retransmitMultiplier x ceil(log2(n + 1)) times. */
  retransmitMultiplier: number;
  /** Most updates piggybacked on one message. */
  maxPiggyback: number;
  /** `round_robin`: every member once per round, in a random order (the paper's improvement); `random`: a uniformly drawn member every period (the paper's analysis). */
  probeOrder: 'round_robin' | 'random';
  /** Lifeguard's suspicion and local health (lifeguard.ts), or undefined: plain SWIM with a fixed suspicion timeout. */
  lifeguard: LifeguardOptions | undefined;
}

export interface DetectorOptions {
  kind: DetectorKind;
  heartbeat: HeartbeatOptions;
  phi: PhiAccrualOptions;
  swim: SwimOptions;
}
