import { scenarioSystems } from '../modules/scenario-systems.js';
import { loadScenarioFile, loadScenarioText, type LoadedScenario, type LoadOptions } from '../scenario/index.js';
import { METRIC_NAMES } from './metric-names.js';

/** The format the registered system modules make up (their blocks and checks), built once. */
const SYSTEMS_FORMAT = scenarioSystems();

/** Loads a scenario file with every system's block known, also checking its `expect:` block against the known metric names. */
export function loadScenario(file: string, opts: LoadOptions = {}): LoadedScenario {
  return loadScenarioFile(file, { metricNames: METRIC_NAMES, systems: SYSTEMS_FORMAT, ...opts });
}

/** The same for inline YAML text (`file` names it in error messages). */
export function loadScenarioFromText(file: string, text: string, opts: LoadOptions = {}): LoadedScenario {
  return loadScenarioText(file, text, { metricNames: METRIC_NAMES, systems: SYSTEMS_FORMAT, ...opts });
}
