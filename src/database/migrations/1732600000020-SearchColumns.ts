import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';
import { foldText } from '../../common/search-text';

/**
 * Folded copies of the trade-in text that partial filters and text orders read (issue 12; why:
 * src/common/search-text.ts): `vm_make_search`, `vm_model_search`, `note_search`, compared as
 * bytes (utf8mb4_bin on MariaDB, SQLite's BINARY), so `skoda` finds "Škoda" on both engines and
 * `order[vehicleModel.make]` sorts identically on both.
 *
 * The make and model indexes move to the folded columns: `(tenant_id, vm_make_search)` serves
 * `order[vehicleModel.make]` (plus the id tie-break, which InnoDB and SQLite append to every
 * secondary index) and lets a partial match be checked in the index alone. The note is free text
 * up to 5000 characters and is not indexed (see bench/README.md for what bounds its filter).
 *
 * Backfill: ASCII text folds to SQL's LOWER() on both engines, done in one UPDATE; the few rows
 * with other characters are folded by foldText in batches.
 */
const COLUMNS: [copy: string, source: string, type: string][] = [
  ['vm_make_search', 'vm_make', 'varchar(100)'],
  ['vm_model_search', 'vm_model', 'varchar(100)'],
  ['note_search', 'note', 'text'],
];
const NEW_INDEXES = [
  new TableIndex({ name: 'ix_trade_ins_tenant_id_vm_make_search', columnNames: ['tenant_id', 'vm_make_search'] }),
  new TableIndex({ name: 'ix_trade_ins_tenant_id_vm_model_search', columnNames: ['tenant_id', 'vm_model_search'] }),
];
const OLD_INDEXES = [
  new TableIndex({ name: 'ix_trade_ins_tenant_id_vm_make', columnNames: ['tenant_id', 'vm_make'] }),
  new TableIndex({ name: 'ix_trade_ins_tenant_id_vm_model', columnNames: ['tenant_id', 'vm_model'] }),
];

export class SearchColumns1732600000020 implements MigrationInterface {
  name = 'SearchColumns1732600000020';

  public async up(q: QueryRunner): Promise<void> {
    const mysql = q.connection.options.type === 'mysql';
    // Plain ALTER TABLE on both engines: TypeORM's SQLite addColumn would copy the whole table.
    const collate = mysql ? ' CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' : '';
    for (const [copy, , type] of COLUMNS) await q.query(`ALTER TABLE trade_ins ADD COLUMN ${copy} ${type}${collate} NULL`);

    await q.query(`UPDATE trade_ins SET ${COLUMNS.map(([copy, source]) => `${copy} = LOWER(${source})`).join(', ')}`);
    const nonAscii = (c: string) => (mysql ? `CHAR_LENGTH(${c}) <> LENGTH(${c})` : `LENGTH(${c}) <> LENGTH(CAST(${c} AS BLOB))`);
    const where = COLUMNS.map(([, source]) => nonAscii(source)).join(' OR ');
    for (let after = 0; ; ) {
      const rows: Record<string, unknown>[] = await q.query(
        `SELECT id, ${COLUMNS.map(([, s]) => s).join(', ')} FROM trade_ins WHERE id > ? AND (${where}) ORDER BY id LIMIT 500`,
        [after],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        await q.query(`UPDATE trade_ins SET ${COLUMNS.map(([copy]) => `${copy} = ?`).join(', ')} WHERE id = ?`, [
          ...COLUMNS.map(([, source]) => foldText(r[source] as string | null)),
          r.id,
        ]);
      }
      after = Number(rows[rows.length - 1].id);
    }

    for (const index of NEW_INDEXES) await q.createIndex('trade_ins', index);
    for (const index of OLD_INDEXES) await q.dropIndex('trade_ins', index.name!);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const index of OLD_INDEXES) await q.createIndex('trade_ins', index);
    for (const index of NEW_INDEXES) await q.dropIndex('trade_ins', index.name!);
    for (const [copy] of [...COLUMNS].reverse()) await q.dropColumn('trade_ins', copy);
  }
}
