/*
 * What bounds the login (bench/run.ts): argon2id verifications per second with the
 * project's parameters (`hashPassword`/`verifyPassword`, src/lib/passwords.ts), `concurrency`
 * in flight at once as from 32 connections, in a process of its own, on the same libuv thread
 * pool size as the server. Usage: tsx bench/argon2.ts [seconds=4] [concurrency=32]
 * Prints one JSON line: { name, value, unit }.
 */
import { hashPassword, verifyPassword } from '../src/lib/passwords.ts';

const seconds = Number(process.argv[2] ?? 4);
const concurrency = Number(process.argv[3] ?? 32);
const stored = await hashPassword('tramway cerise violette');
// Warm-up: the thread pool started, the memory touched.
await Promise.all(Array.from({ length: 4 }, () => verifyPassword(stored, 'tramway cerise violette')));

let done = 0;
const end = performance.now() + seconds * 1000;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      if (!(await verifyPassword(stored, 'tramway cerise violette'))) throw new Error('argon2: the password did not verify');
      done++;
    }
  }),
);
const rate = done / ((performance.now() - started) / 1000);
process.stdout.write(`${JSON.stringify({ name: 'argon2id verify', value: Math.round(rate), unit: 'verifies/s', concurrency, seconds })}\n`);
