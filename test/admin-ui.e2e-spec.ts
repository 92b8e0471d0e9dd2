/**
 * The staff admin at /admin (issue 15): the built files (npm run build → dist/admin), compressed at
 * build time, with a CSP of their own that allows what the admin needs and nothing more.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ADMIN_DIR } from '../src/admin-ui/admin-ui';
import { setup, TestContext } from './helpers';

let ctx: TestContext;
// Static files, not API operations: outside the OpenAPI document, so not contract-checked.
const http = () => request(ctx.app.getHttpServer());

beforeAll(async () => {
  if (!existsSync(join(ADMIN_DIR, 'index.html'))) execFileSync(process.execPath, [join(__dirname, '..', 'admin', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
  ctx = await setup();
}, 120_000);
afterAll(() => ctx.close());

const csp = (res: request.Response) =>
  Object.fromEntries(
    String(res.headers['content-security-policy'])
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k, v]),
  );

describe('/admin', () => {
  it('/admin redirects to /admin/, which serves the page', async () => {
    await http().get('/admin').expect(301).expect('Location', '/admin/');
    const page = await http()
      .get('/admin/')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(page.text).toContain('<script type="module" src="./main.js">');
  });

  it('the page and its script are sent brotli-compressed when the browser accepts it, gzip otherwise, and revalidated', async () => {
    const br = await http()
      .get('/admin/main.js')
      .set('Accept-Encoding', 'gzip, deflate, br')
      .buffer(true)
      .parse((res, cb) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => cb(null, n));
      });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(br.headers['cache-control']).toBe('no-cache');
    expect(br.headers['etag']).toBeTruthy();
    const gz = await http().get('/admin/main.js').set('Accept-Encoding', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
  });

  it('has a CSP of its own: scripts and connections to this origin only, picture thumbnails from any http(s) host, no frames or plugins', async () => {
    const res = await http().get('/admin/').expect(200);
    const d = csp(res);
    expect(d['script-src']).toEqual(["'self'"]);
    expect(d['connect-src']).toEqual(["'self'"]);
    expect(d['img-src']).toEqual(["'self'", 'data:', 'https:', 'http:']);
    expect(d['object-src']).toEqual(["'none'"]);
    expect(d['frame-ancestors']).toEqual(["'none'"]);
    expect(String(res.headers['content-security-policy'])).not.toMatch(/unsafe-eval|upgrade-insecure-requests/);
    // The API keeps its own, stricter policy (no third-party images).
    const api = await http().get('/health');
    expect(csp(api)['img-src']).toEqual(["'self'", 'data:']);
  });

  it('a file that is not there is a 404', async () => {
    await http().get('/admin/nothing-here.js').expect(404);
  });
});
