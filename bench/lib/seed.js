'use strict';
/**
 * Seeds the benchmark database with realistic, deterministic data through bulk multi-row INSERTs.
 *
 * The schema comes from the product's own migrations (run through the app's DataSource from
 * dist/), so the benchmark measures the product's real tables and indexes.
 *
 * Two tenants: "bench" (90 % of the rows; the load runs with its key) and "other" (10 %), so
 * tenant scoping is exercised on every query. Per trade-in on average: ~3 pictures, ~0.8
 * comments, ~2 status-history rows. Customers: one per ~4 trade-ins; 8 dealerships per tenant.
 */
const { createHash, randomBytes } = require('node:crypto');
const fs = require('node:fs');
const mysql = require('mysql2/promise');

const MAKES = {
  Volkswagen: ['Golf', 'Passat', 'Polo', 'Tiguan', 'Touran', 'ID.4'],
  Toyota: ['Corolla', 'RAV4', 'Yaris', 'Auris', 'Avensis', 'Land Cruiser'],
  Škoda: ['Octavia', 'Superb', 'Fabia', 'Kodiaq', 'Karoq'],
  Audi: ['A3', 'A4', 'A6', 'Q5', 'Q7'],
  BMW: ['320d', '520d', 'X3', 'X5', '118i'],
  'Mercedes-Benz': ['C 220', 'E 220', 'GLC', 'A 180', 'Sprinter'],
  Volvo: ['V60', 'V90', 'XC60', 'XC90', 'S60'],
  Ford: ['Focus', 'Mondeo', 'Kuga', 'Transit', 'Fiesta'],
  Opel: ['Astra', 'Insignia', 'Corsa', 'Zafira'],
  Peugeot: ['308', '3008', '508', '208'],
  Renault: ['Megane', 'Clio', 'Captur', 'Kadjar'],
  Kia: ['Ceed', 'Sportage', 'Niro', 'Sorento'],
  Hyundai: ['i30', 'Tucson', 'Kona', 'Santa Fe'],
  Nissan: ['Qashqai', 'Leaf', 'X-Trail', 'Micra'],
  Honda: ['Civic', 'CR-V', 'Jazz', 'HR-V'],
  Mazda: ['3', '6', 'CX-5', 'CX-30'],
  Tesla: ['Model 3', 'Model Y', 'Model S'],
  Subaru: ['Outback', 'Forester', 'XV'],
  Citroën: ['C4', 'C5 Aircross', 'Berlingo'],
  Seat: ['Leon', 'Ibiza', 'Ateca'],
  Lexus: ['RX 450h', 'NX 300h', 'IS 300h'],
  Porsche: ['Cayenne', 'Macan', '911'],
  Dacia: ['Duster', 'Sandero', 'Logan'],
  Mitsubishi: ['Outlander', 'ASX', 'L200'],
};
// Popularity: the first makes are far more common, as in a real dealer group's stock.
const MAKE_NAMES = Object.keys(MAKES);
const MAKE_WEIGHTS = MAKE_NAMES.map((_, i) => 1 / (i + 2));
const STATUSES = [
  ['not_done', 0.25],
  ['ready_for_appraisal', 0.12],
  ['done', 0.13],
  ['sent_to_customer', 0.15],
  ['purchase_agreement', 0.2],
  ['no_deal', 0.15],
];
const COLORS = ['Black', 'White', 'Silver', 'Grey', 'Blue', 'Red', 'Green', 'Brown', 'Beige'];
const FUELS = ['Petrol', 'Diesel', 'Hybrid', 'Electric', 'Plug-in hybrid', 'LPG'];
const BODIES = ['Hatchback', 'Sedan', 'Wagon', 'SUV', 'Coupe', 'Van', 'Convertible'];
const DRIVES = ['FWD', 'RWD', 'AWD'];
const TRANS = ['Manual', 'Automatic'];
const EQUIPMENT = ['Navigation', 'Heated seats', 'Parking sensors', 'Tow bar', 'Sunroof', 'Leather seats', 'Cruise control', 'LED lights', 'Winter tires', 'Apple CarPlay'];
const BANKS = ['Popular Leasing', 'Nordic Finance', 'City Bank', 'Auto Credit'];
const REJECT = ['price_too_low', 'customer_withdrew', 'sold_elsewhere', 'vehicle_condition', 'financing_declined', 'no_response', 'duplicate', 'other'];
const PICTURE_TYPES = [
  'exterior_front',
  'exterior_rear',
  'exterior_left',
  'exterior_right',
  'interior_front',
  'interior_rear',
  'dashboard',
  'odometer',
  'engine',
  'trunk',
  'wheels',
  'damage',
  'vin_plate',
  'documents',
];
const FIRST = ['Anna', 'Mart', 'Liis', 'Jaan', 'Kadri', 'Peeter', 'Maria', 'Andres', 'Kati', 'Toomas', 'Eva', 'Juhan', 'Laura', 'Marko', 'Helen', 'Rasmus'];
const LAST = ['Tamm', 'Saar', 'Sepp', 'Mägi', 'Kask', 'Kukk', 'Rebane', 'Ilves', 'Pärn', 'Koppel', 'Lepik', 'Kuusk', 'Oja', 'Raud', 'Vaher', 'Lill'];
const COMMENTS = [
  'Customer called, will bring the car on Monday',
  'Small scratch on the rear bumper',
  'Service book complete',
  'Needs new brake pads',
  'Second key missing',
  'Price agreed by phone',
  'Winter tires included',
];
const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const DAY = 86_400_000;

