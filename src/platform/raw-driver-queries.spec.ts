import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';
import { insertReturningId, storedRows } from './raw-queries';
import { TradeIn } from '../trade-ins/trade-in.entity';
import { migratedDataSource } from '../../test/data-source';
import { ENGINE } from '../../test/helpers';

/*
 * Tripwire: src/database/stored-rows.ts runs the hot reads and inserts past TypeORM's query
 * runner (issue 6: the trade-in SELECT with mysql2's compiled parser and dates as strings; a core
 * lost ~12 s to TurboFan compiling the old parser, create 2.54 → ~1.4 ms CPU). On MySQL it takes
 * mysql2's pool from TypeORM's driver (`driver.pool`), or the transaction's connection from
 * `queryRunner.connect()`, and passes per-query options (dateStrings, disableEval) that must win
 * over the pool's (disableEval: true, data-source.ts). On SQLite it relies on TypeORM's
 * better-sqlite3 runner answering a statement without rows with its lastInsertRowid.
 */
let ds: DataSource;
let tenantId: number;
let close: () => Promise<void>;

beforeAll(async () => ({ ds, tenantId, close } = await migratedDataSource('raw')));
afterAll(() => close?.());

const INSERT = 'INSERT INTO tenants (name, slug, created_at) VALUES (?, ?, ?)';
const COUNT = 'SELECT COUNT(1) AS cnt FROM tenants WHERE slug = ?';

describe(`tripwire: reads and inserts past TypeORM's query runner (${ENGINE})`, () => {
  it('returns DATETIME(3) and DATE columns as the stored text', async () => {
    const at = new Date('2024-01-31T10:00:00.123Z');
    const { identifiers } = await ds.getRepository(TradeIn).insert({ tenantId, status: 'not_done', createdAt: at, updatedAt: at, vmFirstRegistrationDate: '2024-02-29' });
    const [row] = await storedRows(ds.manager, 'SELECT created_at AS at, vm_first_registration_date AS day FROM trade_ins WHERE id = ?', [identifiers[0].id]);
    expect(row).toEqual({ at: '2024-01-31 10:00:00.123', day: '2024-02-29' });
  });

  it('inserts and answers the new id, inside a transaction on its connection (unseen by others until the commit)', async () => {
    let id = 0;
    await ds.transaction(async (em) => {
      id = await insertReturningId(em, INSERT, ['Inserted', 'inserted', '2024-01-31 10:00:00.000']);
      expect(Number((await storedRows(em, COUNT, ['inserted']))[0].cnt)).toBe(1);
      if (ENGINE === 'mysql') expect(Number((await storedRows(ds.manager, COUNT, ['inserted']))[0].cnt)).toBe(0);
    });
    expect(id).toBeGreaterThan(tenantId);
    expect((await ds.query<{ name: string }[]>('SELECT name FROM tenants WHERE id = ?', [id]))[0].name).toBe('Inserted');
  });
});

(ENGINE === 'mysql' ? describe : describe.skip)('tripwire: mysql2 reached through TypeORM’s MySQL driver', () => {
  it('driver.pool is mysql2’s pool, with query(options, callback)', async () => {
    const pool = (ds.driver as MysqlDriver).pool as { query: (o: object, cb: (e: Error | null, r?: unknown) => void) => void; constructor: { name: string } };
    expect(pool.constructor.name).toBe('Pool');
    const rows = await new Promise((resolve, reject) => pool.query({ sql: 'SELECT 1 AS one', values: [] }, (e, r) => (e ? reject(e) : resolve(r))));
    expect(rows).toEqual([{ one: 1 }]);
  });

  it('a transaction’s queryRunner.connect() is a mysql2 connection with query(options, callback)', async () => {
    await ds.transaction(async (em) => {
      const connection = (await em.queryRunner!.connect()) as { query: unknown; constructor: { name: string } };
      expect(typeof connection.query).toBe('function');
      expect(connection.constructor.name).toMatch(/Connection$/);
    });
  });

  it('without the per-query option the pool hydrates DATETIME as Date (so the option is what makes them text)', async () => {
    const [row] = await ds.query<{ at: unknown }[]>('SELECT created_at AS at FROM tenants WHERE id = ?', [tenantId]);
    expect(row.at).toBeInstanceOf(Date);
  });

  it('mysql2 knows disableEval as a connection option, and a query’s own options win over the connection’s', () => {
    const mysql2 = dirname(require.resolve('mysql2'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ConnectionConfig = require(join(mysql2, 'lib', 'connection_config.js')) as {
      new (o: object): object;
      queryOptions(config: object, overrides: object): { disableEval: boolean; dateStrings: boolean };
    };
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const config = new ConnectionConfig({ host: '127.0.0.1', disableEval: true, dateStrings: false, decimalNumbers: false, supportBigNumbers: true });
      expect([...warn.mock.calls, ...error.mock.calls].join('\n')).not.toMatch(/Ignoring invalid configuration option/);
      expect(ConnectionConfig.queryOptions(config, {})).toMatchObject({ disableEval: true, dateStrings: false });
      expect(ConnectionConfig.queryOptions(config, { disableEval: false, dateStrings: true })).toMatchObject({ disableEval: false, dateStrings: true });
      new ConnectionConfig({ host: '127.0.0.1', noSuchOption: true });
      expect([...warn.mock.calls, ...error.mock.calls].join('\n')).toMatch(/Ignoring invalid configuration option passed to Connection: noSuchOption/);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});
