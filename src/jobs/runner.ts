import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { providerFromConfig } from '../features/payments/payments.providers.ts';
import type { Clock } from '../lib/clock.ts';
import { transportFromConfig } from '../lib/mail/transport.ts';
import { workerId } from '../lib/mail/worker.ts';
import { allJobs } from './all.ts';
import type { Job, JobContext, JobLog } from './job.ts';

/*
 * The job runner: a round runs every job that is due, one after the other, in the order of
 * the list. Each is isolated: a job that throws is logged and tried again at its next turn,
 * and the jobs after it — the mail delivery among them — run as usual. It runs inside `serve`
 * (`MAIL_WORKER=in-process`) or alone as `portal worker`; several runners may run at once,
 * kept apart by what each job claims before doing it (the outbox's leases, documents marked
 * notified, the sandbox's webhooks moved a lease ahead, rows updated only while pending):
 * `workers.test.ts` runs two `portal worker` processes on one database. A schedule such as
 * `{ every: HOUR }` is each runner's own, not shared: with N runners an hourly job runs up to
 * N times an hour, which the hourly jobs allow — each deletes what is past its date, and a
 * second run finds nothing left to delete.
 */

/** Each job's counts, by job name (summed over the rounds, for a drain). */
export type JobCounts = Record<string, Record<string, number>>;

export interface RoundReport {
  counts: JobCounts;
  /** A job stopped at its batch size with work still due. */
  more: boolean;
}

/** One run of a job: which, whether it threw, how long it took. */
export type JobObserver = (run: { job: string; failed: boolean; seconds: number }) => void;

export class JobRunner {
  readonly id = workerId();
  /** The jobs this installation runs (those `enabled` for its configuration), in order. */
  readonly jobs: readonly Job[];
  private readonly ctx: JobContext;
  private readonly controller = new AbortController();
  private readonly lastRun = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly observers = new Set<JobObserver>();

  constructor(jobs: readonly Job[], deps: Omit<JobContext, 'workerId' | 'signal'>) {
    const names = jobs.map((j) => j.name);
    if (new Set(names).size !== names.length) throw new Error(`Two jobs share a name: ${names.join(', ')}`);
    this.jobs = jobs.filter((j) => j.enabled?.(deps.config) ?? true);
    this.ctx = { ...deps, workerId: this.id, signal: this.controller.signal };
  }

  /** Tells `observer` of each run from now on (the metrics, `features/ops/`). */
  observe(observer: JobObserver): void {
    this.observers.add(observer);
  }

  /** Its jobs and where the mail goes, for the start-up line. */
  describe(): string {
    return `jobs ${this.jobs.map((j) => j.name).join(', ')}; mail through ${this.ctx.mail.describe()}`;
  }

  private due(job: Job): boolean {
    if (job.schedule === 'every round') return true;
    const last = this.lastRun.get(job.name);
    return last === undefined || this.ctx.clock.now().getTime() - last >= job.schedule.every;
  }

  /** One round: each due job once, in order. Never throws. */
  async runOnce(): Promise<RoundReport> {
    const report: RoundReport = { counts: {}, more: false };
    for (const job of this.jobs) {
      if (this.controller.signal.aborted) break;
      if (!this.due(job)) continue;
      // Counted from the start: a job that failed waits for its next turn, not for the next round.
      this.lastRun.set(job.name, this.ctx.clock.now().getTime());
      const started = performance.now();
      let failed = false;
      try {
        const r = await job.run(this.ctx);
        if (r?.counts) report.counts[job.name] = r.counts;
        if (r?.more) report.more = true;
      } catch (e) {
        failed = true;
        this.ctx.log('worker job failed', { job: job.name, error: e instanceof Error ? e.message : String(e) });
      }
      for (const o of this.observers) o({ job: job.name, failed, seconds: (performance.now() - started) / 1000 });
    }
    return report;
  }

  /** Runs rounds until no job has work left that is due (tests, `portal worker --once`). */
  async drain(maxRounds = 1000): Promise<JobCounts> {
    const total: JobCounts = {};
    for (let i = 0; i < maxRounds; i++) {
      const r = await this.runOnce();
      for (const [name, counts] of Object.entries(r.counts)) {
        const sum = (total[name] ??= {});
        for (const [k, n] of Object.entries(counts)) sum[k] = (sum[k] ?? 0) + n;
      }
      if (!r.more) break;
    }
    return total;
  }

  /** A round every `intervalMs`, at once again while a job has more due, until stop(). */
  start(intervalMs = 2000): void {
    const tick = async () => {
      if (this.controller.signal.aborted) return;
      this.running = (async () => {
        try {
          let r: RoundReport;
          do r = await this.runOnce();
          while (r.more && !this.controller.signal.aborted);
        } catch (e) {
          this.ctx.log('worker round failed', { error: e instanceof Error ? e.message : String(e) });
        }
      })();
      await this.running;
      this.running = null;
      if (!this.controller.signal.aborted) this.timer = setTimeout(tick, intervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops: the job at work finishes its item in hand (the mail in flight), then the round ends. */
  async stop(): Promise<void> {
    this.controller.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

/** The runner as the product runs it: every job in `allJobs`, on the configured mail transport and payment provider. */
export function createJobRunner(db: Db, clock: Clock, config: Config, log: JobLog = () => undefined, jobs: readonly Job[] = allJobs): JobRunner {
  return new JobRunner(jobs, { db, clock, config, log, mail: transportFromConfig(config), payments: providerFromConfig(db, clock, config) });
}
