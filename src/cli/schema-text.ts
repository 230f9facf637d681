import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { scenarioJsonSchema } from '../run/index.js';
import { DEFAULTS_FILE, ScenarioError } from '../scenario/index.js';

/** The repository (or installed package) root: config/, docs/ and schema/ are beside each other there. */
const ROOT = join(dirname(DEFAULTS_FILE), '..');
/** Where the schema lives. */
export const SCHEMA_FILE = join(ROOT, 'schema', 'scenario.schema.json');

/** The schema file's text as the sources make it now. */
export function schemaText(root = ROOT): string {
  const { schema, undescribed } = scenarioJsonSchema({
    scenariosMd: readFileSync(join(root, 'docs', 'scenarios.md'), 'utf8'),
    faultsMd: readFileSync(join(root, 'docs', 'faults.md'), 'utf8'),
    defaults: parse(readFileSync(DEFAULTS_FILE, 'utf8')) as Record<string, unknown>,
  });
  if (undescribed.length > 0) throw new ScenarioError(`no reference table in docs/scenarios.md or docs/faults.md describes ${undescribed.join(', ')}; add a row for each.`);
  return JSON.stringify(schema, null, 2) + '\n';
}

