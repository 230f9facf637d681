import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { EXIT_CODES } from './exit-codes.js';
import { parseFlags } from './flags.js';
import { runCommand } from './run-command.js';
import { SCHEMA_FILE, schemaText } from './schema-text.js';
import { writeFileAtomically } from './write-results.js';

const USAGE = `usage: npm run schema [-- --check]

Writes schema/scenario.schema.json, the scenario format as a JSON Schema
(from the zod schema, docs/scenarios.md, docs/faults.md and
config/defaults.yml), for editors: a scenario that starts with
  # yaml-language-server: $schema=../schema/scenario.schema.json
gets completion, each field's description and default, and errors as you type.
--check writes nothing and exits 1 if the file is not up to date.`;

const OPTIONS = { check: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } as const;

function main(argv: string[]): number {
  const { values } = parseFlags(argv, OPTIONS, USAGE);
  if (values.help) {
    console.log(USAGE);
    return EXIT_CODES.ok;
  }
  const text = schemaText();
  if (values.check) {
    let current = '';
    try {
      current = readFileSync(SCHEMA_FILE, 'utf8');
    } catch {
      // A missing file is out of date.
    }
    if (current === text) return EXIT_CODES.ok;
    console.error(`${relative('.', SCHEMA_FILE)} is out of date: run npm run schema`);
    return EXIT_CODES.failed;
  }
  writeFileAtomically(SCHEMA_FILE, text);
  console.log(`wrote ${relative('.', SCHEMA_FILE)}`);
  return EXIT_CODES.ok;
}

runCommand(main);
