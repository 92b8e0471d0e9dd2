'use strict';
/**
 * The baseline: a bare Node `http` server with a `mysql2` pool doing the same work as the product
 * for the list and create scenarios — API key check (sha256 → indexed lookup, cached like the
 * product), tenant scope, the same SQL result and byte-for-byte the same JSON-LD body (the bench
 * verifies that before loading). No framework, no ORM, no validation library: the practical limit
 * of Node + mysql2 on this machine. It also applies the product's count strategy (a short count
 * cache) and its way of reading a page (issue 12): the page's ids from the main table alone,
 * then the rows of those ids with their joins; partial text filters on the folded search copy.
 *
 * Supports exactly what the scenarios use: GET /api/v3/trade-ins with page, itemsPerPage,
 * status / status[], vehicleModel.make (partial), order[updatedAt|id|createdAt], properties[]
 * (top-level, vehicleModel and customer sub-selections); POST /api/v3/trade-ins.
 *
 * Env: DATABASE_URL (mysql://...), PORT, DB_POOL_SIZE (default 10), COUNT_CACHE_SECONDS (default 5).
 */
const http = require('node:http');
const { createHash } = require('node:crypto');
const qs = require('qs');
const mysql = require('mysql2');

const PORT = Number(process.env.PORT || 3100);
const COUNT_TTL = Number(process.env.COUNT_CACHE_SECONDS ?? 5) * 1000;
/** The product's hydra:search of the trade-in collection (JSON), given by bench/run.js: a constant the product serializes once. */
const HYDRA_SEARCH = process.env.BENCH_HYDRA_SEARCH || '';
const pool = mysql
  .createPool({
    uri: process.env.DATABASE_URL,
    connectionLimit: Number(process.env.DB_POOL_SIZE || 10),
    timezone: 'Z',
    dateStrings: true,
    decimalNumbers: true,
    supportBigNumbers: true,
  })
  .promise();

// ------------------------------------------------------------------ representation tables

