'use strict';
/**
 * `npm run bench`: seeds MariaDB at each size, starts the product (node dist/main.js, production
 * mode) and the bare baseline (bench/baseline.js) as separate processes, loads them from this
 * process with autocannon over loopback, samples each server's RSS from /proc, and writes
 * bench/results/latest.{json,md}.
 *
 * Env (all optional):
 *   BENCH_SIZES=10000,100000,1000000   trade-in counts to seed and measure
 *   BENCH_DURATION=10                  seconds per measured run
 *   BENCH_WARMUP=3                     seconds of unrecorded warm-up before each run
 *   BENCH_CONNECTIONS=10               concurrent keep-alive connections
 *   BENCH_SCENARIOS=list-default,...   subset of scenarios
 *   BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306   the server (a database BENCH_DATABASE is created and dropped)
 *   BENCH_DATABASE=tradein_bench
 *   BENCH_BUFFER_POOL_MB=2048          InnoDB buffer pool during the run (restored afterwards); 0 = leave as is
 *   BENCH_CPU_PROF=1                   run the product with --cpu-prof (profiles in bench/results/profiles/)
 *   BENCH_OUT=bench/results            where the report goes
 *   BENCH_KEEP_DB=1                    keep the database after the run
 *   BENCH_REUSE=1                      one database per size (<BENCH_DATABASE>_<size>), kept, and reused when it already holds that size
 *   BENCH_ENGINE=sqlite                the product on the embedded SQLite file instead (no baseline: side-by-side scenarios are skipped)
 *   BENCH_SQLITE_DIR=/tmp              where the SQLite files go (tradein_bench_<size>.sqlite)
 *   BENCH_MATRIX_REQUESTS=15           timed requests per scale-matrix shape (after 2 warm-up requests)
 *   BENCH_REPORT=latest                report file name (default: latest, or sqlite for BENCH_ENGINE=sqlite)
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { isDeepStrictEqual } = require('node:util');
const autocannon = require('autocannon');
const mysql = require('mysql2/promise');
const { seed, reuseSeeded } = require('./lib/seed');
const { runMatrix, runStarvation } = require('./lib/matrix');
const { renderMarkdown, evaluateTargets } = require('./lib/report');

const ROOT = path.resolve(__dirname, '..');
const env = process.env;
const SIZES = (env.BENCH_SIZES || '10000,100000,1000000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const DURATION = Number(env.BENCH_DURATION || 10);
const WARMUP = Number(env.BENCH_WARMUP ?? 3);
/** Side-by-side scenarios run this many product/baseline pairs, interleaved; the report takes medians. */
const ROUNDS = Math.max(1, Number(env.BENCH_ROUNDS || 3));
/** Kernel clock ticks per second (utime/stime in /proc/<pid>/stat); 100 on Linux. */
const CLK_TCK = 100;
const CONNECTIONS = Number(env.BENCH_CONNECTIONS || 10);
const SERVER_URL = env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
const DATABASE = env.BENCH_DATABASE || 'tradein_bench';
const ENGINE = env.BENCH_ENGINE === 'sqlite' ? 'sqlite' : 'mysql';
const SQLITE_DIR = env.BENCH_SQLITE_DIR || os.tmpdir();
const BUFFER_POOL_MB = ENGINE === 'sqlite' ? 0 : Number(env.BENCH_BUFFER_POOL_MB ?? 2048);
const OUT = path.resolve(ROOT, env.BENCH_OUT || 'bench/results');
const REPORT = env.BENCH_REPORT || (ENGINE === 'sqlite' ? 'sqlite' : 'latest');
const MATRIX_REQUESTS = Number(env.BENCH_MATRIX_REQUESTS || 15);
/** The expensive shape the starvation scenario keeps in flight: a text nobody wrote, sorted by another column (a full scan at any size). */
const HEAVY = '/api/v3/trade-ins?note=zzqx&order[purchasePrice]=asc';
const PRODUCT_PORT = 3900;
const BASELINE_PORT = 3901;
const log = (...a) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

const FILTERED =
  '/api/v3/trade-ins?status[]=done&status[]=sent_to_customer&order[updatedAt]=DESC' +
  '&properties[]=id&properties[]=status&properties[]=updatedAt&properties[]=purchasePrice' +
  '&properties[vehicleModel][]=make&properties[vehicleModel][]=model&properties[vehicleModel][]=regNr&properties[customer][]=lastName';
const SEARCH = '/api/v3/trade-ins?vehicleModel.make=toyo';

