import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Credits } from '@sah/domain';
import { DEVELOPMENT_ENCRYPTION_KEY, parseEncryptionKey } from '@sah/infrastructure';
import { AppConfig, LogLevel, NodeEnv, WorkersMode } from './app-config';
import { ConfigError } from './config-error';
import { Env, raw, readByteSize, readEnum, readInt, readList, readUrl } from './env-readers';
import { readWebhooks } from './webhooks-config';

/**
 * Everything read from the environment. The database and Redis URLs may be missing here: `npm start`
 * then starts local servers and supplies them (see `dev-services/`).
 */
export type EnvironmentConfig = Omit<AppConfig, 'database' | 'redis'> & {
  readonly database: Omit<AppConfig['database'], 'url'> & { readonly url?: string };
  readonly redis: Omit<AppConfig['redis'], 'url'> & { readonly url?: string };
  /** Where embedded PostgreSQL and the local Redis keep their files, and the ports they use. */
  readonly localServices: { readonly dataDir: string; readonly postgresPort: number; readonly redisPort: number };
};

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseEnvironment(env: Env, cwd = process.cwd()): EnvironmentConfig {
  const nodeEnv = readEnum<NodeEnv>(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  const port = readInt(env, 'PORT', 3000, 1, 65_535);
  const appUrl = (readUrl(env, 'APP_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const corsOrigins = readList(env, 'CORS_ORIGINS');
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError('CORS_ORIGINS', 'expected comma-separated origins such as https://admin.example.com', origin);
    }
  }
  const keyPrefix = raw(env, 'REDIS_KEY_PREFIX') ?? 'sah:';
  if (!/^[\w.:-]{1,64}$/.test(keyPrefix)) {
    throw new ConfigError('REDIS_KEY_PREFIX', 'expected 1-64 letters, digits or . : _ -', keyPrefix);
  }

  return {
    identity: readIdentity(env, nodeEnv, appUrl),
    rateLimits: {
      perRole: {
        SUPER_ADMIN: null,
        ADMIN: null,
        MANAGER: readInt(env, 'RATE_LIMIT_MANAGER_PER_MINUTE', 120, 1, 1_000_000),
        USER: readInt(env, 'RATE_LIMIT_USER_PER_MINUTE', 60, 1, 1_000_000),
        GUEST: readInt(env, 'RATE_LIMIT_GUEST_PER_MINUTE', 10, 1, 1_000_000),
      },
      anonymousPerIp: readInt(env, 'RATE_LIMIT_ANONYMOUS_PER_MINUTE', 60, 1, 1_000_000),
      // Sign-in, sign-up, codes and resets: the operations guessing attacks go after.
      authPerIp: readInt(env, 'RATE_LIMIT_AUTH_PER_MINUTE', 10, 1, 1_000_000),
      windowMs: readInt(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 1_000, 3_600_000),
    },
    mail: {
      smtpUrl: readUrl(env, 'SMTP_URL', ['smtp:', 'smtps:']),
      from: raw(env, 'MAIL_FROM') ?? 'Smart AI Hub <no-reply@localhost>',
      connectionTimeoutMs: readInt(env, 'SMTP_CONNECTION_TIMEOUT_MS', 5_000, 50, 120_000),
      greetingTimeoutMs: readInt(env, 'SMTP_GREETING_TIMEOUT_MS', 5_000, 50, 120_000),
      socketTimeoutMs: readInt(env, 'SMTP_SOCKET_TIMEOUT_MS', 15_000, 50, 300_000),
      attempts: readInt(env, 'MAIL_ATTEMPTS', 8, 1, 50),
      backoffMs: readInt(env, 'MAIL_BACKOFF_MS', 10_000, 10, 3_600_000),
    },
    google: readGoogle(env, appUrl),
    sessions: { verifiedTtlSeconds: readInt(env, 'VERIFIED_SESSION_TTL_SECONDS', 7 * 24 * 60 * 60, 1, 90 * 24 * 60 * 60) },
    billing: readBilling(env),
    ai: readAi(env),
    media: readMedia(env, cwd),
    ...readEncryptionKeys(env, nodeEnv),
    stripe: readStripe(env),
    webhooks: readWebhooks(env),
    env: nodeEnv,
    version: readVersion(cwd),
    http: {
      port,
      host: raw(env, 'HOST') ?? '0.0.0.0',
      appUrl,
      corsOrigins: corsOrigins.length > 0 ? corsOrigins : [new URL(appUrl).origin],
      bodyLimitBytes: readByteSize(env, 'BODY_LIMIT', 1024 ** 2, 50 * 1024 ** 2),
      shutdownTimeoutMs: readInt(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 300_000),
    },
    database: {
      url: readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
      poolMax: readInt(env, 'DATABASE_POOL_MAX', 10, 1, 500),
      deadlines: readDatabaseDeadlines(env),
    },
    redis: {
      url: readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']),
      keyPrefix,
      connectTimeoutMs: readInt(env, 'REDIS_CONNECT_TIMEOUT_MS', 2_000, 50, 60_000),
      commandTimeoutMs: readInt(env, 'REDIS_COMMAND_TIMEOUT_MS', 2_000, 50, 60_000),
    },
    workers: readEnum<WorkersMode>(env, 'WORKERS', ['inline', 'off'], 'inline'),
    logLevel: readEnum<LogLevel>(env, 'LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'warn' : 'info'),
    graphql: {
      maxDepth: readInt(env, 'GRAPHQL_MAX_DEPTH', 10, 2, 50),
      maxComplexity: readInt(env, 'GRAPHQL_MAX_COMPLEXITY', 1_000, 10, 100_000),
    },
    metrics: readMetrics(env),
    health: {
      pollIntervalMs: readInt(env, 'HEALTH_POLL_INTERVAL_MS', 5_000, 100, 600_000),
      checkTimeoutMs: readInt(env, 'HEALTH_CHECK_TIMEOUT_MS', 2_000, 50, 60_000),
    },
    outbox: { pollMs: readInt(env, 'OUTBOX_POLL_MS', 1_000, 10, 60_000) },
    maintenance: {
      purgeEveryMs: readInt(env, 'MAINTENANCE_PURGE_EVERY_MS', 60 * 60_000, 1_000, 7 * 24 * 60 * 60_000),
      purgeBatchSize: readInt(env, 'MAINTENANCE_PURGE_BATCH_SIZE', 1_000, 1, 100_000),
    },
    adminConsoleDir: resolve(cwd, raw(env, 'ADMIN_DIST_DIR') ?? 'dist/apps/admin/browser'),
    localServices: {
      dataDir: resolve(cwd, raw(env, 'DATA_DIR') ?? '.data'),
      postgresPort: readInt(env, 'LOCAL_POSTGRES_PORT', 54329, 1, 65_535),
      redisPort: readInt(env, 'LOCAL_REDIS_PORT', 63790, 1, 65_535),
    },
  };
}

/** Completes the configuration once the service URLs are known (given, or from local servers). */
export function buildAppConfig(
  parsed: EnvironmentConfig,
  services: { databaseUrl: string; redisUrl: string },
): AppConfig {
  const { localServices: _localServices, ...rest } = parsed;
  return Object.freeze({
    ...rest,
    database: { ...parsed.database, url: services.databaseUrl },
    redis: { ...parsed.redis, url: services.redisUrl },
  });
}

/** For processes that must be given both services (tests, the worker in production). */
export function loadConfig(env: Env, cwd = process.cwd()): AppConfig {
  const parsed = parseEnvironment(env, cwd);
  if (!parsed.database.url) throw new ConfigError('DATABASE_URL', 'required');
  if (!parsed.redis.url) throw new ConfigError('REDIS_URL', 'required');
  return buildAppConfig(parsed, { databaseUrl: parsed.database.url, redisUrl: parsed.redis.url });
}

const DEV_JWT_SECRET = 'development-only-jwt-secret-never-use-in-production';

function readMetrics(env: Env): AppConfig['metrics'] {
  const token = raw(env, 'METRICS_TOKEN');
  // A scrape credential that is easy to guess would put the metrics back in public.
  if (token !== undefined && !/^[\x21-\x7e]{32,512}$/.test(token)) {
    throw new ConfigError('METRICS_TOKEN', 'expected at least 32 printable characters, without spaces');
  }
  return { token };
}

function readIdentity(env: Env, nodeEnv: NodeEnv, appUrl: string): AppConfig['identity'] {
  const jwtSecret = raw(env, 'JWT_SECRET');
  if (!jwtSecret && nodeEnv === 'production') throw new ConfigError('JWT_SECRET', 'required in production');
  if (jwtSecret !== undefined && jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  // Cost 12 is the floor in real use; tests may go lower so thousands of hashes stay fast.
  const bcryptCost = readInt(env, 'BCRYPT_COST', 12, nodeEnv === 'test' ? 4 : 12, 15);
  const adminEmail = raw(env, 'BOOTSTRAP_ADMIN_EMAIL');
  const adminPassword = raw(env, 'BOOTSTRAP_ADMIN_PASSWORD');
  if (Boolean(adminEmail) !== Boolean(adminPassword)) {
    throw new ConfigError(adminEmail ? 'BOOTSTRAP_ADMIN_PASSWORD' : 'BOOTSTRAP_ADMIN_EMAIL', 'set both bootstrap admin variables, or neither');
  }
  return {
    jwtSecret: jwtSecret ?? DEV_JWT_SECRET,
    jwtIssuer: appUrl,
    jwtAudience: 'smart-ai-hub',
    accessTokenTtlSeconds: readInt(env, 'ACCESS_TOKEN_TTL_SECONDS', 15 * 60, 30, 24 * 60 * 60),
    refreshTokenTtlSeconds: readInt(env, 'REFRESH_TOKEN_TTL_SECONDS', 7 * 24 * 60 * 60, 60, 90 * 24 * 60 * 60),
    bcryptCost,
    bootstrapAdmin: adminEmail && adminPassword ? { email: adminEmail, password: adminPassword } : undefined,
    mfaRequiredForAdmins: readEnum(env, 'MFA_REQUIRED_FOR_ADMINS', ['true', 'false'], 'false') === 'true',
    // Seven years, leap days included.
    auditLogRetentionDays: readInt(env, 'AUDIT_LOG_RETENTION_DAYS', 2557, 1, 100 * 366),
    dataExportRetentionDays: readInt(env, 'DATA_EXPORT_RETENTION_DAYS', 7, 1, 365),
    // Each export gathers everything the user has in memory: one an hour keeps that from being a lever.
    dataExportCooldownMinutes: readInt(env, 'DATA_EXPORT_COOLDOWN_MINUTES', 60, 0, 7 * 24 * 60),
    accountDeletionGraceDays: readInt(env, 'ACCOUNT_DELETION_GRACE_DAYS', 30, 1, 365),
    teamInvitationTtlDays: readInt(env, 'TEAM_INVITATION_TTL_DAYS', 7, 1, 90),
    // Each invitation is a mail to any address: a cap keeps a manager's account from being a spam relay.
    teamInvitationsPerHour: readInt(env, 'TEAM_INVITATIONS_PER_HOUR', 50, 1, 10_000),
  };
}

function readGoogle(env: Env, appUrl: string): AppConfig['google'] {
  const id = raw(env, 'GOOGLE_CLIENT_ID');
  const secret = raw(env, 'GOOGLE_CLIENT_SECRET');
  if (Boolean(id) !== Boolean(secret)) {
    throw new ConfigError(id ? 'GOOGLE_CLIENT_SECRET' : 'GOOGLE_CLIENT_ID', 'set both Google client variables, or neither');
  }
  const web = ['http:', 'https:'];
  return {
    client: id && secret ? { id, secret } : undefined,
    authUrl: readUrl(env, 'GOOGLE_AUTH_URL', web) ?? 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: readUrl(env, 'GOOGLE_TOKEN_URL', web) ?? 'https://oauth2.googleapis.com/token',
    userInfoUrl: readUrl(env, 'GOOGLE_USERINFO_URL', web) ?? 'https://openidconnect.googleapis.com/v1/userinfo',
    callbackUrl: `${appUrl}/auth/google/callback`,
    timeoutMs: readInt(env, 'GOOGLE_TIMEOUT_MS', 5_000, 50, 60_000),
  };
}

function readAi(env: Env): AppConfig['ai'] {
  const web = ['http:', 'https:'];
  return {
    openai: { apiKeys: readList(env, 'OPENAI_API_KEY'), baseUrl: readUrl(env, 'OPENAI_BASE_URL', web) },
    anthropic: { apiKeys: readList(env, 'ANTHROPIC_API_KEY'), baseUrl: readUrl(env, 'ANTHROPIC_BASE_URL', web) },
    gemini: { apiKeys: readList(env, 'GEMINI_API_KEY'), baseUrl: readUrl(env, 'GEMINI_BASE_URL', web) },
    defaultMaxTokens: readInt(env, 'AI_DEFAULT_MAX_TOKENS', 4096, 1, 1_000_000),
    requestTimeoutMs: readInt(env, 'AI_REQUEST_TIMEOUT_MS', 120_000, 100, 30 * 60_000),
    streamFirstByteTimeoutMs: readInt(env, 'AI_STREAM_FIRST_BYTE_TIMEOUT_MS', 60_000, 50, 30 * 60_000),
    streamIdleTimeoutMs: readInt(env, 'AI_STREAM_IDLE_TIMEOUT_MS', 30_000, 50, 30 * 60_000),
    retryBaseMs: readInt(env, 'AI_RETRY_BASE_MS', 1000, 1, 60_000),
    circuitFailureThreshold: readInt(env, 'AI_CIRCUIT_FAILURES', 5, 1, 1000),
    circuitOpenMs: readInt(env, 'AI_CIRCUIT_OPEN_MS', 30_000, 100, 60 * 60_000),
    wsPingIntervalMs: readInt(env, 'WS_PING_INTERVAL_MS', 30_000, 10, 10 * 60_000),
    usageRetentionDays: readInt(env, 'AI_USAGE_RETENTION_DAYS', 30, 1, 3650),
  };
}

/** 32 bytes, given as 64 hex digits or base64; a development-only default outside production. */
function readEncryptionKey(env: Env, nodeEnv: NodeEnv): Buffer {
  const value = raw(env, 'ENCRYPTION_KEY');
  if (!value) {
    if (nodeEnv === 'production') throw new ConfigError('ENCRYPTION_KEY', 'required in production (32 bytes as 64 hex digits or base64)');
    return DEVELOPMENT_ENCRYPTION_KEY;
  }
  const key = parseEncryptionKey(value);
  if (!key) throw new ConfigError('ENCRYPTION_KEY', 'expected 32 bytes as 64 hex digits or base64');
  return key;
}

/** ENCRYPTION_KEY, and the keys it replaced: they only open what they sealed until `npm run keys:rotate` has re-sealed it. */
function readEncryptionKeys(env: Env, nodeEnv: NodeEnv): Pick<AppConfig, 'encryptionKey' | 'previousEncryptionKeys'> {
  const current = readEncryptionKey(env, nodeEnv);
  const previousEncryptionKeys = readList(env, 'ENCRYPTION_KEYS_PREVIOUS').map((value) => {
    const key = parseEncryptionKey(value);
    if (!key) throw new ConfigError('ENCRYPTION_KEYS_PREVIOUS', 'expected comma-separated keys of 32 bytes as 64 hex digits or base64');
    if (key.equals(current)) throw new ConfigError('ENCRYPTION_KEYS_PREVIOUS', 'lists ENCRYPTION_KEY itself');
    return key;
  });
  return { encryptionKey: current, previousEncryptionKeys };
}

function readBilling(env: Env): AppConfig['billing'] {
  return {
    welcomeCredits: readCredits(env, 'WELCOME_CREDITS', '10'),
    lowBalanceThreshold: readCredits(env, 'LOW_BALANCE_THRESHOLD', '10'),
    budgetAlertThresholds: readBudgetAlertThresholds(env),
    partnerMaxCost: readCredits(env, 'PARTNER_MAX_COST', '10000'),
    holdTtlSeconds: readInt(env, 'CREDIT_HOLD_TTL_SECONDS', 60 * 60, 10, 7 * 24 * 60 * 60),
    maintenanceEveryMs: readInt(env, 'BILLING_JOBS_EVERY_MS', 60_000, 100, 24 * 60 * 60_000),
    adjustmentLimits: {
      MANAGER: {
        perAdjustment: readCredits(env, 'ADJUSTMENT_MAX_MANAGER', '1000'),
        perDay: readCredits(env, 'ADJUSTMENT_DAILY_MAX_MANAGER', '5000'),
      },
      ADMIN: {
        perAdjustment: readCredits(env, 'ADJUSTMENT_MAX_ADMIN', '100000'),
        perDay: readCredits(env, 'ADJUSTMENT_DAILY_MAX_ADMIN', '1000000'),
      },
    },
  };
}

/** BUDGET_ALERT_THRESHOLDS: whole percentages 1-100, comma-separated (default 50,80,100); `off` for none. */
function readBudgetAlertThresholds(env: Env): number[] {
  const value = raw(env, 'BUDGET_ALERT_THRESHOLDS') ?? '50,80,100';
  if (value.trim() === 'off') return [];
  const items = value.split(',').map((item) => item.trim());
  if (!items.every((item) => /^\d{1,3}$/.test(item) && Number(item) >= 1 && Number(item) <= 100)) {
    throw new ConfigError('BUDGET_ALERT_THRESHOLDS', 'expected whole percentages from 1 to 100, comma-separated (or off)', value);
  }
  return [...new Set(items.map(Number))].sort((a, b) => a - b);
}

function readCredits(env: Env, name: string, fallback: string): Credits {
  const value = raw(env, name) ?? fallback;
  try {
    return Credits.parse(value, name);
  } catch {
    throw new ConfigError(name, 'expected a number of credits (0 or more, at most 3 decimals)', value);
  }
}

function readStripe(env: Env): AppConfig['stripe'] {
  const secretKey = raw(env, 'STRIPE_SECRET_KEY');
  const webhookSecret = raw(env, 'STRIPE_WEBHOOK_SECRET');
  if (webhookSecret && !secretKey) throw new ConfigError('STRIPE_SECRET_KEY', 'required when STRIPE_WEBHOOK_SECRET is set');
  return {
    secretKey,
    webhookSecret,
    apiBase: readUrl(env, 'STRIPE_API_BASE', ['http:', 'https:']),
    timeoutMs: readInt(env, 'STRIPE_TIMEOUT_MS', 10_000, 50, 120_000),
    maxNetworkRetries: readInt(env, 'STRIPE_MAX_NETWORK_RETRIES', 1, 0, 5),
    planGraceDays: readInt(env, 'PLAN_GRACE_PERIOD_DAYS', 7, 0, 90),
  };
}

/**
 * With a silent database a request fails at the first deadline it meets — waiting for a pooled
 * connection, opening one, or the statement plus 0.5 s grace — about 5 s by default: a connection
 * freed by a missed deadline is dropped, so a request waiting for it then meets the connect deadline
 * rather than a second statement one. The pool wait stays generous enough for bursts (a thousand
 * concurrent deducts on ten connections).
 */
function readDatabaseDeadlines(env: Env): AppConfig['database']['deadlines'] {
  return {
    connectTimeoutMs: readInt(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5_000, 50, 60_000),
    acquireTimeoutMs: readInt(env, 'DATABASE_POOL_ACQUIRE_TIMEOUT_MS', 5_000, 50, 60_000),
    statementTimeoutMs: readInt(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 4_000, 50, 600_000),
    lockTimeoutMs: readInt(env, 'DATABASE_LOCK_TIMEOUT_MS', 3_000, 50, 600_000),
  };
}

function readVersion(cwd: string): string {
  try {
    return (JSON.parse(readFileSync(resolve(cwd, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The media context: moderation, storage, queue concurrency and the deadlines jobs are held for. */
function readMedia(env: Env, cwd: string): AppConfig['media'] {
  const reconcileWindowSeconds = readInt(env, 'MEDIA_RECONCILE_WINDOW_SECONDS', 6 * 60 * 60, 0, 7 * 24 * 60 * 60);
  const temporaryRetentionDays = readInt(env, 'MEDIA_TEMPORARY_RETENTION_DAYS', 30, 1, 10 * 365);
  // An expired video is still asked for at its provider during the window: purged before, a late success would be lost.
  if (temporaryRetentionDays * 24 * 60 * 60 < reconcileWindowSeconds) {
    throw new ConfigError('MEDIA_TEMPORARY_RETENTION_DAYS', 'must cover MEDIA_RECONCILE_WINDOW_SECONDS', String(temporaryRetentionDays));
  }
  return {
    moderation: readEnum<'required' | 'off'>(env, 'MEDIA_MODERATION', ['required', 'off'], 'required'),
    storageDir: raw(env, 'MEDIA_STORAGE_DIR') ? resolve(cwd, raw(env, 'MEDIA_STORAGE_DIR') as string) : resolve(cwd, raw(env, 'DATA_DIR') ?? '.data', 'media'),
    imageConcurrency: readInt(env, 'MEDIA_IMAGE_CONCURRENCY', 4, 1, 256),
    videoConcurrency: readInt(env, 'MEDIA_VIDEO_CONCURRENCY', 4, 1, 256),
    imageDeadlineSeconds: readInt(env, 'MEDIA_IMAGE_DEADLINE_SECONDS', 10 * 60, 1, 24 * 60 * 60),
    videoDeadlineSeconds: readInt(env, 'MEDIA_VIDEO_DEADLINE_SECONDS', 60 * 60, 1, 24 * 60 * 60),
    pollIntervalMs: readInt(env, 'MEDIA_POLL_INTERVAL_MS', 5_000, 10, 10 * 60_000),
    reconcileWindowSeconds,
    retryBaseMs: readInt(env, 'MEDIA_RETRY_BASE_MS', 2_000, 1, 10 * 60_000),
    signedUrlTtlSeconds: readInt(env, 'MEDIA_SIGNED_URL_TTL_SECONDS', 15 * 60, 10, 7 * 24 * 60 * 60),
    retentionDays: readInt(env, 'MEDIA_RETENTION_DAYS', 365, 1, 10 * 365),
    temporaryRetentionDays,
    s3: readMediaS3(env),
    // Sora 2 is served by other vendors than OpenAI's own API: its protocol's calls may go elsewhere than images and moderation.
    videoBaseUrl: readUrl(env, 'OPENAI_VIDEO_BASE_URL', ['http:', 'https:']) ?? readUrl(env, 'OPENAI_BASE_URL', ['http:', 'https:']),
    videoApiKeys: readList(env, 'OPENAI_VIDEO_API_KEY'),
    fal: { apiKeys: readList(env, 'FAL_KEY'), proxyUrl: readUrl(env, 'FAL_PROXY_URL', ['http:', 'https:']) },
    circuitFailureThreshold: readInt(env, 'MEDIA_CIRCUIT_FAILURES', 3, 1, 1000),
    circuitOpenMs: readInt(env, 'MEDIA_CIRCUIT_OPEN_MS', 60_000, 100, 60 * 60_000),
  };
}

/** S3-compatible storage for media files when MEDIA_S3_BUCKET is set; local disk otherwise. */
function readMediaS3(env: Env): AppConfig['media']['s3'] {
  const bucket = raw(env, 'MEDIA_S3_BUCKET');
  const endpoint = readUrl(env, 'MEDIA_S3_ENDPOINT', ['http:', 'https:']);
  const accessKeyId = raw(env, 'MEDIA_S3_ACCESS_KEY_ID');
  const secretAccessKey = raw(env, 'MEDIA_S3_SECRET_ACCESS_KEY');
  if (!bucket) {
    if (endpoint || accessKeyId || secretAccessKey) throw new ConfigError('MEDIA_S3_BUCKET', 'required when other MEDIA_S3_* settings are given');
    return undefined;
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError('MEDIA_S3_BUCKET', 'expected an S3 bucket name', bucket);
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new ConfigError(accessKeyId ? 'MEDIA_S3_SECRET_ACCESS_KEY' : 'MEDIA_S3_ACCESS_KEY_ID', 'set both MEDIA_S3 keys, or neither (the SDK’s default credentials)');
  }
  return {
    bucket,
    endpoint,
    region: raw(env, 'MEDIA_S3_REGION') ?? 'us-east-1',
    accessKeyId,
    secretAccessKey,
    forcePathStyle: readEnum(env, 'MEDIA_S3_FORCE_PATH_STYLE', ['true', 'false'], endpoint ? 'true' : 'false') === 'true',
  };
}