const TOP = {
  specificationTitle: 'specification_title',
  note: 'note',
  customerAskingPrice: 'customer_asking_price',
  purchasePrice: 'purchase_price',
  marketPrice: 'market_price',
  marketValueOnSalesDay: 'market_value_on_sales_day',
  margin: 'margin',
  refurbishCostEstimate: 'refurbish_cost_estimate',
  lastServiceDate: 'last_service_date',
  daysToSale: 'days_to_sale',
  dailyDepreciationRate: 'daily_depreciation_rate',
  priceExVat: 'price_ex_vat',
  isVatExempt: 'is_vat_exempt',
  rejectReason: 'reject_reason',
  rejectReasonMetaText: 'reject_reason_meta_text',
};
const READONLY = { id: 'id', status: 'status', createdAt: 'created_at', updatedAt: 'updated_at', reportSignedAt: 'report_signed_at' };
const VEHICLE = {
  make: 'vm_make',
  model: 'vm_model',
  vinCode: 'vm_vin_code',
  color: 'vm_color',
  mileage: 'vm_mileage',
  gearbox: 'vm_gearbox',
  regNr: 'vm_reg_nr',
  vehicleType: 'vm_vehicle_type',
  bodyType: 'vm_body_type',
  cylinderCapacityCm3: 'vm_cylinder_capacity_cm3',
  maxPowerKw: 'vm_max_power_kw',
  firstRegistrationDate: 'vm_first_registration_date',
  fuel: 'vm_fuel',
  drivetrainType: 'vm_drivetrain_type',
  transmissionType: 'vm_transmission_type',
  transmissionCode: 'vm_transmission_code',
  equipment: 'vm_equipment',
  accidents: 'vm_accidents',
};
const CONDITION = {
  fullService: 'cond_full_service',
  tiresMoreThan6mm: 'cond_tires_more_than6mm',
  acWorks: 'cond_ac_works',
  animalsInCar: 'cond_animals_in_car',
  majorAccident: 'cond_major_accident',
  mechanicalTested: 'cond_mechanical_tested',
  originalPaint: 'cond_original_paint',
  smokedInCar: 'cond_smoked_in_car',
};
const DEBT = { amount: 'debt_amount', bank: 'debt_bank' };
const NESTED = { vehicleModel: VEHICLE, condition: CONDITION, debtInfo: DEBT };
const BOOL = new Set(['price_ex_vat', 'is_vat_exempt', ...Object.values(CONDITION)]);
const JSONCOL = new Set(['vm_equipment', 'vm_accidents']);
const CUSTOMER = ['id', 'first_name', 'last_name', 'company_name', 'email', 'phone', 'personal_code', 'address', 'created_at', 'updated_at'];
const CUSTOMER_API = ['id', 'firstName', 'lastName', 'companyName', 'email', 'phone', 'personalCode', 'address', 'createdAt', 'updatedAt'];
const LOCATION = ['id', 'name', 'code', 'address', 'city', 'country', 'phone', 'email', 'created_at', 'updated_at'];
const USER = ['id', 'name', 'email'];
const USER_JOINS = [
  ['createdBy', 'cb', 'created_by_id'],
  ['updatedBy', 'ub', 'updated_by_id'],
  ['reportSignedBy', 'rs', 'report_signed_by_id'],
  ['doneBy', 'db', 'done_by_id'],
];
// the customer programme's side of a trade-in (LEFT JOIN trade_in_programs p; null for dealer trade-ins)
const PROGRAM = [
  'trade_in_id',
  'account_id',
  'product_id',
  'serial_number',
  'condition_grade',
  'quoted_value',
  'shipping_method',
  'tracking_number',
  'shipped_at',
  'received_at',
  'inspected_grade',
  'final_value',
  'inspected_at',
  'credit_type',
  'credit_amount',
  'credit_issued_at',
];
const PROGRAM_STATUS = {
  not_done: 'draft',
  ready_for_appraisal: 'submitted',
  done: 'submitted',
  sent_to_customer: 'offered',
  purchase_agreement: 'accepted',
  shipped: 'shipped',
  received: 'received',
  inspected: 'inspected',
  completed: 'completed',
  no_deal: 'declined',
};
const PROGRAM_JOIN = ' LEFT JOIN trade_in_programs p ON p.trade_in_id = t.id';
const ALL_T = [...Object.values(READONLY), ...Object.values(TOP), ...Object.values(VEHICLE), ...Object.values(CONDITION), ...Object.values(DEBT), 'version'];

