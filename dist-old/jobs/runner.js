import { providerFromConfig } from '../features/payments/payments.providers.js';
import { transportFromConfig } from '../lib/mail/transport.js';
import { workerId } from '../lib/mail/worker.js';
import { allJobs } from './all.js';
export class JobRunner {
    id = workerId();
    /** The jobs this installation runs (those `enabled` for its configuration), in order. */
    jobs;
    ctx;
    controller = new AbortController();
    lastRun = new Map();
    timer = null;
    running = null;
    constructor(jobs, deps) {
        const names = jobs.map((j) => j.name);
        if (new Set(names).size !== names.length)
            throw new Error(`Two jobs share a name: ${names.join(', ')}`);
        this.jobs = jobs.filter((j) => j.enabled?.(deps.config) ?? true);
        this.ctx = { ...deps, workerId: this.id, signal: this.controller.signal };
    }
    /** Its jobs and where the mail goes, for the start-up line. */
    describe() {
        return `jobs ${this.jobs.map((j) => j.name).join(', ')}; mail through ${this.ctx.mail.describe()}`;
    }
    due(job) {
        if (job.schedule === 'every round')
            return true;
        const last = this.lastRun.get(job.name);
        return last === undefined || this.ctx.clock.now().getTime() - last >= job.schedule.every;
    }
    /** One round: each due job once, in order. Never throws. */
    async runOnce() {
        const report = { counts: {}, more: false };
        for (const job of this.jobs) {
            if (this.controller.signal.aborted)
                break;
            if (!this.due(job))
                continue;
            // Counted from the start: a job that failed waits for its next turn, not for the next round.
            this.lastRun.set(job.name, this.ctx.clock.now().getTime());
            try {
                const r = await job.run(this.ctx);
                if (r?.counts)
                    report.counts[job.name] = r.counts;
                if (r?.more)
                    report.more = true;
            }
            catch (e) {
                this.ctx.log('worker job failed', { job: job.name, error: e instanceof Error ? e.message : String(e) });
            }
        }
        return report;
    }
    /** Runs rounds until no job has work left that is due (tests, `portal worker --once`). */
    async drain(maxRounds = 1000) {
        const total = {};
        for (let i = 0; i < maxRounds; i++) {
            const r = await this.runOnce();
            for (const [name, counts] of Object.entries(r.counts)) {
                const sum = (total[name] ??= {});
                for (const [k, n] of Object.entries(counts))
                    sum[k] = (sum[k] ?? 0) + n;
            }
            if (!r.more)
                break;
        }
        return total;
    }
    /** A round every `intervalMs`, at once again while a job has more due, until stop(). */
    start(intervalMs = 2000) {
        const tick = async () => {
            if (this.controller.signal.aborted)
                return;
            this.running = (async () => {
                try {
                    let r;
                    do
                        r = await this.runOnce();
                    while (r.more && !this.controller.signal.aborted);
                }
                catch (e) {
                    this.ctx.log('worker round failed', { error: e instanceof Error ? e.message : String(e) });
                }
            })();
            await this.running;
            this.running = null;
            if (!this.controller.signal.aborted)
                this.timer = setTimeout(tick, intervalMs);
        };
        this.timer = setTimeout(tick, 0);
    }
    /** Stops: the job at work finishes its item in hand (the mail in flight), then the round ends. */
    async stop() {
        this.controller.abort();
        if (this.timer)
            clearTimeout(this.timer);
        await this.running;
    }
}
/** The runner as the product runs it: every job in `allJobs`, on the configured mail transport and payment provider. */
export function createJobRunner(db, clock, config, log = () => undefined, jobs = allJobs) {
    return new JobRunner(jobs, { db, clock, config, log, mail: transportFromConfig(config), payments: providerFromConfig(db, clock, config) });
}
//# sourceMappingURL=runner.js.map