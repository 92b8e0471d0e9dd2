/**
 * Staff sign-in (issue 15): passwords set by an admin, sessions as bearer tokens that act exactly as
 * an API key of the user (roles, tenant), sign-out, login budgets, and the bootstrap admin's password.
 */
import { createApp } from '../src/app.factory';
import { runApiKeyCli } from '../src/auth/apikey-cli';
import { Passwords } from '../src/auth/passwords';
import { client, expectProblem, freshDatabase, setup, TestContext } from './helpers';
import { contractChecked } from './contract';
import request from 'supertest';

let ctx: TestContext;
const PASSWORD = 'correct horse battery staple';

const signIn = (tenant: string, email: string, password: string) =>
  ctx.http().post('/api/v3/staff-sessions').set('Content-Type', 'application/json').set('Accept', 'application/json').send({ tenant, email, password });
const asSession = (token: string) => ({
  get: (url: string) => ctx.http().get(url).set('Authorization', `Bearer ${token}`).set('Accept', 'application/json'),
  post: (url: string, body: unknown) =>
    ctx
      .http()
      .post(url)
      .set('Authorization', `Bearer ${token}`)
      .set('Accept', 'application/json')
      .set('Content-Type', 'application/json')
      .send(body as object),
});

beforeAll(async () => {
  ctx = await setup({ loginMaxFailures: 3 });
  const admin = client(ctx, ctx.a.admin);
  const readonlyId = (await admin.get('/api/v3/users?role=readonly').expect(200)).body[0].id;
  for (const id of [ctx.a.adminUserId, ctx.a.managerUserId, readonlyId]) {
    await ctx.http().put(`/api/v3/users/${id}/password`).set('X-API-Key', ctx.a.admin).set('Content-Type', 'application/json').send({ password: PASSWORD }).expect(204);
  }
});
afterAll(() => ctx.close());

