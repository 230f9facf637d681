import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node 20's `mkdirSync(path, { recursive:
 * true })` never returns for a path under /proc (the kernel answers ENOENT
 * for a parent that exists, and Node retries it forever): a user's `--out`
 * or `--trace` there must be an error, not a hang. Throws as mkdirSync does.
 */
export function makeFolder(path: string): void {
  const missing: string[] = [];
  for (let at = resolve(path); !existsSync(at); ) {
    missing.push(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const dir of missing.reverse()) mkdirSync(dir);
}
