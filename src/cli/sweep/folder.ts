import { closeSync, existsSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricValue } from '../../check/expectations.js';
import { ScenarioError } from '../../scenario/index.js';
import type { SweepManifest } from '../../sweep/index.js';
import { writeResults } from '../write-results.js';

/**
 * A sweep folder on disk. A sweep is built in `<out>.partial` beside its
 * final place, with a journal of finished runs, and renamed to `<out>` only
 * when every file is written: a folder named like a sweep is a complete one.
 */
export const MANIFEST = 'sweep.json';
export const JOURNAL = 'journal.jsonl';

/** One finished run, a line of the journal. */
export interface JournalEntry {
  combination: number;
  seed: number;
  ok: boolean;
  wall_s: number;
  metrics: Record<string, MetricValue>;
}

export const workDirOf = (out: string): string => `${out.replace(/\/+$/, '')}.partial`;

export function readManifest(dir: string): SweepManifest | null {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SweepManifest;
  } catch (e) {
    throw new ScenarioError(`${file}: not a readable sweep manifest (${(e as Error).message}).`);
  }
}

/** The sweep may replace `out` only if it is a former sweep (or empty): never a folder of something else. */
export function checkReplaceable(out: string, flag: string): void {
  if (existsSync(out) && !existsSync(join(out, MANIFEST)) && readdirSync(out).length > 0) {
    throw new ScenarioError(`${flag} ${out}: the folder exists and is not a sweep (no ${MANIFEST}); choose another folder or empty it.`);
  }
}

/** The journal's runs; a last line cut short by a kill is dropped (that run is done again). */
export function readJournal(dir: string): JournalEntry[] {
  const file = join(dir, JOURNAL);
  if (!existsSync(file)) return [];
  const entries: JournalEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      break;
    }
  }
  return entries;
}

/**
 * Appends one line per finished run. One `write` of a short line to a file
 * opened for appending lands whole or, if the process dies inside it, as a
 * cut last line that readJournal drops.
 */
export class Journal {
  private readonly fd: number;
  constructor(dir: string, kept: readonly JournalEntry[]) {
    // Start from the entries that parsed, so a cut line is not followed by good ones.
    writeResults(dir, { [JOURNAL]: kept.map((e) => JSON.stringify(e) + '\n').join('') });
    this.fd = openSync(join(dir, JOURNAL), 'a');
  }
  append(entry: JournalEntry): void {
    writeSync(this.fd, JSON.stringify(entry) + '\n');
  }
  close(): void {
    closeSync(this.fd);
  }
}

/** Puts the finished work folder in place of `out` (a former sweep there is replaced). */
export function publish(work: string, out: string): void {
  rmSync(join(work, JOURNAL), { force: true });
  rmSync(out, { recursive: true, force: true });
  renameSync(work, out);
}
