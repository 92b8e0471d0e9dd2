import type { OpenAPIObject } from '@nestjs/swagger';
import type { CollectionSpec } from './collection';
import { describeFilters } from './filters';
import { appPaths } from './openapi.document';

type Schema = Record<string, unknown>;
type Operation = {
  summary?: string;
  description?: string;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};

export const HYDRA = 'http://www.w3.org/ns/hydra/core#';
export const API_DOCUMENTATION_PATH = '/api/v3/docs.jsonld';

/** A JSON-LD document sent as it is (the API documentation, contexts), always as application/ld+json. */
export class JsonLdDocument {
  constructor(readonly body: object) {}
}

let current: HydraApi | null = null;
/** The Hydra description of the running API (built once at start-up from the OpenAPI document). */
export function useHydra(api: HydraApi): void {
  current = api;
}
export const hydra = (): HydraApi | null => current;

/** The origin the client used (scheme through a trusted proxy), for the absolute IRIs Hydra clients need. */
export const requestOrigin = (req: { protocol: string; get(name: string): string | undefined }) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** Read models that are the same class as another one (an embedded user is a User). */
const CLASS_OF_VIEW: Record<string, string> = { UserRefView: 'User' };
const className = (view: string) => CLASS_OF_VIEW[view] ?? view.replace(/View$/, '');
const lcfirst = (s: string) => s[0].toLowerCase() + s.slice(1);

interface HydraProperty {
  name: string;
  range: string;
  link: boolean;
  many: boolean;
  readable: boolean;
  writable: boolean;
  required: boolean;
  description: string;
}

interface HydraClass {
  name: string;
  description: string;
  properties: HydraProperty[];
  /** Set for resources with a top-level collection. */
  collection?: { path: string; itemPath?: string; spec?: CollectionSpec; list: Operation; create?: Operation };
  itemOperations: [string, Operation][];
}

const REF = '#/components/schemas/';
/** The first schema reference under a node (through arrays, anyOf, allOf), without its variant suffix. */
function firstRef(node: unknown): string | null {
  if (!node || typeof node !== 'object') return null;
  const ref = (node as Schema).$ref;
  if (typeof ref === 'string' && ref.startsWith(REF)) return ref.slice(REF.length).replace(/\.(jsonld|sparse)(\.sparse)?$/, '');
  for (const v of Object.values(node)) {
    const found = firstRef(v);
    if (found) return found;
  }
  return null;
}

function scalarRange(schema: Schema, name: string): string {
  const types = ([] as unknown[]).concat(schema.type ?? []).filter((t) => t !== 'null');
  const type = types[0];
  if (type === 'integer') return 'xmls:integer';
  if (type === 'number') return 'xmls:decimal';
  if (type === 'boolean') return 'xmls:boolean';
  if (type === 'array') return 'xmls:array';
  if (type === 'object') return 'rdf:JSON';
  if (schema.format === 'date-time' || /At$/.test(name)) return 'xmls:dateTime';
  if (typeof schema.example === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(schema.example)) return 'xmls:date';
  return 'xmls:string';
}

/**
 * The Hydra side of the API as API Platform serves it — the entrypoint, the API documentation
 * (`hydra:ApiDocumentation`), a JSON-LD context per class and the `hydra:search` template of
 * each filterable collection — derived from the OpenAPI document (read models, inputs,
 * operations) and the collections' CollectionSpecs, so that all of them describe one API.
 */
export class HydraApi {
  private readonly classes = new Map<string, HydraClass>();
  /** `hydra:search` of each filterable collection, by type, as JSON. */
  private readonly searches = new Map<string, string>();

