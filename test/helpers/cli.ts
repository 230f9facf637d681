import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliResult { code: number; stdout: string; stderr: string }

/** Runs a Lorenz command the way a user does, in a separate process. */
export function runCli(script: string, args: string[]): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('src', 'cli', script), ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const tempDir = (prefix = 'lorenz-'): string => mkdtempSync(join(tmpdir(), prefix));
