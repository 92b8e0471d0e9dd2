import type { Request } from 'express';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { applyFilters, applyOrder, CollectionSpec, DEFAULT_ITEMS_PER_PAGE, FilterTarget, MAX_ITEMS_PER_PAGE, parsePagination, parseProperties, Query, readQuery } from './collection';
import { ApiError } from './errors';

/*
 * The public behaviour of the collection parameters: what each accepts, what it refuses (400 with
 * a message naming the parameter) and which rows the conditions it writes select. The conditions
 * are run on a real SQLite table through TypeORM's parameter expansion (as the list queries are),
 * so these tests hold whatever SQL text the filters produce.
 */
const SPEC: CollectionSpec = {
  order: { id: 'i.id', price: 'i.price', make: 'i.make', createdAt: 'i.created_at' },
  exact: {
    status: { column: 'i.status', values: ['draft', 'done', 'no_deal'] },
    customer: { column: 'i.customer_id', iriOf: 'customers' },
    regNr: { column: 'i.reg_nr', maxLength: 20 },
  },
  partial: { make: 'i.make', note: 'i.note' },
  date: { createdAt: 'i.created_at' },
  range: { price: 'i.price', mileage: 'i.mileage' },
  defaultOrder: [['i.id', 'DESC']],
};

const ROWS: [id: number, status: string, customer: number | null, regNr: string, make: string, note: string, createdAt: string, price: number, mileage: number][] = [
  [1, 'draft', 5, 'ABC123', 'Volkswagen', 'a 50% discount', '2024-01-30 23:59:59.999', 1000, 0],
  [2, 'done', 5, 'XYZ789', 'VOLVO', 'a 500 discount', '2024-01-31 00:00:00.000', 5000, 120000],
  [3, 'done', 6, 'abc123', 'volvo', 'under_score', '2024-01-31 10:00:00.000', 5000.01, 80000],
  [4, 'no_deal', null, 'Q1', 'Audi', 'underscore', '2024-02-01 00:00:00.000', 999.99, 5],
];

let ds: DataSource;

beforeAll(async () => {
  ds = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
  // The engine compares text as the schema does (NOCASE on SQLite, *_ci on MariaDB).
  await ds.query(
    'CREATE TABLE items (id INTEGER PRIMARY KEY, status TEXT, customer_id INTEGER, reg_nr TEXT, make TEXT COLLATE NOCASE, note TEXT COLLATE NOCASE, created_at DATETIME, price DECIMAL(12,2), mileage INTEGER)',
  );
  for (const row of ROWS) await ds.query('INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', row);
});

afterAll(() => ds.destroy());

/** The ids a query string selects, in the order it asks for. */
async function select(q: Query): Promise<number[]> {
  const where: string[] = [];
  const orders: string[] = [];
  const params: Record<string, unknown> = {};
  const target: FilterTarget = {
    andWhere: (condition, p) => where.push(`(${condition})`) && Object.assign(params, p),
    addOrderBy: (column, dir = 'ASC') => orders.push(`${column} ${dir}`),
  };
  applyFilters(target, SPEC, q);
  applyOrder(target, SPEC, q);
  const sql = `SELECT i.id AS id FROM items i${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orders.join(', ')}`;
  const [query, values] = ds.driver.escapeQueryWithParameters(sql, params, {});
  return (await ds.query<{ id: number }[]>(query, values)).map((r) => r.id);
}

/** The 400 a call throws (its detail), or fails. */
function badRequestOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError && e.statusCode === 400) return e.detail;
    throw e;
  }
  throw new Error('expected a 400');
}

const rejects = async (q: Query): Promise<string> => {
  try {
    await select(q);
  } catch (e) {
    if (e instanceof ApiError && e.statusCode === 400) return e.detail;
    throw e;
  }
  throw new Error('expected a 400');
};

