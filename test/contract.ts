/**
 * Contract checks: every response a test receives is validated against the committed OpenAPI 3.1
 * document (openapi/openapi.json) — the status must be documented for the operation, the content type
 * documented for that status, and the body must match the JSON Schema (draft 2020-12, as OpenAPI 3.1
 * uses). Driven only by the document, so routes added later are covered without changes here.
 *
 * Also, for every response: error bodies are problem documents naming the issue and reveal nothing
 * internal; plain JSON never carries JSON-LD keys.
 */
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseQs } from 'qs';
import type request from 'supertest';
import { appPaths } from '../src/common/openapi.document';

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

export const OPENAPI_PATH = join(__dirname, '..', 'openapi', 'openapi.json');
const committed = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
/** The committed document, its paths as the app routes them (`/api/v3/...`; the document's are relative to their servers). */
export const openapi = { ...committed, paths: appPaths(committed) } as {
  paths: Record<string, Record<string, Operation & { parameters?: Json[]; requestBody?: Json }>>;
  components: { schemas: Record<string, Json> };
};

/** Routes deliberately left out of the document (the docs themselves, the Hydra entrypoint, documentation and contexts, the error types). */
const UNDOCUMENTED = [/^\/api\/docs(\/|\.json$|$)/, /^\/api\/v3\/contexts\//, /^\/api\/v3(\/docs\.jsonld)?$/, /^\/errors\/[^/]+$/];

/** What an error body must never contain. */
export const INTERNALS =
  /\bat [\w.<>]+ \(|node_modules|\/work\/|\.[jt]s:\d+:\d+|QueryFailedError|TypeORMError|EntityNotFound|SQLITE_[A-Z]|\bER_[A-Z_]{3,}|SQL syntax|syntax error|\bt\.tenant_?[iI]d\b|\bFROM `|\bWHERE `|\bstack\b/;

function deepMap(node: unknown, fn: (obj: Json) => Json): unknown {
  if (Array.isArray(node)) return node.map((n) => deepMap(n, fn));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = deepMap(v, fn);
  return fn(out);
}

const retarget = (prefix: string) => (o: Json) => (typeof o.$ref === 'string' ? { ...o, $ref: o.$ref.replace(/^#\//, `${prefix}#/`) } : o);
/**
 * The document answers `anyOf` the full and the sparse (`*.sparse`) view where `properties[]` may
 * select fields; without properties[] in the request the full view must match, so the strict
 * checks read the sparse branch as the full one.
 */
const fullForm = (o: Json) => (typeof o.$ref === 'string' ? { ...o, $ref: o.$ref.replace(/\.sparse$/, '') } : o);
/** Under `properties[]` only the selected fields come back, so nothing is required. */
const dropRequired = (o: Json) => {
  const { required: _r, ...rest } = o;
  return Array.isArray(_r) ? rest : o;
};

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
ajv.addSchema({ $id: 'strict', components: deepMap(deepMap(openapi.components, fullForm), retarget('strict')) });
ajv.addSchema({ $id: 'loose', components: deepMap(deepMap(openapi.components, retarget('loose')), dropRequired) });

const templates = Object.keys(openapi.paths)
  .map((t) => ({ t, params: (t.match(/\{/g) ?? []).length, re: new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '([^/]+)')}$`) }))
  .sort((a, b) => a.params - b.params);

/** The documented path template a concrete path belongs to (literal segments win over parameters). */
export function matchTemplate(path: string): string | null {
  return templates.find((x) => x.re.test(path))?.t ?? null;
}

const cache = new Map<string, ValidateFunction>();
function validatorFor(key: string, schema: Json, loose: boolean): ValidateFunction {
  const k = `${loose}:${key}`;
  let v = cache.get(k);
  if (!v) {
    const prefix = loose ? 'loose' : 'strict';
    let s = deepMap(loose ? schema : deepMap(schema, fullForm), retarget(prefix)) as Json;
    if (loose) s = deepMap(s, dropRequired) as Json;
    v = ajv.compile(s);
    cache.set(k, v);
  }
  return v;
}

function findJsonLdKeys(node: unknown, path = ''): string | null {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) {
      const f = findJsonLdKeys(n, `${path}[${i}]`);
      if (f) return f;
    }
    return null;
  }
  if (!node || typeof node !== 'object') return null;
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('@') || k.startsWith('hydra:')) return `${path}.${k}`;
    const f = findJsonLdKeys(v, `${path}.${k}`);
    if (f) return f;
  }
  return null;
}

export interface Checked {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The request body as sent (a form-encoded GET body carries collection parameters). */
  requestBody?: unknown;
}

/** Problems of one response against the document; empty when it conforms. */
export function contractErrors(r: Checked): string[] {
  const errors: string[] = [];
  const method = r.method.toLowerCase();
  // The path as sent (WHATWG URL parsing would normalise %2e%2e segments the server never saw).
  const rawPath = r.url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0] || '/';
  const u = { search: r.url.includes('?') ? r.url.slice(r.url.indexOf('?')) : '' };
  // Express routing is not strict about a trailing slash.
  const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
  const type = String(r.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  const hasBody = r.text !== undefined && r.text !== '' && method !== 'head';
  let body: unknown = undefined;
  if (hasBody && /[/+]json$/.test(type)) {
    try {
      body = JSON.parse(r.text);
    } catch {
      errors.push(`body is not valid JSON although Content-Type is ${type}`);
    }
  }

  if (r.status >= 400) {
    const b = body as Json | undefined;
    if (!b || typeof b !== 'object' || b.status !== r.status || typeof b.detail !== 'string' || !b.detail.trim() || typeof b.title !== 'string' || typeof b.type !== 'string') {
      errors.push(`error ${r.status} without a problem body naming the issue: ${r.text?.slice(0, 300)}`);
    }
    if (INTERNALS.test(r.text ?? '')) errors.push(`error body reveals internals: ${r.text.slice(0, 300)}`);
  }
  if (r.status >= 500) errors.push(`server error ${r.status}`);
  if (UNDOCUMENTED.some((re) => re.test(path))) return errors;
  if ((type === 'application/json' || type === 'application/problem+json') && body !== undefined) {
    const ld = findJsonLdKeys(body);
    if (ld) errors.push(`plain JSON response carries the JSON-LD key ${ld}`);
  }

  const template = matchTemplate(path);
  const op = template ? openapi.paths[template][method] : undefined;
  if (!op) {
    // Not a documented operation: only a "no such route" answer is acceptable.
    if (r.status !== 404 && r.status !== 405 && !(method === 'head' || method === 'options')) {
      errors.push(`${r.method} ${path} is not documented, yet answered ${r.status}`);
    }
    return errors;
  }
  const resp = op.responses[String(r.status)];
  if (!resp) {
    errors.push(`status ${r.status} is not documented for ${r.method.toUpperCase()} ${template} (documented: ${Object.keys(op.responses).join(', ')})`);
    return errors;
  }
  if (!hasBody) {
    if (resp.content && Object.keys(resp.content).length && r.status !== 204 && method !== 'head') errors.push(`empty body, but ${r.status} documents content`);
    return errors;
  }
  const media = resp.content?.[type];
  if (!media) {
    errors.push(`Content-Type ${type || '(none)'} is not documented for ${r.status} of ${r.method.toUpperCase()} ${template} (documented: ${Object.keys(resp.content ?? {}).join(', ') || 'none'})`);
    return errors;
  }
  if (media.schema && body !== undefined) {
    const formBody = typeof r.requestBody === 'string' ? parseQs(r.requestBody) : r.requestBody && typeof r.requestBody === 'object' ? r.requestBody : {};
    const selects = /(^|[?&])properties(\[|%5B|=|&|$)/i;
    const loose = selects.test(u.search) || (method === 'get' && 'properties' in formBody);
    const validate = validatorFor(`${template} ${method} ${r.status} ${type}`, media.schema, loose);
    if (!validate(body)) {
      const details = (validate.errors ?? [])
        .slice(0, 8)
        .map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
      errors.push(`body does not match the documented schema for ${r.status} ${type} of ${r.method.toUpperCase()} ${template}: ${details.join('; ')}`);
    }
  }
  return errors;
}

export class ContractViolation extends Error {}

/** Throws when a supertest response breaks the contract. */
export function assertContract(method: string, url: string, res: request.Response, requestBody?: unknown): void {
  const errors = contractErrors({ method, url, status: res.status, headers: res.headers, text: res.text, requestBody });
  if (errors.length) throw new ContractViolation(`Contract violation for ${method.toUpperCase()} ${url} → ${res.status}:\n  - ${errors.join('\n  - ')}`);
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options']);

/** Wraps a supertest agent so every response it gets is checked against the contract. */
export function contractChecked<T extends object>(agent: T): T {
  return new Proxy(agent, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || !METHODS.has(prop) || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const test = value.apply(target, args) as request.Test & { method: string; url: string; _data?: unknown };
        const end = test.end.bind(test);
        test.end = (fn?: (err: unknown, res: request.Response) => void) =>
          end((err: unknown, res: request.Response) => {
            let error = err;
            if (res) {
              try {
                assertContract(test.method, test.url, res, test._data);
              } catch (e) {
                error = err ? new Error(`${(err as Error).message}\n${(e as Error).message}`) : e;
              }
            }
            fn?.(error, res);
          });
        return test;
      };
    },
  });
}
