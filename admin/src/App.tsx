import { fetchHydra, HydraAdmin, hydraDataProvider, ResourceGuesser } from '@api-platform/admin';
import { Route } from 'react-router-dom';
import { AdminContext, AppBar, CustomRoutes, defaultTheme, HttpError, Layout, LayoutProps, Menu, Resource, useGetIdentity, UserMenu } from 'react-admin';
import { ProgrammePage } from './Programme';
import { parseHydraDocumentation } from '@api-platform/api-doc-parser';
import { API, authHeaders, authProvider, problemMessage, session } from './session';
import { useEffect, useMemo, useState } from 'react';
import { LoginPage } from './Login';
import { TradeInEdit, TradeInList, TradeInShow } from './TradeIns';
import { CustomerCreate, CustomerEdit, customerName, LocationCreate, LocationEdit } from './Parties';
import { httpErrorOf } from './problems';
import { PROGRAMME_RESOURCES, programmeDataProvider } from './programmeData';
import { ConditionModifiersPage, ValuationCreate, ValuationEdit, ValuationList } from './Valuations';

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
    // An emptied text input clears the field (null), as the API's merge-patch means it.
    out[k] = isObject(v) && isObject(was) ? changes(v, was) : v === '' ? null : v;
  }
  return out;
}

/** What a create form filled in: empty inputs are left out (the API's defaults apply). */
function filled(data: Json): Json {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== '' && v !== null && v !== undefined));
}

