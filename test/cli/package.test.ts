import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioWith, runScenario } from '../../src/run/index.js';
import { tempDir } from '../helpers/cli.js';

/**
 * Lorenz as another project gets it: `npm pack` on a copy of the project
 * (so the test never rebuilds the developer's dist/), installed from the
 * tarball into an empty project, then used through `npx lorenz` and
 * `import ... from 'lorenz'`, in JavaScript and in type-checked TypeScript.
 */
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const consumer = tempDir('lorenz-consumer-');
const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const tsc = (file: string) =>
  spawnSync(process.execPath, [resolve('node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', '--types', 'node', '--typeRoots', resolve('node_modules/@types'), file], { cwd: consumer, encoding: 'utf8' });

beforeAll(() => {
  const root = tempDir('lorenz-pack-');
  for (const entry of ['bin', 'src', 'config', 'scenarios', 'schema', 'docs', 'README.md', 'tsconfig.json', 'tsconfig.build.json', 'package.json']) cpSync(entry, join(root, entry), { recursive: true });
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
  npm(['pack', '--pack-destination', consumer], root);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // Dependencies come from the npm cache when it has them (this machine's own install filled it).
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', `./lorenz-${version}.tgz`], consumer);
}, 300_000);

describe('the lorenz package, installed from its tarball', () => {
  it('ships the built JavaScript, its type declarations, the defaults, scenarios and schema, and no sources', () => {
    const files = readdirSync(join(consumer, 'node_modules', 'lorenz'));
    expect(files.sort()).toEqual(['README.md', 'bin', 'config', 'dist', 'docs', 'package.json', 'scenarios', 'schema']);
    expect(readdirSync(join(consumer, 'node_modules', 'lorenz', 'dist'))).toEqual(expect.arrayContaining(['index.js', 'index.d.ts']));
  });

  it('npx lorenz says its version and runs a scenario', () => {
    expect(execFileSync('npx', ['lorenz', '--version'], { cwd: consumer, encoding: 'utf8' })).toBe(`lorenz ${version}\n`);
    const r = spawnSync('npx', ['lorenz', 'sim', 'node_modules/lorenz/scenarios/partition.yml', '--seed', '42', '--out', 'out', '--quiet'], { cwd: consumer, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    const expected = runScenario(loadScenarioWith('scenarios/partition.yml', {}), { seed: 42 }).files['summary.json'];
    expect(readFileSync(join(consumer, 'out', 'summary.json'), 'utf8')).toBe(expected);
  });

  it('import { runScenario } from "lorenz" gives the bytes the project gives, with typed overrides', () => {
    writeFileSync(join(consumer, 'run.mjs'), [
      "import { loadScenarioWith, runScenario } from 'lorenz';",
      "const r = runScenario(loadScenarioWith('node_modules/lorenz/scenarios/node-loss.yml', { duration: '90s' }), { seed: 42 });",
      "process.stdout.write(r.files['durability.csv']);",
    ].join('\n'));
    const expected = runScenario(loadScenarioWith('scenarios/node-loss.yml', { duration: '90s' }), { seed: 42 }).files['durability.csv'];
    expect(execFileSync(process.execPath, ['run.mjs'], { cwd: consumer, encoding: 'utf8' })).toBe(expected);
  });

  it('types a scenario built in code: a valid one compiles, a misspelt field does not', () => {
    writeFileSync(join(consumer, 'typed.ts'), [
      "import { runScenario, scenarioFromSettings, type ScenarioSettings } from 'lorenz';",
      "const settings: ScenarioSettings = { duration: '30s', pipeline: { distribution: { replication_factor: 2 } }, faults: [{ kind: 'node_crash', at: '10s', node: 'aws-east-2' }] };",
      "const acked: number = runScenario(scenarioFromSettings('typed', settings)).summary.pipeline.chunks_acked;",
      'console.log(acked);',
    ].join('\n'));
    writeFileSync(join(consumer, 'typo.ts'), "import type { ScenarioSettings } from 'lorenz';\nexport const s: ScenarioSettings = { pipeline: { distribution: { replication_factr: 2 } } };\n");
    const ok = tsc('typed.ts');
    expect([ok.status, ok.stdout]).toEqual([0, '']);
    const typo = tsc('typo.ts');
    expect(typo.status).not.toBe(0);
    expect(typo.stdout).toContain("'replication_factr' does not exist");
  });
});

describe("the README's library example", () => {
  it('type-checks and prints what its comments say, run in the consumer project', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## As a library'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
    writeFileSync(join(consumer, 'readme.ts'), code);
    const checked = tsc('readme.ts');
    expect([checked.status, checked.stdout]).toEqual([0, '']);
    const printed = execFileSync(process.execPath, ['--import', pathToFileURL(resolve('node_modules/tsx/dist/esm/index.mjs')).href, 'readme.ts'], { cwd: consumer, encoding: 'utf8' });
    const promised = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
    expect(printed.trimEnd().split('\n')).toEqual(promised);
  });
});
