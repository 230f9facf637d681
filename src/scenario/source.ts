import { LineCounter, parseDocument, type Document } from 'yaml';
import { ScenarioError } from './errors.js';

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
    return new YamlSource(file, doc, lines);
  }

  toJS(): unknown {
    return this.doc.toJS() ?? {};
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