describe('pagination parameters', () => {
  it('defaults to page 1 of 30, counted', () => {
    expect(parsePagination({})).toEqual({ page: 1, itemsPerPage: DEFAULT_ITEMS_PER_PAGE, partial: false });
    expect(DEFAULT_ITEMS_PER_PAGE).toBe(30);
  });

  it('accepts page and itemsPerPage up to 100, and partial=true|false|1|0', () => {
    expect(parsePagination({ page: '7', itemsPerPage: '100', partial: 'true' })).toEqual({ page: 7, itemsPerPage: 100, partial: true });
    expect(parsePagination({ partial: '1' }).partial).toBe(true);
    expect(parsePagination({ partial: 'false' }).partial).toBe(false);
    expect(parsePagination({ partial: '0' }).partial).toBe(false);
    expect(MAX_ITEMS_PER_PAGE).toBe(100);
  });

  it.each([
    [{ page: '0' }, /"page".*between 1 and/],
    [{ page: '-1' }, /"page".*positive integer.*"-1"/],
    [{ page: '1.5' }, /"page".*positive integer/],
    [{ page: 'abc' }, /"page".*positive integer.*"abc"/],
    [{ page: '' }, /"page".*positive integer/],
    [{ page: '99999999999999999999' }, /"page".*positive integer/],
    [{ page: ['1', '2'] }, /"page".*structured value/],
    [{ itemsPerPage: '101' }, /"itemsPerPage".*between 1 and 100, got 101/],
    [{ itemsPerPage: '0' }, /"itemsPerPage".*between 1 and 100/],
    [{ itemsPerPage: { a: '1' } }, /"itemsPerPage".*structured value/],
    [{ partial: 'yes' }, /"partial".*true or false/],
  ])('refuses %j with a 400 naming the parameter', (q, message) => {
    expect(badRequestOf(() => parsePagination(q))).toMatch(message);
  });
});

describe('properties[] parameter', () => {
  it('is absent when not given: the whole representation', () => {
    expect(parseProperties(undefined)).toBeNull();
  });

  it('selects top-level and nested fields in the order given', () => {
    expect(parseProperties('id')).toEqual({ id: true });
    const tree = parseProperties(['status', 'id']);
    expect(Object.keys(tree!)).toEqual(['status', 'id']);
    // qs's parse of properties[]=id&properties[vehicleModel][]=regNr&properties[vehicleModel][]=make
    expect(parseProperties({ 0: 'id', vehicleModel: ['regNr', 'make'] })).toEqual({ id: true, vehicleModel: { regNr: true, make: true } });
    expect(parseProperties({ customer: { dealership: ['name'] } })).toEqual({ customer: { dealership: { name: true } } });
  });

  it.each([[''], ['$where'], ['a b'], ['1abc'], ['x'.repeat(65)]])('refuses the property name %j with a 400', (name) => {
    expect(badRequestOf(() => parseProperties([name]))).toMatch(/"properties".*invalid property/);
  });

  it('refuses selections nested deeper than relation.relation.field, and non-string values', () => {
    expect(badRequestOf(() => parseProperties({ a: { b: { c: ['d'] } } }))).toMatch(/"properties"/);
    expect(badRequestOf(() => parseProperties(5))).toMatch(/"properties"/);
    expect(badRequestOf(() => parseProperties([['id']]))).toMatch(/"properties"/);
  });

  it('builds trees without a prototype, so a name such as constructor is only a name', () => {
    const tree = parseProperties(['constructor', 'toString'])!;
    expect(Object.getPrototypeOf(tree)).toBeNull();
    expect(Object.keys(tree)).toEqual(['constructor', 'toString']);
  });
});

