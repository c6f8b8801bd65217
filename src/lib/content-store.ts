import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { type Config, ConfigError, type StorageTarget } from '../config.ts';

/*
 * Content-addressed storage of files (issued documents, signed mandates, attachments, the
 * operator's logo): a file is named by the SHA-256 of its bytes, so a stored file can never
 * change under its name, and storing the same bytes twice is a no-op. Each kind of file has
 * its place — a folder under DATA_DIR, or the same prefix in an S3-compatible bucket when
 * STORAGE_URL names one — and `contentStore(config, kind)` is the one way to reach it.
 */
export interface ContentStore {
  /** Stores the bytes and returns their SHA-256 (64 lowercase hex digits). */
  put(bytes: Buffer): Promise<string>;
  /** The bytes stored under this SHA-256, or null when there are none. Not verified: see readDocumentPdf. */
  get(sha256: string): Promise<Buffer | null>;
  /**
   * The same bytes as a stream, read as they are sent on (the ZIP of a customer's documents never
   * holds them all), or null when there are none. Not verified: see documentPdfStream.
   */
  stream(sha256: string): Promise<Readable | null>;
  /**
   * Stores what the stream gives without holding it in memory (an archive built as it is
   * written): through a temporary file, hashed on the way. Returns its SHA-256 and size.
   */
  putStream(source: Readable): Promise<{ sha256: string; bytes: number }>;
  /** Deletes the file stored under this SHA-256 (nothing when there is none): for kinds whose files expire. */
  delete(sha256: string): Promise<void>;
  /**
   * The SHA-256 of every file stored, by their names (what a backup copies and `verify` checks
   * against the database): in no particular order, temporary files left out.
   */
  list(): AsyncIterable<string>;
}

/**
 * A pass-through that hashes what flows through it: its SHA-256 (and MD5, what a bucket checks)
 * and size, read from `digests()` once the stream has ended. The one way a stream is hashed on
 * its way (a file stored from a stream, a backup's copies and checks).
 */
export class Digesting extends Transform {
  readonly #sha256 = createHash('sha256');
  readonly #md5 = createHash('md5');
  #bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void): void {
    this.#sha256.update(chunk);
    this.#md5.update(chunk);
    this.#bytes += chunk.length;
    done(null, chunk);
  }

  /** What went through, once it has all gone through. */
  digests(): { sha256: string; md5: string; bytes: number } {
    return { sha256: this.#sha256.digest('hex'), md5: this.#md5.digest('base64'), bytes: this.#bytes };
  }
}

/** Copies `source` into `out` (both ended), hashing it on the way: its SHA-256, MD5 and size. */
export async function copyDigesting(source: NodeJS.ReadableStream, out: NodeJS.WritableStream): Promise<{ sha256: string; md5: string; bytes: number }> {
  const tap = new Digesting();
  await pipeline(source, tap, out);
  return tap.digests();
}

/** The SHA-256 and size of what `source` gives, read to its end and not kept. */
export async function streamDigest(source: NodeJS.ReadableStream): Promise<{ sha256: string; bytes: number }> {
  const { sha256, bytes } = await copyDigesting(source, new Writable({ write: (_chunk, _encoding, done) => done() }));
  return { sha256, bytes };
}

/** Writes `source` to a new file `file` (mode 0640, synced), with its SHA-256, MD5 and size. */
async function spool(source: Readable, file: string): Promise<{ sha256: string; md5: string; bytes: number }> {
  const digests = await copyDigesting(source, createWriteStream(file, { flags: 'wx', mode: 0o640 }));
  const fh = await open(file, 'r');
  await fh.sync().catch(() => {});
  await fh.close();
  return digests;
}

/**
 * Renames a written temporary file to its place (atomic on POSIX: readers see the whole file or
 * none; two writers of one digest write the same bytes, so the last rename wins harmlessly),
 * then makes the rename itself durable. The one way both `put` and `putStream` store a file.
 */
