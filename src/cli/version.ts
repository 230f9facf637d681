import { readFileSync } from 'node:fs';

/** The Lorenz version, recorded in run.json and sweep.json and carried by queue jobs (results may change between versions). */
export const lorenzVersion = (): string => (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