/** mulberry32: a small deterministic PRNG, so every run seeds the same data. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** SQL literal for generated values. All strings are produced here and never contain quotes or backslashes. */
function lit(v) {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Date) return `'${v.toISOString().slice(0, 23).replace('T', ' ')}'`;
  const s = String(v);
  if (s.includes("'") || s.includes('\\')) throw new Error(`unsafe literal: ${s}`);
  return `'${s}'`;
}

const row = (values) => `(${values.map(lit).join(',')})`;
const hashKey = (key) => createHash('sha256').update(key, 'utf8').digest('hex');

/** Runs the product's migrations through its own DataSource (dist/ must be built). */
async function migrate(target) {
  const { createDataSource } = require('../../dist/app.entities');
  const ds = createDataSource({ ...target, logging: false });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
}

/**
 * Where the seed writes, created empty and migrated: a MariaDB database (`serverUrl` +
 * `database`) through mysql2, or an SQLite file (`sqlitePath`) through better-sqlite3.
 * Either way the same SQL: multi-row INSERTs of literals and a few SELECTs.
 */
async function openTarget({ serverUrl, database, sqlitePath }) {
  if (sqlitePath) {
    for (const f of [sqlitePath, `${sqlitePath}-wal`, `${sqlitePath}-shm`]) fs.rmSync(f, { force: true });
    await migrate({ sqlitePath });
    const Database = require('better-sqlite3');
    const db = new Database(sqlitePath);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = OFF');
    db.exec('BEGIN');
    return {
      kind: 'sqlite',
      where: { sqlitePath },
      exec: async (sql) => void db.prepare(sql).run(),
      rows: async (sql) => db.prepare(sql).all(),
      finish: async () => {
        db.exec('COMMIT');
        db.pragma('foreign_keys = ON');
        db.exec('ANALYZE');
      },
      close: async () => db.close(),
    };
  }
  const admin = await mysql.createConnection(`${serverUrl}/`);
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const databaseUrl = `${serverUrl}/${database}`;
  await migrate({ databaseUrl, sqlitePath: ':memory:' });
  const conn = await mysql.createConnection({ uri: databaseUrl, multipleStatements: false });
  await conn.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
  return {
    kind: 'mysql',
    where: { databaseUrl },
    exec: async (sql) => void (await conn.query(sql)),
    rows: async (sql) => (await conn.query(sql))[0],
    finish: async () => {
      await conn.query('SET SESSION foreign_key_checks = 1, unique_checks = 1');
      for (const t of ['trade_ins', 'trade_in_status_changes', 'trade_in_pictures', 'trade_in_comments', 'customers', 'api_keys']) {
        await conn.query(`ANALYZE TABLE ${t}`);
      }
    },
    close: () => conn.end(),
  };
}

