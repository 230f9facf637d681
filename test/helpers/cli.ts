import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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

/** The same without blocking, so independent commands can run side by side; `onSpawn` gets the child (to signal it). */
export function runCliAsync(script: string, args: string[], onSpawn?: (child: ChildProcess) => void): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'cli', script), ...args], { env: { ...process.env, FORCE_COLOR: '0' } });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    onSpawn?.(child);
  });
}
