import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Layers in order; a file may import only from its own layer or earlier ones. */
const LAYERS = ['kernel', 'units', 'world', 'systems', 'chaos', 'scenario', 'metrics', 'check', 'modules', 'run', 'compare', 'sweep', 'validation', 'report', 'cli'];

/**
 * A system's module (how it is configured, booted and observed) lives in its
 * own folder beside its software, as `module.ts` or under `module/`, but sits
 * in the `modules` layer: it may use metrics/ and check/, and no software of
 * the systems layer may import it.
 */
const isSystemModule = (file: string): boolean => /^src\/systems\/[^/]+\/(module\.ts$|module\/)/.test(file);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const layerOf = (file: string): number => {
  if (isSystemModule(file) || isSystemModule(`${file}.ts`)) return LAYERS.indexOf('modules');
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
      .filter((f) => f.startsWith(join('src', 'systems')) && !isSystemModule(f))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/from '([^']*world[^']*)'/g)].map((m) => `${f}: ${m[1]}`))
      .filter((h) => !h.endsWith('world/runtime.js'));
    expect(hits).toEqual([]);
  });

  it('metrics/, check/ and system modules see the world only through the read-only ground truth (no fault verbs)', () => {
    const allowed = ['world/ground-truth.js', 'world/runtime.js', 'world/spec.js'];
    const hits = files
      .filter((f) => f.startsWith(join('src', 'metrics')) || f.startsWith(join('src', 'check')) || isSystemModule(f) || f.startsWith(join('src', 'modules')))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/from '([^']*world[^']*)'/g)].map((m) => ({ f, target: m[1]! })))
      .filter(({ f, target }) => !allowed.some((a) => target.endsWith(a)) || (target.endsWith('runtime.js') && !isSystemModule(f) && !f.startsWith(join('src', 'modules'))))
      .map(({ f, target }) => `${f}: ${target}`);
    expect(hits).toEqual([]);
  });

  it("has no import cycles, type-only imports included", () => {
    const graph = new Map(files.map((f) => [f, [...readFileSync(f, 'utf8').matchAll(/^(?:import|export)\b[^;]*?from '(\.[^']+)'/gm)].map((m) => relative(process.cwd(), resolve(dirname(f), m[1]!)).replace(/\.js$/, '.ts'))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') return void cycles.push([...path.slice(path.indexOf(f)), f].join(' -> '));
      state.set(f, 'open');
      for (const g of graph.get(f) ?? []) if (graph.has(g)) visit(g, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
