// npm run golden:update — re-runs every shipped scenario at the golden seeds
// and rewrites test/golden/runs/ and manifest.json. Do this on purpose, when a
// behaviour change is intended, and say why in the commit.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { GOLDEN_DIR, GOLDEN_SEEDS, MANIFEST, goldenRun, sha256, shippedScenarios, type Manifest } from './golden.js';

rmSync(GOLDEN_DIR, { recursive: true, force: true });
const manifest: Manifest = {};
for (const file of shippedScenarios()) {
  const name = basename(file, '.yml');
  manifest[name] = {};
  for (const seed of GOLDEN_SEEDS) {
    const { files, failures } = goldenRun(file, seed);
    if (failures.length > 0) console.warn(`golden: ${name} seed ${seed} does not pass:\n  ${failures.join('\n  ')}`);
    const dir = join(GOLDEN_DIR, name, `seed-${seed}`);
    mkdirSync(dir, { recursive: true });
    manifest[name][String(seed)] = {};
    for (const [f, text] of Object.entries(files)) {
      writeFileSync(join(dir, f), text);
      manifest[name][String(seed)]![f] = sha256(text);
    }
  }
  console.log(`golden: ${name} at seeds ${GOLDEN_SEEDS.join(', ')}`);
}
writeFileSync(MANIFEST, JSON.stringify(manifest, null, 2) + '\n');
console.log(`wrote ${MANIFEST}`);
