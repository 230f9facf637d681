import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { z } from 'zod';
import { scenarioSystems } from '../../src/modules/scenario-systems.js';
import { DEFAULTS_FILE } from '../../src/scenario/index.js';

/**
 * Every object field of the scenario format, by dotted path, with whether the
 * schema gives it a default. Lists, unions and records are not entered: their
 * items' defaults belong to the items (a coordinator agent's priority, a
 * fault's optional parameters) and a mapping of defaults has no place for them.
 */
function fields(schema: z.ZodType, path: string[] = [], out: Array<{ path: string; schemaDefault: boolean; leaf: boolean }> = []): typeof out {
  let s = schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } };
  let schemaDefault = false;
  for (;;) {
    const def = s._zod.def;
    if (def.type === 'default' || def.type === 'prefault') schemaDefault = true;
    if (def.type === 'default' || def.type === 'prefault' || def.type === 'optional' || def.type === 'nullable') s = def.innerType as typeof s;
    else if (def.type === 'pipe') s = def.in as typeof s;
    else break;
  }
  const def = s._zod.def;
  if (path.length > 0) out.push({ path: path.join('.'), schemaDefault, leaf: def.type !== 'object' });
  if (def.type === 'object') for (const [k, v] of Object.entries(def.shape as Record<string, z.ZodType>)) fields(v, [...path, k], out);
  return out;
}

/** Every key path that config/defaults.yml sets, with `blocks.<key>.` read as `<key>.`. */
function defaultsPaths(): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string[]): void => {
    if (path.length > 0) out.push(path.join('.'));
    if (v && typeof v === 'object' && !Array.isArray(v) && path.join('.') !== 'topology.clouds') for (const [k, c] of Object.entries(v)) walk(c, [...path, k]);
  };
  const { blocks, ...core } = parse(readFileSync(DEFAULTS_FILE, 'utf8')) as { blocks: Record<string, unknown> };
  walk(core, []);
  for (const [key, value] of Object.entries(blocks)) walk(value, [key]);
  return out;
}

describe('defaults live in one place', () => {
  const all = fields(scenarioSystems().schema);

  it('no field has a default both in config/defaults.yml and in the schema', () => {
    const inFile = new Set(defaultsPaths());
    expect(all.filter((f) => f.schemaDefault && inFile.has(f.path)).map((f) => f.path)).toEqual([]);
  });

  it('the optional blocks keep their defaults in config/defaults.yml, not in the schema', () => {
    const blockKeys = ['raft', 'coordinator', 'nemesis', 'gossip', 'reads'];
    const inSchema = all.filter((f) => f.schemaDefault && blockKeys.includes(f.path.split('.')[0]!));
    // A coordinator's task workload is an optional sub-block: its defaults apply only when it is there.
    expect(inSchema.map((f) => f.path)).toEqual(['coordinator.tasks.max_priority', 'coordinator.tasks.capabilities', 'coordinator.tasks.failure_rate']);
  });

  it('every field a user sets has a line in the docs (a table row naming it or the object it is part of)', () => {
    // The nemesis is documented with the faults.
    const doc = readFileSync('docs/scenarios.md', 'utf8') + readFileSync('docs/faults.md', 'utf8');
    const rows = new Set([...doc.matchAll(/^\| `([a-z_.]+)`/gm)].map((m) => m[1]!.split('.').at(-1)));
    const undocumented = all.filter((f) => f.leaf).map((f) => f.path.split('.')).filter((p) => !rows.has(p.at(-1)!) && !rows.has(p.at(-2) ?? '')).map((p) => p.join('.'));
    expect(undocumented).toEqual([]);
  });
});
