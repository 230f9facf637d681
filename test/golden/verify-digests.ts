/**
 * Checks the golden digests in this process's Node: every shipped scenario at
 * every golden seed must give the files whose sha256 the manifest pins.
 * `npm run determinism` runs it under Node 22 and 24 (from the npm registry's
 * `node` packages), so CI proves the bytes do not depend on the Node version.
 * Prints one line and exits 1 on any difference.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { GOLDEN_SEEDS, MANIFEST, goldenRun, sha256, shippedScenarios, type Manifest } from './golden.js';

const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
const differences: string[] = [];
let files = 0;
for (const file of shippedScenarios()) {
  const name = basename(file, '.yml');
  for (const seed of GOLDEN_SEEDS) {
    const pinned = manifest[name]?.[String(seed)] ?? {};
    const got = goldenRun(file, seed).files;
    for (const f of new Set([...Object.keys(pinned), ...Object.keys(got)])) {
      files++;
      if (pinned[f] !== (got[f] === undefined ? undefined : sha256(got[f]))) differences.push(`${name} seed ${seed} ${f}`);
    }
  }
}
if (differences.length > 0) {
  console.error(`NOT DETERMINISTIC on Node ${process.version}: ${differences.length} of ${files} golden files differ: ${differences.slice(0, 10).join('; ')}`);
  process.exit(1);
}
console.log(`Node ${process.version}: all ${files} golden files match their pinned digests`);
