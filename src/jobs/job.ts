import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { PaymentProvider } from '../features/payments/payments.provider.ts';
import type { Clock } from '../lib/clock.ts';
import type { MailTransport } from '../lib/mail/transport.ts';

/*
 * A background job: a name, when it runs, and a handler that does one run's work by calling
 * its feature's service. The business logic stays in the feature; a job file is only this
 * glue. Adding a job: write `src/jobs/<name>.ts` exporting a `Job`, add it to `allJobs`
 * (`src/jobs/all.ts`).
 */

export type JobLog = (msg: string, data?: Record<string, unknown>) => void;

/** What every job is handed: the process's infrastructure, built once by the runner. */
export interface JobContext {
  db: Db;
  clock: Clock;
  config: Config;
  log: JobLog;
  /** Where e-mail leaves: SMTP (`SMTP_URL`), else `.eml` files under `DATA_DIR/mail/`. */
  mail: MailTransport;
  payments: PaymentProvider;
  /** The runner's id (host, pid, random): the owner of the leases its jobs take. */
  workerId: string;
  /** Aborted when the runner stops: a job working through a batch stops after the item in hand. */
  signal: AbortSignal;
}

/** Each round of the runner (every couple of seconds), or at most once per `every` milliseconds. */
export type Schedule = 'every round' | { every: number };

/** What one run did, for the log and the runner. */
export interface JobResult {
  /** Counts by outcome (e.g. `{ sent: 3, failed: 1 }`); `portal worker --once` prints them. */
  counts?: Record<string, number>;
  /** It stopped at its batch size with work still due: the runner starts another round at once. */
  more?: boolean;
}

export interface Job {
  /** Unique, kebab-case: it names the job in the log. */
  readonly name: string;
  readonly schedule: Schedule;
  /** Whether this installation runs it at all (always, when absent). */
  readonly enabled?: (config: Config) => boolean;
  readonly run: (ctx: JobContext) => Promise<JobResult | void>;
}
