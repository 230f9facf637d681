import { loadScenarioFile, loadScenarioText, type LoadedScenario, type LoadOptions } from '../scenario/index.js';
import { METRIC_NAMES } from './metric-names.js';

/** Loads a scenario file, also checking its `expect:` block against the known metric names. */
export function loadScenario(file: string, opts: LoadOptions = {}): LoadedScenario {
  return loadScenarioFile(file, { metricNames: METRIC_NAMES, ...opts });
}

/** The same for inline YAML text (`file` names it in error messages). */
export function loadScenarioFromText(file: string, text: string, opts: LoadOptions = {}): LoadedScenario {
  return loadScenarioText(file, text, { metricNames: METRIC_NAMES, ...opts });
}