/** The scenarios. `baseline: true` ones run against both servers, side by side. */
function scenarios(data) {
  let n = 0;
  const statusOf = new Map();
  const galleryOf = new Map();
  const createBody = () => {
    n++;
    return JSON.stringify({
      customer: `/api/v3/customers/${data.customerId}`,
      dealership: `/api/v3/locations/${data.dealershipId}`,
      vehicleModel: {
        make: 'Volkswagen',
        model: 'Golf',
        regNr: `B${String(n % 100000).padStart(5, '0')}`,
        mileage: 35000 + (n % 1000),
        firstRegistrationDate: '2020-02-20',
        bodyType: 'Hatchback',
        color: 'Black',
        fuel: 'Petrol',
        equipment: ['Navigation', 'Heated seats'],
      },
      debtInfo: { amount: 2500, bank: 'Popular Leasing' },
      customerAskingPrice: 9500,
      note: 'Benchmark trade-in',
    });
  };
  const randomId = () => {
    for (;;) {
      const id = data.minId + Math.floor(Math.random() * (data.maxId - data.minId + 1));
      if (data.tenantOf(id) === 1) return id;
    }
  };
  let s = 0;
  let p = 0;
  return [
    { name: 'list-default', baseline: true, request: { method: 'GET', path: '/api/v3/trade-ins' } },
    { name: 'list-filtered', baseline: true, request: { method: 'GET', path: FILTERED } },
    { name: 'list-search', baseline: true, request: { method: 'GET', path: SEARCH } },
    {
      name: 'item-get',
      request: { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v3/trade-ins/${randomId()}` }) },
    },
    {
      name: 'create',
      baseline: true,
      request: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, path: '/api/v3/trade-ins', body: createBody() }),
      },
    },
    {
      name: 'status-patch',
      request: {
        method: 'PATCH',
        setupRequest: (req) => {
          const id = data.statusPool[s++ % data.statusPool.length];
          const ready = statusOf.get(id) === 'ready';
          statusOf.set(id, ready ? 'draft' : 'ready');
          return { ...req, path: `/api/v3/trade-ins/${id}/status/${ready ? 'draft' : 'ready-for-appraisal'}` };
        },
      },
    },
    {
      name: 'pictures-patch',
      request: {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => {
          const id = data.picturePool[p++ % data.picturePool.length];
          const v = (galleryOf.get(id) ?? 0) + 1;
          galleryOf.set(id, v);
          // Each visit keeps two pictures, replaces one and adds/removes an untyped one.
          const body = [
            { url: `https://img.example/t/${id}/front.jpg`, pictureType: '/api/v3/picture-types/exterior_front' },
            { url: `https://img.example/t/${id}/rear.jpg`, pictureType: '/api/v3/picture-types/exterior_rear' },
            { url: `https://img.example/t/${id}/odometer-${v}.jpg`, pictureType: '/api/v3/picture-types/odometer' },
            ...(v % 2 ? [{ url: `https://img.example/t/${id}/extra.jpg` }] : []),
          ];
          return { ...req, path: `/api/v3/trade-ins/${id}/pictures`, body: JSON.stringify(body) };
        },
      },
    },
    // Not autocannon runs of one request: see bench/lib/matrix.js.
    { name: 'scale-matrix', special: 'matrix' },
    { name: 'starvation', special: 'starvation' },
  ]
    .filter((sc) => !env.BENCH_SCENARIOS || env.BENCH_SCENARIOS.split(',').includes(sc.name))
    .filter((sc) => ENGINE === 'mysql' || !sc.baseline);
}

// ------------------------------------------------------------------ processes

function startServer(name, args, port, extraEnv) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...extraEnv, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d) => {
    output = (output + d.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.output = () => output;
  child.label = name;
  return child;
}

/** The `hydra:search` JSON of the trade-in collection, as the product sends it. */
async function hydraSearchOf(port, key) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v3/trade-ins?itemsPerPage=1`, { headers: { 'X-API-Key': key } });
  const body = await res.text();
  const at = body.lastIndexOf(',"hydra:search":');
  if (!res.ok || at < 0) throw new Error(`no hydra:search in the product's collection (${res.status})`);
  return body.slice(at + ',"hydra:search":'.length, -1);
}

async function waitHealthy(child, port, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${child.label} exited (${child.exitCode}):\n${child.output()}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/health`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${child.label} did not become healthy:\n${child.output()}`);
}

async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}

