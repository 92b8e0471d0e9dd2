import { ApiError } from '../common/errors';
import { checkAccess } from './access';

const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return e instanceof ApiError ? { status: e.statusCode, detail: e.detail } : e;
  }
  return null;
};

describe('checkAccess (ApiKeyGuard and ProgramGuard)', () => {
  it('lets every role read, whatever the route needs of writers', () => {
    for (const role of ['admin', 'manager', 'readonly'] as const) {
      for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(refusal(() => checkAccess({ role }, method, undefined))).toBeNull();
    }
  });

  it('refuses a readonly user any write with 403, before the roles are looked at', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(refusal(() => checkAccess({ role: 'readonly' }, method, ['readonly']))).toEqual({ status: 403, detail: 'Your API key belongs to a read-only user: it can only read (GET).' });
    }
  });

  it('refuses a role the route does not list with 403 naming the roles needed and the caller’s', () => {
    expect(refusal(() => checkAccess({ role: 'manager' }, 'POST', ['admin']))).toEqual({ status: 403, detail: 'This operation needs the admin role; your key\'s user is "manager".' });
    expect(refusal(() => checkAccess({ role: 'readonly' }, 'GET', ['admin', 'manager']))).toEqual({
      status: 403,
      detail: 'This operation needs the admin or manager role; your key\'s user is "readonly".',
    });
  });

  it('lets a listed role write, and any writer where the route lists none', () => {
    expect(refusal(() => checkAccess({ role: 'manager' }, 'POST', ['admin', 'manager']))).toBeNull();
    expect(refusal(() => checkAccess({ role: 'admin' }, 'DELETE', undefined))).toBeNull();
  });
});
