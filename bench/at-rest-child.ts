/**
 * One data-at-rest run in a process of its own (see at-rest.ts), its result
 * as JSON on standard output. Runs one after another in one process are
 * not independent (one such run measured 24 bytes a chunk, most likely the
 * run before it having its array buffers freed between the two
 * measurements), so each run gets a fresh process.
 */
import { benchAtRest } from './at-rest.js';

process.stdout.write(JSON.stringify(benchAtRest()));
