import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runReportHtml, sweepReportHtml, type SweepFiles } from '../report/index.js';
import { ScenarioError } from '../scenario/index.js';
import { EXIT_CODES } from './exit-codes.js';
import { parseFlags } from './flags.js';
import { reportAssets } from './report-assets.js';
import { runCommand } from './run-command.js';
import { writeResults } from './write-results.js';

const USAGE = `usage: npm run report -- <run folder | sweep folder> [--quiet]

Writes report.html into the folder: for a run (npm run sim), its throughput,
replicas and repair, detector verdicts and Raft leadership on one time axis
with the faults shaded, then its expectations and invariants; for a sweep
(npm run sweep), the distribution of every metric, the failing seeds and,
for a grid, the paired differences. The page is self-contained: open it
from disk, no network needed.`;

const OPTIONS = { quiet: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } as const;

const readIf = (dir: string, name: string): string | undefined => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : undefined);

/** Every file of a run folder that the report reads. */
function runFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) if (/\.(csv|json)$/.test(name)) files[name] = readFileSync(join(dir, name), 'utf8');
  return files;
}

/** The failed runs kept under failures/, each with its reproduce.txt. */
function failures(dir: string): SweepFiles['failures'] {
  const found: Array<{ dir: string; command: string }> = [];
  const visit = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))) {
      if (!e.isDirectory()) continue;
      const sub = join(d, e.name);
      const reproduce = readIf(sub, 'reproduce.txt');
      if (reproduce !== undefined) found.push({ dir: relative(dir, sub), command: reproduce.trim() });
      else visit(sub);
    }
  };
  visit(join(dir, 'failures'));
  return found;
}

/** Writes report.html for a run or sweep folder; returns its path. */
export function writeReport(dir: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ScenarioError(`${dir}: no such folder; give a run's results folder (with summary.json) or a sweep's (with sweep.json).`);
  let html: string;
  if (existsSync(join(dir, 'summary.json'))) html = runReportHtml(runFiles(dir), reportAssets());
  else if (existsSync(join(dir, 'sweep.json'))) {
    const files: Record<string, string> = {};
    for (const name of ['runs.csv', 'aggregate.csv', 'paired.csv', 'sweep.json']) {
      const text = readIf(dir, name);
      if (text !== undefined) files[name] = text;
    }
    html = sweepReportHtml({ files, failures: failures(dir) }, reportAssets());
  } else throw new ScenarioError(`${dir}: neither a run's results (no summary.json) nor a sweep's (no sweep.json); give the folder npm run sim or npm run sweep wrote.`);
  writeResults(dir, { 'report.html': html });
  return join(dir, 'report.html');
}

function main(argv: string[]): number {
  const { values, positionals } = parseFlags(argv, OPTIONS, USAGE);
  if (values.help) {
    console.log(USAGE);
    return EXIT_CODES.ok;
  }
  if (positionals.length !== 1) throw new ScenarioError(`${positionals.length === 0 ? 'no folder given' : `one folder at a time, got ${positionals.length}`}.\n\n${USAGE}`);
  const path = writeReport(positionals[0]!);
  if (!values.quiet) console.log(`report: ${path}`);
  return EXIT_CODES.ok;
}

runCommand(main);
