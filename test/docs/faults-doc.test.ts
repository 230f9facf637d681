import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { FAULT_CATALOG } from '../../src/chaos/index.js';
import { faultParams } from '../../src/cli/list-faults.js';
import { loadScenario, runScenario } from '../../src/run/index.js';

/** docs/faults.md is kept in step with the catalog: a section per kind, its summary, every parameter. */
const doc = readFileSync('docs/faults.md', 'utf8');
const sections = new Map<string, string>();
for (const part of doc.split(/^## /m).slice(1)) {
  const m = /^`([a-z_]+)`/.exec(part);
  if (m) sections.set(m[1]!, part);
}

describe('docs/faults.md', () => {
  it('has a section for every kind in the catalog, and none for kinds that do not exist', () => {
    expect([...sections.keys()].sort()).toEqual(FAULT_CATALOG.map((f) => f.kind).sort());
  });

  for (const f of FAULT_CATALOG) {
    it(`${f.kind}: quotes the summary, names every parameter, shows an example`, () => {
      const section = sections.get(f.kind) ?? '';
      expect(section).toContain(f.summary);
      for (const p of faultParams(f.schema as unknown as z.ZodObject)) expect(section, `parameter ${p.name}`).toContain(`\`${p.name}\``);
      expect(section).toMatch(new RegExp(`kind: ${f.kind}`));
    });
  }
});

describe('docs/faults.md: the faults.csv examples are what the runs write', () => {
  // Each "From `...scenarios/<name>.yml --seed N`:" followed by a fenced faults.csv.
  const examples = [...doc.matchAll(/From\s+`(?:npm run -s sim -- )?(scenarios\/[\w-]+\.yml) --seed (\d+)`:\n\n```\n(time_s,fault,kind,phase,targets\n[^`]*?)```/g)];
  it('finds the examples', () => expect(examples.length).toBeGreaterThanOrEqual(4));
  it.each(examples.map((m) => [m[1]!, Number(m[2]), m[3]!] as const))('%s --seed %i', (file, seed, csv) => {
    expect(runScenario(loadScenario(file), { seed }).files['faults.csv']).toBe(csv);
  });
});
