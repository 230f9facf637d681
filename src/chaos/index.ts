/**
 * chaos/ — the fault catalog and the injector.
 * - fault.ts: what a catalog entry is (schema, summary, apply/undo, names it references, how the nemesis draws it).
 * - faults/: one file per fault kind.
 * - catalog.ts: the list of kinds and the zod union scenarios are validated against.
 * - injector.ts: schedules a scenario's faults and records the timeline.
 * - nemesis.ts: draws a random fault timeline within a budget from its own streams, of
 *   the kinds whose catalog entries have a `nemesis` part (how a strike is drawn).
 */
export * from './fault.js';
export * from './catalog.js';
export * from './injector.js';
export * from './nemesis.js';
