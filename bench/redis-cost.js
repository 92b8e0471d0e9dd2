'use strict';
/**
 * `node bench/redis-cost.js` (after `npm run build`): what the shared state of several instances
 * costs one instance (issue 18). Seeds BENCH_SIZE trade-ins, starts the product twice on that
 * database — once in memory (no REDIS_URL), once with REDIS_URL (rate limits, budgets and
 * invalidations in Redis) — and loads them in turn, BENCH_ROUNDS interleaved rounds per scenario
 * (the order alternates between rounds), so a burst of other work on the machine hits both:
 *
 *   list-default  GET /api/v3/trade-ins (30 trade-ins; with Redis: one throttler script per request)
 *   create        POST /api/v3/trade-ins (with Redis: the throttler script and one PUBLISH per commit)
 *
 * Prints req/s, p99 and the server's CPU ms per request (user + system, /proc) per round and the
 * medians; target: Redis costs ≤ 10 % (throughput and CPU per request). RATE_LIMIT is high, as in
 * bench/run.js, so each key's window holds every request of the last minute (the worst case of the
 * Redis sorted set, and of the in-memory list).
 *
 * Env: BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306), BENCH_DATABASE (tradein_bench_18),
 * BENCH_REDIS_URL (redis://127.0.0.1:6379), BENCH_SIZE (10000), BENCH_DURATION (seconds per run, 10),
 * BENCH_WARMUP (seconds, 3), BENCH_ROUNDS (3), BENCH_CONNECTIONS (10), BENCH_RATE (requests per second
 * over all connections; unset = as fast as the server answers).
 */
const autocannon = require('autocannon');
const Redis = require('ioredis');
const mysql = require('mysql2/promise');
const { seed } = require('./lib/seed');
const { cpuMs, startProduct } = require('./lib/server');

const env = process.env;
const SERVER = env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
const DATABASE = env.BENCH_DATABASE || 'tradein_bench_18';
const REDIS_URL = env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';
const REDIS_PREFIX = `tradein_bench_${process.pid}:`;
const SIZE = Number(env.BENCH_SIZE || 10_000);
const DURATION = Number(env.BENCH_DURATION || 10);
const WARMUP = Number(env.BENCH_WARMUP || 3);
const ROUNDS = Number(env.BENCH_ROUNDS || 3);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS || 10);
const RATE = Number(env.BENCH_RATE || 0);
const log = (...a) => console.log(`[redis-cost ${new Date().toISOString().slice(11, 19)}]`, ...a);

