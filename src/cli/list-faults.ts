import { FAULT_CATALOG } from '../chaos/index.js';

/** The fault catalog as text: name, one line, parameters (from each kind's zod schema). */
export function listFaults(): string {
  return FAULT_CATALOG.map((f) => {
    const params = Object.entries(f.schema.shape)
      .filter(([name]) => name !== 'kind')
      .map(([name, schema]) => {
        const optional = (schema as { safeParse(v: unknown): { success: boolean } }).safeParse(undefined).success;
        return `    ${name}${optional ? ' (optional)' : ''}`;
      });
    return `${f.kind}\n  ${f.summary}\n  parameters:\n${params.join('\n')}`;
  }).join('\n\n') + '\n\nDetails and examples: docs/faults.md';
}
