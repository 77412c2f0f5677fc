// The study page's four charts, drawn by Apache ECharts 5.3.1 (the page loads it as the global `echarts`
// from /webjars/echarts/5.3.1/dist/echarts.min.js). Input: the JSON of one Views.StudyChartsView as answered by
// GET /api/v1/studies/{studyId}/charts (direction "minimize" | "maximize"; verdicts and failure reasons in their
// wire names). No framework, no build step: the page imports this file as an ES module.
//
// createCharts({objective, states, failures, params}) ->
//   { update(view), highlight(proposalId), onPointClick(callback) -> unsubscribe, resize(), dispose() }
//
// DOM attributes written after every update (the browser tests wait on them):
//   objective: data-points (points drawn), data-points-omitted, data-sequence, data-highlight (highlighted id or "")
//   states:    data-experiments (sum of experimentsByState)
//   failures:  data-reasons (number of reasons shown; 0 = the "no failures" text)
//   params:    data-axes (parameter axes + the metric axis; 0 = the "no parameters" text)
// (The empty-state texts are drawn on the canvas, not in the DOM: tests read the attributes.)
//
// The page calls update() every few seconds, so every chart keeps its ECharts instance and merges options by
// series id: a merge keeps the reader's zoom window and axis brushing; only a different study (or a different
// parameter set) starts the chart afresh.

const echarts = globalThis.echarts;

