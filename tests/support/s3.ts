import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { type IncomingHttpHeaders, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** The credentials s3rver accepts. */
const KEY = 'S3RVER';

/** What S3 would answer when a body's digest headers do not match it, or null. */
function digestProblem(headers: IncomingHttpHeaders, body: Buffer): string | null {
  const md5 = headers['content-md5'];
  if (typeof md5 === 'string' && createHash('md5').update(body).digest('base64') !== md5) return 'The Content-MD5 you specified did not match what we received.';
  const sha256 = headers['x-amz-checksum-sha256'];
  if (typeof sha256 === 'string' && createHash('sha256').update(body).digest('base64') !== sha256) return 'The SHA256 you specified did not match the calculated checksum.';
  return null;
}

/**
 * A real S3-compatible server on a free local port, storing in a temporary folder, with one
 * bucket. s3rver (3.7.1) answers the requests the portal makes (HeadBucket, PutObject,
 * GetObject, ListObjectsV2) and refuses an unknown key id, but checks neither a v4 signature
 * nor `Content-MD5` nor `x-amz-checksum-sha256`; a
 * small proxy in front of it checks both, as S3 does (400 `BadDigest`), counts the requests,
 * and can damage a body on its way (`damage(true)`) to show a damaged upload is refused.
 */
export async function startS3Server() {
  const bucket = 'portal-test';
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, directory: mkdtempSync(join(tmpdir(), 'portal-s3-')), silent: true, configureBuckets: [{ name: bucket }] });
  const backend = await s3rver.run();
  const requests: string[] = [];
  let damaging = false;
  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      const body = Buffer.concat(chunks);
      if (damaging && req.method === 'PUT' && body.length > 0) body[body.length - 1]! ^= 0x01;
      const problem = digestProblem(req.headers, body);
      if (problem) {
        res.writeHead(400, { 'content-type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>BadDigest</Code><Message>${problem}</Message></Error>`);
        return;
      }
      const forwarded = request({ host: '127.0.0.1', port: backend.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forwarded.on('error', (e) => res.destroy(e));
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: KEY, secretAccessKey: KEY } });

  return {
    endpoint,
    bucket,
    /** The settings of a portal keeping its files in this bucket, under `prefix`. */
    settings(prefix = ''): Record<string, string> {
      return { STORAGE_URL: `s3://${bucket}${prefix ? `/${prefix}` : ''}`, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: KEY };
    },
    /** Every request received so far (`PUT /portal-test/…`). */
    requests,
    /** While on, the last byte of every uploaded body is changed on its way to the server. */
    damage(on: boolean) {
      damaging = on;
    },
    /** The keys the bucket holds. */
    async keys(): Promise<string[]> {
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
        keys.push(...(page.Contents ?? []).map((o) => o.Key!));
        ContinuationToken = page.NextContinuationToken;
      } while (ContinuationToken);
      return keys.sort();
    },
    async close() {
      client.destroy();
      const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
      proxy.closeAllConnections(); // the portal's clients keep theirs alive
      await closed;
      await s3rver.close();
    },
  };
}

export type S3Server = Awaited<ReturnType<typeof startS3Server>>;
