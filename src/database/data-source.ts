import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './naming.strategy';
import { MIGRATIONS } from './migrations';
import { SearchColumns } from './search-columns';
import { registerSqliteBudget, SqliteDatabase } from './statement-budget';

export type Engine = 'mysql' | 'sqlite';

export function engineOf(ds: DataSource): Engine {
  return ds.options.type === 'mysql' ? 'mysql' : 'sqlite';
}

/**
 * DATABASE_URL=mysql://user:pass@host:3306/db selects MySQL/MariaDB (mysql2);
 * without it the embedded SQLite file (better-sqlite3) at SQLITE_PATH is used.
 * `synchronize` is never on: the schema comes from migrations only.
 */
export interface DataSourceSettings {
  databaseUrl?: string;
  sqlitePath: string;
  logging?: boolean;
}

type Entities = NonNullable<DataSourceOptions['entities']>;

/** `entities`: the application's list (src/app.entities.ts, where the features are composed). */
export function buildDataSourceOptions(opts: DataSourceSettings & { entities: Entities }): DataSourceOptions {
  const common = {
    entities: opts.entities,
    migrations: MIGRATIONS,
    subscribers: [SearchColumns],
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: opts.logging ?? process.env.DB_LOGGING === 'true',
  };
  const url = opts.databaseUrl;
  if (url) {
    if (!/^(mysql|mariadb):\/\//.test(url)) {
      throw new Error('DATABASE_URL must start with mysql:// or mariadb:// (or be unset for the embedded SQLite database)');
    }
    return {
      ...common,
      type: 'mysql',
      url: url.replace(/^mariadb:/, 'mysql:'),
      timezone: 'Z',
      charset: 'utf8mb4_unicode_ci',
      supportBigNumbers: true,
      // disableEval: mysql2's interpreted row parser. Its default generates a parser function per
      // result shape; for wide rows with DATETIMEs TurboFan needed up to ~12 s of CPU to compile
      // one (issue 6). The hot trade-in reads opt back in per query with dates as strings (storedRows).
      extra: { connectionLimit: Number(process.env.DB_POOL_SIZE || 10), decimalNumbers: false, disableEval: true },
    };
  }
  if (opts.sqlitePath !== ':memory:') mkdirSync(dirname(opts.sqlitePath), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: opts.sqlitePath,
    enableWAL: opts.sqlitePath !== ':memory:',
    prepareDatabase: (db: SqliteDatabase) => {
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      // A connection to a WAL database defaults to synchronous=NORMAL here (a commit is not synced, so
      // a power loss can undo acknowledged writes); FULL syncs every commit. Found by the crash test (issue 13).
      db.pragma('synchronous = FULL');
      registerSqliteBudget(db);
    },
  };
}
