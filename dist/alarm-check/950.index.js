export const id = 950;
export const ids = [950,927];
export const modules = {

/***/ 8927:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  readAlarmStates: () => (/* binding */ readAlarmStates)
});

// UNUSED EXPORTS: ALARM_NAMES_PER_CALL, CLOUDWATCH_PACE, DATAPOINTS_PER_CALL, MonitoringError, QUERIES_PER_CALL, choosePeriod, minimumPeriod, newCallCounter, queriesPerTarget, readAlarmHistory, readAliasTraffic, readCandidateMetrics

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudwatch/dist-cjs/index.js
var dist_cjs = __webpack_require__(4085);
;// CONCATENATED MODULE: ./packages/aws/src/limiter.ts
// Per-region pacing of Lambda control-plane calls.
//
// Lambda shares about 15 control-plane requests per second per region between everything in
// the account (REFERENCE.md); safe-deploy keeps itself under 10 so the team's other tools
// still get through. Each region has its own budget, so regions run fully in parallel and
// only the functions inside one region queue behind each other.
//
// A call counts from the moment it starts until one window after it has answered. A request
// reaches AWS somewhere between those two moments, however long signing, a busy event loop or
// the network held it, so no window of that length ever sees more than `ratePerSecond` of them
// arrive: of any calls arriving within one window, the last to start found all the others still
// counted. (Counting only from the start would let a delayed batch bunch up with the next one.)
const MAX_CALLS_PER_SECOND = 9;
const realSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
class RegionLimiter {
    regions = new Map();
    ratePerSecond;
    concurrency;
    windowMs;
    now;
    sleep;
    constructor(options = {}) {
        const rate = options.ratePerSecond ?? 8;
        if (!(rate > 0 && rate <= MAX_CALLS_PER_SECOND)) {
            throw new Error(`ratePerSecond must be between 1 and ${MAX_CALLS_PER_SECOND} (Lambda shares ~15 control-plane calls/s per region), got ${rate}`);
        }
        this.ratePerSecond = rate;
        this.concurrency = Math.max(1, options.concurrency ?? 8);
        this.windowMs = Math.max(1000, options.windowMs ?? 1200);
        this.now = options.now ?? Date.now;
        this.sleep = options.sleep ?? realSleep;
    }
    slot(region) {
        let slot = this.regions.get(region);
        if (!slot) {
            slot = { counted: [], active: 0, waiting: [], answered: [] };
            this.regions.set(region, slot);
        }
        return slot;
    }
    /** Runs one control-plane call in `region` within the region's concurrency and rate. */
    async run(region, call) {
        const slot = this.slot(region);
        if (slot.active >= this.concurrency) {
            await new Promise((resolve) => slot.waiting.push(resolve));
        }
        else {
            slot.active += 1;
        }
        let entry = null;
        try {
            for (;;) {
                const now = this.now();
                for (let i = slot.counted.length - 1; i >= 0; i -= 1) {
                    const ended = slot.counted[i].endedAt;
                    if (ended !== null && ended <= now - this.windowMs)
                        slot.counted.splice(i, 1);
                }
                if (slot.counted.length < this.ratePerSecond) {
                    entry = { endedAt: null };
                    slot.counted.push(entry);
                    break;
                }
                const ends = slot.counted.map((c) => c.endedAt).filter((t) => t !== null);
                if (ends.length > 0)
                    await this.sleep(Math.max(1, Math.min(...ends) + this.windowMs - now));
                else
                    await new Promise((resolve) => slot.answered.push(resolve)); // all in flight: wait for one to answer
            }
            return await call();
        }
        finally {
            if (entry)
                entry.endedAt = this.now();
            for (const wake of slot.answered.splice(0))
                wake();
            const next = slot.waiting.shift();
            if (next)
                next(); // hand the slot over without releasing it
            else
                slot.active -= 1;
        }
    }
}

