import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/app.entities';
import { MIGRATIONS } from '../src/database/migrations';
import { ENGINE, freshDatabase } from './helpers';

/**
 * Migration 130 (issue 17) on a database with history: moves recorded before actors were are
 * attributed (a user's to the user, an offer's expiry to the job, the rest of a programme
 * trade-in's to its customer); valuations keep their values while their vehicle fields become optional.
 */
describe('migration 1732600000130 on existing rows', () => {
  it('attributes the recorded moves and keeps the valuations', async () => {
    const db = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'migration-130-'));
    const target = { databaseUrl: db.databaseUrl, sqlitePath: ENGINE === 'mysql' ? ':memory:' : join(dir, 'db.sqlite'), logging: false };
    const before = MIGRATIONS.findIndex((m) => m.name === 'PhotosCatalogueAudit1732600000130');
    try {
      const old = new DataSource({ ...buildDataSourceOptions(target), migrations: MIGRATIONS.slice(0, before) });
      await old.initialize();
      await old.runMigrations({ transaction: 'each' });
      const at = "'2024-01-01 00:00:00.000'";
      await old.query(`INSERT INTO tenants (id, name, slug, created_at) VALUES (1, 'T', 't', ${at})`);
      await old.query(`INSERT INTO users (id, tenant_id, email, name, role, created_at, updated_at) VALUES (7, 1, 'm@t.example', 'M', 'manager', ${at}, ${at})`);
      await old.query(`INSERT INTO customers (id, tenant_id, first_name, last_name, company_name, created_at, updated_at, version) VALUES (5, 1, 'Mari', 'Tamm', NULL, ${at}, ${at}, 1)`);
      for (const id of [1, 2]) {
        await old.query(
          `INSERT INTO trade_ins (id, tenant_id, status, customer_id, price_ex_vat, is_vat_exempt, vm_vehicle_type, created_at, updated_at, version) VALUES (?, 1, 'not_done', 5, 0, 0, 'PC', ${at}, ${at}, 1)`,
          [id],
        );
      }
      await old.query(`INSERT INTO program_accounts (id, tenant_id, customer_id, email, password_hash, failed_logins, created_at, updated_at) VALUES (3, 1, 5, 'c@t.example', 'x', 0, ${at}, ${at})`);
      // trade-in 1 is a programme submission, trade-in 2 a dealer trade-in
      await old.query(`INSERT INTO trade_in_programs (trade_in_id, tenant_id, account_id, created_at, updated_at) VALUES (1, 1, 3, ${at}, ${at})`);
      const moves: [number, string | null, string, number | null][] = [
        [1, null, 'not_done', null],
        [1, 'not_done', 'ready_for_appraisal', null],
        [1, 'ready_for_appraisal', 'done', 7],
        [1, 'done', 'sent_to_customer', 7],
        [1, 'sent_to_customer', 'done', null],
        [1, 'done', 'sent_to_customer', 7],
        [1, 'sent_to_customer', 'purchase_agreement', null],
        [2, null, 'not_done', 7],
      ];
      for (const [tradeIn, from, to, user] of moves) {
        await old.query(`INSERT INTO trade_in_status_changes (tenant_id, trade_in_id, from_status, to_status, changed_by_id, changed_at) VALUES (1, ?, ?, ?, ?, ${at})`, [tradeIn, from, to, user]);
      }
      await old.query(
        `INSERT INTO program_valuations (id, tenant_id, product_id, make, model, year_from, year_to, base_value, created_at, updated_at) VALUES (4, 1, 'golf-7', 'Volkswagen', 'Golf', 2017, 2020, 12345.67, ${at}, ${at})`,
      );
      await old.destroy();

      const ds = new DataSource(buildDataSourceOptions(target));
      await ds.initialize();
      await ds.runMigrations({ transaction: 'each' });
      const rows = await ds.query<{ kind: string | null; customer: number | null; job: string | null }[]>(
        'SELECT actor_kind AS kind, changed_by_customer_id AS customer, actor_job AS job FROM trade_in_status_changes ORDER BY id',
      );
      const customer = { kind: 'customer', customer: 5, job: null };
      const user = { kind: 'user', customer: null, job: null };
      expect(rows.map((r) => ({ ...r, customer: r.customer === null ? null : Number(r.customer) }))).toEqual([
        customer,
        customer,
        user,
        user,
        { kind: 'system', customer: null, job: 'programme.expire-offers' },
        user,
        customer,
        user,
      ]);
      const [valuation] = await ds.query<{ make: string; year_to: number; base_value: string | number }[]>('SELECT make, year_to, base_value FROM program_valuations WHERE id = 4');
      expect({ ...valuation, base_value: Number(valuation.base_value), year_to: Number(valuation.year_to) }).toEqual({ make: 'Volkswagen', year_to: 2020, base_value: 12345.67 });
      await ds.query(`INSERT INTO program_valuations (tenant_id, product_id, base_value, created_at, updated_at) VALUES (1, 'prod_456', 200, ${at}, ${at})`);
      const [program] = await ds.query<{ c: number | boolean }[]>('SELECT product_catalogued AS c FROM trade_in_programs WHERE trade_in_id = 1');
      expect(Number(program.c)).toBe(0);
      await ds.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  });
});
