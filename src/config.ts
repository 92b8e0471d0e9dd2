/**
 * Runtime configuration, read once from environment variables (documented in README.md).
 * Loaded through @nestjs/config so every provider can inject it.
 */
export interface AppConfig {
  port: number;
  host: string;
  /** mysql://user:pass@host:port/db selects MySQL/MariaDB; unset → embedded SQLite. */
  databaseUrl?: string;
  sqlitePath: string;
  /** Requests per key (or per IP when unauthenticated) per rateLimitWindowMs. */
  rateLimit: number;
  rateLimitWindowMs: number;
  /** Largest accepted request body, e.g. "1mb". */
  bodyLimit: string;
  logLevel: string;
  /** Seconds an API key lookup stays cached in memory. 0 disables the cache. */
  apiKeyCacheSeconds: number;
  /** Seconds a collection total (hydra:totalItems) may be served from memory; writes through this process drop it at once. 0 disables. */
  countCacheSeconds: number;
  /**
   * Time budget (ms) of each collection page and count statement; over it the statement is
   * cancelled. Unset: 2000 on MySQL/MariaDB, 100 on SQLite (whose statements hold the event loop).
   */
  dbStatementTimeoutMs?: number;
  /** How long (ms) a page waits for its total before it is sent without one (the count finishes in the background). */
  countWaitMs: number;
  /** Collection statements (pages, counts) running at once; 0: half the pool on MySQL, 1 on SQLite. */
  listConcurrency: number;
  /** Whether the first start on an empty database creates a tenant, admin and key. */
  bootstrap: boolean;
  /** Customer programme: where uploaded photos are stored on local disk. */
  uploadDir: string;
  /** Largest accepted photo upload in bytes. */
  photoMaxBytes: number;
  /** Absolute base URL (http/https) used to address stored photos as trade-in pictures. */
  publicBaseUrl: string;
  /** Lifetime of a customer session token, in hours. */
  sessionTtlHours: number;
  /** bcrypt cost factor for customer passwords. */
  passwordCost: number;
  /** Failed logins in a row before the account is locked, and for how long (seconds). */
  loginMaxFailures: number;
  loginLockSeconds: number;
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Environment variable ${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function baseUrl(value: string | undefined, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  if (!/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(value)) throw new Error(`Environment variable PUBLIC_BASE_URL must be an absolute http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, '');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: int(env.PORT, 3000, 'PORT'),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    sqlitePath: env.SQLITE_PATH || 'data/trade-in.sqlite',
    rateLimit: int(env.RATE_LIMIT, 600, 'RATE_LIMIT'),
    rateLimitWindowMs: int(env.RATE_LIMIT_WINDOW_MS, 60_000, 'RATE_LIMIT_WINDOW_MS'),
    bodyLimit: env.BODY_LIMIT || '1mb',
    logLevel: env.LOG_LEVEL || 'info',
    apiKeyCacheSeconds: int(env.API_KEY_CACHE_SECONDS, 30, 'API_KEY_CACHE_SECONDS'),
    countCacheSeconds: int(env.COUNT_CACHE_SECONDS, 5, 'COUNT_CACHE_SECONDS'),
    dbStatementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS ? int(env.DB_STATEMENT_TIMEOUT_MS, 0, 'DB_STATEMENT_TIMEOUT_MS') : undefined,
    countWaitMs: int(env.COUNT_WAIT_MS, 300, 'COUNT_WAIT_MS'),
    listConcurrency: int(env.LIST_CONCURRENCY, 0, 'LIST_CONCURRENCY'),
    bootstrap: env.BOOTSTRAP !== 'false',
    uploadDir: env.UPLOAD_DIR || 'data/uploads',
    photoMaxBytes: int(env.PHOTO_MAX_BYTES, 10 * 1024 * 1024, 'PHOTO_MAX_BYTES'),
    publicBaseUrl: baseUrl(env.PUBLIC_BASE_URL, `http://localhost:${int(env.PORT, 3000, 'PORT')}`),
    sessionTtlHours: int(env.SESSION_TTL_HOURS, 24 * 7, 'SESSION_TTL_HOURS'),
    passwordCost: int(env.PASSWORD_COST, 12, 'PASSWORD_COST'),
    loginMaxFailures: int(env.LOGIN_MAX_FAILURES, 5, 'LOGIN_MAX_FAILURES'),
    loginLockSeconds: int(env.LOGIN_LOCK_SECONDS, 15 * 60, 'LOGIN_LOCK_SECONDS'),
  };
}

export const APP_CONFIG = 'APP_CONFIG';
