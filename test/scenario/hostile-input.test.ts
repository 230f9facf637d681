import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario, loadScenarioFromText } from '../../src/run/index.js';
import { ScenarioError } from '../../src/scenario/index.js';

/** Inputs a hostile or careless user can give: each must be a located input error, never a crash, a hang or a polluted process. */
describe('hostile scenario input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lorenz-hostile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a YAML alias bomb is an input error, not a crash', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`), 'description: *h'].join('\n');
    expect(() => loadScenarioFromText('bomb.yml', bomb)).toThrow(ScenarioError);
    expect(() => loadScenarioFromText('bomb.yml', bomb)).toThrow(/bomb\.yml: the YAML expands more than 1000 aliases/);
  });

  it('__proto__ and its kin are refused as keys, in the file and in --set, and pollute nothing', () => {
    expect(() => loadScenarioFromText('p.yml', 'duration: 1m\n__proto__:\n  polluted: 1\n')).toThrow(/^p\.yml:2:1: "__proto__" cannot be a key in a scenario/);
    expect(() => loadScenarioFromText('p.yml', 'pipeline:\n  constructor: 1\n')).toThrow(/p\.yml:2:3: "constructor" cannot be a key/);
    expect(() => loadScenarioFromText('p.yml', 'duration: 1m\n', { set: ['__proto__.polluted=1'] })).toThrow(/^--set __proto__\.polluted=1: "__proto__" is not a setting/);
    expect(() => loadScenarioFromText('p.yml', 'duration: 1m\n', { set: ['pipeline.constructor.prototype.x=1'] })).toThrow(/--set pipeline\.constructor\.prototype\.x=1/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('nesting deeper than any scenario needs is an input error', () => {
    const deep = `description: ${'['.repeat(100)}${']'.repeat(100)}\nx:\n${Array.from({ length: 80 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n')} 1\n`;
    expect(() => loadScenarioFromText('deep.yml', deep)).toThrow(/nests deeper than 64 levels/);
  });

  it('a device, a pipe or a folder as the scenario is refused at once, without reading it', () => {
    expect(() => loadScenario('/dev/zero')).toThrow(/\/dev\/zero: cannot read the scenario file: it is not a regular file/);
    expect(() => loadScenario(dir)).toThrow(/it is a folder/);
    const fifo = join(dir, 'fifo.yml');
    execFileSync('mkfifo', [fifo]);
    expect(() => loadScenario(fifo)).toThrow(/not a regular file \(a device, pipe or socket\)/);
  });
});
