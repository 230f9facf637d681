/**
 * chaos/ — the fault catalog and the injector.
 * - fault.ts: what a catalog entry is (schema, summary, apply/undo, names it references, how the nemesis draws it).
 * - faults/: one file per fault kind.
 * - catalog.ts: the list of kinds and the zod union scenarios are validated against.
 * - injector.ts: schedules a scenario's faults and records the timeline.
 * - nemesis.ts: draws a random fault timeline within a budget from its own streams, of
 *   the kinds whose catalog entries have a `nemesis` part (how a strike is drawn).
 * - lifetimes.ts, failures.ts: failure processes (machine and disk lifetimes from an AFR,
 *   a Weibull or a bathtub curve, downtimes and replacements), drawn up front per node from
 *   its own streams into ordinary fault specs.
 */
export * from './fault.js';
export * from './catalog.js';
export * from './injector.js';
export * from './nemesis.js';
export * from './lifetimes.js';
export * from './failures.js';
