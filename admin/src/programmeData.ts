// The customer programme's catalogue for react-admin: its routes (/api/{tenant}/admin/...) speak
// plain JSON, not Hydra, so @api-platform/admin's provider cannot serve them; this provider does,
// for the resources named here, and App.tsx sends every other resource to the Hydra provider.
import type { DataProvider, GetListParams, RaRecord } from 'react-admin';
import { httpErrorOf } from './problems';
import { authHeaders, session } from './session';

/** react-admin resource name → path under /api/{tenant}/admin, and the fields its writes send (PUT replaces: all of them). */
export const PROGRAMME_RESOURCES: Record<string, { path: string; fields: string[] }> = {
  valuations: { path: 'valuations', fields: ['product_id', 'make', 'model', 'year_from', 'year_to', 'base_value'] },
};

const base = () => `/api/${session()?.tenant ?? 'default'}/admin`;

async function send(path: string, init: RequestInit = {}): Promise<{ body: unknown; headers: Headers }> {
  const res = await fetch(new URL(path, window.location.origin), {
    ...init,
    headers: { Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...authHeaders() },
  });
  if (!res.ok) throw await httpErrorOf(res);
  return { body: res.status === 204 ? null : await res.json(), headers: res.headers };
}

/** The input fields of a record; an emptied optional text is null (the API's "no value"), not "". */
function body(resource: string, data: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const f of PROGRAMME_RESOURCES[resource].fields) out[f] = data[f] === '' || data[f] === undefined ? null : data[f];
  return JSON.stringify(out);
}

function listQuery({ pagination, sort, filter }: GetListParams): string {
  const q = new URLSearchParams();
  if (pagination) {
    q.set('page', String(pagination.page));
    q.set('itemsPerPage', String(pagination.perPage));
  }
  if (sort?.field) q.set(`order[${sort.field}]`, sort.order.toLowerCase());
  for (const [k, v] of Object.entries(filter ?? {})) if (v !== '' && v !== null && v !== undefined) q.set(k, String(v));
  return q.toString();
}

export const programmeDataProvider = {
  async getList(resource, params) {
    const { body: rows, headers } = await send(`${base()}/${PROGRAMME_RESOURCES[resource].path}?${listQuery(params)}`);
    const total = headers.get('X-Total-Count');
    // A total the API could not count in its budget is left out: the Link header still says whether a next page exists.
    return total !== null
      ? { data: rows as RaRecord[], total: Number(total) }
      : { data: rows as RaRecord[], pageInfo: { hasNextPage: /rel="next"/.test(headers.get('Link') ?? ''), hasPreviousPage: (params.pagination?.page ?? 1) > 1 } };
  },
  async getOne(resource, params) {
    return { data: (await send(`${base()}/${PROGRAMME_RESOURCES[resource].path}/${params.id}`)).body as RaRecord };
  },
  async getMany(resource, params) {
    return { data: await Promise.all(params.ids.map(async (id) => (await send(`${base()}/${PROGRAMME_RESOURCES[resource].path}/${id}`)).body as RaRecord)) };
  },
  async getManyReference() {
    return { data: [], total: 0 };
  },
  async create(resource, params) {
    return { data: (await send(`${base()}/${PROGRAMME_RESOURCES[resource].path}`, { method: 'POST', body: body(resource, params.data) })).body as RaRecord };
  },
  async update(resource, params) {
    return { data: (await send(`${base()}/${PROGRAMME_RESOURCES[resource].path}/${params.id}`, { method: 'PUT', body: body(resource, params.data) })).body as RaRecord };
  },
  async updateMany(resource, params) {
    for (const id of params.ids) await send(`${base()}/${PROGRAMME_RESOURCES[resource].path}/${id}`, { method: 'PUT', body: body(resource, params.data) });
    return { data: params.ids };
  },
  async delete(resource, params) {
    await send(`${base()}/${PROGRAMME_RESOURCES[resource].path}/${params.id}`, { method: 'DELETE' });
    return { data: (params.previousData ?? { id: params.id }) as RaRecord };
  },
  async deleteMany(resource, params) {
    for (const id of params.ids) await send(`${base()}/${PROGRAMME_RESOURCES[resource].path}/${id}`, { method: 'DELETE' });
    return { data: params.ids };
  },
} as DataProvider;

/** The condition modifiers: one record per tenant, read and written whole by its own page (Valuations.tsx). */
export const modifiers = {
  get: async () => (await send(`${base()}/condition-modifiers`)).body as Record<string, number>,
  put: async (values: Record<string, number | null>) => (await send(`${base()}/condition-modifiers`, { method: 'PUT', body: JSON.stringify(values) })).body as Record<string, number>,
};
