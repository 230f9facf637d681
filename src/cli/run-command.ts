import { ScenarioError } from '../scenario/index.js';
import { EXIT_CODES } from './exit-codes.js';

/**
 * Runs a command's main with the house error policy: errors a user caused
 * print one paragraph and exit 2; anything else is a bug and keeps its stack.
 */
export function runCommand(main: (argv: string[]) => number): void {
  // A reader that stops early (`| head`) is not an error: results are already on disk.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof ScenarioError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`error: ${(e as Error).message}`);
      process.exitCode = EXIT_CODES.usage;
      return;
    }
    throw e;
  }
}
