import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync, tempDir } from '../helpers/cli.js';

/**
 * Every `$ npm run -s sim -- ...` block in the docs is run, and its output
 * must be what the block shows, but for the wall-clock figures. The docs'
 * `example.yml` is the YAML block under "Complete example" in scenarios.md.
 */
const DOCS = ['README.md', 'docs/outputs.md', 'docs/scenarios.md'];
const WALL = /in [\d.]+s wall \(\d+ sim-s\/s,/g;

interface Shown { doc: string; args: string[]; lines: string[] }

function shownRuns(): Shown[] {
  const found: Shown[] = [];
  for (const doc of DOCS) {
    const text = readFileSync(doc, 'utf8');
    for (const m of text.matchAll(/^( *)```\n\1\$ npm run -s sim -- (.+)\n([\s\S]*?)\n\1```/gm)) {
      const indent = m[1]!;
      // A shell session of several commands (`$ ...` lines) shows something else.
      if (/^ *\$ /m.test(m[3]!)) continue;
      found.push({ doc, args: m[2]!.split(' '), lines: m[3]!.split('\n').map((l) => l.slice(indent.length)) });
    }
  }
  return found;
}

const example = (): string => {
  const text = readFileSync('docs/scenarios.md', 'utf8');
  return /## Complete example\n\n```yaml\n([\s\S]*?)\n```/.exec(text)![1]!;
};

describe('terminal output shown in the docs', () => {
  const shown = shownRuns();
  it('finds the blocks', () => {
    expect(shown.map((s) => `${s.doc}: ${s.args[0]}`)).toEqual([
      'docs/outputs.md: scenarios/partition.yml',
      'docs/scenarios.md: example.yml',
      'docs/scenarios.md: scenarios/raft-leader-crash.yml',
    ]);
  });

  it.each(shown.map((s) => [`${s.doc} ${s.args.join(' ')}`, s] as const))('%s prints what the docs show', async (_, s) => {
    const dir = tempDir();
    const args = [...s.args];
    if (args[0] === 'example.yml') writeFileSync((args[0] = join(dir, 'example.yml')), example());
    const shownOut = args[args.indexOf('--out') + 1]!;
    args[args.indexOf('--out') + 1] = join(dir, 'out');
    const r = await runCliAsync('sim.ts', args);
    expect(r.code, r.stderr).toBe(0);
    const printed = r.stdout.replaceAll(join(dir, 'out'), shownOut).replace(WALL, 'in Ns wall (N sim-s/s,').trimEnd().split('\n');
    expect(printed).toEqual(s.lines.map((l) => l.replace(WALL, 'in Ns wall (N sim-s/s,')));
  }, 60_000);
});
