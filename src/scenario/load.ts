import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYamlValue } from 'yaml';
import type { z } from 'zod';
import { FAULT_KINDS } from '../chaos/index.js';
import { formatDuration } from '../kernel/index.js';
import { ScenarioError } from './errors.js';
import { canonicalJson, mergeOver, setPath } from './merge.js';
import { scenarioSchemaWith, type Scenario } from './schema.js';
import { STOP_GAUGES } from './stop-when.js';
import { YamlSource } from './source.js';
import { checkCloudLatencyKeys, checkNames, type SystemChecks } from './validate.js';

/** The defaults every scenario is merged over. */
export const DEFAULTS_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'config', 'defaults.yml');

export interface LoadedScenario {
  scenario: Scenario;
  /** File-derived name used for result folders (`results/<name>/seed-N`). */
  name: string;
  /** sha256 of the settings as written over the core defaults (a block's defaults from `blocks:` are not in it): equal hashes, equal runs for a seed while the defaults file is unchanged. */
  hash: string;
  file: string;
  /**
   * Settings that are legal but almost surely not meant (a fault after the
   * end, with allowLateFaults; a nemesis that starts after the end), each
   * located like an error. The run goes ahead; the CLI prints them.
   */
  warnings: string[];
}

export interface LoadOptions {
  /** `key.path=value` overrides applied over the file (values parsed as YAML). */
  set?: readonly string[];
  /** Metric names `expect:` may use; unknown names are input errors. Omitted: not checked. */
  metricNames?: readonly string[];
  defaultsFile?: string;
  /** A fault at or after the end of the run is an error unless this is set (`--allow-late-faults`); then it is a warning, and the fault never strikes. */
  allowLateFaults?: boolean;
  /** The systems' blocks and checks (from the module registry); omitted: only the core fields are known. */
  systems?: ScenarioSystems;
}

/** What the system modules add to the format: the full schema (core fields and their blocks), and their checks. */
export interface ScenarioSystems extends SystemChecks {
  schema: z.ZodType<Scenario>;
}

const CORE_ONLY = scenarioSchemaWith({});

