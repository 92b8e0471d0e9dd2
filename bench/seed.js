'use strict';
/**
 * `npm run bench:seed`: seeds ONE database of a given size with the benchmark's data and keeps
 * it, so anyone can probe it by hand (EXPLAIN, curl) or point `npm run bench` at it.
 *
 *   BENCH_SIZE=1000000                  trade-ins (default 100000)
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/tradein_probe   MariaDB: server and database name (recreated)
 *   BENCH_DATABASE=tradein_probe        or only the name, on BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306)
 *   BENCH_SQLITE_PATH=data/bench.sqlite an SQLite file instead (recreated)
 *
 * Prints the load tenant's admin and manager API keys and how to start the product on it.
 */
const path = require('node:path');
const { seed } = require('./lib/seed');

async function main() {
  const env = process.env;
  const size = Number(env.BENCH_SIZE || 100000);
  if (!Number.isInteger(size) || size < 20) throw new Error(`BENCH_SIZE must be an integer >= 20, got "${env.BENCH_SIZE}"`);
  let target;
  if (env.BENCH_SQLITE_PATH) target = { sqlitePath: path.resolve(env.BENCH_SQLITE_PATH) };
  else if (env.DATABASE_URL) {
    const m = /^(mysql|mariadb):\/\/([^/]+)\/([A-Za-z0-9_]+)$/.exec(env.DATABASE_URL);
    if (!m) throw new Error('DATABASE_URL must look like mysql://user@host:3306/database');
    target = { serverUrl: `mysql://${m[2]}`, database: m[3] };
  } else target = { serverUrl: env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306', database: env.BENCH_DATABASE || 'tradein_bench' };

  const where = target.sqlitePath ?? `${target.serverUrl}/${target.database}`;
  console.log(`Seeding ${size} trade-ins into ${where} (dropped and recreated) ...`);
  const data = await seed({ ...target, size, log: console.log });
  const url = data.databaseUrl ? `DATABASE_URL=${data.databaseUrl}` : `SQLITE_PATH=${data.sqlitePath}`;
  console.log(`
Seeded in ${data.seconds.toFixed(1)} s: the load tenant "bench" holds ${data.tenantRows} trade-ins (ids ${data.minId}..${data.maxId}).
  admin key:   ${data.adminKey}
  manager key: ${data.key}
Start the product on it:
  ${url} BOOTSTRAP=false npm start
  curl -H "X-API-Key: ${data.adminKey}" 'localhost:3000/api/v3/trade-ins?order[vehicleModel.make]=asc&partial=true'`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
