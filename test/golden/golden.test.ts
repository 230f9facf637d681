import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffCsv } from '../../src/compare/index.js';
import { GOLDEN_DIR, GOLDEN_SEEDS, MANIFEST, goldenRun, sha256, shippedScenarios, type Manifest } from './golden.js';

const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;

/** Where a regenerated file first departs from its golden copy, for the failure message. */
function firstDifference(file: string, golden: string, now: string): string {
  if (!file.endsWith('.csv')) {
    const a = golden.split('\n');
    const b = now.split('\n');
    const i = a.findIndex((line, k) => line !== b[k]);
    return `line ${i + 1}: golden "${a[i]}" now "${b[i]}"`;
  }
  const d = diffCsv(file, golden, now, 0).firstDifference;
  return d ? `row ${d.row}: golden "${d.a}" now "${d.b}"` : 'rows equal, bytes differ';
}

describe('golden regression: every shipped scenario replays its pinned outputs', () => {
  it('the manifest covers every scenario in scenarios/', () => {
    // Names sorted alike on both sides: file order puts 'slow-node-balanced.yml' before 'slow-node.yml', name order after.
    expect(Object.keys(manifest).sort()).toEqual(shippedScenarios().map((f) => basename(f, '.yml')).sort());
  });

  for (const file of shippedScenarios()) {
    const name = basename(file, '.yml');
    for (const seed of GOLDEN_SEEDS) {
      it(`${name} seed ${seed}`, () => {
        const pinned = manifest[name]?.[String(seed)];
        expect(pinned, `${name} seed ${seed} is not in ${MANIFEST}; run npm run golden:update`).toBeDefined();
        const { files, ok, failures } = goldenRun(file, seed);
        expect(failures, `${file} --seed ${seed} should pass its expectations and invariants`).toEqual([]);
        expect(ok).toBe(true);
        const problems: string[] = [];
        for (const [f, digest] of Object.entries(pinned!)) {
          const now = files[f];
          if (now === undefined) problems.push(`${f}: no longer written`);
          else if (sha256(now) !== digest) {
            const goldenPath = join(GOLDEN_DIR, name, `seed-${seed}`, f);
            const where = existsSync(goldenPath) ? firstDifference(f, readFileSync(goldenPath, 'utf8'), now) : '(golden copy missing)';
            problems.push(`${f} changed; first difference at ${where}`);
          }
        }
        for (const f of Object.keys(files)) if (!(f in pinned!)) problems.push(`${f}: new output not in the manifest`);
        expect(problems, `${file} --seed ${seed} drifted from its golden run (reproduce: npm run sim -- ${file} --seed ${seed}; accept on purpose: npm run golden:update):\n${problems.join('\n')}`).toEqual([]);
      });
    }
  }
});
