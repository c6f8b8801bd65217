import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('starts with no configuration at all', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.databaseUrl).toBe('sqlite:data/portal.sqlite');
    expect(c.TEMP_PASSWORD_DAYS).toBe(120);
    expect(c.cookieSecure).toBe(false);
  });

  it('names the invalid variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ TEMP_PASSWORD_DAYS: '-3' })).toThrow(/TEMP_PASSWORD_DAYS/);
  });

  it('uses secure cookies in production or behind https', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).cookieSecure).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'https://portal.example' }).cookieSecure).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'https://portal.example', COOKIE_SECURE: 'false' }).cookieSecure).toBe(false);
  });

  it('never trusts every proxy: named addresses only', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: '1' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
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
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.split('=')[0])
      .sort();
    const keys = Object.keys(configSchema.in.shape).sort();
    expect(documented).toEqual(keys);
    // and its values are valid
    const { loadConfig } = await import('./config.ts');
    const env = Object.fromEntries(
      readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(() => loadConfig(env)).not.toThrow();
  });
});
