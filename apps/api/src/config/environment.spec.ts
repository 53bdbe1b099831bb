import { ConfigError } from './config-error';
import { loadConfig, parseEnvironment } from './environment';

const services = { DATABASE_URL: 'postgres://u:secret@db:5432/app', REDIS_URL: 'redis://cache:6379/1' };

describe('parseEnvironment', () => {
  it('gives working defaults for an empty environment', () => {
    const config = parseEnvironment({}, '/srv/app');
    expect(config.env).toBe('development');
    expect(config.http.port).toBe(3000);
    expect(config.http.appUrl).toBe('http://localhost:3000');
    expect(config.http.corsOrigins).toEqual(['http://localhost:3000']);
    expect(config.workers).toBe('inline');
    expect(config.database.url).toBeUndefined();
    expect(config.localServices).toEqual({ dataDir: '/srv/app/.data', postgresPort: 54329, redisPort: 63790 });
  });

  it.each([
    ['PORT', 'abc', /^Invalid configuration: PORT=abc \(expected an integer from 1 to 65535\)$/],
    ['PORT', '70000', /PORT=70000/],
    ['WORKERS', 'sometimes', /WORKERS=sometimes \(expected one of inline, off\)/],
    ['NODE_ENV', 'staging', /NODE_ENV=staging/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL=loud/],
    ['BODY_LIMIT', '1gb', /BODY_LIMIT=1gb/],
    ['CORS_ORIGINS', 'https://ok.example, not a url', /CORS_ORIGINS=not a url/],
    ['REDIS_URL', 'http://cache', /^Invalid configuration: REDIS_URL \(expected a URL starting with redis: or rediss:\)$/],
  ])('refuses %s=%s with one line naming it', (name, value, message) => {
    const run = () => parseEnvironment({ [name]: value });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });

  it('requires a long JWT secret in production and allows cheap bcrypt only in tests', () => {
    expect(() => parseEnvironment({ NODE_ENV: 'production' })).toThrow('Invalid configuration: JWT_SECRET (required in production)');
    expect(() => parseEnvironment({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET \(must be at least 32 characters\)/);
    expect(() => parseEnvironment({ BCRYPT_COST: '4' })).toThrow(/BCRYPT_COST=4/);
    expect(parseEnvironment({ NODE_ENV: 'test', BCRYPT_COST: '4' }).identity.bcryptCost).toBe(4);
    expect(() => parseEnvironment({ BOOTSTRAP_ADMIN_EMAIL: 'root@example.com' })).toThrow(/BOOTSTRAP_ADMIN_PASSWORD/);
  });

  it('reads MFA_REQUIRED_FOR_ADMINS as true or false only (default false)', () => {
    expect(parseEnvironment({}).identity.mfaRequiredForAdmins).toBe(false);
    expect(parseEnvironment({ MFA_REQUIRED_FOR_ADMINS: 'true' }).identity.mfaRequiredForAdmins).toBe(true);
    expect(() => parseEnvironment({ MFA_REQUIRED_FOR_ADMINS: 'yes' })).toThrow(/MFA_REQUIRED_FOR_ADMINS.*expected one of true, false/);
  });

  it('erases a deleted account after 30 days unless ACCOUNT_DELETION_GRACE_DAYS says otherwise', () => {
    expect(parseEnvironment({}).identity.accountDeletionGraceDays).toBe(30);
    expect(parseEnvironment({ ACCOUNT_DELETION_GRACE_DAYS: '14' }).identity.accountDeletionGraceDays).toBe(14);
    expect(() => parseEnvironment({ ACCOUNT_DELETION_GRACE_DAYS: '0' })).toThrow(/ACCOUNT_DELETION_GRACE_DAYS/);
    expect(() => parseEnvironment({ ACCOUNT_DELETION_GRACE_DAYS: 'soon' })).toThrow(/ACCOUNT_DELETION_GRACE_DAYS/);
  });

  it('makes team invitation links work 7 days and caps invitations at 50 an hour unless told otherwise', () => {
    expect(parseEnvironment({}).identity.teamInvitationTtlDays).toBe(7);
    expect(parseEnvironment({}).identity.teamInvitationsPerHour).toBe(50);
    expect(parseEnvironment({ TEAM_INVITATION_TTL_DAYS: '30', TEAM_INVITATIONS_PER_HOUR: '5' }).identity).toMatchObject({
      teamInvitationTtlDays: 30,
      teamInvitationsPerHour: 5,
    });
    expect(() => parseEnvironment({ TEAM_INVITATION_TTL_DAYS: '0' })).toThrow(/TEAM_INVITATION_TTL_DAYS/);
    expect(() => parseEnvironment({ TEAM_INVITATIONS_PER_HOUR: 'many' })).toThrow(/TEAM_INVITATIONS_PER_HOUR/);
  });

  it('keeps audit entries seven years unless AUDIT_LOG_RETENTION_DAYS says otherwise', () => {
    expect(parseEnvironment({}).identity.auditLogRetentionDays).toBe(2557);
    expect(parseEnvironment({ AUDIT_LOG_RETENTION_DAYS: '3650' }).identity.auditLogRetentionDays).toBe(3650);
    expect(() => parseEnvironment({ AUDIT_LOG_RETENTION_DAYS: '0' })).toThrow(/AUDIT_LOG_RETENTION_DAYS/);
    expect(() => parseEnvironment({ AUDIT_LOG_RETENTION_DAYS: 'forever' })).toThrow(/AUDIT_LOG_RETENTION_DAYS/);
  });

  it('keeps GDPR exports downloadable seven days unless DATA_EXPORT_RETENTION_DAYS says otherwise', () => {
    expect(parseEnvironment({}).identity.dataExportRetentionDays).toBe(7);
    expect(parseEnvironment({ DATA_EXPORT_RETENTION_DAYS: '30' }).identity.dataExportRetentionDays).toBe(30);
    expect(parseEnvironment({}).identity.dataExportCooldownMinutes).toBe(60);
    expect(parseEnvironment({ DATA_EXPORT_COOLDOWN_MINUTES: '0' }).identity.dataExportCooldownMinutes).toBe(0);
    expect(() => parseEnvironment({ DATA_EXPORT_COOLDOWN_MINUTES: '-1' })).toThrow('DATA_EXPORT_COOLDOWN_MINUTES');
    expect(() => parseEnvironment({ DATA_EXPORT_RETENTION_DAYS: '0' })).toThrow(/DATA_EXPORT_RETENTION_DAYS/);
  });

  it('reads the fal keys and proxy, and the media circuit settings', () => {
    const config = parseEnvironment({ FAL_KEY: 'id-1:secret-1, id-2:secret-2', FAL_PROXY_URL: 'https://proxy.example.com/api/fal/proxy', MEDIA_CIRCUIT_FAILURES: '5' });
    expect(config.media.fal).toEqual({ apiKeys: ['id-1:secret-1', 'id-2:secret-2'], proxyUrl: 'https://proxy.example.com/api/fal/proxy' });
    expect(config.media.circuitFailureThreshold).toBe(5);
    expect(parseEnvironment({}).media).toMatchObject({ fal: { apiKeys: [] }, circuitFailureThreshold: 3, circuitOpenMs: 60_000 });
    expect(() => parseEnvironment({ FAL_PROXY_URL: 'ftp://proxy.example.com' })).toThrow(/FAL_PROXY_URL/);
    expect(() => parseEnvironment({ MEDIA_CIRCUIT_FAILURES: '0' })).toThrow(/MEDIA_CIRCUIT_FAILURES/);
  });

  it('never echoes a malformed database URL, which may hold a password', () => {
    expect(() => parseEnvironment({ DATABASE_URL: 'mysql://u:hunter2@db/app' })).toThrow(
      /^Invalid configuration: DATABASE_URL \(expected a URL starting with postgres: or postgresql:\)$/,
    );
  });

  it('reads sizes, lists and the trailing-slash-free app URL', () => {
    const config = parseEnvironment({
      BODY_LIMIT: '256kb',
      APP_URL: 'https://hub.example.com/',
      CORS_ORIGINS: 'https://a.example.com, https://b.example.com',
    });
    expect(config.http.bodyLimitBytes).toBe(256 * 1024);
    expect(config.http.appUrl).toBe('https://hub.example.com');
    expect(config.http.corsOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
  });
});

describe('Google sign-in and VERIFIED sessions', () => {
  it('is off without a client, points at Google by default and keeps codes for 7 days', () => {
    const config = parseEnvironment({ APP_URL: 'https://hub.example.com' });
    expect(config.google).toEqual({
      client: undefined,
      authUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      userInfoUrl: 'https://openidconnect.googleapis.com/v1/userinfo',
      callbackUrl: 'https://hub.example.com/auth/google/callback',
      timeoutMs: 5_000,
    });
    expect(config.sessions.verifiedTtlSeconds).toBe(7 * 24 * 60 * 60);
  });

  it('reads the client and endpoints, which tests point at a local fake', () => {
    const config = parseEnvironment({
      GOOGLE_CLIENT_ID: 'client-id',
      GOOGLE_CLIENT_SECRET: 'client-secret',
      GOOGLE_AUTH_URL: 'http://127.0.0.1:4000/auth',
      GOOGLE_TOKEN_URL: 'http://127.0.0.1:4000/token',
      GOOGLE_USERINFO_URL: 'http://127.0.0.1:4000/v1/userinfo',
      VERIFIED_SESSION_TTL_SECONDS: '60',
    });
    expect(config.google).toMatchObject({
      client: { id: 'client-id', secret: 'client-secret' },
      authUrl: 'http://127.0.0.1:4000/auth',
      tokenUrl: 'http://127.0.0.1:4000/token',
      userInfoUrl: 'http://127.0.0.1:4000/v1/userinfo',
    });
    expect(config.sessions.verifiedTtlSeconds).toBe(60);
  });

  it.each([
    [{ GOOGLE_CLIENT_ID: 'client-id' }, /^Invalid configuration: GOOGLE_CLIENT_SECRET \(set both Google client variables, or neither\)$/],
    [{ GOOGLE_CLIENT_SECRET: 'client-secret' }, /GOOGLE_CLIENT_ID \(set both/],
    [{ GOOGLE_TOKEN_URL: 'ftp://example.com/token' }, /GOOGLE_TOKEN_URL \(expected a URL starting with http: or https:\)/],
    [{ VERIFIED_SESSION_TTL_SECONDS: '0' }, /VERIFIED_SESSION_TTL_SECONDS=0/],
  ])('refuses %j with one line naming it', (env, message) => {
    expect(() => parseEnvironment(env)).toThrow(message);
  });
});

describe('loadConfig', () => {
  it('requires both service URLs', () => {
    expect(() => loadConfig({ REDIS_URL: services.REDIS_URL })).toThrow(/DATABASE_URL \(required\)/);
    expect(() => loadConfig({ DATABASE_URL: services.DATABASE_URL })).toThrow(/REDIS_URL \(required\)/);
  });

  it('returns a frozen config with the service URLs', () => {
    const config = loadConfig(services);
    expect(config.database.url).toBe(services.DATABASE_URL);
    expect(config.redis.url).toBe(services.REDIS_URL);
    expect(Object.isFrozen(config)).toBe(true);
    expect('localServices' in config).toBe(false);
  });
});

describe('billing and AI settings', () => {
  it('reads credits exactly and refuses what is not a number of credits', () => {
    const config = parseEnvironment({ WELCOME_CREDITS: '2.5', LOW_BALANCE_THRESHOLD: '0' });
    expect(config.billing.welcomeCredits.millis).toBe(2500n);
    expect(config.billing.lowBalanceThreshold.millis).toBe(0n);
    expect(parseEnvironment({}).billing.partnerMaxCost.toString()).toBe('10000');
    expect(() => parseEnvironment({ WELCOME_CREDITS: '1.0001' })).toThrow(/WELCOME_CREDITS=1.0001/);
    expect(() => parseEnvironment({ PARTNER_MAX_COST: '-5' })).toThrow(/PARTNER_MAX_COST/);
  });

  it('reads the budget alert thresholds as ascending distinct percentages, or none', () => {
    expect(parseEnvironment({}).billing.budgetAlertThresholds).toEqual([50, 80, 100]);
    expect(parseEnvironment({ BUDGET_ALERT_THRESHOLDS: '90, 25,90' }).billing.budgetAlertThresholds).toEqual([25, 90]);
    expect(parseEnvironment({ BUDGET_ALERT_THRESHOLDS: 'off' }).billing.budgetAlertThresholds).toEqual([]);
    for (const bad of ['0', '101', '50,,80', '7.5', 'half'])
      expect(() => parseEnvironment({ BUDGET_ALERT_THRESHOLDS: bad })).toThrow(/BUDGET_ALERT_THRESHOLDS/);
  });

  it('wants a Stripe secret key before a webhook secret', () => {
    expect(() => parseEnvironment({ STRIPE_WEBHOOK_SECRET: 'whsec_x' })).toThrow(/STRIPE_SECRET_KEY \(required when STRIPE_WEBHOOK_SECRET is set\)/);
    expect(parseEnvironment({ STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_API_BASE: 'http://127.0.0.1:12111' }).stripe).toMatchObject({
      secretKey: 'sk_test_x',
      apiBase: 'http://127.0.0.1:12111',
    });
  });

  it('needs a 32-byte encryption key in production, and reads provider keys as lists', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };
    expect(() => parseEnvironment(production)).toThrow(/ENCRYPTION_KEY \(required in production/);
    expect(() => parseEnvironment({ ...production, ENCRYPTION_KEY: 'abcd' })).toThrow(/ENCRYPTION_KEY \(expected 32 bytes/);
    expect(parseEnvironment({ ...production, ENCRYPTION_KEY: 'ab'.repeat(32) }).encryptionKey).toHaveLength(32);
    const ai = parseEnvironment({ OPENAI_API_KEY: 'sk-a, sk-b', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' }).ai;
    expect(ai.openai.apiKeys).toEqual(['sk-a', 'sk-b']);
    expect(ai.anthropic).toEqual({ apiKeys: [], baseUrl: 'http://127.0.0.1:9' });
  });

  it('reads keys ENCRYPTION_KEY replaced from ENCRYPTION_KEYS_PREVIOUS, none by default', () => {
    expect(parseEnvironment({}).previousEncryptionKeys).toEqual([]);
    const base64 = Buffer.alloc(32, 7).toString('base64');
    const keys = parseEnvironment({ ENCRYPTION_KEY: 'ab'.repeat(32), ENCRYPTION_KEYS_PREVIOUS: `${'cd'.repeat(32)}, ${base64}` }).previousEncryptionKeys;
    expect(keys.map((key) => key.toString('hex'))).toEqual(['cd'.repeat(32), '07'.repeat(32)]);
    expect(() => parseEnvironment({ ENCRYPTION_KEYS_PREVIOUS: 'cd'.repeat(31) })).toThrow(/ENCRYPTION_KEYS_PREVIOUS \(expected comma-separated keys of 32 bytes/);
    expect(() => parseEnvironment({ ENCRYPTION_KEY: 'ab'.repeat(32), ENCRYPTION_KEYS_PREVIOUS: 'AB'.repeat(32) })).toThrow(
      /ENCRYPTION_KEYS_PREVIOUS \(lists ENCRYPTION_KEY itself/,
    );
  });
});

describe('deadlines on outgoing calls', () => {
  it('has defaults that keep a request needing a silent database or Redis within 5 s', () => {
    const config = parseEnvironment({});
    const db = config.database.deadlines;
    expect(db).toEqual({ connectTimeoutMs: 5_000, acquireTimeoutMs: 5_000, statementTimeoutMs: 4_000, lockTimeoutMs: 3_000 });
    // A request meets one of them first: the pool wait, a new connection, or a statement and the grace for a silent server.
    expect(Math.max(db.acquireTimeoutMs, db.connectTimeoutMs, db.statementTimeoutMs + 500)).toBeLessThanOrEqual(5_000);
    expect(config.redis).toMatchObject({ connectTimeoutMs: 2_000, commandTimeoutMs: 2_000 });
    expect(config.health.checkTimeoutMs).toBe(2_000);
    expect(config.stripe).toMatchObject({ timeoutMs: 10_000, maxNetworkRetries: 1 });
    expect(config.ai).toMatchObject({ requestTimeoutMs: 120_000, streamFirstByteTimeoutMs: 60_000, streamIdleTimeoutMs: 30_000 });
  });

  it('reads each deadline and refuses a value out of range, naming it', () => {
    const config = parseEnvironment({ DATABASE_STATEMENT_TIMEOUT_MS: '800', REDIS_COMMAND_TIMEOUT_MS: '300', AI_STREAM_IDLE_TIMEOUT_MS: '400' });
    expect(config.database.deadlines.statementTimeoutMs).toBe(800);
    expect(config.redis.commandTimeoutMs).toBe(300);
    expect(config.ai.streamIdleTimeoutMs).toBe(400);
    expect(() => parseEnvironment({ DATABASE_LOCK_TIMEOUT_MS: '0' })).toThrow(/DATABASE_LOCK_TIMEOUT_MS/);
    expect(() => parseEnvironment({ GOOGLE_TIMEOUT_MS: 'soon' })).toThrow(/GOOGLE_TIMEOUT_MS/);
    expect(() => parseEnvironment({ STRIPE_MAX_NETWORK_RETRIES: '9' })).toThrow(/STRIPE_MAX_NETWORK_RETRIES/);
  });
});

describe('mail', () => {
  it('bounds each SMTP attempt by default and retries for about 21 minutes before dead-lettering', () => {
    const { mail } = parseEnvironment({});
    expect(mail).toMatchObject({ connectionTimeoutMs: 5_000, greetingTimeoutMs: 5_000, socketTimeoutMs: 15_000, attempts: 8, backoffMs: 10_000 });
    const waits = Array.from({ length: mail.attempts - 1 }, (_, retry) => mail.backoffMs * 2 ** retry);
    expect(waits.reduce((sum, wait) => sum + wait, 0)).toBe(1_270_000);
  });

  it('reads the deadlines and retries, and refuses a value out of range, naming it', () => {
    const { mail } = parseEnvironment({ SMTP_GREETING_TIMEOUT_MS: '300', MAIL_ATTEMPTS: '2', MAIL_BACKOFF_MS: '50' });
    expect(mail).toMatchObject({ greetingTimeoutMs: 300, attempts: 2, backoffMs: 50 });
    expect(() => parseEnvironment({ SMTP_SOCKET_TIMEOUT_MS: '0' })).toThrow(/SMTP_SOCKET_TIMEOUT_MS/);
    expect(() => parseEnvironment({ SMTP_CONNECTION_TIMEOUT_MS: 'soon' })).toThrow(/SMTP_CONNECTION_TIMEOUT_MS/);
    expect(() => parseEnvironment({ MAIL_ATTEMPTS: '0' })).toThrow(/MAIL_ATTEMPTS/);
  });
});
