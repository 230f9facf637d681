import { port, type Port } from '../../world/runtime.js';

/** Origin -> relay, as a bulk transfer carrying the payload: send it on to `to`. */
export interface RelayRequest {
  /** The origin's number for this relayed transfer. */
  id: number;
  to: number;
  port: Port<unknown>;
  bytes: number;
  body: unknown;
}

/** Relay -> origin: how the second hop ended, and the rate it achieved to the destination's region (bytes/s, 0 if it failed). */
export interface RelayDone { id: number; ok: boolean; rate: number }

/** Ports of the relay service, on every node. */
export const RoutingPort = {
  forward: port<RelayRequest>('routing/forward'),
  done: port<RelayDone>('routing/done'),
};