;// CONCATENATED MODULE: ./packages/aws/src/cloudwatch.ts
// CloudWatch adapter: alarm states, alarm history and the candidate's own Lambda metrics.
//
// Every CloudWatch call of safe-deploy lives here. Failures (access denied, throttling past the
// SDK's retries, a malformed answer) become a MonitoringError naming the region and the call:
// callers fail closed on it, never treat it as "no alarm".
//
// Every call is paced per region and operation with the limiter discipline of the Lambda calls
// (packages/aws/src/limiter.ts: a call counts from its start until a window after its answer),
// under CloudWatch's quotas (cloudwatch_limits.html): DescribeAlarmHistory 3/s per region and not
// raisable, DescribeAlarms 9/s, GetMetricData 50/s.


/** DescribeAlarms takes at most 100 names per call. */
const ALARM_NAMES_PER_CALL = 100;
/** GetMetricData takes at most 500 queries and returns at most 100,800 data points per call. */
const QUERIES_PER_CALL = 500;
const DATAPOINTS_PER_CALL = 100_800;
class MonitoringError extends Error {
    region;
    operation;
    constructor(region, operation, cause) {
        const error = cause;
        const name = error?.name ?? 'Error';
        const hint = /AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name) || error?.$metadata?.httpStatusCode === 403
            ? ` (the role needs cloudwatch:${operation})`
            : /Throttl|TooManyRequests|RequestLimitExceeded/i.test(name)
                ? ' (throttled past the SDK retries)'
                : '';
        super(`CloudWatch ${operation} in ${region} failed: ${name}: ${error?.message ?? String(cause)}${hint}`);
        this.region = region;
        this.operation = operation;
        this.name = 'MonitoringError';
    }
}
/** Calls per region in any 1.2 s window, per operation: each below its CloudWatch quota. */
const CLOUDWATCH_PACE = {
    DescribeAlarmHistory: { ratePerSecond: 2, concurrency: 2 }, // quota 3/s: at most 2 per 1.2 s
    DescribeAlarms: { ratePerSecond: 6, concurrency: 6 }, // quota 9/s: at most 6 per 1.2 s
    GetMetricData: { ratePerSecond: 9, concurrency: 9 }, // quota 50/s: at most 9 per 1.2 s
};
/** One limiter per operation, shared by everything that uses the same clients (one process, one budget). */
const pacers = new WeakMap();
function pacer(clients, operation) {
    let byOperation = pacers.get(clients);
    if (!byOperation) {
        byOperation = new Map();
        pacers.set(clients, byOperation);
    }
    let limiter = byOperation.get(operation);
    if (!limiter) {
        limiter = new RegionLimiter(CLOUDWATCH_PACE[operation]);
        byOperation.set(operation, limiter);
    }
    return limiter;
}
async function call(clients, region, operation, send) {
    try {
        return await pacer(clients, operation).run(region, send);
    }
    catch (error) {
        throw new MonitoringError(region, operation, error);
    }
}
function asState(value) {
    if (value === 'OK' || value === 'ALARM' || value === 'INSUFFICIENT_DATA')
        return value;
    // An unknown state is not OK: report it as insufficient data so the policy decides.
    return 'INSUFFICIENT_DATA';
}
function toStatus(region, kind, alarm) {
    return {
        region,
        name: alarm.AlarmName ?? '',
        kind,
        state: asState(alarm.StateValue),
        reason: alarm.StateReason ?? '',
        updatedAt: alarm.StateUpdatedTimestamp ? new Date(alarm.StateUpdatedTimestamp).toISOString() : null,
    };
}
function newCallCounter() {
    return { describeAlarms: 0, getMetricData: 0, describeAlarmHistory: 0 };
}
/**
 * Reads the state of every referenced alarm in one region, metric and composite alarms alike:
 * names in batches of 100 per DescribeAlarms call, each prefix through AlarmNamePrefix with
 * pagination. Names that do not exist and prefixes matching nothing are listed in `missing`.
 */
