import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';
import { buildApp } from '../../src/app.tsx';
import { type Config, testConfig } from '../../src/config.ts';
import { type Db, openDatabase } from '../../src/db/database.ts';
import { manualClock } from '../../src/lib/clock.ts';
import { type CustomerOverrides, activeSubscriber } from './factories.ts';
import { outboxProblems, watchAnswers } from './wording.ts';

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

/** The instant every test starts at: its clock is set back to it before each test. */
export const TEST_START = new Date('2026-11-27T10:00:00.000Z');

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  clock: ReturnType<typeof manualClock>;
  /**
   * What was wrong with the words of the pages answered and the e-mails queued since the last
   * call (`tests/support/wording.ts`): an unfilled `{placeholder}`, French spacing in English.
   * `useTestApp` expects none after every test, `close` after the last.
   */
  wordingProblems(): Promise<string[]>;
  close(): Promise<void>;
}

type Overrides = Record<string, string>;

/**
 * An app of its own on a fresh database, for a test that needs one unlike its block's (another
 * configuration, a broken database); a `describe` block gets its app with `useTestApp`.
 */
export async function createTestApp(kind: DbKind, overrides: Overrides = {}, existing?: Db): Promise<TestApp> {
  const db = existing ?? (await freshDatabase(kind)).db;
  // Files the app writes (documents, mail, attachments, the sandbox's secret…) go to a temporary
  // folder, never into the working copy; or to the bucket STORAGE_URL names.
  const config = testConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-data-')), ...overrides });
  const clock = manualClock(TEST_START);
  const app = await buildApp({ config, db, clock });
  const answers: string[] = [];
  const mailsSeen = new Set<string>();
  watchAnswers(app, answers);
  await app.ready();
  const wordingProblems = async () => [...answers.splice(0), ...(await outboxProblems(db, mailsSeen))];
  return {
    app,
    db,
    config,
    clock,
    wordingProblems,
    close: async () => {
      const problems = await wordingProblems().catch(() => answers.splice(0));
      await app.close();
      await db.destroy();
      expect(problems, 'the words of the pages and e-mails').toEqual([]);
    },
  };
}

/**
 * The test app of a `describe` block, the one way a block gets one: it is built before the
 * block's first test (building an app costs more than most tests) and closed after its last,
 * and its clock is set back to TEST_START before every test, so a test that moves time moves
 * it for itself alone. Tests share the app and its database, not their data: each makes its
 * own customers (`factories.ts`) and browses from its own IP, so none depends on another
 * having run, or not, before it (`npx vitest run --sequence.shuffle` shows it). After each
 * test, no page it was answered nor e-mail it queued may show an unfilled `{placeholder}`
 * or, in English, French spacing (`wordingProblems`).
 * `overrides` may be a function when the configuration needs what an earlier hook made.
 */
export function useTestApp(kind: DbKind, overrides: Overrides | (() => Overrides) = {}): TestApp {
  let t: TestApp | undefined;
  beforeAll(async () => {
    t = await createTestApp(kind, typeof overrides === 'function' ? overrides() : overrides);
  });
  beforeEach(() => {
    t?.clock.set(TEST_START);
  });
  afterEach(async () => {
    if (t) expect(await t.wordingProblems(), 'the words of the pages and e-mails of this test').toEqual([]);
  });
  afterAll(async () => {
    await t?.close();
    t = undefined;
  });
  return lateBound('the test app', () => t);
}

/**
 * Stands for the object `current()` returns when a test or hook uses it: what a `describe`
 * block declares at collection time, its hooks make later.
 */
export function lateBound<T extends object>(what: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_, key) {
      const target = current();
      if (!target) throw new Error(`${what} exists only while its describe block runs`);
      return Reflect.get(target, key);
    },
  });
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

/**
 * A page without its CSRF tokens' values, for assertions that search its text for words
 * ("no SQL in an error page"): a random token may spell anything.
 */
export const withoutCsrfTokens = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"');

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
