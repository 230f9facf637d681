import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/run/index.js';
import { tempDir } from '../helpers/cli.js';

/**
 * bin/lorenz.mjs, behind `npm run sim` and the other commands: it runs the
 * compiled dist/ and compiles only when a source changed. Exercised on a copy
 * of the project, so the test never races the developer's own dist/.
 */
describe('the lorenz launcher (compiled commands)', () => {
  const copy = (): string => {
    const root = tempDir('lorenz-launcher-');
    for (const entry of ['bin', 'src', 'config', 'tsconfig.json', 'tsconfig.build.json', 'package.json']) cpSync(entry, join(root, entry), { recursive: true });
    cpSync('scenarios/partition.yml', join(root, 'scenarios', 'partition.yml'));
    symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
    return root;
  };
  const lorenz = (root: string, args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'lorenz.mjs'), ...args], { cwd: root, encoding: 'utf8' });
  const stampTime = (root: string) => statSync(join(root, 'dist', '.built')).mtimeMs;

  it('compiles once, runs the same bytes as the sources, and recompiles when a source changes', () => {
    const root = copy();
    const out = join(root, 'out');
    const first = lorenz(root, ['sim', 'scenarios/partition.yml', '--seed', '42', '--out', out]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const built = stampTime(root);
    const expected = runScenario(loadScenario('scenarios/partition.yml'), { seed: 42 }).files;
    for (const name of Object.keys(expected)) expect(readFileSync(join(out, name), 'utf8'), name).toBe(expected[name]);
    expect(readdirSync(join(root, 'dist', 'cli'))).toContain('sim.js');

    // Nothing changed: no compile (the stamp is left alone).
    expect(lorenz(root, ['sim', 'scenarios/partition.yml', '--seed', '1', '--out', join(root, 'out1')]).status).toBe(0);
    expect(stampTime(root)).toBe(built);

    // A source saved after the build: the next command compiles first.
    const later = (built + 5000) / 1000;
    utimesSync(join(root, 'src', 'kernel', 'time.ts'), later, later);
    expect(lorenz(root, ['sim', 'scenarios/partition.yml', '--seed', '1', '--out', join(root, 'out2')]).status).toBe(0);
    expect(stampTime(root)).toBeGreaterThan(built);
  }, 60_000);

  it('refuses an unknown command with its usage and exit 2', () => {
    const r = spawnSync(process.execPath, ['bin/lorenz.mjs', 'simulate'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: lorenz <sim\|compare\|sweep\|worker\|report\|schema\|validate> \[args\], lorenz build, or lorenz --version +\(got "simulate"\)/);
  });

  it('says its version', () => {
    const r = spawnSync(process.execPath, ['bin/lorenz.mjs', '--version'], { encoding: 'utf8' });
    expect([r.status, r.stdout]).toEqual([0, `lorenz ${(JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version}\n`]);
  });
});
