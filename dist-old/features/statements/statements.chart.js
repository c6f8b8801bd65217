import { jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
import { BASE_RATE_BP, FULL_DISCOUNT_MAX_EXITS, NO_DISCOUNT_FROM_EXITS, VARIANT_MAX_EXITS, VARIANT_RATE_BP, } from './statements.rules.js';
import { formatPercent } from '../../lib/money.js';
/*
 * Drawn at 760 × (about) 320 user units and shown at least 760 px wide (portal.css), so its
 * 12–13-unit text is 12–13 px on a 360-px phone, where the frame opens on the latest months
 * (its right-hand end, `direction: rtl`). What must be read there is on the right: the
 * legend of the thresholds (top right, above the plot) and each line's number of exits.
 */
const W = 760;
const LEFT = 44;
const RIGHT = 34;
const BOTTOM = 46;
const PLOT_W = W - LEFT - RIGHT;
const PLOT_H = 224;
const FONT = 13;
const LEGEND_ROW = 19;
const SWATCH = 30;
const INK = '#1d2433'; // 15.5:1 on white
const AXIS = '#4f5869'; // 7.2:1
const GRID = '#e3e8ef'; // decorative only
const BAR = '#2f6eb5'; // 5.2:1
export function thresholdsFor(variant30) {
    return [
        ...(variant30
            ? [{ exits: VARIANT_MAX_EXITS, rateBp: VARIANT_RATE_BP, kind: 'upTo', colour: '#6a1b9a', dash: '2 3' }] // 9.4:1
            : []),
        { exits: FULL_DISCOUNT_MAX_EXITS, rateBp: BASE_RATE_BP, kind: 'upTo', colour: '#1e6b34', dash: '8 4' }, // 6.6:1
        { exits: NO_DISCOUNT_FROM_EXITS, rateBp: 0, kind: 'from', colour: '#b00020', dash: '' }, // 7.3:1
    ];
}
export function thresholdLabel(ctx, th) {
    return ctx.t(th.kind === 'upTo' ? 'statements.threshold.upTo' : 'statements.threshold.from', {
        rate: formatPercent(th.rateBp, ctx.lang),
        exits: th.exits,
    });
}
export function countLabel(ctx, count) {
    const one = new Intl.PluralRules(ctx.lang === 'fr' ? 'fr-FR' : 'en-GB').select(count) === 'one';
    return ctx.t(one ? 'statements.count.one' : 'statements.count.other', { count });
}
const r = (x) => Math.round(x * 10) / 10;
export function ExitsChart({ ctx, idBase, contractNumber, months, variant30, }) {
    const { t } = ctx;
    const thresholdList = thresholdsFor(variant30);
    // The legend's rows, then the plot.
    const TOP = 10 + thresholdList.length * LEGEND_ROW + 16;
    const H = TOP + PLOT_H + BOTTOM;
    const counts = months.map((m) => m.exits).filter((e) => e !== null);
    const min = counts.length ? Math.min(...counts) : 0;
    const max = counts.length ? Math.max(...counts) : 0;
    const yMax = Math.max(NO_DISCOUNT_FROM_EXITS + 1, max + 1);
    const y = (v) => TOP + PLOT_H * (1 - v / yMax);
    const tickStep = yMax > 40 ? 10 : 5;
    const ticks = [];
    for (let v = 0; v <= yMax; v += tickStep)
        ticks.push(v);
    const n = Math.max(months.length, 1);
    const slot = PLOT_W / n;
    const barW = Math.min(slot * 0.65, 28);
    const labelStep = n <= 8 ? 1 : n <= 16 ? 2 : 3;
    const thresholds = thresholdList.map((th) => ({ ...th, label: thresholdLabel(ctx, th), y: y(th.exits) }));
    // The numbers at the ends of close lines (3 and 5 exits on a tall scale) are pushed apart to stay legible.
    const labelYs = thresholds.map((th) => th.y + 4).sort((a, b) => b - a);
    for (let i = 1; i < labelYs.length; i++) {
        const prev = labelYs[i - 1];
        if (prev - labelYs[i] < 14)
            labelYs[i] = prev - 14;
    }
    const byY = [...thresholds].sort((a, b) => b.y - a.y);
    // The legend lists them top down as the lines run: the highest first.
    const legend = [...byY].reverse();
    const titleId = `${idBase}-title`;
    const descId = `${idBase}-desc`;
    const first = months[0];
    const last = months[months.length - 1];
    return (_jsxs("svg", { class: "exits-chart", role: "img", "aria-labelledby": titleId, "aria-describedby": descId, viewBox: `0 0 ${W} ${H}`, width: W, height: H, preserveAspectRatio: "xMinYMin meet", xmlns: "http://www.w3.org/2000/svg", children: [_jsx("title", { id: titleId, children: t('statements.chart.title', { number: contractNumber, from: first?.long ?? '', to: last?.long ?? '' }) }), _jsx("desc", { id: descId, children: t('statements.chart.desc', { min, max, thresholds: thresholds.map((th) => th.label).join(t('format.listSeparator')) }) }), _jsx("rect", { x: 0, y: 0, width: W, height: H, fill: "#ffffff" }), _jsx("text", { x: LEFT, y: TOP - 12, "font-size": FONT, fill: INK, children: t('statements.chart.axis') }), _jsx("g", { class: "legend", children: legend.map((th, i) => {
                    const ly = 10 + i * LEGEND_ROW + LEGEND_ROW / 2;
                    return (_jsxs("g", { children: [_jsx("text", { x: W - 8 - SWATCH - 6, y: r(ly + 4.5), "font-size": FONT, "font-weight": "bold", fill: th.colour, "text-anchor": "end", children: th.label }), _jsx("line", { x1: W - 8 - SWATCH, x2: W - 8, y1: r(ly), y2: r(ly), stroke: th.colour, "stroke-width": 2.5, "stroke-dasharray": th.dash || undefined })] }, th.exits));
                }) }), _jsx("g", { class: "grid", children: ticks.map((v) => (_jsxs("g", { children: [_jsx("line", { x1: LEFT, x2: LEFT + PLOT_W, y1: r(y(v)), y2: r(y(v)), stroke: v === 0 ? AXIS : GRID, "stroke-width": 1 }), _jsx("text", { x: LEFT - 8, y: r(y(v) + 4), "font-size": FONT, fill: INK, "text-anchor": "end", children: v })] }, v))) }), _jsx("g", { class: "bars", children: months.map((m, i) => m.exits !== null && m.exits > 0 ? (_jsx("rect", { x: r(LEFT + slot * i + slot / 2 - barW / 2), y: r(y(m.exits)), width: r(barW), height: r(y(0) - y(m.exits)), fill: BAR, children: _jsx("title", { children: t('statements.chart.bar', { month: m.long, count: countLabel(ctx, m.exits) }) }) }, m.month)) : null) }), _jsx("g", { class: "thresholds", children: byY.map((th, i) => (_jsxs("g", { children: [_jsx("line", { x1: LEFT, x2: LEFT + PLOT_W + 4, y1: r(th.y), y2: r(th.y), stroke: "#ffffff", "stroke-width": 5 }), _jsx("line", { class: `threshold threshold-${th.exits}`, x1: LEFT, x2: LEFT + PLOT_W + 4, y1: r(th.y), y2: r(th.y), stroke: th.colour, "stroke-width": 2.5, "stroke-dasharray": th.dash || undefined, "data-exits": th.exits }), _jsx("text", { x: LEFT + PLOT_W + 8, y: r(labelYs[i]), "font-size": FONT, "font-weight": "bold", fill: th.colour, children: th.exits })] }, th.exits))) }), _jsx("g", { class: "labels", children: months.map((m, i) => {
                    const cx = LEFT + slot * i + slot / 2;
                    const showLabel = (months.length - 1 - i) % labelStep === 0;
                    return (_jsxs("g", { children: [m.exits !== null && (_jsx("text", { x: r(cx), y: r(y(m.exits) - 5), "font-size": 12, fill: INK, stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke", "text-anchor": "middle", children: m.exits })), showLabel && (_jsx("text", { x: r(cx), y: TOP + PLOT_H + 19, "font-size": FONT, fill: INK, "text-anchor": "middle", children: m.short }))] }, m.month));
                }) })] }));
}
//# sourceMappingURL=statements.chart.js.map