async function moveIntoPlace(tmp: string, folder: string, file: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  await rename(tmp, file);
  const dh = await open(folder, 'r').catch(() => null);
  if (dh) {
    await dh.sync().catch(() => {});
    await dh.close();
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throws unless `sha256` is exactly 64 lowercase hex digits (checked before any path is built from it). */
export function assertSha256(sha256: string): void {
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) throw new Error('Invalid SHA-256 digest');
}

/**
 * Where a file lives within its kind's place: `<first 2 hex>/<sha256>.pdf`, in a folder and in
 * a bucket alike, so that a folder copied into the bucket (`aws s3 sync`) is found there. (Every
 * kind's files end in `.pdf`, attachments and logos too: the name the first store gave them.)
 */
function placeOf(sha256: string): { folder: string; name: string } {
  assertSha256(sha256);
  return { folder: sha256.slice(0, 2), name: `${sha256}.pdf` };
}

/** The digest a file's place names (`<first 2 hex>/<sha256>.pdf`), or null for anything else there. */
function digestOfPlace(folder: string, name: string): string | null {
  const sha256 = name.endsWith('.pdf') ? name.slice(0, -'.pdf'.length) : '';
  return SHA256_HEX.test(sha256) && sha256.startsWith(folder) && folder.length === 2 ? sha256 : null;
}

/**
 * What is kept, each kind in its own place (a folder under DATA_DIR, or a prefix in the bucket):
 * issued documents, with the signed mandates; contact requests' attachments, apart from them
 * (their retention differs); the operator's assets (the logo); the customers' data exports
 * (`features/mydata`: ZIP archives deleted after 7 days).
 */
export const CONTENT_KINDS = ['documents', 'attachments', 'assets', 'exports'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

const stores = new WeakMap<StorageTarget, Map<ContentKind, ContentStore>>();

/**
 * The store of one kind of file, where the configuration keeps them: `DATA_DIR/<kind>/`, or
 * `<prefix><kind>/` in the bucket STORAGE_URL names. One per configuration and kind, sharing
 * one S3 client (and its connections).
 */
export function contentStore(config: Pick<Config, 'storage'>, kind: ContentKind): ContentStore {
  const target = config.storage;
  let byKind = stores.get(target);
  if (!byKind) stores.set(target, (byKind = new Map()));
  let store = byKind.get(kind);
  if (!store) {
    store = target.kind === 'local' ? localContentStore(join(target.dir, kind)) : s3ContentStore(target, kind);
    byKind.set(kind, store);
  }
  return store;
}

/** Files under `dir/<first 2 hex>/<sha256>.pdf`, written to a temporary file, synced, then renamed. */
export function localContentStore(dir: string): ContentStore {
  const pathOf = (sha256: string) => {
    const { folder, name } = placeOf(sha256);
    return { folder: join(dir, folder), file: join(dir, folder, name) };
  };

  const readOrNull = async (file: string): Promise<Buffer | null> => {
    try {
      return await readFile(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  };

  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const { folder, file } = pathOf(sha256);
      // Already there and intact: nothing to do. A damaged copy is replaced.
      const existing = await readOrNull(file);
      if (existing && sha256Hex(existing) === sha256) return sha256;

      await mkdir(folder, { recursive: true });
      const tmp = join(folder, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
      const fh = await open(tmp, 'wx', 0o640);
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } catch (e) {
        await fh.close();
        await unlink(tmp).catch(() => {});
        throw e;
      }
      await fh.close();
      try {
        await moveIntoPlace(tmp, folder, file);
      } catch (e) {
        await unlink(tmp).catch(() => {});
        throw e;
      }
      return sha256;
    },

    async get(sha256) {
      return readOrNull(pathOf(sha256).file);
    },

    async stream(sha256) {
      // Opened first, so that a missing file is null here rather than an error on the stream.
      const fh = await open(pathOf(sha256).file, 'r').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return null;
        throw e;
      });
      // Read 16 KiB at a time: most documents are a few KiB, and each read takes a buffer of this size.
      return fh ? fh.createReadStream({ highWaterMark: 16 * 1024 }) : null;
    },

    async putStream(source) {
      // Spooled beside its final place (same file system: the rename is atomic), then renamed
      // under the digest learnt on the way.
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `.stream.${randomBytes(6).toString('hex')}.tmp`);
      try {
        const { sha256, bytes } = await spool(source, tmp);
        const { folder, file } = pathOf(sha256);
        await moveIntoPlace(tmp, folder, file);
        return { sha256, bytes };
      } finally {
        await unlink(tmp).catch(() => {});
      }
    },

    async delete(sha256) {
      await unlink(pathOf(sha256).file).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    },

    async *list() {
      const entries = (where: string) =>
        readdir(where, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT') return [];
          throw e;
        });
      for (const folder of await entries(dir)) {
        if (!folder.isDirectory()) continue;
        for (const file of await entries(join(dir, folder.name))) {
          const sha256 = file.isFile() ? digestOfPlace(folder.name, file.name) : null;
          if (sha256) yield sha256;
        }
      }
    },
  };
}

type S3Target = Extract<StorageTarget, { kind: 's3' }>;

// The SDK (a few hundred milliseconds and some 25 MB to load) only where a bucket is configured.
const sdk = () => import('@aws-sdk/client-s3');
const clients = new WeakMap<S3Target, Promise<S3Client>>();

function s3ClientOf(target: S3Target): Promise<S3Client> {
  let client = clients.get(target);
  if (!client) {
    client = sdk().then(
      ({ S3Client }) =>
        new S3Client({
          region: target.region,
          endpoint: target.endpoint,
          forcePathStyle: target.forcePathStyle,
          // Unset: the SDK's own sources (an instance's or a pod's role, the shared files).
          ...(target.credentials ? { credentials: target.credentials } : {}),
          // A server that does not answer is an error within seconds, not a request hanging on.
          requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
        }),
    );
    clients.set(target, client);
  }
  return client;
}

