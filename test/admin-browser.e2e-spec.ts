/**
 * The staff admin in headless Chromium against the real server (issue 15): sign in, filter the
 * trade-in list, open a trade-in with pictures and comments, add a comment, meet the lock after
 * done in the edit form, move the status with the buttons (and see a refusal's unmet requirements),
 * and make an offer on a programme submission. Each page is screenshotted into artifacts/admin-*.png
 * and checked with axe (no serious or critical violations); console errors fail the test.
 *
 * Needs /usr/bin/chromium (.ci/run installs it); elsewhere skipped with a note, unless CI is set.
 * Runs in the SQLite pass only: the browser checks the admin, not the database.
 */
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { ADMIN_DIR } from '../src/admin-ui/admin-ui';
import { client, ENGINE, setup, TestContext } from './helpers';
import { noPhotosRequired } from './programme-flow';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(__dirname, '..', 'artifacts');
const PASSWORD = 'correct horse battery staple';

const missing = existsSync(CHROMIUM) ? null : 'no /usr/bin/chromium (apt-get install -y chromium)';
if (missing && process.env.CI) throw new Error(`The admin browser test cannot run in CI: ${missing}`);
// eslint-disable-next-line no-console
if (missing) console.warn(`Skipping the admin browser test: ${missing}`);
const describeIf = missing || ENGINE !== 'sqlite' ? describe.skip : describe;
jest.setTimeout(120_000);

