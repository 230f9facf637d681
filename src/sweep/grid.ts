import { isSeq, parseDocument } from 'yaml';
import { ScenarioError } from '../scenario/index.js';

/** One `--grid key=v1,v2` flag: a setting and the values it takes, each kept as the YAML text the user wrote. */
export interface GridAxis {
  key: string;
  values: string[];
}

/** One point of the grid: the value text per axis (in flag order) and the `--set`s that make it. */
export interface Combination {
  index: number;
  values: string[];
  set: string[];
}

/**
 * Parses `--grid key=v1,v2,...`. The values are split as a YAML flow
 * sequence, so a value may itself be a list or a map (`k=[a, b],{x: 1}`),
 * and each is later parsed as YAML exactly like `--set`.
 */
export function parseGridAxis(arg: string): GridAxis {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new ScenarioError(`--grid ${arg}: expected key.path=value1,value2,..., for example --grid pipeline.distribution.replication_factor=2,3.`);
  const key = arg.slice(0, eq);
  const flow = `[${arg.slice(eq + 1)}]`;
  const doc = parseDocument(flow);
  if (doc.errors.length > 0 || !isSeq(doc.contents)) throw new ScenarioError(`--grid ${arg}: the values are not a comma-separated YAML list (${doc.errors[0]?.message.split('\n')[0] ?? 'not a list'}).`);
  const values = doc.contents.items.map((item) => {
    const range = (item as { range?: readonly number[] | null }).range;
    if (!range) throw new ScenarioError(`--grid ${arg}: cannot read the value ${String(item)}; quote it.`);
    return flow.slice(range[0], range[1]);
  });
  if (values.length === 0) throw new ScenarioError(`--grid ${arg}: no values; give at least one, for example --grid ${key}=2,3.`);
  const twice = values.find((v, i) => values.indexOf(v) !== i);
  if (twice !== undefined) throw new ScenarioError(`--grid ${arg}: the value ${twice} is given twice.`);
  return { key, values };
}

/** Checks the axes against each other and the `--set`s: one axis per key, and no key also fixed by --set. */
export function checkGrid(axes: readonly GridAxis[], set: readonly string[]): void {
  axes.forEach((a, i) => {
    if (axes.findIndex((b) => b.key === a.key) !== i) throw new ScenarioError(`--grid ${a.key}=...: the key is given by two --grid flags; list all its values in one.`);
    const fixed = set.find((s) => s.slice(0, s.indexOf('=')) === a.key);
    if (fixed) throw new ScenarioError(`--grid ${a.key}=${a.values.join(',')}: the key is also fixed by --set ${fixed}; drop one of them.`);
  });
}

/** Every combination, the first axis varying slowest; no axes give the one empty combination. Index 0 is the baseline of paired comparisons. */
export function combinations(axes: readonly GridAxis[]): Combination[] {
  let points: string[][] = [[]];
  for (const axis of axes) points = points.flatMap((p) => axis.values.map((v) => [...p, v]));
  return points.map((values, index) => ({ index, values, set: values.map((v, i) => `${axes[i]!.key}=${v}`) }));
}

/** The `--grid` flag a combination's `--set` came from, to name it in errors. */
export const gridFlag = (axis: GridAxis): string => `--grid ${axis.key}=${axis.values.join(',')}`;
