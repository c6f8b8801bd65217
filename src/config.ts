import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The whole configuration, read once from the environment at start. Nothing else in the code
 * reads the portal's variables from process.env (only the system's: `db/copy.ts` hands PATH,
 * HOME and LANG on to the PostgreSQL tools; `db/reusable.ts` asks whether Vitest runs it).
 * Every variable has a default so that
 * a fresh clone starts with no configuration at all; `.env.example` lists them.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();

/** Listening on every interface, or on this machine only: the browser on this machine says `localhost`. */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '0.0.0.0', '::', '::1']);

/**
 * The address customers use: `PUBLIC_URL` when set (without a trailing slash, the one form
 * every link is built from); else where the server listens — `http://localhost:<PORT>` for a
 * local or every-interface `HOST`, `http://<HOST>:<PORT>` otherwise.
 */
function publicUrlOf(c: { PUBLIC_URL?: string | undefined; HOST: string; PORT: number }): string {
  if (c.PUBLIC_URL) return c.PUBLIC_URL.replace(/\/+$/, '');
  const host = LOCAL_HOSTS.has(c.HOST) ? 'localhost' : isIP(c.HOST) === 6 ? `[${c.HOST}]` : c.HOST;
  return `http://${host}:${c.PORT}`;
}

/** Where stored files live (`lib/content-store.ts`): folders under a directory, or a bucket. */
export type StorageTarget =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      /** As configured, for messages. */
      url: string;
      bucket: string;
      /** '' or a prefix ending with '/'. */
      prefix: string;
      endpoint: string | undefined;
      region: string;
      forcePathStyle: boolean;
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    };

// S3's rules for a bucket's name, and the characters it calls safe in a key.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const SAFE_PREFIX = /^[A-Za-z0-9!_.*'()/-]*$/;

/** `s3://bucket[/prefix]` → its bucket and prefix, or what is wrong with it. */
function bucketOf(url: string): { bucket: string; prefix: string } | string {
  const [bucket = '', ...rest] = url.slice('s3://'.length).split('/');
  if (!bucket) return 'names no bucket: write s3://<bucket> or s3://<bucket>/<prefix>';
  if (!BUCKET_NAME.test(bucket)) return `“${bucket}” is not a bucket name (3 to 63 lowercase letters, digits, dots and hyphens)`;
  const segments = rest.filter(Boolean);
  if (!segments.every((s) => SAFE_PREFIX.test(s)) || segments.some((s) => s === '.' || s === '..')) {
    return 'its prefix may hold only letters, digits and / ! - _ . * \' ( ) (no . or .. part)';
  }
  return { bucket, prefix: segments.map((s) => `${s}/`).join('') };
}

