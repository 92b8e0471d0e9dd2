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
  /** Customer programme: where uploaded photos are stored on local disk. */
  uploadDir: string;
  /** Largest accepted photo upload in bytes. */
  photoMaxBytes: number;
  /** Absolute base URL (http/https) used to address stored photos as trade-in pictures. */
  publicBaseUrl: string;
  /** The OpenAPI document's server: PUBLIC_BASE_URL when set, else '' (server-relative, right on any address). */
  documentServer: string;
  /** Lifetime of a customer session token, in hours. */
  sessionTtlHours: number;
  /** bcrypt cost factor for customer passwords. */
  passwordCost: number;
  /** Failed logins in a row before the account is locked, and for how long (seconds). */
  loginMaxFailures: number;
  loginLockSeconds: number;
  /** Behind a reverse proxy: client IPs and the scheme (X-Forwarded-For/-Proto) are taken from it. */
  trustProxy: boolean;
  /** Origins allowed to call the API from a browser (CORS); `*` for any; empty: no CORS headers. */
  corsOrigins: string[];
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

/** `https://a.example, http://localhost:5173` or `*`; each an origin (scheme, host, optional port) and nothing more. */
function origins(value: string | undefined): string[] {
  const list = (value ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const o of list) {
    if (o !== '*' && !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(o)) {
      throw new Error(`Environment variable CORS_ORIGINS must list origins such as https://dms.example.com (no path, no trailing slash) or *, got "${o}"`);
    }
  }
  return list;
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
    uploadDir: env.UPLOAD_DIR || 'data/uploads',
    photoMaxBytes: int(env.PHOTO_MAX_BYTES, 10 * 1024 * 1024, 'PHOTO_MAX_BYTES'),
    publicBaseUrl: baseUrl(env.PUBLIC_BASE_URL, `http://localhost:${int(env.PORT, 3000, 'PORT')}`),
    documentServer: baseUrl(env.PUBLIC_BASE_URL, ''),
    sessionTtlHours: int(env.SESSION_TTL_HOURS, 24 * 7, 'SESSION_TTL_HOURS'),
    passwordCost: int(env.PASSWORD_COST, 12, 'PASSWORD_COST'),
    loginMaxFailures: int(env.LOGIN_MAX_FAILURES, 5, 'LOGIN_MAX_FAILURES'),
    loginLockSeconds: int(env.LOGIN_LOCK_SECONDS, 15 * 60, 'LOGIN_LOCK_SECONDS'),
    trustProxy: env.TRUST_PROXY === 'true',
    corsOrigins: origins(env.CORS_ORIGINS),
  };
}

export const APP_CONFIG = 'APP_CONFIG';
