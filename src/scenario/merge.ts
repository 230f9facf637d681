import { FORBIDDEN_KEYS } from './source.js';

/** Paths (dot-joined) whose values replace the defaults whole instead of merging. */
const REPLACE_WHOLE = new Set(['topology.clouds']);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Deep-merges `over` onto `base`: objects key by key, everything else (lists
 * too) replaced. A distribution (an object with `dist`) is one value: a
 * scenario's lognormal replaces a default normal instead of mixing fields.
 */
export function mergeOver(base: unknown, over: unknown, path: string[] = []): unknown {
  if (!isPlainObject(base) || !isPlainObject(over) || REPLACE_WHOLE.has(path.join('.')) || 'dist' in over) {
    return over === undefined ? base : over;
  }
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeOver(base[k], v, [...path, k]);
  return out;
}

/**
 * Sets `value` at a dotted path (for --set), creating objects on the way; a
 * numeric step indexes into an existing list (`faults.0.at`).
 */
export function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  const bad = keys.find((k) => FORBIDDEN_KEYS.has(k) || k === '');
  if (bad !== undefined) throw new RangeError(bad === '' ? 'an empty step in the key path' : `"${bad}" is not a setting (it names JavaScript's object machinery)`);
  const index = (list: unknown[], k: string): number => {
    if (!/^\d+$/.test(k) || Number(k) >= list.length) throw new RangeError(`"${k}" is not an index of a list of ${list.length}`);
    return Number(k);
  };
  let obj: Record<string, unknown> | unknown[] = target;
  for (const k of keys.slice(0, -1)) {
    const next: unknown = Array.isArray(obj) ? obj[index(obj, k)] : obj[k];
    if (isPlainObject(next) || Array.isArray(next)) obj = next;
    else {
      const fresh = {};
      if (Array.isArray(obj)) obj[Number(k)] = fresh;
      else obj[k] = fresh;
      obj = fresh;
    }
  }
  const last = keys[keys.length - 1]!;
  if (Array.isArray(obj)) obj[index(obj, last)] = value;
  else obj[last] = value;
}

/** JSON with object keys sorted, so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
