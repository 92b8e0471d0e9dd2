'use strict';
/**
 * The `scale-matrix` scenario (issue 12): every documented trade-in collection shape, one client,
 * warm, so each shape's own cost shows (not the server's throughput). Per shape: warm-up
 * requests, then BENCH_MATRIX_REQUESTS timed ones; p50, p99 and max latency, and the status codes
 * seen. The `starvation` scenario: 20 clients keep an expensive shape in flight while one client
 * reads single trade-ins by id.
 */
const autocannon = require('autocannon');

/** Every `order[...]` field the product documents for the trade-in collection (its OpenAPI document). */
async function orderFields(base) {
  const doc = await (await fetch(`${base}/api/docs.json`)).json();
  // Paths are relative to the document's server (`/api/v3`) since the integrators' work; older documents carry the full path.
  const collection = doc.paths['/trade-ins'] ?? doc.paths['/api/v3/trade-ins'];
  const fields = collection.get.parameters.map((p) => /^order\[(.+)\]$/.exec(p.name)?.[1]).filter(Boolean);
  if (!fields.length) throw new Error('no order[...] parameters in the OpenAPI document of /api/v3/trade-ins');
  return fields;
}

const DAY = 86_400_000;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * Each documented filter with a frequent value and a value that matches nothing. `data` (from
 * the seed) supplies ids and values that exist in the load tenant.
 */
function filters(data) {
  return [
    ['status', 'status=done', 'status=completed'],
    ['status[]', 'status[]=done&status[]=sent_to_customer', 'status[]=shipped&status[]=received'],
    ['customer', `customer=/api/v3/customers/${data.customerId}`, 'customer=/api/v3/customers/2000000000'],
    ['dealership', 'dealership=/api/v3/locations/3', 'dealership=/api/v3/locations/2000000000'],
    ['vehicleModel.regNr', `vehicleModel.regNr=${encodeURIComponent(data.sample.regNr)}`, 'vehicleModel.regNr=NONE000'],
    ['vehicleModel.vinCode', `vehicleModel.vinCode=${data.sample.vinCode}`, 'vehicleModel.vinCode=ZZZZZZZZZZZZZZZZZ'],
    ['vehicleModel.make', 'vehicleModel.make=toyo', 'vehicleModel.make=zzqx'],
    ['vehicleModel.model', 'vehicleModel.model=golf', 'vehicleModel.model=zzqx'],
    ['note', 'note=scratch', 'note=zzqx'],
    ['createdAt', `createdAt[after]=${isoDay(Date.now() - 365 * DAY)}`, 'createdAt[after]=2999-01-01'],
    ['updatedAt', `updatedAt[before]=${isoDay(Date.now() - 540 * DAY)}`, 'updatedAt[before]=2000-01-01'],
    ['purchasePrice', 'purchasePrice[between]=5000..15000', 'purchasePrice[gt]=999999999'],
    ['vehicleModel.mileage', 'vehicleModel.mileage[gt]=100000', 'vehicleModel.mileage[gt]=999999999'],
    ['exists', 'exists[customer]=false', 'exists[vehicleModel.vinCode]=false&status=done'],
  ];
}

const STATUSES = 'status[]=done&status[]=sent_to_customer';
const OTHER_ORDER = 'order[purchasePrice]=asc';

/** The shapes: [name, group, query]. */
function shapes(data, orders) {
  const list = [];
  for (const f of orders) {
    for (const dir of ['asc', 'desc']) {
      const q = `order[${f}]=${dir}`;
      list.push([`${q}`, 'order', q]);
      list.push([`${q} + status[]`, 'order+status[]', `${STATUSES}&${q}`]);
    }
  }
  for (const [name, frequent, none] of filters(data)) {
    for (const [kind, q] of [
      ['frequent', frequent],
      ['none', none],
    ]) {
      list.push([`${name} (${kind})`, `filter-${kind}`, q]);
      if (name !== 'status' && name !== 'status[]') list.push([`${name} (${kind}) + status[]`, `filter-${kind}+status[]`, `${q}&${STATUSES}`]);
      list.push([`${name} (${kind}) + ${OTHER_ORDER}`, `filter-${kind}+order`, `${q}&${OTHER_ORDER}`]);
    }
  }
  list.push(['page=100', 'offset', 'page=100']);
  list.push(['page=10000', 'offset', 'page=10000']);
  list.push(['partial=true&page=10000', 'offset', 'partial=true&page=10000']);
  return list.map(([name, group, q]) => ({ name, group, path: `/api/v3/trade-ins?${q}` }));
}

