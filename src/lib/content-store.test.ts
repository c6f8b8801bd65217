import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken, databaseKinds, loggedInCustomer, useTestApp } from '../../tests/support/app.ts';
import { insertDocument } from '../../tests/support/documents.ts';
import { createCarPark, createContract } from '../../tests/support/factories.ts';
import { file, multipartBody } from '../../tests/support/multipart.ts';
import { type S3Server, startS3Server } from '../../tests/support/s3.ts';
import { zipEntries, zipEntry } from '../../tests/support/zip.ts';
import { type Config, ConfigError, testConfig } from '../config.ts';
import { publishDocumentPdf } from '../features/documents/documents.service.ts';
import { type ContentKind, assertStorageReachable, contentStore } from './content-store.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const BAD_DIGESTS = ['../../etc/passwd', 'A'.repeat(64), `${'a'.repeat(63)}/`, 'a'.repeat(65), ''];

/**
 * The contract every content store keeps, the local folders and an S3 bucket alike (a real
 * S3-compatible server, `tests/support/s3.ts`): what `contentStore(config, kind)` gives back is
 * the same whichever STORAGE_URL says.
 */
describe.each(['local', 's3'] as const)('a content store (%s)', (where) => {
  let s3: S3Server | undefined;
  let config: Config;
  /** Where the store keeps what it was given: `<kind>/<2 hex>/<sha256>.pdf` under DATA_DIR, or under the bucket's prefix. */
  let stored: () => Promise<string[]>;
  const requests = () => s3?.requests.length ?? 0;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portal-store-'));
    if (where === 's3') {
      s3 = await startS3Server();
      config = testConfig({ DATA_DIR: dataDir, ...s3.settings('operator/files') });
      stored = async () => (await s3!.keys()).map((k) => k.replace(/^operator\/files\//, ''));
    } else {
      config = testConfig({ DATA_DIR: dataDir });
      const files = (kind: string) =>
        existsSync(join(dataDir, kind))
          ? readdirSync(join(dataDir, kind), { recursive: true, withFileTypes: true })
              .filter((e) => e.isFile())
              .map((e) => relative(dataDir, join(e.parentPath, e.name)))
          : [];
      stored = async () => ['documents', 'attachments', 'assets', 'exports'].flatMap(files).sort();
    }
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('returns the SHA-256 of what it stores, and gives back the same bytes', async () => {
    const store = contentStore(config, 'documents');
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7 une facture '), randomBytes(200_000)]);
    const sha = await store.put(bytes);
    expect(sha).toBe(sha256(bytes));
    const back = await store.get(sha);
    expect(back).toBeInstanceOf(Buffer);
    expect(back!.equals(bytes)).toBe(true);
    expect(await stored()).toContain(`documents/${sha.slice(0, 2)}/${sha}.pdf`);
  });

  it('has nothing under a digest never stored', async () => {
    expect(await contentStore(config, 'documents').get(sha256(randomBytes(32)))).toBeNull();
    expect(await contentStore(config, 'documents').stream(sha256(randomBytes(32)))).toBeNull();
  });

  it('gives back the same bytes as a stream, read as they are consumed', async () => {
    const store = contentStore(config, 'documents');
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7 un avoir '), randomBytes(300_000)]);
    const sha = await store.put(bytes);
    const chunks: Buffer[] = [];
    for await (const chunk of (await store.stream(sha))!) chunks.push(chunk as Buffer);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('takes the same bytes twice harmlessly: one file, the same digest, the same bytes', async () => {
    const store = contentStore(config, 'documents');
    const bytes = randomBytes(1000);
    const sha = await store.put(bytes);
    expect(await store.put(Buffer.from(bytes))).toBe(sha);
    expect((await store.get(sha))!.equals(bytes)).toBe(true);
    expect((await stored()).filter((f) => f.includes(sha))).toEqual([`documents/${sha.slice(0, 2)}/${sha}.pdf`]);
  });

  it('refuses anything but a SHA-256 before any request', async () => {
    const store = contentStore(config, 'documents');
    const before = requests();
    for (const bad of BAD_DIGESTS) await expect(store.get(bad), bad).rejects.toThrow(/SHA-256/);
    expect(requests()).toBe(before);
  });

  it('keeps each kind in its own place', async () => {
    const bytes = randomBytes(500);
    const sha = await contentStore(config, 'attachments').put(bytes);
    expect(await contentStore(config, 'documents').get(sha)).toBeNull();
    expect(await contentStore(config, 'assets').get(sha)).toBeNull();
    expect((await contentStore(config, 'attachments').get(sha))!.equals(bytes)).toBe(true);
    for (const kind of ['documents', 'attachments', 'assets'] satisfies ContentKind[]) expect(contentStore(config, kind)).toBe(contentStore(config, kind));
    expect((await stored()).filter((f) => f.includes(sha))).toEqual([`attachments/${sha.slice(0, 2)}/${sha}.pdf`]);
  });

  it('lists the digest of every file of its kind, and only of its kind (what a backup copies)', async () => {
    const list = async (kind: ContentKind) => {
      const all: string[] = [];
      for await (const sha of contentStore(config, kind).list()) all.push(sha);
      return all;
    };
    const a = await contentStore(config, 'assets').put(randomBytes(300));
    const b = await contentStore(config, 'assets').put(randomBytes(300));
    const other = await contentStore(config, 'exports').put(randomBytes(300));
    expect((await list('assets')).sort()).toEqual([a, b].sort());
    expect(await list('exports')).toContain(other);
    expect(await list('exports')).not.toContain(a);
    await contentStore(config, 'assets').delete(a);
    expect(await list('assets')).toEqual([b]);
  });

  it('stores a stream as it comes (an archive being built), gives it back as a stream, and deletes it', async () => {
    const store = contentStore(config, 'exports');
    const parts = Array.from({ length: 40 }, () => randomBytes(64 * 1024));
    const whole = Buffer.concat(parts);
    const { sha256: sha, bytes } = await store.putStream(Readable.from(parts));
    expect(sha).toBe(sha256(whole));
    expect(bytes).toBe(whole.length);
    expect(await stored()).toContain(`exports/${sha.slice(0, 2)}/${sha}.pdf`);
    const back = await store.stream(sha);
    expect(back).not.toBeNull();
    const chunks: Buffer[] = [];
    for await (const c of back!) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks).equals(whole)).toBe(true);
    await store.delete(sha);
    expect(await store.stream(sha)).toBeNull();
    expect(await store.get(sha)).toBeNull();
    expect((await stored()).filter((f) => f.includes(sha))).toEqual([]);
    // Deleting what is not there is no error.
    await store.delete(sha);
  });
});

describe('an S3 content store', () => {
  let s3: S3Server;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3.close();
  });

  it('sends the digests of what it stores, so that a body damaged on its way is refused and nothing is stored', async () => {
    const store = contentStore(testConfig(s3.settings('damaged')), 'documents');
    const bytes = randomBytes(5000);
    s3.damage(true);
    try {
      await expect(store.put(bytes)).rejects.toMatchObject({ name: 'BadDigest' });
    } finally {
      s3.damage(false);
    }
    expect(await store.get(sha256(bytes))).toBeNull();
    expect((await s3.keys()).filter((k) => k.startsWith('damaged/'))).toEqual([]);
    // Undamaged, the same bytes go through.
    expect(await store.put(bytes)).toBe(sha256(bytes));
  });

  it('throws, rather than answer “nothing there”, when the bucket itself is missing', async () => {
    const store = contentStore(testConfig({ ...s3.settings(), STORAGE_URL: 's3://no-such-bucket' }), 'documents');
    await expect(store.get(sha256(Buffer.from('x')))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(store.put(Buffer.from('x'))).rejects.toThrow();
  });

  it('checks at start that the bucket answers, and says clearly why not', async () => {
    await expect(assertStorageReachable(testConfig(s3.settings('x')))).resolves.toBeUndefined();
    await expect(assertStorageReachable(testConfig()).then(() => 'local: nothing to check')).resolves.toBe('local: nothing to check');
    const missing = assertStorageReachable(testConfig({ ...s3.settings(), STORAGE_URL: 's3://no-such-bucket/docs' }));
    await expect(missing).rejects.toThrow(ConfigError);
    await expect(missing).rejects.toThrow(`STORAGE_URL s3://no-such-bucket/docs at ${s3.endpoint}: there is no bucket “no-such-bucket”.`);
    // (s3rver checks the key's id, not a v4 signature: an unknown key stands for wrong keys.)
    const wrongKeys = assertStorageReachable(testConfig({ ...s3.settings(), AWS_ACCESS_KEY_ID: 'NOT-A-KEY' }));
    await expect(wrongKeys).rejects.toThrow(/access to the bucket “portal-test” is refused: check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\.$/);
    // Nothing listens there.
    const nowhere = assertStorageReachable(testConfig({ ...s3.settings(), AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }));
    await expect(nowhere).rejects.toThrow(/^STORAGE_URL s3:\/\/portal-test at http:\/\/127\.0\.0\.1:9: the bucket “portal-test” cannot be reached \(.+\)\.$/);
  });
});

describe('the start with STORAGE_URL', () => {
  let s3: S3Server;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3.close();
  });

  it('stops serve and worker at once, with the reason, when the bucket cannot be reached', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-s3-start-'));
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: dir, LOG_LEVEL: 'silent', PORT: '0', ...s3.settings(), STORAGE_URL: 's3://no-such-bucket/portal' };
    const portal = (command: string) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main.ts', command], { env, timeout: 60_000 }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
    for (const r of await Promise.all([portal('serve'), portal('worker')])) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`STORAGE_URL s3://no-such-bucket/portal at ${s3.endpoint}: there is no bucket “no-such-bucket”.`);
    }
  }, 60_000);
});