/**
 * Inserts rows produced by `make(i)` (i in [from, to)) in multi-row INSERTs of `batch` rows.
 * The next batch is generated while the previous one is being written.
 */
async function bulk(db, table, columns, from, to, make, batch = 1000) {
  const head = `INSERT INTO ${table} (${columns.join(',')}) VALUES `;
  let pending = Promise.resolve();
  let parts = [];
  for (let i = from; i < to; i++) {
    const r = make(i);
    if (r === null) continue;
    if (Array.isArray(r[0])) for (const x of r) parts.push(row(x));
    else parts.push(row(r));
    if (parts.length >= batch) {
      const sql = head + parts.join(',');
      parts = [];
      await pending;
      pending = db.exec(sql);
    }
  }
  await pending;
  if (parts.length) await db.exec(head + parts.join(','));
}

function pick(rand, list) {
  return list[Math.floor(rand() * list.length)];
}

function weighted(rand, items, weights) {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = rand() * total;
  for (let i = 0; i < items.length; i++) {
    x -= weights[i];
    if (x <= 0) return items[i];
  }
  return items[items.length - 1];
}

const dateOnly = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * Seeds `size` trade-ins into a fresh MariaDB database (`serverUrl`, `database`) or SQLite file
 * (`sqlitePath`). Returns what the load needs: the bench tenant's manager and admin keys, its id
 * range and pools of editable trade-ins for the write scenarios.
 */