/** Largest scenario or defaults file read: scenarios are a few kilobytes; a device or a huge file is a mistake. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

function readText(file: string, what: string): string {
  try {
    // Refuse what is not a plain file before reading: /dev/zero never ends, a FIFO blocks for ever.
    const st = statSync(file);
    if (!st.isFile()) throw new ScenarioError(`${file}: cannot read the ${what}: it is ${st.isDirectory() ? 'a folder' : 'not a regular file (a device, pipe or socket)'}. Give the path of a .yml file.`);
    if (st.size > MAX_FILE_BYTES) throw new ScenarioError(`${file}: the ${what} is ${st.size} bytes, over the ${MAX_FILE_BYTES}-byte limit for a scenario. Is this the right file?`);
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new ScenarioError(`${file}: cannot read the ${what} (${reason}). Check the path; scenarios live in scenarios/.`);
  }
}

export function loadScenarioFile(file: string, opts: LoadOptions = {}): LoadedScenario {
  return loadScenarioText(file, readText(file, 'scenario file'), opts);
}

export function loadScenarioText(file: string, text: string, opts: LoadOptions = {}): LoadedScenario {
  const defaultsFile = opts.defaultsFile ?? DEFAULTS_FILE;
  const defaults = YamlSource.parse(defaultsFile, readText(defaultsFile, 'defaults file'));
  const source = YamlSource.parse(file, text);
  const raw = source.toJS();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ScenarioError(`${file}:1:1: a scenario must be a mapping of settings (name, duration, faults, ...), not ${Array.isArray(raw) ? 'a list' : typeof raw}.`);
  }
  const { blocks: blockDefaults = {}, ...defaultsJs } = defaults.toJS() as { blocks?: Record<string, unknown> } & Record<string, unknown>;
  alignCloudPairs(raw, defaultsJs);
  const merged = mergeOver(defaultsJs, raw) as Record<string, unknown>;
  for (const assignment of opts.set ?? []) applySet(merged, assignment);
  // The digest covers the settings as written over the core defaults, as it always has (a block's defaults were not in it either).
  const digest = createHash('sha256').update(canonicalJson(merged)).digest('hex');
  // An optional block's defaults (`blocks:` in the defaults file) fill in only a block the scenario has.
  for (const [key, fill] of Object.entries(blockDefaults)) {
    const own = merged[key];
    if (own !== undefined && own !== null && typeof own === 'object' && !Array.isArray(own)) merged[key] = mergeOver(fill, own);
  }

  /** Where a value at `path` came from: a --set, the scenario file, or the defaults. */
  const where = (path: ReadonlyArray<PropertyKey>): string => {
    const dotted = path.map(String).join('.');
    // The --set that wrote this field or one of its ancestors.
    const setHit = (opts.set ?? []).find((a) => {
      const key = a.slice(0, a.indexOf('='));
      return dotted === key || dotted.startsWith(`${key}.`);
    });
    const inDefaults = typeof path[0] === 'string' && path[0] in blockDefaults ? ['blocks', ...path] : path;
    // A field, or the object it is missing from, that neither the file nor the defaults have: made by a --set beneath it
    // (`--set foo.bar=1` makes "foo"; `--set repair.process.duration=1h` makes a process without its start_after).
    let madeBy: string | undefined;
    for (let n = path.length; n >= 1 && madeBy === undefined; n--) {
      const prefix = path.slice(0, n);
      // Asked of the files, not of the objects: a --set writes into the merged settings, which share objects with them.
      if (source.has(prefix) || defaults.has(prefix) || defaults.has(['blocks', ...prefix])) break;
      const under = `${prefix.map(String).join('.')}.`;
      madeBy = (opts.set ?? []).find((a) => a.slice(0, a.indexOf('=')).startsWith(under));
    }
    if (setHit ?? madeBy) return `--set ${setHit ?? madeBy}`;
    return source.locate(path) ?? defaults.locate(inDefaults) ?? file;
  };
  const fail = (path: ReadonlyArray<PropertyKey>, message: string): never => {
    throw new ScenarioError(`${where(path)}: ${formatPath(path)}: ${message}.`);
  };

  const parsed = (opts.systems?.schema ?? CORE_ONLY).safeParse(merged);
  if (!parsed.success) {
    const { path, message } = describeIssue(parsed.error.issues[0]!, merged);
    fail(path, message);
  }
  const scenario = parsed.data!;
  const defaultLatencyKeys = Object.keys((valueAt(defaults.toJS(), ['network', 'cloud_latency']) as object | undefined) ?? {});
  const ownLatencyKeys = Object.keys(scenario.network.cloud_latency).filter((k) => !defaultLatencyKeys.includes(k));
  const problem = checkNames(scenario, opts.systems) ?? checkCloudLatencyKeys(scenario, ownLatencyKeys);
  if (problem) fail(problem.path, problem.message);

  if (opts.metricNames) {
    const unknown = Object.keys(scenario.expect).find((m) => !opts.metricNames!.includes(m));
    if (unknown) fail(['expect', unknown], `unknown metric; valid metrics are ${opts.metricNames.join(', ')}`);
  }
  const name = basename(file, extname(file));
  scenario.name ??= name;
  if (typeof merged.duration === 'number' && merged.duration > 0) {
    fail(['duration'], `a bare number is ambiguous (it would count microseconds: ${formatDuration(scenario.duration)}); write the unit: ${merged.duration}s for seconds, ${merged.duration}m for minutes, or ${merged.duration}us if you meant microseconds`);
  }
  if (!opts.allowLateFaults) {
    const late = scenario.faults.findIndex((f) => f.at >= scenario.duration);
    if (late >= 0) fail(['faults', late, 'at'], `${formatDuration(scenario.faults[late]!.at)} is at or after the end of the run (${formatDuration(scenario.duration)}): this fault would never strike. Move it earlier or lengthen duration; --allow-late-faults runs anyway, with a warning`);
  }
  const warnings = absurdSettings(scenario).map(({ path, message }) => `${where(path)}: ${formatPath(path)}: ${message}.`);
  return { scenario, name, hash: digest, file, warnings };
}

