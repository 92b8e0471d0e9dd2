import { ColumnOptions, ValueTransformer } from 'typeorm';

/** DECIMAL columns come back as strings from mysql2 and as numbers from SQLite; the API speaks JSON numbers. */
export const decimalTransformer: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};

/** Money: DECIMAL(12,2) — exact storage, never float. */
export const money = (extra: ColumnOptions = {}): ColumnOptions => ({
  type: 'decimal',
  precision: 12,
  scale: 2,
  nullable: true,
  transformer: decimalTransformer,
  ...extra,
});

/** Timestamps are stored as UTC DATETIME(3) on both engines. */
export const timestamp = (extra: ColumnOptions = {}): ColumnOptions => ({ type: 'datetime', precision: 3, ...extra });

/** JSON stored as TEXT so both engines agree (MariaDB's JSON is an alias of LONGTEXT anyway). */
export const jsonTransformer: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? undefined : value === null ? null : JSON.stringify(value)),
  from: (value: unknown): unknown => (typeof value === 'string' ? (JSON.parse(value) as unknown) : (value ?? null)),
};
