import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Layers in order; a file may import only from its own layer or earlier ones. */
const LAYERS = ['kernel', 'units', 'world', 'systems', 'chaos', 'scenario', 'metrics', 'check', 'run', 'compare', 'cli'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const layerOf = (file: string): number => {
  const top = relative('src', file).split('/')[0]!;
  return top.endsWith('.ts') ? LAYERS.length : LAYERS.indexOf(top);
};

describe('architecture', () => {
  const files = sources('src');

  it('every folder under src/ is a known layer', () => {
    for (const f of files) expect(layerOf(f), f).toBeGreaterThanOrEqual(0);
  });

  it('imports go only downward through the layers', () => {
    const upward: string[] = [];
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = resolve(dirname(file), m[1]!);
        if (layerOf(relative(process.cwd(), target)) > layerOf(file)) upward.push(`${file} imports ${m[1]}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('nothing below cli/ reads the wall clock, uses unseeded randomness or prints', () => {
    const banned = /Math\.random|Date\.now|performance\.now|new Date\(|setTimeout|setInterval|setImmediate|process\.hrtime|console\./;
    const hits = files.filter((f) => layerOf(f) < LAYERS.indexOf('cli') && banned.test(readFileSync(f, 'utf8')));
    expect(hits).toEqual([]);
  });

  it('systems/ reaches the world only through the runtime interface', () => {
    const hits = files
      .filter((f) => f.startsWith(join('src', 'systems')))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/from '([^']*world[^']*)'/g)].map((m) => `${f}: ${m[1]}`))
      .filter((h) => !h.endsWith('world/runtime.js'));
    expect(hits).toEqual([]);
  });
});
