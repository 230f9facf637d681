import type { ScenarioSystems, TopologyNames } from '../scenario/index.js';
import { scenarioSchemaWith } from '../scenario/index.js';
import { SYSTEMS } from './registry.js';
import type { CheckContext, ScenarioBlock, SystemModule } from './system-module.js';

/** A module's block in a validated scenario (undefined: left out, or the module has none). */
export function blockOf<B>(scenario: { readonly [key: string]: unknown }, module: { readonly block?: ScenarioBlock<B> }): B | undefined {
  // The scenario was validated with this module's schema, so the value has its type.
  return module.block ? (scenario[module.block.key] as B | undefined) : undefined;
}

/** The scenario format and load-time checks that the registered modules make up. */
export function scenarioSystems(systems: readonly SystemModule[] = SYSTEMS): ScenarioSystems {
  const blocks = Object.fromEntries(systems.flatMap((m) => (m.block ? [[m.block.key, m.block.schema]] : [])));
  const roles = new Map(systems.flatMap((m) => Object.entries(m.roles ?? {}).map(([role, what]) => [role, { block: m.block?.key ?? m.name, what }] as const)));
  return {
    schema: scenarioSchemaWith(blocks),
    roles,
    check(scenario, names: TopologyNames, hint) {
      const ctx: CheckContext = { scenario, names, hint, blockOf: (m) => blockOf(scenario, m) };
      for (const m of systems) {
        if (!m.check) continue;
        const problem = m.check(ctx, blockOf(scenario, m));
        if (problem) return problem;
      }
      return undefined;
    },
  };
}