async function seed({ serverUrl, database, sqlitePath, size, log = () => {} }) {
  const started = Date.now();
  const { foldText } = require('../../dist/common/search-text');
  const db = await openTarget({ serverUrl, database, sqlitePath });
  log(`  schema migrated (${Date.now() - started} ms)`);
  const rand = prng(size);
  const now = Date.now();
  const span = 3 * 365 * DAY;
  const epoch = now - span - 60 * DAY;
  const ts = (ms) => new Date(Math.min(ms, now));

  // Tenants, users, API keys.
  const tenants = [
    [1, 'Bench dealer group', 'bench'],
    [2, 'Other dealer group', 'other'],
  ];
  await db.exec(`INSERT INTO tenants (id, name, slug, created_at) VALUES ${tenants.map((t) => row([...t, new Date(epoch)])).join(',')}`);
  const users = [];
  const USERS_PER_TENANT = 10;
  for (const [tid] of tenants) {
    for (let u = 0; u < USERS_PER_TENANT; u++) {
      const id = (tid - 1) * USERS_PER_TENANT + u + 1;
      const role = u === 0 ? 'admin' : u === 1 ? 'manager' : u === 9 ? 'readonly' : 'manager';
      users.push([id, tid, `user${u}@t${tid}.example`, `${pick(rand, FIRST)} ${pick(rand, LAST)}`, role, new Date(epoch), new Date(epoch), null]);
    }
  }
  await db.exec(`INSERT INTO users (id, tenant_id, email, name, role, created_at, updated_at, disabled_at) VALUES ${users.map(row).join(',')}`);
  const key = `tik_${randomBytes(32).toString('base64url')}`;
  const adminKey = `tik_${randomBytes(32).toString('base64url')}`;
  const keys = [
    [1, 1, 2, 'bench load key', key.slice(0, 12), hashKey(key), new Date(now), null, null],
    [2, 1, 1, 'bench admin key', adminKey.slice(0, 12), hashKey(adminKey), new Date(now), null, null],
  ];
  // Other keys, so the hash lookup is a real index seek among many.
  for (let k = 3; k <= 200; k++) {
    const other = `tik_${randomBytes(32).toString('base64url')}`;
    keys.push([k, k % 2 ? 1 : 2, k % 2 ? 3 : 12, `key ${k}`, other.slice(0, 12), hashKey(other), new Date(now), null, k % 17 === 0 ? new Date(now) : null]);
  }
  await db.exec(`INSERT INTO api_keys (id, tenant_id, user_id, name, prefix, key_hash, created_at, last_used_at, revoked_at) VALUES ${keys.map(row).join(',')}`);

  // Dealerships (locations).
  const LOCATIONS_PER_TENANT = 8;
  const locations = [];
  const CITIES = ['Tallinn', 'Tartu', 'Pärnu', 'Riga', 'Vilnius', 'Helsinki', 'Narva', 'Kuressaare'];
  for (const [tid] of tenants) {
    for (let l = 0; l < LOCATIONS_PER_TENANT; l++) {
      const id = (tid - 1) * LOCATIONS_PER_TENANT + l + 1;
      locations.push([id, tid, `${CITIES[l]} showroom`, `LOC${id}`, `Main street ${l + 1}`, CITIES[l], 'EE', `+372 600 ${1000 + id}`, `loc${id}@t${tid}.example`, new Date(epoch), new Date(epoch), 1]);
    }
  }
  await db.exec(`INSERT INTO locations (id, tenant_id, name, code, address, city, country, phone, email, created_at, updated_at, version) VALUES ${locations.map(row).join(',')}`);

  // Trade-in i (1-based) belongs to tenant 2 when i % 10 === 0, else to tenant 1 (the bench tenant).
  const tenantOf = (i) => (i % 10 === 0 ? 2 : 1);
  // Customers: one per ~4 trade-ins, interleaved the same way.
  const customers = Math.max(20, Math.ceil(size / 4));
  const customerTenant = (c) => (c % 10 === 0 ? 2 : 1);
  await bulk(
    db,
    'customers',
    [
      'id',
      'tenant_id',
      'first_name',
      'last_name',
      'company_name',
      'email',
      'phone',
      'personal_code',
      'address',
      'created_at',
      'updated_at',
      'version',
      'first_name_search',
      'last_name_search',
      'company_name_search',
    ],
    1,
    customers + 1,
    (c) => {
      const company = rand() < 0.15;
      const created = ts(epoch + (c / customers) * span);
      const first = company ? null : pick(rand, FIRST);
      const last = company ? null : pick(rand, LAST);
      const companyName = company ? `${pick(rand, LAST)} Logistics OÜ` : null;
      return [
        c,
        customerTenant(c),
        first,
        last,
        companyName,
        `customer${c}@mail.example`,
        `+372 5${String(1000000 + c).slice(-7)}`,
        company ? null : String(38000000000 + c),
        `${pick(rand, CITIES)}, ${pick(rand, LAST)} tn ${1 + (c % 90)}`,
        created,
        created,
        1,
        foldText(first),
        foldText(last),
        foldText(companyName),
      ];
    },
  );
  log(`  ${customers} customers (${Date.now() - started} ms)`);

  // Customers of a tenant: every id c with customerTenant(c) === tid. Pick one near the trade-in's time.
  const customerFor = (i, tid) => {
    if (rand() < 0.1) return null;
    let c = Math.max(1, Math.min(customers, Math.round((i / size) * customers + (rand() - 0.5) * 200)));
    for (let k = 0; k < 20 && customerTenant(c) !== tid; k++) c = c < customers ? c + 1 : 1;
    return customerTenant(c) === tid ? c : null;
  };
  const userFor = (tid) => (tid - 1) * USERS_PER_TENANT + 1 + Math.floor(rand() * 9);
  const statusNames = STATUSES.map((s) => s[0]);
  const statusWeights = STATUSES.map((s) => s[1]);
  const vin = () => {
    let s = '';
    for (let k = 0; k < 17; k++) s += VIN_ALPHABET[Math.floor(rand() * VIN_ALPHABET.length)];
    return s;
  };
  const money = (min, max) => Math.round((min + rand() * (max - min)) / 50) * 50;

  const tradeInColumns = [
    'id',
    'tenant_id',
    'status',
    'specification_title',
    'note',
    'customer_id',
    'dealership_id',
    'customer_asking_price',
    'purchase_price',
    'market_price',
    'market_value_on_sales_day',
    'margin',
    'refurbish_cost_estimate',
    'last_service_date',
    'days_to_sale',
    'daily_depreciation_rate',
    'price_ex_vat',
    'is_vat_exempt',
    'debt_amount',
    'debt_bank',
    'reject_reason',
    'reject_reason_meta_text',
    'vm_make',
    'vm_model',
    'vm_vin_code',
    'vm_color',
    'vm_mileage',
    'vm_gearbox',
    'vm_reg_nr',
    'vm_vehicle_type',
    'vm_body_type',
    'vm_cylinder_capacity_cm3',
    'vm_max_power_kw',
    'vm_first_registration_date',
    'vm_fuel',
    'vm_drivetrain_type',
    'vm_transmission_type',
    'vm_transmission_code',
    'vm_equipment',
    'vm_accidents',
    'cond_full_service',
    'cond_tires_more_than6mm',
    'cond_ac_works',
    'cond_animals_in_car',
    'cond_major_accident',
    'cond_mechanical_tested',
    'cond_original_paint',
    'cond_smoked_in_car',
    'created_at',
    'created_by_id',
    'updated_at',
    'updated_by_id',
    'report_signed_at',
    'report_signed_by_id',
    'done_by_id',
    'version',
    // the folded copies the product keeps for partial filters and text orders
    'vm_make_search',
    'vm_model_search',
    'note_search',
  ];
  // Status and timestamps per trade-in are kept for the history rows (compact typed arrays).
  const statusIdx = new Uint8Array(size + 1);
  const createdMs = new Float64Array(size + 1);
  const updatedMs = new Float64Array(size + 1);
  const flag = () => (rand() < 0.15 ? null : rand() < 0.7);

  await bulk(
    db,
    'trade_ins',
    tradeInColumns,
    1,
    size + 1,
    (i) => {
      const tid = tenantOf(i);
      const make = weighted(rand, MAKE_NAMES, MAKE_WEIGHTS);
      const model = pick(rand, MAKES[make]);
      const status = weighted(rand, statusNames, statusWeights);
      const s = statusNames.indexOf(status);
      const created = Math.min(now - 60_000, epoch + (i / size) * span + rand() * DAY);
      const updated = Math.min(now - 1000, created + rand() * (status === 'not_done' ? 2 : 40) * DAY);
      statusIdx[i] = s;
      createdMs[i] = created;
      updatedMs[i] = updated;
      const incomplete = status === 'not_done' && rand() < 0.2;
      const year = 2008 + Math.floor(rand() * 16);
      const firstReg = Math.min(now - 30 * DAY, Date.UTC(year, Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)));
      const asking = money(2000, 45000);
      const priced = s >= 2 && s <= 4;
      const purchase = priced || (status === 'no_deal' && rand() < 0.5) ? money(asking * 0.7, asking * 1.02) : null;
      const signed = priced ? updated : null;
      const creator = userFor(tid);
      const hasDebt = rand() < 0.12;
      const accidents = rand() < 0.1 ? JSON.stringify([{ date: dateOnly(firstReg + 400 * DAY), description: 'Rear bumper replaced', repairCost: money(300, 3000) }]) : null;
      const equipment = JSON.stringify(EQUIPMENT.filter(() => rand() < 0.3));
      const note = rand() < 0.3 ? pick(rand, COMMENTS) : null;
      return [
        i,
        tid,
        status,
        `${make} ${model} ${year}`,
        note,
        customerFor(i, tid),
        rand() < 0.95 ? (tid - 1) * LOCATIONS_PER_TENANT + 1 + Math.floor(rand() * LOCATIONS_PER_TENANT) : null,
        asking,
        purchase,
        priced ? money(asking * 0.9, asking * 1.2) : null,
        null,
        priced ? Math.round(rand() * 1500) / 100 : null,
        priced ? money(0, 2500) : null,
        rand() < 0.6 ? dateOnly(Math.min(now - DAY, created - rand() * 300 * DAY)) : null,
        priced ? 10 + Math.floor(rand() * 80) : null,
        priced ? Math.round(rand() * 2000) / 10000 : null,
        rand() < 0.1,
        rand() < 0.02,
        hasDebt ? money(500, 15000) : null,
        hasDebt ? pick(rand, BANKS) : null,
        status === 'no_deal' ? pick(rand, REJECT) : null,
        status === 'no_deal' && rand() < 0.3 ? 'Customer expects more' : null,
        make,
        model,
        incomplete ? null : vin(),
        pick(rand, COLORS),
        incomplete ? null : Math.floor(rand() * 300000),
        pick(rand, TRANS) === 'Manual' ? '6-speed manual' : '7-speed automatic',
        incomplete ? null : `${100 + Math.floor(rand() * 900)}${'ABCDEFGHJKLMNPRSTUVWXYZ'[i % 23]}${'ABCDEFGHJKLMNPRSTUVWXYZ'[(i >> 3) % 23]}${'ABCDEFGHJKLMNPRSTUVWXYZ'[(i >> 6) % 23]}`,
        'PC',
        pick(rand, BODIES),
        1000 + Math.floor(rand() * 30) * 100,
        50 + Math.floor(rand() * 250),
        incomplete ? null : dateOnly(firstReg),
        pick(rand, FUELS),
        pick(rand, DRIVES),
        pick(rand, TRANS),
        null,
        equipment,
        accidents,
        flag(),
        flag(),
        flag(),
        flag(),
        flag(),
        flag(),
        flag(),
        flag(),
        new Date(created),
        creator,
        new Date(updated),
        rand() < 0.7 ? creator : userFor(tid),
        signed === null ? null : new Date(signed),
        signed === null ? null : creator,
        signed === null ? null : creator,
        1 + Math.floor(rand() * 6),
        foldText(make),
        foldText(model),
        foldText(note),
      ];
    },
    500,
  );
  log(`  ${size} trade-ins (${Date.now() - started} ms)`);

  // Status history: the creation row, and a row into the current status when it differs.
  await bulk(
    db,
    'trade_in_status_changes',
    ['tenant_id', 'trade_in_id', 'from_status', 'to_status', 'changed_by_id', 'changed_at', 'reject_reason', 'reject_reason_meta_text'],
    1,
    size + 1,
    (i) => {
      const tid = tenantOf(i);
      const st = statusNames[statusIdx[i]];
      const rows = [[tid, i, null, 'not_done', userFor(tid), new Date(createdMs[i]), null, null]];
      if (st !== 'not_done') rows.push([tid, i, 'not_done', st, userFor(tid), new Date(updatedMs[i]), st === 'no_deal' ? 'other' : null, null]);
      return rows;
    },
    2000,
  );
  log(`  history (${Date.now() - started} ms)`);

  // Pictures: 0–6 typed (distinct types) and sometimes an untyped one.
  await bulk(
    db,
    'trade_in_pictures',
    ['tenant_id', 'trade_in_id', 'url', 'picture_type_code', 'created_at', 'created_by_id'],
    1,
    size + 1,
    (i) => {
      const tid = tenantOf(i);
      const n = Math.floor(rand() * 7);
      const start = Math.floor(rand() * PICTURE_TYPES.length);
      const at = new Date(createdMs[i] + 3_600_000);
      const rows = [];
      for (let k = 0; k < n; k++) rows.push([tid, i, `https://img.example/t/${i}/${k}.jpg`, PICTURE_TYPES[(start + k) % PICTURE_TYPES.length], at, userFor(tid)]);
      if (rand() < 0.2) rows.push([tid, i, `https://img.example/t/${i}/extra.jpg`, null, at, userFor(tid)]);
      return rows.length ? rows : null;
    },
    2000,
  );
  log(`  pictures (${Date.now() - started} ms)`);

  await bulk(
    db,
    'trade_in_comments',
    ['tenant_id', 'trade_in_id', 'comment', 'created_at', 'created_by_id'],
    1,
    size + 1,
    (i) => {
      const tid = tenantOf(i);
      const n = rand() < 0.5 ? 0 : rand() < 0.6 ? 1 : 2;
      const rows = [];
      for (let k = 0; k < n; k++) rows.push([tid, i, pick(rand, COMMENTS), new Date(createdMs[i] + (k + 1) * 7_200_000), userFor(tid)]);
      return rows.length ? rows : null;
    },
    2000,
  );
  log(`  comments (${Date.now() - started} ms)`);

  await db.finish();
  const data = await describeSeeded(db, size, { key, adminKey });
  await db.close();
  return { ...data, seconds: (Date.now() - started) / 1000 };
}

