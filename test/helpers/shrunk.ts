import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a shrunk failing schedule (a property test's counterexample) as a
 * runnable scenario under results/shrunk/, logs how to reproduce it, and
 * returns its path.
 */
export function writeShrunk(name: string, seed: number, text: string, defect: string): string {
  const dir = join('results', 'shrunk');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-seed-${seed}.yml`);
  writeFileSync(file, text);
  console.log(`minimal failing schedule (seed ${seed}): ${file}\nreproduce with the defect: runScenario(loadScenario('${file}'), { seed: ${seed}, defects: ['${defect}'] })`);
  return file;
}
