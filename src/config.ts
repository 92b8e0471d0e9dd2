import type { WebhookConfig } from './webhooks/webhooks.config';

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
  /** Largest accepted photo in pixels (width × height), checked from the header before decoding (decompression bombs). */
  photoMaxPixels: number;
  /** Photos decoded at once (on libuv's thread pool) and waiting; past the queue an upload answers 503. */
  photoDecodeConcurrency: number;
  photoDecodeQueue: number;
  /** Absolute base URL (http/https) used to address stored photos as trade-in pictures. */
  publicBaseUrl: string;
  /** The OpenAPI document's server: PUBLIC_BASE_URL when set, else '' (server-relative, right on any address). */
  documentServer: string;
  /** Lifetime of a customer session token, in hours. */
  sessionTtlHours: number;
  /** Lifetime of a staff (admin) session token, in hours. */
  staffSessionHours: number;
  /** argon2id parameters for customer passwords: memory (KiB) and passes. */
  passwordMemoryKib: number;
  passwordTimeCost: number;
  /** Password hashes running at once, and waiting (beyond: 503). */
  passwordHashConcurrency: number;
  passwordHashQueue: number;
  /** Password checks (logins and registrations) per client address per minute. */
  passwordChecksPerIp: number;
  /** Failed logins in a row per e-mail and address before that address waits. */
  loginMaxFailures: number;
  /** The first wait (seconds); it doubles with each further lock, up to loginLockSeconds. */
  loginBackoffSeconds: number;
  loginLockSeconds: number;
  /** Password checks per e-mail per loginLockSeconds from addresses that never logged in to it. */
  loginAccountMaxChecks: number;
  /** Failed authentications (API keys, session tokens) per client address per minute before 429. */
  authFailuresPerIp: number;
  /** How long the 429 of a per-address authentication limit is held before it is sent (ms; 0: at once). */
  rejectDelayMs: number;
  /** At most this many such answers held at once; the rest are sent at once. */
  rejectDelayMaxHeld: number;
  /** Behind a reverse proxy: client IPs and the scheme (X-Forwarded-For/-Proto) are taken from it. */
  trustProxy: boolean;
  /** Origins allowed to call the API from a browser (CORS); `*` for any; empty: no CORS headers. */
  corsOrigins: string[];
  /** Several instances: redis://… shares rate limits, authentication budgets and cache invalidations. Unset → process memory. */
  redisUrl?: string;
  /** Prefix of every Redis key and channel (several deployments, or test runs, on one Redis). */
  redisPrefix: string;
  /** Longest wait for one Redis command before the instance answers from its local fallback. */
  redisCommandTimeoutMs: number;
  /** Where programme photos are stored: local disk (UPLOAD_DIR) or S3-compatible object storage. */
  photoStorage: 'local' | 's3';
  s3: S3Config;
  /** Customer e-mail (src/upgrade/notifications): smtp(s)://user:pass@host:port sends over SMTP; unset → .eml files in mailDir. */
  smtpUrl?: string;
  /** The From of every customer e-mail. */
  mailFrom: string;
  /** Where mails are written when SMTP_URL is unset (the embedded default). */
  mailDir: string;
  /** Sending attempts of one e-mail before it is given up (recorded as failed). */
  mailMaxAttempts: number;
  /** The first retry's delay (ms); each further one doubles (with jitter), capped at an hour. */
  mailRetryBaseMs: number;
  /** The customer app's password reset page; `{tenant}` and `{token}` are filled in. Unset: the mail carries the token only. */
  passwordResetUrl?: string;
  /** Lifetime of a password reset token, in minutes. */
  passwordResetMinutes: number;
  /** Overrides of the webhook and job settings (src/webhooks/webhooks.config.ts reads them from the environment). */
  webhooks?: Partial<WebhookConfig>;
}

