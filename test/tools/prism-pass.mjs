// A realistic integrator flow through a Prism validation proxy (@stoplight/prism-cli), in both
// formats, against the built app (run `npm run build` first): every response's `sl-violations`
// header (Prism's findings against openapi/openapi.json) must be empty.
//
//   node test/tools/prism-pass.mjs
//
// Prism picks a response schema by media type with a wildcard match in which `application/ld+json`
// equals `application/json` (its wildcardMediaTypeMatch compares subtypes without the `+`
// suffix), so it would check both formats against whichever content comes first. Each format is
// therefore checked by its own Prism, on a copy of the document whose responses keep only that
// format's content (problem documents stay in both).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'prism-pass-'));
const children = [];
const found = [];
let calls = 0;
let prism = '';
let key = '';

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Starts a child and resolves with its output once `ready` matches it. */
function start(command, args, env, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${command} did not start in 90 s:\n${out.slice(-2000)}`)), 90_000);
    const onData = (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}:\n${out.slice(-2000)}`)));
  });
}

/** The document with only `keep` (and problem documents) in each response. */
function onlyFormat(doc, keep) {
  const copy = structuredClone(doc);
  for (const item of Object.values(copy.paths)) {
    for (const op of Object.values(item)) {
      for (const response of Object.values(op?.responses ?? {})) {
        if (!response.content) continue;
        for (const type of Object.keys(response.content)) if (type !== keep && type !== 'application/problem+json' && (type === 'application/json' || type === 'application/ld+json')) delete response.content[type];
      }
    }
  }
  return copy;
}

