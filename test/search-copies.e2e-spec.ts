import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/app.entities';
import { MIGRATIONS } from '../src/database/migrations';
import { ENGINE, freshDatabase } from './helpers';

/**
 * The migrations that add folded search copies (issue 12) fill them for the rows already there:
 * ASCII by SQL's LOWER(), everything else by foldText in batches, on both engines.
 */
describe('search-copy migrations on existing rows', () => {
  it('fold the makes, models, notes and customer names written before them', async () => {
    const db = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'search-copies-'));
    const target = { databaseUrl: db.databaseUrl, sqlitePath: ENGINE === 'mysql' ? ':memory:' : join(dir, 'db.sqlite'), logging: false };
    const before = MIGRATIONS.findIndex((m) => m.name === 'SearchColumns1732600000020');
    try {
      const old = new DataSource({ ...buildDataSourceOptions(target), migrations: MIGRATIONS.slice(0, before) });
      await old.initialize();
      await old.runMigrations({ transaction: 'each' });
      await old.query("INSERT INTO tenants (id, name, slug, created_at) VALUES (1, 'T', 't', '2024-01-01 00:00:00.000')");
      const at = "'2024-01-01 00:00:00.000'";
      const rows: [string | null, string | null, string | null][] = [
        ['Škoda', 'Octavia', 'Kratzer an der TÜR'],
        ['BMW', null, null],
        [null, 'Ø 3', 'straße'],
      ];
      // More than one batch (500) of rows with non-ASCII text.
      for (let i = 0; i < 520; i++) rows.push(['Citroën', `C${i}`, null]);
      for (const [i, [make, model, note]] of rows.entries()) {
        await old.query(
          `INSERT INTO trade_ins (id, tenant_id, status, vm_make, vm_model, note, price_ex_vat, is_vat_exempt, vm_vehicle_type, created_at, updated_at, version) VALUES (?, 1, 'not_done', ?, ?, ?, 0, 0, 'PC', ${at}, ${at}, 1)`,
          [i + 1, make, model, note],
        );
      }
      await old.query(
        `INSERT INTO customers (id, tenant_id, first_name, last_name, company_name, created_at, updated_at, version) VALUES (1, 1, 'Ülle', 'Mägi', NULL, ${at}, ${at}, 1), (2, 1, NULL, NULL, 'Pärn Logistics OÜ', ${at}, ${at}, 1)`,
      );
      await old.destroy();

      const ds = new DataSource(buildDataSourceOptions(target));
      await ds.initialize();
      await ds.runMigrations({ transaction: 'each' });
      const t = await ds.query('SELECT id, vm_make_search AS make, vm_model_search AS model, note_search AS note FROM trade_ins ORDER BY id');
      expect(t.slice(0, 3)).toEqual([
        { id: 1, make: 'skoda', model: 'octavia', note: 'kratzer an der tur' },
        { id: 2, make: 'bmw', model: null, note: null },
        { id: 3, make: null, model: 'o 3', note: 'strasse' },
      ]);
      expect(t.slice(3).every((r: { make: string; model: string }, i: number) => r.make === 'citroen' && r.model === `c${i}`)).toBe(true);
      const c = await ds.query('SELECT first_name_search AS f, last_name_search AS l, company_name_search AS co FROM customers ORDER BY id');
      expect(c).toEqual([
        { f: 'ulle', l: 'magi', co: null },
        { f: null, l: null, co: 'parn logistics ou' },
      ]);
      await ds.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  });
});
