/** Quotes an argument for a POSIX shell when it needs it, so a printed command can be pasted back. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** `npm run sim` for one seed: the reproduce line of a failed run. */
export function simCommand(file: string, seed: number, set: readonly string[], allowLateFaults = false): string {
  return `npm run sim -- ${shellQuote(file)} --seed ${seed}${set.map((a) => ` --set ${shellQuote(a)}`).join('')}${allowLateFaults ? ' --allow-late-faults' : ''}`;
}