/** The service's answer to a request, when it gave one: its status and error's name. */
const s3Failure = (e: unknown): { status: number | undefined; name: string } => ({
  status: (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode,
  name: e instanceof Error ? e.name : '',
});

/**
 * Objects under `<prefix><first 2 hex>/<sha256>.pdf` in an S3-compatible bucket.
 *
 * A put is one PutObject, sent with the bytes' MD5 (`Content-MD5`, checked by every
 * S3-compatible service) and their SHA-256 (`x-amz-checksum-sha256`, checked by S3 and the
 * recent others): a body damaged on its way is refused, never stored. S3 writes an object whole
 * or not at all, so an object under a digest's name is that digest's bytes: putting the same
 * bytes again rewrites the same object, harmlessly, and no HEAD before each put costs every new
 * document a round trip to spare the rare repeat one. A get of a name that holds nothing is
 * null; every other failure (the bucket gone, access refused, the service down) is thrown.
 */
export function s3ContentStore(target: S3Target, kind: ContentKind): ContentStore {
  const keyOf = (sha256: string) => {
    const { folder, name } = placeOf(sha256);
    return `${target.prefix}${kind}/${folder}/${name}`;
  };
  /** One object written under its digest, the bucket checking both its MD5 and its SHA-256 on arrival. */
  const putObject = async (sha256: string, md5: string, Body: Buffer | NodeJS.ReadableStream, ContentLength?: number) => {
    const [client, { PutObjectCommand }] = await Promise.all([s3ClientOf(target), sdk()]);
    await client.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: keyOf(sha256),
        Body: Body as Buffer,
        ...(ContentLength === undefined ? {} : { ContentLength }),
        ContentType: 'application/octet-stream',
        ContentMD5: md5,
        ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
      }),
    );
  };
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      await putObject(sha256, createHash('md5').update(bytes).digest('base64'), bytes);
      return sha256;
    },

    async get(sha256) {
      const Key = keyOf(sha256);
      const [client, { GetObjectCommand }] = await Promise.all([s3ClientOf(target), sdk()]);
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: target.bucket, Key }));
        if (!res.Body) return null;
        const bytes = await res.Body.transformToByteArray();
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      } catch (e) {
        const { status, name } = s3Failure(e);
        // Nothing under this name; but a bucket gone is an error, not a missing file.
        if (name === 'NoSuchKey' || (status === 404 && name !== 'NoSuchBucket')) return null;
        throw e;
      }
    },

    async putStream(source) {
      // Spooled to a temporary file first: the object's digest names it, and is known at the end.
      const dir = await mkdtemp(join(tmpdir(), 'portal-spool-'));
      try {
        const tmp = join(dir, 'upload');
        const { sha256, md5, bytes } = await spool(source, tmp);
        await putObject(sha256, md5, createReadStream(tmp), bytes);
        return { sha256, bytes };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },

    async stream(sha256) {
      const Key = keyOf(sha256);
      const [client, { GetObjectCommand }] = await Promise.all([s3ClientOf(target), sdk()]);
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: target.bucket, Key }));
        if (!res.Body) return null;
        // In Node.js the SDK's body is the HTTP response itself: read as it is consumed.
        return res.Body instanceof Readable ? res.Body : Readable.fromWeb(res.Body.transformToWebStream() as never);
      } catch (e) {
        const { status, name } = s3Failure(e);
        if (name === 'NoSuchKey' || (status === 404 && name !== 'NoSuchBucket')) return null;
        throw e;
      }
    },

    async delete(sha256) {
      const [client, { DeleteObjectCommand }] = await Promise.all([s3ClientOf(target), sdk()]);
      await client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: keyOf(sha256) }));
    },

    async *list() {
      const [client, { ListObjectsV2Command }] = await Promise.all([s3ClientOf(target), sdk()]);
      const Prefix = `${target.prefix}${kind}/`;
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: target.bucket, Prefix, ContinuationToken }));
        for (const o of page.Contents ?? []) {
          const [folder = '', name = '', ...more] = (o.Key ?? '').slice(Prefix.length).split('/');
          const sha256 = more.length === 0 ? digestOfPlace(folder, name) : null;
          if (sha256) yield sha256;
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
  };
}

/**
 * Stops the start (`serve`, `worker`) with a message for the operator when the bucket
 * STORAGE_URL names cannot be reached: one HeadBucket, within ten seconds. Local folders are
 * made when first written to.
 */
export async function assertStorageReachable(config: Pick<Config, 'storage'>): Promise<void> {
  const target = config.storage;
  if (target.kind !== 's3') return;
  const where = `STORAGE_URL ${target.url}${target.endpoint ? ` at ${target.endpoint}` : ''}`;
  try {
    const [client, { HeadBucketCommand }] = await Promise.all([s3ClientOf(target), sdk()]);
    await client.send(new HeadBucketCommand({ Bucket: target.bucket }), { abortSignal: AbortSignal.timeout(10_000) });
  } catch (e) {
    const { status, name } = s3Failure(e);
    const reason =
      status === 404
        ? `there is no bucket “${target.bucket}”`
        : status === 403 || status === 401
          ? `access to the bucket “${target.bucket}” is refused: check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`
          : `the bucket “${target.bucket}” cannot be reached (${(e instanceof Error && e.message) || name || String(e)})`;
    throw new ConfigError(`${where}: ${reason}.`);
  }
}
