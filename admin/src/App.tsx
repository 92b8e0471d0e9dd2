import { fetchHydra, HydraAdmin, hydraDataProvider, ResourceGuesser } from '@api-platform/admin';
import { Route } from 'react-router-dom';
import { CustomRoutes, defaultTheme, Layout, LayoutProps, Menu } from 'react-admin';
import { ProgrammePage } from './Programme';
import { parseHydraDocumentation } from '@api-platform/api-doc-parser';
import { API, authHeaders, authProvider } from './session';
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

const dataProvider = hydraDataProvider({
  entrypoint: API,
  httpClient,
  apiDocumentationParser: (entrypoint: string) => parseHydraDocumentation(entrypoint, { headers: authHeaders }),
  mercure: false,
});

// Darker than the stock teal: white on it and it on white both pass WCAG AA contrast (axe checks it).
const theme = { ...defaultTheme, palette: { ...defaultTheme.palette, primary: { main: '#17616b' }, secondary: { main: '#263238' } } };

const AdminMenu = () => (
  <Menu>
    <Menu.ResourceItems />
    <Menu.Item to="/programme" primaryText="Programme" />
  </Menu>
);
const AdminLayout = (props: LayoutProps) => <Layout {...props} menu={AdminMenu} />;

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