/** VmRSS of a process in MB, sampled every 100 ms while `work` runs. */
async function withRss(pid, work) {
  const samples = [];
  const read = () => {
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) samples.push(Number(m[1]) / 1024);
    } catch {
      /* process gone */
    }
  };
  read();
  const timer = setInterval(read, 100);
  try {
    const result = await work();
    read();
    return { result, rssMaxMb: Math.max(...samples), rssAvgMb: samples.reduce((a, b) => a + b, 0) / samples.length };
  } finally {
    clearInterval(timer);
  }
}

function load(port, key, request, duration) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: CONNECTIONS,
        duration,
        headers: { 'x-api-key': key, accept: 'application/ld+json', ...(request.headers ?? {}) },
        requests: [request],
        timeout: 10,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    instance.on('error', reject);
  });
}

/** CPU time (user + system, all threads) a process has used so far, in ms. */
function cpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}

async function measure(server, key, scenario, warmup = WARMUP) {
  if (warmup > 0) await load(server.port, key, scenario.request, warmup);
  // The 1-minute load average before the run: other work on the machine skews absolute numbers.
  const loadAvg = Math.round(os.loadavg()[0] * 100) / 100;
  const cpuBefore = cpuMs(server.child.pid);
  const { result, rssMaxMb, rssAvgMb } = await withRss(server.child.pid, () => load(server.port, key, scenario.request, DURATION));
  const cpu = cpuMs(server.child.pid) - cpuBefore;
  return {
    reqPerSec: Math.round(result.requests.average * 10) / 10,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    // autocannon's `errors` already counts timeouts
    errors: result.errors + result.non2xx,
    non2xx: result.non2xx,
    rssMaxMb: Math.round(rssMaxMb),
    rssAvgMb: Math.round(rssAvgMb),
    // The server's own CPU per answered request: unlike req/s, barely moved by other work on the machine.
    cpuMsPerReq: result.requests.total ? Math.round((cpu / result.requests.total) * 1000) / 1000 : null,
    loadAvg,
  };
}

const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

/** Several measurements of one server → one row: medians of rates, latencies and CPU; worst RSS; all errors. */
function combine(runs) {
  if (runs.length === 1) return runs[0];
  return {
    reqPerSec: Math.round(median(runs.map((r) => r.reqPerSec)) * 10) / 10,
    requests: runs.reduce((a, r) => a + r.requests, 0),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    maxMs: Math.max(...runs.map((r) => r.maxMs)),
    errors: runs.reduce((a, r) => a + r.errors, 0),
    non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
    rssMaxMb: Math.max(...runs.map((r) => r.rssMaxMb)),
    rssAvgMb: Math.round(median(runs.map((r) => r.rssAvgMb))),
    cpuMsPerReq: median(runs.map((r) => r.cpuMsPerReq)),
    loadAvg: Math.round(median(runs.map((r) => r.loadAvg)) * 100) / 100,
    rounds: runs,
  };
}

/**
 * One scenario. Side-by-side ones alternate product and baseline ROUNDS times (product first each
 * round, the full warm-up before the first, 1 s before the others) so that a burst of other work on the machine hits
 * both; the ratio is the median of the per-round ratios.
 */
async function runScenario(product, baseline, key, sc) {
  if (!sc.baseline) return { scenario: sc.name, product: await measure(product, key, sc) };
  const p = [];
  const b = [];
  const ratios = [];
  for (let round = 0; round < ROUNDS; round++) {
    const warmup = round === 0 ? WARMUP : Math.min(WARMUP, 1);
    p.push(await measure(product, key, sc, warmup));
    b.push(await measure(baseline, key, sc, warmup));
    ratios.push(p[round].reqPerSec / b[round].reqPerSec);
  }
  return { scenario: sc.name, product: combine(p), baseline: combine(b), ratio: Math.round(median(ratios) * 100) / 100, ratios: ratios.map((r) => Math.round(r * 100) / 100) };
}

// ------------------------------------------------------------------ verification: same body from both