/** The built admin, rebuilt when a source file is newer than the bundle (dist/ is not committed). */
function ensureBuilt(): void {
  const bundle = join(ADMIN_DIR, 'main.js');
  const src = join(__dirname, '..', 'admin', 'src');
  const inputs = [...readdirSync(src).map((f) => join(src, f)), join(src, '..', 'index.html'), join(src, '..', 'build.mjs')];
  const newest = Math.max(...inputs.map((f) => statSync(f).mtimeMs));
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < newest) execFileSync(process.execPath, [join(__dirname, '..', 'admin', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
}

/** Car pictures on "another host" (the dealer's picture storage): coloured SVGs. */
function pictureHost(): Promise<{ server: Server; url: string }> {
  const colours: Record<string, string> = { front: '#1b6f7a', odometer: '#7a4b1b', interior: '#4b1b7a', extra: '#555' };
  const server = createServer((req, res) => {
    const name = /\/(\w+)\.svg$/.exec(req.url ?? '')?.[1] ?? 'extra';
    res.writeHead(200, { 'Content-Type': 'image/svg+xml' });
    res.end(
      `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200"><rect width="320" height="200" fill="${colours[name] ?? '#555'}"/><text x="20" y="110" font-size="36" fill="#fff">${name}</text></svg>`,
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

let ctx: TestContext;
let browser: Browser;
let page: Page;
let base: string;
let pictures: { server: Server; url: string };
const errors: string[] = [];
const ids: Record<string, number> = {};
let submissionId: string;

/** Serious and critical axe findings per page, asserted at the end (a finding does not stop the walk through the pages). */
const axeFindings: Record<string, string[]> = {};

async function look(name: string): Promise<void> {
  // A toast fading in or out has a contrast of its own moment (axe flagged the snackbar mid-transition once): let every
  // finite CSS transition and animation finish first (spinners run forever and are left alone).
  type Animations = { document: { getAnimations(): { playState: string; effect: { getComputedTiming(): { endTime?: number | string } } | null }[] } };
  const settled = () => (globalThis as unknown as Animations).document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity);
  await page.waitForFunction(settled, undefined, { timeout: 10_000 });
  await page.screenshot({ path: join(ARTIFACTS, `admin-${name}.png`), fullPage: true });
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  axeFindings[name] = serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

const VEHICLE = { make: 'Volkswagen', model: 'Golf', firstRegistrationDate: '2020-02-20', mileage: 40000, regNr: '123ABC' };

describeIf('the admin in headless Chromium', () => {
  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    ctx = await setup();
    await ctx.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(ctx.app.getHttpServer().address() as { port: number }).port}`;
    pictures = await pictureHost();
    await ctx.http().put(`/api/v3/users/${ctx.a.managerUserId}/password`).set('X-API-Key', ctx.a.admin).set('Content-Type', 'application/json').send({ password: PASSWORD }).expect(204);

    const a = client(ctx, ctx.a.manager);
    const customer = (await a.post('/api/v3/customers', { firstName: 'Mari', lastName: 'Tamm' }).expect(201)).body;
    ids.customer = customer.id;
    ids.shown = (
      await a.post('/api/v3/trade-ins', { vehicleModel: VEHICLE, customerAskingPrice: 9500, customer: customer.iri, condition: { fullService: true, smokedInCar: false } }).expect(201)
    ).body.id;
    await a
      .post(`/api/v3/trade-ins/${ids.shown}/pictures`, [
        { url: `${pictures.url}/extra.svg` },
        { url: `${pictures.url}/odometer.svg`, pictureType: '/api/v3/picture-types/odometer' },
        { url: `${pictures.url}/front.svg`, pictureType: '/api/v3/picture-types/exterior_front' },
      ])
      .expect(200);
    await client(ctx, ctx.a.admin)
      .post(`/api/v3/trade-ins/${ids.shown}/comments`, [{ comment: 'Customer says the timing belt was changed in 2023.' }])
      .expect(200);
    ids.audi = (await a.post('/api/v3/trade-ins', { vehicleModel: { ...VEHICLE, make: 'Audi', model: 'A4', regNr: '456DEF' } }).expect(201)).body.id;
    ids.locked = (await a.post('/api/v3/trade-ins', { vehicleModel: { ...VEHICLE, make: 'Skoda', model: 'Octavia', regNr: '789GHI' }, purchasePrice: 7000 }).expect(201)).body.id;
    await a.patch(`/api/v3/trade-ins/${ids.locked}/status/ready-for-appraisal`).expect(200);

    // A programme submission waiting for an offer, with a valuation behind its automatic quote (and no photo required: issue 17 made one photo required by default).
    await noPhotosRequired(ctx, ctx.a.admin);
    await client(ctx, ctx.a.admin).post('/api/alpha/admin/valuations', { product_id: 'golf-7', make: 'Volkswagen', model: 'Golf', year_from: 2017, year_to: 2020, base_value: 12000 }).expect(201);
    await ctx.http().post('/api/alpha/auth/register').send({ email: 'walker@example.com', password: 'correct horse battery', first_name: 'Kalle', last_name: 'Kask' }).expect(202);
    const token = (await ctx.http().post('/api/alpha/auth/login').send({ email: 'walker@example.com', password: 'correct horse battery' }).expect(200)).body.token;
    const sub = await ctx
      .http()
      .post('/api/alpha/submissions')
      .set('Authorization', `Bearer ${token}`)
      .send({ make: 'Volkswagen', model: 'Golf', first_registration_date: '2019-05-01', mileage: 84000, serial_number: 'SN-1', condition: 'good' })
      .expect(201);
    submissionId = sub.body.id;
    await ctx.http().post(`/api/alpha/submissions/${submissionId}`).set('Authorization', `Bearer ${token}`).expect(200);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    // axe needs a page of a context of our own.
    page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && errors.push(`status of ${r.status()}: ${r.request().method()} ${r.url()}`));
    page.on('pageerror', (e) => errors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    pictures?.server.close();
    await ctx?.close();
  });

  afterEach(() => {
    // Refusals the test provokes (422, 409) log a failed resource load in the console; nothing else may fail.
    expect(errors.filter((e) => !/status of (409|422)/.test(e))).toEqual([]);
    errors.length = 0;
  });

  it('signs in with the dealer group, e-mail and password', async () => {
    await page.goto(`${base}/admin/`);
    // The admin reads the Hydra documentation (api-doc-parser expands it with jsonld.js) before it shows anything: seconds on a busy machine.
    await page.getByLabel('E-mail').waitFor({ timeout: 90_000 });
    // Everything the first load transferred (page, script, Hydra documentation), compressed as sent.
    const bytes = await page.evaluate(() => {
      // Browser code (no DOM types in this tsconfig): the page's own performance timeline.
      const timeline = (globalThis as unknown as { performance: { getEntriesByType(type: string): { transferSize: number }[] } }).performance;
      return [...timeline.getEntriesByType('navigation'), ...timeline.getEntriesByType('resource')].reduce((n, e) => n + e.transferSize, 0);
    });
    writeFileSync(join(ARTIFACTS, 'admin-first-load.json'), JSON.stringify({ bytes }));
    expect(bytes).toBeGreaterThan(100_000);
    expect(bytes).toBeLessThanOrEqual(1_000_000);
    await look('sign-in');
    await page.getByLabel('Dealer group').fill('alpha');
    await page.getByLabel('E-mail').fill('manager@alpha.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('manager of alpha (manager)').waitFor();
    await page.getByRole('cell', { name: 'Octavia' }).waitFor();
    await look('trade-ins');
  });

  it('filters the trade-in list by make', async () => {
    await page.getByRole('textbox', { name: 'Make' }).fill('audi');
    await page.waitForURL(/filter=.*audi/i);
    await page.getByRole('cell', { name: 'Octavia' }).waitFor({ state: 'detached' });
    expect(await page.getByRole('cell', { name: 'A4' }).count()).toBe(1);
    expect(await page.getByRole('cell', { name: 'Golf' }).count()).toBe(0);
    await look('trade-ins-filtered');
    await page.getByRole('textbox', { name: 'Make' }).fill('');
  });

  it('opens a trade-in: vehicle, condition, pictures typed first, comments, history; adds a comment', async () => {
    await page.goto(`${base}/admin/#/trade-ins/${encodeURIComponent(`/api/v3/trade-ins/${ids.shown}`)}/show`);
    await page.getByRole('heading', { name: 'Pictures' }).waitFor();
    await page.getByAltText('Picture 3: untyped').waitFor();
    const alts = await page.locator('img[alt^="Picture"]').evaluateAll((imgs) => imgs.map((i) => (i as unknown as { alt: string }).alt));
    expect(alts).toEqual(['Picture 1: exterior_front', 'Picture 2: odometer', 'Picture 3: untyped']);
    expect(await page.locator('img[alt^="Picture"]').evaluateAll((imgs) => imgs.every((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0))).toBe(true);
    await page.getByText('Customer says the timing belt was changed in 2023.').waitFor();
    await page.getByText('created as').waitFor();
    await page.getByLabel('New comment').fill('Test drive: gearbox shifts smoothly.');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.getByText('Test drive: gearbox shifts smoothly.').waitFor();
    const stored = (await client(ctx, ctx.a.admin).get(`/api/v3/trade-ins/${ids.shown}/comments`).expect(200)).body;
    expect(stored.map((c: { comment: string }) => c.comment)).toEqual(['Customer says the timing belt was changed in 2023.', 'Test drive: gearbox shifts smoothly.']);
    await look('trade-in');
    // A tablet in portrait: the two columns stack.
    await page.setViewportSize({ width: 820, height: 1180 });
    await look('trade-in-tablet');
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it('moves the status with the offered buttons, and shows the unmet requirements of a refused move', async () => {
    await page.getByRole('button', { name: 'ready for appraisal' }).click();
    await page.getByRole('heading', { name: 'Status: ready for appraisal' }).waitFor();
    // From ready for appraisal the machine allows back to draft (not done), on to done, or no deal.
    await page.getByRole('button', { name: 'not done' }).waitFor();
    expect(await page.getByRole('button', { name: 'ready for appraisal' }).count()).toBe(0);
    await page.getByRole('button', { name: 'done', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'purchasePrice is required' }).waitFor();
    await look('trade-in-status-refused');
    expect((await client(ctx, ctx.a.admin).get(`/api/v3/trade-ins/${ids.shown}`).expect(200)).body.status).toBe('ready_for_appraisal');
  });

  it('a change to a trade-in that was locked meanwhile shows the API’s violation beside the field', async () => {
    await page.goto(`${base}/admin/#/trade-ins/${encodeURIComponent(`/api/v3/trade-ins/${ids.locked}`)}`);
    const price = page.getByLabel('Purchase price');
    await price.waitFor();
    // Someone else signs the report while the form is open: the trade-in is now locked.
    await client(ctx, ctx.a.admin).patch(`/api/v3/trade-ins/${ids.locked}/status/done`).expect(200);
    await price.fill('7500');
    await page.getByRole('button', { name: 'Save' }).click();
    // The API's 422 violation (code locked), under the purchase price input.
    const helper = page.locator('.MuiFormControl-root', { has: page.getByLabel('Purchase price') }).locator('.MuiFormHelperText-root');
    await helper.filter({ hasText: 'cannot be changed while the trade-in is done' }).waitFor();
    await look('trade-in-edit-locked');
    expect((await client(ctx, ctx.a.admin).get(`/api/v3/trade-ins/${ids.locked}`).expect(200)).body.purchasePrice).toBe(7000);
    // Opened again (the session lives in the page's memory: a hash navigation, not a reload), the
    // form shows the locked fields read-only and the VIN editable.
    await page.goto(`${base}/admin/#/trade-ins`);
    await page.goto(`${base}/admin/#/trade-ins/${encodeURIComponent(`/api/v3/trade-ins/${ids.locked}`)}`);
    await page.getByText('only the VIN may change').waitFor();
    expect(await page.getByLabel('Purchase price').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByLabel('VIN').getAttribute('readonly')).toBeNull();
  });

  it('makes an offer on a programme submission, with the automatic quote shown', async () => {
    await page.goto(`${base}/admin/#/programme`);
    const card = page.getByRole('region', { name: `Submission ${submissionId}` });
    await card.waitFor();
    await card.getByText('Automatic quote').waitFor();
    const quoted = await card.getByLabel('Offer amount (EUR)').inputValue();
    expect(Number(quoted)).toBeGreaterThan(0);
    await look('programme');
    await card.getByLabel('Offer amount (EUR)').fill('9100');
    await card.getByRole('button', { name: 'Send offer' }).click();
    await card.waitFor({ state: 'detached' });
    const sub = (await client(ctx, ctx.a.manager).get(`/api/alpha/submissions/${submissionId}`).expect(200)).body;
    expect(sub.status).toBe('offered');
    expect(sub.offer.amount).toBe(9100);
    await page.getByRole('tab', { name: 'offered' }).click();
    await page.getByRole('region', { name: `Submission ${submissionId}` }).waitFor();
    await look('programme-offered');
  });

  it('deleting a customer that trade-ins still reference explains the 409', async () => {
    await page.goto(`${base}/admin/#/customers/${encodeURIComponent(`/api/v3/customers/${ids.customer}`)}`);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText(`Customer ${ids.customer} is still referenced by 1 trade-in(s); detach or delete them first.`).waitFor({ timeout: 30_000 });
    await look('customer-delete-refused');
    await client(ctx, ctx.a.admin).get(`/api/v3/customers/${ids.customer}`).expect(200);
  });

  it('axe finds no serious or critical accessibility violations on any of these pages', () => {
    expect(Object.keys(axeFindings).sort()).toEqual(
      [
        'customer-delete-refused',
        'programme',
        'programme-offered',
        'sign-in',
        'trade-in',
        'trade-in-tablet',
        'trade-in-edit-locked',
        'trade-in-status-refused',
        'trade-ins',
        'trade-ins-filtered',
      ].sort(),
    );
    expect(axeFindings).toEqual(Object.fromEntries(Object.keys(axeFindings).map((k) => [k, []])));
  });
});