const VERDICTS = [
    {key: 'new-champion', name: 'new champion', color: '#e08a00', symbol: 'circle', size: 9},
    {key: 'not-better', name: 'not better', color: '#4a6fc2', symbol: 'circle', size: 6},
    {key: 'held-out-degraded', name: 'held-out degraded', color: '#c62828', symbol: 'diamond', size: 8},
    {key: 'invalid', name: 'invalid', color: '#9e9e9e', symbol: 'triangle', size: 7},
];
const VERDICT_NAMES = new Map(VERDICTS.map((v) => [v.key, v.name]));
const OTHER_VERDICT = {key: 'other', name: 'other', color: '#7b1fa2', symbol: 'rect', size: 6};
const CHAMPION_COLOR = '#e08a00';
const INTERVAL_COLOR = '#7a8aa8';
const STATES = [
    {key: 'waiting', color: '#9e9e9e'},
    {key: 'running', color: '#1e88e5'},
    {key: 'completed', color: '#2e7d32'},
    {key: 'failed', color: '#c62828'},
];
// Worse-to-better: the same end of the ramp means "good" whatever the study's direction.
const VALUE_RAMP = ['#d73027', '#fc8d59', '#fee090', '#91bfdb', '#4575b4'];
const TEXT_STYLE = {fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', fontSize: 12};
const TITLE_STYLE = {fontSize: 14, fontWeight: 600, color: '#222'};
// Above this many points the objective chart draws in ECharts' large mode (one path per series) and without
// animation; below it every symbol is its own element, which animates and hovers more smoothly.
const LARGE = 1500;

export function createCharts(elements) {
    if (!echarts) {
        throw new Error('charts.js needs the global echarts (load /webjars/echarts/5.3.1/dist/echarts.min.js first)');
    }
    for (const key of ['objective', 'states', 'failures', 'params']) {
        if (!elements || !elements[key]) {
            throw new Error(`createCharts needs the ${key} container`);
        }
    }
    const charts = {
        objective: echarts.init(elements.objective),
        states: echarts.init(elements.states),
        failures: echarts.init(elements.failures),
        params: echarts.init(elements.params),
    };
    const listeners = new Set();
    let view = null;
    let viewKey = null;
    let studyKey = null;      // the study the objective chart shows; a new one resets zoom
    let paramsKey = null;     // the parameter axes the params chart shows; new axes reset it
    let failuresEmpty = null;
    let objectiveSeries = []; // seriesId -> points, for tooltips and clicks
    let paramsLines = {lines: [], champions: []};
    let byId = new Map();
    let highlighted = null;
    let disposed = false;

    const clicked = (proposalId) => {
        if (proposalId) {
            for (const callback of listeners) {
                callback(proposalId);
            }
        }
    };
    charts.objective.on('click', (event) => clicked(objectivePoint(event)?.proposalId));
    charts.params.on('click', (event) => {
        const list = event.seriesId === 'lines' ? paramsLines.lines
            : event.seriesId === 'champions' ? paramsLines.champions : null;
        clicked(list?.[event.dataIndex]?.proposalId);
    });

    function objectivePoint(event) {
        const entry = objectiveSeries.find((s) => s.id === event.seriesId);
        return entry ? entry.points[event.dataIndex] : null;
    }

    // The containers' size follows the page layout (grid, window, a tab shown later, a page that attaches the
    // containers after creating the charts): ECharts needs telling. A resize redraws the whole chart (5000 points),
    // so only the charts whose box differs from the size they were drawn at, at most once a frame.
    const pending = new Set();
    let frame = 0;
    const chartOf = new Map(Object.keys(charts).map((key) => [elements[key], charts[key]]));
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver((entries) => {
        for (const entry of entries) {
            const chart = chartOf.get(entry.target);
            const {width, height} = entry.contentRect;
            if (Math.abs(chart.getWidth() - width) >= 1 || Math.abs(chart.getHeight() - height) >= 1) {
                pending.add(chart);
            }
        }
        if (pending.size && !frame) {
            frame = requestAnimationFrame(() => {
                frame = 0;
                if (!disposed) {
                    pending.forEach((chart) => chart.resize());
                }
                pending.clear();
            });
        }
    }) : null;
    if (observer) {
        Object.values(elements).forEach((element) => observer.observe(element));
    }

    // The observer above already follows the containers; a page may still call this on window resize events (many a
    // second while dragging): charts whose container kept its size are left alone.
    function resize() {
        if (!disposed) {
            for (const [key, chart] of Object.entries(charts)) {
                const element = elements[key];
                if (element.clientWidth !== chart.getWidth() || element.clientHeight !== chart.getHeight()) {
                    chart.resize();
                }
            }
        }
    }

    function update(next) {
        if (disposed || !next) {
            return;
        }
        // A study's state at a sequence never changes: the same answer again (a poll with nothing new) costs nothing.
        const key = [next.studyId, next.sequence, next.evaluationsTotal, next.pointsOmitted,
            next.points?.length].join('|');
        if (key === viewKey) {
            return;
        }
        viewKey = key;
        view = next;
        const points = Array.isArray(view.points) ? view.points : [];
        byId = new Map(points.map((p) => [p.proposalId, p]));
        renderObjective(points);
        renderStates();
        renderFailures();
        renderParams(points);
        markHighlight();
    }

    // ---------------------------------------------------------------- objective

    function renderObjective(points) {
        const chart = charts.objective;
        const key = view.studyId;
        const fresh = key !== studyKey;
        studyKey = key;
        const champions = Array.isArray(view.champions) ? view.champions : [];
        const lastIndex = Math.max(view.evaluationsTotal || 0, points.length ? points[points.length - 1].index : 0,
            champions.length ? champions[champions.length - 1].index : 0, 1);
        const large = points.length > LARGE;
        const minimize = view.direction !== 'maximize';

        const groups = new Map(VERDICTS.map((v) => [v.key, []]));
        groups.set(OTHER_VERDICT.key, []);
        const bars = [];
        for (const p of points) {
            if (!Number.isFinite(p.value)) {
                continue;
            }
            (groups.get(p.verdict) || groups.get(OTHER_VERDICT.key)).push(p);
            if (Number.isFinite(p.ciLow) && Number.isFinite(p.ciHigh)) {
                bars.push([p.index, p.ciLow, p.ciHigh]);
            }
        }
        objectiveSeries = [];
        const series = [];
        for (const verdict of [...VERDICTS, OTHER_VERDICT]) {
            const list = groups.get(verdict.key);
            if (verdict === OTHER_VERDICT && list.length === 0) {
                continue;
            }
            const id = 'verdict-' + verdict.key;
            objectiveSeries.push({id, points: list});
            series.push({
                id, name: verdict.name, type: 'scatter',
                data: list.map((p) => [p.index, p.value]),
                symbol: verdict.symbol, symbolSize: verdict.size,
                itemStyle: {color: verdict.color, opacity: large ? 0.75 : 0.9},
                emphasis: {scale: 1.6},
                large, largeThreshold: LARGE,
                // The new champions sit on the champion line: above the other points.
                z: verdict.key === 'new-champion' ? 5 : 3,
                cursor: 'pointer',
            });
        }
        // Few points: one custom element per interval, with whiskers. Many: one 'lines' series in large mode (a
        // single path), which sets 5000 intervals about three times faster and whiskers would not show anyway.
        series.push(large
            ? {
                id: 'intervals-large', name: 'interval', type: 'lines', coordinateSystem: 'cartesian2d',
                data: bars.map(([x, lo, hi]) => ({coords: [[x, lo], [x, hi]]})),
                large: true, largeThreshold: LARGE, polyline: false, silent: true, z: 1,
                lineStyle: {color: INTERVAL_COLOR, width: 1, opacity: 0.5},
                itemStyle: {color: INTERVAL_COLOR},
            }
            : {
                id: 'intervals', name: 'interval', type: 'custom',
                data: bars,
                encode: {x: 0, y: [1, 2]},
                renderItem: renderIntervalBar,
                silent: true, z: 1,
                itemStyle: {color: INTERVAL_COLOR},
            });
        const steps = championSteps(champions, lastIndex);
        series.push({
            id: 'champion-band', name: 'champion interval', type: 'custom',
            data: steps.band,
            encode: {x: [0, 1], y: [2, 3]},
            renderItem: renderBand,
            silent: true, z: 0,
            itemStyle: {color: CHAMPION_COLOR, opacity: 0.16},
        });
        series.push({
            id: 'champion', name: 'champion', type: 'line',
            data: steps.line,
            step: 'end', showSymbol: false, silent: true, z: 4,
            lineStyle: {color: CHAMPION_COLOR, width: 2.5},
            itemStyle: {color: CHAMPION_COLOR},
        });
        // The selection rides along: a separate setOption would render the whole chart a second time.
        series.push(highlightSeries(highlightedAt()));

        const total = view.evaluationsTotal || points.length;
        const omitted = view.pointsOmitted || 0;
        const subtitle = omitted > 0
            ? `showing ${points.length.toLocaleString('en')} of ${(points.length + omitted).toLocaleString('en')} evaluations (downsampled)`
            : `${total.toLocaleString('en')} evaluation${total === 1 ? '' : 's'}`;
        const option = {
            animation: !large,
            // Live updates every few seconds: short, or the chart is always moving.
            animationDurationUpdate: 400,
            textStyle: TEXT_STYLE,
            title: {
                text: `${view.metric || 'objective'} over evaluations`,
                subtext: subtitle,
                left: 12, top: 6,
                textStyle: TITLE_STYLE,
                subtextStyle: {color: omitted > 0 ? '#8a5a00' : '#666', fontSize: 12},
            },
            // Its own row under the title: beside it the two collide on a narrow page; scrolls when still too wide.
            legend: {
                type: 'scroll', top: 50, left: 8, right: 16, itemWidth: 14, itemHeight: 10,
                data: [...VERDICTS.map((v) => v.name), ...(groups.get(OTHER_VERDICT.key).length ? [OTHER_VERDICT.name] : []),
                    'interval', 'champion', 'champion interval'],
            },
            grid: {left: 76, right: 32, top: 84, bottom: 66},
            tooltip: {
                trigger: 'item', confine: true,
                formatter: (event) => pointTooltip(objectivePoint(event)),
            },
            xAxis: {
                type: 'value', name: 'evaluation', nameLocation: 'middle', nameGap: 24,
                // A little room right of the last evaluation so its symbol is not cut in half.
                min: 0, max: Math.ceil(lastIndex * 1.01 + 0.2), minInterval: 1,
                splitLine: {show: false},
            },
            yAxis: {
                type: 'value', scale: true,
                name: `${view.metric || 'value'} (${minimize ? 'lower' : 'higher'} is better)`,
                nameLocation: 'middle', nameGap: 56, nameTextStyle: {color: '#444'},
                axisLabel: {formatter: (v) => formatNumber(v)},
                splitLine: {lineStyle: {color: '#eee'}},
            },
            // Always present, shown or not: a merge cannot drop a graphic element, only change it.
            graphic: [emptyText('no evaluations yet', points.length === 0)],
            series,
        };
        if (fresh) {
            option.dataZoom = [
                {type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 18, bottom: 8,
                    labelFormatter: (v) => Math.round(v)},
                // Wheel zoom only with Ctrl: the page scrolls over the chart otherwise.
                {type: 'inside', xAxisIndex: 0, filterMode: 'none', zoomOnMouseWheel: 'ctrl', moveOnMouseWheel: false},
            ];
        }
        chart.setOption(option, fresh ? {notMerge: true} : {replaceMerge: ['series']});
        const el = elements.objective;
        el.dataset.points = String(points.length);
        el.dataset.pointsOmitted = String(omitted);
        el.dataset.sequence = String(view.sequence ?? '');
    }

    // A champion holds from its own index until the next one's; the last holds to the last evaluation.
    function championSteps(champions, lastIndex) {
        const line = [];
        const band = [];
        champions.forEach((c, i) => {
            const end = i + 1 < champions.length ? champions[i + 1].index : lastIndex;
            line.push([c.index, c.value]);
            if (Number.isFinite(c.ciLow) && Number.isFinite(c.ciHigh)) {
                band.push([c.index, end, c.ciLow, c.ciHigh]);
            }
        });
        if (champions.length) {
            const last = champions[champions.length - 1];
            if (lastIndex > last.index) {
                line.push([lastIndex, last.value]);
            }
        }
        return {line, band};
    }

    function highlightSeries(at) {
        return {
            id: 'highlight', name: 'selected', type: 'scatter',
            data: at ? [at] : [],
            symbol: 'circle', symbolSize: 18, silent: true, z: 10, animation: false,
            itemStyle: {color: 'rgba(0,0,0,0)', borderColor: '#111', borderWidth: 2.5},
        };
    }

    // ---------------------------------------------------------------- states

    function renderStates() {
        const counts = view.experimentsByState || {};
        const total = STATES.reduce((sum, s) => sum + (counts[s.key] || 0), 0);
        charts.states.setOption({
            textStyle: TEXT_STYLE,
            title: {text: 'experiments by state', subtext: `${total.toLocaleString('en')} in all`,
                left: 12, top: 6, textStyle: TITLE_STYLE},
            grid: {left: 56, right: 24, top: 64, bottom: 32},
            tooltip: {trigger: 'item', formatter: (e) => `${escapeHtml(e.name)}: <b>${e.value}</b>`},
            xAxis: {type: 'category', data: STATES.map((s) => s.key), axisTick: {show: false}},
            yAxis: {type: 'value', minInterval: 1, splitLine: {lineStyle: {color: '#eee'}}},
            series: [{
                id: 'states', type: 'bar', barMaxWidth: 56,
                data: STATES.map((s) => ({value: counts[s.key] || 0, itemStyle: {color: s.color}})),
                label: {show: true, position: 'top', color: '#333'},
            }],
        });
        elements.states.dataset.experiments = String(total);
    }

    // ---------------------------------------------------------------- failures

    function renderFailures() {
        const reasons = Object.entries(view.failuresByReason || {})
            .filter(([, n]) => n > 0)
            .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
        const empty = reasons.length === 0;
        const title = {text: 'failures by reason', left: 12, top: 6, textStyle: TITLE_STYLE};
        const option = empty
            ? {textStyle: TEXT_STYLE, title, graphic: [emptyText('no failures', true)]}
            : {
                textStyle: TEXT_STYLE,
                title: {...title, subtext: `${reasons.reduce((s, [, n]) => s + n, 0).toLocaleString('en')} failed`},
                grid: {left: 16, right: 48, top: 64, bottom: 24, containLabel: true},
                tooltip: {trigger: 'item', formatter: (e) => `${escapeHtml(e.name)}: <b>${e.value}</b>`},
                // Largest first, read from the top.
                yAxis: {type: 'category', inverse: true, data: reasons.map(([r]) => r), axisTick: {show: false}},
                xAxis: {type: 'value', minInterval: 1, splitLine: {lineStyle: {color: '#eee'}}},
                series: [{
                    id: 'failures', type: 'bar', barMaxWidth: 22,
                    data: reasons.map(([, n]) => n),
                    itemStyle: {color: '#c62828'},
                    label: {show: true, position: 'right', color: '#333'},
                }],
            };
        // Switching between the bars and the empty text changes the components: start afresh then.
        charts.failures.setOption(option, {notMerge: empty !== failuresEmpty});
        failuresEmpty = empty;
        elements.failures.dataset.reasons = String(reasons.length);
    }

    // ---------------------------------------------------------------- params

    function renderParams(points) {
        const chart = charts.params;
        const parameters = Array.isArray(view.parameters) ? view.parameters : [];
        const title = {text: 'parameters', left: 12, top: 6, textStyle: TITLE_STYLE};
        if (parameters.length === 0) {
            if (paramsKey !== '') {
                chart.setOption({textStyle: TEXT_STYLE, title,
                    graphic: [emptyText('no parameters: this study proposes code', true)]}, {notMerge: true});
                paramsKey = '';
            }
            paramsLines = {lines: [], champions: []};
            elements.params.dataset.axes = '0';
            return;
        }
        const metric = view.metric || 'value';
        const minimize = view.direction !== 'maximize';
        const key = JSON.stringify([view.studyId, metric, view.direction, parameters]);
        const fresh = key !== paramsKey;
        paramsKey = key;

        const row = (p) => [...parameters.map((a) => paramValue(a, p.params?.[a.name])), p.value];
        const lines = points.filter((p) => Number.isFinite(p.value) && p.verdict !== 'invalid');
        const champions = (view.champions || []).map((c) => byId.get(c.proposalId)).filter(Boolean);
        paramsLines = {lines, champions};
        let lo = Infinity;
        let hi = -Infinity;
        for (const p of lines) {
            lo = Math.min(lo, p.value);
            hi = Math.max(hi, p.value);
        }
        if (!Number.isFinite(lo)) {
            lo = 0;
            hi = 1;
        } else if (lo === hi) {
            lo -= Math.abs(lo) * 0.05 || 1;
            hi += Math.abs(hi) * 0.05 || 1;
        }
        const metricDim = parameters.length;
        const many = lines.length > LARGE;
        const option = {
            animation: false,
            textStyle: TEXT_STYLE,
            title: {...title, subtext: `${lines.length.toLocaleString('en')} evaluations`
                    + (lines.length < points.length ? ' (invalid left out)' : '')
                    + ' · champions bold · drag on an axis to filter'},
            tooltip: {
                trigger: 'item', confine: true,
                formatter: (event) => {
                    const list = event.seriesId === 'lines' ? paramsLines.lines
                        : event.seriesId === 'champions' ? paramsLines.champions : null;
                    return pointTooltip(list?.[event.dataIndex], parameters);
                },
            },
            parallel: {left: 64, right: 80, top: 92, bottom: 28,
                parallelAxisDefault: {
                    nameLocation: 'end', nameGap: 12,
                    nameTextStyle: {color: '#222', fontSize: 12, fontWeight: 600},
                    // The lines cross the labels: a backing keeps them readable.
                    axisLabel: {color: '#444', backgroundColor: 'rgba(255,255,255,0.85)', padding: [1, 3],
                        borderRadius: 2},
                    areaSelectStyle: {width: 16, opacity: 0.25},
                }},
            // The spec's bounds and choices; a point from before the search space changed (a fork narrows it) may lie
            // outside them: the axis then stretches to show it where it is rather than pinning it to an end.
            parallelAxis: [
                ...parameters.map((a, dim) => a.kind === 'categorical'
                    ? {dim, name: a.name, type: 'category', data: categories(a, points)}
                    : {dim, name: a.name, type: 'value',
                        min: (extent) => Math.min(a.low, extent.min), max: (extent) => Math.max(a.high, extent.max),
                        minInterval: a.kind === 'int' ? 1 : 0, axisLabel: {formatter: (v) => formatNumber(v)}}),
                {dim: metricDim, name: metric, type: 'value', scale: true,
                    axisLabel: {formatter: (v) => formatNumber(v)},
                    nameTextStyle: {color: '#8a5a00', fontSize: 12, fontWeight: 700}},
            ],
            visualMap: {
                type: 'continuous', dimension: metricDim, seriesIndex: 0, show: lines.length > 0,
                min: lo, max: hi, calculable: true, precision: 3,
                orient: 'horizontal', right: 24, top: 10, itemWidth: 12, itemHeight: 160,
                // Horizontal: text[1] sits left of the bar (at min), text[0] right (at max).
                text: minimize ? ['worse', 'better'] : ['better', 'worse'],
                inRange: {color: minimize ? [...VALUE_RAMP].reverse() : VALUE_RAMP},
                textStyle: {color: '#444'},
            },
            series: [
                {id: 'lines', name: 'evaluations', type: 'parallel',
                    data: lines.map(row),
                    lineStyle: {width: many ? 0.6 : 1.5, opacity: many ? 0.25 : 0.7},
                    emphasis: {lineStyle: {width: 3, opacity: 1}},
                    inactiveOpacity: 0.03, activeOpacity: many ? 0.3 : 0.8,
                    // At most 5000 thin lines (the API's cap). Chunks of 1000 kept each frame short but took ~550 ms
                    // in all on a busy machine, one chunk ~120 ms in one long task; two chunks split the difference.
                    progressive: 2500, progressiveThreshold: 2500, progressiveChunkMode: 'mod',
                    smooth: false, z: 1},
                {id: 'champions', name: 'champions', type: 'parallel',
                    data: champions.map(row),
                    // Bold, but a long study has dozens of champions: thinner then, or they hide the rest.
                    lineStyle: {width: champions.length > 12 ? 2 : 3.5, opacity: 1, color: CHAMPION_COLOR, shadowBlur: 2,
                        shadowColor: 'rgba(0,0,0,0.35)'},
                    emphasis: {lineStyle: {width: 5}},
                    inactiveOpacity: 0.15, z: 3},
                paramsHighlight(highlightedPoint(), parameters),
            ],
        };
        chart.setOption(option, fresh ? {notMerge: true} : {replaceMerge: ['series']});
        elements.params.dataset.axes = String(parameters.length + 1);
    }

    function paramsHighlight(point, parameters) {
        return {
            id: 'highlight', name: 'selected', type: 'parallel', silent: true, z: 5,
            data: point ? [[...parameters.map((a) => paramValue(a, point.params?.[a.name])), point.value]] : [],
            lineStyle: {width: 4, opacity: 1, color: '#111', type: 'solid'},
        };
    }

    // ---------------------------------------------------------------- highlight

    function highlight(proposalId) {
        const next = proposalId || null;
        if (next === highlighted) {
            return;
        }
        highlighted = next;
        if (!disposed && view) {
            applyHighlight();
        }
    }

    function highlightedPoint() {
        const point = highlighted ? byId.get(highlighted) : null;
        return point && Number.isFinite(point.value) ? point : null;
    }

    function highlightedAt() {
        const point = highlightedPoint();
        return point ? [point.index, point.value] : null;
    }

    function applyHighlight() {
        // lazyUpdate: several highlight() calls within a frame render once.
        charts.objective.setOption({series: [highlightSeries(highlightedAt())]}, {lazyUpdate: true});
        if (view.parameters && view.parameters.length) {
            charts.params.setOption({series: [paramsHighlight(highlightedPoint(), view.parameters)]}, {lazyUpdate: true});
        }
        markHighlight();
    }

    function markHighlight() {
        elements.objective.dataset.highlight = highlightedPoint() ? highlighted : '';
    }

    function onPointClick(callback) {
        listeners.add(callback);
        return () => listeners.delete(callback);
    }

    function dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        observer?.disconnect();
        if (frame) {
            cancelAnimationFrame(frame);
        }
        listeners.clear();
        // A big picture is painted over several frames, and ECharts 5.3.1's painter does not stop a paint in progress
        // when disposed: its next frame reads the freed layers ("Cannot read properties of null"). Clearing first
        // repaints at once (an empty chart), which supersedes the pending frame.
        Object.values(charts).forEach((chart) => {
            chart.clear();
            chart.dispose();
        });
        objectiveSeries = [];
        paramsLines = {lines: [], champions: []};
        byId = new Map();
        view = null;
        viewKey = null;
    }

    return {update, highlight, onPointClick, resize, dispose};
}