/** Case and accents folded, as the product's search copies (common/search-text.ts; enough for the bench's values). */
const fold = (s) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** '2024-01-31 10:00:00.123' → '2024-01-31T10:00:00.123+00:00' (the product's isoTimestamp, milliseconds kept). */
const iso = (s) => (s === null || s === undefined ? null : `${s.slice(0, 10)}T${s.slice(11, 19)}${s.length === 23 ? s.slice(19) : '.000'}+00:00`);
const value = (col, v) => {
  if (v === null || v === undefined) return null;
  if (BOOL.has(col)) return v === 1 || v === true;
  if (JSONCOL.has(col)) return JSON.parse(v);
  return v;
};
const TS_COLS = new Set(['created_at', 'updated_at', 'report_signed_at']);
const tval = (t, col) => (TS_COLS.has(col) ? iso(t[col]) : value(col, t[col]));

const user = (u) => (u && u.id !== null ? { '@id': `/api/v3/users/${u.id}`, '@type': 'User', id: u.id, iri: `/api/v3/users/${u.id}`, name: u.name, email: u.email } : null);
const customer = (c) => {
  if (!c || c.id === null) return null;
  return {
    '@id': `/api/v3/customers/${c.id}`,
    '@type': 'Customer',
    id: c.id,
    iri: `/api/v3/customers/${c.id}`,
    firstName: c.first_name,
    lastName: c.last_name,
    companyName: c.company_name,
    email: c.email,
    phone: c.phone,
    personalCode: c.personal_code,
    address: c.address,
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
};
const location = (l) => {
  if (!l || l.id === null) return null;
  return {
    '@id': `/api/v3/locations/${l.id}`,
    '@type': 'Location',
    id: l.id,
    iri: `/api/v3/locations/${l.id}`,
    name: l.name,
    code: l.code,
    address: l.address,
    city: l.city,
    country: l.country,
    phone: l.phone,
    email: l.email,
    createdAt: iso(l.created_at),
    updatedAt: iso(l.updated_at),
  };
};
const program = (p, status) => {
  if (!p || p.trade_in_id === null) return null;
  return {
    submissionId: `sub_${p.trade_in_id}`,
    programStatus: PROGRAM_STATUS[status],
    accountId: p.account_id,
    productId: p.product_id,
    serialNumber: p.serial_number,
    conditionGrade: p.condition_grade,
    quotedValue: p.quoted_value,
    shippingMethod: p.shipping_method,
    trackingNumber: p.tracking_number,
    shippedAt: iso(p.shipped_at),
    receivedAt: iso(p.received_at),
    inspectedGrade: p.inspected_grade,
    finalValue: p.final_value,
    inspectedAt: iso(p.inspected_at),
    creditType: p.credit_type,
    creditAmount: p.credit_amount,
    creditIssuedAt: iso(p.credit_issued_at),
  };
};
const nested = (t, fields) => {
  const out = {};
  for (const k in fields) out[k] = value(fields[k], t[fields[k]]);
  return out;
};

/** The full JSON-LD node of a trade-in row (nestTables: r.t, r.c, r.l, r.cb, ...). */
function fullNode(r) {
  const t = r.t;
  const iri = `/api/v3/trade-ins/${t.id}`;
  const out = { '@id': iri, '@type': 'TradeIn', id: t.id, iri, status: t.status };
  for (const k in TOP) out[k] = value(TOP[k], t[TOP[k]]);
  out.customer = customer(r.c);
  out.dealership = location(r.l);
  out.debtInfo = nested(t, DEBT);
  out.vehicleModel = nested(t, VEHICLE);
  out.condition = nested(t, CONDITION);
  out.createdAt = iso(t.created_at);
  out.createdBy = user(r.cb);
  out.updatedAt = iso(t.updated_at);
  out.updatedBy = user(r.ub);
  out.reportSignedAt = iso(t.report_signed_at);
  out.reportSignedBy = user(r.rs);
  out.doneBy = user(r.db);
  out.program = program(r.p, t.status);
  return out;
}

/** A properties[] selection rendered straight from the selected columns. */
function pickedNode(r, tree) {
  const t = r.t;
  const iri = `/api/v3/trade-ins/${t.id}`;
  const out = { '@id': iri, '@type': 'TradeIn' };
  for (const key in tree) {
    const sel = tree[key];
    if (key === 'iri') out.iri = iri;
    else if (READONLY[key]) out[key] = tval(t, READONLY[key]);
    else if (TOP[key]) out[key] = value(TOP[key], t[TOP[key]]);
    else if (NESTED[key]) {
      const fields = NESTED[key];
      const o = {};
      for (const sub in sel === true ? fields : sel) if (fields[sub]) o[sub] = value(fields[sub], t[fields[sub]]);
      out[key] = o;
    } else if (key === 'customer') {
      const c = r.c;
      if (!c || c.id === null) out.customer = null;
      else if (sel === true) out.customer = customer(c);
      else {
        const o = { '@id': `/api/v3/customers/${c.id}`, '@type': 'Customer' };
        for (const sub in sel) {
          const i = CUSTOMER_API.indexOf(sub);
          if (i >= 0) o[sub] = sub === 'createdAt' || sub === 'updatedAt' ? iso(c[CUSTOMER[i]]) : sub === 'iri' ? `/api/v3/customers/${c.id}` : c[CUSTOMER[i]];
        }
        out.customer = o;
      }
    }
  }
  return out;
}

function parseTree(raw) {
  if (raw === undefined) return null;
  const tree = {};
  const entries = typeof raw === 'string' ? [[0, raw]] : Object.entries(raw);
  for (const [k, v] of entries) {
    if (typeof v === 'string') tree[v] = true;
    else if (v && typeof v === 'object') {
      const sub = {};
      for (const x of Object.values(v)) if (typeof x === 'string') sub[x] = true;
      tree[k] = sub;
    }
  }
  return tree;
}

// ------------------------------------------------------------------ auth (cached like the product)

const keyCache = new Map();
async function authenticate(key) {
  if (typeof key !== 'string' || key.length < 20 || key.length > 200) return null;
  const hash = createHash('sha256').update(key, 'utf8').digest('hex');
  const now = Date.now();
  const hit = keyCache.get(hash);
  if (hit && hit.expires > now) return hit.principal;
  const [rows] = await pool.query('SELECT k.id, k.tenant_id, k.user_id, u.role, u.disabled_at FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = ? AND k.revoked_at IS NULL', [hash]);
  const r = rows[0];
  if (!r || r.disabled_at) return null;
  const principal = { keyId: r.id, tenantId: r.tenant_id, userId: r.user_id, role: r.role };
  keyCache.set(hash, { principal, expires: now + 30_000 });
  return principal;
}

// ------------------------------------------------------------------ count cache (same policy as the product)

const counts = new Map();
let generation = 0;
function cachedCount(sql, params) {
  const key = `${generation}\u0000${sql}\u0000${JSON.stringify(params)}`;
  const now = Date.now();
  const e = counts.get(key);
  const load = () => pool.query(sql, params).then(([rows]) => Number(rows[0].n));
  if (COUNT_TTL <= 0) return load();
  if (e && now - e.at < COUNT_TTL) {
    if (now - e.at > COUNT_TTL / 2 && !e.refreshing) {
      e.refreshing = true;
      load().then(
        (n) => counts.set(key, { value: Promise.resolve(n), at: Date.now() }),
        () => counts.delete(key),
      );
    }
    return e.value;
  }
  const value = load();
  if (counts.size > 1000) counts.clear();
  counts.set(key, { value, at: now });
  value.catch(() => counts.delete(key));
  return value;
}

// ------------------------------------------------------------------ list

const STATUSES = ['not_done', 'ready_for_appraisal', 'done', 'sent_to_customer', 'purchase_agreement', 'no_deal'];
const ORDER = { id: 't.id', createdAt: 't.created_at', updatedAt: 't.updated_at' };
const list = (v) => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : [v]);
class HttpError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

async function listTradeIns(req, res, principal, path, query) {
  const page = query.page === undefined ? 1 : Number(query.page);
  const perPage = query.itemsPerPage === undefined ? 30 : Number(query.itemsPerPage);
  if (!Number.isInteger(page) || page < 1 || page > 1_000_000) throw new HttpError(400, 'The "page" parameter must be a positive integer.');
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) throw new HttpError(400, 'The "itemsPerPage" parameter must be between 1 and 100.');
  const where = ['t.tenant_id = ?'];
  const params = [principal.tenantId];
  if (query.status !== undefined) {
    const s = list(query.status);
    for (const v of s) if (!STATUSES.includes(v)) throw new HttpError(400, `The "status" filter does not accept "${v}".`);
    where.push(s.length === 1 ? 't.status = ?' : `t.status IN (${s.map(() => '?').join(',')})`);
    params.push(...s);
  }
  if (query['vehicleModel.make'] !== undefined) {
    const m = list(query['vehicleModel.make']);
    where.push(`(${m.map(() => "t.vm_make_search LIKE ? ESCAPE '!'").join(' OR ')})`);
    for (const v of m) params.push(`%${fold(String(v)).replace(/[!%_]/g, (c) => `!${c}`)}%`);
  }
  const order = [];
  const used = new Set();
  let lastDir = null;
  for (const [field, dir] of Object.entries(query.order ?? {})) {
    if (!ORDER[field]) continue;
    if (!/^(asc|desc)$/i.test(dir)) throw new HttpError(400, `The "order[${field}]" parameter must be ASC or DESC.`);
    used.add(ORDER[field]);
    lastDir = dir.toUpperCase();
    order.push(`${ORDER[field]} ${lastDir}`);
  }
  // the id tie-break runs in the direction of the last order given (the product's rule)
  if (!used.has('t.id')) order.push(`t.id ${lastDir ?? 'DESC'}`);

  const tree = parseTree(query.properties);
  let select;
  let joins = '';
  if (!tree) {
    select = [...ALL_T.map((c) => `t.${c}`), ...CUSTOMER.map((c) => `c.${c}`), ...LOCATION.map((c) => `l.${c}`)];
    joins = ' LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN locations l ON l.id = t.dealership_id';
    for (const [, a, fk] of USER_JOINS) {
      select.push(...USER.map((c) => `${a}.${c}`));
      joins += ` LEFT JOIN users ${a} ON ${a}.id = t.${fk}`;
    }
    select.push(...PROGRAM.map((c) => `p.${c}`));
    joins += PROGRAM_JOIN;
  } else {
    const cols = new Set(['id']);
    for (const key in tree) {
      if (READONLY[key]) cols.add(READONLY[key]);
      if (TOP[key]) cols.add(TOP[key]);
      if (NESTED[key]) for (const sub in NESTED[key]) if (tree[key] === true || tree[key][sub]) cols.add(NESTED[key][sub]);
    }
    select = [...cols].map((c) => `t.${c}`);
    if (tree.customer) {
      const wanted = tree.customer === true ? CUSTOMER : ['id', ...CUSTOMER.filter((c, i) => c !== 'id' && tree.customer[CUSTOMER_API[i]])];
      select.push(...wanted.map((c) => `c.${c}`));
      joins = ' LEFT JOIN customers c ON c.id = t.customer_id';
    }
  }
  const whereSql = where.join(' AND ');
  const offset = (page - 1) * perPage;
  const count = cachedCount(`SELECT COUNT(*) AS n FROM trade_ins t WHERE ${whereSql}`, params);
  const [ids] = await pool.query(`SELECT t.id FROM trade_ins t WHERE ${whereSql} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`, [...params, perPage, offset]);
  let rows = [];
  if (ids.length) {
    const [found] = await pool.query({ sql: `SELECT ${select.join(', ')} FROM trade_ins t${joins} WHERE t.tenant_id = ? AND t.id IN (?)`, nestTables: true }, [
      principal.tenantId,
      ids.map((r) => r.id),
    ]);
    const byId = new Map(found.map((r) => [r.t.id, r]));
    rows = ids.map((r) => byId.get(r.id)).filter(Boolean);
  }
  const total = await count;
  const members = rows.map((r) => (tree ? pickedNode(r, tree) : fullNode(r)));
  const link = (p) => `${path}?${qs.stringify({ ...query, page: p }, { encodeValuesOnly: true, arrayFormat: 'brackets' })}`;
  const last = Math.max(1, Math.ceil(total / perPage));
  const view = { '@id': link(page), '@type': 'hydra:PartialCollectionView', 'hydra:first': link(1), 'hydra:last': link(last) };
  if (page > 1) view['hydra:previous'] = link(page - 1);
  if (offset + rows.length < total) view['hydra:next'] = link(page + 1);
  const body = { '@context': '/api/v3/contexts/TradeIn', '@id': path, '@type': 'hydra:Collection', 'hydra:totalItems': total, 'hydra:member': members, 'hydra:view': view };
  const json = JSON.stringify(body);
  send(res, 200, HYDRA_SEARCH ? `${json.slice(0, -1)},"hydra:search":${HYDRA_SEARCH}}` : json);
}