const write = (url: string, method: string, contentType: string, body?: Json) =>
  fetch(new URL(url, window.location.origin), {
    method,
    headers: { ...(body ? { 'Content-Type': contentType } : {}), Accept: 'application/json', ...authHeaders() },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

/**
 * Writes of the Hydra resources as merge-patches of the changed fields only (the generic provider
 * sends the whole record, stale status included, which the status machine rightly refuses), creates
 * of the filled fields, and the API's 422 violations as react-admin's `errors`, so that each appears
 * beside its input. The programme's catalogue (plain JSON under /api/{tenant}/admin) has a provider
 * of its own.
 */
const hydraWrites: typeof hydra = {
  ...hydra,
  // Customers and locations are created from their own forms (Parties.tsx); other creates stay the guessers'.
  create: async (resource, params) => {
    if (!FORM_CREATES.has(resource)) return hydra.create(resource, params);
    const res = await write(`${API}/${resource}`, 'POST', 'application/json', filled(params.data as Json));
    if (!res.ok) throw await httpErrorOf(res);
    const created = (await res.json()) as { iri?: string };
    return hydra.getOne(resource, { id: created.iri ?? res.headers.get('Location')! });
  },
  update: async (resource, params) => {
    const res = await write(String(params.id), 'PATCH', 'application/merge-patch+json', changes(params.data as Json, params.previousData as Json));
    if (!res.ok) throw await httpErrorOf(res);
    return hydra.getOne(resource, { id: params.id });
  },
  // A refused delete (409: a customer or location still referenced) says why, in the API's words.
  delete: async (resource, params) => {
    const res = await write(String(params.id), 'DELETE', '');
    if (!res.ok) throw new HttpError(await problemMessage(res), res.status);
    return { data: (params.previousData ?? { id: params.id }) as never };
  },
};
const FORM_CREATES = new Set(['customers', 'locations']);

type Method = 'getList' | 'getOne' | 'getMany' | 'getManyReference' | 'create' | 'update' | 'updateMany' | 'delete' | 'deleteMany';
const METHODS: Method[] = ['getList', 'getOne', 'getMany', 'getManyReference', 'create', 'update', 'updateMany', 'delete', 'deleteMany'];
/** The programme's resources go to their own provider; introspection and every other resource stay Hydra's. */
/**
 * The parsed Hydra documentation, read once: api-doc-parser expands it with jsonld.js, seconds on a
 * busy machine (the browser test measured 12 s between the document's arrival and the first screen
 * at load average 13), so it starts when the script loads, runs while the person signs in, and
 * every later introspection (react-admin asks again) gets the same promise.
 */
let introspection: ReturnType<typeof hydra.introspect> | null = null;
const introspect = () =>
  (introspection ??= hydra.introspect().catch((e: unknown) => {
    introspection = null;
    throw e;
  }));

const dataProvider: typeof hydra = {
  ...hydraWrites,
  introspect,
  ...Object.fromEntries(
    METHODS.map((m) => [
      m,
      (resource: string, params: never) => ((resource in PROGRAMME_RESOURCES ? programmeDataProvider : hydraWrites)[m] as (r: string, p: never) => Promise<unknown>)(resource, params),
    ]),
  ),
};

// Darker than the stock teal: white on it and it on white both pass WCAG AA contrast (axe checks it).
// Keyboard focus is drawn as an outline on every control (MUI shows it only as a faint ripple tint).
const focusRing = { outline: '3px solid #17616b', outlineOffset: 2 };
const theme = {
  ...defaultTheme,
  palette: { ...defaultTheme.palette, primary: { main: '#17616b' }, secondary: { main: '#263238' }, error: { main: '#b3261e' } },
  components: {
    ...defaultTheme.components,
    MuiButtonBase: { styleOverrides: { root: { '&.Mui-focusVisible': focusRing } } },
    MuiLink: { styleOverrides: { root: { '&:focus-visible': focusRing } } },
  },
};

const AdminMenu = () => (
  <Menu>
    <Menu.ResourceItem name="trade-ins" />
    <Menu.ResourceItem name="customers" />
    <Menu.ResourceItem name="locations" />
    <Menu.Item to="/programme" primaryText="Programme" />
    <Menu.ResourceItem name="valuations" />
    <Menu.Item to="/condition-modifiers" primaryText="Condition modifiers" />
  </Menu>
);
// The user menu's accessible name is the signed-in user it shows (react-admin labels it "Profile", which axe flags).
const AdminUserMenu = () => {
  const { identity } = useGetIdentity();
  return <UserMenu label={identity?.fullName ?? 'Profile'} />;
};
const AdminAppBar = () => <AppBar userMenu={<AdminUserMenu />} />;
const AdminLayout = (props: LayoutProps) => <Layout {...props} menu={AdminMenu} appBar={AdminAppBar} />;

/** The sign-in form on its own, shown at once: it needs nothing from the API documentation, which is read meanwhile. */
function SignIn({ signedIn }: { signedIn: () => void }) {
  const provider = useMemo(() => ({ ...authProvider, login: (params: Parameters<typeof authProvider.login>[0]) => authProvider.login(params).then(signedIn) }), [signedIn]);
  return (
    <AdminContext authProvider={provider} theme={theme}>
      <LoginPage />
    </AdminContext>
  );
}

export function App() {
  const [signedIn, setSignedIn] = useState(session() !== null);
  useEffect(() => void introspect().catch(() => undefined), []);
  // Later sign-ins (the session ended, signed out) use the same form inside the admin, whose documentation is read by then.
  if (!signedIn) return <SignIn signedIn={() => setSignedIn(true)} />;
  return (
    <HydraAdmin entrypoint={API} dataProvider={dataProvider} authProvider={authProvider} loginPage={LoginPage} requireAuth title="Trade-in admin" layout={AdminLayout} theme={theme} disableTelemetry>
      <ResourceGuesser name="trade-ins" list={TradeInList} show={TradeInShow} edit={TradeInEdit} />
      <ResourceGuesser name="customers" create={CustomerCreate} edit={CustomerEdit} recordRepresentation={customerName} />
      <ResourceGuesser name="locations" create={LocationCreate} edit={LocationEdit} recordRepresentation="name" />
      <Resource name="valuations" list={ValuationList} create={ValuationCreate} edit={ValuationEdit} options={{ label: 'Valuations' }} />
      <CustomRoutes>
        <Route path="/programme" element={<ProgrammePage />} />
        <Route path="/condition-modifiers" element={<ConditionModifiersPage />} />
      </CustomRoutes>
    </HydraAdmin>
  );
}
