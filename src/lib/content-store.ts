import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/*
 * Content-addressed storage of files (issued documents, signed mandates, attachments): a
 * file is named by the SHA-256 of its bytes, so a stored file can never change under its
 * name, and storing the same bytes twice is a no-op. Local files now; S3 later behind the
 * same interface.
 */
export interface ContentStore {
  /** Stores the bytes and returns their SHA-256 (64 lowercase hex digits). */
  put(bytes: Buffer): Promise<string>;
  /** The bytes stored under this SHA-256, or null when there are none. Not verified: see readDocumentPdf. */
  get(sha256: string): Promise<Buffer | null>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throws unless `sha256` is exactly 64 lowercase hex digits (checked before any path is built from it). */
export function assertSha256(sha256: string): void {
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) throw new Error('Invalid SHA-256 digest');
}

/** Files under `dir/<first 2 hex>/<sha256>.pdf`, written to a temporary file, synced, then renamed. */
export function localContentStore(dir: string): ContentStore {
  const pathOf = (sha256: string) => {
    assertSha256(sha256);
    return { folder: join(dir, sha256.slice(0, 2)), file: join(dir, sha256.slice(0, 2), `${sha256}.pdf`) };
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
        // Atomic on POSIX: readers see the whole file or none. Two writers of the same
        // digest write the same bytes, so the last rename wins harmlessly.
        await rename(tmp, file);
      } catch (e) {
        await unlink(tmp).catch(() => {});
        throw e;
      }
      // Make the rename itself durable.
      const dh = await open(folder, 'r').catch(() => null);
      if (dh) {
        await dh.sync().catch(() => {});
        await dh.close();
      }
      return sha256;
    },

    async get(sha256) {
      return readOrNull(pathOf(sha256).file);
    },
  };
}