describe('staff sign-in', () => {
  it('an admin sets a password and the user signs in with the tenant slug, e-mail and password; the hash is argon2id', async () => {
    const res = await signIn('alpha', 'manager@alpha.example', PASSWORD).expect(200);
    expect(res.body.token).toMatch(/^tss_[\w-]{43}$/);
    expect(res.body.user).toMatchObject({ id: ctx.a.managerUserId, role: 'manager' });
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now() + 11 * 3600_000);
    const [row] = await ctx.ds.query(`SELECT password_hash FROM users WHERE id = ${ctx.a.managerUserId}`);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    const [session] = await ctx.ds.query(`SELECT token_hash FROM staff_sessions ORDER BY id DESC LIMIT 1`);
    expect(session.token_hash).not.toContain(res.body.token.slice(4, 20));
  });

  it('the session token works like an API key of the user: its tenant, its role', async () => {
    const { token } = (await signIn('alpha', 'manager@alpha.example', PASSWORD).expect(200)).body;
    const me = await asSession(token).get('/api/v3/users/me').expect(200);
    expect(me.body.id).toBe(ctx.a.managerUserId);
    await asSession(token).post('/api/v3/customers', { lastName: 'Signed In' }).expect(201);
    expectProblem(await asSession(token).get('/api/v3/users'), 403, /admin/);
  });

  it('a readonly user signed in reads and cannot write', async () => {
    const { token } = (await signIn('alpha', 'readonly@alpha.example', PASSWORD).expect(200)).body;
    await asSession(token).get('/api/v3/customers').expect(200);
    expectProblem(await asSession(token).post('/api/v3/customers', { lastName: 'Nope' }), 403, /read-only/);
  });

  it('a wrong password, an unknown e-mail and an unknown dealer group get the same 401', async () => {
    for (const [tenant, email, password] of [
      ['alpha', 'admin@alpha.example', 'wrong password!!'],
      ['alpha', 'nobody@alpha.example', PASSWORD],
      ['nowhere', 'admin@alpha.example', PASSWORD],
      ['beta', 'admin@alpha.example', PASSWORD],
    ]) {
      const res = await signIn(tenant, email, password);
      expectProblem(res, 401, 'The dealer group, e-mail or password is wrong.');
    }
  });

  it('a user without a password cannot sign in', async () => {
    expectProblem(await signIn('beta', 'admin@beta.example', PASSWORD), 401);
  });

  it('repeated wrong passwords lock the e-mail for that address, even with the right password (429, Retry-After)', async () => {
    const user = (await client(ctx, ctx.a.admin).post('/api/v3/users', { email: 'forgetful@alpha.example', name: 'Forgetful', role: 'manager' }).expect(201)).body;
    await ctx.http().put(`/api/v3/users/${user.id}/password`).set('X-API-Key', ctx.a.admin).set('Content-Type', 'application/json').send({ password: PASSWORD }).expect(204);
    for (let i = 0; i < 3; i++) expectProblem(await signIn('alpha', 'forgetful@alpha.example', `wrong-${i}-password`), 401);
    const locked = await signIn('alpha', 'forgetful@alpha.example', PASSWORD);
    expectProblem(locked, 429, /Too many failed logins/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('sign-out ends the session: the token is refused afterwards', async () => {
    const { token } = (await signIn('alpha', 'manager@alpha.example', PASSWORD).expect(200)).body;
    await ctx.http().delete('/api/v3/staff-sessions/current').set('Authorization', `Bearer ${token}`).expect(204);
    expectProblem(await asSession(token).get('/api/v3/users/me'), 401, /session has ended/);
  });

  it('a new password ends every session of the user', async () => {
    const { token } = (await signIn('alpha', 'manager@alpha.example', PASSWORD).expect(200)).body;
    await ctx.http().put(`/api/v3/users/${ctx.a.managerUserId}/password`).set('X-API-Key', ctx.a.admin).set('Content-Type', 'application/json').send({ password: PASSWORD }).expect(204);
    expectProblem(await asSession(token).get('/api/v3/users/me'), 401);
  });

  it('a disabled user is refused at once, with a live session too', async () => {
    const admin = client(ctx, ctx.a.admin);
    const user = (await admin.post('/api/v3/users', { email: 'leaving@alpha.example', name: 'Leaving', role: 'manager' }).expect(201)).body;
    await ctx.http().put(`/api/v3/users/${user.id}/password`).set('X-API-Key', ctx.a.admin).set('Content-Type', 'application/json').send({ password: PASSWORD }).expect(204);
    const { token } = (await signIn('alpha', 'leaving@alpha.example', PASSWORD).expect(200)).body;
    await admin.patch(`/api/v3/users/${user.id}`, { disabled: true }).expect(200);
    expectProblem(await asSession(token).get('/api/v3/users/me'), 401);
    expectProblem(await signIn('alpha', 'leaving@alpha.example', PASSWORD), 401);
  });

  it('only an admin sets passwords, only in its own tenant, and a short password is a 422 naming the field', async () => {
    const put = (key: string, id: number, password: unknown) => ctx.http().put(`/api/v3/users/${id}/password`).set('X-API-Key', key).set('Content-Type', 'application/json').send({ password });
    expectProblem(await put(ctx.a.manager, ctx.a.managerUserId, PASSWORD), 403);
    expectProblem(await put(ctx.a.admin, ctx.b.adminUserId, PASSWORD), 404);
    const short = await put(ctx.a.admin, ctx.a.managerUserId, 'short');
    expectProblem(short, 422);
    expect(short.body.violations).toEqual([expect.objectContaining({ propertyPath: 'password', message: expect.stringMatching(/12 characters/) })]);
  });

  it("a staff session works on the programme's staff routes of its tenant, with the same roles, and not on customer routes", async () => {
    const manager = (await signIn('alpha', 'manager@alpha.example', PASSWORD).expect(200)).body.token;
    const readonly = (await signIn('alpha', 'readonly@alpha.example', PASSWORD).expect(200)).body.token;
    const res = await ctx.http().get('/api/alpha/submissions').set('Authorization', `Bearer ${manager}`).expect(200);
    expect(Array.isArray(res.body)).toBe(true);
    expectProblem(await ctx.http().get('/api/beta/submissions').set('Authorization', `Bearer ${manager}`), 404);
    const valuation = { make: 'Volkswagen', model: 'Golf', year: 2020, base_value: 10000 };
    expectProblem(await ctx.http().post('/api/alpha/admin/valuations').set('Authorization', `Bearer ${readonly}`).set('Content-Type', 'application/json').send(valuation), 403, /read-only/);
    expectProblem(await ctx.http().get('/api/alpha/profile').set('Authorization', `Bearer ${manager}`), 403, /programme customers/);
  });

  it('API keys keep working next to sessions', async () => {
    await client(ctx, ctx.a.manager).get('/api/v3/users/me').expect(200);
  });
});

describe('the key CLI sets staff passwords', () => {
  /** `npm run apikey -- <argv>` on the test database, with the server's hashing; `stdin` is what is piped in. */
  async function cli(argv: string[], stdin = '') {
    let out = '';
    const io = { passwords: ctx.app.get(Passwords), stdin: () => Promise.resolve(stdin) };
    const code = await runApiKeyCli(argv, ctx.ds, (s) => (out += s), undefined, io);
    return { code, out };
  }
  const newUser = async (email: string) => (await client(ctx, ctx.a.admin).post('/api/v3/users', { email, name: email, role: 'manager' }).expect(201)).body.id as number;

  it('`password --email` generates a password, prints it once and stores only its argon2id hash; the user signs in with it', async () => {
    const id = await newUser('cli-generated@alpha.example');
    const { code, out } = await cli(['password', '--tenant', 'alpha', '--email', 'cli-generated@alpha.example']);
    expect(code).toBe(0);
    const password = /not shown again:\n\n {2}(\S+)\n/.exec(out)?.[1];
    expect(password).toMatch(/^[\w-]{24}$/);
    const [row] = await ctx.ds.query(`SELECT password_hash FROM users WHERE id = ${id}`);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(password);
    expect((await signIn('alpha', 'cli-generated@alpha.example', password!).expect(200)).body.user.id).toBe(id);
  });

  it('`password --stdin` sets the password read from standard input and ends the sessions the user had', async () => {
    await newUser('cli-stdin@alpha.example');
    await cli(['password', '--tenant', 'alpha', '--email', 'cli-stdin@alpha.example', '--stdin'], 'first password of twelve');
    const { token } = (await signIn('alpha', 'cli-stdin@alpha.example', 'first password of twelve').expect(200)).body;
    const { code, out } = await cli(['password', '--tenant', 'alpha', '--email', 'cli-stdin@alpha.example', '--stdin'], 'second password of twelve');
    expect(code).toBe(0);
    expect(out).not.toContain('second password');
    expectProblem(await asSession(token).get('/api/v3/users/me'), 401);
    expectProblem(await signIn('alpha', 'cli-stdin@alpha.example', 'first password of twelve'), 401);
    await signIn('alpha', 'cli-stdin@alpha.example', 'second password of twelve').expect(200);
  });

  it('a short password, an unknown user or tenant are refused with a message naming the fault, and nothing changes', async () => {
    const id = await newUser('cli-refused@alpha.example');
    await expect(cli(['password', '--tenant', 'alpha', '--email', 'cli-refused@alpha.example', '--stdin'], 'short')).rejects.toThrow(/password must be at least 12 characters long/);
    await expect(cli(['password', '--tenant', 'alpha', '--email', 'nobody@alpha.example'])).rejects.toThrow(/No user nobody@alpha.example in tenant "alpha"/);
    await expect(cli(['password', '--tenant', 'nowhere', '--email', 'cli-refused@alpha.example'])).rejects.toThrow(/No tenant with slug "nowhere"/);
    await expect(cli(['password', '--tenant', 'alpha'])).rejects.toThrow(/--email is required/);
    const [row] = await ctx.ds.query(`SELECT password_hash FROM users WHERE id = ${id}`);
    expect(row.password_hash).toBeNull();
  });
});

describe('bootstrap', () => {
  it('the first start sets a password for the bootstrap admin, who can sign in with it', async () => {
    const db = await freshDatabase();
    const created = await createApp({ databaseUrl: db.databaseUrl, sqlitePath: db.sqlitePath, logLevel: 'silent', bootstrap: true, passwordMemoryKib: 1024, passwordTimeCost: 1 });
    try {
      expect(created.bootstrapPassword).toMatch(/^[\w-]{24}$/);
      await created.app.init();
      const res = await contractChecked(request(created.app.getHttpServer()))
        .post('/api/v3/staff-sessions')
        .set('Content-Type', 'application/json')
        .set('Accept', 'application/json')
        .send({ tenant: 'default', email: 'admin@example.com', password: created.bootstrapPassword })
        .expect(200);
      expect(res.body.user.role).toBe('admin');
    } finally {
      await created.app.close();
      await db.drop();
    }
  });
});
