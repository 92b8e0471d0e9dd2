'use strict';
/**
 * A flood of requests from its own process (`fork`ed by bench/login-flood.js), so that the load
 * generator's event loop — parsing a thousand or more answers a second — does not delay the
 * measured client's own requests and timers (with both in one process the measured p99 carried
 * the generator's stalls). Usage: fork(__filename, [kind, port, durationSeconds]); the result
 * ({ requests, statuses }) comes back as one IPC message.
 */
const autocannon = require('autocannon');

const [kind, port, duration] = process.argv.slice(2);

function login(spread) {
  let n = 0;
  return {
    path: '/api/default/auth/login',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    setupClient: (client) => {
      client.setHeaders({ 'content-type': 'application/json' });
      client.on('response', () => {
        n++;
        const headers = { 'content-type': 'application/json', 'x-forwarded-for': spread ? `198.18.${(n >> 8) & 255}.${n & 255}` : '198.51.100.1' };
        client.setHeadersAndBody(headers, JSON.stringify({ email: `nobody${n}@example.com`, password: 'guessing a password' }));
      });
    },
    body: JSON.stringify({ email: 'nobody@example.com', password: 'guessing a password' }),
  };
}

const FLOODS = {
  // The floor any 8-connection flood sets on this machine: cheap requests as fast as they come back.
  health: { path: '/health', headers: { 'x-forwarded-for': '198.51.100.2' } },
  'login-one-ip': login(false),
  'login-many-ips': login(true),
  'bad-keys': { path: '/api/v3/customers', headers: { 'x-api-key': 'tik_not-a-valid-key-xxxxxxxxxxxxxxxxxxxxxxxx', 'x-forwarded-for': '198.51.100.3' } },
};

const flood = FLOODS[kind];
if (!flood) throw new Error(`unknown flood ${kind}: ${Object.keys(FLOODS).join(', ')}`);
autocannon({ connections: 8, duration: Number(duration), ...flood, url: `http://127.0.0.1:${port}${flood.path}` }, (err, r) => {
  if (err) throw err;
  const statuses = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([s, v]) => [s, v.count]));
  process.send({ requests: r.requests.total, statuses }, () => process.exit(0));
});
