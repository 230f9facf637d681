import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareRuns, formatReport } from '../compare/index.js';
import { ScenarioError } from '../scenario/index.js';
import { EXIT_CODES } from './exit-codes.js';
import { parseFlags } from './flags.js';
import { runCommand } from './run-command.js';

const USAGE = `usage: npm run compare -- <runA> <runB> [--tolerance REL] [--json]

Compares two result folders (results/<scenario>/seed-<N>/): every CSV row by
row, then the summary metrics side by side. --tolerance 0.01 treats numbers
within 1 % as equal. Exit 0: equal (within tolerance). 1: different. 2: bad input.`;

function readRun(dir: string): Record<string, string> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ScenarioError(`${dir}: not a results folder (expected e.g. results/partition/seed-42).\n\n${USAGE}`);
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) if (name.endsWith('.csv') || name === 'summary.json') files[name] = readFileSync(join(dir, name), 'utf8');
  if (Object.keys(files).length === 0) throw new ScenarioError(`${dir}: holds no CSV files or summary.json.`);
  return files;
}

function main(argv: string[]): number {
  const { values, positionals } = parseFlags(argv, { tolerance: { type: 'string', default: '0' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } }, USAGE);
  if (values.help) return void console.log(USAGE), EXIT_CODES.ok;
  if (positionals.length !== 2) throw new ScenarioError(`compare takes two result folders, got ${positionals.length}.\n\n${USAGE}`);
  const tolerance = Number(values.tolerance);
  if (!Number.isFinite(tolerance) || tolerance < 0) throw new ScenarioError(`--tolerance ${values.tolerance}: expected a non-negative relative tolerance such as 0.01.`);
  const [a, b] = positionals as [string, string];
  const report = compareRuns(readRun(a), readRun(b), tolerance);
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report, a, b));
  return report.equal ? EXIT_CODES.ok : EXIT_CODES.failed;
}

runCommand(main);
