import { ScenarioError } from '../scenario/index.js';
import { EXIT_CODES } from './exit-codes.js';

/**
 * Runs a command's main with the house error policy: errors a user caused
 * print one paragraph and exit 2; anything else is a bug and keeps its stack.
 */
export function runCommand(main: (argv: string[]) => number | Promise<number>): void {
  // A reader that stops early (`| head`) is not an error: results are already on disk.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
  const fail = (e: unknown): void => {
    if (e instanceof ScenarioError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`error: ${(e as Error).message}`);
      process.exitCode = EXIT_CODES.usage;
      return;
    }
    throw e;
  };
  try {
    const code = main(process.argv.slice(2));
    if (typeof code === 'number') process.exitCode = code;
    else code.then((c) => void (process.exitCode = c), (e: unknown) => {
      try {
        fail(e);
      } catch (bug) {
        // A bug in an async command: keep its stack, as a sync one would.
        console.error(bug);
        process.exitCode = 1;
      }
    });
  } catch (e) {
    fail(e);
  }
}