/** Legal settings a user almost surely did not mean, with where they are. */
function absurdSettings(scenario: Scenario): Array<{ path: PropertyKey[]; message: string }> {
  const found: Array<{ path: PropertyKey[]; message: string }> = [];
  const end = formatDuration(scenario.duration);
  // Only reached with allowLateFaults: otherwise a late fault is an error.
  scenario.faults.forEach((f, i) => {
    if (f.at >= scenario.duration) found.push({ path: ['faults', i, 'at'], message: `${formatDuration(f.at)} is at or after the end of the run (${end}): this fault never strikes` });
  });
  const nemesis = scenario.nemesis;
  if (nemesis && nemesis.start >= scenario.duration) found.push({ path: ['nemesis', 'start'], message: `${formatDuration(nemesis.start)} is at or after the end of the run (${end}): the nemesis never strikes` });
  const failures = scenario.failures;
  if (failures && failures.start >= Math.min(failures.stop ?? scenario.duration, scenario.duration)) {
    const field = failures.start >= scenario.duration ? 'the end of the run' : `failures.stop (${formatDuration(failures.stop!)})`;
    found.push({ path: ['failures', 'start'], message: `${formatDuration(failures.start)} is at or after ${field}: no failure process ever strikes` });
  }
  if (failures && !failures.nodes && !failures.disks && !failures.racks) found.push({ path: ['failures'], message: 'has no nodes, disks or racks process: nothing ever fails by it' });
  // Blocks of system modules are typed loosely here (the registry adds them); only what is read is named.
  const reads = (scenario as { reads?: { start: number; cache: number; read_size: number } }).reads;
  if (reads && reads.start >= scenario.duration) found.push({ path: ['reads', 'start'], message: `${formatDuration(reads.start)} is at or after the end of the run (${end}): no client ever reads` });
  if (reads && reads.cache > 0 && reads.cache < reads.read_size) found.push({ path: ['reads', 'cache'], message: `${reads.cache} bytes hold no ${reads.read_size}-byte read (read_size): every client reads without a cache` });
  const raft = (scenario as { raft?: { election_timeout: { min: number; max: number }; timer_noise: number; members: string[] } }).raft;
  if (raft && raft.members.length > 1 && raft.election_timeout.min === raft.election_timeout.max && raft.timer_noise === 0) found.push({ path: ['raft', 'timer_noise'], message: `is 0 with election_timeout.min = max (${formatDuration(raft.election_timeout.min)}): every member times out at the same instant and votes split for ever, so no leader is ever elected` });
  const proposals = (scenario as { coordinator?: { proposals?: { every: number } } }).coordinator?.proposals;
  if (proposals && proposals.every >= scenario.duration) found.push({ path: ['coordinator', 'proposals', 'every'], message: `${formatDuration(proposals.every)} is at or after the end of the run (${end}): no policy change is ever proposed` });
  return found;
}

/**
 * Cloud pairs are unordered: a scenario's "gcp-aws" must replace the default
 * "aws-gcp", not sit beside it and win in one direction only.
 */
function alignCloudPairs(raw: unknown, defaultsJs: unknown): void {
  const own = valueAt(raw, ['network', 'cloud_latency']) as Record<string, unknown> | undefined;
  const base = valueAt(defaultsJs, ['network', 'cloud_latency']) as Record<string, unknown> | undefined;
  if (!own || !base || typeof own !== 'object') return;
  for (const key of Object.keys(own)) {
    if (key in base) continue;
    const reversed = Object.keys(base).find((b) => b.split('-').reverse().join('-') === key);
    if (reversed) {
      own[reversed] = own[key];
      delete own[key];
    }
  }
}

function applySet(merged: Record<string, unknown>, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new ScenarioError(`--set ${assignment}: expected key.path=value, for example --set pipeline.distribution.replication_factor=2.`);
  try {
    setPath(merged, assignment.slice(0, eq), parseYamlValue(assignment.slice(eq + 1)));
  } catch (e) {
    throw new ScenarioError(`--set ${assignment}: ${(e as Error).message}.`);
  }
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '') || '(top level)';
}

/** The value at `path` in a plain object tree, or undefined. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Turns zod's first issue into the field it concerns and a sentence a user can act on. */
function describeIssue(issue: z.core.$ZodIssue, merged: unknown): { path: PropertyKey[]; message: string } {
  let path = issue.path as PropertyKey[];
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    path = [...path, issue.keys[0]!];
    message = path.length === 2 && path[0] === 'stop_when'
      ? `not a gauge a stop condition can read; the gauges are durability.csv's columns: ${STOP_GAUGES.join(', ')}`
      : `unknown field "${issue.keys[0]}"; check its spelling against docs/scenarios.md`;
  } else if (issue.code === 'invalid_union' && (issue as { discriminator?: string }).discriminator === 'kind') {
    if (path[path.length - 1] !== 'kind') path = [...path, 'kind'];
    message = `unknown fault kind; expected one of ${FAULT_KINDS.join(', ')} (npm run sim -- --list-faults describes them)`;
  } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Of the forms a value may take, the one of the value's own type says most (an object's bad field, not "expected string"); else the first (a plain duration, for latencies).
    const ofItsType = issue.errors.find((errors) => errors[0] !== undefined && !(errors[0].code === 'invalid_type' && errors[0].path.length === 0));
    const inner = (ofItsType ?? issue.errors[0]!)[0];
    if (inner) return describeIssue({ ...inner, path: [...path, ...inner.path] } as z.core.$ZodIssue, merged);
  } else if (issue.code === 'invalid_type') {
    const value = valueAt(merged, path);
    const expected = issue.message.replace(/^Invalid input: /, '');
    message = value === undefined ? `required field is missing (${expected})` : `${expected}, got ${JSON.stringify(value)}`;
  }
  return { path, message };
}
