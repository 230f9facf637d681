import { execFileSync } from 'node:child_process';

/** Whether a command is on PATH. */
export const onPath = (cmd: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/**
 * Makes sure a real component a test needs is installed: a fresh machine
 * (CI) has none, so the test installs Debian's package, as root, from the
 * distribution's repositories (never a manual step).
 */
export function ensureDebianPackage(command: string, pkg: string, forWhat: string): void {
  if (onPath(command)) return;
  try {
    execFileSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg}`], { stdio: 'ignore', timeout: 600_000 });
  } catch (e) {
    throw new Error(`${command} is not installed and installing it with apt-get failed (${(e as Error).message.split('\n')[0]}); install Debian's ${pkg} package to run ${forWhat}`);
  }
  if (!onPath(command)) throw new Error(`apt-get installed ${pkg}, but ${command} is not on PATH`);
}
