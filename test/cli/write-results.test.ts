import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomically, writeResults } from '../../src/cli/write-results.js';

describe('writing results', () => {
  const dirs: string[] = [];
  const dir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'lorenz-write-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('writes the bytes of the whole text, a surrogate pair across a slice boundary (64 Ki UTF-16 units) included, and leaves no temp file', () => {
    const slice = 1 << 16;
    // An astral character whose high half is the last unit of the first slice, then one straddling the second boundary, then ASCII and accents.
    const text = 'a'.repeat(slice - 1) + '\u{1F30D}' + 'é,'.repeat(slice / 2 - 2) + '\u{1F4A7}' + 'x\n';
    expect(text.charCodeAt(slice - 1)).toBeGreaterThanOrEqual(0xd800);
    const d = dir();
    const target = join(d, 'big.csv');
    writeFileAtomically(target, text);
    expect(readFileSync(target).equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(readdirSync(d)).toEqual(['big.csv']);
  });

  it('writes a slice of characters of 3 bytes each that ends in a surrogate pair whole', () => {
    const slice = 1 << 16;
    const text = '\u4e2d'.repeat(slice - 1) + '\u{1F30D}' + '\u4e2d'.repeat(10);
    const target = join(dir(), 'cjk.csv');
    writeFileAtomically(target, text);
    expect(readFileSync(target).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  it('writes every file, empty ones too, and returns their paths', () => {
    const d = dir();
    const written = writeResults(join(d, 'run'), { 'a.csv': 'x,y\n1,2\n', 'empty.csv': '' });
    expect(written).toEqual([join(d, 'run', 'a.csv'), join(d, 'run', 'empty.csv')]);
    expect(readFileSync(written[0]!, 'utf8')).toBe('x,y\n1,2\n');
    expect(readFileSync(written[1]!, 'utf8')).toBe('');
  });
});