export interface S3Config {
  bucket: string;
  /** For S3-compatible servers (MinIO, Ceph, …); unset → AWS S3 of `region`. */
  endpoint?: string;
  region: string;
  /** Key prefix inside the bucket. */
  prefix: string;
  forcePathStyle: boolean;
  /** Unset → the AWS SDK's default credential chain (AWS_ACCESS_KEY_ID, instance roles, …). */
  accessKeyId?: string;
  secretAccessKey?: string;
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Environment variable ${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function bounded(value: string | undefined, fallback: number, name: string, min: number, max: number): number {
  const n = int(value, fallback, name);
  if (n < min || n > max) throw new Error(`Environment variable ${name} must be between ${min} and ${max}, got "${value}"`);
  return n;
}

function baseUrl(value: string | undefined, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  if (!/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(value)) throw new Error(`Environment variable PUBLIC_BASE_URL must be an absolute http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, '');
}

/** `https://a.example, http://localhost:5173` or `*`; each an origin (scheme, host, optional port) and nothing more. */
function origins(value: string | undefined): string[] {
  const list = (value ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of list) {
    if (o !== '*' && !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(o)) {
      throw new Error(`Environment variable CORS_ORIGINS must list origins such as https://dms.example.com (no path, no trailing slash) or *, got "${o}"`);
    }
  }
  return list;
}

function smtpUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^smtps?:\/\/[^\s/]+/.test(value)) throw new Error('Environment variable SMTP_URL must be an smtp:// or smtps:// URL (smtp://user:pass@host:587)');
  return value;
}

function photoStorage(env: NodeJS.ProcessEnv): 'local' | 's3' {
  const value = env.PHOTO_STORAGE || 'local';
  if (value !== 'local' && value !== 's3') throw new Error(`Environment variable PHOTO_STORAGE must be "local" or "s3", got "${value}"`);
  if (value === 's3' && !env.S3_BUCKET) throw new Error('PHOTO_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT for a server other than AWS S3)');
  return value;
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
    // 50 megapixels: every phone camera but the 108/200 MP sensors (which store 12 MP by default too); libvips decodes it as a stream, not held whole.
    photoMaxPixels: bounded(env.PHOTO_MAX_PIXELS, 50_000_000, 'PHOTO_MAX_PIXELS', 1, 268_402_689),
    photoDecodeConcurrency: bounded(env.PHOTO_DECODE_CONCURRENCY, 2, 'PHOTO_DECODE_CONCURRENCY', 1, 64),
    photoDecodeQueue: int(env.PHOTO_DECODE_QUEUE, 16, 'PHOTO_DECODE_QUEUE'),
    publicBaseUrl: baseUrl(env.PUBLIC_BASE_URL, `http://localhost:${int(env.PORT, 3000, 'PORT')}`),
    documentServer: baseUrl(env.PUBLIC_BASE_URL, ''),
    sessionTtlHours: int(env.SESSION_TTL_HOURS, 24 * 7, 'SESSION_TTL_HOURS'),
    staffSessionHours: int(env.STAFF_SESSION_HOURS, 12, 'STAFF_SESSION_HOURS'),
    // OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane); the bounds keep a hash within the 100-character column.
    passwordMemoryKib: bounded(env.PASSWORD_MEMORY_KIB, 19_456, 'PASSWORD_MEMORY_KIB', 1024, 4_194_304),
    passwordTimeCost: bounded(env.PASSWORD_TIME_COST, 2, 'PASSWORD_TIME_COST', 1, 99),
    passwordHashConcurrency: bounded(env.PASSWORD_HASH_CONCURRENCY, 1, 'PASSWORD_HASH_CONCURRENCY', 1, 64),
    passwordHashQueue: int(env.PASSWORD_HASH_QUEUE, 32, 'PASSWORD_HASH_QUEUE'),
    passwordChecksPerIp: int(env.PASSWORD_CHECKS_PER_IP, 10, 'PASSWORD_CHECKS_PER_IP'),
    loginMaxFailures: bounded(env.LOGIN_MAX_FAILURES, 5, 'LOGIN_MAX_FAILURES', 1, 1000),
    loginBackoffSeconds: bounded(env.LOGIN_BACKOFF_SECONDS, 30, 'LOGIN_BACKOFF_SECONDS', 1, 86_400),
    loginLockSeconds: bounded(env.LOGIN_LOCK_SECONDS, 15 * 60, 'LOGIN_LOCK_SECONDS', 1, 86_400),
    loginAccountMaxChecks: int(env.LOGIN_ACCOUNT_MAX_CHECKS, 50, 'LOGIN_ACCOUNT_MAX_CHECKS'),
    authFailuresPerIp: int(env.AUTH_FAILURES_PER_IP, 30, 'AUTH_FAILURES_PER_IP'),
    rejectDelayMs: bounded(env.REJECT_DELAY_MS, 1000, 'REJECT_DELAY_MS', 0, 10_000),
    rejectDelayMaxHeld: int(env.REJECT_DELAY_MAX_HELD, 1000, 'REJECT_DELAY_MAX_HELD'),
    trustProxy: env.TRUST_PROXY === 'true',
    corsOrigins: origins(env.CORS_ORIGINS),
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.REDIS_PREFIX ?? 'tradein:',
    redisCommandTimeoutMs: bounded(env.REDIS_COMMAND_TIMEOUT_MS, 250, 'REDIS_COMMAND_TIMEOUT_MS', 10, 60_000),
    smtpUrl: smtpUrl(env.SMTP_URL),
    mailFrom: env.MAIL_FROM || 'Trade-in programme <no-reply@localhost>',
    mailDir: env.MAIL_DIR || 'data/mail',
    mailMaxAttempts: bounded(env.MAIL_MAX_ATTEMPTS, 8, 'MAIL_MAX_ATTEMPTS', 1, 100),
    mailRetryBaseMs: bounded(env.MAIL_RETRY_BASE_MS, 30_000, 'MAIL_RETRY_BASE_MS', 1, 3600_000),
    passwordResetUrl: env.PASSWORD_RESET_URL || undefined,
    passwordResetMinutes: bounded(env.PASSWORD_RESET_MINUTES, 60, 'PASSWORD_RESET_MINUTES', 1, 7 * 24 * 60),
    photoStorage: photoStorage(env),
    s3: {
      bucket: env.S3_BUCKET ?? '',
      endpoint: env.S3_ENDPOINT || undefined,
      region: env.S3_REGION || 'us-east-1',
      prefix: env.S3_PREFIX ?? '',
      forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
      accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
    },
  };
}

export const APP_CONFIG = 'APP_CONFIG';
