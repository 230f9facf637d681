import { port } from '../../world/runtime.js';

/** A heartbeat says only "I am alive": its arrival is the whole message. */
export type Beat = Readonly<Record<string, never>>;

export type SwimStatus = 'alive' | 'suspect' | 'dead';
/** A membership rumour: `subject` is `status` at `incarnation`. */
export interface SwimUpdate { subject: number; status: SwimStatus; incarnation: number }

export interface Ping { seq: number; updates: SwimUpdate[]; /** Set when probing on behalf of another member. */ for?: number; forSeq?: number }
export interface PingReq { seq: number; target: number; updates: SwimUpdate[] }
export interface Ack { seq: number; from: number; updates: SwimUpdate[] }

/**
 * The detectors' ports, each named after what it carries. The wire names are
 * what traces and determinism digests show: never rename them. Each detector
 * has its own, so two kinds never read each other's messages.
 */
export const DetectorPort = {
  /** Document 002's timeout detector. */
  heartbeat: port<Beat>('fd/heartbeat'),
  /** The phi accrual detector. */
  phiHeartbeat: port<Beat>('fd/phi-heartbeat'),
};

export const SwimPort = {
  ping: port<Ping>('swim/ping'),
  pingReq: port<PingReq>('swim/ping-req'),
  ack: port<Ack>('swim/ack'),
};
