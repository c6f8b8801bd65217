/**
 * Rendered HTML kept in this process's memory under keys that name everything it was made
 * from (decision 016): a key that changes whenever the content would is what keeps an entry
 * right, never a time limit, so nothing is ever removed for being stale — only the least
 * recently used entries, once the entries' size passes `maxBytes` (0 keeps nothing).
 */
export class RenderedCache {
    maxBytes;
    /** Insertion order is use order: a hit moves its entry to the end. */
    #entries = new Map();
    #bytes = 0;
    constructor(maxBytes) {
        this.maxBytes = maxBytes;
    }
    get(key) {
        const html = this.#entries.get(key);
        if (html !== undefined) {
            this.#entries.delete(key);
            this.#entries.set(key, html);
        }
        return html;
    }
    set(key, html) {
        const size = sizeOf(key, html);
        if (size > this.maxBytes)
            return;
        const old = this.#entries.get(key);
        if (old !== undefined) {
            this.#entries.delete(key);
            this.#bytes -= sizeOf(key, old);
        }
        this.#entries.set(key, html);
        this.#bytes += size;
        for (const [k, v] of this.#entries) {
            if (this.#bytes <= this.maxBytes)
                break;
            this.#entries.delete(k);
            this.#bytes -= sizeOf(k, v);
        }
    }
    /** The keys held, least recently used first. */
    keys() {
        return [...this.#entries.keys()];
    }
    /** What it holds: entries, and their size as counted against `maxBytes`. */
    get size() {
        return { entries: this.#entries.size, bytes: this.#bytes };
    }
    clear() {
        this.#entries.clear();
        this.#bytes = 0;
    }
}
/** An entry's size: its strings as V8 holds them at worst (two bytes a character). */
const sizeOf = (key, html) => 2 * (key.length + html.length);
//# sourceMappingURL=rendered-cache.js.map