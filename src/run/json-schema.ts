import { z } from 'zod';
import { scenarioSystems } from '../modules/scenario-systems.js';

/**
 * The scenario format as a JSON Schema, for editor completion and
 * validation (`npm run schema` writes schema/scenario.schema.json; a test
 * keeps it in step). The structure comes from the zod schema the loader
 * uses; each field's description from the reference tables of
 * docs/scenarios.md and docs/faults.md (one text per field, the one users
 * read); each default from config/defaults.yml. A scenario states only what
 * differs from the defaults, so fields the defaults supply are not required.
 */

type Json = { [key: string]: unknown };

/** The reference documents' text and the parsed defaults file (its `blocks:` hold the optional blocks' defaults). */
export interface SchemaSources {
  scenariosMd: string;
  faultsMd: string;
  defaults: Json;
}

/** `clouds.<cloud>.regions` -> `clouds.*.regions`: a map's key in the docs is any key in the schema. */
const normalise = (path: string): string => path.replace(/<[^>]+>/g, '*');

/** Markdown inline text as plain text: links to their words, emphasis dropped. */
const plain = (md: string): string => md.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').replace(/\*\*?([^*]+)\*\*?/g, '$1').trim();

const cells = (row: string): string[] => row.replace(/^\|/, '').replace(/\|\s*$/, '').split(/(?<!\\)\|/).map((c) => c.trim());

/**
 * Field descriptions from the reference tables of a document: a table whose
 * header starts with Field or Parameter, its rows' first cell one or more
 * backticked names, relative to the prefixes in force. A heading sets the
 * prefix: `### \`pipeline\`` to `pipeline`, `### Latency` to `latency`,
 * `## \`node_crash\`` in faults.md to `fault:node_crash`; a line that starts with backticked paths (`detector.heartbeat`)
 * sets it to them until the next heading.
 */
export function fieldDescriptions(md: string, headingLevel: '##' | '###', prefixOf: (name: string) => string): Map<string, string> {
  const out = new Map<string, string>();
  let prefixes: string[] | undefined;
  let section = '';
  let header: string[] | undefined;
  for (const line of md.split('\n')) {
    const heading = new RegExp(`^${headingLevel} (.*)$`).exec(line);
    if (heading) {
      const title = heading[1]!.trim();
      const name = /^`([^`]+)`$/.exec(title)?.[1] ?? title.toLowerCase().replace(/ /g, '_');
      section = title === 'Top level' ? '' : prefixOf(name);
      prefixes = [section];
      header = undefined;
      continue;
    }
    if (prefixes === undefined) continue;
    if (!line.startsWith('|')) {
      // A prefix line names the fields of the next table only.
      if (header !== undefined) prefixes = [section];
      header = undefined;
      // A line that opens with backticked paths names the fields the next table describes.
      const lead = /^((?:`[a-z_.<>\[\]]+`(?:,| and)? ?)+)/.exec(line);
      if (lead) {
        const paths = [...lead[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
        // Fields of this section (`detector.heartbeat`), not files (`detector.csv`) or other sections (`blocks.gossip`).
        if (section !== '' && paths.every((p) => p.startsWith(`${section}.`) && !/\.(csv|json|ya?ml|ts|md)$/.test(p))) prefixes = paths;
      }
      continue;
    }
    const row = cells(line);
    if (header === undefined) {
      if (/^(Field|Parameter)$/.test(row[0]!)) header = row;
      continue;
    }
    if (/^-+$/.test(row[0]!)) continue;
    const meaning = row[header.findIndex((h) => h === 'Meaning')] ?? '';
    const type = row[1] ?? '';
    const text = plain([meaning, type ? `(${type})` : ''].filter((t) => t !== '').join(' '));
    for (const [, field] of row[0]!.matchAll(/`([^`]+)`/g)) {
      for (const prefix of prefixes) out.set(normalise(prefix === '' ? field! : `${prefix}.${field}`), text);
    }
  }
  return out;
}

/** The value at a dotted path of the defaults, where a map's key (`*`) matches nothing. */
function defaultAt(defaults: Json, path: string): unknown {
  let at: unknown = defaults;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || key === '*' || key.endsWith('[]')) return undefined;
    at = (at as Json)[key];
  }
  return at;
}

interface Walk {
  describe: (path: string) => string | undefined;
  defaults: Json;
  missing: string[];
}

/** Fields the docs describe once under another path: a region's disk fields are node_defaults' disk fields. */
const ALIASES: ReadonlyArray<[string, string]> = [['topology.clouds.*.regions.*.disk.', 'topology.node_defaults.disk.']];

/** The field that a nested field belongs to, for a description the docs give only there (`election_timeout` explains its `min` and `max`). */
interface Owner { key: string; text: string }