  constructor(doc: OpenAPIObject, specs: ReadonlyMap<string, CollectionSpec>) {
    const schemas = (doc.components?.schemas ?? {}) as Record<string, Schema>;
    const paths = appPaths(doc) as Record<string, Record<string, Operation>>;
    const isNode = (view: string) => Boolean((schemas[view]?.properties as Schema | undefined)?.iri);

    // Resources: every top-level collection of the dealer API.
    const collections: [string, NonNullable<HydraClass['collection']>][] = [];
    for (const [path, item] of Object.entries(paths)) {
      const m = /^\/api\/v3\/([a-z-]+)$/.exec(path);
      const view = m && item.get ? firstRef(item.get.responses?.['200']?.content?.['application/json']?.schema) : null;
      if (!m || !view || !isNode(view)) continue;
      const itemPath = Object.keys(paths).find((p) => new RegExp(`^${path}/\\{[^}]+\\}$`).test(p));
      collections.push([view, { path, itemPath, spec: specs.get(view), list: item.get, create: item.post }]);
    }

    const addClass = (view: string): string => {
      const name = className(view);
      if (this.classes.has(name)) return name;
      const schema = schemas[view] ?? {};
      const cls: HydraClass = { name, description: typeof schema.description === 'string' ? schema.description : `A ${name}.`, properties: [], itemOperations: [] };
      this.classes.set(name, cls);
      for (const [prop, def] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
        if (prop.startsWith('@')) continue;
        const ref = firstRef(def);
        const many = ([] as unknown[]).concat(def.type ?? []).includes('array');
        const range = ref && schemas[ref] ? `#${addClass(ref)}` : scalarRange(def, prop);
        cls.properties.push({
          name: prop,
          range,
          link: Boolean(ref && isNode(ref)),
          many,
          readable: true,
          writable: false,
          required: false,
          description: typeof def.description === 'string' ? def.description : '',
        });
      }
      return name;
    };

    for (const [view, collection] of collections) {
      const cls = this.classes.get(addClass(view))!;
      cls.collection = collection;
      const itemOps = collection.itemPath ? paths[collection.itemPath] : {};
      cls.itemOperations = Object.entries(itemOps).filter(([method]) => ['get', 'put', 'patch', 'delete'].includes(method));
      // Writable fields: those the create and update bodies take; required: those creation needs.
      const inputs = [collection.create, itemOps.patch].map((op) => schemas[firstRef(op?.requestBody?.content?.['application/json']?.schema) ?? ''] ?? null);
      const requiredOnCreate = new Set((inputs[0]?.required as string[] | undefined) ?? []);
      for (const input of inputs) {
        for (const [prop, def] of Object.entries((input?.properties ?? {}) as Record<string, Schema>)) {
          let p = cls.properties.find((x) => x.name === prop);
          if (!p)
            cls.properties.push(
              (p = {
                name: prop,
                range: scalarRange(def, prop),
                link: false,
                many: false,
                readable: false,
                writable: true,
                required: false,
                description: typeof def.description === 'string' ? def.description : '',
              }),
            );
          p.writable = true;
          p.required = requiredOnCreate.has(prop);
        }
      }
      if (collection.spec) this.searches.set(cls.name, JSON.stringify(this.searchTemplate(collection.path, collection.spec)));
    }
  }

  private searchTemplate(path: string, spec: CollectionSpec): object {
    const filters = describeFilters(spec);
    return {
      '@type': 'hydra:IriTemplate',
      'hydra:template': `${path}{?${filters.map((f) => f.variable).join(',')}}`,
      'hydra:variableRepresentation': 'BasicRepresentation',
      'hydra:mapping': filters.map((f) => ({ '@type': 'IriTemplateMapping', variable: f.variable, property: f.property, required: false })),
    };
  }

  /** The `hydra:search` of a collection of this type (JSON), if it has filters. */
  search(type: string): string | undefined {
    return this.searches.get(type);
  }

  private resources(): HydraClass[] {
    return [...this.classes.values()].filter((c) => c.collection);
  }

  entrypoint(): object {
    const body: Record<string, unknown> = { '@context': '/api/v3/contexts/Entrypoint', '@id': '/api/v3', '@type': 'Entrypoint' };
    for (const c of this.resources()) body[lcfirst(c.name)] = c.collection!.path;
    return body;
  }

  /** `@vocab` of every context: the API documentation of the origin the client used. */
  private vocab(origin: string) {
    return `${origin}${API_DOCUMENTATION_PATH}#`;
  }

  /** The JSON-LD context of a class (terms for its properties), the entrypoint or errors; null when unknown. */
  context(type: string, origin: string): object | null {
    const terms: Record<string, unknown> = { '@vocab': this.vocab(origin), hydra: HYDRA };
    if (type === 'Entrypoint') {
      for (const c of this.resources()) terms[lcfirst(c.name)] = { '@id': `Entrypoint/${lcfirst(c.name)}`, '@type': '@id' };
    } else if (type !== 'Error') {
      const cls = this.classes.get(type);
      if (!cls) return null;
      for (const p of cls.properties) terms[p.name] = p.link ? { '@id': `${type}/${p.name}`, '@type': '@id' } : `${type}/${p.name}`;
    }
    return { '@context': terms };
  }

