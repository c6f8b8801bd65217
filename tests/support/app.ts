import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { expect, inject } from 'vitest';
import { buildApp } from '../../src/app.tsx';
import { type Config, testConfig } from '../../src/config.ts';
import { type Db, openDatabase } from '../../src/db/database.ts';
import { manualClock } from '../../src/lib/clock.ts';
import { localContentStore } from '../../src/lib/content-store.ts';
import { type CustomerOverrides, activeSubscriber } from './factories.ts';

export type DbKind = 'sqlite' | 'postgres';

/** The databases every integration test runs on: SQLite always, PostgreSQL when available. */
export function databaseKinds(): DbKind[] {
  return inject('postgresTemplate') ? ['sqlite', 'postgres'] : ['sqlite'];
}

let counter = 0;

/** A fresh, migrated database of this kind, cloned from the run's template. */
export async function freshDatabase(kind: DbKind): Promise<{ db: Db; url: string }> {
  if (kind === 'sqlite') {
    const file = join(mkdtempSync(join(tmpdir(), 'portal-db-')), 'test.sqlite');
    copyFileSync(inject('sqliteTemplate'), file);
    const url = `sqlite:${file}`;
    return { db: openDatabase(url), url };
  }
  const adminUrl = inject('postgresAdminUrl')!;
  const template = inject('postgresTemplate')!;
  const name = `portal_t_${template.slice('portal_tpl_'.length)}_${process.pid}_${counter++}_${Date.now() % 100000}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database "${name}" template ${template}`);
        break;
      } catch (e) {
        // Two clones at the same instant can collide on the template's lock: try again.
        if (attempt > 10) throw e;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { db: openDatabase(url.toString()), url: url.toString() };
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  clock: ReturnType<typeof manualClock>;
  close(): Promise<void>;
}

export async function createTestApp(
  kind: DbKind,
  overrides: Record<string, string> = {},
  existing?: Db,
): Promise<TestApp> {
  const db = existing ?? (await freshDatabase(kind)).db;
  const config = testConfig(overrides);
  const clock = manualClock(new Date('2026-11-27T10:00:00.000Z'));
  const storage = localContentStore(mkdtempSync(join(tmpdir(), 'portal-docs-')));
  const app = await buildApp({ config, db, clock, storage });
  await app.ready();
  return {
    app,
    db,
    config,
    clock,
    close: async () => {
      await app.close();
      await db.destroy();
    },
  };
}

/** A cookie jar and a form poster for driving the HTML pages through app.inject(). */
export class Browser {
  cookies = new Map<string, string>();
  constructor(
    private app: FastifyInstance,
    private ip = '203.0.113.10',
  ) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async get(url: string, headers: Record<string, string> = {}) {
    const res = await this.app.inject({ method: 'GET', url, remoteAddress: this.ip, headers: { cookie: this.cookieHeader(), ...headers } });
    this.remember(res);
    return res;
  }

  /** Loads `formPage`, takes its CSRF token, and posts `fields` to `action`. */
  async submit(formPage: string, action: string, fields: Record<string, string>) {
    const page = await this.get(formPage);
    const token = csrfToken(page.body);
    return this.post(action, { _csrf: token, ...fields });
  }

  async post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const res = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.ip,
      payload: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader(), ...headers },
    });
    this.remember(res);
    return res;
  }
}

export function csrfToken(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF token in page');
  return m[1];
}

/** A browser from `ip` that logged in with these credentials (the login must succeed). */
export async function loggedInBrowser(app: FastifyInstance, ip: string, identifier: string, password: string): Promise<Browser> {
  const b = new Browser(app, ip);
  expect((await b.submit('/connexion', '/connexion', { identifiant: identifier, password })).statusCode).toBe(303);
  return b;
}

/** An active customer (`activeSubscriber`), logged in from `ip`. */
export async function loggedInCustomer(t: TestApp, ip: string, over: CustomerOverrides = {}, password?: string) {
  const { customer, password: pw } = await activeSubscriber(t.db, t.clock, password, over);
  const b = await loggedInBrowser(t.app, ip, customer.number, pw);
  return { b, customer, password: pw };
}
