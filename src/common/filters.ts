import type { CollectionSpec } from './collection';

/** One query parameter a collection's filters and order accept, described once for OpenAPI and Hydra. */
export interface FilterParameter {
  /** The query parameter, e.g. `status[]`, `createdAt[after]`, `order[vehicleModel.make]`. */
  variable: string;
  /** The property it reads, e.g. `vehicleModel.make`. */
  property: string;
  schema: Record<string, unknown>;
  description: string;
  /** A repeatable parameter (form, exploded). */
  array?: boolean;
}

const DATE_OPERATORS = ['after', 'before', 'strictly_after', 'strictly_before'];
const RANGE_OPERATORS = ['gt', 'gte', 'lt', 'lte', 'between'];

/**
 * Every parameter a CollectionSpec declares, in API Platform's naming: the same declaration
 * that drives the SQL (applyFilters/applyOrder) gives the OpenAPI parameters and the Hydra
 * `hydra:search` template.
 */
export function describeFilters(spec: CollectionSpec, iriPrefix = '/api/v3'): FilterParameter[] {
  return [
    ...Object.keys(spec.order).map((f) => ({
      variable: `order[${f}]`,
      property: f,
      schema: { type: 'string', enum: ['ASC', 'DESC', 'asc', 'desc'] },
      description: `Sort by ${f}.`,
    })),
    ...Object.entries(spec.exact ?? {}).flatMap(([f, def]) => {
      // `values` by reference: a feature's vocabulary may grow after its decorators ran (trade-ins/trade-in.statuses.ts).
      const schema = def.values ? { type: 'string', enum: def.values } : { type: 'string' };
      return [
        { variable: f, property: f, schema, description: def.iriOf ? `Exact match: IRI (${iriPrefix}/${def.iriOf}/{id}) or id.` : 'Exact match.' },
        { variable: `${f}[]`, property: f, schema: { type: 'array', items: schema }, description: 'Any of these values.', array: true },
      ];
    }),
    ...Object.entries(spec.partial ?? {}).map(([f, def]) => ({
      variable: f,
      property: f,
      schema: { type: 'string' },
      description: typeof def === 'string' ? 'Partial, case-insensitive match.' : 'Partial match, case- and accent-insensitive (skoda finds Škoda).',
    })),
    ...Object.keys(spec.exists ?? {}).map((f) => ({
      variable: `exists[${f}]`,
      property: f,
      schema: { type: 'boolean' },
      description: `true: only items that have a ${f}; false: only items without one.`,
    })),
    ...Object.keys(spec.date ?? {}).flatMap((f) =>
      DATE_OPERATORS.map((op) => ({ variable: `${f}[${op}]`, property: f, schema: { type: 'string', format: 'date-time' }, description: `${f} ${op.replace('_', ' ')} this date.` })),
    ),
    ...Object.keys(spec.range ?? {}).flatMap((f) =>
      RANGE_OPERATORS.map((op) => ({
        variable: `${f}[${op}]`,
        property: f,
        schema: { type: 'string' },
        description: op === 'between' ? `${f} between min..max, e.g. 1000..5000.` : `${f} ${op} value.`,
      })),
    ),
  ];
}
