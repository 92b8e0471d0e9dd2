'use strict';
/**
 * `npm run build && node bench/webhooks.js`: what webhooks cost and how fast they arrive (issue 16).
 * Starts the product (dist/main.js) on a fresh database with a loopback receiver, then alternates
 * rounds of the bench's create load (autocannon, POST /api/v3/trade-ins) with the subscription
 * disabled and enabled. Reports create req/s and CPU per request in both modes (their ratio: the
 * price of delivering) and the delivery lag from the event's commit (its outbox timestamp) to its
 * receipt, p50/p99, under that load, and then at a steady rate (BENCH_RATE creates/s, open loop). The outbox itself is written in both modes (it is part of every
 * write); its cost against the bare baseline is run.js's `create` ratio.
 *
 * Env: BENCH_ENGINE=mysql|sqlite (default mysql), BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306),
 * BENCH_DURATION (seconds per round, 10), BENCH_ROUNDS (pairs, 3), BENCH_CONNECTIONS (10), BENCH_RATE (creates per second of the steady phase, 100), JOBS_TICK_MS (passed through; 1000 by default).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');
const mysql = require('mysql2/promise');

const ROOT = path.resolve(__dirname, '..');
const env = process.env;
const ENGINE = env.BENCH_ENGINE === 'sqlite' ? 'sqlite' : 'mysql';
const SERVER_URL = env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
const DURATION = Number(env.BENCH_DURATION || 10);
const ROUNDS = Number(env.BENCH_ROUNDS || 3);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS || 10);
const RATE = Number(env.BENCH_RATE || 100);
const PORT = 3391;
const log = (m) => console.log(`[webhooks bench] ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null);

/** CPU time (user + system) of a process so far, from /proc (clock ticks of 100 Hz, as run.js assumes). */
function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function main() {
  const receipts = new Map(); // event id → lag ms (first receipt)
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const e = JSON.parse(body);
      if (!receipts.has(e.id)) receipts.set(e.id, Date.now() - Date.parse(e.timestamp));
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`;

  let where;
  let drop = async () => undefined;
  if (ENGINE === 'mysql') {
    const name = `tradein_bench_hooks_${process.pid}`;
    const admin = await mysql.createConnection(`${SERVER_URL}/`);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    where = { DATABASE_URL: `${SERVER_URL}/${name}` };
    drop = async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    };
  } else {
    const file = path.join(os.tmpdir(), `tradein_bench_hooks_${process.pid}.sqlite`);
    where = { SQLITE_PATH: file, DATABASE_URL: '' };
    drop = async () => ['', '-wal', '-shm'].forEach((s) => fs.rmSync(file + s, { force: true }));
  }
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, ...where, PORT: String(PORT), HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'silent', RATE_LIMIT: '1000000000', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    for (let i = 0; !/X-API-Key: (tik_\S+)/.test(out); i++) {
      if (i > 600 || child.exitCode !== null) throw new Error(`server did not start:\n${out}`);
      await sleep(100);
    }
    const key = /X-API-Key: (tik_\S+)/.exec(out)[1];
    const base = `http://127.0.0.1:${PORT}`;
    const api = async (method, p, body) => {
      const r = await fetch(base + p, {
        method,
        headers: { 'X-API-Key': key, Accept: 'application/json', 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' },
        body: body && JSON.stringify(body),
      });
      return r.json();
    };
    const hook = await api('POST', '/api/v3/webhooks', { url: hookUrl, eventTypes: ['trade_in.created'], enabled: false });
    let n = 0;
    const request = {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, accept: 'application/json' },
      setupRequest: (req) => ({
        ...req,
        path: '/api/v3/trade-ins',
        body: JSON.stringify({ vehicleModel: { make: 'Volkswagen', model: 'Golf', mileage: 1000 + (n++ % 100000) }, customerAskingPrice: 9500 }),
      }),
    };
    const run = async () => {
      const cpu0 = cpuMs(child.pid);
      const r = await autocannon({ url: base, connections: CONNECTIONS, duration: DURATION, requests: [request] });
      const cpu = cpuMs(child.pid) - cpu0;
      return { reqPerSec: Math.round(r.requests.average), p99Ms: r.latency.p99, cpuMsPerReq: Math.round((cpu / Math.max(1, r.requests.total)) * 1000) / 1000, non2xx: r.non2xx };
    };
    await autocannon({ url: base, connections: CONNECTIONS, duration: 3, requests: [request] }); // warm-up
    const rows = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await api('PATCH', `/api/v3/webhooks/${hook.id}`, { enabled: false });
      const off = await run();
      await api('PATCH', `/api/v3/webhooks/${hook.id}`, { enabled: true });
      receipts.clear();
      const on = await run();
      // wait for the round's deliveries (at most 60 s after the load)
      const expected = on.reqPerSec * DURATION * 0.95;
      for (let w = 0; w < 600 && receipts.size < expected; w++) await sleep(100);
      const lags = [...receipts.values()].sort((a, b) => a - b);
      const row = { round, off, on, ratio: Math.round((on.reqPerSec / off.reqPerSec) * 100) / 100, delivered: lags.length, lagP50Ms: pct(lags, 50), lagP99Ms: pct(lags, 99) };
      rows.push(row);
      log(
        `round ${round}: create off ${off.reqPerSec} req/s (${off.cpuMsPerReq} ms CPU/req) | on ${on.reqPerSec} req/s (${on.cpuMsPerReq} ms CPU/req) | ratio ${row.ratio} | lag p50 ${row.lagP50Ms} ms p99 ${row.lagP99Ms} ms over ${row.delivered} deliveries`,
      );
    }
    // Lag at a steady create rate (open loop, BENCH_RATE per second): the time from commit to receipt when deliveries keep up.
    await api('PATCH', `/api/v3/webhooks/${hook.id}`, { enabled: true });
    receipts.clear();
    const steady = await autocannon({ url: base, connections: CONNECTIONS, duration: DURATION, overallRate: RATE, requests: [request] });
    for (let w = 0; w < 600 && receipts.size < steady.requests.total * 0.99; w++) await sleep(100);
    const steadyLags = [...receipts.values()].sort((a, b) => a - b);
    log(
      `steady ${RATE} creates/s: ${steady.requests.total} creates, ${steadyLags.length} delivered, lag p50 ${pct(steadyLags, 50)} ms p99 ${pct(steadyLags, 99)} ms max ${steadyLags[steadyLags.length - 1]} ms`,
    );
    const med = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    log(
      `median: ratio on/off ${med(rows.map((r) => r.ratio))}, lag p50 ${med(rows.map((r) => r.lagP50Ms))} ms, p99 ${med(rows.map((r) => r.lagP99Ms))} ms (${ENGINE}, ${CONNECTIONS} connections, ${DURATION} s rounds, JOBS_TICK_MS ${env.JOBS_TICK_MS || 1000}, load average ${os.loadavg()[0].toFixed(2)})`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    receiver.close();
    await drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
