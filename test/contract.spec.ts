import { contractErrors } from './contract';

/** The contract checker itself must be able to fail: each kind of deviation is caught. */
describe('contract checker', () => {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const customer = {
    id: 1,
    iri: '/api/v3/customers/1',
    firstName: null,
    lastName: 'T',
    companyName: null,
    email: null,
    phone: null,
    personalCode: null,
    address: null,
    createdAt: '2024-01-01T00:00:00+00:00',
    updatedAt: '2024-01-01T00:00:00+00:00',
  };
  const check = (status: number, body: unknown, url = '/api/v3/customers/1', method = 'GET', headers: Record<string, string> = json) =>
    contractErrors({ method, url, status, headers, text: typeof body === 'string' ? body : JSON.stringify(body) });

  it('accepts a conforming response', () => {
    expect(check(200, customer)).toEqual([]);
  });
  it('rejects an undocumented field', () => {
    expect(check(200, { ...customer, tenantId: 1 }).join()).toMatch(/tenantId/);
  });
  it('rejects a missing required field and a wrong type', () => {
    const { id: _id, ...rest } = customer;
    expect(check(200, rest).join()).toMatch(/required property 'id'/);
    expect(check(200, { ...customer, lastName: 5 }).join()).toMatch(/lastName/);
  });
  it('rejects an undocumented status and an undocumented content type', () => {
    expect(check(418, { type: '/errors/418', title: 'x', status: 418, detail: 'x' }).join()).toMatch(/status 418 is not documented/);
    expect(check(200, 'a,b', undefined, 'GET', { 'content-type': 'text/csv' }).join()).toMatch(/Content-Type text\/csv is not documented/);
  });
  it('rejects 5xx, error bodies without a problem, and internals in errors', () => {
    expect(check(500, { type: '/errors/500', title: 'x', status: 500, detail: 'x' }).join()).toMatch(/server error/);
    expect(check(404, { message: 'nope' }).join()).toMatch(/without a problem body/);
    const leak = { type: '/errors/404', title: 'Not Found', status: 404, detail: 'QueryFailedError: ER_PARSE_ERROR near SELECT' };
    expect(check(404, leak, undefined, 'GET', { 'content-type': 'application/problem+json' }).join()).toMatch(/internals/);
  });
  it('rejects JSON-LD keys in plain JSON and answers on undocumented routes', () => {
    expect(check(200, { ...customer, '@id': '/x' }).join()).toMatch(/JSON-LD key/);
    expect(check(200, {}, '/api/v3/secret-admin').join()).toMatch(/not documented/);
  });
  it('relaxes required fields only when properties[] selects fields', () => {
    expect(check(200, [{ lastName: 'T' }], '/api/v3/customers?properties[]=lastName')).toEqual([]);
    expect(check(200, [{ lastName: 'T' }], '/api/v3/customers').join()).toMatch(/required/);
  });
});
