import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * What a ZIP archive holds, read by Info-ZIP's `unzip` (Debian's `unzip`, installed by .ci/run),
 * for tests of the archives the portal streams: an independent reader, not the writer's own code.
 */

const UNZIP = '/usr/bin/unzip';

function withArchive<T>(zip: Buffer, read: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'zip-test-'));
  try {
    const path = join(dir, 'archive.zip');
    writeFileSync(path, zip);
    return read(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The names of an archive's entries, in the archive's order; throws when `unzip -t` finds it damaged. */
export const zipEntries = (zip: Buffer): string[] =>
  withArchive(zip, (path) => {
    execFileSync(UNZIP, ['-tqq', path]);
    return execFileSync(UNZIP, ['-Z1', path]).toString('utf8').split('\n').filter(Boolean);
  });

/** One entry's bytes, by its exact name. */
export const zipEntry = (zip: Buffer, name: string): Buffer =>
  withArchive(zip, (path) => execFileSync(UNZIP, ['-p', path, name.replace(/([[\]*?\\])/g, '\\$1')], { maxBuffer: 1 << 30 }));
