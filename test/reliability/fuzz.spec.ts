/**
 * Fuzzing every route of openapi/openapi.json with fast-check: >= 10,000 seeded requests, half of
 * them hostile (boundary and hostile bodies, null in every field, compressed and corrupt-encoded
 * bodies, query strings, headers), half well-formed (own ids, valid bodies, the right credentials)
 * so that at least 30 % reach the business rules. Required: no 5xx, every response conforms to the
 * document (errors are problem documents naming the issue, nothing internal), failed writes change
 * nothing (the programme's rows included), another tenant's id answers as a missing one does and
 * never shows up in a list, and the database invariants hold afterwards.
 *
 *   FUZZ_SEED=1234 FUZZ_RUNS=10000 npm run test:reliability -- fuzz
 */
import fc from 'fast-check';
import request from 'supertest';
import { contractErrors } from '../contract';
import { client, setup, TestContext } from '../helpers';
import { noPhotosRequired } from '../programme-flow';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { FuzzRequest, OPERATIONS, Ref, requestArb, wellFormedArb } from './generators';
import { dbInvariants } from './invariants';
import { VIOLATION_CODES } from '../../src/common/validation';

/** The programme's routes for callers without a session: the tenant in their path is public. */
const ANONYMOUS_ROUTES = new Set(['/api/{tenant}/auth/register', '/api/{tenant}/auth/login', '/api/{tenant}/auth/password-reset/request', '/api/{tenant}/auth/password-reset']);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/** At least this share of the requests must reach the business rules (2xx, 409, 412), not only the edge checks. */
const MIN_BUSINESS_SHARE = 0.3;

const TABLES: Record<string, string> = {
  customers: 'customers',
  locations: 'locations',
  'trade-ins': 'trade_ins',
  users: 'users',
  'api-keys': 'api_keys',
  pictures: 'trade_in_pictures',
  comments: 'trade_in_comments',
};
const TRACKED = ['customers', 'locations', 'trade-ins'];

let ctx: TestContext;
let base: string;
/** Users and keys the fuzzer authenticates with: kept out of the pools so it does not revoke itself. */
const reserved = { users: new Set<number>(), 'api-keys': new Set<number>() };
/** Programme customers' session tokens (tenant A and B) and the tenants' slugs. */
const tokens = { customer: '', foreignCustomer: '' };
const slugs = { own: '', foreign: '' };

