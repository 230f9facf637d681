import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { makeFolder } from './make-folder.js';
import { basename, dirname, join } from 'node:path';
import { ScenarioError } from '../scenario/index.js';

/** Files that mark a folder as one of Lorenz's results, so it may be replaced. */
const RESULT_MARKERS = ['run.json', 'summary.json'];

/**
 * A run's results folder is built beside its final place and renamed into
 * it whole, replacing the previous run's folder: files of two runs never
 * mix, and a run that is stopped or killed leaves nothing that looks
 * complete (at most a `.partial-<pid>` folder, which the next run removes).
 */
export class RunFolder {
  readonly work: string;

  private constructor(readonly dir: string) {
    this.work = `${dir.replace(/\/+$/, '')}.partial-${process.pid}`;
  }

  /**
   * Checks that `dir` may take a run's results (absent, empty, or a former
   * result folder), clears leftovers of killed runs, and creates the work
   * folder now, so an unwritable place is found before the simulation runs.
   */
  static prepare(dir: string, flag: string): RunFolder {
    if (dir.trim() === '') throw new ScenarioError(`${flag}: an empty path; give the folder for the results, such as results/my-run.`);
    const folder = new RunFolder(dir);
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw new ScenarioError(`${flag} ${dir}: exists and is not a folder; give a folder for the results.`);
      const entries = readdirSync(dir);
      if (entries.length > 0 && !RESULT_MARKERS.some((m) => entries.includes(m))) {
        throw new ScenarioError(`${flag} ${dir}: the folder holds files that are not Lorenz results (no ${RESULT_MARKERS.join(' or ')}); results replace the whole folder, so choose another one or empty it.`);
      }
    }
    const parent = dirname(dir.replace(/\/+$/, '')) || '.';
    const stem = `${basename(dir.replace(/\/+$/, ''))}.`;
    try {
      makeFolder(parent);
      for (const name of readdirSync(parent)) {
        if (name.startsWith(`${stem}partial-`) || name.startsWith(`${stem}old-`)) rmSync(join(parent, name), { recursive: true, force: true });
      }
      mkdirSync(folder.work);
    } catch (e) {
      throw new ScenarioError(`${flag} ${dir}: cannot write results there (${(e as Error).message}); choose a writable folder.`);
    }
    return folder;
  }

  /** Puts the finished work folder in place of `dir`, replacing a previous run's. */
  publish(): void {
    const old = `${this.dir.replace(/\/+$/, '')}.old-${process.pid}`;
    if (existsSync(this.dir)) renameSync(this.dir, old);
    renameSync(this.work, this.dir);
    rmSync(old, { recursive: true, force: true });
  }

  /** Removes the work folder of a run that did not finish. */
  discard(): void {
    rmSync(this.work, { recursive: true, force: true });
  }
}
