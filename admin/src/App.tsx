import { fetchHydra, HydraAdmin, hydraDataProvider, ResourceGuesser } from '@api-platform/admin';
import { Route } from 'react-router-dom';
import { AppBar, CustomRoutes, defaultTheme, HttpError, Layout, LayoutProps, Menu, useGetIdentity, UserMenu } from 'react-admin';
import { ProgrammePage } from './Programme';
import { parseHydraDocumentation } from '@api-platform/api-doc-parser';
import { API, authHeaders, authProvider, problemMessage } from './session';
import { LoginPage } from './Login';
import { TradeInEdit, TradeInList, TradeInShow } from './TradeIns';

// Every request of the admin carries the staff session; Hydra documentation and entrypoint need none but get it too.
const httpClient = (url: URL, options: Parameters<typeof fetchHydra>[1] = {}) => {
  // Keep what the data provider set (Content-Type: application/merge-patch+json on updates) and add the session.
  const given = typeof options.headers === 'function' ? options.headers() : options.headers;
  const headers = new Headers(given);
  if (!headers.has('Accept')) headers.set('Accept', 'application/ld+json');
  for (const [k, v] of Object.entries(authHeaders())) headers.set(k, v);
  return fetchHydra(url, { ...options, headers });
};

const hydra = hydraDataProvider({
  entrypoint: API,
  httpClient,
  apiDocumentationParser: (entrypoint: string) => parseHydraDocumentation(entrypoint, { headers: authHeaders }),
  mercure: false,
});

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The fields the form changed, nested objects down to their changed keys: a merge-patch sends only what the person edited. */
export function changes(data: Json, before: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(data)) {
    const was = before?.[k];
    if (JSON.stringify(v) === JSON.stringify(was)) continue;
    out[k] = isObject(v) && isObject(was) ? changes(v, was) : v;
  }
  return out;
}

/**
 * Updates as merge-patches of the changed fields only (the generic provider sends the whole record,
 * stale status included, which the status machine rightly refuses), and the API's 422 violations
 * as react-admin's `errors`, so that each appears beside its input.
 */
const dataProvider: typeof hydra = {
  ...hydra,
  update: async (resource, params) => {
    const body = changes(params.data as Json, params.previousData as Json);
    const res = await fetch(new URL(String(params.id), window.location.origin), {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json', Accept: 'application/json', ...authHeaders() },
      body: JSON.stringify(body),
    });
    if (!res.ok) {
      const problem = (await res.json().catch(() => ({}))) as { detail?: string; violations?: { propertyPath: string; message: string }[] };
      const errors: Json = {};
      for (const v of problem.violations ?? []) {
        const path = v.propertyPath.split('.');
        let at = errors;
        for (const key of path.slice(0, -1)) at = (at[key] = isObject(at[key]) ? at[key] : {}) as Json;
        at[path[path.length - 1]] = v.message;
      }
      throw new HttpError(problem.detail ?? res.statusText, res.status, { errors });
    }
    return hydra.getOne(resource, { id: params.id });
  },
  // A refused delete (409: a customer or location still referenced) says why, in the API's words.
  delete: async (resource, params) => {
    const res = await fetch(new URL(String(params.id), window.location.origin), { method: 'DELETE', headers: { Accept: 'application/json', ...authHeaders() } });
    if (!res.ok) throw new HttpError(await problemMessage(res), res.status);
    return { data: (params.previousData ?? { id: params.id }) as never };
  },
};

// Darker than the stock teal: white on it and it on white both pass WCAG AA contrast (axe checks it).
const theme = { ...defaultTheme, palette: { ...defaultTheme.palette, primary: { main: '#17616b' }, secondary: { main: '#263238' }, error: { main: '#b3261e' } } };

const AdminMenu = () => (
  <Menu>
    <Menu.ResourceItems />
    <Menu.Item to="/programme" primaryText="Programme" />
  </Menu>
);
// The user menu's accessible name is the signed-in user it shows (react-admin labels it "Profile", which axe flags).
const AdminUserMenu = () => {
  const { identity } = useGetIdentity();
  return <UserMenu label={identity?.fullName ?? 'Profile'} />;
};
const AdminAppBar = () => <AppBar userMenu={<AdminUserMenu />} />;
const AdminLayout = (props: LayoutProps) => <Layout {...props} menu={AdminMenu} appBar={AdminAppBar} />;

export function App() {
  return (
    <HydraAdmin entrypoint={API} dataProvider={dataProvider} authProvider={authProvider} loginPage={LoginPage} requireAuth title="Trade-in admin" layout={AdminLayout} theme={theme} disableTelemetry>
      <ResourceGuesser name="trade-ins" list={TradeInList} show={TradeInShow} edit={TradeInEdit} />
      <ResourceGuesser name="customers" />
      <ResourceGuesser name="locations" />
      <CustomRoutes>
        <Route path="/programme" element={<ProgrammePage />} />
      </CustomRoutes>
    </HydraAdmin>
  );
}