async function readAlarmStates(clients, region, refs, counter) {
    const client = clients.cloudwatch(region);
    const found = new Map();
    const missing = [];
    const collect = (page) => {
        const statuses = [
            ...(page.MetricAlarms ?? []).map((a) => toStatus(region, 'metric', a)),
            ...(page.CompositeAlarms ?? []).map((a) => toStatus(region, 'composite', a)),
        ];
        for (const status of statuses)
            found.set(status.name, status);
        return statuses;
    };
    for (let i = 0; i < refs.names.length; i += ALARM_NAMES_PER_CALL) {
        const batch = refs.names.slice(i, i + ALARM_NAMES_PER_CALL);
        let token;
        do {
            const page = await call(clients, region, 'DescribeAlarms', () => client.send(new dist_cjs/* DescribeAlarmsCommand */.zWD({ AlarmNames: batch, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: token })));
            if (counter)
                counter.describeAlarms++;
            collect(page);
            token = page.NextToken;
        } while (token);
        for (const name of batch)
            if (!found.has(name))
                missing.push(name);
    }
    for (const prefix of refs.prefixes) {
        let token;
        let matched = 0;
        do {
            const page = await call(clients, region, 'DescribeAlarms', () => client.send(new dist_cjs/* DescribeAlarmsCommand */.zWD({ AlarmNamePrefix: prefix, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: token })));
            if (counter)
                counter.describeAlarms++;
            matched += collect(page).length;
            token = page.NextToken;
        } while (token);
        if (matched === 0)
            missing.push(`prefix:${prefix}`);
    }
    const alarms = [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
    return { region, alarms, missing };
}
function parseTransition(region, name, at, data, summary) {
    let from = null;
    let to = null;
    try {
        const parsed = JSON.parse(data ?? '{}');
        from = parsed.oldState?.stateValue ? asState(parsed.oldState.stateValue) : null;
        to = parsed.newState?.stateValue ? asState(parsed.newState.stateValue) : null;
    }
    catch {
        // fall back to the summary text below
    }
    if (!to) {
        const match = /to (OK|ALARM|INSUFFICIENT_DATA)\b/.exec(summary);
        to = match ? asState(match[1]) : 'INSUFFICIENT_DATA';
    }
    return { region, name, at: (at ? new Date(at) : new Date(0)).toISOString(), from, to, summary };
}
/**
 * State changes of the named alarms (metric and composite) between `since` and `until`, oldest
 * first. One paged DescribeAlarmHistory query per region for every alarm (no AlarmName; StateUpdate
 * items of the date range, 100 a page), filtered here by name: the calls grow with the region's
 * state changes in the window, not with the number of alarms, and are paced under the 3/s quota.
 */
async function readAlarmHistory(clients, region, names, since, until, counter) {
    if (names.length === 0)
        return [];
    const client = clients.cloudwatch(region);
    const wanted = new Set(names);
    const transitions = [];
    let token;
    do {
        const page = await call(clients, region, 'DescribeAlarmHistory', () => client.send(new DescribeAlarmHistoryCommand({
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            HistoryItemType: 'StateUpdate',
            StartDate: since,
            EndDate: until,
            MaxRecords: 100,
            NextToken: token,
        })));
        if (counter)
            counter.describeAlarmHistory++;
        for (const item of page.AlarmHistoryItems ?? []) {
            if (!item.AlarmName || !wanted.has(item.AlarmName))
                continue;
            transitions.push(parseTransition(region, item.AlarmName, item.Timestamp, item.HistoryData, item.HistorySummary ?? ''));
        }
        token = page.NextToken;
    } while (token);
    return transitions.sort((a, b) => a.at.localeCompare(b.at));
}
function dimensions(fn, alias, version) {
    // The order matters to some emulators (moto matches dimension lists in order); Lambda publishes them in this order.
    return [
        { Name: 'FunctionName', Value: fn },
        { Name: 'Resource', Value: `${fn}:${alias}` },
        ...(version === null ? [] : [{ Name: 'ExecutedVersion', Value: version }]),
    ];
}
const DAY_MS = 86_400_000;
/**
 * The smallest period GetMetricData answers for a window starting `startAgeMs` ago: CloudWatch
 * keeps 1-minute data 15 days and 5-minute data 63 days, and for an older start a shorter period
 * returns no data points at all (GetMetricData API reference, StartTime).
 */
function minimumPeriod(startAgeMs) {
    if (startAgeMs > 63 * DAY_MS)
        return 3600;
    if (startAgeMs > 15 * DAY_MS)
        return 300;
    return 60;
}
/**
 * Period for the per-period series: whole minutes, coarse enough to stay under the data-point limit
 * of one call, and a multiple of 300 s (3600 s) when the start is more than 15 (63) days ago.
 */
function choosePeriod(windowMs, queries, startAgeMs = 0) {
    const seconds = Math.max(60, Math.ceil(windowMs / 1000));
    const perQuery = Math.max(1, Math.floor(DATAPOINTS_PER_CALL / Math.max(1, queries)));
    // At most 1,440 points per series: a chart never needs more.
    const points = Math.min(perQuery, 1440);
    const step = minimumPeriod(startAgeMs);
    return Math.max(step, Math.ceil(seconds / points / step) * step);
}
/** How many queries a target needs, so callers can predict calls per poll. */
function queriesPerTarget(options) {
    return 2 + (options.aliasThrottles ? 1 : 0) + (options.p99 ? 1 : 0) + (options.stable ? 2 : 0) + (options.p99 && options.stable && options.stableP99 ? 1 : 0);
}
/**
 * The candidate's own Lambda metrics for many functions of one region over a window, through the
 * `Resource` (`fn:alias`) and `ExecutedVersion` dimensions: Invocations and Errors sums, optionally
 * the p99 Duration, the stable version's invocations and errors, and the alias's Throttles over all
 * versions. One GetMetricData call (following NextToken) per 500 queries, so one call per region
 * for up to 100 functions (71 with every option).
 */
async function readCandidateMetrics(clients, region, targets, window, options = {}, counter) {
    const perTarget = queriesPerTarget(options);
    const windowMs = window.end.getTime() - window.start.getTime();
    if (windowMs <= 0)
        throw new Error(`metric window in ${region} is empty (${window.start.toISOString()} to ${window.end.toISOString()})`);
    const startAgeMs = (options.now ?? Date.now()) - window.start.getTime();
    const period = choosePeriod(windowMs, Math.min(QUERIES_PER_CALL, targets.length * perTarget), startAgeMs);
    // The percentile covers the whole window in one period (a percentile of periods cannot be summed).
    const step = minimumPeriod(startAgeMs);
    const wholePeriod = Math.max(step, Math.ceil(windowMs / 1000 / step) * step);
    const plans = [];
    targets.forEach((target, index) => {
        const add = (which, metric, version) => {
            const metricName = { inv: 'Invocations', err: 'Errors', thr: 'Throttles', p99: 'Duration' }[metric];
            const id = `t${index}_${which[0]}_${metric}`;
            plans.push({
                plan: { id, target: index, which, metric },
                query: {
                    Id: id,
                    ReturnData: true,
                    MetricStat: {
                        Metric: { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: dimensions(target.function, target.alias, version) },
                        Period: metric === 'p99' ? wholePeriod : period,
                        Stat: metric === 'p99' ? 'p99' : 'Sum',
                    },
                },
            });
        };
        add('candidate', 'inv', target.candidate);
        add('candidate', 'err', target.candidate);
        if (options.p99)
            add('candidate', 'p99', target.candidate);
        if (options.stable && target.stable) {
            add('stable', 'inv', target.stable);
            add('stable', 'err', target.stable);
            if (options.p99 && options.stableP99)
                add('stable', 'p99', target.stable);
        }
        if (options.aliasThrottles)
            add('alias', 'thr', null);
    });
    const results = await metricData(clients, region, plans.map((p) => p.query), window, counter);
    return targets.map((target, index) => {
        const series = (which, metric) => results.get(`t${index}_${which[0]}_${metric}`) ?? { t: [], v: [] };
        const version = (which, name) => {
            const inv = series(which, 'inv');
            const err = series(which, 'err');
            const byTime = new Map();
            inv.t.forEach((t, k) => byTime.set(t, { invocations: inv.v[k] ?? 0, errors: 0 }));
            err.t.forEach((t, k) => {
                const point = byTime.get(t) ?? { invocations: 0, errors: 0 };
                point.errors = err.v[k] ?? 0;
                byTime.set(t, point);
            });
            const p99 = series(which, 'p99');
            return {
                version: name,
                invocations: sum(inv.v),
                errors: sum(err.v),
                p99Ms: p99.v.length > 0 ? Math.max(...p99.v) : null,
                points: [...byTime.entries()].sort(([a], [b]) => a - b).map(([t, p]) => ({ t, ...p })),
            };
        };
        const throttles = series('alias', 'thr');
        return {
            region,
            function: target.function,
            alias: target.alias,
            candidate: version('candidate', target.candidate),
            stable: options.stable && target.stable ? version('stable', target.stable) : null,
            ...(options.aliasThrottles ? { aliasThrottles: throttles.v.length > 0 ? sum(throttles.v) : null } : {}),
        };
    });
}
/**
 * What each alias served over a window, all its versions together (`FunctionName` + `Resource`,
 * no `ExecutedVersion`): Invocations and Errors summed over the window. Before a shift the alias
 * serves only its stable version, so this is the stable version's recent traffic, the baseline a
 * bake's judge is planned from. One GetMetricData call per region for up to 250 functions.
 */
async function readAliasTraffic(clients, region, targets, window, options = {}, counter) {
    const windowMs = window.end.getTime() - window.start.getTime();
    if (windowMs <= 0)
        throw new Error(`metric window in ${region} is empty (${window.start.toISOString()} to ${window.end.toISOString()})`);
    const step = minimumPeriod((options.now ?? Date.now()) - window.start.getTime());
    const period = choosePeriod(windowMs, Math.min(QUERIES_PER_CALL, targets.length * 2), (options.now ?? Date.now()) - window.start.getTime());
    const queries = targets.flatMap((target, index) => ['Invocations', 'Errors'].map((metricName) => ({
        Id: `b${index}_${metricName === 'Invocations' ? 'inv' : 'err'}`,
        ReturnData: true,
        MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: dimensions(target.function, target.alias, null) }, Period: Math.max(step, period), Stat: 'Sum' },
    })));
    const results = await metricData(clients, region, queries, window, counter);
    return targets.map((target, index) => ({
        function: target.function,
        alias: target.alias,
        invocations: sum(results.get(`b${index}_inv`)?.v ?? []),
        errors: sum(results.get(`b${index}_err`)?.v ?? []),
    }));
}
/** Every series of some queries over a window: one GetMetricData call per 500 queries, following NextToken. */
async function metricData(clients, region, queries, window, counter) {
    const results = new Map();
    for (let i = 0; i < queries.length; i += QUERIES_PER_CALL) {
        const chunk = queries.slice(i, i + QUERIES_PER_CALL);
        let token;
        do {
            const page = await call(clients, region, 'GetMetricData', () => clients.cloudwatch(region).send(new GetMetricDataCommand({ StartTime: window.start, EndTime: window.end, MetricDataQueries: chunk, ScanBy: 'TimestampAscending', NextToken: token })));
            if (counter)
                counter.getMetricData++;
            for (const result of page.MetricDataResults ?? [])
                merge(region, results, result);
            token = page.NextToken;
        } while (token);
    }
    return results;
}
function merge(region, results, result) {
    if (!result.Id)
        return;
    if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') {
        throw new MonitoringError(region, 'GetMetricData', new Error(`query ${result.Id} answered ${result.StatusCode}: ${(result.Messages ?? []).map((m) => m.Value).join('; ')}`));
    }
    const entry = results.get(result.Id) ?? { t: [], v: [] };
    (result.Timestamps ?? []).forEach((t, k) => {
        entry.t.push(new Date(t).getTime());
        entry.v.push(result.Values?.[k] ?? 0);
    });
    results.set(result.Id, entry);
}
function sum(values) {
    return values.reduce((a, b) => a + b, 0);
}


