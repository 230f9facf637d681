import { z } from 'zod';
import { FAULT_CATALOG } from '../chaos/index.js';

/** One parameter of a fault kind, read off its zod schema. */
export interface FaultParam {
  name: string;
  required: boolean;
  /** The default, as a scenario would write it (undefined: none). */
  defaultValue: unknown;
}

/** The parameters of a fault kind, in schema order, `kind` left out. */
export function faultParams(schema: z.ZodObject): FaultParam[] {
  return Object.entries(schema.shape)
    .filter(([name]) => name !== 'kind')
    .map(([name, field]) => {
      const f = field as z.ZodType;
      const optional = f.safeParse(undefined).success;
      const value = optional ? (f.safeParse(undefined) as { data: unknown }).data : undefined;
      return { name, required: !optional, defaultValue: value };
    });
}

/** The fault catalog as text: name, one line, parameters with their defaults. */
export function listFaults(): string {
  return FAULT_CATALOG.map((f) => {
    const params = faultParams(f.schema as unknown as z.ZodObject).map((p) => {
      const note = p.required ? 'required' : p.defaultValue === undefined ? 'optional' : `default ${JSON.stringify(p.defaultValue)}`;
      return `    ${p.name.padEnd(22)}${note}`;
    });
    return `${f.kind}\n  ${f.summary}\n  parameters:\n${params.join('\n')}`;
  }).join('\n\n') + '\n\nTimes and durations in microseconds where a default is shown. Details and examples: docs/faults.md';
}
