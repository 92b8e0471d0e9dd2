/**
 * Programme accounts (issue 17, findings F19–F22): password reset by e-mailed single-use code,
 * password and e-mail change, admin unlock and disable/enable, and the per-tenant sign-up switch.
 * Mails go to .eml files (the default transport) and are read back with mailparser.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { JobRunner } from '../src/jobs/job-runner';
import { client, expectProblem, setup, TestContext } from './helpers';

let ctx: TestContext;
let mailDir: string;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  mailDir = mkdtempSync(join(tmpdir(), 'accounts-mail-'));
  ctx = await setup({ mailDir, loginMaxFailures: 2, passwordResetUrl: 'https://shop.example/{tenant}/reset?token={token}' });
});
afterAll(async () => {
  await ctx.close();
  rmSync(mailDir, { recursive: true, force: true });
});

const json = <T extends { set: (k: string, v: string) => T }>(r: T) => r.set('Accept', 'application/json');
const register = (email: string, tenant = 'alpha') => json(ctx.http().post(`/api/${tenant}/auth/register`)).send({ email, password: PASSWORD, last_name: 'Tamm', first_name: 'Mari' });
const login = (email: string, password = PASSWORD, tenant = 'alpha') => json(ctx.http().post(`/api/${tenant}/auth/login`)).send({ email, password });
const as = (token: string) => ({
  get: (url: string) => json(ctx.http().get(url)).set('Authorization', `Bearer ${token}`),
  put: (url: string, body: object) => json(ctx.http().put(url)).set('Authorization', `Bearer ${token}`).send(body),
});
const requestReset = (email: string) => json(ctx.http().post('/api/alpha/auth/password-reset/request')).send({ email });
const reset = (token: string, password: string) => json(ctx.http().post('/api/alpha/auth/password-reset')).send({ token, password });

async function account(email: string): Promise<number> {
  const [row] = await ctx.ds.query('SELECT id FROM program_accounts WHERE email = ?', [email]);
  return Number(row.id);
}

/** Runs the job runner once, then the mails written to the .eml folder for `to`, parsed. */
async function mailsTo(to: string) {
  await ctx.app.get(JobRunner).tick();
  const mails = [];
  for (const f of readdirSync(mailDir).sort()) {
    const m = await simpleParser(readFileSync(join(mailDir, f)));
    if (m.to && !Array.isArray(m.to) && m.to.value[0]?.address === to) mails.push(m);
  }
  return mails;
}
const codeIn = (text: string | undefined) => /tpr_[\w-]{43}/.exec(text ?? '')?.[0];

