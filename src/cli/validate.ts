import { readFileSync } from 'node:fs';
import { EXPERIMENTS, measureAll, validationTable } from '../validation/index.js';
import { EXIT_CODES } from './exit-codes.js';
import { parseFlags } from './flags.js';
import { runCommand } from './run-command.js';
import { writeFileAtomically } from './write-results.js';

const USAGE = `usage: npm run validate [-- --quick] [-- --update]

Runs every validation experiment (experiments/, docs/validation.md) over its
seeds and holds it to its closed form: the expected value must lie within
the measurement's 95 % interval. Prints the table docs/validation.md quotes
and checks the docs quote exactly it (the runs are deterministic, so the
figures are too).
--quick   the seed counts of npm test (about a tenth), instead of the full ones
--update  write the table into docs/validation.md
Exit 0 when every experiment agrees and the docs are in step; 1 otherwise.`;

const OPTIONS = {
  quick: { type: 'boolean', default: false },
  update: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const DOC = 'docs/validation.md';
/** The generated table sits between these lines of the docs. */
const BEGIN = '<!-- npm run validate: begin -->';
const END = '<!-- npm run validate: end -->';

function main(argv: string[]): number {
  const { values } = parseFlags(argv, OPTIONS, USAGE);
  if (values.help) {
    console.log(USAGE);
    return EXIT_CODES.ok;
  }
  const started = process.hrtime.bigint();
  const rows = measureAll(EXPERIMENTS, (e) => (values.quick ? e.testSeeds : e.fullSeeds));
  for (const m of rows) console.error(`${m.agrees ? 'agrees   ' : 'DISAGREES'} ${m.experiment.name}: ${m.value} (95 % ${m.interval.low}..${m.interval.high}) against ${m.experiment.expected}, ${m.seeds} seeds`);
  console.error(`${rows.length} experiments in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
  const table = validationTable(rows);
  console.log(table);
  const doc = readFileSync(DOC, 'utf8');
  const from = doc.indexOf(BEGIN);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) {
    console.error(`${DOC} has no ${BEGIN} ... ${END} block for the table`);
    return EXIT_CODES.failed;
  }
  const updated = `${doc.slice(0, from + BEGIN.length)}\n${table}\n${doc.slice(to)}`;
  let ok = rows.every((r) => r.agrees);
  if (values.update) {
    writeFileAtomically(DOC, updated);
    console.error(`wrote the table into ${DOC}`);
  } else if (!values.quick && updated !== doc) {
    console.error(`${DOC} quotes other figures than these: run npm run validate -- --update`);
    ok = false;
  }
  return ok ? EXIT_CODES.ok : EXIT_CODES.failed;
}

runCommand(main);