/** What the load needs from a seeded database: id range, a sample trade-in, pools of editable trade-ins. */
async function describeSeeded(db, size, keys) {
  // Editable trade-ins for the write scenarios: not_done, complete enough for ready_for_appraisal.
  const pool = await db.rows(
    `SELECT id FROM trade_ins WHERE tenant_id = 1 AND id <= ${size} AND status = 'not_done' AND vm_make IS NOT NULL AND vm_model IS NOT NULL
       AND vm_first_registration_date IS NOT NULL AND vm_mileage IS NOT NULL AND vm_reg_nr IS NOT NULL AND dealership_id IS NOT NULL
     ORDER BY id DESC LIMIT 4000`,
  );
  const [range] = await db.rows(`SELECT MIN(id) AS lo, MAX(id) AS hi, COUNT(*) AS n FROM trade_ins WHERE tenant_id = 1 AND id <= ${size}`);
  const [cust] = await db.rows('SELECT MAX(id) AS id FROM customers WHERE tenant_id = 1');
  const [sample] = await db.rows(`SELECT vm_reg_nr AS regNr, vm_vin_code AS vinCode FROM trade_ins WHERE tenant_id = 1 AND vm_reg_nr IS NOT NULL AND vm_vin_code IS NOT NULL ORDER BY id LIMIT 1`);
  const ids = pool.map((r) => r.id);
  return {
    ...db.where,
    engine: db.kind,
    ...keys,
    tenantRows: Number(range.n),
    minId: range.lo,
    maxId: range.hi,
    tenantOf: (i) => (i % 10 === 0 ? 2 : 1),
    customerId: cust.id,
    dealershipId: 1,
    sample,
    // Disjoint pools: status moves on one half, picture galleries on the other.
    statusPool: ids.filter((_, k) => k % 2 === 0),
    picturePool: ids.filter((_, k) => k % 2 === 1),
  };
}