beforeAll(async () => {
  // FUZZ_LOG=error shows the server's log (stack traces of 5xx) while replaying a seed.
  ctx = await setup({ logLevel: process.env.FUZZ_LOG ?? 'silent' });
  await ctx.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(ctx.app.getHttpServer().address() as { port: number }).port}`;
  for (const t of [ctx.a, ctx.b]) {
    for (const u of await ctx.ds.query<{ id: number }[]>(`SELECT id FROM users WHERE tenant_id = ${t.tenantId}`)) reserved.users.add(Number(u.id));
    for (const k of await ctx.ds.query<{ id: number }[]>(`SELECT id FROM api_keys WHERE tenant_id = ${t.tenantId}`)) reserved['api-keys'].add(Number(k.id));
  }
  // Programme customers (their own logout would end the session: the fuzzer re-logs in, see below).
  for (const [side, t] of [
    ['own', ctx.a],
    ['foreign', ctx.b],
  ] as const) {
    const slug = (await ctx.ds.query<{ slug: string }[]>(`SELECT slug FROM tenants WHERE id = ${t.tenantId}`))[0].slug;
    slugs[side] = slug;
    // The fuzzed submission is submitted without photos (issue 17 made one photo required by default).
    await noPhotosRequired(ctx, t.admin, slug);
    await client(ctx, t.admin).post(`/api/${slug}/admin/valuations`, { product_id: 'prod_123', make: 'Volkswagen', model: 'Golf', year_from: 2015, year_to: 2024, base_value: 9000 }).expect(201);
    await ctx
      .http()
      .post(`/api/${slug}/auth/register`)
      .send({ email: `fuzz@${slug}.example`, password: 'correct horse battery', last_name: 'Fuzz' })
      .expect(202);
    const reg = await ctx
      .http()
      .post(`/api/${slug}/auth/login`)
      .send({ email: `fuzz@${slug}.example`, password: 'correct horse battery' })
      .expect(200);
    tokens[side === 'own' ? 'customer' : 'foreignCustomer'] = reg.body.token;
    const sub = await ctx
      .http()
      .post(`/api/${slug}/submissions`)
      .set('Authorization', `Bearer ${reg.body.token}`)
      .send({ product_id: 'prod_123', serial_number: 'SN-1', condition: 'good', make: 'Volkswagen', model: 'Golf', mileage: 1000, first_registration_date: '2019-01-01' })
      .expect(201);
    await ctx.http().post(`/api/${slug}/submissions/${sub.body.id}`).set('Authorization', `Bearer ${reg.body.token}`).expect(200);
  }
  // Some data in both tenants to aim at.
  for (const keys of [ctx.a, ctx.b]) {
    const admin = client(ctx, keys.admin);
    await admin.post('/api/v3/locations', { name: 'Main' }).expect(201);
    const cust = (await admin.post('/api/v3/customers', { lastName: 'Fuzz' }).expect(201)).body.id;
    await admin.post('/api/v3/users', { email: `extra@${keys.tenantId}.example`, name: 'Extra', role: 'manager' }).expect(201);
    for (let i = 0; i < 3; i++) {
      const t = (
        await admin
          .post('/api/v3/trade-ins', { customer: `/api/v3/customers/${cust}`, vehicleModel: { make: 'VW', model: 'Golf', regNr: `R${i}`, mileage: 1000, firstRegistrationDate: '2020-01-01' } })
          .expect(201)
      ).body.id;
      await admin.post(`/api/v3/trade-ins/${t}/pictures`, [{ url: 'https://x.example/1', pictureType: '/api/v3/picture-types/odometer' }, { url: 'https://x.example/2' }]).expect(200);
      await admin.post(`/api/v3/trade-ins/${t}/comments`, [{ comment: 'hello' }]).expect(200);
    }
  }
}, 120_000);
afterAll(() => ctx.close());

type Pools = Record<'own' | 'foreign', Record<string, string[]>>;

/** Identifiers of the programme's resources, as its routes spell them. */
const PROGRAM_POOLS: Record<string, string> = {
  submissions: 'SELECT trade_in_id AS id FROM trade_in_programs WHERE tenant_id = ? ORDER BY trade_in_id',
  offers: 'SELECT id FROM program_offers WHERE tenant_id = ? ORDER BY id',
  photos: 'SELECT public_id AS id FROM program_photos WHERE tenant_id = ? ORDER BY id',
  valuations: 'SELECT id FROM program_valuations WHERE tenant_id = ? ORDER BY id',
};
const PROGRAM_PREFIX: Record<string, string> = { submissions: 'sub_', offers: 'off_' };

async function loadPools(): Promise<Pools> {
  const pools: Pools = { own: {}, foreign: {} };
  for (const [side, tenantId] of [
    ['own', ctx.a.tenantId],
    ['foreign', ctx.b.tenantId],
  ] as const) {
    for (const [pool, table] of Object.entries(TABLES)) {
      const rows = await ctx.ds.query<{ id: number }[]>(`SELECT id FROM ${table} WHERE tenant_id = ${tenantId} ORDER BY id`);
      pools[side][pool] = rows
        .map((r) => Number(r.id))
        .filter((id) => !(reserved as Record<string, Set<number>>)[pool]?.has(id))
        .map(String);
    }
    for (const [pool, sql] of Object.entries(PROGRAM_POOLS)) {
      const rows = await ctx.ds.query<{ id: number | string }[]>(sql, [tenantId]);
      pools[side][pool] = rows.map((r) => `${PROGRAM_PREFIX[pool] ?? ''}${r.id}`);
    }
    pools[side].tenant = [slugs[side]];
  }
  return pools;
}

function resolve(ref: Ref, pools: Pools): string {
  if (ref.kind === 'literal') return ref.value;
  const list = pools[ref.kind][ref.pool] ?? [];
  return list.length ? list[ref.n % list.length] : '999999';
}

function fillIris(v: unknown, pools: Pools, foreignUsed: string[], path = ''): unknown {
  if (Array.isArray(v)) return v.map((x, i) => fillIris(x, pools, foreignUsed, `${path}[${i}]`));
  if (v && typeof v === 'object') {
    const iri = (v as { $iri?: Ref & { pool: string } }).$iri;
    if (iri) {
      if (iri.kind === 'foreign') foreignUsed.push(path);
      return `/api/v3/${iri.pool}/${resolve(iri, pools)}`;
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillIris(x, pools, foreignUsed, path ? `${path}.${k}` : k)]));
  }
  return v;
}

const enc = (s: string) => s.replace(/[^\x21-\x7e]|[%](?![0-9A-Fa-f]{2})/g, (c) => encodeURIComponent(c));

/** The credentials header a request carries. */
function credentials(k: FuzzRequest['key']): [string, string] | undefined {
  if (k === 'customer' || k === 'foreignCustomer') return ['Authorization', `Bearer ${tokens[k]}`];
  const key = { manager: ctx.a.manager, admin: ctx.a.admin, readonly: ctx.a.readonly, foreign: ctx.b.manager, none: undefined, garbage: 'tik_garbage-garbage-garbage-garbage' }[k];
  return key ? ['X-API-Key', key] : undefined;
}

/** A customer who logged out (fuzzed POST auth/logout) logs in again, so later requests still act as them. */
async function refreshSessions(): Promise<void> {
  for (const [side, k] of [
    ['own', 'customer'],
    ['foreign', 'foreignCustomer'],
  ] as const) {
    const me = await request(base).get(`/api/${slugs[side]}/auth/me`).set('Authorization', `Bearer ${tokens[k]}`);
    if (me.status === 200) continue;
    const login = await request(base)
      .post(`/api/${slugs[side]}/auth/login`)
      .send({ email: `fuzz@${slugs[side]}.example`, password: 'correct horse battery' });
    if (login.status === 200) tokens[k] = login.body.token;
  }
}

/** superagent's serializer that sends the Buffer as it is (its type says string). */
const asIs = ((b: Buffer) => b) as unknown as (body: unknown) => string;

/** The body's bytes under its Content-Encoding: compressed, or not that encoding at all when corrupt. */
function encoded(body: string, encoding: FuzzRequest['encoding']): Buffer {
  const raw = Buffer.from(body);
  if (!encoding) return raw;
  const compress = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync }[encoding.name];
  if (!compress) return raw;
  return encoding.corrupt ? Buffer.concat([compress(raw).subarray(0, 4), raw]) : compress(raw);
}

const num = (v: string | undefined) => (v !== undefined && /^(sub_|off_)?[0-9]{1,9}$/.test(v) ? Number(v.replace(/^(sub_|off_)/, '')) : null);

/** The rows a write may change, as [table, condition]: the item and its children, and the programme's rows of a trade-in. */
function touchedBy(template: string, itemId: string | undefined, body: string | undefined, tenantId: number): [string, string][] {
  const segs = template.split('/');
  const out: [string, string][] = [];
  const tradeIn = (id: number) => {
    out.push(['trade_ins', `id = ${id}`]);
    for (const child of ['trade_in_pictures', 'trade_in_comments', 'trade_in_status_changes', 'program_offers', 'program_photos']) out.push([child, `trade_in_id = ${id}`]);
    out.push(['trade_in_programs', `trade_in_id = ${id}`]);
  };
  const id = num(itemId);
  if (segs[2] === 'v3') {
    if (id !== null && segs[3] === 'trade-ins') tradeIn(id);
    else if (id !== null && TABLES[segs[3]]) out.push([TABLES[segs[3]], `id = ${id}`]);
    return out;
  }
  // The programme (/api/{tenant}/...).
  const what = segs[3];
  if (what === 'submissions' && id !== null) tradeIn(id);
  if (what === 'offers' && id !== null) out.push(['program_offers', `id = ${id}`]);
  if (what === 'offers' && segs.length === 4) {
    let sub: number | null = null;
    try {
      sub = num(String((JSON.parse(body ?? '{}') as { submission_id?: unknown }).submission_id));
    } catch {
      sub = null;
    }
    if (sub !== null) tradeIn(sub);
  }
  if (what === 'admin' && segs[4] === 'valuations') out.push(id !== null ? ['program_valuations', `id = ${id}`] : ['program_valuations', `tenant_id = ${tenantId}`]);
  if (what === 'admin' && segs[4] === 'condition-modifiers') out.push(['program_condition_modifiers', `tenant_id = ${tenantId}`]);
  if (what === 'submissions' && segs.length === 4) out.push(['trade_in_programs', `tenant_id = ${tenantId}`]);
  return out;
}

/** A row as JSON, to see whether a failed write touched it. */
async function snapshot(table: string, where: string): Promise<string> {
  const order = table === 'trade_in_programs' ? 'trade_in_id' : table === 'program_condition_modifiers' ? 'grade' : 'id';
  return JSON.stringify(await ctx.ds.query(`SELECT * FROM ${table} WHERE ${where} ORDER BY ${order}`));
}

function members(body: unknown): unknown[] | null {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object' && Array.isArray((body as Record<string, unknown>)['hydra:member'])) return (body as Record<string, unknown[]>)['hydra:member'];
  return null;
}

it(`fuzzes every documented route (seed ${SEED}, ${RUNS} requests): no 5xx, contract holds, failed writes change nothing`, async () => {
  // eslint-disable-next-line no-console
  console.log(`FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} (replay with these environment variables)`);
  const specs = fc.sample(fc.oneof(requestArb(), wellFormedArb()), { seed: SEED, numRuns: RUNS });
  let business = 0;
  let businessWrites = 0;
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  const perOp = new Map<string, number>();
  let pools = await loadPools();
  const tracked: Record<string, Record<number, Set<number>>> = {};
  const refreshTracked = async () => {
    for (const r of TRACKED) {
      tracked[r] = {};
      for (const t of [ctx.a.tenantId, ctx.b.tenantId]) {
        tracked[r][t] = new Set((await ctx.ds.query<{ id: number }[]>(`SELECT id FROM ${TABLES[r]} WHERE tenant_id = ${t}`)).map((x) => Number(x.id)));
      }
    }
  };
  await refreshTracked();
  const childCounts = new Map<string, number>(); // "pictures:12" → count the last answer reported

  for (const [i, spec] of specs.entries()) {
    if (i % 250 === 0) pools = await loadPools();
    const { template, method } = OPERATIONS[spec.op];
    let path = template;
    const values: Record<string, string> = {};
    for (const [name, ref] of Object.entries(spec.pathParams)) {
      values[name] = resolve(ref, pools);
      path = path.replace(`{${name}}`, enc(values[name]));
    }
    const qs = spec.query.map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(typeof v === 'string' ? v : resolve(v, pools))}`).join('&');
    const url = qs ? `${path}?${qs}` : path;
    const foreignBody: string[] = [];
    const body = spec.body === undefined ? undefined : 'raw' in spec.body ? spec.body.raw : JSON.stringify(fillIris(spec.body.json, pools, foreignBody));
    const tenantId = spec.key === 'foreign' || spec.key === 'foreignCustomer' ? ctx.b.tenantId : ctx.a.tenantId;
    const payload = body === undefined ? undefined : encoded(body, spec.encoding);

    // Before a write: the rows it may touch, to prove a failed write changed nothing.
    const segs = template.split('/');
    const resource = segs[3];
    const itemId = values.id;
    const before = method === 'get' ? [] : touchedBy(template, itemId, body, tenantId);
    const snaps = await Promise.all(before.map(([t, w]) => snapshot(t, w)));

    if (spec.key === 'customer' || spec.key === 'foreignCustomer') await refreshSessions();
    let req = request(base)[method as 'get'](url);
    const cred = credentials(spec.key);
    if (cred) req = req.set(cred[0], cred[1]);
    if (spec.accept !== undefined) req = req.set('Accept', spec.accept);
    if (spec.ifMatch !== undefined) req = req.set('If-Match', spec.ifMatch);
    if (spec.idempotencyKey !== undefined) req = req.set('Idempotency-Key', spec.idempotencyKey);
    if (payload !== undefined) {
      if (spec.contentType !== undefined) req = req.set('Content-Type', spec.contentType);
      if (spec.encoding) req = req.set('Content-Encoding', spec.encoding.name);
      req = req.serialize(asIs).send(payload);
    }
    let res: request.Response;
    try {
      res = await req;
    } catch (e) {
      failures.push(`#${i} ${method.toUpperCase()} ${url}: transport error ${(e as Error).message}`);
      continue;
    }
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    perOp.set(`${method} ${template}`, (perOp.get(`${method} ${template}`) ?? 0) + 1);
    if ((res.status >= 200 && res.status < 300) || res.status === 409 || res.status === 412) {
      business++;
      if (method !== 'get') businessWrites++;
    }
    const where = `#${i} ${method.toUpperCase()} ${url} [key=${spec.key} accept=${spec.accept} type=${spec.contentType} encoding=${JSON.stringify(spec.encoding)}] body=${(body ?? '').slice(0, 200)} → ${res.status}`;
    const fail = (msg: string) => failures.push(`${where}\n    ${msg}: ${res.text?.slice(0, 300)}`);

    for (const e of contractErrors({ method, url, status: res.status, headers: res.headers, text: res.text, requestBody: body })) fail(e);
    if (res.status === 422 && !(Array.isArray(res.body?.violations) && res.body.violations.length)) fail('422 without violations');
    for (const v of (res.status === 422 && Array.isArray(res.body?.violations) ? res.body.violations : []) as { code: string }[]) {
      if (!(VIOLATION_CODES as readonly string[]).includes(v.code)) fail(`violation code "${v.code}" is not in the one list (VIOLATION_CODES)`);
    }
    const foreignPath = Object.values(spec.pathParams).some((r) => r.kind === 'foreign');
    const ownKey = spec.key === 'manager' || spec.key === 'admin' || spec.key === 'readonly' || spec.key === 'customer';
    // Anyone may register, log in or ask for (and use) a password reset anywhere: these routes take no caller.
    const anonymous = ANONYMOUS_ROUTES.has(template);
    if (ownKey && foreignPath && !anonymous && res.status < 300) fail("another tenant's id in the path answered 2xx");
    // Tenant slugs are public (anyone may register at /api/{slug}); ids are not.
    const foreignId = Object.entries(spec.pathParams).some(([name, r]) => r.kind === 'foreign' && name !== 'tenant');
    if (ownKey && foreignId && !anonymous && res.status !== 429) {
      // Another tenant's id must answer exactly as a missing one: the same request with missing ids.
      let missingUrl = template;
      for (const [name, ref] of Object.entries(spec.pathParams)) missingUrl = missingUrl.replace(`{${name}}`, enc(ref.kind === 'foreign' && name !== 'tenant' ? '999999999' : values[name]));
      let again = request(base)[method as 'get'](qs ? `${missingUrl}?${qs}` : missingUrl);
      if (cred) again = again.set(cred[0], cred[1]);
      if (spec.accept !== undefined) again = again.set('Accept', spec.accept);
      if (payload !== undefined) {
        if (spec.contentType !== undefined) again = again.set('Content-Type', spec.contentType);
        if (spec.encoding) again = again.set('Content-Encoding', spec.encoding.name);
        again = again.serialize(asIs).send(payload);
      }
      const missing = await again;
      if (missing.status !== res.status) fail(`another tenant's id answered ${res.status}, a missing id ${missing.status}`);
    }
    const list = method === 'get' && res.status === 200 && segs.length === 4 ? members(res.body) : null;
    if (ownKey && list && TABLES[resource] && tenantId === ctx.a.tenantId) {
      // Lists (filtered by another tenant's ids too) hold only the caller's rows.
      const ids = list.map((m) => Number((m as { id?: unknown }).id)).filter((x) => Number.isInteger(x));
      if (ids.length) {
        const [row] = await ctx.ds.query<{ n: number }[]>(`SELECT COUNT(*) AS n FROM ${TABLES[resource]} WHERE id IN (${ids.join(',')}) AND tenant_id <> ${ctx.a.tenantId}`);
        if (Number(row.n) > 0) fail(`the list holds ${row.n} row(s) of another tenant`);
      }
    }
    const readsIri = (template === '/api/v3/trade-ins' || template === '/api/v3/trade-ins/{id}' || template === '/api/v3/api-keys') && method !== 'get';
    if (ownKey && readsIri && foreignBody.some((p) => ['customer', 'dealership', 'user'].includes(p)) && res.status < 300) fail("another tenant's IRI in the body was accepted");

    if (res.status >= 400 && snaps.length) {
      const after = await Promise.all(before.map(([t, w]) => snapshot(t, w)));
      after.forEach((a, k) => {
        if (a !== snaps[k]) fail(`failed request changed ${before[k][0]} (${before[k][1]})`);
      });
    }
    // Model of what exists, from the answers.
    if (res.status === 201 && TRACKED.includes(resource) && segs.length === 4) tracked[resource][tenantId].add(Number(res.body.id));
    // A programme registration also creates the person as a dealer-side customer of the path's tenant.
    const pathTenant = values.tenant === slugs.foreign ? ctx.b.tenantId : ctx.a.tenantId;
    if (res.status === 202 && template === '/api/{tenant}/auth/register') {
      // The answer does not say whether the e-mail was new (no enumeration): the account's customer is looked up.
      const email = String((JSON.parse(body ?? '{}') as { email?: string }).email ?? '')
        .trim()
        .toLowerCase();
      for (const r of await ctx.ds.query<
        {
          id: number;
        }[]
      >('SELECT c.id FROM program_accounts a JOIN customers c ON c.id = a.customer_id WHERE a.tenant_id = ? AND a.email = ?', [pathTenant, email])) {
        tracked.customers[pathTenant].add(Number(r.id));
      }
    }
    // A programme submission is a trade-in (id sub_<trade-in id>).
    if (res.status === 201 && template === '/api/{tenant}/submissions') tracked['trade-ins'][pathTenant].add(Number(String(res.body.id).replace(/^sub_/, '')));
    if (res.status === 204 && TRACKED.includes(resource) && segs.length === 5) tracked[resource][tenantId].delete(Number(itemId));
    if (res.status === 204 && resource === 'trade-ins') for (const c of ['pictures', 'comments']) childCounts.delete(`${c}:${itemId}`);
    const child = segs[5];
    if (res.status === 200 && (child === 'pictures' || child === 'comments') && segs.length === 6) {
      const list = members(res.body);
      if (list) childCounts.set(`${child}:${itemId}`, list.length);
    }
  }

  // The database agrees with what the answers said.
  for (const r of TRACKED) {
    for (const t of [ctx.a.tenantId, ctx.b.tenantId]) {
      const ids = (await ctx.ds.query<{ id: number }[]>(`SELECT id FROM ${TABLES[r]} WHERE tenant_id = ${t} ORDER BY id`)).map((x) => Number(x.id));
      const expected = [...tracked[r][t]].sort((x, y) => x - y);
      if (JSON.stringify(ids) !== JSON.stringify(expected))
        failures.push(`${r} of tenant ${t}: database has ${ids.length} (${ids.slice(0, 20).join(',')}), answers imply ${expected.length} (${expected.slice(0, 20).join(',')})`);
    }
  }
  for (const [k, n] of childCounts) {
    const [c, id] = k.split(':');
    const rows = await ctx.ds.query<{ n: number }[]>(`SELECT COUNT(*) AS n FROM ${TABLES[c]} WHERE trade_in_id = ${Number(id)}`);
    if (Number(rows[0].n) !== n) failures.push(`${c} of trade-in ${id}: database has ${rows[0].n}, the last answer listed ${n}`);
  }
  failures.push(...(await dbInvariants(ctx.ds)));
  if (({} as Record<string, unknown>).polluted !== undefined || Object.keys(Object.prototype).length) failures.push('Object.prototype was polluted');

  const total = [...statuses.values()].reduce((a, b) => a + b, 0);
  const fivexx = [...statuses.entries()].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
  // eslint-disable-next-line no-console
  console.log(
    `fuzz: ${total} requests over ${perOp.size}/${OPERATIONS.length} operations, 5xx: ${fivexx}, reached the business rules (2xx/409/412): ${((100 * business) / total).toFixed(1)} % (writes: ${((100 * businessWrites) / total).toFixed(1)} % of all requests), statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}, seed ${SEED}`,
  );
  if (failures.length) throw new Error(`${failures.length} failures (FUZZ_SEED=${SEED}):\n${failures.slice(0, 25).join('\n')}`);
  expect(perOp.size).toBe(OPERATIONS.length);
  expect(business / total).toBeGreaterThanOrEqual(MIN_BUSINESS_SHARE);
  expect(total).toBeGreaterThanOrEqual(Math.min(RUNS, 10_000));
}, 900_000);