async function call(accept, method, path, body, headers = {}) {
  const url = `${prism}${path.replace(/^\/api\/v3/, '')}`;
  const res = await fetch(url, {
    method,
    headers: {
      'X-API-Key': key,
      Accept: accept,
      ...(body !== undefined ? { 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  calls++;
  const violations = res.headers.get('sl-violations');
  if (violations && violations !== '[]') found.push(`${method} ${path} (${accept}) → ${res.status}: ${violations}`);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const expect = (res, status, what) => {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res;
};

async function flow(accept) {
  const ld = accept === 'application/ld+json';
  const iriOf = (body) => (ld ? body['@id'] : body.iri);
  const c = (...args) => call(accept, ...args);
  const customer = expect(await c('POST', '/api/v3/customers', { firstName: 'Mari', lastName: 'Tamm', email: 'mari@example.com' }), 201, 'create customer').body;
  expect(await c('GET', iriOf(customer)), 200, 'get customer');
  expect(await c('PATCH', iriOf(customer), { phone: '+372 5555 1234' }), 200, 'patch customer');
  expect(await c('GET', '/api/v3/customers?lastName=tam&order[lastName]=asc'), 200, 'list customers');
  const location = expect(await c('POST', '/api/v3/locations', { name: `Tallinn ${accept}`, city: 'Tallinn' }), 201, 'create location').body;
  expect(await c('GET', '/api/v3/locations'), 200, 'list locations');

  const minimal = expect(await c('POST', '/api/v3/trade-ins', { vehicleModel: { make: 'Volkswagen', model: 'Golf', firstRegistrationDate: '2020-02-20' }, customerAskingPrice: 9500 }), 201, 'create minimal');
  const id = ld ? minimal.body['@id'] : minimal.body.iri;
  expect(await c('GET', id), 200, 'get trade-in');
  expect(await c('GET', `${id}?properties[]=id&properties[]=status&properties[vehicleModel][]=make`), 200, 'sparse trade-in');
  const patched = expect(await c('PATCH', id, { customer: iriOf(customer), dealership: iriOf(location), purchasePrice: 9000, vehicleModel: { mileage: 35000, regNr: '890ZXC' } }), 200, 'patch trade-in');
  for (const slug of ['ready-for-appraisal', 'done', 'sent-to-customer']) expect(await c('PATCH', `${id}/status/${slug}`), 200, slug);
  expect(await c('PATCH', id, { note: 'too late' }), 422, 'locked');
  expect(await c('PATCH', id, { note: 'stale' }, { 'If-Match': patched.headers.get('etag') }), 412, 'stale If-Match');
  expect(await c('PATCH', `${id}/status/draft`), 409, 'no reopen from sent_to_customer');
  expect(await c('GET', `${id}/history`), 200, 'history');
  expect(await c('GET', `${id}/appraisal`), 200, 'appraisal');
  expect(await c('PATCH', `${id}/status/no-deal`, { rejectReason: 'price_too_low', rejectReasonMetaText: 'Customer expects 12 000' }), 200, 'no deal');
  expect(await c('PATCH', `${id}/status/draft`), 200, 'reopen');

  const pictures = expect(await c('POST', `${id}/pictures`, [{ url: 'https://img.example/front.jpg', pictureType: '/api/v3/picture-types/exterior_front' }, { url: 'https://img.example/1.jpg' }]), 200, 'add pictures');
  expect(await c('GET', `${id}/pictures`), 200, 'list pictures');
  expect(await c('PATCH', `${id}/pictures`, [{ url: 'https://img.example/front2.jpg', pictureType: '/api/v3/picture-types/exterior_front' }], { 'If-Match': pictures.headers.get('etag') }), 200, 'replace pictures');
  expect(await c('POST', `${id}/comments`, [{ comment: 'Jason said YES' }]), 200, 'add comments');
  expect(await c('PATCH', `${id}/comments`, [{ comment: 'Dave said NO' }]), 200, 'replace comments');
  expect(await c('GET', `${id}/comments`), 200, 'list comments');

  expect(await c('GET', '/api/v3/trade-ins?status[]=not_done&status[]=done&order[updatedAt]=desc&itemsPerPage=5'), 200, 'filtered list');
  expect(await c('GET', '/api/v3/trade-ins?properties[]=id&properties[]=status&properties[customer][]=lastName&partial=true'), 200, 'sparse list');
  expect(await c('GET', '/api/v3/trade-ins?purchasePrice[between]=x'), 400, 'bad filter');
  expect(await c('GET', '/api/v3/trade-ins/999999'), 404, 'missing');
  expect(await c('GET', '/api/v3/reject-reasons'), 200, 'reject reasons');
  expect(await c('GET', '/api/v3/picture-types/exterior_front'), 200, 'picture type');
  expect(await c('GET', '/api/v3/users/me'), 200, 'me');
  expect(await c('DELETE', id), 204, 'delete trade-in');
}

try {
  const appPort = await freePort();
  const [, apiKey] = await start(
    process.execPath,
    ['dist/main.js'],
    { PORT: String(appPort), HOST: '127.0.0.1', SQLITE_PATH: join(dir, 'db.sqlite'), UPLOAD_DIR: join(dir, 'uploads'), DATABASE_URL: '', LOG_LEVEL: 'warn', RATE_LIMIT: '100000' },
    /X-API-Key: (tik_[A-Za-z0-9_-]+)/,
  );
  key = apiKey;
  const doc = JSON.parse(readFileSync(join(root, 'openapi', 'openapi.json'), 'utf8'));
  for (const accept of ['application/json', 'application/ld+json']) {
    const file = join(dir, `${accept.replace(/\W/g, '_')}.json`);
    writeFileSync(file, JSON.stringify(onlyFormat(doc, accept)));
    const port = await freePort();
    await start(join(root, 'node_modules', '.bin', 'prism'), ['proxy', file, `http://127.0.0.1:${appPort}/api/v3`, '--port', String(port), '--host', '127.0.0.1', '--errors=false'], {}, /Prism is listening/);
    prism = `http://127.0.0.1:${port}`;
    await flow(accept);
  }
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
} finally {
  for (const child of children) child.kill();
}
if (process.exitCode) process.exit(1);
if (found.length) {
  console.error(`Prism found ${found.length} violation(s) in ${calls} calls:\n${found.join('\n')}`);
  process.exit(1);
}
console.log(`Prism proxy pass: ${calls} calls in both formats, 0 violations.`);
