/**
 * run/ — the library API: `runScenario(loaded, { seed })` assembles kernel,
 * world, systems, chaos, metrics and checks for one run and returns its
 * outputs as text. The CLI is a thin shell over this.
 * - load.ts: loadScenario (scenario loading plus metric-name checks).
 * - metric-names.ts: the named summary metrics for expectations and compare.
 * - determinism.ts: run twice, find the first diverging event.
 */
export * from './run-scenario.js';
export * from './summary.js';
export * from './load.js';
export * from './metric-names.js';
export * from './determinism.js';
export * from './replay.js';
export * from './observers.js';
export * from './systems.js';
export { TRACE_CAPS } from './timeline-trace.js';
export { scenarioJsonSchema, type SchemaSources } from './json-schema.js';
export { loadScenarioWith, scenarioFromSettings, settingsAsSet, type DeepPartial, type ScenarioSettings } from './scenario-settings.js';