describe('filters', () => {
  it('without parameters selects everything, newest id first', async () => {
    expect(await select({})).toEqual([4, 3, 2, 1]);
  });

  it('ignores unknown parameters and names of Object.prototype', async () => {
    expect(await select({ colour: 'red', toString: 'x', constructor: 'y', hasOwnProperty: 'z' })).toEqual([4, 3, 2, 1]);
  });

  it('matches exact values, one or several (status=… / status[]=…)', async () => {
    expect(await select({ status: 'done' })).toEqual([3, 2]);
    expect(await select({ status: ['draft', 'no_deal'] })).toEqual([4, 1]);
    expect(await select({ status: [] })).toEqual([4, 3, 2, 1]);
  });

  it('refuses a value outside the declared list, naming the filter and what is allowed', async () => {
    expect(await rejects({ status: 'sold' })).toMatch(/"status".*"sold".*Allowed: draft, done, no_deal/);
  });

  it('takes a relation as an IRI or a bare id, and refuses an IRI of another resource', async () => {
    expect(await select({ customer: '/api/v3/customers/5' })).toEqual([2, 1]);
    expect(await select({ customer: '5' })).toEqual([2, 1]);
    expect(await select({ customer: ['5', '/api/v3/customers/6'] })).toEqual([3, 2, 1]);
    expect(await rejects({ customer: '/api/v3/locations/5' })).toMatch(/customer/);
    expect(await rejects({ customer: '/api/v3/customers/abc' })).toMatch(/customer/);
  });

  it('compares exact text as the column does (case-insensitive where the schema says so) and bounds its length', async () => {
    expect(await select({ regNr: 'ABC123' })).toEqual([1]);
    expect(await rejects({ regNr: 'X'.repeat(21) })).toMatch(/"regNr".*too long/);
  });

  it('matches partial text case-insensitively', async () => {
    expect(await select({ make: 'vol' })).toEqual([3, 2, 1]);
    expect(await select({ make: 'VOLVO' })).toEqual([3, 2]);
    expect(await select({ make: ['audi', 'wagen'] })).toEqual([4, 1]);
  });

  it('treats LIKE wildcards in a partial value as the characters themselves', async () => {
    expect(await select({ note: '50%' })).toEqual([1]);
    expect(await select({ note: 'under_' })).toEqual([3]);
    expect(await select({ note: '!' })).toEqual([]);
  });

  it('filters dates with after / before (inclusive) and strictly_after / strictly_before, a day meaning its midnight UTC', async () => {
    expect(await select({ createdAt: { after: '2024-01-31' } })).toEqual([4, 3, 2]);
    expect(await select({ createdAt: { strictly_after: '2024-01-31' } })).toEqual([4, 3]);
    expect(await select({ createdAt: { before: '2024-01-31' } })).toEqual([2, 1]);
    expect(await select({ createdAt: { strictly_before: '2024-01-31' } })).toEqual([1]);
    expect(await select({ createdAt: { after: '2024-01-31T11:00:00+01:00', before: '2024-01-31T10:00:00Z' } })).toEqual([3]);
  });

  it.each([
    [{ createdAt: '2024-01-31' }, /"createdAt".*needs an operator/],
    [{ createdAt: { since: '2024-01-31' } }, /Unknown operator "since" for the "createdAt" filter/],
    [{ createdAt: { after: 'yesterday' } }, /"createdAt\[after\]".*date.*"yesterday"/],
    [{ createdAt: { after: ['2024-01-31'] } }, /"createdAt\[after\]".*structured value/],
  ])('refuses the date filter %j with a 400 naming it', async (q, message) => {
    expect(await rejects(q)).toMatch(message);
  });

  it('filters ranges with gt / gte / lt / lte and between=min..max (inclusive)', async () => {
    expect(await select({ price: { between: '1000..5000' } })).toEqual([2, 1]);
    expect(await select({ price: { gt: '1000' } })).toEqual([3, 2]);
    expect(await select({ price: { gte: '1000', lt: '5000.01' } })).toEqual([2, 1]);
    expect(await select({ price: { lte: '999.99' } })).toEqual([4]);
    expect(await select({ mileage: { lt: '1' } })).toEqual([1]);
  });

  it.each([
    [{ price: '1000' }, /"price".*needs an operator/],
    [{ price: { gt: 'cheap' } }, /"price\[gt\]".*number.*"cheap"/],
    [{ price: { gt: '1e3' } }, /"price\[gt\]".*number/],
    [{ price: { between: '1..2..3' } }, /"price\[between\]".*min\.\.max/],
    [{ price: { between: '..5' } }, /"price\[between\]".*number/],
    [{ price: { around: '5' } }, /Unknown operator "around" for the "price" filter/],
  ])('refuses the range filter %j with a 400 naming it', async (q, message) => {
    expect(await rejects(q)).toMatch(message);
  });

  it('refuses more than 100 values for one filter', async () => {
    expect(await rejects({ status: Array.from({ length: 101 }, () => 'done') })).toMatch(/"status".*at most 100/);
  });

  it('refuses a structured value where a text belongs', async () => {
    expect(await rejects({ status: { a: { b: 'c' } } })).toMatch(/"status".*invalid value/);
  });
});

