import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ScenarioError } from '../scenario/index.js';
import { editDistance as distance } from '../units/edit-distance.js';

/**
 * node:util's parseArgs with the house error policy: an unknown flag, or a
 * flag missing its value, is an input error that names the flag, suggests
 * the nearest known one, and shows the usage (never Node's raw message).
 */
export function parseFlags<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, usage: string): ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O }>> {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw e;
    const known = Object.keys(options).map((k) => `--${k}`);
    const flag = /'(-{1,2}[^'\s]+)/.exec((e as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
      const name = flag.split('=')[0]!;
      const near = known.map((k) => ({ k, d: distance(name, k) })).sort((x, y) => x.d - y.d)[0];
      const hint = near && near.d <= Math.max(2, Math.floor(name.length / 3)) ? ` Did you mean ${near.k}?` : '';
      throw new ScenarioError(`${name}: unknown flag.${hint}\n\n${usage}`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
      const why = /argument missing/.test((e as Error).message) ? 'needs a value' : (e as Error).message.replace(/^Option '[^']*' /, '');
      throw new ScenarioError(`${flag}: ${why}.\n\n${usage}`);
    }
    throw new ScenarioError(`${(e as Error).message}\n\n${usage}`);
  }
}
