import { faultKind } from '../chaos/index.js';
import type { Scenario } from './schema.js';

export interface NameProblem {
  path: Array<string | number>;
  message: string;
}

/** The topology's names, for checks that a name a scenario uses exists. */
export interface TopologyNames {
  /** Every node, standby machines included. */
  nodes: string[];
  /** The standby machines (a node_join names one; a replacement takes one). */
  standby: string[];
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
  const standby: string[] = [];
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
      for (let i = 1; i <= spec.nodes + spec.standby; i++) {
        const node = `${r}-${i}`;
        nodes.push(node);
        if (i > spec.nodes) standby.push(node);
        const rack = spec.racks ? `${r}-rack${((i - 1) % spec.racks) + 1}` : undefined;
        if (rack) racks.add(rack);
        for (const key of rack ? [cloud, r, rack, node] : [cloud, r, node]) add(key, node);
      }
    }
  }
  return { nodes, standby, regions, racks: [...racks], clouds, members: (name) => under.get(name) ?? [] };
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
  const initial = nodes.length - names.standby.length;
  if (initial === 0) return { path: ['topology', 'clouds'], message: 'the topology has no nodes (standby machines do not count: they start outside the cluster)' };
  const hint = `known names: clouds ${clouds.join(', ')}; regions ${regions.join(', ')};${names.racks.length ? ` racks ${names.racks.join(', ')};` : ''} nodes ${nodes[0]} ... ${nodes[nodes.length - 1]}`;
  if (!nodes.includes(sc.pipeline.source_node)) {
    return { path: ['pipeline', 'source_node'], message: `no node called "${sc.pipeline.source_node}"; ${hint}` };
  }
  if (names.standby.includes(sc.pipeline.source_node)) {
    return { path: ['pipeline', 'source_node'], message: `"${sc.pipeline.source_node}" is a standby machine, outside the cluster at the start; the source node must be one of the nodes the run starts with` };
  }
  const rf = sc.pipeline.distribution.replication_factor;
  if (rf > initial - 1) {
    return { path: ['pipeline', 'distribution', 'replication_factor'], message: `${rf} replicas need at least ${rf + 1} nodes (the sender holds none), the topology starts with ${initial}` };
  }
  return checkLinks(sc, names, hint) ?? systems.check(sc, names, hint) ?? checkFaults(sc, names, hint, systems.roles) ?? checkMembershipChanges(sc, names);
}

/**
 * Joins and replacements take standby machines, in the order they happen
 * (time, then position in the list: the order the run takes them in), so
 * each must find one; the source node keeps the catalog and orchestrates, so
 * it cannot be drained or decommissioned.
 */
function checkMembershipChanges(sc: Scenario, names: TopologyNames): NameProblem | undefined {
  const demands: Array<{ at: number; i: number; path: Array<string | number>; node?: string; region?: string }> = [];
  // Node -> region, built at the first question (a scenario without membership changes asks none).
  let regions: Map<string, string> | undefined;
  const regionOf = (node: string): string => {
    regions ??= new Map(names.regions.flatMap((r) => names.members(r).map((n): [string, string] => [n, r])));
    return regions.get(node)!;
  };
  for (const [i, f] of sc.faults.entries()) {
    if ((f.kind === 'node_drain' || f.kind === 'node_decommission') && f.node === sc.pipeline.source_node) {
      return { path: ['faults', i, 'node'], message: `"${f.node}" is the source node, which keeps the catalog and orchestrates; it cannot be drained or decommissioned (lose it with node_loss, or choose another node)` };
    }
    if (f.kind === 'node_join') demands.push({ at: f.at, i, path: ['faults', i, f.node !== undefined ? 'node' : 'region'], node: f.node, region: f.region });
    // A machine replaced in place (what a failure process does) takes no standby machine.
    if ((f.kind === 'node_loss' || f.kind === 'node_drain' || f.kind === 'node_decommission') && f.replace_after !== undefined && !(f.kind === 'node_loss' && f.replace_with === 'in_place')) demands.push({ at: f.at + f.replace_after, i, path: ['faults', i, 'replace_after'], region: regionOf(f.node) });
  }
  const free = new Set(names.standby);
  for (const d of demands.sort((a, b) => a.at - b.at || a.i - b.i)) {
    if (d.node !== undefined) {
      if (!names.standby.includes(d.node)) return { path: d.path, message: `"${d.node}" is not a standby machine; node_join brings in one of a region's standby machines (topology.clouds.<cloud>.regions.<region>.standby)${names.standby.length ? `: ${names.standby.join(', ')}` : ', and this topology has none'}` };
      if (!free.delete(d.node)) return { path: d.path, message: `"${d.node}" has already joined by then` };
      continue;
    }
    const node = names.standby.find((n) => free.has(n) && regionOf(n) === d.region);
    if (node === undefined) {
      const have = names.standby.filter((n) => regionOf(n) === d.region).length;
      return { path: d.path, message: `no standby machine left in ${d.region} by then (it has ${have}); add one with topology.clouds.<cloud>.regions.${d.region}.standby` };
    }
    free.delete(node);
  }
  return undefined;
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
  for (const [i, name] of (sc.failures?.spare ?? []).entries()) {
    if (!names.nodes.includes(name)) return { path: ['failures', 'spare', i], message: `no node called "${name}"; ${hint}` };
  }
  for (const [i, fault] of sc.faults.entries()) {
    const entry = faultKind(fault.kind)!;
    for (const ref of entry.names(fault as never)) {
      const role = roles.get(ref.name);
      if (role) {
        if (sc[role.block] === undefined) {
          return ref.implicit ? { path: ['faults', i, 'kind'], message: `${fault.kind} needs ${role.what} in the scenario` } : { path: ['faults', i, ...ref.path], message: `"${ref.name}" needs ${role.what} in the scenario` };
        }
        if (ref.level === 'node' || ref.level === 'any' || ref.level === undefined) continue;
      }
      const level = ref.level ?? 'any';
      if (level !== 'any' && !names[`${level}s`].includes(ref.name)) {
        return { path: ['faults', i, ...ref.path], message: `no ${level} called "${ref.name}" (${fault.kind} takes one ${level}); ${hint}` };
      }
      if (![...names.nodes, ...names.regions, ...names.racks, ...names.clouds].includes(ref.name)) return { path: ['faults', i, ...ref.path], message: `no node, rack, region or cloud called "${ref.name}"; ${hint}` };
    }
    const problem = entry.check?.(fault as never, names.members, names.nodes.filter((n) => !names.standby.includes(n)));
    if (problem) return { path: ['faults', i, ...problem.path], message: problem.message };
  }
  return undefined;
}