describe('password reset (F19)', () => {
  it('e-mails a code; the new password works, the old one does not, and the code works once', async () => {
    await register('reset@example.com').expect(202);
    const before = (await login('reset@example.com').expect(200)).body.token;
    const asked = await requestReset('reset@example.com').expect(202);
    expect(asked.body.status).toBe('accepted');
    const [mail] = await mailsTo('reset@example.com');
    expect(mail.subject).toBe('Reset your password');
    const code = codeIn(mail.text)!;
    expect(mail.text).toContain(`https://shop.example/alpha/reset?token=${code}`);
    // only the hash is stored, and the mail's variables are gone once sent
    const [row] = await ctx.ds.query('SELECT token_hash FROM program_password_resets ORDER BY id DESC LIMIT 1');
    expect(row.token_hash).not.toContain(code.slice(4));
    const [n] = await ctx.ds.query("SELECT status, vars FROM program_notifications WHERE kind = 'password.reset' ORDER BY id DESC LIMIT 1");
    expect(n).toMatchObject({ status: 'sent', vars: null });

    await reset(code, 'a brand new password').expect(204);
    expectProblem(await login('reset@example.com'), 401);
    await login('reset@example.com', 'a brand new password').expect(200);
    // the sessions from before the reset ended
    expectProblem(await as(before).get('/api/alpha/auth/me'), 401);
    // single use
    expectProblem(await reset(code, 'yet another password'), 422, /token/);
    await login('reset@example.com', 'a brand new password').expect(200);
  });

  it('a code used twice at the same moment works once', async () => {
    await register('race@example.com').expect(202);
    await requestReset('race@example.com').expect(202);
    const code = codeIn((await mailsTo('race@example.com'))[0].text)!;
    const answers = await Promise.all([reset(code, 'first new password'), reset(code, 'second new password')]);
    expect(answers.map((a) => a.status).sort()).toEqual([204, 422]);
    const winner = answers[0].status === 204 ? 'first new password' : 'second new password';
    await login('race@example.com', winner).expect(200);
  });

  it('an expired code answers 410 and changes nothing', async () => {
    await register('late@example.com').expect(202);
    await requestReset('late@example.com').expect(202);
    const code = codeIn((await mailsTo('late@example.com'))[0].text)!;
    await ctx.ds.query("UPDATE program_password_resets SET expires_at = '2020-01-01 00:00:00.000' WHERE account_id = ?", [await account('late@example.com')]);
    expectProblem(await reset(code, 'a brand new password'), 410, /expired/);
    await login('late@example.com').expect(200);
  });

  it('an unknown e-mail gets the same answer and no mail; a made-up code is 422', async () => {
    await register('known@example.com').expect(202);
    const known = await requestReset('known@example.com').expect(202);
    const unknown = await requestReset('nobody@example.com').expect(202);
    expect(unknown.body).toEqual({ ...known.body, detail: known.body.detail.replace('known@example.com', 'nobody@example.com') });
    expect(await mailsTo('nobody@example.com')).toHaveLength(0);
    expect(await mailsTo('known@example.com')).toHaveLength(1);
    expectProblem(await reset('tpr_' + 'x'.repeat(43), 'a brand new password'), 422, /token/);
  });
});

