import type { Credits } from '@sah/domain';
import type { WebhooksConfig } from './webhooks-config';
export type NodeEnv = 'development' | 'production' | 'test';
export type WorkersMode = 'inline' | 'off';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** How long the app waits on PostgreSQL before answering DEPENDENCY_UNAVAILABLE (API and workers' pool). */
export interface DatabaseDeadlines {
  readonly connectTimeoutMs: number;
  /** Waiting for a free pool connection. */
  readonly acquireTimeoutMs: number;
  /** Server-side `statement_timeout`; the client gives up on a silent server a little after it. */
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;
}

/**
 * The whole validated configuration, built once at start (see `environment.ts`). It doubles as the DI
 * token: providers inject `AppConfig` and read their own slice. Nothing else reads `process.env`.
 */
export abstract class AppConfig {
  abstract readonly env: NodeEnv;
  abstract readonly version: string;
  abstract readonly http: {
    readonly port: number;
    readonly host: string;
    /** Public base URL, without a trailing slash. */
    readonly appUrl: string;
    readonly corsOrigins: readonly string[];
    readonly bodyLimitBytes: number;
    readonly shutdownTimeoutMs: number;
  };
  abstract readonly database: { readonly url: string; readonly poolMax: number; readonly deadlines: DatabaseDeadlines };
  abstract readonly redis: {
    readonly url: string;
    readonly keyPrefix: string;
    readonly connectTimeoutMs: number;
    /** A command of the app's shared client (request paths) not answered by then fails; BullMQ's connections wait. */
    readonly commandTimeoutMs: number;
  };
  abstract readonly workers: WorkersMode;
  abstract readonly logLevel: LogLevel;
  abstract readonly graphql: { readonly maxDepth: number; readonly maxComplexity: number };
  /** `GET /metrics`: with a token, only for `Authorization: Bearer <token>`; without, open outside production and off in it. */
  abstract readonly metrics: { readonly token?: string };
  abstract readonly health: { readonly pollIntervalMs: number; readonly checkTimeoutMs: number };
  /** How often the outbox relay looks for new events when idle (it carries every context's events). */
  abstract readonly outbox: { readonly pollMs: number };
  abstract readonly maintenance: { readonly purgeEveryMs: number; readonly purgeBatchSize: number };
  abstract readonly adminConsoleDir: string;
  abstract readonly identity: {
    readonly jwtSecret: string;
    readonly jwtIssuer: string;
    readonly jwtAudience: string;
    readonly accessTokenTtlSeconds: number;
    readonly refreshTokenTtlSeconds: number;
    readonly bcryptCost: number;
    readonly bootstrapAdmin?: { readonly email: string; readonly password: string };
    /** Administrators without a second factor must enrol one before they get a session. */
    readonly mfaRequiredForAdmins: boolean;
    /** Audit entries older than this are deleted by the maintenance job. */
    readonly auditLogRetentionDays: number;
    /** How long a GDPR export can be downloaded before the maintenance job deletes it. */
    readonly dataExportRetentionDays: number;
    /** Minutes after an export was asked for before another may be (0: none). */
    readonly dataExportCooldownMinutes: number;
    /** How long a deleted account waits (suspended, restored by signing in) before it is erased. */
    readonly accountDeletionGraceDays: number;
    /** How long a team invitation's link works. */
    readonly teamInvitationTtlDays: number;
    /** Invitations one user may send per hour, across teams. */
    readonly teamInvitationsPerHour: number;
  };
  abstract readonly mail: {
    readonly smtpUrl?: string;
    readonly from: string;
    /** SMTP deadlines of one send attempt: TCP connect, the server's greeting, and any silence after. */
    readonly connectionTimeoutMs: number;
    readonly greetingTimeoutMs: number;
    readonly socketTimeoutMs: number;
    /** Attempts of one mail job before it is dead-lettered; the first retry waits backoffMs, then doubling. */
    readonly attempts: number;
    readonly backoffMs: number;
  };
  abstract readonly google: {
    /** Google sign-in is on only when both are set. */
    readonly client?: { readonly id: string; readonly secret: string };
    readonly authUrl: string;
    readonly tokenUrl: string;
    readonly userInfoUrl: string;
    /** Where Google sends the browser back: `APP_URL` + /auth/google/callback. */
    readonly callbackUrl: string;
    /** Deadline of each call to Google's token and userinfo endpoints. */
    readonly timeoutMs: number;
  };
  abstract readonly sessions: {
    /** How long a VERIFIED-… code handed to a third-party tool stays valid. */
    readonly verifiedTtlSeconds: number;
  };
  abstract readonly billing: {
    /** Granted once, when a user verifies their e-mail address. */
    readonly welcomeCredits: Credits;
    /** Below this available balance a user is alerted, once per crossing. */
    readonly lowBalanceThreshold: Credits;
    /** Percentages of a spending budget that raise an alert (mail + webhook), each once per period; ascending, may be empty. */
    readonly budgetAlertThresholds: readonly number[];
    /** The most one partner check or deduct may ask for. */
    readonly partnerMaxCost: Credits;
    /** How long a hold lasts unless captured or released first. */
    readonly holdTtlSeconds: number;
    /** How often the ledger jobs (expire holds and credits) run. */
    readonly maintenanceEveryMs: number;
    /** Caps on manual adjustments (credits moved either way) per role; super admins have none. */
    readonly adjustmentLimits: Readonly<Record<'MANAGER' | 'ADMIN', { readonly perAdjustment: Credits; readonly perDay: Credits }>>;
  };
  abstract readonly stripe: {
    /** Stripe top-ups are on only when a secret key is set. */
    readonly secretKey?: string;
    readonly webhookSecret?: string;
    /** Where the SDK sends its requests; tests point it at a local fake. */
    readonly apiBase?: string;
    /** Deadline of each SDK request, and how often the SDK retries a failed one (idempotency keys make that safe). */
    readonly timeoutMs: number;
    readonly maxNetworkRetries: number;
    /** Days a subscription stays on its plan after a failed payment before the maintenance job moves it to Free. */
    readonly planGraceDays: number;
  };
  abstract readonly ai: {
    /** Keys from the environment (comma-separated for rotation); admins may add more in the database. */
    readonly openai: { readonly apiKeys: readonly string[]; readonly baseUrl?: string };
    readonly anthropic: { readonly apiKeys: readonly string[]; readonly baseUrl?: string };
    readonly gemini: { readonly apiKeys: readonly string[]; readonly baseUrl?: string };
    /** Output budget when a request names none (also bounds the hold). */
    readonly defaultMaxTokens: number;
    /** Deadline of a whole non-streamed provider call. */
    readonly requestTimeoutMs: number;
    /** A stream must send its first event within this (connect and headers included)… */
    readonly streamFirstByteTimeoutMs: number;
    /** …and then never stay silent longer than this. */
    readonly streamIdleTimeoutMs: number;
    readonly retryBaseMs: number;
    readonly circuitFailureThreshold: number;
    readonly circuitOpenMs: number;
    /** How often /ws/mcp pings its clients; a client that has not answered the last ping is cut. */
    readonly wsPingIntervalMs: number;
    /** Usage records (request logs) older than this are purged by the maintenance job. */
    readonly usageRetentionDays: number;
  };
  abstract readonly media: {
    /** `required`: every prompt is moderated before generation (moderation down → jobs wait); `off`: not checked. */
    readonly moderation: 'required' | 'off';
    /** Where generated files are stored (local disk). */
    readonly storageDir: string;
    readonly imageConcurrency: number;
    readonly videoConcurrency: number;
    /** A job not finished by then expires and its hold is released (a later provider success is still charged). */
    readonly imageDeadlineSeconds: number;
    readonly videoDeadlineSeconds: number;
    /** How often a submitted video is polled at the provider. */
    readonly pollIntervalMs: number;
    /** After a video expired, the provider is still asked this long: a late success is stored and charged. */
    readonly reconcileWindowSeconds: number;
    /** First wait after a retryable provider failure (then doubling), unless the provider sent Retry-After. */
    readonly retryBaseMs: number;
    /** Lifetime of a signed URL to a result file. */
    readonly signedUrlTtlSeconds: number;
    /** Succeeded jobs and their files (the results users keep) older than this are purged by the maintenance job. */
    readonly retentionDays: number;
    /** Jobs that ended without a result (failed, cancelled, expired) are purged after this, with any file. */
    readonly temporaryRetentionDays: number;
    /** Set: files go to this S3-compatible bucket instead of the local directory. */
    readonly s3?: {
      readonly bucket: string;
      readonly region: string;
      readonly endpoint?: string;
      readonly accessKeyId?: string;
      readonly secretAccessKey?: string;
      readonly forcePathStyle: boolean;
    };
    /** Where the OpenAI-protocol video calls go (`videos` create/retrieve/content): OPENAI_VIDEO_BASE_URL, else OPENAI_BASE_URL, else OpenAI's. */
    readonly videoBaseUrl?: string;
    /** Keys for those video calls (OPENAI_VIDEO_API_KEY, comma-separated for rotation); empty: the OpenAI keys. */
    readonly videoApiKeys: readonly string[];
    /** fal.ai: keys from FAL_KEY (comma-separated for rotation), and a fal proxy every call goes through when set. */
    readonly fal: { readonly apiKeys: readonly string[]; readonly proxyUrl?: string };
    /** A media provider failing this many times in a row is skipped (its circuit open) for `circuitOpenMs`. */
    readonly circuitFailureThreshold: number;
    readonly circuitOpenMs: number;
  };
  abstract readonly webhooks: WebhooksConfig;
  /** 32-byte key for secrets at rest (AES-256-GCM): provider keys, TOTP and webhook secrets, users' e-mail addresses and names. */
  abstract readonly encryptionKey: Buffer;
  /** Keys `encryptionKey` replaced: they open what they sealed until `npm run keys:rotate` re-seals it. */
  abstract readonly previousEncryptionKeys: readonly Buffer[];
  /** Requests per minute; `null` means unlimited. */
  abstract readonly rateLimits: {
    readonly perRole: Readonly<Record<'SUPER_ADMIN' | 'ADMIN' | 'MANAGER' | 'USER' | 'GUEST', number | null>>;
    readonly anonymousPerIp: number;
    readonly authPerIp: number;
    /** The span every limit counts over ("per minute" unless set; tests shorten it). */
    readonly windowMs: number;
  };
}
