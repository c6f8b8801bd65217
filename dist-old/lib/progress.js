/*
 * The command line's progress on long work (the demo's PDFs, an import): a count that moves on
 * one line of a terminal.
 */
/** Seconds as a terminal says them: `8 s`, `2 min 05 s`, `1 h 04 min`. */
export function durationWords(seconds) {
    const s = Math.max(0, Math.ceil(seconds));
    if (s < 60)
        return `${s} s`;
    if (s < 3600)
        return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
/**
 * A count that moves on one line of a terminal (`\r`, at most ten times a second), with its
 * rate since the first update and the time left at that rate, e.g. `PDFs 1200/3537 (240/s, 10 s left)`; nothing when
 * the output is not a terminal (a log, a pipe): there the summary line that follows says it all.
 */
export function progressLine(label, out = process.stdout, now = () => performance.now()) {
    const created = now();
    // The rate is counted from the first update (the work may start later than the line is made).
    let first = null;
    let shownAt = Number.NEGATIVE_INFINITY;
    const perSecond = (done) => {
        const from = first ?? { at: created, done: 0 };
        return (done - from.done) / Math.max((now() - from.at) / 1000, 0.001);
    };
    const rate = (done) => Math.round(perSecond(done));
    return {
        rate,
        update({ done, total }) {
            first ??= { at: now(), done };
            if (!out.isTTY)
                return;
            const at = now();
            if (done < total && at - shownAt < 100)
                return;
            shownAt = at;
            const left = done > first.done && done < total ? `, ${durationWords((total - done) / perSecond(done))} left` : '';
            out.write(`\r${label} ${done}/${total} (${rate(done)}/s${left})\x1b[K`);
        },
        /** Clears the line, for the summary. */
        end() {
            if (out.isTTY && shownAt > Number.NEGATIVE_INFINITY)
                out.write('\r\x1b[2K');
        },
    };
}
//# sourceMappingURL=progress.js.map