import { accessSync, constants, existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { makeFolder } from './make-folder.js';
import { dirname, join } from 'node:path';
import { ScenarioError } from '../scenario/index.js';

/** Writes each file atomically (temp file, then rename), so a reader never sees half a CSV. */
export function writeResults(dir: string, files: Record<string, string>): string[] {
  makeFolder(dir);
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const target = join(dir, name);
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, content);
    renameSync(temp, target);
    written.push(target);
  }
  return written;
}

/** Writes one file atomically: a temp file beside it, then a rename. */
export function writeFileAtomically(target: string, content: string): void {
  makeFolder(dirname(target));
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, target);
}

/**
 * Checks, before a run, that a file a flag names can be written (its folder
 * exists or can be made and is writable; it is not a folder itself), so a
 * long run does not end on an unwritable path. Returns the path.
 */
export function prepareTraceFile(file: string): string {
  const refuse = (why: string): never => {
    throw new ScenarioError(`--trace ${file}: ${why}; give a writable file path such as results/trace.json.`);
  };
  if (file === '' || file.endsWith('/')) refuse('names a folder, not a file');
  if (existsSync(file) && !statSync(file).isFile()) refuse('exists and is not a plain file');
  const folder = dirname(file);
  try {
    makeFolder(folder);
    accessSync(folder, constants.W_OK);
  } catch (e) {
    refuse(`cannot write into ${folder} (${(e as Error).message})`);
  }
  return file;
}
