import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { client, ENGINE, setup, TestContext } from './helpers';

/**
 * Swagger UI through a real non-localhost address (issue 14: HSTS and upgrade-insecure-requests
 * over plain http blanked it there). Headless Chromium (Debian's package) runs in a network
 * namespace of its own, joined to this one by a veth pair, and opens the docs at the host side's
 * address. Needs root (ip netns) and /usr/bin/chromium: CI installs it (.ci/run); elsewhere the
 * suite is skipped with a note, unless CI is set.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Screenshots of the page as rendered (-top) and after Try-it-out. */
const SCREENSHOT = join(__dirname, '..', 'artifacts', 'swagger-ui.png');

const canRun = (() => {
  if (!existsSync(CHROMIUM)) return 'no /usr/bin/chromium (apt-get install -y chromium)';
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'pipe' });
  } catch {
    return 'no ip netns (needs iproute2 and root)';
  }
  return null;
})();
if (canRun && process.env.CI) throw new Error(`The Swagger UI browser check cannot run in CI: ${canRun}`);
// What it checks does not depend on the database: once per CI run (the SQLite pass).
const describeIf = canRun || ENGINE !== 'sqlite' ? describe.skip : describe;
// eslint-disable-next-line no-console -- tells the CI log why the browser check did not run
if (canRun) console.warn(`Skipping the Swagger UI browser check: ${canRun}`);

// Addresses of the benchmarking range (RFC 2544), unique per test process.
const n = process.pid % 250;
const NS = `ti14-${process.pid}`;
const HOST_IF = `ti${process.pid % 100000}h`;
const NS_IF = `ti${process.pid % 100000}n`;
const HOST_IP = `198.18.${n}.1`;
const NS_IP = `198.18.${n}.2`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

let ctx: TestContext;
let browser: Browser;
let docs: string;

describeIf('Swagger UI in headless Chromium on a non-localhost address', () => {
  beforeAll(async () => {
    ctx = await setup({ trustProxy: true });
    await ctx.app.listen(0, '0.0.0.0');
    const port = (ctx.app.getHttpServer().address() as { port: number }).port;
    ip('netns', 'add', NS);
    ip('link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF);
    ip('link', 'set', NS_IF, 'netns', NS);
    ip('addr', 'add', `${HOST_IP}/30`, 'dev', HOST_IF);
    ip('link', 'set', HOST_IF, 'up');
    ip('netns', 'exec', NS, 'ip', 'addr', 'add', `${NS_IP}/30`, 'dev', NS_IF);
    ip('netns', 'exec', NS, 'ip', 'link', 'set', NS_IF, 'up');
    ip('netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up');
    // Chromium is started by Playwright through this wrapper, inside the namespace.
    const dir = mkdtempSync(join(tmpdir(), 'chromium-netns-'));
    const wrapper = join(dir, 'chromium');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${NS} ${CHROMIUM} "$@"\n`);
    chmodSync(wrapper, 0o755);
    browser = await chromium.launch({ executablePath: wrapper, args: ARGS, timeout: 60_000 });
    docs = `http://${HOST_IP}:${port}/api/docs`;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    try {
      ip('netns', 'del', NS);
    } catch {
      /* already gone */
    }
    try {
      ip('link', 'del', HOST_IF);
    } catch {
      /* removed with the namespace */
    }
    await ctx?.close();
  });

  it('renders, and Try-it-out with the Authorize box lists customers', async () => {
    await client(ctx, ctx.a.manager).post('/api/v3/customers', { companyName: 'Mari Tamm OÜ', lastName: 'Tamm' }).expect(201);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
    await page.goto(docs);
    await page.locator('.swagger-ui .info .title', { hasText: 'Trade-in API' }).waitFor({ timeout: 30_000 });
    expect(failed).toEqual([]);
    mkdirSync(join(__dirname, '..', 'artifacts'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.replace('.png', '-top.png') });

    await page.locator('.swagger-ui .auth-wrapper button.authorize').click();
    const apiKey = page.locator('.auth-container', { hasText: 'X-API-Key' });
    await apiKey.locator('input').fill(ctx.a.manager);
    await apiKey.locator('button.authorize').click();
    await apiKey.locator('button.btn-done').click();

    const operation = page.locator('#operations-Customers-Customers_list');
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    await operation.locator('button.execute').click();
    const status = operation.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor({ timeout: 30_000 });
    expect((await status.innerText()).trim()).toBe('200');
    expect(await operation.locator('.live-responses-table .microlight').first().innerText()).toContain('Mari Tamm OÜ');
    await status.scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(failed).toEqual([]);
    await page.close();
  }, 120_000);

  it('stays blank when the server wrongly asks for https (the check can fail)', async () => {
    // A trusted proxy saying https: the server sends upgrade-insecure-requests, the browser rewrites
    // the UI's assets to https, and nothing answers there.
    const page = await browser.newPage({ extraHTTPHeaders: { 'X-Forwarded-Proto': 'https' } });
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.goto(docs);
    await page.waitForLoadState('load');
    await page.waitForTimeout(1000);
    expect(await page.locator('.swagger-ui .info .title').count()).toBe(0);
    expect(failed.some((u) => u.startsWith('https://'))).toBe(true);
    await page.close();
  }, 60_000);
});