// ------------------------------------------------------------------ create

const str = (v, max, name, errors) => {
  if (v === undefined || v === null) return v;
  if (typeof v !== 'string' || v.length > max) errors.push(`${name} must be a string of at most ${max} characters`);
  return v;
};
const num = (v, min, max, name, errors, int = false) => {
  if (v === undefined || v === null) return v;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (int && !Number.isInteger(v))) errors.push(`${name} is out of range`);
  return v;
};
const date = (v, name, errors) => {
  if (v === undefined || v === null) return v;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)) || v > new Date().toISOString().slice(0, 10)) errors.push(`${name} must be a past date`);
  return v;
};
const iriId = (v, resource, name) => {
  const m = typeof v === 'string' ? new RegExp(`^/api/v3/${resource}/([1-9][0-9]{0,9})$`).exec(v) : null;
  if (!m) throw new HttpError(400, `The "${name}" field is not a valid IRI.`);
  return Number(m[1]);
};

const FULL_SELECT = (() => {
  const select = [...ALL_T.map((c) => `t.${c}`), ...CUSTOMER.map((c) => `c.${c}`), ...LOCATION.map((c) => `l.${c}`)];
  let joins = ' LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN locations l ON l.id = t.dealership_id';
  for (const [, a, fk] of USER_JOINS) {
    select.push(...USER.map((c) => `${a}.${c}`));
    joins += ` LEFT JOIN users ${a} ON ${a}.id = t.${fk}`;
  }
  select.push(...PROGRAM.map((c) => `p.${c}`));
  joins += PROGRAM_JOIN;
  return `SELECT ${select.join(', ')} FROM trade_ins t${joins} WHERE t.tenant_id = ? AND t.id = ?`;
})();

