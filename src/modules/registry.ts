import { coordinatorModule } from '../systems/coordinator/module.js';
import { gossipModule } from '../systems/gossip/module/index.js';
import { membershipModule } from '../systems/membership/module.js';
import { pipelineModule } from '../systems/pipeline/module/index.js';
import { raftModule } from '../systems/raft/module.js';
import { readsModule } from '../systems/reads/module/index.js';
import type { SystemModule } from './system-module.js';

/**
 * Every system Lorenz can run, one line each, in the order their outputs
 * appear (summary sections, invariants, metric names). Adding a system:
 * its folder under src/systems/ with a module.ts, and one line here.
 */
export const SYSTEMS: readonly SystemModule[] = [
  pipelineModule,
  membershipModule,
  raftModule,
  coordinatorModule,
  gossipModule,
  readsModule,
];

/**
 * The order modules are resolved and booted: each after the modules it
 * `uses` (depth first, in the order it lists them), otherwise in registry
 * order. Boot order is event order at every node's start, so it is fixed
 * here rather than left to chance.
 */
export function bootOrder(systems: readonly SystemModule[]): SystemModule[] {
  const order: SystemModule[] = [];
  const visiting = new Set<SystemModule>();
  const visit = (m: SystemModule): void => {
    if (order.includes(m)) return;
    if (visiting.has(m)) throw new Error(`system modules use each other in a cycle through ${m.name}`);
    visiting.add(m);
    for (const used of m.uses ?? []) visit(used);
    visiting.delete(m);
    order.push(m);
  };
  for (const m of systems) visit(m);
  return order;
}
