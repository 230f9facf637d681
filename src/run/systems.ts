import { bootOrder, SYSTEMS } from '../modules/registry.js';
import { blockOf } from '../modules/scenario-systems.js';
import type { ModuleWithSettings, NodeBoot, SettingsContext, SystemModule } from '../modules/system-module.js';
import type { Scenario } from '../scenario/index.js';
import type { TopologySpec } from '../world/spec.js';

/** A module this run runs, with its settings. */
export interface ActiveSystem { module: SystemModule; settings: unknown }

/**
 * The modules a scenario runs, with their settings, in boot order: each
 * module's `settings` sees the ones resolved before it. A module whose
 * settings are undefined (its optional block is absent) is off.
 */
export function resolveSystems(scenario: Scenario, topology: TopologySpec, defects: readonly string[]): ActiveSystem[] {
  const settings = new Map<SystemModule, unknown>();
  const byName = new Map(topology.nodes.map((n, i) => [n.name, i]));
  for (const module of bootOrder(SYSTEMS)) {
    const ctx: SettingsContext = {
      scenario,
      topology,
      index: (name) => byName.get(name) ?? -1,
      settingsOf: <O>(m: ModuleWithSettings<O>) => settings.get(m as SystemModule) as O | undefined,
      defects: new Set(defects.filter((d) => module.defects?.includes(d))),
    };
    const s = module.settings(ctx, blockOf(scenario, module));
    if (s !== undefined) settings.set(module, s);
  }
  return [...settings].map(([module, s]) => ({ module, settings: s }));
}

/** The machines a scenario describes, as its modules change them (a dedicated log device). */
export function systemsTopology(scenario: Scenario, topology: TopologySpec): TopologySpec {
  let t = topology;
  for (const module of SYSTEMS) {
    const block = blockOf(scenario, module);
    if (module.topology && block !== undefined) t = module.topology(t, block, scenario);
  }
  return t;
}

/** Boots every active module on a node, in boot order. */
export function bootSystems(systems: readonly ActiveSystem[], node: NodeBoot): void {
  for (const { module, settings } of systems) module.boot?.(node, settings);
}

/** The active modules in registry order (the order of their outputs). */
export function inRegistryOrder(systems: readonly ActiveSystem[]): ActiveSystem[] {
  return SYSTEMS.flatMap((m) => systems.filter((s) => s.module === m));
}
