import { faultKind } from '../chaos/index.js';
import type { Scenario } from './schema.js';

export interface NameProblem {
  path: Array<string | number>;
  message: string;
}

/** Every node, region and cloud name, which must be unique across all three levels. */
export function topologyNames(sc: Scenario): { nodes: string[]; regions: string[]; clouds: string[] } {
  const clouds = Object.keys(sc.topology.clouds);
  const regions: string[] = [];
  const nodes: string[] = [];
  for (const c of Object.values(sc.topology.clouds)) {
    for (const [r, spec] of Object.entries(c.regions)) {
      regions.push(r);
      for (let i = 1; i <= spec.nodes; i++) nodes.push(`${r}-${i}`);
    }
  }
  return { nodes, regions, clouds };
}

/** Checks what the schema cannot: names that must exist, topology that must be possible. */
export function checkNames(sc: Scenario): NameProblem | undefined {
  const { nodes, regions, clouds } = topologyNames(sc);
  const seen = new Set<string>();
  for (const name of [...clouds, ...regions, ...nodes]) {
    if (seen.has(name)) return { path: ['topology', 'clouds'], message: `the name "${name}" is used twice; cloud, region and node names must all differ` };
    seen.add(name);
  }
  const known = (n: string) => seen.has(n);
  const hint = `known names: clouds ${clouds.join(', ')}; regions ${regions.join(', ')}; nodes ${nodes[0] ?? '(none)'} ... ${nodes[nodes.length - 1] ?? ''}`;
  if (nodes.length === 0) return { path: ['topology', 'clouds'], message: 'the topology has no nodes' };
  if (!nodes.includes(sc.pipeline.source_node)) {
    return { path: ['pipeline', 'source_node'], message: `no node called "${sc.pipeline.source_node}"; ${hint}` };
  }
  const rf = sc.pipeline.distribution.replication_factor;
  if (rf > nodes.length - 1) {
    return { path: ['pipeline', 'distribution', 'replication_factor'], message: `${rf} replicas need at least ${rf + 1} nodes (the sender holds none), the topology has ${nodes.length}` };
  }
  for (const [i, link] of sc.network.links.entries()) {
    for (const [j, name] of link.between.entries()) {
      if (!regions.includes(name) && !clouds.includes(name)) return { path: ['network', 'links', i, 'between', j], message: `no region or cloud called "${name}"; ${hint}` };
    }
  }
  for (const [i, fault] of sc.faults.entries()) {
    const entry = faultKind(fault.kind)!;
    for (const ref of entry.names(fault as never)) {
      if (!known(ref.name)) return { path: ['faults', i, ...ref.path], message: `no node, region or cloud called "${ref.name}"; ${hint}` };
    }
    if (fault.kind === 'node_crash' && !nodes.includes(fault.node)) {
      return { path: ['faults', i, 'node'], message: `"${fault.node}" is not a node (node_crash takes one node; region_outage-style faults take regions)` };
    }
  }
  return undefined;
}
