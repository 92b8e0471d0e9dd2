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
import { noPhotosRequired, programmeCustomer } from './programme-flow';

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
let shippedId: string;
/** The customer of the shipped submission (answers its revised offer). */
let shipper: Awaited<ReturnType<typeof programmeCustomer>>;
/** Timings of the first screen (ms since navigation), written to artifacts/admin-first-load.json with the bytes. */
const firstLoad: Record<string, number> = {};

/** Serious and critical axe findings per page, asserted at the end (a finding does not stop the walk through the pages). */
const axeFindings: Record<string, string[]> = {};

/** On a failed wait: a screenshot of the page as it was (artifacts/admin-failed-<name>.png), then the failure. */
const failed = (name: string) => async (e: unknown) => {
  await page.screenshot({ path: join(ARTIFACTS, `admin-failed-${name}.png`), fullPage: true });
  throw e;
};

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
    for (const id of [ctx.a.managerUserId, ctx.a.adminUserId])
      await ctx.http().put(`/api/v3/users/${id}/password`).set('X-API-Key', ctx.a.admin).set('Content-Type', 'application/json').send({ password: PASSWORD }).expect(204);

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
    // A second one the customer accepted and shipped: it waits in the logistics queue (receive, inspect, complete).
    shipper = await programmeCustomer(ctx, 'shipper@example.com');
    shippedId = (
      await shipper.post('/api/alpha/submissions', { make: 'Volkswagen', model: 'Golf', first_registration_date: '2018-03-01', mileage: 99000, serial_number: 'SN-2', condition: 'fair' }).expect(201)
    ).body.id;
    await shipper.post(`/api/alpha/submissions/${shippedId}`).expect(200);
    const offer = (await client(ctx, ctx.a.manager).post('/api/alpha/offers', { submission_id: shippedId, amount: 5000 }).expect(201)).body.id;
    await shipper.post(`/api/alpha/offers/${offer}`, { action: 'accept' }).expect(200);
    await shipper.post(`/api/alpha/submissions/${shippedId}/ship`, { method: 'drop_off' }).expect(200);
    ids.keyboard = (await a.post('/api/v3/trade-ins', { vehicleModel: { ...VEHICLE, make: 'Toyota', model: 'Corolla', regNr: '321KBD' } }).expect(201)).body.id;

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
    // Refusals the test provokes (409, 412, 422) log a failed resource load in the console; nothing else may fail.
    expect(errors.filter((e) => !/status of (409|412|422)/.test(e))).toEqual([]);
    errors.length = 0;
  });

  it('signs in with the dealer group, e-mail and password', async () => {
    await page.goto(`${base}/admin/`);
    // The sign-in form shows while the admin reads the Hydra documentation (api-doc-parser expands it with jsonld.js:
    // seconds on a busy machine); the first list after signing in waits for it.
    await page.getByLabel('E-mail').waitFor({ timeout: 90_000 });
    // When the script and the Hydra documentation had arrived, and when the sign-in form showed (ms since navigation).
    Object.assign(
      firstLoad,
      await page.evaluate(() => {
        const perf = (globalThis as unknown as { performance: { now(): number; getEntriesByType(t: string): { name: string; responseEnd: number }[] } }).performance;
        const end = (re: RegExp) => Math.round(perf.getEntriesByType('resource').find((e) => re.test(e.name))?.responseEnd ?? -1);
        return { scriptLoadedMs: end(/\/admin\/main\.js/), docsLoadedMs: end(/docs\.jsonld|hydra-docs/), signInShownMs: Math.round(perf.now()) };
      }),
    );
    // Everything the first load transferred (page, script, Hydra documentation), compressed as sent.
    const bytes = await page.evaluate(() => {
      // Browser code (no DOM types in this tsconfig): the page's own performance timeline.
      const timeline = (globalThis as unknown as { performance: { getEntriesByType(type: string): { transferSize: number }[] } }).performance;
      return [...timeline.getEntriesByType('navigation'), ...timeline.getEntriesByType('resource')].reduce((n, e) => n + e.transferSize, 0);
    });
    firstLoad.bytes = bytes;
    expect(bytes).toBeGreaterThan(100_000);
    expect(bytes).toBeLessThanOrEqual(1_000_000);
    await look('sign-in');
    await page.getByLabel('Dealer group').fill('alpha');
    await page.getByLabel('E-mail').fill('manager@alpha.example');
    await page.getByLabel('Password').fill(PASSWORD);
    const clicked = Date.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('manager of alpha (manager)').waitFor();
    await page.getByRole('cell', { name: 'Octavia', exact: true }).waitFor();
    firstLoad.listAfterSignInMs = Date.now() - clicked;
    // A figure to report, not a target asserted here (timings belong in bench/): the first screen on this machine.
    writeFileSync(join(ARTIFACTS, 'admin-first-load.json'), JSON.stringify(firstLoad));
    await look('trade-ins');
  });

  it('filters the trade-in list by make', async () => {
    await page.getByRole('textbox', { name: 'Make' }).fill('audi');
    await page.waitForURL(/filter=.*audi/i);
    await page.getByRole('cell', { name: 'Octavia', exact: true }).waitFor({ state: 'detached' });
    expect(await page.getByRole('cell', { name: 'A4', exact: true }).count()).toBe(1);
    expect(await page.getByRole('cell', { name: 'Golf', exact: true }).count()).toBe(0);
    await look('trade-ins-filtered');
    await page.getByRole('textbox', { name: 'Make' }).fill('');
    // The list keeps its filter for the next visit: wait until the cleared one is applied.
    await page.waitForURL((u) => !/audi/i.test(decodeURIComponent(u.toString())));
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

  it('edits a comment with If-Match: a thread changed meanwhile is refused (412) and shown again, nothing lost; saved again it goes through', async () => {
    // The If-Match of each PATCH of the thread the admin sends.
    const patches: (string | null)[] = [];
    const onRequest = (r: { method(): string; url(): string; headers(): Record<string, string> }) => {
      if (r.method() === 'PATCH' && r.url().endsWith('/comments')) patches.push(r.headers()['if-match'] ?? null);
    };
    page.on('request', onRequest);
    const comments = () => client(ctx, ctx.a.admin).get(`/api/v3/trade-ins/${ids.shown}/comments`).expect(200);
    await page.getByRole('button', { name: 'Edit comment 1' }).click();
    const field = page.getByRole('textbox', { name: 'Comment 1' });
    await field.fill('Customer says the timing belt was changed in 2023 (invoice seen).');
    // Someone else adds a comment while the edit is open.
    await client(ctx, ctx.a.admin)
      .post(`/api/v3/trade-ins/${ids.shown}/comments`, [{ comment: 'Added by a colleague meanwhile.' }])
      .expect(200);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'Someone changed the comments while you were editing' }).waitFor();
    await page.getByText('Added by a colleague meanwhile.').waitFor();
    await look('trade-in-comment-conflict');
    // Refused whole: the colleague's comment is kept and the first is unchanged.
    expect((await comments()).body.map((c: { comment: string }) => c.comment)).toEqual([
      'Customer says the timing belt was changed in 2023.',
      'Test drive: gearbox shifts smoothly.',
      'Added by a colleague meanwhile.',
    ]);
    // The edit stayed open with the text typed; saved again (against the thread as now shown) it goes through.
    expect(await field.inputValue()).toBe('Customer says the timing belt was changed in 2023 (invoice seen).');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Customer says the timing belt was changed in 2023 (invoice seen).').waitFor();
    expect((await comments()).body.map((c: { comment: string }) => c.comment)).toEqual([
      'Customer says the timing belt was changed in 2023 (invoice seen).',
      'Test drive: gearbox shifts smoothly.',
      'Added by a colleague meanwhile.',
    ]);
    page.off('request', onRequest);
    expect(patches).toHaveLength(2);
    expect(patches.every((tag) => /^"[\w-]{27}"$/.test(tag ?? ''))).toBe(true);
    expect(patches[0]).not.toBe(patches[1]);
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

  it('takes a shipped submission through receive, inspect and complete, each in its queue tab', async () => {
    await page.goto(`${base}/admin/#/programme`);
    const card = () => page.getByRole('region', { name: `Submission ${shippedId}` });
    await page.getByRole('tab', { name: 'shipped' }).click();
    await card().getByRole('button', { name: 'Mark received' }).click();
    await card().waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'received' }).click();
    await card().getByLabel('Final value (EUR)').waitFor();
    await look('programme-received');
    await card().getByRole('combobox', { name: /Grade/ }).click();
    await page.getByRole('option', { name: 'poor' }).click();
    await card().getByLabel('Final value (EUR)').fill('4200');
    await card().getByLabel('Inspection notes').fill('Dent in the rear door.');
    await card().getByRole('button', { name: 'Record inspection' }).click();
    await card().waitFor({ state: 'detached' });
    // 4200 is below the accepted 5000: the customer gets a revised offer (issue 17) and accepts it before completion.
    const revised = (await client(ctx, ctx.a.manager).get(`/api/alpha/submissions/${shippedId}`).expect(200)).body.offer;
    expect(revised).toMatchObject({ kind: 'revised', status: 'pending', amount: 4200 });
    await shipper.post(`/api/alpha/offers/${revised.id}`, { action: 'accept' }).expect(200);
    await page.getByRole('tab', { name: 'inspected' }).click();
    await card().getByRole('button', { name: 'Complete' }).waitFor();
    await look('programme-inspected');
    await card().getByLabel('Reference').fill('CR-2024-7');
    await card().getByRole('button', { name: 'Complete' }).click();
    await card().waitFor({ state: 'detached' });
    const sub = (await client(ctx, ctx.a.manager).get(`/api/alpha/submissions/${shippedId}`).expect(200)).body;
    expect(sub).toMatchObject({ status: 'completed', inspected_grade: 'poor', final_value: 4200, inspection_notes: 'Dent in the rear door.' });
    const history = (
      await client(ctx, ctx.a.manager)
        .get(`/api/v3/trade-ins/${Number(shippedId.slice(4))}/history?itemsPerPage=100`)
        .expect(200)
    ).body;
    expect(history.map((h: { to: string }) => h.to).slice(-3)).toEqual(['received', 'inspected', 'completed']);
  });

  it('valuations: list, a create refused beside the field (422), fixed and saved, edited, deleted', async () => {
    await page.goto(`${base}/admin/#/valuations`);
    await page.getByRole('cell', { name: 'Golf', exact: true }).waitFor();
    await look('valuations');
    await page.getByRole('link', { name: 'Create' }).click();
    await page.waitForURL(/#\/valuations\/create/);
    await page.getByLabel('Make', { exact: true }).fill('Skoda');
    await page.getByLabel('Model', { exact: true }).fill('Octavia');
    await page.getByLabel('From year', { exact: true }).fill('2021');
    await page.getByLabel('To year', { exact: true }).fill('2019');
    await page.getByLabel('Base value (EUR)', { exact: true }).fill('8000');
    await page.getByRole('button', { name: 'Save' }).click();
    const helperOf = (label: string) => page.locator('.MuiFormControl-root', { has: page.getByLabel(label, { exact: true }) }).locator('.MuiFormHelperText-root');
    await helperOf('To year').filter({ hasText: 'year_to must not be before year_from' }).waitFor().catch(failed('valuation-create'));
    await look('valuation-create-refused');
    const valuations = () => client(ctx, ctx.a.admin).get('/api/alpha/admin/valuations?make=Skoda').expect(200);
    expect((await valuations()).body).toEqual([]);
    await page.getByLabel('To year', { exact: true }).fill('2023');
    // Leave the field so the number input hands its value to the form before Save (a CI run once sent the refused 2019 again: 422).
    await page.getByLabel('To year', { exact: true }).blur();
    // The create's answer first, then the list it redirects to (the row comes with the list's refetch).
    const createdAnswer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/alpha/admin/valuations'));
    await page.getByRole('button', { name: 'Save' }).click();
    const answer = await createdAnswer;
    expect({ status: answer.status(), sent: answer.request().postDataJSON() as unknown }).toMatchObject({ status: 201, sent: { year_to: 2023 } });
    await page.waitForURL(/#\/valuations$/);
    await page.getByRole('cell', { name: 'Octavia', exact: true }).waitFor().catch(failed('valuation-created'));
    const [created] = (await valuations()).body;
    expect(created).toMatchObject({ make: 'Skoda', model: 'Octavia', year_from: 2021, year_to: 2023, base_value: 8000, product_id: null });
    await page.getByRole('cell', { name: 'Octavia', exact: true }).click();
    await page.getByLabel('Base value (EUR)', { exact: true }).fill('8250.5');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: '€8,250.50' }).waitFor();
    expect((await valuations()).body[0].base_value).toBe(8250.5);
    await page.getByRole('cell', { name: 'Octavia', exact: true }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('cell', { name: 'Octavia', exact: true }).waitFor({ state: 'detached' });
    expect((await valuations()).body).toEqual([]);
  });

  it('condition modifiers: a percent out of range is refused beside its field (422), a valid one is saved', async () => {
    await page.goto(`${base}/admin/#/condition-modifiers`);
    const good = page.getByLabel('Good (%)');
    expect(await good.inputValue()).toBe('80');
    await good.fill('250');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.MuiFormControl-root', { has: good }).locator('.MuiFormHelperText-root').filter({ hasText: 'good must not be greater than 200' }).waitFor();
    await look('condition-modifiers-refused');
    const modifiers = () => client(ctx, ctx.a.admin).get('/api/alpha/admin/condition-modifiers').expect(200);
    expect((await modifiers()).body.good).toBe(80);
    await good.fill('75');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Condition modifiers saved').waitFor();
    expect((await modifiers()).body).toEqual({ excellent: 100, good: 75, fair: 60, poor: 40 });
  });

  it('customers: a create refused beside the e-mail (422), fixed and saved; an edit refused beside the phone, fixed and saved', async () => {
    const helperOf = (label: string) => page.locator('.MuiFormControl-root', { has: page.getByLabel(label, { exact: true }) }).locator('.MuiFormHelperText-root');
    await page.goto(`${base}/admin/#/customers/create`);
    await page.getByLabel('First name').fill('Kadri');
    await page.getByLabel('Last name').fill('Kuusemets');
    await page.getByLabel('E-mail').fill('kadri.kuusemets@');
    await page.getByRole('button', { name: 'Save' }).click();
    await helperOf('E-mail').filter({ hasText: 'email must be a valid e-mail address' }).waitFor();
    await look('customer-create-refused');
    const byName = () => client(ctx, ctx.a.admin).get('/api/v3/customers?lastName=Kuusemets').expect(200);
    expect((await byName()).body).toEqual([]);
    await page.getByLabel('E-mail').fill('kadri.kuusemets@example.com');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'kadri.kuusemets@example.com' }).waitFor();
    const [kadri] = (await byName()).body;
    expect(kadri).toMatchObject({ firstName: 'Kadri', lastName: 'Kuusemets', email: 'kadri.kuusemets@example.com', phone: null });
    await page.goto(`${base}/admin/#/customers/${encodeURIComponent(`/api/v3/customers/${kadri.id}`)}`);
    await page.getByText('Kadri Kuusemets').first().waitFor();
    await page.getByLabel('Phone').fill('call me maybe');
    await page.getByRole('button', { name: 'Save' }).click();
    await helperOf('Phone').filter({ hasText: 'phone may contain digits' }).waitFor();
    await look('customer-edit-refused');
    await page.getByLabel('Phone').fill('+372 5555 1234');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: '+372 5555 1234' }).waitFor();
    expect((await client(ctx, ctx.a.admin).get(`/api/v3/customers/${kadri.id}`).expect(200)).body).toMatchObject({ phone: '+372 5555 1234', email: 'kadri.kuusemets@example.com' });
  });

  it('deleting a customer that trade-ins still reference explains the 409', async () => {
    await page.goto(`${base}/admin/#/customers/${encodeURIComponent(`/api/v3/customers/${ids.customer}`)}`);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText(`Customer ${ids.customer} is still referenced by 1 trade-in(s); detach or delete them first.`).waitFor({ timeout: 30_000 });
    await look('customer-delete-refused');
    await client(ctx, ctx.a.admin).get(`/api/v3/customers/${ids.customer}`).expect(200);
  });

  it('keyboard only: tab to the list, open a trade-in, move its status and add a comment, with the focus visible at each step', async () => {
    type Focus = { label: string; visible: boolean };
    /** Presses Tab until the focused element's accessible text matches, at most `max` times; then says whether its focus is drawn. */
    async function tabTo(match: RegExp, max = 80): Promise<Focus> {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        const focus = await page.evaluate(() => {
          type El = { getAttribute(n: string): string | null; textContent: string | null; closest(s: string): unknown; matches(s: string): boolean };
          const g = globalThis as unknown as { document: { activeElement: El | null }; getComputedStyle(e: El): { outlineStyle: string; outlineWidth: string } };
          const el = g.document.activeElement;
          if (!el) return { label: '', visible: false };
          const label =
            el.getAttribute('aria-label') ??
            el.getAttribute('placeholder') ??
            (el.closest('.MuiFormControl-root') ? ((el.closest('.MuiFormControl-root') as El).textContent ?? '') : (el.textContent ?? ''));
          const style = g.getComputedStyle(el);
          // Buttons and links: an outline drawn; text inputs: MUI's focused (thick, coloured) border.
          const visible = el.matches(':focus-visible') && ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || Boolean(el.closest('.Mui-focused')));
          return { label: label.trim(), visible };
        });
        if (match.test(focus.label)) return focus;
      }
      throw new Error(`No element matching ${match} within ${max} presses of Tab`);
    }
    // The list as it opens with no filter (react-admin would otherwise restore the last one used).
    await page.goto(`${base}/admin/#/trade-ins?filter=${encodeURIComponent('{}')}&sort=updatedAt&order=DESC&page=1&perPage=25`);
    await page.getByRole('cell', { name: 'Corolla', exact: true }).waitFor().catch(failed('keyboard-list'));
    const link = await tabTo(new RegExp(`^Trade-in ${ids.keyboard}: Toyota Corolla$`));
    expect(link.visible).toBe(true);
    await look('keyboard-list');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Status: not done' }).waitFor();
    const move = await tabTo(/^ready for appraisal$/);
    expect(move.visible).toBe(true);
    await look('keyboard-status-button');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Status: ready for appraisal' }).waitFor();
    expect((await client(ctx, ctx.a.admin).get(`/api/v3/trade-ins/${ids.keyboard}`).expect(200)).body.status).toBe('ready_for_appraisal');
    const input = await tabTo(/^New comment/);
    expect(input.visible).toBe(true);
    await page.keyboard.type('Checked by keyboard only.');
    const add = await tabTo(/^Add comment$/, 3);
    expect(add.visible).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByText('Checked by keyboard only.').waitFor();
    expect((await client(ctx, ctx.a.admin).get(`/api/v3/trade-ins/${ids.keyboard}/comments`).expect(200)).body.map((c: { comment: string }) => c.comment)).toEqual(['Checked by keyboard only.']);
  });

  it("locations (an admin's work): sign out, sign in as the admin; a create refused beside the country (422), fixed and saved; an edit saved", async () => {
    // Signed out from a page without a list (a list's refetch would race the sign-out).
    await page.goto(`${base}/admin/#/condition-modifiers`);
    await page.getByLabel('Good (%)').waitFor();
    await page.getByRole('button', { name: 'manager of alpha (manager)' }).click();
    await page.getByRole('menuitem', { name: 'Logout' }).click();
    await page.getByLabel('Dealer group').fill('alpha');
    await page.getByLabel('E-mail').fill('admin@alpha.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('admin of alpha (admin)').waitFor();
    const helperOf = (label: string) => page.locator('.MuiFormControl-root', { has: page.getByLabel(label, { exact: true }) }).locator('.MuiFormHelperText-root');
    await page.goto(`${base}/admin/#/locations/create`);
    await page.getByLabel('Name', { exact: true }).fill('Tartu Autokeskus');
    await page.getByLabel('City').fill('Tartu');
    await page.getByLabel('Country').fill('Estonia');
    await page.getByRole('button', { name: 'Save' }).click();
    await helperOf('Country').filter({ hasText: 'country must be an ISO 3166-1 alpha-2 code such as EE' }).waitFor();
    await look('location-create-refused');
    await page.getByLabel('Country').fill('EE');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Tartu Autokeskus' }).waitFor();
    const [tartu] = (await client(ctx, ctx.a.admin).get('/api/v3/locations?name=Tartu').expect(200)).body;
    expect(tartu).toMatchObject({ name: 'Tartu Autokeskus', city: 'Tartu', country: 'EE' });
    await page.goto(`${base}/admin/#/locations/${encodeURIComponent(`/api/v3/locations/${tartu.id}`)}`);
    await page.getByLabel('Code').fill('TRT-1');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'TRT-1' }).waitFor();
    expect((await client(ctx, ctx.a.admin).get(`/api/v3/locations/${tartu.id}`).expect(200)).body.code).toBe('TRT-1');
  });

  it('axe finds no serious or critical accessibility violations on any of these pages', () => {
    expect(Object.keys(axeFindings).sort()).toEqual(
      [
        'customer-delete-refused',
        'customer-create-refused',
        'customer-edit-refused',
        'location-create-refused',
        'valuations',
        'valuation-create-refused',
        'condition-modifiers-refused',
        'programme-received',
        'programme-inspected',
        'trade-in-comment-conflict',
        'keyboard-list',
        'keyboard-status-button',
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
