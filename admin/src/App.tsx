import { fetchHydra, HydraAdmin, hydraDataProvider, ResourceGuesser } from '@api-platform/admin';
import { parseHydraDocumentation } from '@api-platform/api-doc-parser';
import { API, authHeaders, authProvider } from './session';
import { LoginPage } from './Login';
import { TradeInEdit, TradeInList, TradeInShow } from './TradeIns';

// Every request of the admin carries the staff session; Hydra documentation and entrypoint need none but get it too.
const httpClient = (url: URL, options: Parameters<typeof fetchHydra>[1] = {}) => fetchHydra(url, { ...options, headers: { Accept: 'application/ld+json', ...authHeaders() } });

const dataProvider = hydraDataProvider({
  entrypoint: API,
  httpClient,
  apiDocumentationParser: (entrypoint: string) => parseHydraDocumentation(entrypoint, { headers: authHeaders }),
  mercure: false,
});

export function App() {
  return (
    <HydraAdmin entrypoint={API} dataProvider={dataProvider} authProvider={authProvider} loginPage={LoginPage} requireAuth title="Trade-in admin" disableTelemetry>
      <ResourceGuesser name="trade-ins" list={TradeInList} show={TradeInShow} edit={TradeInEdit} />
      <ResourceGuesser name="customers" />
      <ResourceGuesser name="locations" />
    </HydraAdmin>
  );
}