async function start(name, port, extraEnv) {
  const { child } = await startProduct({
    ...env,
    DATABASE_URL: `${SERVER}/${DATABASE}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    RATE_LIMIT: '1000000000',
    BOOTSTRAP: 'false',
    NODE_ENV: 'production',
    ...extraEnv,
  });
  return { name, port, child };
}

function scenarios(data) {
  let n = 0;
  return {
    'list-default': { method: 'GET', path: '/api/v3/trade-ins' },
    create: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => ({
        ...req,
        path: '/api/v3/trade-ins',
        body: JSON.stringify({
          customer: `/api/v3/customers/${data.customerId}`,
          dealership: `/api/v3/locations/${data.dealershipId}`,
          vehicleModel: { make: 'Volkswagen', model: 'Golf', regNr: `R${String(++n % 100000).padStart(5, '0')}`, mileage: 35000, firstRegistrationDate: '2020-02-20' },
          customerAskingPrice: 9500,
        }),
      }),
    },
  };
}

async function load(server, key, request, seconds) {
  const before = cpuMs(server.child.pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'x-api-key': key, accept: 'application/ld+json', ...(request.headers || {}) },
    requests: [request],
    // A fixed rate (BENCH_RATE) gives both servers the same work whatever the machine's load, for CPU per request.
    ...(RATE ? { overallRate: RATE } : {}),
  });
  const cpu = cpuMs(server.child.pid) - before;
  const ok = result['2xx'];
  return { reqPerSec: Math.round(ok / seconds), p99Ms: result.latency.p99, cpuMsPerReq: ok ? cpu / ok : null, errors: result.non2xx + result.errors };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The same difference measured without HTTP or the database around it, in this process: the CPU
 * time of what an instance with REDIS_URL does more per request (a throttler script instead of the
 * in-memory window) and per committed write (a PUBLISH, and hearing its own message). Sequential
 * calls, so the client's share of each Redis round trip is counted, not Redis's own work.
 */
async function isolated() {
  const { RedisConnections } = require('../dist/shared-state/redis.connections');
  const { RedisThrottlerStorage } = require('../dist/shared-state/redis-throttler.storage');
  const { RedisInvalidationBus } = require('../dist/shared-state/redis-invalidation.bus');
  const { InMemoryThrottlerStorage } = require('../dist/common/throttle.storage');
  const connections = new RedisConnections({ url: REDIS_URL, prefix: REDIS_PREFIX, commandTimeoutMs: 2000 });
  while (!connections.ready()) await new Promise((r) => setTimeout(r, 20));
  const perCallUs = async (n, call) => {
    for (let i = 0; i < 500; i++) await call(i); // warm-up (JIT, script cache)
    const before = process.cpuUsage();
    for (let i = 0; i < n; i++) await call(i);
    await new Promise((r) => setTimeout(r, 200)); // the last messages heard back
    const used = process.cpuUsage(before);
    return (used.user + used.system) / n;
  };
  const memory = new InMemoryThrottlerStorage();
  const redis = new RedisThrottlerStorage(connections, memory);
  const bus = new RedisInvalidationBus(connections);
  try {
    return {
      throttleMemoryUs: await perCallUs(20_000, () => memory.increment('bench-memory', 60_000, 1e9, 60_000, 'default')),
      throttleRedisUs: await perCallUs(20_000, () => redis.increment('bench-redis', 60_000, 1e9, 60_000, 'default')),
      publishUs: await perCallUs(5_000, () => bus.publish('bench')),
    };
  } finally {
    await connections.onApplicationShutdown();
  }
}

async function main() {
  log(`seeding ${SIZE} trade-ins into ${DATABASE}`);
  const data = await seed({ serverUrl: SERVER, database: DATABASE, size: SIZE, log });
  const memory = await start('memory', 3918, { REDIS_URL: '' });
  const redis = await start('redis', 3919, { REDIS_URL, REDIS_PREFIX });
  const results = {};
  let cost;
  try {
    for (const [name, request] of Object.entries(scenarios(data))) {
      for (const s of [memory, redis]) await load(s, data.key, request, WARMUP);
      const runs = { memory: [], redis: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const s of round % 2 ? [redis, memory] : [memory, redis]) {
          const r = await load(s, data.key, request, DURATION);
          runs[s.name].push(r);
          log(`${name.padEnd(12)} round ${round + 1} ${s.name.padEnd(6)} ${String(r.reqPerSec).padStart(6)} req/s  p99 ${r.p99Ms} ms  cpu ${r.cpuMsPerReq?.toFixed(3)} ms/req  errors ${r.errors}`);
        }
      }
      const m = (side, k) => median(runs[side].map((r) => r[k]));
      results[name] = {
        memory: { reqPerSec: m('memory', 'reqPerSec'), cpuMsPerReq: m('memory', 'cpuMsPerReq'), p99Ms: m('memory', 'p99Ms') },
        redis: { reqPerSec: m('redis', 'reqPerSec'), cpuMsPerReq: m('redis', 'cpuMsPerReq'), p99Ms: m('redis', 'p99Ms') },
        errors: [...runs.memory, ...runs.redis].reduce((sum, r) => sum + r.errors, 0),
      };
    }
    cost = await isolated();
  } finally {
    memory.child.kill();
    redis.child.kill();
    const client = new Redis(REDIS_URL);
    const keys = await client.keys(`${REDIS_PREFIX}*`);
    if (keys.length) await client.del(...keys);
    client.disconnect();
    if (!env.BENCH_KEEP_DB) {
      const conn = await mysql.createConnection(SERVER);
      await conn.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
      await conn.end();
    }
  }
  console.log(`\n${SIZE} trade-ins, ${CONNECTIONS} connections${RATE ? ` at ${RATE} req/s` : ''}, ${ROUNDS} interleaved rounds of ${DURATION} s (medians)\n`);
  console.log('| scenario | memory req/s | Redis req/s | throughput cost | memory CPU ms/req | Redis CPU ms/req | CPU cost | p99 memory / Redis (ms) | errors |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  let within = true;
  for (const [name, r] of Object.entries(results)) {
    const throughputCost = 1 - r.redis.reqPerSec / r.memory.reqPerSec;
    const cpuCost = r.redis.cpuMsPerReq / r.memory.cpuMsPerReq - 1;
    within &&= cpuCost <= 0.1 && r.errors === 0;
    const pct = (x) => `${(x * 100).toFixed(1)} %`;
    console.log(
      `| ${name} | ${r.memory.reqPerSec} | ${r.redis.reqPerSec} | ${pct(throughputCost)} | ${r.memory.cpuMsPerReq.toFixed(3)} | ${r.redis.cpuMsPerReq.toFixed(3)} | ${pct(cpuCost)} | ${r.memory.p99Ms} / ${r.redis.p99Ms} | ${r.errors} |`,
    );
  }
  console.log(`\ntarget (CPU per request with Redis ≤ +10 %, no errors): ${within ? 'met' : 'NOT met'}`);

  const extra = { 'list-default': cost.throttleRedisUs - cost.throttleMemoryUs, create: cost.throttleRedisUs - cost.throttleMemoryUs + cost.publishUs };
  console.log(
    `\nIn isolation (CPU µs per call in this process): throttler in memory ${cost.throttleMemoryUs.toFixed(1)}, in Redis ${cost.throttleRedisUs.toFixed(1)}; ` +
      `publish + hearing it ${cost.publishUs.toFixed(1)}.`,
  );
  for (const [name, us] of Object.entries(extra)) {
    console.log(`${name}: +${us.toFixed(1)} µs per request = ${((us / 1000 / results[name].memory.cpuMsPerReq) * 100).toFixed(1)} % of the in-memory server's CPU per request above`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
