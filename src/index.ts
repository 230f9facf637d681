/**
 * Lorenz's library API. Layers, each importing only from those before it:
 * kernel -> world -> systems -> chaos -> scenario -> metrics -> check -> modules -> run -> compare -> sweep -> validation -> report -> cli.
 * (A system's module.ts sits in its folder under systems/ but belongs to the modules layer.)
 * (units/ is a leaf shared by the layers above kernel.)
 */
export { runScenario, loadScenario, loadScenarioFromText, loadScenarioWith, scenarioFromSettings, checkDeterminism, ScenarioRun, METRIC_NAMES, type RunOptions, type RunResult, type Summary, type ScenarioSettings } from './run/index.js';
export { runReportHtml, sweepReportHtml } from './report/index.js';
export { compareRuns, formatReport } from './compare/index.js';
export { ScenarioError, type LoadedScenario, type Scenario } from './scenario/index.js';
export { SYSTEMS } from './modules/registry.js';
export type { SystemModule, SystemObserver } from './modules/system-module.js';
export { FAULT_CATALOG, FAULT_KINDS, planFailures } from './chaos/index.js';
export { EXPERIMENTS, measureAll } from './validation/index.js';
export { Simulator, RandomStreams, ms, s, us, parseDuration, type SimTime } from './kernel/index.js';
export { writeResults } from './cli/write-results.js';
