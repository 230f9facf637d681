/** Paths (dot-joined) whose values replace the defaults whole instead of merging. */
const REPLACE_WHOLE = new Set(['topology.clouds']);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep-merges `over` onto `base`: objects key by key, everything else (lists too) replaced. */
export function mergeOver(base: unknown, over: unknown, path: string[] = []): unknown {
  if (!isPlainObject(base) || !isPlainObject(over) || REPLACE_WHOLE.has(path.join('.'))) {
    return over === undefined ? base : over;
  }
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeOver(base[k], v, [...path, k]);
  return out;
}

/** Sets `value` at a dotted path, creating objects on the way (for --set). */
export function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let obj: Record<string, unknown> = target;
  for (const k of keys.slice(0, -1)) {
    const next = obj[k];
    if (!isPlainObject(next)) obj[k] = {};
    obj = obj[k] as Record<string, unknown>;
  }
  obj[keys[keys.length - 1]!] = value;
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
