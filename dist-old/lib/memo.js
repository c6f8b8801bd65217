/**
 * `fn` with its results kept by argument, for pure functions called with few distinct values
 * on every page (formatting a date or an amount with `Intl` costs microseconds each, and a
 * history page formats hundreds). At most `max` results are kept: when full, it starts again
 * empty, which bounds memory whatever the inputs.
 */
export function memoized(fn, max = 10_000) {
    let kept = new Map();
    return (key) => {
        let value = kept.get(key);
        if (value === undefined) {
            value = fn(key);
            if (kept.size >= max)
                kept = new Map();
            kept.set(key, value);
        }
        return value;
    };
}
//# sourceMappingURL=memo.js.map