/**
 * A database seeded earlier (`npm run bench:seed`, or a run with BENCH_KEEP_DB=1) with `size`
 * trade-ins, reused as it is (rows added by earlier write scenarios stay): fresh bench keys and the
 * same description as seed(). Null when it does not exist or holds another size.
 */
async function reuseSeeded({ serverUrl, database, sqlitePath, size }) {
  let db;
  if (sqlitePath) {
    if (!fs.existsSync(sqlitePath)) return null;
    const Database = require('better-sqlite3');
    const handle = new Database(sqlitePath);
    db = { kind: 'sqlite', where: { sqlitePath }, exec: async (sql) => void handle.prepare(sql).run(), rows: async (sql) => handle.prepare(sql).all(), close: async () => handle.close() };
  } else {
    const conn = await mysql.createConnection(`${serverUrl}/${database}`).catch(() => null);
    if (!conn) return null;
    db = {
      kind: 'mysql',
      where: { databaseUrl: `${serverUrl}/${database}` },
      exec: async (sql) => void (await conn.query(sql)),
      rows: async (sql) => (await conn.query(sql))[0],
      close: () => conn.end(),
    };
  }
  try {
    const [seeded] = await db.rows(`SELECT COUNT(*) AS n FROM trade_ins WHERE id <= ${size}`);
    if (Number(seeded.n) !== size) return null;
    const key = `tik_${randomBytes(32).toString('base64url')}`;
    const adminKey = `tik_${randomBytes(32).toString('base64url')}`;
    await db.exec("DELETE FROM api_keys WHERE name IN ('bench load key', 'bench admin key')");
    const now = new Date();
    await db.exec(
      `INSERT INTO api_keys (tenant_id, user_id, name, prefix, key_hash, created_at, last_used_at, revoked_at) VALUES ${[
        [1, 2, 'bench load key', key.slice(0, 12), hashKey(key), now, null, null],
        [1, 1, 'bench admin key', adminKey.slice(0, 12), hashKey(adminKey), now, null, null],
      ]
        .map(row)
        .join(',')}`,
    );
    return { ...(await describeSeeded(db, size, { key, adminKey })), seconds: 0, reused: true };
  } finally {
    await db.close();
  }
}

module.exports = { seed, reuseSeeded, hashKey };
