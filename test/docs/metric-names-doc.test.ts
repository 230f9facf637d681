import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../src/run/index.js';

describe('docs/outputs.md', () => {
  it('lists every metric name, in the order expect: errors and compare show them', () => {
    const doc = readFileSync('docs/outputs.md', 'utf8');
    const section = doc.slice(doc.indexOf('## Metric names'));
    const table = section.slice(section.indexOf('| Metric |'), section.indexOf('\n\n', section.indexOf('| Metric |')));
    const listed = [...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual([...METRIC_NAMES]);
  });
});
