import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/** `npm run bench` with these flags; every case here is refused before any benchmark runs. */
const bench = (...flags: string[]) =>
  spawnSync(process.execPath, ['--import', pathToFileURL(resolve('node_modules/tsx/dist/esm/index.mjs')).href, resolve('bench/run.ts'), ...flags], { encoding: 'utf8' });

describe('npm run bench, a flag it cannot use', () => {
  it.each([
    [['--reps=0'], /--reps must be a whole number of at least 1, got '0'/],
    [['--at-rest-runs=abc'], /--at-rest-runs must be a whole number of at least 1, got 'abc'/],
    [['--only=kernal'], /--only: no benchmark 'kernal' \(known: kernel, /],
    [['--scale-grid=huge'], /--scale-grid must be quick or full, got 'huge'/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('%j ends in exit 2 with a message naming the flag, no stack trace', (flags, message) => {
    const r = bench(...flags);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).not.toMatch(/kernel \(/);
  });
});
