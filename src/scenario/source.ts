import { isMap, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { ScenarioError } from './errors.js';

/** Most aliases (`*name`) a file may expand: beyond this it is a resource attack ("billion laughs"), not a scenario. */
const MAX_ALIASES = 1000;
/** Deepest nesting of mappings and lists a scenario needs is about 8; beyond this it is not a scenario either. */
const MAX_DEPTH = 64;
/** Keys that would reach JavaScript's object machinery instead of a setting. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A parsed YAML file that remembers where each value came from. */
export class YamlSource {
  private constructor(
    readonly file: string,
    readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  static parse(file: string, text: string): YamlSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) {
      const pos = lines.linePos(first.pos[0]);
      const where = `${file}:${pos.line}:${pos.col}`;
      const what = first.message.split('\n')[0];
      throw new ScenarioError(`${where}: this is not valid YAML: ${what}. Fix the syntax at that spot and run again.`);
    }
    const where = (node: { range?: [number, number, number] | null } | null | undefined): string => {
      const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
      return `${file}:${line}:${col}`;
    };
    visit(doc, {
      Pair(_, pair, path) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined && FORBIDDEN_KEYS.has(key)) {
          throw new ScenarioError(`${where(pair.key as { range?: [number, number, number] })}: "${key}" cannot be a key in a scenario (it names JavaScript's object machinery, not a setting). Remove it.`);
        }
        if (path.filter((n) => isMap(n) || (n as { items?: unknown }).items !== undefined).length > MAX_DEPTH) {
          throw new ScenarioError(`${where(pair.key as { range?: [number, number, number] })}: the YAML nests deeper than ${MAX_DEPTH} levels; a scenario needs fewer than ten. Flatten it.`);
        }
      },
    });
    return new YamlSource(file, doc, lines);
  }

  toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
    } catch (e) {
      if (e instanceof ReferenceError || (e as Error).message.includes('alias')) {
        throw new ScenarioError(`${this.file}: the YAML expands more than ${MAX_ALIASES} aliases (${(e as Error).message.split('\n')[0]}); a scenario has no need of that many. Write the values out, or use fewer anchors.`);
      }
      throw e;
    }
  }

  /** Whether this file writes a value at exactly `path`. */
  has(path: ReadonlyArray<PropertyKey>): boolean {
    return this.doc.hasIn(path as unknown[]);
  }

  /**
   * "file:line:col" of the value at `path`, or of the closest ancestor that
   * exists in this file; undefined when not even the first key is here.
   */
  locate(path: ReadonlyArray<PropertyKey>): string | undefined {
    for (let n = path.length; n >= 1; n--) {
      const node = this.doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
      if (node && node.range) {
        const { line, col } = this.lines.linePos(node.range[0]);
        return `${this.file}:${line}:${col}`;
      }
    }
    return undefined;
  }
}
