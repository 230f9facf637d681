import type { NodeRuntime } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { RaftAdmin } from './admin.js';
import { RaftClient } from './client.js';
import type { RaftClientOptions, RaftOptions } from './options.js';
import { RaftNode } from './raft-node.js';

/**
 * The Raft group on one node: a member if the node is one or may be added
 * (it then starts outside the configuration and waits to be caught up), the
 * client workload and the operator's membership tool if it is the client's node.
 */
export function bootRaft(rt: NodeRuntime, opts: { group: RaftOptions; client: RaftClientOptions }, telemetry: Telemetry): void {
  const { group, client } = opts;
  const everyone = [...group.members, ...group.joiners];
  if (everyone.includes(rt.self)) new RaftNode(rt, group, telemetry);
  if (client.node !== rt.self) return;
  new RaftClient(rt, client, everyone, telemetry, group.heartbeatInterval);
  if (group.joiners.length > 0 || group.changes) new RaftAdmin(rt, everyone, client.timeout, group.electionTimeoutMax, telemetry);
}
