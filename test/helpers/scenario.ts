import { loadScenarioFromText } from '../../src/run/index.js';
import type { LoadedScenario } from '../../src/scenario/index.js';

/** A scenario from inline YAML, merged over config/defaults.yml like a file would be. */
export function scenarioFrom(yaml: string, name = 'inline.yml', set: string[] = []): LoadedScenario {
  return loadScenarioFromText(name, yaml, { set });
}