async function createTradeIn(req, res, principal, body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'The body must be a JSON object.');
  const errors = [];
  const vm = body.vehicleModel ?? {};
  if (typeof vm !== 'object' || Array.isArray(vm)) throw new HttpError(422, 'vehicleModel must be an object');
  const cols = {
    specification_title: str(body.specificationTitle, 255, 'specificationTitle', errors),
    note: str(body.note, 65535, 'note', errors),
    customer_asking_price: num(body.customerAskingPrice, 0, 9_999_999_999.99, 'customerAskingPrice', errors),
    purchase_price: num(body.purchasePrice, 0, 9_999_999_999.99, 'purchasePrice', errors),
    debt_amount: num(body.debtInfo?.amount, 0, 9_999_999_999.99, 'debtInfo.amount', errors),
    debt_bank: str(body.debtInfo?.bank, 150, 'debtInfo.bank', errors),
    vm_make: str(vm.make, 100, 'vehicleModel.make', errors),
    vm_model: str(vm.model, 100, 'vehicleModel.model', errors),
    vm_vin_code: vm.vinCode === undefined || vm.vinCode === null ? vm.vinCode : String(vm.vinCode).trim().toUpperCase(),
    vm_color: str(vm.color, 60, 'vehicleModel.color', errors),
    vm_mileage: num(vm.mileage, 0, 5_000_000, 'vehicleModel.mileage', errors, true),
    vm_reg_nr: str(vm.regNr, 20, 'vehicleModel.regNr', errors),
    vm_body_type: str(vm.bodyType, 60, 'vehicleModel.bodyType', errors),
    vm_fuel: str(vm.fuel, 60, 'vehicleModel.fuel', errors),
    vm_first_registration_date: date(vm.firstRegistrationDate, 'vehicleModel.firstRegistrationDate', errors),
    vm_equipment: Array.isArray(vm.equipment) ? JSON.stringify(vm.equipment) : undefined,
  };
  if (cols.vm_vin_code && !/^[A-HJ-NPR-Z0-9]{17}$/.test(cols.vm_vin_code)) errors.push('vinCode must be 17 characters of the VIN alphabet');
  if (errors.length) throw new HttpError(422, errors.join('; '));
  const customerId = body.customer === undefined || body.customer === null ? body.customer : iriId(body.customer, 'customers', 'customer');
  const dealershipId = body.dealership === undefined || body.dealership === null ? body.dealership : iriId(body.dealership, 'locations', 'dealership');

  const conn = await pool.getConnection();
  let row;
  try {
    await conn.beginTransaction();
    if (customerId) {
      const [r] = await conn.query('SELECT 1 FROM customers WHERE id = ? AND tenant_id = ? LIMIT 1', [customerId, principal.tenantId]);
      if (!r.length) throw new HttpError(400, `The "customer" field references /api/v3/customers/${customerId}, which does not exist.`);
    }
    if (dealershipId) {
      const [r] = await conn.query('SELECT 1 FROM locations WHERE id = ? AND tenant_id = ? LIMIT 1', [dealershipId, principal.tenantId]);
      if (!r.length) throw new HttpError(400, `The "dealership" field references /api/v3/locations/${dealershipId}, which does not exist.`);
    }
    const now = new Date();
    const values = {
      tenant_id: principal.tenantId,
      status: 'not_done',
      price_ex_vat: 0,
      is_vat_exempt: 0,
      vm_vehicle_type: 'PC',
      created_at: now,
      created_by_id: principal.userId,
      updated_at: now,
      updated_by_id: principal.userId,
      version: 1,
      customer_id: customerId ?? null,
      dealership_id: dealershipId ?? null,
    };
    for (const [k, v] of Object.entries(cols)) if (v !== undefined) values[k] = v;
    // the folded search copies the product writes with the row
    for (const [copy, source] of [
      ['vm_make_search', 'vm_make'],
      ['vm_model_search', 'vm_model'],
      ['note_search', 'note'],
    ]) {
      if (values[source] !== undefined) values[copy] = values[source] === null ? null : fold(values[source]);
    }
    const [ins] = await conn.query('INSERT INTO trade_ins SET ?', [values]);
    await conn.query('INSERT INTO trade_in_status_changes (tenant_id, trade_in_id, from_status, to_status, changed_by_id, changed_at) VALUES (?, ?, NULL, ?, ?, ?)', [
      principal.tenantId,
      ins.insertId,
      'not_done',
      principal.userId,
      now,
    ]);
    const [rows] = await conn.query({ sql: FULL_SELECT, nestTables: true }, [principal.tenantId, ins.insertId]);
    await conn.commit();
    row = rows[0];
  } catch (e) {
    await conn.rollback().catch(() => undefined);
    throw e;
  } finally {
    conn.release();
  }
  generation++;
  const node = fullNode(row);
  res.setHeader('ETag', `"${row.t.version}"`);
  res.setHeader('Location', node.iri);
  send(res, 201, JSON.stringify({ '@context': '/api/v3/contexts/TradeIn', ...node }));
}

