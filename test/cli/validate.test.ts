import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('npm run validate (end to end)', () => {
  it('--help prints its usage and exits 0; an unknown flag exits 2 with the usage', () => {
    const help = runCli('validate.ts', ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: npm run validate');
    const bad = runCli('validate.ts', ['--quik']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--quik');
    expect(bad.stderr).toContain('usage: npm run validate');
  });
});