function describe(walk: Walk, own: string, key: string, child: Json, owner: Owner | undefined, context: string): string | undefined {
  const direct = walk.describe(own) ?? ALIASES.flatMap(([from, to]) => (own.startsWith(from) ? [walk.describe(to + own.slice(from.length))] : [])).find((t) => t !== undefined);
  if (direct !== undefined) return direct;
  if (key === 'kind' && context.startsWith('fault:')) return `The fault kind (docs/faults.md#${context.slice(6)}).`;
  // A block of settings whose fields are described one by one.
  if (child.properties !== undefined) return `The \`${own}\` settings: see each field (${own.startsWith('nemesis') ? 'docs/faults.md#nemesis' : own.startsWith('failures') ? 'docs/faults.md#failure-processes' : `docs/scenarios.md#${own.split('.')[0]}`}).`;
  if (owner !== undefined) return `Part of \`${owner.key}\`: ${owner.text}`;
  return undefined;
}

/** Gives every property its description and default, and drops `required` where the defaults supply the fields. */
function annotate(node: Json, path: string, walk: Walk, context: string, owner: Owner | undefined): void {
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const branch of (node[key] as Json[] | undefined) ?? []) {
      const props = branch.properties as Record<string, Json> | undefined;
      const kind = (props?.kind as Json | undefined)?.const;
      // A fault's fields are described in faults.md under its kind; a latency's (`dist:`) in the Latency table.
      if (typeof kind === 'string' && path.endsWith('faults[]')) annotate(branch, path, walk, `fault:${kind}`, undefined);
      // A failure process's distributions (`failures.*.lifetime` and `failures.racks.every`, its delays, a drawn repair's and the chunks' arrival gaps) are described in faults.md's tables of them.
      else if (props?.dist !== undefined) annotate(branch, path, walk, path.startsWith('failures.') ? (/\.(lifetime|every)$/.test(path) ? 'failures.lifetime' : 'failures.delay') : path.startsWith('repair.process.') || path === 'pipeline.dataset.arrivals.every' ? 'failures.delay' : 'latency', undefined);
      else annotate(branch, path, walk, context, owner);
    }
  }
  const props = node.properties as Record<string, Json> | undefined;
  if (props) {
    const covered = defaultAt(walk.defaults, path);
    if (path === '' || (typeof covered === 'object' && covered !== null && !Array.isArray(covered))) delete node.required;
    for (const [key, child] of Object.entries(props)) {
      const full = path === '' ? key : `${path}.${key}`;
      const own = context === '' ? full : `${context}.${key}`;
      const text = describe(walk, own, key, child, owner, context);
      if (text !== undefined) child.description = text;
      else walk.missing.push(own);
      const value = defaultAt(walk.defaults, full);
      // Defaults of single settings and of maps (cloud_latency), not of whole blocks: those are the sum of their fields'.
      if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value) || typeof child.additionalProperties === 'object')) child.default = value;
      // A generic text (a block's) explains nothing of its fields: they keep the owner above it.
      const described = text !== undefined && !text.startsWith('The `');
      annotate(child, full, walk, context === '' ? '' : own, described ? { key, text } : owner);
    }
  }
  if (typeof node.additionalProperties === 'object') annotate(node.additionalProperties as Json, `${path}.*`, walk, context === '' ? '' : `${context}.*`, owner);
  if (typeof node.items === 'object') annotate(node.items as Json, `${path}[]`, walk, context === '' ? '' : `${context}[]`, owner);
}

/** The JSON Schema, and the fields no reference table describes (a test wants none). */
export function scenarioJsonSchema(sources: SchemaSources): { schema: Json; undescribed: string[] } {
  const { blocks = {}, ...core } = sources.defaults as { blocks?: Json } & Json;
  const docs = new Map([
    ...fieldDescriptions(sources.scenariosMd, '###', (name) => name),
    ...fieldDescriptions(sources.faultsMd, '##', (name) => (name === 'nemesis' ? 'nemesis' : name === 'failure_processes' ? 'failures' : `fault:${name}`)),
  ]);
  const schema = z.toJSONSchema(scenarioSystems().schema, { io: 'input', unrepresentable: 'any' }) as Json;
  const walk: Walk = { describe: (p) => docs.get(p), defaults: { ...core, ...blocks }, missing: [] };
  annotate(schema, '', walk, '', undefined);
  return {
    schema: {
      $schema: schema.$schema,
      title: 'Lorenz scenario',
      description: 'A Lorenz scenario file (docs/scenarios.md). Every field is optional where config/defaults.yml supplies it; a scenario states only what differs.',
      ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
    },
    undescribed: walk.missing,
  };
}