// ------------------------------------------------------------------ http

function send(res, status, body, type = 'application/ld+json; charset=utf-8') {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), Vary: 'Accept' });
  res.end(body);
}

function readBody(req, limit = 1 << 20) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) reject(new HttpError(413, 'Body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  try {
    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    if (path === '/health') return send(res, 200, '{"status":"ok"}', 'application/json');
    const principal = await authenticate(req.headers['x-api-key']);
    if (!principal) throw new HttpError(401, 'The API key is invalid or has been revoked.');
    if (path === '/api/v3/trade-ins' && req.method === 'GET') {
      return await listTradeIns(req, res, principal, path, q < 0 ? {} : qs.parse(req.url.slice(q + 1), { allowPrototypes: true }));
    }
    if (path === '/api/v3/trade-ins' && req.method === 'POST') {
      if (principal.role === 'readonly') throw new HttpError(403, 'read-only key');
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
      if (type !== 'application/json' && type !== 'application/ld+json') throw new HttpError(415, 'Unsupported Content-Type');
      let body;
      try {
        body = JSON.parse(await readBody(req));
      } catch (e) {
        throw e instanceof HttpError ? e : new HttpError(400, 'Malformed JSON');
      }
      return await createTradeIn(req, res, principal, body);
    }
    throw new HttpError(404, `No route matches ${req.method} ${path}.`);
  } catch (e) {
    const status = e instanceof HttpError ? e.status : 500;
    if (status === 500) console.error(e);
    send(res, status, JSON.stringify({ '@type': 'hydra:Error', title: http.STATUS_CODES[status], status, detail: e instanceof HttpError ? e.message : 'Internal error' }));
  }
});
server.keepAliveTimeout = 65_000;
server.listen(PORT, '127.0.0.1', () => process.stdout.write(`baseline listening on ${PORT}\n`));
const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
