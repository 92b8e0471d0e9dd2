/**
 * Marks a serialized object as a resource node with a JSON-LD `@type`. A symbol key is invisible to
 * JSON.stringify, for-in and Object.keys/entries; a plain assignment (rather than defineProperty)
 * keeps the node a fast, ordinary object.
 */
export const LD_TYPE = Symbol.for('trade-in-api.ld-type');
/** The node's IRI when a properties[] selection left out `iri` (JSON-LD still needs it for @id). */
export const LD_IRI = Symbol.for('trade-in-api.ld-iri');

export type LdNode = Record<string, unknown> & { [LD_TYPE]?: string; [LD_IRI]?: string };

export function ldNode<T extends object>(type: string, fields: T): T {
  (fields as LdNode)[LD_TYPE] = type;
  return fields;
}

export function ldTypeOf(value: unknown): string | undefined {
  return value && typeof value === 'object' ? (value as LdNode)[LD_TYPE] : undefined;
}

/** Whether a value holds a resource node anywhere (only then does its JSON-LD form differ). */
function holdsNode(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || value instanceof Date) return false;
  if ((value as LdNode)[LD_TYPE] !== undefined) return true;
  if (Array.isArray(value)) return value.some(holdsNode);
  for (const key in value) if (holdsNode((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * Plain JSON → JSON-LD: every resource node gets `@id` (its IRI) and `@type` first.
 * Plain JSON output needs no conversion: the node already is the plain representation.
 * Only nodes (and what leads to them) are copied; plain sub-objects without nodes (a vehicle,
 * condition flags) are shared as they are.
 */
export function toJsonLd(value: unknown): unknown {
  if (!holdsNode(value)) return value;
  if (Array.isArray(value)) return value.map(toJsonLd);
  const type = (value as LdNode)[LD_TYPE];
  const out: Record<string, unknown> = {};
  if (type) {
    out['@id'] = (value as { iri?: string }).iri ?? (value as LdNode)[LD_IRI];
    out['@type'] = type;
  }
  for (const key in value as object) {
    const v = (value as Record<string, unknown>)[key];
    // Primitives are copied as they are (most fields); only objects and arrays are walked.
    out[key] = v === null || typeof v !== 'object' ? v : toJsonLd(v);
  }
  return out;
}

export const contextIri = (type: string) => `/api/v3/contexts/${type}`;