// ---------------------------------------------------------------- rendering helpers (ECharts custom series)

function renderIntervalBar(params, api) {
    const x = api.value(0);
    const low = api.coord([x, api.value(1)]);
    const high = api.coord([x, api.value(2)]);
    const style = {stroke: api.visual('color'), lineWidth: 1, opacity: 0.55};
    // Whiskers only when the points are far enough apart to tell them from their neighbours.
    const spacing = Math.abs(api.size([1, 0])[0]);
    const cap = Math.min(4, spacing / 3);
    const children = [{type: 'line', shape: {x1: low[0], y1: low[1], x2: high[0], y2: high[1]}, style}];
    if (cap >= 1.5) {
        children.push(
            {type: 'line', shape: {x1: low[0] - cap, y1: low[1], x2: low[0] + cap, y2: low[1]}, style},
            {type: 'line', shape: {x1: high[0] - cap, y1: high[1], x2: high[0] + cap, y2: high[1]}, style});
    }
    return {type: 'group', children};
}

function renderBand(params, api) {
    const topLeft = api.coord([api.value(0), api.value(3)]);
    const bottomRight = api.coord([api.value(1), api.value(2)]);
    const shape = echarts.graphic.clipRectByRect({
        x: topLeft[0], y: topLeft[1], width: bottomRight[0] - topLeft[0], height: bottomRight[1] - topLeft[1],
    }, {x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height});
    return shape && {type: 'rect', shape, style: api.style()};
}

