import { createPublicKey } from 'node:crypto';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

/**
 * The one place that reads the environment. Parsed once at start; a bad variable stops the
 * process with a message that names it, instead of failing later at the first request.
 */
const secret = (name: string) =>
  z
    .string()
    .refine((s) => Buffer.byteLength(s) >= 32, `${name} must be at least 32 bytes (use: openssl rand -base64 48)`)
    .optional();

const locale = z.enum(['nl', 'en']);

/** `user:password` for HTTP basic auth; the password long enough not to be guessed. */
const basicAuth = (name: string) =>
  z
    .string()
    .regex(/^[^:\s]{1,64}:\S{16,}$/, `${name} must be user:password with a password of 16+ characters`)
    .optional();

const DAY = 86_400_000;

function isPublicKey(text: string): boolean {
  try {
    const t = text.trim();
    const key = t.startsWith('-----BEGIN') ? createPublicKey(t) : createPublicKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ec';
  } catch {
    return false;
  }
}

export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATABASE_PATH: z.string().min(1).default('./data/optbox.db'),
    /**
     * PostgreSQL instead of the embedded SQLite file (postgres://user:pass@host:5432/db). Set it
     * on every instance that shares the database; DATABASE_PATH is then not used.
     */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(?:ql)?:\/\/\S+$/, 'must be a postgres:// URL')
      .optional(),
    /** Connections each instance keeps open to PostgreSQL. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
    /** Signing key for link tokens. Unset: one is generated once and kept in the database. */
    OPTBOX_SECRET: secret('OPTBOX_SECRET'),
    /**
     * Pepper for the keyed hash of addresses in the suppression list. Never rotated: a new
     * pepper would make every stored suppression unmatched. Unset: generated once, kept in the db.
     */
    OPTBOX_PEPPER: secret('OPTBOX_PEPPER'),
    POLICY_VERSION: z.string().min(1).max(40).default('2.0'),
    DEFAULT_LOCALE: locale.default('nl'),
    BRAND_NAME: z.string().min(1).max(80).default('optbox'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Largest request body the JSON API accepts (10,000 addresses fit well inside 1 MiB). */
    API_BODY_LIMIT: z.coerce.number().int().min(1024).default(1024 * 1024),
    /** Mail layout: brand colour of the header bar and buttons (#rgb or #rrggbb). */
    BRAND_COLOR: z
      .string()
      .regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/, 'must be a hex colour like #1f6feb')
      .default('#1f6feb'),
    /** Mail layout: https URL of a logo image; unset shows the brand name as text. */
    BRAND_LOGO_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** The sender's postal address for the mail footer (CAN-SPAM, Dutch Telecommunicatiewet). */
    POSTAL_ADDRESS: z.string().max(300).regex(/^[^\r\n]*$/, 'must be one line (use commas)').default(''),
    /** Link to the privacy statement in the mail footer. */
    PRIVACY_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** RFC 2369 mailto: alternative in List-Unsubscribe, e.g. unsubscribe@example.com. */
    UNSUBSCRIBE_MAILTO: z.email().max(254).optional(),
    /** Folder with operator MJML templates (laid out like emails/); unset uses the built-in ones. */
    TEMPLATES_DIR: z.string().min(1).optional(),
    /**
     * Requests per second one API key may make on average (token bucket; a check or prepare counts
     * each address); 0 turns the limit off. The default is above what one server answers in single
     * checks, so it never limits a sending pipeline, and stops a runaway batch loop (README, Rate limits).
     */
    API_RATE_LIMIT: z.coerce.number().min(0).default(10_000),
    /** Requests (addresses) one API key may spend at once before the rate applies: two full check batches. */
    API_RATE_BURST: z.coerce.number().int().min(1).default(20_000),
    /** A webhook receiver that has not answered by then counts as failed (retried). */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** Attempts per webhook delivery before it is marked failed (about 1.5 days at 8). */
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
    /**
     * Webhook endpoints may point at loopback, private (RFC 1918, fc00::/7), link-local and other
     * non-public addresses. Off by default: anyone with webhooks:manage picks the URL.
     */
    WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
    /** How often the delivery worker looks for due webhooks. */
    WEBHOOK_POLL_MS: z.coerce.number().int().min(50).default(1000),
    /** Webhook endpoints one API key may register; one more is refused (409 limit_reached). */
    WEBHOOK_ENDPOINTS_PER_KEY: z.coerce.number().int().min(1).max(10_000).default(10),
    /** Webhook endpoints in all, whichever key registered them. */
    WEBHOOK_ENDPOINTS_TOTAL: z.coerce.number().int().min(1).max(100_000).default(100),
    /** Mail transport for sign-in and confirmation mails: smtp(s)://user:pass@host:port. Unset: .eml files in MAIL_OUTBOX_DIR. */
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    /** Where mails go when SMTP_URL is unset (one .eml file per mail; the path is logged). */
    MAIL_OUTBOX_DIR: z.string().min(1).default('./data/outbox'),
    /** From: of the mails optbox sends itself (sign-in links, confirmations). */
    MAIL_FROM: z.string().min(3).max(300).regex(/^[^\r\n]*$/, 'must be one line').default('optbox <no-reply@localhost>'),
    /** A preference-center session ends after this many minutes without a request. */
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    /** How long a sign-in link (magic link, step-up, address confirmation) works. */
    LOGIN_LINK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    /** After a sign-in by mailed link, history, download, address change and erasure stay open this long. */
    STEP_UP_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    /** Sign-in links one address may be sent per 15 minutes. */
    LOGIN_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(3),
    /** Sign-in requests one IP address may make per 15 minutes. */
    LOGIN_LIMIT_PER_IP: z.coerce.number().int().min(1).default(20),
    /** A console session ends after this many minutes without a request. */
    ADMIN_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    /** A console session ends this many hours after sign-in, however busy. */
    ADMIN_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
    /** How long an operator setup link (first start, `optbox operator create`) works. */
    ADMIN_SETUP_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60),
    /** Console sign-in attempts per 15 minutes, per address and per IP address. */
    ADMIN_LOGIN_LIMIT: z.coerce.number().int().min(1).default(10),
    /** Amazon SES via SNS: the topic ARNs whose signed messages are taken in (comma-separated). Unset: /hooks/ses answers 404. */
    SES_SNS_TOPIC_ARNS: z
      .string()
      .optional()
      .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []))
      .pipe(z.array(z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, 'must be SNS topic ARNs (arn:aws:sns:REGION:ACCOUNT:NAME)'))),
    /** user:password for SNS raw message delivery (unsigned, so basic auth in the subscription URL is its credential). */
    SES_BASIC_AUTH: basicAuth('SES_BASIC_AUTH'),
    /** SendGrid Signed Event Webhook verification key (base64 DER or PEM of the ECDSA P-256 public key). */
    SENDGRID_WEBHOOK_PUBLIC_KEY: z
      .string()
      .min(40)
      .refine((v) => isPublicKey(v), 'must be the base64 (or PEM) ECDSA public key SendGrid shows')
      .optional(),
    /** user:password that Postmark sends as basic auth on its webhooks. */
    POSTMARK_WEBHOOK_AUTH: basicAuth('POSTMARK_WEBHOOK_AUTH'),
    /** Mailgun HTTP webhook signing key. */
    MAILGUN_WEBHOOK_SIGNING_KEY: z.string().min(16).optional(),
    /** A signed provider request older (or further in the future) than this is refused as a replay. */
    FEEDBACK_MAX_AGE_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    /** Soft bounces within SOFT_BOUNCE_WINDOW_DAYS that suppress an address. */
    SOFT_BOUNCE_LIMIT: z.coerce.number().int().min(1).max(100).default(3),
    SOFT_BOUNCE_WINDOW_DAYS: z.coerce.number().min(0.01).max(365).default(7),
    /** How long a soft-bounce suppression lasts. */
    SOFT_BOUNCE_SUPPRESS_DAYS: z.coerce.number().min(0.01).max(3650).default(14),
    /** Port of the built-in SMTP listener for mailto unsubscribes; unset: off. Needs UNSUBSCRIBE_MAILTO. */
    INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** Address the SMTP listener binds to (default: HOST). */
    INBOUND_SMTP_HOST: z.string().min(1).optional(),
    /** Largest unsubscribe mail taken in (SMTP SIZE and POST /hooks/inbound). */
    INBOUND_MAX_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(256 * 1024),
    /** Bearer token for POST /hooks/inbound (raw RFC 5322 mail from your MTA); unset: 404. */
    INBOUND_TOKEN: secret('INBOUND_TOKEN'),
    /** RFC 2919 List-Id: `<topic>.<LIST_ID_DOMAIN>` per topic; unset: no List-Id header. */
    LIST_ID_DOMAIN: z
      .string()
      .regex(/^(?=.{1,200}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i, 'must be a domain name you control')
      .optional(),
    /** Gmail feedback loop sender id: Feedback-ID `campaign:topic:<id>`; unset: no Feedback-ID header. */
    FEEDBACK_ID_SENDER: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, 'letters, digits, . _ - (at most 40)').optional(),
    /** /metrics needs `Authorization: Bearer <METRICS_TOKEN>` when set; open when unset. */
    METRICS_TOKEN: z.string().min(16).optional(),
    /** Contacts unsubscribed from everything are erased after this many quiet days (0: never). */
    RETENTION_UNSUBSCRIBED_DAYS: z.coerce.number().int().min(0).default(30),
    /** Contacts with no change at all for this many days are erased (0: never). */
    RETENTION_INACTIVE_DAYS: z.coerce.number().int().min(0).default(0),
    /** Finished webhook deliveries (with their attempts and events) and provider event ids are kept this long. */
    RETENTION_WEBHOOK_DAYS: z.coerce.number().int().min(1).default(30),
    /** How often the server runs retention (0: only by `optbox retention run`). */
    RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(60),
    /**
     * Behind a reverse proxy: how many proxies (a hop count), or which (addresses, CIDRs, or
     * proxy-addr's names loopback, linklocal, uniquelocal, comma-separated). Only then does
     * X-Forwarded-For decide the client address (rate limits, ledger evidence). Unset: the peer.
     */
    TRUST_PROXY: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx): TrustProxy => {
        if (v === undefined || v === '' || v === 'false' || v === '0') return null;
        if (/^\d+$/.test(v)) {
          const hops = Number(v);
          if (hops > 20) ctx.addIssue({ code: 'custom', message: 'a hop count above 20 is not a real proxy chain' });
          return { hops };
        }
        const addresses = v.split(',').map((s) => s.trim()).filter(Boolean);
        try {
          proxyaddr.compile(addresses);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: `expected a hop count or proxy addresses/CIDRs (${(err as Error).message})` });
        }
        return { addresses };
      }),
    /** How often the server logs the consent ledger's head (count and hash), besides at start. */
    LEDGER_HEAD_LOG_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60),
  })
  .transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    databasePath: env.DATABASE_PATH,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    secret: env.OPTBOX_SECRET,
    pepper: env.OPTBOX_PEPPER,
    policyVersion: env.POLICY_VERSION,
    defaultLocale: env.DEFAULT_LOCALE,
    brandName: env.BRAND_NAME,
    logLevel: env.LOG_LEVEL,
    apiBodyLimit: env.API_BODY_LIMIT,
    mail: {
      brandColor: env.BRAND_COLOR.toLowerCase(),
      logoUrl: env.BRAND_LOGO_URL,
      postalAddress: env.POSTAL_ADDRESS.trim(),
      privacyUrl: env.PRIVACY_URL,
      unsubscribeMailto: env.UNSUBSCRIBE_MAILTO,
      templatesDir: env.TEMPLATES_DIR,
      listIdDomain: env.LIST_ID_DOMAIN?.toLowerCase(),
      feedbackIdSender: env.FEEDBACK_ID_SENDER,
    },
    apiRateLimit: env.API_RATE_LIMIT,
    apiRateBurst: env.API_RATE_BURST,
    webhookTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
    webhookMaxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
    webhookPollMs: env.WEBHOOK_POLL_MS,
    webhookEndpoints: { perKey: env.WEBHOOK_ENDPOINTS_PER_KEY, total: env.WEBHOOK_ENDPOINTS_TOTAL },
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE === 'true',
    transport: { smtpUrl: env.SMTP_URL, outboxDir: env.MAIL_OUTBOX_DIR, from: env.MAIL_FROM },
    feedback: {
      sesTopicArns: env.SES_SNS_TOPIC_ARNS,
      sesBasicAuth: env.SES_BASIC_AUTH,
      sendgridPublicKey: env.SENDGRID_WEBHOOK_PUBLIC_KEY,
      postmarkAuth: env.POSTMARK_WEBHOOK_AUTH,
      mailgunSigningKey: env.MAILGUN_WEBHOOK_SIGNING_KEY,
      maxAgeSeconds: env.FEEDBACK_MAX_AGE_SECONDS,
      softBounce: { limit: env.SOFT_BOUNCE_LIMIT, windowMs: Math.round(env.SOFT_BOUNCE_WINDOW_DAYS * DAY), suppressMs: Math.round(env.SOFT_BOUNCE_SUPPRESS_DAYS * DAY) },
    },
    inbound: { smtpPort: env.INBOUND_SMTP_PORT, smtpHost: env.INBOUND_SMTP_HOST ?? env.HOST, maxBytes: env.INBOUND_MAX_BYTES, token: env.INBOUND_TOKEN },
    metricsToken: env.METRICS_TOKEN,
    retention: {
      unsubscribedDays: env.RETENTION_UNSUBSCRIBED_DAYS,
      inactiveDays: env.RETENTION_INACTIVE_DAYS,
      webhookDays: env.RETENTION_WEBHOOK_DAYS,
      intervalMinutes: env.RETENTION_INTERVAL_MINUTES,
    },
    preferences: {
      sessionIdleMinutes: env.SESSION_IDLE_MINUTES,
      loginLinkMinutes: env.LOGIN_LINK_MINUTES,
      stepUpMinutes: env.STEP_UP_MINUTES,
      loginLimitPerAddress: env.LOGIN_LIMIT_PER_ADDRESS,
      loginLimitPerIp: env.LOGIN_LIMIT_PER_IP,
    },
    admin: {
      sessionIdleMinutes: env.ADMIN_SESSION_IDLE_MINUTES,
      sessionMaxHours: env.ADMIN_SESSION_MAX_HOURS,
      setupMinutes: env.ADMIN_SETUP_MINUTES,
      loginLimit: env.ADMIN_LOGIN_LIMIT,
    },
    ledgerHeadLogMinutes: env.LEDGER_HEAD_LOG_MINUTES,
    trustProxy: env.TRUST_PROXY,
  }));

/** TRUST_PROXY parsed: null (X-Forwarded-For ignored), a hop count, or the proxies' addresses. */
export type TrustProxy = null | { hops: number } | { addresses: string[] };

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {}

/** Parse an environment (process.env by default) or throw a ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
