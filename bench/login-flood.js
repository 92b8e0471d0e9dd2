'use strict';
/**
 * `node bench/login-flood.js` (after `npm run build`): what an anonymous login flood does to an
 * authenticated client (issue 13). Starts the product (node dist/main.js) on MariaDB, then
 * measures an authenticated GET /api/v3/customers at a steady rate:
 *
 *   idle                  the GET alone
 *   flood-health          + 8 connections of GET /health (the floor any flood of cheap requests sets)
 *   flood-login-one-ip    + 8 connections of logins with unknown e-mails from one address
 *   flood-login-many-ips  + the same, each login from another address (X-Forwarded-For, TRUST_PROXY=true),
 *                         so no per-address budget applies and only the hashing gate protects the loop
 *   flood-bad-keys        + 8 connections of requests with invalid API keys (the pre-authentication limit)
 *
 * Each flood runs in its own process (bench/lib/flood.js) so that generating it does not delay
 * the measured client. Prints the GET's p50/p99 per phase, the flood's answers by status and the server's CPU
 * ms per phase. Target (issue 13): the GET's p99 under a flood ≤ 2 × its idle p99.
 *
 * Env: BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306), BENCH_DATABASE (tradein_bench_13),
 * BENCH_DURATION (seconds per phase, 15), BENCH_GET_RATE (GETs per second, 50).
 */
const { fork } = require('node:child_process');
const path = require('node:path');
const autocannon = require('autocannon');
const mysql = require('mysql2/promise');
const { cpuMs, startProduct } = require('./lib/server');

const env = process.env;
const SERVER = env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
const DATABASE = env.BENCH_DATABASE || 'tradein_bench_13';
const DURATION = Number(env.BENCH_DURATION || 15);
const GET_RATE = Number(env.BENCH_GET_RATE || 50);
const PORT = 3913;
const log = (...a) => console.log(`[login-flood ${new Date().toISOString().slice(11, 19)}]`, ...a);

async function start() {
  const { child, output } = await startProduct({
    ...env,
    DATABASE_URL: `${SERVER}/${DATABASE}`,
    PORT: String(PORT),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    RATE_LIMIT: '1000000',
    TRUST_PROXY: 'true',
    NODE_ENV: 'production',
  });
  return { child, key: /X-API-Key: (tik_\S+)/.exec(output())[1] };
}

/** The flood in its own process (bench/lib/flood.js), so its event loop does not delay the measured client. */
function floodFrom(kind) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'lib', 'flood.js'), [kind, String(PORT), String(DURATION)]);
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`flood ${kind} exited with ${code}`)));
  });
}

const run = (opts) => new Promise((resolve, reject) => autocannon({ duration: DURATION, ...opts }, (err, r) => (err ? reject(err) : resolve(r))));

async function phase(name, server, flood) {
  const cpu0 = cpuMs(server.child.pid);
  // The measured client has its own address (TRUST_PROXY=true), so the floods' per-address limits do not hit it.
  const get = run({
    url: `http://127.0.0.1:${PORT}/api/v3/customers?itemsPerPage=5`,
    connections: 1,
    overallRate: GET_RATE,
    headers: { 'x-api-key': server.key, accept: 'application/json', 'x-forwarded-for': '192.0.2.10' },
  });
  const floods = flood ? floodFrom(flood) : Promise.resolve(null);
  const [g, f] = await Promise.all([get, floods]);
  const cpu = cpuMs(server.child.pid) - cpu0;
  const row = {
    phase: name,
    getP50: g.latency.p50,
    getP99: g.latency.p99,
    getRequests: g.requests.total,
    getNon2xx: g.non2xx,
    flood: f,
    serverCpuMs: cpu,
  };
  log(JSON.stringify(row));
  return row;
}

async function main() {
  const admin = await mysql.createConnection(`${SERVER}/`);
  await admin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await admin.query(`CREATE DATABASE \`${DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const server = await start();
  try {
    await phase('warm-up', server, null);
    const rows = [];
    rows.push(await phase('idle', server, null));
    for (const kind of ['health', 'login-one-ip', 'login-many-ips', 'bad-keys']) rows.push(await phase(`flood-${kind}`, server, kind));
    const idle = rows[0].getP99;
    for (const r of rows.slice(1)) log(`${r.phase}: GET p99 ${r.getP99} ms vs idle ${idle} ms → ${(r.getP99 / Math.max(1, idle)).toFixed(2)} × (target ≤ 2 ×)`);
  } finally {
    server.child.kill('SIGTERM');
    await admin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
