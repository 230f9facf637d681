import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Writes a shrunk failing schedule (a property test's counterexample) as a
 * runnable scenario under the system's temp folder (lorenz-shrunk/: a test
 * writes nothing outside temp folders), logs how to reproduce it (with the
 * planted defect, if the failure needs one), and returns its path.
 */
export function writeShrunk(name: string, seed: number, text: string, defect?: string): string {
  const dir = join(tmpdir(), 'lorenz-shrunk');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-seed-${seed}.yml`);
  writeFileSync(file, text);
  const how = defect === undefined ? `reproduce: runScenario(loadScenario('${file}'), { seed: ${seed} })` : `reproduce with the defect: runScenario(loadScenario('${file}'), { seed: ${seed}, defects: ['${defect}'] })`;
  console.log(`minimal failing schedule (seed ${seed}): ${file}\n${how}`);
  return file;
}
