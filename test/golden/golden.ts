import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, runScenario } from '../../src/run/index.js';

/** Seeds every shipped scenario is pinned at. */
export const GOLDEN_SEEDS = [1, 42] as const;
export const GOLDEN_DIR = join('test', 'golden', 'runs');
export const MANIFEST = join('test', 'golden', 'manifest.json');

/** scenario -> seed -> file -> sha256 */
export type Manifest = Record<string, Record<string, Record<string, string>>>;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The scale scenarios (`scale-*.yml`: 1,000 nodes for a day, 10,000 for an
 * hour) take minutes each, so they stay out of the golden suite; `npm run
 * bench -- --only=scale` runs them, and test/scenario/scale.test.ts runs a
 * shortened slice of each.
 */
export const isScaleScenario = (file: string): boolean => /(^|\/)scale-[^/]*\.yml$/.test(file);

export function shippedScenarios(): string[] {
  return readdirSync('scenarios').filter((f) => f.endsWith('.yml')).sort().map((f) => join('scenarios', f)).filter((f) => !isScaleScenario(f));
}

/** Runs one scenario at one seed in-process. */
export function goldenRun(file: string, seed: number) {
  return runScenario(loadScenario(file), { seed });
}