  private operation(method: string, op: Operation, returns: string, expects?: string): object {
    const action: Record<string, string> = { GET: 'schema:FindAction', POST: 'schema:CreateAction', PUT: 'schema:ReplaceAction', PATCH: 'schema:UpdateAction', DELETE: 'schema:DeleteAction' };
    const title = op.summary ?? `${method} operation`;
    return {
      '@type': ['hydra:Operation', action[method]],
      'hydra:method': method,
      'hydra:title': title,
      'rdfs:label': title,
      ...(op.description ? { 'hydra:description': op.description } : {}),
      ...(expects ? { expects } : {}),
      returns,
    };
  }

  /** The `hydra:ApiDocumentation`: every class with its properties and operations, and the entrypoint. */
  documentation(origin: string, info: { title: string; description?: string }): object {
    const supportedClass: object[] = [];
    for (const c of this.classes.values()) {
      const id = `#${c.name}`;
      supportedClass.push({
        '@id': id,
        '@type': 'hydra:Class',
        'rdfs:label': c.name,
        'hydra:title': c.name,
        'hydra:description': c.description,
        'hydra:supportedProperty': c.properties.map((p) => ({
          '@type': 'hydra:SupportedProperty',
          'hydra:property': {
            '@id': `#${c.name}/${p.name}`,
            '@type': p.link ? 'hydra:Link' : 'rdf:Property',
            'rdfs:label': p.name,
            domain: id,
            range: p.range,
            ...(p.link && !p.many ? { 'owl:maxCardinality': 1 } : {}),
          },
          'hydra:title': p.name,
          'hydra:required': p.required,
          'hydra:readable': p.readable,
          'hydra:writeable': p.writable,
          'hydra:description': p.description,
        })),
        'hydra:supportedOperation': c.itemOperations.map(([method, op]) =>
          this.operation(method.toUpperCase(), op, method === 'delete' ? 'owl:Nothing' : id, method === 'put' || method === 'patch' ? id : undefined),
        ),
      });
    }
    supportedClass.push({
      '@id': '#Entrypoint',
      '@type': 'hydra:Class',
      'hydra:title': 'The API entrypoint',
      'hydra:supportedProperty': this.resources().map((c) => ({
        '@type': 'hydra:SupportedProperty',
        'hydra:property': {
          '@id': `#Entrypoint/${lcfirst(c.name)}`,
          '@type': 'hydra:Link',
          domain: '#Entrypoint',
          'rdfs:label': `The collection of ${c.name} resources`,
          'rdfs:range': [{ '@id': 'hydra:Collection' }, { 'owl:equivalentClass': { 'owl:onProperty': { '@id': 'hydra:member' }, 'owl:allValuesFrom': { '@id': `#${c.name}` } } }],
          'hydra:supportedOperation': [
            this.operation('GET', c.collection!.list, 'hydra:Collection'),
            ...(c.collection!.create ? [this.operation('POST', c.collection!.create, `#${c.name}`, `#${c.name}`)] : []),
          ],
        },
        'hydra:title': `The collection of ${c.name} resources`,
        'hydra:readable': true,
        'hydra:writeable': false,
      })),
      'hydra:supportedOperation': { '@type': 'hydra:Operation', 'hydra:method': 'GET', 'rdfs:label': 'The API entrypoint.', returns: '#Entrypoint' },
    });
    return {
      '@context': {
        '@vocab': this.vocab(origin),
        hydra: HYDRA,
        rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
        rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
        xmls: 'http://www.w3.org/2001/XMLSchema#',
        owl: 'http://www.w3.org/2002/07/owl#',
        schema: 'https://schema.org/',
        domain: { '@id': 'rdfs:domain', '@type': '@id' },
        range: { '@id': 'rdfs:range', '@type': '@id' },
        subClassOf: { '@id': 'rdfs:subClassOf', '@type': '@id' },
        expects: { '@id': 'hydra:expects', '@type': '@id' },
        returns: { '@id': 'hydra:returns', '@type': '@id' },
      },
      '@id': API_DOCUMENTATION_PATH,
      '@type': 'hydra:ApiDocumentation',
      'hydra:title': info.title,
      ...(info.description ? { 'hydra:description': info.description } : {}),
      'hydra:entrypoint': '/api/v3',
      'hydra:supportedClass': supportedClass,
    };
  }
}
