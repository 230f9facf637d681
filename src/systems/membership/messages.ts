import { port } from '../../world/runtime.js';

/** A heartbeat says only "I am alive": its arrival is the whole message. */
export type Beat = Readonly<Record<string, never>>;

export type SwimStatus = 'alive' | 'suspect' | 'dead';
/** A membership rumour: `subject` is `status` at `incarnation`; with Lifeguard, a suspicion also names `from`, the member that suspects (so others can count independent confirmations). */
export interface SwimUpdate { subject: number; status: SwimStatus; incarnation: number; from?: number }

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

/** A machine making itself known: sent at its every boot by a node that was not in the configuration (a joiner). */
export type Hello = Readonly<Record<string, never>>;
/** The answer to a hello: who answers is a member; what it knows of draining and departed members comes along. */
export interface Welcome { draining: boolean; departed: readonly number[] }

/**
 * The roster's ports: joins, drains and departures travel as messages, so a
 * lost one is lost (a node that missed a departure finds out by its
 * detector, as a failure). `drain` and `decommission` are the operator's
 * commands, delivered by the world to the node itself; `release` comes
 * from the node that keeps the catalog once a drainer's data is handed off.
 */
export const RosterPort = {
  hello: port<Hello>('roster/hello'),
  welcome: port<Welcome>('roster/welcome'),
  draining: port<Beat>('roster/draining'),
  left: port<Beat>('roster/left'),
  release: port<Beat>('roster/release'),
  drain: port<Beat>('admin/drain'),
  decommission: port<Beat>('admin/decommission'),
};