describe('order parameters', () => {
  it('orders by the fields given, in the order given, then by the default order', async () => {
    expect(await select({ order: { price: 'desc' } })).toEqual([3, 2, 1, 4]);
    expect(await select({ order: { price: 'DESC', id: 'asc' } })).toEqual([3, 2, 1, 4]);
    // Audi < Volkswagen < VOLVO = volvo (text compared case-insensitively), the tie broken by price
    expect(await select({ order: { make: 'asc', price: 'asc' } })).toEqual([4, 1, 2, 3]);
  });

  it('ignores unknown fields and names of Object.prototype', async () => {
    expect(await select({ order: { colour: 'asc', constructor: 'asc', toString: 'desc' } })).toEqual([4, 3, 2, 1]);
  });

  it('refuses a direction other than ASC or DESC, and an order that is not order[field]=…', async () => {
    expect(await rejects({ order: { price: 'up' } })).toMatch(/"order\[price\]".*ASC or DESC/);
    expect(await rejects({ order: 'price' })).toMatch(/"order".*order\[field\]=ASC\|DESC/);
    expect(await rejects({ order: { price: ['asc', 'desc'] } })).toMatch(/"order\[price\]"/);
  });
});

describe('any query string', () => {
  // qs's extended parser turns a query string into strings, arrays and nested objects of them.
  const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.string({ maxLength: 12 }),
      fc.constantFrom('1', '100', '2024-01-31', '1..5', 'asc', 'DESC', '/api/v3/customers/5', 'true'),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('gt', 'lte', 'between', 'after', 'strictly_before', 'price', 'make', '0', 'x', '__proto__'), tie('v'), { maxKeys: 3 }),
    ),
  })).v;
  const names = fc.constantFrom('page', 'itemsPerPage', 'partial', 'properties', 'order', 'status', 'customer', 'regNr', 'make', 'note', 'createdAt', 'price', 'mileage', 'other');
  const query = fc.dictionary(names, value, { maxKeys: 5 }) as fc.Arbitrary<Query>;

  it('either selects rows or is refused with a 400, never another error', async () => {
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        try {
          parsePagination(q);
          parseProperties(q.properties);
          await select(q);
        } catch (e) {
          if (!(e instanceof ApiError && e.statusCode === 400)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('collection parameters of a request', () => {
  const req = (method: string, query: Query, contentType?: string, body?: unknown) => ({ method, query, headers: contentType ? { 'content-type': contentType } : {}, body }) as unknown as Request;

  it('reads a form-encoded GET body as parameters (the seed’s curl -X GET -d …), the query string winning', () => {
    const q = readQuery(req('GET', { page: '2' }, 'application/x-www-form-urlencoded; charset=utf-8', { page: '9', status: ['done'], order: { updatedAt: 'DESC' } }));
    expect(q).toEqual({ page: '2', status: ['done'], order: { updatedAt: 'DESC' } });
  });

  it('ignores the body of other methods and other media types', () => {
    expect(readQuery(req('POST', {}, 'application/x-www-form-urlencoded', { status: 'done' }))).toEqual({});
    expect(readQuery(req('GET', {}, 'application/json', { status: 'done' }))).toEqual({});
  });
});