async function verify(data, product, baseline) {
  const get = async (port, p) => {
    const r = await fetch(`http://127.0.0.1:${port}${p}`, { headers: { 'x-api-key': data.key } });
    return { status: r.status, text: await r.text() };
  };
  for (const p of ['/api/v3/trade-ins', FILTERED, SEARCH, '/api/v3/trade-ins?page=2&itemsPerPage=7&status=no_deal']) {
    // The product sends a page without its total while a first count is still running (COUNT_WAIT_MS); the baseline waits for it.
    for (let i = 0; i < 40 && !(await get(product.port, p)).text.includes('"hydra:totalItems"'); i++) await new Promise((r) => setTimeout(r, 250));
    const [a, b] = await Promise.all([get(product.port, p), get(baseline.port, p)]);
    if (a.status !== 200 || a.text !== b.text) {
      const at = [...a.text].findIndex((c, i) => c !== b.text[i]);
      throw new Error(
        `baseline and product differ for ${p} (status ${a.status}/${b.status}) at ${at}:\n product: …${a.text.slice(Math.max(0, at - 150), at + 150)}\nbaseline: …${b.text.slice(Math.max(0, at - 150), at + 150)}`,
      );
    }
  }
  const body = scenarios(data).find((s) => s.name === 'create');
  if (!body) return;
  const post = async (port) => {
    const req = body.request.setupRequest({});
    const r = await fetch(`http://127.0.0.1:${port}/api/v3/trade-ins`, { method: 'POST', headers: { 'x-api-key': data.key, 'content-type': 'application/json' }, body: req.body });
    const json = await r.json();
    return { status: r.status, location: r.headers.get('location'), json };
  };
  const [a, b] = [await post(product.port), await post(baseline.port)];
  const norm = (o) => ({ ...o, '@id': 'x', id: 0, iri: 'x', createdAt: 'x', updatedAt: 'x', vehicleModel: { ...o.vehicleModel, regNr: 'x', mileage: 0 } });
  if (a.status !== 201 || b.status !== 201 || !isDeepStrictEqual(norm(a.json), norm(b.json)) || JSON.stringify(Object.keys(a.json)) !== JSON.stringify(Object.keys(b.json))) {
    throw new Error(`create differs:\n product ${a.status} ${JSON.stringify(a.json).slice(0, 800)}\nbaseline ${b.status} ${JSON.stringify(b.json).slice(0, 800)}`);
  }
}

// ------------------------------------------------------------------ main

