/** Marks a serialized object as a resource node with a JSON-LD `@type` (invisible to JSON.stringify). */
export const LD_TYPE = Symbol.for('trade-in-api.ld-type');

export type LdNode = Record<string, unknown> & { [LD_TYPE]?: string };

export function ldNode<T extends object>(type: string, fields: T): T {
  Object.defineProperty(fields, LD_TYPE, { value: type, enumerable: false });
  return fields;
}

export function ldTypeOf(value: unknown): string | undefined {
  return value && typeof value === 'object' ? (value as LdNode)[LD_TYPE] : undefined;
}

/**
 * Plain JSON → JSON-LD: every resource node gets `@id` (its IRI) and `@type` first.
 * Plain JSON output needs no conversion: the node already is the plain representation.
 */
export function toJsonLd(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonLd);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const type = (value as LdNode)[LD_TYPE];
  const out: Record<string, unknown> = {};
  if (type) {
    out['@id'] = (value as { iri?: string }).iri;
    out['@type'] = type;
  }
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    // Primitives are copied as they are (most fields); only objects and arrays are walked.
    out[key] = v === null || typeof v !== 'object' ? v : toJsonLd(v);
  }
  return out;
}

export const contextIri = (type: string) => `/api/v3/contexts/${type}`;
