/**
 * Concurrency of the customer programme (issue 13), asserting its invariants after races that an
 * outside attack won on MariaDB: an offer answered while staff post new ones, one photo attached by
 * parallel submission updates, parallel logins against the lockout, parallel registrations of one
 * e-mail. The server listens on a loopback port and the requests really run in parallel; on SQLite
 * writes are serialised, and the same invariants must hold.
 */
import request from 'supertest';
import { contractChecked } from '../contract';
import { ENGINE, setup, TestContext } from '../helpers';
import { noPhotosRequired, realJpeg } from '../programme-flow';

let ctx: TestContext;
let base: string;
const api = () => contractChecked(request(base));
const staff = (r: request.Test) => r.set('X-API-Key', ctx.a.manager).set('Accept', 'application/json');
const ROUNDS = Number(process.env.RACE_ROUNDS ?? 20);
const PASSWORD = 'correct horse battery';
let JPEG: Buffer;
const VEHICLE = { make: 'Volkswagen', model: 'Golf', first_registration_date: '2019-05-01', mileage: 84000, condition: 'good' };

beforeAll(async () => {
  ctx = await setup({ logLevel: 'silent' });
  JPEG = await realJpeg();
  // The races are about offers and photo attachment, not the photo requirements of submitting.
  await noPhotosRequired(ctx, ctx.a.admin);
  await ctx.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(ctx.app.getHttpServer().address() as { port: number }).port}`;
  // eslint-disable-next-line no-console
  console.log(`programme concurrency suite on ${ENGINE}, ${ROUNDS} rounds per race`);
});
afterAll(() => ctx.close());

let n = 0;
/** A new programme customer's bearer token (registration, then login when registration carries no token). */
async function customer(email = `race${++n}@example.com`): Promise<string> {
  const reg = await api()
    .post('/api/alpha/auth/register')
    .send({ email, password: PASSWORD, last_name: `Race${n}` });
  if (reg.body.token) return reg.body.token as string;
  const login = await api().post('/api/alpha/auth/login').send({ email, password: PASSWORD }).expect(200);
  return login.body.token as string;
}
const bearer = (token: string) => (r: request.Test) => r.set('Authorization', `Bearer ${token}`).set('Accept', 'application/json');

it(`an offer answered while staff post new ones: accepted amount = purchase price, no pending offer after acceptance (${ROUNDS} rounds)`, async () => {
  const token = await customer();
  const as = bearer(token);
  const inconsistent: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const sub = (
      await as(api().post('/api/alpha/submissions'))
        .send({ ...VEHICLE, serial_number: `SN-R${round}` })
        .expect(201)
    ).body.id as string;
    await as(api().post(`/api/alpha/submissions/${sub}`)).expect(200);
    const first = (await staff(api().post('/api/alpha/offers')).send({ submission_id: sub, amount: 1000 }).expect(201)).body.id as string;
    const answers = await Promise.all([
      as(api().post(`/api/alpha/offers/${first}`)).send({ action: 'accept' }),
      staff(api().post('/api/alpha/offers')).send({ submission_id: sub, amount: 2000 }),
      staff(api().post('/api/alpha/offers')).send({ submission_id: sub, amount: 3000 }),
    ]);
    for (const a of answers) expect([200, 201, 409]).toContain(a.status);
    const id = Number(sub.slice(4));
    const [t] = await ctx.ds.query<{ status: string; price: string }[]>('SELECT status, purchase_price AS price FROM trade_ins WHERE id = ?', [id]);
    const offers = await ctx.ds.query<{ id: number; amount: string; status: string }[]>('SELECT id, amount, status FROM program_offers WHERE trade_in_id = ? ORDER BY id', [id]);
    const accepted = offers.filter((o) => o.status === 'accepted');
    const pending = offers.filter((o) => o.status === 'pending');
    const problems: string[] = [];
    if (accepted.length > 1) problems.push(`${accepted.length} accepted offers`);
    if (accepted.length === 1) {
      if (t.status !== 'purchase_agreement') problems.push(`an accepted offer on a ${t.status} trade-in`);
      if (Number(accepted[0].amount) !== Number(t.price)) problems.push(`accepted ${accepted[0].amount}, purchase price ${t.price}`);
      if (pending.length) problems.push(`${pending.length} pending offer(s) after acceptance`);
      if (answers[0].status !== 200) problems.push(`the acceptance answered ${answers[0].status} but is stored`);
    } else {
      if (t.status !== 'sent_to_customer') problems.push(`no accepted offer, trade-in ${t.status}`);
      if (pending.length !== 1) problems.push(`${pending.length} pending offers`);
      else if (Number(pending[0].amount) !== Number(t.price)) problems.push(`pending ${pending[0].amount}, purchase price ${t.price}`);
      if (answers[0].status === 200) problems.push('the acceptance answered 200 but is not stored');
    }
    if (problems.length) inconsistent.push(`round ${round} (${sub}): ${problems.join('; ')} ${JSON.stringify(offers)}`);
  }
  // eslint-disable-next-line no-console
  console.log(`offer race: ${inconsistent.length} of ${ROUNDS} rounds inconsistent`);
  expect(inconsistent).toEqual([]);
});

it(`one photo attached by parallel updates of several drafts ends up in at most one gallery (${ROUNDS} rounds)`, async () => {
  const token = await customer();
  const as = bearer(token);
  const drafts: string[] = [];
  for (let i = 0; i < 8; i++)
    drafts.push(
      (
        await as(api().post('/api/alpha/submissions'))
          .send({ description: `draft ${i}` })
          .expect(201)
      ).body.id as string,
    );
  const bad: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const photo = (await as(api().post('/api/alpha/photos')).attach('photo', JPEG, { filename: 'p.jpg', contentType: 'image/jpeg' }).expect(201)).body.id as string;
    const answers = await Promise.all(drafts.map((d) => as(api().put(`/api/alpha/submissions/${d}`)).send({ photos: [photo] })));
    for (const a of answers) expect([200, 422]).toContain(a.status);
    const galleries = await ctx.ds.query<{ id: number }[]>('SELECT DISTINCT trade_in_id AS id FROM trade_in_pictures WHERE url LIKE ?', [`%/${photo}`]);
    const [row] = await ctx.ds.query<{ id: number | null }[]>('SELECT trade_in_id AS id FROM program_photos WHERE public_id = ?', [photo]);
    const ok = answers.filter((a) => a.status === 200).length;
    if (galleries.length > 1 || ok !== 1 || galleries.length !== 1 || Number(galleries[0].id) !== Number(row.id)) {
      bad.push(`round ${round}: in ${galleries.length} galleries (${galleries.map((g) => g.id).join(',')}), photo row → ${row.id}, ${ok} × 200`);
    }
    // Free the photo again for the next round's drafts (an update without it).
    await Promise.all(
      drafts.map((d) =>
        as(api().put(`/api/alpha/submissions/${d}`))
          .send({ photos: [] })
          .expect(200),
      ),
    );
  }
  // eslint-disable-next-line no-console
  console.log(`photo race: ${bad.length} of ${ROUNDS} rounds inconsistent`);
  expect(bad).toEqual([]);
});

it('40 parallel logins (wrong passwords, the right one last) check at most 5 wrong guesses, and the right password is refused while locked', async () => {
  const email = `parallel${++n}@example.com`;
  await customer(email);
  const attempts = Array.from({ length: 40 }, (_, i) => (i === 39 ? PASSWORD : `wrong password ${i}`));
  const answers = await Promise.all(attempts.map((password) => api().post('/api/alpha/auth/login').send({ email, password })));
  const checkedWrong = answers.filter((a, i) => i < 39 && a.status === 401).length;
  // eslint-disable-next-line no-console
  console.log(`parallel logins: ${checkedWrong} wrong guesses checked (401), ${answers.filter((a) => a.status === 429).length} × 429, the right password → ${answers[39].status}`);
  for (const a of answers) expect([200, 401, 429]).toContain(a.status);
  expect(checkedWrong).toBeLessThanOrEqual(5);
  expect(answers[39].status).toBe(429);
  // Still locked afterwards, for the right password too.
  const after = await api().post('/api/alpha/auth/login').send({ email, password: PASSWORD });
  expect(after.status).toBe(429);
  expect(Number(after.headers['retry-after'])).toBeGreaterThan(0);
});

it('parallel registrations of one e-mail create one account and all look alike', async () => {
  const email = `twice${++n}@example.com`;
  const answers = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      api()
        .post('/api/alpha/auth/register')
        .send({ email, password: `${PASSWORD} ${i}`, last_name: 'Twice' }),
    ),
  );
  const statuses = new Set(answers.map((a) => a.status));
  // eslint-disable-next-line no-console
  console.log(`parallel registrations: statuses ${JSON.stringify(answers.map((a) => a.status))}`);
  const [accounts] = await ctx.ds.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM program_accounts WHERE email = ?', [email]);
  const [customers] = await ctx.ds.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM customers WHERE email = ?', [email]);
  expect(Number(accounts.n)).toBe(1);
  expect(Number(customers.n)).toBe(1);
  expect([...statuses]).toHaveLength(1);
  expect(new Set(answers.map((a) => JSON.stringify(Object.keys(a.body).sort()))).size).toBe(1);
});