async function machine(conn) {
  const [[v]] = await conn.query('SELECT VERSION() AS v, @@innodb_buffer_pool_size AS bp, @@innodb_flush_log_at_trx_commit AS flush');
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    mariadb: v.v,
    innodbBufferPoolMb: Number(v.bp) / 2 ** 20,
    innodbFlushLogAtTrxCommit: Number(v.flush),
  };
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist/main.js'))) throw new Error('dist/main.js is missing: run `npm run build` (npm run bench does).');
  fs.mkdirSync(OUT, { recursive: true });
  const admin = await mysql.createConnection(`${SERVER_URL}/`);
  const [[{ bp: originalPool }]] = await admin.query('SELECT @@innodb_buffer_pool_size AS bp');
  const sqlitePath = (size) => path.join(SQLITE_DIR, `tradein_bench_${size}.sqlite`);
  if (BUFFER_POOL_MB > 0) await admin.query(`SET GLOBAL innodb_buffer_pool_size = ${BUFFER_POOL_MB * 2 ** 20}`);
  const report = {
    startedAt: new Date().toISOString(),
    machine: await machine(admin),
    config: {
      engine: ENGINE,
      sizes: SIZES,
      durationSeconds: DURATION,
      warmupSeconds: WARMUP,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      matrixRequests: MATRIX_REQUESTS,
      loadTool: `autocannon ${require('autocannon/package.json').version}`,
    },
    sizes: [],
  };
  log(`machine: ${report.machine.cpus} CPUs, ${report.machine.mariadb}, buffer pool ${report.machine.innodbBufferPoolMb} MB; sizes ${SIZES.join(', ')}; ${DURATION}s runs, ${CONNECTIONS} connections`);

  let product;
  let baseline;
  const cleanup = async () => {
    await stopServer(product?.child);
    await stopServer(baseline?.child);
  };
  process.once('SIGINT', () => cleanup().then(() => process.exit(130)));
  try {
    for (const size of SIZES) {
      const target = ENGINE === 'sqlite' ? { sqlitePath: sqlitePath(size) } : { serverUrl: SERVER_URL, database: env.BENCH_REUSE ? `${DATABASE}_${size}` : DATABASE };
      let data = env.BENCH_REUSE ? await reuseSeeded({ ...target, size }) : null;
      if (data) log(`reusing the ${size}-trade-in database ${target.sqlitePath ?? target.database}`);
      else {
        log(`seeding ${size} trade-ins into ${target.sqlitePath ?? target.database}`);
        data = await seed({ ...target, size, log });
        log(`seeded in ${data.seconds.toFixed(1)} s (bench tenant: ${data.tenantRows} trade-ins)`);
      }
      const where = ENGINE === 'sqlite' ? { SQLITE_PATH: data.sqlitePath } : { DATABASE_URL: data.databaseUrl };
      const common = { ...where, HOST: '127.0.0.1', NODE_ENV: 'production', DB_POOL_SIZE: '10' };
      const profDir = path.join(OUT, 'profiles', String(size));
      if (env.BENCH_CPU_PROF) fs.mkdirSync(profDir, { recursive: true });
      product = {
        port: PRODUCT_PORT,
        child: startServer('product', [...(env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), 'dist/main.js'], PRODUCT_PORT, {
          ...common,
          LOG_LEVEL: 'silent',
          RATE_LIMIT: '1000000000',
          BOOTSTRAP: 'false',
          DB_LOGGING: 'false',
        }),
      };
      if (ENGINE === 'mysql') {
        await waitHealthy(product.child, PRODUCT_PORT);
        // The collection's hydra:search is a constant the product serializes once per type: the
        // baseline is given the product's own bytes of it rather than a second copy of the template.
        const search = await hydraSearchOf(PRODUCT_PORT, data.key);
        baseline = { port: BASELINE_PORT, child: startServer('baseline', ['bench/baseline.js'], BASELINE_PORT, { ...common, BENCH_HYDRA_SEARCH: search }) };
        await waitHealthy(baseline.child, BASELINE_PORT);
        await verify(data, product, baseline);
        log('product and baseline return the same bodies');
      } else await waitHealthy(product.child, PRODUCT_PORT);

      const results = [];
      const sizeReport = { size, tenantRows: data.tenantRows, seedSeconds: Math.round(data.seconds), reused: !!data.reused, scenarios: results };
      for (const sc of scenarios(data)) {
        if (sc.special === 'matrix') {
          log(`${size} scale-matrix (${MATRIX_REQUESTS} timed requests per shape, one client)`);
          sizeReport.matrixLoadAvg = Math.round(os.loadavg()[0] * 100) / 100;
          sizeReport.matrix = await runMatrix({ base: `http://127.0.0.1:${PRODUCT_PORT}`, key: data.key, data, log, requests: MATRIX_REQUESTS });
          continue;
        }
        if (sc.special === 'starvation') {
          const randomId = () => data.minId + 1 + 10 * Math.floor(Math.random() * ((data.maxId - data.minId) / 10));
          sizeReport.starvation = await runStarvation({ port: PRODUCT_PORT, key: data.key, heavyPath: HEAVY, itemPath: () => `/api/v3/trade-ins/${randomId()}`, duration: DURATION, log });
          sizeReport.starvation.loadAvg = Math.round(os.loadavg()[0] * 100) / 100;
          continue;
        }
        const row = await runScenario(product, baseline, data.key, sc);
        log(
          `${size} ${sc.name.padEnd(15)} product ${String(row.product.reqPerSec).padStart(7)} req/s p50 ${row.product.p50Ms} p99 ${row.product.p99Ms} ms cpu ${row.product.cpuMsPerReq} ms/req rss ${row.product.rssMaxMb} MB err ${row.product.errors}` +
            (row.baseline
              ? ` | baseline ${row.baseline.reqPerSec} req/s p99 ${row.baseline.p99Ms} ms cpu ${row.baseline.cpuMsPerReq} ms/req err ${row.baseline.errors} | ratio ${row.ratio} (rounds ${row.ratios.join(', ')})`
              : ''),
        );
        results.push(row);
      }
      report.sizes.push(sizeReport);
      await cleanup();
      if (ENGINE === 'sqlite' && !env.BENCH_KEEP_DB && !env.BENCH_REUSE) for (const f of ['', '-wal', '-shm']) fs.rmSync(`${data.sqlitePath}${f}`, { force: true });
    }
  } finally {
    await cleanup();
    if (ENGINE === 'mysql' && !env.BENCH_KEEP_DB && !env.BENCH_REUSE) await admin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
    if (BUFFER_POOL_MB > 0) await admin.query(`SET GLOBAL innodb_buffer_pool_size = ${originalPool}`).catch(() => undefined);
    await admin.end();
  }
  report.finishedAt = new Date().toISOString();
  report.targets = evaluateTargets(report);
  fs.writeFileSync(path.join(OUT, `${REPORT}.json`), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(OUT, `${REPORT}.md`), renderMarkdown(report));
  console.log(`\n${renderMarkdown(report)}`);
  log(`report: ${path.relative(ROOT, path.join(OUT, `${REPORT}.md`))} and ${REPORT}.json`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
