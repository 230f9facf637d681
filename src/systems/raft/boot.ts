import type { NodeRuntime } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { RaftClient } from './client.js';
import type { RaftClientOptions, RaftOptions } from './options.js';
import { RaftNode } from './raft-node.js';

/** The Raft group on one node: a member if the node is one, the client workload if it is the client's node. */
export function bootRaft(rt: NodeRuntime, opts: { group: RaftOptions; client: RaftClientOptions }, telemetry: Telemetry): void {
  const { group, client } = opts;
  if (group.members.includes(rt.self)) new RaftNode(rt, group, telemetry);
  if (client.node === rt.self) new RaftClient(rt, client, group.members, telemetry, group.heartbeatInterval);
}