/***/ }),

/***/ 9950:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  stoppedRegions: () => (/* binding */ stoppedRegions)
});

// UNUSED EXPORTS: stopTheLine

// EXTERNAL MODULE: ./packages/aws/src/cloudwatch.ts + 1 modules
var cloudwatch = __webpack_require__(8927);
// EXTERNAL MODULE: ./packages/core/src/guardian.ts
var guardian = __webpack_require__(4170);
// EXTERNAL MODULE: ./packages/core/src/log-safe.ts
var log_safe = __webpack_require__(5745);
;// CONCATENATED MODULE: ./packages/deploy/src/text.ts
// Errors as one log-safe text: AWS messages can carry anything (control characters, runner commands).

/** Error names that add nothing in front of their message. */
const PLAIN = new Set(['Error', 'LambdaDeployError', 'AccessDeniedError']);
/** The error's message, prefixed with its name when the name says more (`ThrottlingException: Rate exceeded`). */
function errorText(error, max = 4000) {
    const e = error;
    const text = e?.message ? (e.name && !e.message.startsWith(e.name) && !PLAIN.has(e.name) ? `${e.name}: ${e.message}` : e.message) : String(error);
    return (0,log_safe/* logSafe */.sN)(text, max);
}
/** The error's message alone, log-safe. */
function messageText(error, max = 4000) {
    const e = error;
    return logSafe(e?.message ?? String(error), max);
}

