/**
 * run/ — the library API: `runScenario(loaded, { seed })` assembles kernel,
 * world, systems, chaos, metrics and checks for one run and returns its
 * outputs as text. The CLI is a thin shell over this.
 */
export * from './run-scenario.js';
export * from './summary.js';
