import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';
import { addSearchCopies } from './search-copies';

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
    await addSearchCopies(q, 'trade_ins', COLUMNS);
    for (const index of NEW_INDEXES) await q.createIndex('trade_ins', index);
    for (const index of OLD_INDEXES) await q.dropIndex('trade_ins', index.name!);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const index of OLD_INDEXES) await q.createIndex('trade_ins', index);
    for (const index of NEW_INDEXES) await q.dropIndex('trade_ins', index.name!);
    for (const [copy] of [...COLUMNS].reverse()) await q.dropColumn('trade_ins', copy);
  }
}
