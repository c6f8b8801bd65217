import cluster, {} from 'node:cluster';
/*
 * `serve --workers N` (N > 1): this process (the primary) forks N workers that each build the
 * app and listen on the same port (Node's cluster module hands them the connections in turn).
 * It serves nothing itself. A worker that dies is replaced, after a pause that doubles while
 * replacements keep dying young; SIGTERM or SIGINT is passed on to every worker, which shuts
 * down as a single `serve` does (in-flight requests answered), then the primary exits.
 */
/** A worker that lived this long died of something other than its start: replaced at once. */
export const HEALTHY_UPTIME_MS = 60_000;
const FIRST_PAUSE_MS = 1000;
const MAX_PAUSE_MS = 30_000;
/** Workers that died before listening, one after the other, before the primary gives up. */
export const MAX_FAILED_STARTS = 5;
/**
 * The pause before replacing a worker: none after a worker that ran a while; after one that
 * died young, 1 s, then twice the previous pause, at most 30 s (a crash at start is not
 * retried in a hot loop).
 */
export function restartPause(uptimeMs, previousPauseMs) {
    if (uptimeMs >= HEALTHY_UPTIME_MS)
        return 0;
    return Math.min(MAX_PAUSE_MS, previousPauseMs === 0 ? FIRST_PAUSE_MS : previousPauseMs * 2);
}
/** Runs the primary; resolves with its exit code once every worker has stopped. `onListening` once all `count` listen. */
export function superviseWorkers(count, opts = {}) {
    const log = opts.log ?? ((line) => console.log(line));
    const warn = opts.warn ?? ((line) => console.error(line));
    let stopping = false;
    // Said once, when the first `count` workers all listen.
    const firstListening = new Set();
    const live = new Set();
    const timers = new Set();
    return new Promise((resolve) => {
        let exitCode = 0;
        const finishIfDone = () => {
            if (stopping && live.size === 0)
                resolve(exitCode);
        };
        const stop = (signal) => {
            if (stopping)
                return;
            stopping = true;
            if (signal === 'give-up')
                exitCode = 1;
            for (const t of timers)
                clearTimeout(t);
            timers.clear();
            log(`Primary ${process.pid}: ${signal === 'give-up' ? 'giving up' : signal}, stopping ${live.size} worker${live.size === 1 ? '' : 's'}.`);
            for (const w of live)
                w.process.kill('SIGTERM');
            finishIfDone();
        };
        /** One slot: a worker, then its replacements. */
        const start = (slot, pauseMs, failedStarts) => {
            const worker = cluster.fork();
            const startedAt = Date.now();
            let listening = false;
            live.add(worker);
            worker.on('listening', (address) => {
                listening = true;
                if (firstListening.size < count) {
                    firstListening.add(slot);
                    if (firstListening.size === count && !stopping)
                        opts.onListening?.(`${address.address ?? 'localhost'}:${address.port}`);
                }
            });
            worker.on('exit', (code, signal) => {
                live.delete(worker);
                if (stopping) {
                    if (code !== 0)
                        exitCode = 1;
                    return finishIfDone();
                }
                const uptime = Date.now() - startedAt;
                const failed = listening ? 0 : failedStarts + 1;
                if (failed >= MAX_FAILED_STARTS) {
                    warn(`Primary ${process.pid}: worker ${slot} died ${failed} times before listening (last: ${signal ?? `exit code ${code}`}).`);
                    return stop('give-up');
                }
                const pause = restartPause(uptime, pauseMs);
                warn(`Primary ${process.pid}: worker ${slot} (pid ${worker.process.pid}) died (${signal ?? `exit code ${code}`}) after ${Math.round(uptime / 1000)} s; replaced ${pause ? `in ${pause / 1000} s` : 'now'}.`);
                const timer = setTimeout(() => {
                    timers.delete(timer);
                    if (!stopping)
                        start(slot, pause, failed);
                }, pause);
                timers.add(timer);
            });
        };
        process.on('SIGTERM', () => stop('SIGTERM'));
        process.on('SIGINT', () => stop('SIGINT'));
        for (let slot = 1; slot <= count; slot++)
            start(slot, 0, 0);
        log(`Primary ${process.pid}: ${count} workers, pids ${[...live].map((w) => w.process.pid).join(', ')}.`);
    });
}
//# sourceMappingURL=cluster.js.map