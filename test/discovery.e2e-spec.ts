import { execFile } from 'node:child_process';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jsonld ships no types
const jsonld = require('jsonld') as { expand(doc: object, options: object): Promise<Record<string, unknown>[]> };
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeFilters } from '../src/common/filters';
import { customersResource } from '../src/customers/customers.resource';
import { TRADE_IN_SPEC } from '../src/trade-ins/trade-ins.service';
import { client, setup, TestContext } from './helpers';

/**
 * Hydra and OpenAPI discovery as API Platform clients consume it (issue 14): the entrypoint, the
 * API documentation, contexts, hydra:search and the Link header, checked with
 * @api-platform/api-doc-parser (what API Platform Admin and its client generator use) against
 * the running app.
 */
let ctx: TestContext;
let base: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  ctx = await setup({ publicBaseUrl: base, documentServer: base });
  await ctx.app.listen(port, '127.0.0.1');
});
afterAll(() => ctx.close());

interface Parsed {
  resources: {
    name: string;
    url: string;
    fields: { name: string; reference: string | null; required: boolean }[];
    readable: string[];
    writable: string[];
    operations: { type: string; method: string }[];
    parameters: string[];
  }[];
}

async function parse(mode: 'hydra' | 'openapi', url: string): Promise<Parsed> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, 'tools', 'api-doc-parser.mjs'), mode, url, ctx.a.admin], { timeout: 60_000 });
  return JSON.parse(stdout) as Parsed;
}

const TOP_LEVEL = ['trade-ins', 'customers', 'locations', 'users', 'api-keys', 'reject-reasons', 'picture-types', 'webhooks'];
const ops = (r: Parsed['resources'][number]) => r.operations.map((o) => `${o.type} ${o.method}`).sort();

