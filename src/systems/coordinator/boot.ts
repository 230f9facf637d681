import type { NodeRuntime } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { CoordinatorAgent } from './agent.js';
import type { CoordinatorOptions, TaskWorkloadOptions } from './options.js';
import { TaskSubmitter } from './submitter.js';

/** Document 003's coordinator on one node: an agent if the node is one, the task submitter if it is the task node. */
export function bootCoordinator(rt: NodeRuntime, opts: { group: CoordinatorOptions; work?: TaskWorkloadOptions }, telemetry: Telemetry): void {
  const { group, work } = opts;
  if (group.agents.includes(rt.self)) new CoordinatorAgent(rt, group, telemetry);
  if (work?.node === rt.self) new TaskSubmitter(rt, work, group, telemetry);
}
