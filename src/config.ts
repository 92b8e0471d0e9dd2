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
  /** Whether the first start on an empty database creates a tenant, admin and key. */
  bootstrap: boolean;
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Environment variable ${name} must be a non-negative integer, got "${value}"`);
  return n;
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
    bootstrap: env.BOOTSTRAP !== 'false',
  };
}

export const APP_CONFIG = 'APP_CONFIG';