describe('Hydra', () => {
  it('the entrypoint at /api/v3 lists every collection and every response links the API documentation', async () => {
    const res = await ctx.http().get('/api/v3').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(res.body).toMatchObject({ '@context': '/api/v3/contexts/Entrypoint', '@id': '/api/v3', '@type': 'Entrypoint', tradeIn: '/api/v3/trade-ins', customer: '/api/v3/customers' });
    for (const r of [res, await client(ctx, ctx.a.admin).get('/api/v3/customers'), await ctx.http().get('/api/v3/customers')]) {
      expect(r.headers.link).toContain(`<${base}/api/v3/docs.jsonld>; rel="http://www.w3.org/ns/hydra/core#apiDocumentation"`);
    }
  });

  it('a plain JSON collection keeps its page links next to the documentation link', async () => {
    const m = client(ctx, ctx.a.manager);
    await m.post('/api/v3/customers', { lastName: 'One' }).expect(201);
    await m.post('/api/v3/customers', { lastName: 'Two' }).expect(201);
    const res = await m.get('/api/v3/customers?itemsPerPage=1').expect(200);
    expect(res.headers.link).toMatch(/apiDocumentation/);
    expect(res.headers.link).toMatch(/rel="next"/);
  });

  it('contexts define a term for every field of the class', async () => {
    const res = await ctx.http().get('/api/v3/contexts/TradeIn').expect(200);
    const terms = res.body['@context'];
    expect(terms['@vocab']).toBe(`${base}/api/v3/docs.jsonld#`);
    expect(terms.purchasePrice).toBe('TradeIn/purchasePrice');
    expect(terms.customer).toEqual({ '@id': 'TradeIn/customer', '@type': '@id' });
    expect(terms.vehicleModel).toBe('TradeIn/vehicleModel');
    await ctx.http().get('/api/v3/contexts/NoSuchType').expect(404);
  });

  it('responses expand with their contexts: each field is a term of the API documentation', async () => {
    const res = await client(ctx, ctx.a.manager, 'application/ld+json').post('/api/v3/trade-ins', { note: 'expand me', purchasePrice: 1000 }).expect(201);
    const documentLoader = async (url: string) => {
      const r = await fetch(url, { headers: { Accept: 'application/ld+json' } });
      return { contextUrl: null, documentUrl: url, document: await r.json() };
    };
    const [node] = await jsonld.expand(res.body, { base: `${base}/api/v3/trade-ins`, documentLoader });
    const vocab = `${base}/api/v3/docs.jsonld#`;
    expect(node['@id']).toBe(`${base}${res.body['@id']}`);
    expect(node['@type']).toEqual([`${vocab}TradeIn`]);
    expect(node[`${vocab}TradeIn/note`]).toEqual([{ '@value': 'expand me' }]);
    expect(node[`${vocab}TradeIn/purchasePrice`]).toEqual([{ '@value': 1000 }]);
  });

  it('collections carry hydra:search with every declared filter', async () => {
    const res = await client(ctx, ctx.a.admin, 'application/ld+json').get('/api/v3/trade-ins').expect(200);
    const search = res.body['hydra:search'];
    expect(search['@type']).toBe('hydra:IriTemplate');
    const variables = describeFilters(TRADE_IN_SPEC).map((f) => f.variable);
    expect(search['hydra:mapping'].map((m: { variable: string }) => m.variable)).toEqual(variables);
    expect(search['hydra:template']).toBe(`/api/v3/trade-ins{?${variables.join(',')}}`);
  });

  it('api-doc-parser finds every resource with fields, relations, operations and filters at the right URLs', async () => {
    const api = await parse('hydra', `${base}/api/v3`);
    expect(api.resources.map((r) => r.name).sort()).toEqual([...TOP_LEVEL].sort());
    for (const r of api.resources) expect(r.url).toBe(`${base}/api/v3/${r.name}`);
    const tradeIns = api.resources.find((r) => r.name === 'trade-ins')!;
    expect(ops(tradeIns)).toEqual(['create POST', 'delete DELETE', 'edit PATCH', 'list GET', 'show GET']);
    expect(tradeIns.readable).toEqual(expect.arrayContaining(['id', 'status', 'vehicleModel', 'customer', 'createdAt', 'program']));
    expect(tradeIns.writable).toEqual(expect.arrayContaining(['note', 'customer', 'dealership', 'vehicleModel', 'purchasePrice']));
    expect(tradeIns.writable).not.toContain('createdAt');
    const field = (name: string) => tradeIns.fields.find((f) => f.name === name);
    expect(field('customer')?.reference).toBe('customers');
    expect(field('dealership')?.reference).toBe('locations');
    expect(tradeIns.parameters).toEqual(describeFilters(TRADE_IN_SPEC).map((f) => f.variable));
    const customers = api.resources.find((r) => r.name === 'customers')!;
    expect(customers.parameters).toEqual(describeFilters(customersResource.spec).map((f) => f.variable));
    expect(ops(customers)).toEqual(['create POST', 'delete DELETE', 'edit PATCH', 'list GET', 'show GET']);
  });
});

describe('OpenAPI', () => {
  it('api-doc-parser finds every resource with an item route at the right URL, with its operations and filters', async () => {
    const served = await ctx.http().get('/api/docs.json').expect(200);
    expect(served.body.servers[0].url).toBe(`${base}/api/v3`); // PUBLIC_BASE_URL is set here
    const api = await parse('openapi', `${base}/api/docs.json`);
    // Its rule: a resource is a path ending in /{id}; api-keys has only DELETE there and so is not one.
    expect(api.resources.map((r) => r.name).sort()).toEqual(TOP_LEVEL.filter((n) => n !== 'api-keys').sort());
    for (const r of api.resources) expect(r.url).toBe(`${base}/api/v3/${r.name}`);
    const tradeIns = api.resources.find((r) => r.name === 'trade-ins')!;
    expect(ops(tradeIns)).toEqual(['create POST', 'delete DELETE', 'edit PATCH', 'list GET', 'show GET']);
    expect(tradeIns.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['status', 'vehicleModel', 'customer', 'dealership', 'purchasePrice']));
    expect(tradeIns.fields.find((f) => f.name === 'customer')?.reference).toBe('customers');
    expect(tradeIns.parameters).toEqual(expect.arrayContaining(describeFilters(TRADE_IN_SPEC).map((f) => f.variable)));
  });
});
