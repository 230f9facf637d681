import { stringify } from 'yaml';
import type { z } from 'zod';
import type { coreScenarioShape, LoadedScenario, LoadOptions } from '../scenario/index.js';
import { loadScenario, loadScenarioFromText } from './load.js';

/** Every field optional, at every depth, as in a scenario file (lists are given whole). */
export type DeepPartial<T> = T extends ReadonlyArray<unknown> ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

type CoreInput = z.input<z.ZodObject<typeof coreScenarioShape>>;

/**
 * A scenario as a typed object, exactly as a scenario file would say it:
 * units as strings ("30s", "100MB") or bare numbers, every field optional
 * (the defaults fill in the rest). In the core fields a misspelt name or a
 * wrong type is a compile error in the caller's TypeScript. The systems'
 * blocks (`raft`, `coordinator`, ...) are typed loosely: the registry adds
 * them without this file naming each; the loader checks them, with the
 * setting's path in its message.
 */
export type ScenarioSettings = DeepPartial<CoreInput> & { readonly [block: string]: unknown };

/** Turns nested overrides into `key.path=value` settings, leaf by leaf (a list is one leaf), so each is applied and checked as `--set` is. */
export function settingsAsSet(overrides: ScenarioSettings, prefix = ''): string[] {
  return Object.entries(overrides).flatMap(([key, value]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (value === undefined) return [];
    // JSON is YAML: `--set` parses the value as YAML.
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? settingsAsSet(value as ScenarioSettings, path) : [`${path}=${JSON.stringify(value)}`];
  });
}

/** Builds a scenario in code: `name` names its results and its error messages (`<name>.yml`). */
export function scenarioFromSettings(name: string, settings: ScenarioSettings, opts: LoadOptions = {}): LoadedScenario {
  return loadScenarioFromText(`${name}.yml`, stringify(settings), opts);
}

/** Loads a scenario file with typed overrides, applied over it as `--set` would be (errors name the setting). */
export function loadScenarioWith(file: string, overrides: ScenarioSettings, opts: LoadOptions = {}): LoadedScenario {
  return loadScenario(file, { ...opts, set: [...(opts.set ?? []), ...settingsAsSet(overrides)] });
}
