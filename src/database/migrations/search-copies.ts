import { QueryRunner } from 'typeorm';
import { foldText } from '../../common/search-text';

/**
 * For migrations that add folded search copies (see common/search-text.ts and
 * database/search-columns.ts): adds each `[copy, source, type]` column (utf8mb4_bin on MariaDB,
 * so it is compared as bytes like SQLite's BINARY) and fills it. ASCII text folds to SQL's
 * LOWER() on both engines, done in one UPDATE; the rows with other characters are folded by
 * foldText, 500 per UPDATE (CASE id WHEN ... THEN ...). Plain ALTER TABLE on both engines: TypeORM's SQLite addColumn would copy
 * the whole table.
 */
export async function addSearchCopies(q: QueryRunner, table: string, columns: [copy: string, source: string, type: string][]): Promise<void> {
  const mysql = q.connection.options.type === 'mysql';
  const collate = mysql ? ' CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' : '';
  for (const [copy, , type] of columns) await q.query(`ALTER TABLE ${table} ADD COLUMN ${copy} ${type}${collate} NULL`);

  await q.query(`UPDATE ${table} SET ${columns.map(([copy, source]) => `${copy} = LOWER(${source})`).join(', ')}`);
  const nonAscii = (c: string) => (mysql ? `CHAR_LENGTH(${c}) <> LENGTH(${c})` : `LENGTH(${c}) <> LENGTH(CAST(${c} AS BLOB))`);
  const where = columns.map(([, source]) => nonAscii(source)).join(' OR ');
  for (let after = 0; ;) {
    const rows = (await q.query(`SELECT id, ${columns.map(([, s]) => s).join(', ')} FROM ${table} WHERE id > ? AND (${where}) ORDER BY id LIMIT 500`, [after])) as Record<string, unknown>[];
    if (rows.length === 0) break;
    const params: unknown[] = [];
    const sets = columns.map(([copy, source]) => {
      for (const r of rows) params.push(r.id, foldText(r[source] as string | null));
      return `${copy} = CASE id ${rows.map(() => 'WHEN ? THEN ?').join(' ')} END`;
    });
    await q.query(`UPDATE ${table} SET ${sets.join(', ')} WHERE id IN (${rows.map(() => '?').join(', ')})`, [...params, ...rows.map((r) => r.id)]);
    after = Number(rows[rows.length - 1].id);
  }
}