describe('password reset limits (F19)', () => {
  it('mails at most 3 codes per e-mail an hour; further requests get the same answer', async () => {
    await register('often@example.com').expect(202);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await requestReset('often@example.com').expect(202)).body);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(await mailsTo('often@example.com')).toHaveLength(3);
  });

  it('spends the address’s password checks like a login (429 past PASSWORD_CHECKS_PER_IP)', async () => {
    const limited = await setup({ mailDir, passwordChecksPerIp: 2 });
    try {
      const ask = () => json(limited.http().post('/api/alpha/auth/password-reset/request')).send({ email: 'anyone@example.com' });
      await ask().expect(202);
      await ask().expect(202);
      const res = await ask();
      expectProblem(res, 429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

describe('password and e-mail change (F19, F20)', () => {
  it('a password change needs the current password and ends the other sessions, not this one', async () => {
    await register('change@example.com').expect(202);
    const here = (await login('change@example.com').expect(200)).body.token;
    const elsewhere = (await login('change@example.com').expect(200)).body.token;
    expectProblem(await as(here).put('/api/alpha/auth/password', { current_password: 'not the password', new_password: 'a brand new password' }), 422, /current_password/);
    await as(here).put('/api/alpha/auth/password', { current_password: PASSWORD, new_password: 'a brand new password' }).expect(204);
    await as(here).get('/api/alpha/auth/me').expect(200);
    expectProblem(await as(elsewhere).get('/api/alpha/auth/me'), 401);
    expectProblem(await login('change@example.com'), 401);
    await login('change@example.com', 'a brand new password').expect(200);
  });

  it("an e-mail change needs the password, refuses another account's e-mail (409) and moves the login", async () => {
    await register('old@example.com').expect(202);
    await register('taken@example.com').expect(202);
    const token = (await login('old@example.com').expect(200)).body.token;
    expectProblem(await as(token).put('/api/alpha/auth/email', { email: 'new@example.com', password: 'wrong password' }), 422, /password/);
    expectProblem(await as(token).put('/api/alpha/auth/email', { email: 'TAKEN@example.com', password: PASSWORD }), 409, /taken@example.com/);
    expectProblem(await as(token).put('/api/alpha/auth/email', { email: 'not an e-mail', password: PASSWORD }), 422, /email/);
    const changed = await as(token).put('/api/alpha/auth/email', { email: 'New@Example.com', password: PASSWORD }).expect(200);
    expect(changed.body.email).toBe('new@example.com');
    const [customer] = await ctx.ds.query('SELECT c.email AS email FROM customers c JOIN program_accounts a ON a.customer_id = c.id WHERE a.id = ?', [changed.body.id]);
    expect(customer.email).toBe('new@example.com');
    expectProblem(await login('old@example.com'), 401);
    await login('new@example.com').expect(200);
    // the same e-mail in another tenant is another programme: free there
    await register('taken@example.com', 'beta').expect(202);
  });
});

describe('admin unlock, disable and enable (F21)', () => {
  it('an admin unlock lifts a login lock at once', async () => {
    await register('locked@example.com').expect(202);
    for (let i = 0; i < 2; i++) expectProblem(await login('locked@example.com', 'wrong password'), 401);
    expectProblem(await login('locked@example.com'), 429);
    const id = await account('locked@example.com');
    expectProblem(await client(ctx, ctx.a.readonly).post(`/api/alpha/admin/customers/${id}/unlock`), 403);
    expectProblem(await client(ctx, ctx.b.admin).post(`/api/alpha/admin/customers/${id}/unlock`), 404);
    const res = await client(ctx, ctx.a.manager).post(`/api/alpha/admin/customers/${id}/unlock`).expect(200);
    expect(res.body).toMatchObject({ id, email: 'locked@example.com', disabled: false });
    await login('locked@example.com').expect(200);
  });

  it('a disabled account cannot log in and its sessions end; enabled, it logs in again', async () => {
    await register('off@example.com').expect(202);
    const token = (await login('off@example.com').expect(200)).body.token;
    const id = await account('off@example.com');
    const off = await client(ctx, ctx.a.manager).post(`/api/alpha/admin/customers/${id}/disable`).expect(200);
    expect(off.body).toMatchObject({ id, disabled: true, disabled_at: expect.any(String) });
    expectProblem(await as(token).get('/api/alpha/auth/me'), 401);
    expectProblem(await login('off@example.com'), 403, /disabled/);
    // a wrong password is still just wrong: the state is told only to whoever knows the password
    expectProblem(await login('off@example.com', 'wrong password'), 401);
    // no reset mail for a disabled account (same answer)
    await requestReset('off@example.com').expect(202);
    expect(await mailsTo('off@example.com')).toHaveLength(0);
    await client(ctx, ctx.a.admin).post(`/api/alpha/admin/customers/${id}/enable`).expect(200);
    await login('off@example.com').expect(200);
    expectProblem(await client(ctx, ctx.a.manager).post('/api/alpha/admin/customers/999999/disable'), 404);
  });
});

describe('public sign-up switch (F22)', () => {
  it('closed, registration answers 403; existing accounts still log in; only an admin changes it; other tenants stay open', async () => {
    await register('before@example.com').expect(202);
    expect((await client(ctx, ctx.a.readonly).get('/api/alpha/admin/account-settings').expect(200)).body).toEqual({ public_signup: true, updated_at: null });
    expectProblem(await json(ctx.http().put('/api/alpha/admin/account-settings')).set('X-API-Key', ctx.a.manager).send({ public_signup: false }), 403);
    expectProblem(await json(ctx.http().put('/api/alpha/admin/account-settings')).set('X-API-Key', ctx.a.admin).send({ public_signup: 'no' }), 422, /public_signup/);
    const closed = await json(ctx.http().put('/api/alpha/admin/account-settings')).set('X-API-Key', ctx.a.admin).send({ public_signup: false }).expect(200);
    expect(closed.body.public_signup).toBe(false);
    expectProblem(await register('after@example.com'), 403, /closed/);
    expect(await ctx.ds.query("SELECT id FROM customers WHERE email = 'after@example.com'")).toHaveLength(0);
    await login('before@example.com').expect(200);
    await register('after@example.com', 'beta').expect(202);
    await json(ctx.http().put('/api/alpha/admin/account-settings')).set('X-API-Key', ctx.a.admin).send({ public_signup: true }).expect(200);
    await register('after@example.com').expect(202);
  });
});