function storageOf(c: {
  DATA_DIR: string;
  STORAGE_URL?: string | undefined;
  AWS_ENDPOINT_URL?: string | undefined;
  AWS_REGION: string;
  AWS_ACCESS_KEY_ID?: string | undefined;
  AWS_SECRET_ACCESS_KEY?: string | undefined;
  S3_FORCE_PATH_STYLE?: boolean | undefined;
}): StorageTarget {
  const target = c.STORAGE_URL ? bucketOf(c.STORAGE_URL) : null;
  if (!c.STORAGE_URL || !target || typeof target === 'string') return { kind: 'local', dir: c.DATA_DIR };
  return {
    kind: 's3',
    url: c.STORAGE_URL,
    ...target,
    endpoint: c.AWS_ENDPOINT_URL,
    region: c.AWS_REGION,
    forcePathStyle: c.S3_FORCE_PATH_STYLE ?? c.AWS_ENDPOINT_URL !== undefined,
    credentials: c.AWS_ACCESS_KEY_ID && c.AWS_SECRET_ACCESS_KEY ? { accessKeyId: c.AWS_ACCESS_KEY_ID, secretAccessKey: c.AWS_SECRET_ACCESS_KEY } : undefined,
  };
}

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Unset: follows HOST and PORT (`publicUrlOf`). */
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATA_DIR: z.string().min(1).default('data'),
    /** Unset: files in folders under DATA_DIR. `s3://bucket[/prefix]`: an S3-compatible bucket (`lib/content-store.ts`). */
    STORAGE_URL: z.string().regex(/^s3:\/\//, 'must be s3://<bucket> or s3://<bucket>/<prefix> (unset: folders under DATA_DIR)').optional(),
    // The bucket's service: the standard AWS settings. Without an endpoint, Amazon S3 itself;
    // without keys, the SDK's own sources (an instance's or a pod's role).
    AWS_ENDPOINT_URL: z.url({ protocol: /^https?$/ }).optional(),
    AWS_REGION: z.string().regex(/^[a-z0-9-]+$/, 'must be a region name, e.g. eu-west-3, fr-par, gra').default('us-east-1'),
    AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
    AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Path-style URLs (`<endpoint>/<bucket>/<key>`) rather than `<bucket>.<endpoint>`: by default with AWS_ENDPOINT_URL (MinIO), not without. */
    S3_FORCE_PATH_STYLE: bool.optional(),
    DATABASE_URL: z
      .string()
      .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<file> or postgres://…')
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // false, or the reverse proxies' addresses/CIDRs (comma-separated). Never "trust
    // everything" (nor a bare hop count): a client could then choose the IP the throttle sees.
    TRUST_PROXY: z
      .string()
      .refine(
        (v) => v === 'false' || v.split(',').every((p) => isIP(p.trim().split('/')[0] ?? '') !== 0),
        'must be false or the proxies’ addresses/CIDRs, e.g. 10.0.0.0/8,127.0.0.1',
      )
      .default('false')
      .transform((v): false | string[] => (v === 'false' ? false : v.split(',').map((s) => s.trim()))),
    COOKIE_SECURE: bool.optional(),
    SESSION_IDLE_MINUTES: positiveInt.default(30),
    SESSION_ABSOLUTE_HOURS: positiveInt.default(8),
    // The back office's sessions are never longer than the bar allows (S3: idle ≤ 15 min; S1: 8 h at most).
    STAFF_SESSION_IDLE_MINUTES: positiveInt.max(15).default(15),
    STAFF_SESSION_ABSOLUTE_HOURS: positiveInt.max(8).default(8),
    TEMP_PASSWORD_DAYS: positiveInt.default(120),
    // Rendered pages kept in each process's memory under a key that names what they show
    // (Mon compte: the customer's account version; decision 016); 0 keeps none.
    PAGE_CACHE_MB: z.coerce.number().int().min(0).max(4096).default(16),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt.max(10).default(5),
    LOGIN_MAX_FAILURES_PER_IP: positiveInt.default(20),
    LOGIN_WINDOW_MINUTES: positiveInt.default(15),
    LOGIN_LOCK_MAX_MINUTES: positiveInt.default(15),
    // The operator's settings (OPERATOR_*, LATE_PAYMENT_PENALTY, STAFF_NOTIFICATION_EMAIL,
    // SEPA_CREDITOR_*) are the first start's only: `seedOperatorSettings` stores them, then an
    // admin keeps them at /gestion/parametres and the code reads `operatorSettings` (features/settings).
    OPERATOR_NAME: z.string().min(1).default('Parkings Démo'),
    OPERATOR_LEGAL_FORM: z.string().default('SAS au capital de 100 000 €'),
    OPERATOR_ADDRESS: z.string().default('10 rue de l’Exemple, 75001 Paris'),
    OPERATOR_SIREN: z.string().regex(/^\d{9}$/, 'must be 9 digits').default('123456782'),
    OPERATOR_RCS: z.string().default('RCS Paris 123 456 782'),
    OPERATOR_VAT_NUMBER: z.string().default('FR11123456782'),
    OPERATOR_PHONE: z.string().default('01 00 00 00 00'),
    OPERATOR_EMAIL: z.email().default('service.client@parkings-demo.example'),
    OPERATOR_WEBSITE: z.url().default('https://www.parkings-demo.example'),
    LATE_PAYMENT_PENALTY: z.string().default('trois fois le taux d’intérêt légal'),
    MAIL_FROM: z.string().min(3).default('Parkings Démo <no-reply@parkings-demo.example>'),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/.+/, 'must be smtp://… or smtps://…')
      .optional(),
    MAIL_WORKER: z.enum(['in-process', 'off']).default('in-process'),
    /** Days a sent or given-up e-mail stays in the outbox (its bodies are emptied at once). */
    OUTBOX_RETENTION_DAYS: positiveInt.default(90),
    INTEGRATION_EVENTS_RETENTION_DAYS: positiveInt.default(90),
    STAFF_NOTIFICATION_EMAIL: z.email().default('service.client@parkings-demo.example'),
    PAYMENT_PROVIDER: z.enum(['sandbox', 'stripe']).default('sandbox'),
    PAYMENT_ATTEMPT_MINUTES: positiveInt.default(30),
    STRIPE_SECRET_KEY: z.string().startsWith('sk_').optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
    /** Only to point the SDK at a local server that answers as Stripe does (tests). */
    STRIPE_API_URL: z.url().optional(),
    SEPA_CREDITOR_NAME: z.string().min(1).default('Parkings Démo'),
    SEPA_CREDITOR_ADDRESS: z.string().min(1).default('10 rue de l’Exemple, 75001 Paris'),
    SEPA_CREDITOR_ID: z
      .string()
      .regex(/^[A-Z]{2}\d{2}[A-Z0-9]{3}[A-Z0-9]{1,28}$/, 'must be a SEPA creditor identifier (ICS), e.g. FR12ZZZ123456')
      .default('FR72ZZZ123456'),
    /** 32 bytes, base64: encrypts IBANs at rest (AES-256-GCM). Required in production. */
    MANDATE_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)')
      .optional(),
    // Prometheus metrics (`features/ops/`): on a port of their own (unset: none), and/or at
    // /metrics on PORT for a scraper presenting `Authorization: Bearer <METRICS_TOKEN>` (unset: 404).
    METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    /**
     * On SIGTERM, how long `/readyz` answers 503 while every request is still served, before the
     * server stops taking new ones: the load balancer's time to notice (its probe interval times
     * its failure threshold). 0: stop at once (a single process, or SIGINT at a terminal).
     */
    SHUTDOWN_DRAIN_SECONDS: z.coerce.number().int().min(0).max(300).default(0),
    METRICS_TOKEN: z.string().regex(/^[\x21-\x7e]{32,}$/, 'must be 32 or more printable characters, no space (openssl rand -hex 32)').optional(),
  })
  .superRefine((c, ctx) => {
    if (c.STORAGE_URL) {
      const target = bucketOf(c.STORAGE_URL);
      if (typeof target === 'string') ctx.addIssue({ code: 'custom', path: ['STORAGE_URL'], message: target });
    }
    if (!c.AWS_ACCESS_KEY_ID !== !c.AWS_SECRET_ACCESS_KEY) {
      ctx.addIssue({ code: 'custom', path: [c.AWS_ACCESS_KEY_ID ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'], message: 'is required with the other key (or set neither)' });
    }
    if (c.NODE_ENV === 'production' && !c.MANDATE_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['MANDATE_ENCRYPTION_KEY'], message: 'is required in production (openssl rand -base64 32)' });
    }
    if (c.PAYMENT_PROVIDER === 'stripe' && (!c.STRIPE_SECRET_KEY || !c.STRIPE_WEBHOOK_SECRET)) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_SECRET_KEY'], message: 'and STRIPE_WEBHOOK_SECRET are required with PAYMENT_PROVIDER=stripe' });
    }
    // The sandbox lets anyone "pay" without money: never in production.
    if (c.NODE_ENV === 'production' && c.PAYMENT_PROVIDER === 'sandbox') {
      ctx.addIssue({ code: 'custom', path: ['PAYMENT_PROVIDER'], message: 'sandbox is a test provider and is refused in production: set stripe' });
    }
    // Served over https but not declared production: the development IBAN key must not slip through.
    if (c.NODE_ENV === 'development' && c.PUBLIC_URL?.startsWith('https:') && !c.MANDATE_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['MANDATE_ENCRYPTION_KEY'], message: 'is required when PUBLIC_URL is https (openssl rand -base64 32); or set NODE_ENV' });
    }
  })
  .superRefine((c, ctx) => {
    if (c.METRICS_PORT !== undefined && c.METRICS_PORT === c.PORT) ctx.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'must differ from PORT' });
  })
  .transform((c) => ({
    ...c,
    PUBLIC_URL: publicUrlOf(c),
    // Development and tests only: a fixed key, so the demo runs with no configuration.
    mandateKey: Buffer.from(c.MANDATE_ENCRYPTION_KEY ?? 'ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhISE=', 'base64'),
    databaseUrl: c.DATABASE_URL ?? `sqlite:${c.DATA_DIR}/portal.sqlite`,
    cookieSecure: c.COOKIE_SECURE ?? (c.NODE_ENV === 'production' || publicUrlOf(c).startsWith('https:')),
    storage: storageOf(c),
  }));

export type Config = z.output<typeof configSchema>;

/**
 * The deployment is wrong (an environment variable, a content file): the process stops at
 * start with this message for the operator. Not an HTTP error: those are `AppError`.
 */
export class ConfigError extends Error {}

/** Parses an environment; throws ConfigError naming every invalid variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "not set", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** A configuration for tests: defaults plus overrides, never the process environment. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides });
}
