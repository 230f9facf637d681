import { accessSync, closeSync, constants, existsSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { makeFolder } from './make-folder.js';
import { dirname, join } from 'node:path';
import { ScenarioError } from '../scenario/index.js';

/** Writes each file atomically (temp file, then rename), so a reader never sees half a CSV. */
export function writeResults(dir: string, files: Record<string, string>): string[] {
  makeFolder(dir);
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const target = join(dir, name);
    writeFileAtomically(target, content);
    written.push(target);
  }
  return written;
}

/** Writes one file atomically: a temp file beside it, then a rename. */
export function writeFileAtomically(target: string, content: string): void {
  makeFolder(dirname(target));
  const temp = `${target}.${process.pid}.tmp`;
  writeInSlices(temp, content);
  renameSync(temp, target);
}

/** UTF-16 units encoded at a time, into one buffer kept for the process (UTF-8 takes at most 3 bytes a unit). */
const SLICE = 1 << 16;
let sliceBuffer: Buffer | undefined;

/**
 * Writes text a slice at a time through one small buffer, so a big file (a
 * day's detector.csv is some 7 MB) is not encoded into buffers as large as
 * itself at the end of a run, when memory peaks (buffers are freed only by
 * a later garbage collection). A slice never ends between the two halves of
 * a surrogate pair, so the bytes are those of writing the text whole.
 */
function writeInSlices(path: string, content: string): void {
  // A slice may be one unit longer (a surrogate pair kept whole: 4 bytes for two units).
  const buffer = (sliceBuffer ??= Buffer.alloc(3 * SLICE + 4));
  const fd = openSync(path, 'w');
  try {
    for (let at = 0; at < content.length; ) {
      let end = Math.min(content.length, at + SLICE);
      const last = content.charCodeAt(end - 1);
      if (end < content.length && last >= 0xd800 && last <= 0xdbff) end++;
      const bytes = buffer.write(content.slice(at, end), 0, 'utf8');
      for (let off = 0; off < bytes; ) off += writeSync(fd, buffer, off, bytes - off);
      at = end;
    }
  } finally {
    closeSync(fd);
  }
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
