#!/usr/bin/env node
// `lorenz <command> [args]` (and `npm run sim|compare|sweep|worker`): runs the
// command from dist/, the TypeScript compiled once, so a run does not pay a
// transpile of every module at start. When any source is newer than the last
// build (or there is none), it compiles first (`npm run build`, about a
// second with TypeScript's native compiler); a lock keeps two commands
// started together from compiling over each other.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const COMMANDS = ['sim', 'compare', 'sweep', 'worker', 'report', 'schema', 'validate'];
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.built');
const LOCK = join(ROOT, '.dist.lock');

const command = process.argv[2];
if (command === '--version' || command === '-v') {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  console.log(`lorenz ${version}`);
  process.exit(0);
}
if (command !== 'build' && !COMMANDS.includes(command ?? '')) {
  console.error(`usage: lorenz <${COMMANDS.join('|')}> [args], lorenz build, or lorenz --version   (got ${command === undefined ? 'no command' : JSON.stringify(command)})`);
  process.exit(2);
}

/** Newest modification time of the sources dist/ is built from. */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  visit(join(ROOT, 'src'));
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) newest = Math.max(newest, statSync(join(ROOT, f)).mtimeMs);
  return newest;
}

const fresh = () => existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestSource();

function build(force = false) {
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // Another command is compiling; a lock older than two minutes was left by a killed one.
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() - started > 180_000) throw new Error(`${LOCK} is held: remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!force && fresh()) return;
    const since = Date.now();
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) {
      console.error('lorenz: compiling src/ failed (see above); `npm run typecheck` shows the errors');
      process.exit(3);
    }
    // Stamped with the time the build started: a source saved during the build is newer, so the next command rebuilds.
    writeFileSync(STAMP, `${new Date(since).toISOString()}\n`);
    utimesSync(STAMP, since / 1000, since / 1000);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

// An installed package ships dist/ and no sources: it runs what it ships.
const fromSources = existsSync(join(ROOT, 'src'));
if (command === 'build') {
  if (!fromSources) {
    console.error('lorenz build: no src/ here (an installed package runs its dist/ as shipped)');
    process.exit(2);
  }
  build(true);
  process.exit(0);
}
if (fromSources && !fresh()) build();
// The command reads its arguments from process.argv.slice(2), as when run directly.
process.argv.splice(2, 1);
await import(pathToFileURL(join(DIST, 'cli', `${command}.js`)).href);