function emptyText(text, shown) {
    return {id: 'empty', type: 'text', left: 'center', top: 'middle', silent: true, invisible: !shown,
        style: {text, fill: '#888', fontSize: 15, fontFamily: TEXT_STYLE.fontFamily}};
}

function categories(axis, points) {
    const known = Array.isArray(axis.choices) ? axis.choices : [];
    const extra = new Set();
    for (const p of points) {
        const value = p.params?.[axis.name];
        if (value !== undefined && value !== null && !known.includes(String(value))) {
            extra.add(String(value));
        }
    }
    return [...known, ...extra];
}

function paramValue(axis, value) {
    if (value === undefined || value === null) {
        return null;
    }
    return axis.kind === 'categorical' ? String(value) : Number(value);
}

function pointTooltip(point, parameters) {
    if (!point) {
        return '';
    }
    const interval = Number.isFinite(point.ciLow) && Number.isFinite(point.ciHigh)
        ? `[${formatNumber(point.ciLow)}, ${formatNumber(point.ciHigh)}]` : 'none';
    const rows = [
        `<b>#${point.index}</b> · ${escapeHtml(VERDICT_NAMES.get(point.verdict) || point.verdict || '')}`,
        `value <b>${formatNumber(point.value)}</b>`,
        `interval ${interval}`,
        `<span style="color:#666">${escapeHtml(point.proposalId)}</span>`,
    ];
    for (const axis of parameters || []) {
        rows.push(`${escapeHtml(axis.name)} = ${escapeHtml(String(point.params?.[axis.name] ?? '—'))}`);
    }
    return rows.join('<br>');
}

function formatNumber(v) {
    if (!Number.isFinite(v)) {
        return String(v);
    }
    const abs = Math.abs(v);
    if (abs !== 0 && (abs >= 1e5 || abs < 1e-4)) {
        return v.toExponential(2);
    }
    return String(Number(v.toPrecision(4)));
}

function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]);
}