async function timed(base, key, path) {
  const t = performance.now();
  const r = await fetch(`${base}${path}`, { headers: { 'x-api-key': key, accept: 'application/ld+json' } });
  const body = await r.text();
  return { ms: performance.now() - t, status: r.status, body };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function measureShape(base, key, shape, requests, warmup) {
  let w;
  for (let i = 0; i < warmup; i++) w = await timed(base, key, shape.path);
  // Warm includes the total: a first count can take longer than the page waits for it (COUNT_WAIT_MS); let it land in the cache.
  const counted = (r) => r.status !== 200 || shape.path.includes('partial=true') || shape.path.includes('cursor=') || r.body.includes('"hydra:totalItems"');
  for (let i = 0; w && !counted(w) && i < 8; i++) {
    await new Promise((r) => setTimeout(r, 500));
    w = await timed(base, key, shape.path);
  }
  const times = [];
  const statuses = {};
  let last;
  for (let i = 0; i < requests; i++) {
    last = await timed(base, key, shape.path);
    times.push(last.ms);
    statuses[last.status] = (statuses[last.status] ?? 0) + 1;
  }
  times.sort((a, b) => a - b);
  let total = null;
  if (last.status === 200) {
    const parsed = JSON.parse(last.body);
    total = parsed['hydra:totalItems'] ?? null;
  }
  const r = (x) => Math.round(x * 10) / 10;
  return { ...shape, p50Ms: r(percentile(times, 50)), p99Ms: r(percentile(times, 99)), maxMs: r(times[times.length - 1]), statuses, total };
}

/**
 * Cursor pages deep in the collection: the hydra:next of the offset page that ends after `rows`
 * rows (read once, unmeasured, under partial=true), then that cursor page measured like a shape.
 */
async function cursorShapes(base, key, rowsList, query = '') {
  const out = [];
  for (const rows of rowsList) {
    const page = Math.max(1, Math.round(rows / 30));
    const r = await timed(base, key, `/api/v3/trade-ins?partial=true&page=${page}${query ? `&${query}` : ''}`);
    if (r.status !== 200) continue;
    const next = JSON.parse(r.body)['hydra:view']?.['hydra:next'];
    if (next) out.push({ name: `cursor after ${rows} rows${query ? ` (${query})` : ''}`, group: 'cursor', path: next });
  }
  return out;
}

async function runMatrix({ base, key, data, log, requests = 15, warmup = 2 }) {
  const list = shapes(data, await orderFields(base));
  for (const q of ['', 'order[updatedAt]=desc'])
    list.push(
      ...(await cursorShapes(
        base,
        key,
        [10_000, 100_000].filter((n) => n < data.tenantRows),
        q,
      )),
    );
  const results = [];
  for (const shape of list) {
    const m = await measureShape(base, key, shape, requests, warmup);
    log(`  ${m.name.padEnd(62)} p50 ${String(m.p50Ms).padStart(7)} p99 ${String(m.p99Ms).padStart(7)} max ${String(m.maxMs).padStart(7)} ms ${JSON.stringify(m.statuses)}`);
    results.push(m);
  }
  return results;
}

/**
 * 20 clients keep `heavyPath` in flight (each sends the next request as soon as the last one is
 * answered) while one client reads single trade-ins by random id; the item GET latencies are
 * what counts.
 */
async function runStarvation({ port, key, heavyPath, itemPath, duration, log }) {
  const run = (opts) =>
    new Promise((resolve, reject) => {
      const i = autocannon({ url: `http://127.0.0.1:${port}`, headers: { 'x-api-key': key, accept: 'application/ld+json' }, timeout: 30, duration, ...opts }, (err, res) =>
        err ? reject(err) : resolve(res),
      );
      i.on('error', reject);
    });
  const heavy = run({ connections: 20, requests: [{ method: 'GET', path: heavyPath }] });
  await new Promise((r) => setTimeout(r, 1000)); // let the heavy requests fill the lane first
  const items = await run({ connections: 1, duration: Math.max(1, duration - 2), requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: itemPath() }) }] });
  const h = await heavy;
  const codes = { '2xx': h['2xx'], '4xx': h['4xx'], '5xx': h['5xx'] };
  const result = {
    heavyPath,
    heavyRequests: h.requests.total,
    heavyStatuses: codes,
    heavyP50Ms: h.latency.p50,
    itemRequests: items.requests.total,
    itemP50Ms: items.latency.p50,
    itemP99Ms: items.latency.p99,
    itemMaxMs: items.latency.max,
    itemErrors: items.errors + items.non2xx,
  };
  log(
    `  starvation: item GET p50 ${result.itemP50Ms} p99 ${result.itemP99Ms} max ${result.itemMaxMs} ms (${result.itemRequests} req, ${result.itemErrors} errors) while 20 clients ran ${heavyPath} (${JSON.stringify(codes)}, p50 ${result.heavyP50Ms} ms)`,
  );
  return result;
}

module.exports = { runMatrix, runStarvation };
