/** Webhooks and the job runner, read from the environment (README "Webhooks"); tests pass overrides through AppConfig.webhooks. */
export interface WebhookConfig {
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: deliver to private, loopback and link-local addresses (refused by default: SSRF). */
  allowPrivateTargets: boolean;
  /** WEBHOOK_SECRET_KEY: key that encrypts signing secrets at rest (AES-256-GCM); unset → stored as generated. */
  secretKey?: string;
  /** WEBHOOK_RETRY_HORIZON_SECONDS: how long a delivery is retried before it is given up. */
  retryHorizonSeconds: number;
  /** WEBHOOK_RETRY_BASE_MS: the first retry's delay; each further one doubles (with jitter), capped at an hour. */
  retryBaseMs: number;
  /** WEBHOOK_TIMEOUT_MS: one attempt's time limit (connect to end of the response). */
  timeoutMs: number;
  /** WEBHOOK_DISABLE_AFTER_FAILURES: consecutive failed attempts after which a subscription is disabled. */
  disableAfterFailures: number;
  /** WEBHOOK_ROTATION_OVERLAP_SECONDS: default time the previous secret keeps signing after a rotation. */
  rotationOverlapSeconds: number;
  /** WEBHOOK_LOG_RETENTION_DAYS: finished deliveries (and their attempts) older than this are purged. */
  logRetentionDays: number;
  /** JOBS: `inline` runs the job runner in the server process; `off` leaves it to `npm run worker`. */
  jobs: 'inline' | 'off';
  /** JOBS_TICK_MS: how often a runner looks for due work. */
  tickMs: number;
}

const number = (raw: string | undefined, fallback: number, name: string, min = 0): number => {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}`);
  return n;
};

export function loadWebhookConfig(env: NodeJS.ProcessEnv, overrides: Partial<WebhookConfig> = {}): WebhookConfig {
  const jobs = env.JOBS === 'off' ? 'off' : 'inline';
  return {
    allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true',
    secretKey: env.WEBHOOK_SECRET_KEY || undefined,
    retryHorizonSeconds: number(env.WEBHOOK_RETRY_HORIZON_SECONDS, 86_400, 'WEBHOOK_RETRY_HORIZON_SECONDS', 1),
    retryBaseMs: number(env.WEBHOOK_RETRY_BASE_MS, 5_000, 'WEBHOOK_RETRY_BASE_MS', 1),
    timeoutMs: number(env.WEBHOOK_TIMEOUT_MS, 10_000, 'WEBHOOK_TIMEOUT_MS', 100),
    disableAfterFailures: number(env.WEBHOOK_DISABLE_AFTER_FAILURES, 20, 'WEBHOOK_DISABLE_AFTER_FAILURES', 1),
    rotationOverlapSeconds: number(env.WEBHOOK_ROTATION_OVERLAP_SECONDS, 86_400, 'WEBHOOK_ROTATION_OVERLAP_SECONDS'),
    logRetentionDays: number(env.WEBHOOK_LOG_RETENTION_DAYS, 30, 'WEBHOOK_LOG_RETENTION_DAYS', 1),
    jobs,
    tickMs: number(env.JOBS_TICK_MS, 1_000, 'JOBS_TICK_MS', 10),
    ...overrides,
  };
}

export const WEBHOOK_CONFIG = Symbol('WEBHOOK_CONFIG');
