import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE } from './helpers';

/**
 * `npm start` as a newcomer sees it (issue 14): the first-start key is the last thing printed
 * (no route-mapping lines after or around it), and request logs carry the request id, tenant
 * and key id. Runs the real entry point (src/main.ts through ts-node) on a fresh SQLite file;
 * once per run (it does not depend on TEST_DB).
 */
const run = ENGINE === 'sqlite' ? describe : describe.skip;
let child: ChildProcess;
let out = '';
let port = 0;

const until = (test: () => boolean, what: string, ms = 90_000) =>
  new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const tick = () => (test() ? resolve() : Date.now() - started > ms ? reject(new Error(`timed out waiting for ${what}:\n${out.slice(-2000)}`)) : setTimeout(tick, 100));
    tick();
  });

run('start-up and request logs', () => {
  beforeAll(async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const dir = mkdtempSync(join(tmpdir(), 'trade-in-start-'));
    const root = join(__dirname, '..');
    child = spawn(process.execPath, ['-r', join(root, 'node_modules', 'ts-node', 'register', 'transpile-only'), join(root, 'src', 'main.ts')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        TS_NODE_PROJECT: join(root, 'tsconfig.json'),
        PORT: String(port),
        HOST: '127.0.0.1',
        SQLITE_PATH: join(dir, 'db.sqlite'),
        UPLOAD_DIR: join(dir, 'uploads'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    await until(() => /Try: curl[^\n]*\n=+\n/.test(out), 'the first-start key');
  }, 120_000);

  afterAll(() => {
    child?.kill();
  });

  it('prints the first-start key last, after one line saying where it listens', async () => {
    await new Promise((r) => setTimeout(r, 1000)); // anything printed late would show up now
    const lines = out.trimEnd().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^=+$/);
    expect(lines[lines.length - 2]).toMatch(/Try: curl -H 'X-API-Key: tik_/);
    const before = out.slice(0, out.indexOf('First start')).trim().split('\n').filter(Boolean);
    expect(before).toEqual([expect.stringMatching(/^Trade-in API listening on http:\/\/localhost:\d+ /), expect.stringMatching(/^=+$/)]);
    expect(out).not.toMatch(/Mapped \{|RouterExplorer|RoutesResolver|InstanceLoader/);
  });

  it('logs each request with its X-Request-Id, the tenant and the key id, never the key', async () => {
    const key = /X-API-Key: (tik_[\w-]+)/.exec(out)![1];
    const res = await fetch(`http://127.0.0.1:${port}/api/v3/customers`, { headers: { 'X-API-Key': key, 'X-Request-Id': 'startup-check-1', Accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('startup-check-1');
    await until(() => out.includes('"startup-check-1"'), 'the request log line', 10_000);
    const line = out.split('\n').find((l) => l.includes('"startup-check-1"'))!;
    const log = JSON.parse(line);
    expect(log).toMatchObject({ req: { id: 'startup-check-1', method: 'GET' }, res: { statusCode: 200 }, tenantId: expect.any(Number), keyId: expect.any(Number) });
    expect(line).not.toContain(key);
  });
});
