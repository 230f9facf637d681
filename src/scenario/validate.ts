import { faultKind } from '../chaos/index.js';
import type { Scenario } from './schema.js';

export interface NameProblem {
  path: Array<string | number>;
  message: string;
}

/** The topology's names, for checks that a name a scenario uses exists. */
export interface TopologyNames {
  nodes: string[];
  regions: string[];
  racks: string[];
  clouds: string[];
  /** Node names under a node, region or cloud name. */
  members(name: string): string[];
}

/** Every node, region and cloud name, which must be unique across all three levels. */
export function topologyNames(sc: Scenario): TopologyNames {
  const clouds = Object.keys(sc.topology.clouds);
  const regions: string[] = [];
  const racks = new Set<string>();
  const nodes: string[] = [];
  // Linear in the nodes (a topology may have up to 100,000): lists grow in place.
  const under = new Map<string, string[]>();
  const add = (key: string, node: string) => {
    const list = under.get(key);
    if (list) list.push(node);
    else under.set(key, [node]);
  };
  for (const [cloud, c] of Object.entries(sc.topology.clouds)) {
    for (const [r, spec] of Object.entries(c.regions)) {
      regions.push(r);
      for (let i = 1; i <= spec.nodes; i++) {
        const node = `${r}-${i}`;
        nodes.push(node);
        const rack = spec.racks ? `${r}-rack${((i - 1) % spec.racks) + 1}` : undefined;
        if (rack) racks.add(rack);
        for (const key of rack ? [cloud, r, rack, node] : [cloud, r, node]) add(key, node);
      }
    }
  }
  return { nodes, regions, racks: [...racks], clouds, members: (name) => under.get(name) ?? [] };
}

/** What the systems' blocks add to the checks: their own, and the role targets faults may name. */
export interface SystemChecks {
  check(sc: Scenario, names: TopologyNames, hint: string): NameProblem | undefined;
  /** Role targets (`@raft-leader`) by name, with the block that must be there for one to exist. */
  roles: ReadonlyMap<string, { block: string; what: string }>;
}

const NO_SYSTEM_CHECKS: SystemChecks = { check: () => undefined, roles: new Map() };

/** Checks what the schema cannot: names that must exist, topology that must be possible. */
export function checkNames(sc: Scenario, systems: SystemChecks = NO_SYSTEM_CHECKS): NameProblem | undefined {
  const names = topologyNames(sc);
  const { nodes, regions, clouds } = names;
  const seen = new Set<string>();
  for (const name of [...clouds, ...regions, ...names.racks, ...nodes]) {
    if (seen.has(name)) return { path: ['topology', 'clouds'], message: `the name "${name}" is used twice; cloud, region, rack and node names must all differ` };
    seen.add(name);
  }
  if (nodes.length === 0) return { path: ['topology', 'clouds'], message: 'the topology has no nodes' };
  const hint = `known names: clouds ${clouds.join(', ')}; regions ${regions.join(', ')};${names.racks.length ? ` racks ${names.racks.join(', ')};` : ''} nodes ${nodes[0]} ... ${nodes[nodes.length - 1]}`;
  if (!nodes.includes(sc.pipeline.source_node)) {
    return { path: ['pipeline', 'source_node'], message: `no node called "${sc.pipeline.source_node}"; ${hint}` };
  }
  const rf = sc.pipeline.distribution.replication_factor;
  if (rf > nodes.length - 1) {
    return { path: ['pipeline', 'distribution', 'replication_factor'], message: `${rf} replicas need at least ${rf + 1} nodes (the sender holds none), the topology has ${nodes.length}` };
  }
  return checkLinks(sc, names, hint) ?? systems.check(sc, names, hint) ?? checkFaults(sc, names, hint, systems.roles);
}

/**
 * Checks `cloud_latency` keys a scenario wrote itself (the defaults name
 * clouds a scenario may not have): each must be "<cloud>-<cloud>".
 */
export function checkCloudLatencyKeys(sc: Scenario, keys: readonly string[]): NameProblem | undefined {
  const { clouds } = topologyNames(sc);
  for (const key of keys) {
    const pairs = [...key.matchAll(/-/g)].map((m) => [key.slice(0, m.index), key.slice(m.index! + 1)]);
    if (!pairs.some(([a, b]) => clouds.includes(a!) && clouds.includes(b!))) {
      return { path: ['network', 'cloud_latency', key], message: `"${key}" does not name two clouds as "<cloud>-<cloud>"; clouds are ${clouds.join(', ')}` };
    }
  }
  return undefined;
}

function checkLinks(sc: Scenario, names: TopologyNames, hint: string): NameProblem | undefined {
  for (const [i, link] of sc.network.links.entries()) {
    for (const [j, name] of link.between.entries()) {
      if (!names.regions.includes(name) && !names.clouds.includes(name)) return { path: ['network', 'links', i, 'between', j], message: `no region or cloud called "${name}"; ${hint}` };
    }
  }
  return undefined;
}

function checkFaults(sc: Scenario, names: TopologyNames, hint: string, roles: SystemChecks['roles']): NameProblem | undefined {
  for (const [i, name] of (sc.nemesis?.spare ?? []).entries()) {
    if (!names.nodes.includes(name)) return { path: ['nemesis', 'spare', i], message: `no node called "${name}"; ${hint}` };
  }
  for (const [i, fault] of sc.faults.entries()) {
    const entry = faultKind(fault.kind)!;
    for (const ref of entry.names(fault as never)) {
      const role = roles.get(ref.name);
      if (role) {
        if (sc[role.block] === undefined) return { path: ['faults', i, ...ref.path], message: `"${ref.name}" needs ${role.what} in the scenario` };
        if (ref.level === 'node' || ref.level === 'any' || ref.level === undefined) continue;
      }
      const level = ref.level ?? 'any';
      if (level !== 'any' && !names[`${level}s`].includes(ref.name)) {
        return { path: ['faults', i, ...ref.path], message: `no ${level} called "${ref.name}" (${fault.kind} takes one ${level}); ${hint}` };
      }
      if (![...names.nodes, ...names.regions, ...names.racks, ...names.clouds].includes(ref.name)) return { path: ['faults', i, ...ref.path], message: `no node, rack, region or cloud called "${ref.name}"; ${hint}` };
    }
    const problem = entry.check?.(fault as never, names.members);
    if (problem) return { path: ['faults', i, ...problem.path], message: problem.message };
  }
  return undefined;
}
