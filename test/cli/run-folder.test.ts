import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliAsync, tempDir } from '../helpers/cli.js';

/** A run's folder is replaced whole, found writable before the run, and never left half-written by a signal or a kill. */
describe('the results folder of npm run sim', () => {
  it('holds exactly the new run\'s files when reused, with run.json describing the run', () => {
    const out = join(tempDir(), 'run');
    expect(runCli('sim.ts', ['scenarios/raft-leader-crash.yml', '--seed', '1', '--set', 'duration=35s', '--out', out, '--quiet']).code).toBeLessThan(2);
    expect(existsSync(join(out, 'consensus.csv'))).toBe(true);
    expect(runCli('sim.ts', ['scenarios/partition.yml', '--seed', '1', '--out', out, '--quiet']).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['detector.csv', 'durability.csv', 'faults.csv', 'run.json', 'summary.json', 'throughput.csv', 'utilisation.csv']);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run).toMatchObject({ scenario: { path: 'scenarios/partition.yml', name: 'partition' }, seed: 1, set: [], node_version: process.version });
    expect(run.command).toBe(`npm run sim -- scenarios/partition.yml --seed 1 --out ${out} --quiet`);
    expect(readdirSync(join(out, '..'))).toEqual(['run']);
  });

  it('refuses, before simulating, a folder of other files or a place it cannot write', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const foreign = runCli('sim.ts', ['scenarios/partition.yml', '--out', dir]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/--out .*: the folder holds files that are not Lorenz results/);
    const underFile = runCli('sim.ts', ['scenarios/partition.yml', '--out', join(dir, 'notes.txt', 'x')]);
    expect(underFile.code).toBe(2);
    expect(underFile.stderr).toMatch(/--out .*notes\.txt\/x: cannot write results there/);
    expect(underFile.stderr).not.toMatch(/\n\s+at /);
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} mid-run stops cleanly: exit ${code}, no partial folder, the previous results untouched`, async () => {
      const parent = tempDir();
      const out = join(parent, 'run');
      mkdirSync(out);
      writeFileSync(join(out, 'summary.json'), '{"previous": true}\n');
      const r = await runCliAsync('sim.ts', ['scenarios/raft-soak.yml', '--set', 'duration=2h', '--out', out], (child) => {
        // Signal once the run has begun simulating (its work folder exists).
        const poll = setInterval(() => {
          if (readdirSync(parent).some((n) => n.startsWith('run.partial-'))) {
            clearInterval(poll);
            setTimeout(() => child.kill(signal), 300);
          }
        }, 50);
      });
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(new RegExp(`stopped by ${signal} at t=[\\d.]+s of 7200s after \\d+ events; nothing written`));
      expect(readdirSync(parent)).toEqual(['run']);
      expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe('{"previous": true}\n');
    });
  }

  it('SIGKILL leaves at most a .partial folder, which the next run clears', async () => {
    const parent = tempDir();
    const out = join(parent, 'run');
    await runCliAsync('sim.ts', ['scenarios/raft-soak.yml', '--set', 'duration=2h', '--out', out], (child) => {
      const poll = setInterval(() => {
        if (readdirSync(parent).some((n) => n.startsWith('run.partial-'))) {
          clearInterval(poll);
          setTimeout(() => child.kill('SIGKILL'), 300);
        }
      }, 50);
    });
    expect(readdirSync(parent).every((n) => n.startsWith('run.partial-'))).toBe(true);
    expect(existsSync(out)).toBe(false);
    expect(runCli('sim.ts', ['scenarios/partition.yml', '--out', out, '--quiet']).code).toBe(0);
    expect(readdirSync(parent)).toEqual(['run']);
  });

  it('--max-events and --max-wall stop a run that goes past them, say how far it got, and write nothing', () => {
    const parent = tempDir();
    const out = join(parent, 'run');
    const events = runCli('sim.ts', ['scenarios/raft-soak.yml', '--max-events', '50000', '--out', out]);
    expect(events.code).toBe(2);
    expect(events.stderr).toMatch(/^error: --max-events 50000 reached at t=[\d.]+s of 300s after \d+ events; nothing written/);
    const wall = runCli('sim.ts', ['scenarios/raft-soak.yml', '--max-wall', '500ms', '--out', out]);
    expect(wall.code).toBe(2);
    expect(wall.stderr).toMatch(/^error: --max-wall 0\.5s reached at t=/);
    expect(readdirSync(parent)).toEqual([]);
    expect(runCli('sim.ts', ['scenarios/partition.yml', '--max-wall', '3']).stderr).toMatch(/--max-wall 3: expected a wall-clock duration such as 30s/);
  });

  it('an unknown flag gets a did-you-mean and the usage, exit 2', () => {
    const r = runCli('sim.ts', ['scenarios/partition.yml', '--sed', '4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --sed: unknown flag\. Did you mean --seed\?\n\nusage: npm run sim/);
  });
});
