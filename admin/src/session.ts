// The staff session lives in memory only (never in localStorage or a cookie): a reload signs the user
// out, and script injected into another page of the origin finds no token to steal. The token goes in
// `Authorization: Bearer`, which the API takes next to X-API-Key with the same role rules.
import type { AuthProvider } from 'react-admin';

export interface StaffSession {
  token: string;
  expiresAt: string;
  user: { id: number; name: string; email: string; role: 'admin' | 'manager' | 'readonly' };
  tenant: string;
}

let current: StaffSession | null = null;

export const API = `${window.location.origin}/api/v3`;

export function authHeaders(): Record<string, string> {
  return current ? { Authorization: `Bearer ${current.token}` } : {};
}

export const session = (): StaffSession | null => current;

/** The API's problem document as a message a person can act on. */
export async function problemMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { detail?: string; title?: string; violations?: { propertyPath: string; message: string }[] };
    const detail = body.detail ?? body.title ?? `HTTP ${res.status}`;
    // A 422's detail already lists its violations (one per line); add only those it does not name.
    const violations = (body.violations ?? []).map((v) => `${v.propertyPath}: ${v.message}`).filter((line) => !detail.includes(line));
    return [detail, ...violations].join('\n');
  } catch {
    return `HTTP ${res.status}`;
  }
}

export const authProvider: AuthProvider = {
  async login(params: { tenant?: string; username: string; password: string }) {
    const res = await fetch(`${API}/staff-sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ tenant: params.tenant || 'default', email: params.username, password: params.password }),
    });
    if (!res.ok) throw new Error(await problemMessage(res));
    current = { ...((await res.json()) as Omit<StaffSession, 'tenant'>), tenant: params.tenant || 'default' };
  },
  async logout() {
    if (current) await fetch(`${API}/staff-sessions/current`, { method: 'DELETE', headers: authHeaders() }).catch(() => undefined);
    current = null;
  },
  checkAuth() {
    if (!current || Date.parse(current.expiresAt) <= Date.now()) {
      current = null;
      return Promise.reject(new Error('Please sign in.'));
    }
    return Promise.resolve();
  },
  checkError(error: { status?: number }) {
    if (error?.status === 401) {
      current = null;
      return Promise.reject(new Error('Your session has ended; please sign in again.'));
    }
    return Promise.resolve();
  },
  getIdentity() {
    if (!current) return Promise.reject(new Error('Not signed in.'));
    return Promise.resolve({ id: current.user.id, fullName: `${current.user.name} (${current.user.role})` });
  },
  getPermissions() {
    return Promise.resolve(current?.user.role ?? null);
  },
};
