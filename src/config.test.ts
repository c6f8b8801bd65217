import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const production = {
  NODE_ENV: 'production',
  MANDATE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  PAYMENT_PROVIDER: 'stripe',
  STRIPE_SECRET_KEY: 'sk_live_x',
  STRIPE_WEBHOOK_SECRET: 'whsec_x',
};

describe('configuration', () => {
  it('demands real secrets in production, and Stripe keys with Stripe', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MANDATE_ENCRYPTION_KEY/);
    expect(() => loadConfig({ ...production, PAYMENT_PROVIDER: 'sandbox' })).toThrow(/PAYMENT_PROVIDER/);
    expect(() => loadConfig({ PUBLIC_URL: 'https://portal.example' })).toThrow(/MANDATE_ENCRYPTION_KEY/);
    expect(loadConfig({ PUBLIC_URL: 'https://portal.example/' , NODE_ENV: 'test' }).PUBLIC_URL).toBe('https://portal.example');
    expect(() => loadConfig({ PAYMENT_PROVIDER: 'stripe' })).toThrow(/STRIPE_SECRET_KEY/);
    expect(() => loadConfig({ MANDATE_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(/MANDATE_ENCRYPTION_KEY/);
    expect(loadConfig({}).mandateKey).toHaveLength(32);
  });

  it('starts with no configuration at all', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.databaseUrl).toBe('sqlite:data/portal.sqlite');
    expect(c.TEMP_PASSWORD_DAYS).toBe(120);
    expect(c.cookieSecure).toBe(false);
  });

  it('builds links to where it listens when PUBLIC_URL is not set', () => {
    expect(loadConfig({}).PUBLIC_URL).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '4300' }).PUBLIC_URL).toBe('http://localhost:4300');
    for (const HOST of ['127.0.0.1', 'localhost', '0.0.0.0', '::']) expect(loadConfig({ HOST, PORT: '4300' }).PUBLIC_URL, HOST).toBe('http://localhost:4300');
    expect(loadConfig({ HOST: '192.168.1.20', PORT: '4300' }).PUBLIC_URL).toBe('http://192.168.1.20:4300');
    expect(loadConfig({ HOST: 'portal.lan', PORT: '8080' }).PUBLIC_URL).toBe('http://portal.lan:8080');
    expect(loadConfig({ HOST: 'fd00::20', PORT: '4300' }).PUBLIC_URL).toBe('http://[fd00::20]:4300');
    // Set, it wins over both; empty means not set.
    expect(loadConfig({ PORT: '4300', PUBLIC_URL: 'http://parking.example:8000/' }).PUBLIC_URL).toBe('http://parking.example:8000');
    expect(loadConfig({ PORT: '4300', PUBLIC_URL: '' }).PUBLIC_URL).toBe('http://localhost:4300');
    expect(loadConfig({ PORT: '4300' }).cookieSecure).toBe(false);
  });

  it('takes the metrics’ port and token only when sound', () => {
    expect(loadConfig({}).METRICS_PORT).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_TOKEN: 'a'.repeat(32) })).toMatchObject({ METRICS_PORT: 9464, METRICS_TOKEN: 'a'.repeat(32) });
    expect(() => loadConfig({ METRICS_PORT: '3000' })).toThrow(/METRICS_PORT: must differ from PORT/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ METRICS_TOKEN: `${'a'.repeat(32)} b` })).toThrow(/METRICS_TOKEN/);
  });

  it('names the invalid variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ TEMP_PASSWORD_DAYS: '-3' })).toThrow(/TEMP_PASSWORD_DAYS/);
    // The back office's sessions stay within the bar: idle 15 minutes (S3), 8 hours in all (S1).
    expect(() => loadConfig({ STAFF_SESSION_IDLE_MINUTES: '16' })).toThrow(/STAFF_SESSION_IDLE_MINUTES/);
    expect(() => loadConfig({ STAFF_SESSION_ABSOLUTE_HOURS: '9' })).toThrow(/STAFF_SESSION_ABSOLUTE_HOURS/);
  });

  it('uses secure cookies in production or behind https', () => {
    expect(loadConfig({ ...production }).cookieSecure).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'https://portal.example', NODE_ENV: 'test' }).cookieSecure).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'https://portal.example', NODE_ENV: 'test', COOKIE_SECURE: 'false' }).cookieSecure).toBe(false);
  });

  it('never trusts every proxy: named addresses only', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: '1' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });

  it('keeps files under DATA_DIR, or in the bucket STORAGE_URL names, and says what is wrong with one', () => {
    expect(loadConfig({ DATA_DIR: '/srv/portal' }).storage).toEqual({ kind: 'local', dir: '/srv/portal' });
    expect(loadConfig({ STORAGE_URL: 's3://portal-files' }).storage).toEqual({
      kind: 's3',
      url: 's3://portal-files',
      bucket: 'portal-files',
      prefix: '',
      endpoint: undefined,
      region: 'us-east-1',
      forcePathStyle: false,
      credentials: undefined,
    });
    const minio = { STORAGE_URL: 's3://portal.files/prod/', AWS_ENDPOINT_URL: 'https://s3.gra.io.cloud.ovh.net', AWS_REGION: 'gra', AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret' };
    expect(loadConfig(minio).storage).toMatchObject({ bucket: 'portal.files', prefix: 'prod/', region: 'gra', forcePathStyle: true, credentials: { accessKeyId: 'id', secretAccessKey: 'secret' } });
    expect(loadConfig({ ...minio, S3_FORCE_PATH_STYLE: 'false' }).storage).toMatchObject({ forcePathStyle: false });
    expect(loadConfig({ STORAGE_URL: 's3://bk1/a//b' }).storage).toMatchObject({ bucket: 'bk1', prefix: 'a/b/' });
    const refused: Array<[Record<string, string>, string]> = [
      [{ STORAGE_URL: 'https://bucket.s3.amazonaws.com' }, 'STORAGE_URL: must be s3://<bucket> or s3://<bucket>/<prefix> (unset: folders under DATA_DIR)'],
      [{ STORAGE_URL: 's3://' }, 'STORAGE_URL: names no bucket: write s3://<bucket> or s3://<bucket>/<prefix>'],
      [{ STORAGE_URL: 's3:///documents' }, 'STORAGE_URL: names no bucket'],
      [{ STORAGE_URL: 's3://My_Bucket/x' }, 'STORAGE_URL: “My_Bucket” is not a bucket name (3 to 63 lowercase letters, digits, dots and hyphens)'],
      [{ STORAGE_URL: 's3://bucket/../x' }, 'STORAGE_URL: its prefix may hold only'],
      [{ STORAGE_URL: 's3://bucket/a b' }, 'STORAGE_URL: its prefix may hold only'],
      [{ AWS_ENDPOINT_URL: 'minio:9000' }, 'AWS_ENDPOINT_URL'],
      [{ AWS_REGION: 'EU West' }, 'AWS_REGION: must be a region name'],
      [{ AWS_ACCESS_KEY_ID: 'id' }, 'AWS_SECRET_ACCESS_KEY: is required with the other key (or set neither)'],
      [{ AWS_SECRET_ACCESS_KEY: 'secret' }, 'AWS_ACCESS_KEY_ID: is required with the other key (or set neither)'],
      [{ S3_FORCE_PATH_STYLE: 'maybe' }, 'S3_FORCE_PATH_STYLE'],
    ];
    for (const [env, message] of refused) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(message);
    }
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });
});

describe('.env.example', () => {
  it('documents every variable of the schema, and nothing else', async () => {
    const { readFileSync } = await import('node:fs');
    const { configSchema } = await import('./config.ts');
    const documented = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
      .map((l) => l.split('=')[0])
      .sort();
    const keys = Object.keys(configSchema.in.shape).sort();
    expect(documented).toEqual(keys);
    // and its values are valid
    const { loadConfig } = await import('./config.ts');
    const env = Object.fromEntries(
      readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(() => loadConfig(env)).not.toThrow();
  });
});