;// CONCATENATED MODULE: ./packages/deploy/src/stop-the-line.ts



/** Reads the stop-the-line alarms in one region (DescribeAlarms) and says whether the line is stopped. */
async function stopTheLine(clients, region, stopAlarms) {
    const refs = typeof stopAlarms === 'string' ? (0,guardian/* parseStopAlarms */.EQ)(stopAlarms) : stopAlarms;
    if (refs.names.length + refs.prefixes.length === 0)
        return (0,guardian/* stopTheLineVerdict */.$S)(region, refs, [], []);
    const read = await (0,cloudwatch.readAlarmStates)(clients, region, refs);
    return (0,guardian/* stopTheLineVerdict */.$S)(region, refs, read.alarms, read.missing);
}
/**
 * One line per region where nothing may start: a stop-the-line alarm fires, is missing, or cannot be
 * read (fail closed). Empty when every region is clear or no stop-the-line alarm is configured.
 */
async function stoppedRegions(clients, regions, stopAlarms) {
    if (stopAlarms === null || stopAlarms === undefined || (typeof stopAlarms === 'string' && stopAlarms.trim() === ''))
        return [];
    const lines = await Promise.all(regions.map(async (region) => {
        try {
            const verdict = await stopTheLine(clients, region, stopAlarms);
            return verdict.stopped ? verdict.message : null;
        }
        catch (error) {
            return `stop-the-line alarms (SAFE_DEPLOY_STOP_ALARMS) cannot be read in ${region}, so nothing starts unwatched: ${errorText(error, 1000)}`;
        }
    }));
    return lines.filter((l) => l !== null);
}


/***/ })

};
