import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, schemaText } from '../../src/cli/schema-text.js';
import { fieldDescriptions } from '../../src/run/json-schema.js';

const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020.default({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
const scenarios = readdirSync('scenarios').filter((f) => f.endsWith('.yml')).sort();

describe('schema/scenario.schema.json (editor completion)', () => {
  it('is in step with the zod schema, the docs and the defaults (npm run schema rewrites it)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
  });

  it('describes every field, and gives each default the defaults file has', () => {
    const props = schema.properties as Record<string, { description?: string; default?: unknown; properties?: Record<string, { description?: string; default?: unknown }> }>;
    expect(props.duration).toMatchObject({ description: expect.stringContaining('Simulated time the run covers'), default: '10m' });
    expect(props.detector!.properties!.kind).toMatchObject({ default: 'heartbeat', description: expect.stringContaining('The detector.') });
    const text = JSON.stringify(schema);
    // Every "properties" entry of the whole schema has a description (schemaText throws on a field the docs miss).
    const undescribed: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      for (const [k, child] of Object.entries((n.properties as Record<string, Record<string, unknown>> | undefined) ?? {})) {
        if (typeof child.description !== 'string' || child.description === '') undescribed.push(`${path}${k}`);
        visit(child, `${path}${k}.`);
      }
      for (const key of ['items', 'additionalProperties']) visit(n[key], path);
      for (const key of ['anyOf', 'oneOf', 'allOf']) for (const b of (n[key] as unknown[] | undefined) ?? []) visit(b, path);
    };
    visit(schema, '');
    expect(undescribed).toEqual([]);
    expect(text.length).toBeGreaterThan(50_000);
  });

  it('accepts every shipped scenario, each of which names it on its first line', () => {
    for (const file of scenarios) {
      const text = readFileSync(join('scenarios', file), 'utf8');
      expect(text.split('\n')[0], file).toBe('# yaml-language-server: $schema=../schema/scenario.schema.json');
      expect([file, validate(parse(text)), validate.errors ?? []]).toEqual([file, true, []]);
    }
  });

  it('refuses what the loader refuses: a misspelt field, a wrong type, an unknown fault kind', () => {
    expect(validate({ pipline: {} })).toBe(false);
    expect(validate({ pipeline: { distribution: { replication_factor: 'three' } } })).toBe(false);
    expect(validate({ faults: [{ kind: 'node_explode', at: '1s', node: 'x' }] })).toBe(false);
    expect(validate({ faults: [{ kind: 'node_crash', at: '1s', node: 'aws-east-1' }] })).toBe(true);
  });

  it('reads descriptions from reference tables: a heading sets the prefix, a line of backticked paths sets it for the next table', () => {
    const md = [
      '### `detector`', '', '| Field | Type | Default | Meaning |', '|---|---|---|---|', '| `kind` | enum | `x` | The detector. |', '',
      '`detector.csv` is not a prefix.', '', '`detector.swim` (swim.ts):', '', '| Field | Type | Default | Meaning |', '|---|---|---|---|', '| `period`, `ping_timeout` | duration | `1s` | Timing. |', '',
      'Prose.', '', '| Field | Type | Default | Meaning |', '|---|---|---|---|', '| `clouds.<cloud>.regions` | map | — | Regions. |',
    ].join('\n');
    expect([...fieldDescriptions(md, '###', (n) => n)]).toEqual([
      ['detector.kind', 'The detector. (enum)'],
      ['detector.swim.period', 'Timing. (duration)'],
      ['detector.swim.ping_timeout', 'Timing. (duration)'],
      ['detector.clouds.*.regions', 'Regions. (map)'],
    ]);
  });
});