describe.each(databaseKinds())('the portal with its files in a bucket (%s)', (kind) => {
  let s3: S3Server;
  // Started before the app and closed after it (after-hooks run in reverse).
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3.close();
  });
  const t = useTestApp(kind, () => s3.settings('portal'));

  it('publishes a document’s PDF into the bucket and serves it to its customer byte for byte', async () => {
    const { b, customer } = await loggedInCustomer(t, '10.12.0.1', { paperless: 1 });
    const contract = await createContract(t.db, t.clock, customer.id, (await createCarPark(t.db, t.clock)).id);
    const doc = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: '26FVS3001', issueDate: '2026-11-01', htCents: 21667 });
    const { sha256: sha } = await publishDocumentPdf(t.db, t.app.storage, t.clock, t.config, doc.id);
    expect(await s3.keys()).toContain(`portal/documents/${sha.slice(0, 2)}/${sha}.pdf`);
    expect(existsSync(join(t.config.DATA_DIR, 'documents'))).toBe(false);

    const res = await b.get('/mon-compte/documents/26FVS3001.pdf');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(sha256(res.rawPayload)).toBe(sha);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    // The ZIP of every document streams it from the bucket: the same bytes.
    const zip = (await b.get('/mon-compte/documents.zip')).rawPayload;
    expect(zipEntries(zip)).toEqual(['2026/Facture 26FVS3001.pdf']);
    expect(sha256(zipEntry(zip, '2026/Facture 26FVS3001.pdf'))).toBe(sha);
  });

  it('keeps a contact request’s attachment in the bucket and gives it back to its sender', async () => {
    const { b, customer } = await loggedInCustomer(t, '10.12.0.2');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3000), Buffer.from('\n%%EOF\n')]);
    const { payload, contentType } = multipartBody([
      { name: '_csrf', value: csrfToken((await b.get('/contact')).body) },
      { name: 'category', value: 'other' },
      { name: 'message', value: 'Ma carte grise' },
      file('carte grise.pdf', pdf),
    ]);
    const sent = await t.app.inject({
      method: 'POST',
      url: '/contact',
      remoteAddress: '10.12.0.2',
      payload,
      headers: { 'content-type': contentType, cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(sent.statusCode).toBe(303);
    const attachment = await t.db
      .selectFrom('contact_attachments as a')
      .innerJoin('contact_requests as r', 'r.id', 'a.request_id')
      .select(['a.id', 'a.sha256', 'r.reference'])
      .where('r.customer_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(attachment.sha256).toBe(sha256(pdf));
    expect(await s3.keys()).toContain(`portal/attachments/${attachment.sha256.slice(0, 2)}/${attachment.sha256}.pdf`);
    expect(existsSync(join(t.config.DATA_DIR, 'attachments'))).toBe(false);

    const res = await b.get(`/contact/demandes/${attachment.reference}/pieces/${attachment.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(pdf)).toBe(true);
  });
});
