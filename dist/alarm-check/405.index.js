export const id = 405;
export const ids = [405];
export const modules = {

/***/ 8405:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readAlarmStates: () => (/* binding */ readAlarmStates)
/* harmony export */ });
/* unused harmony exports ALARM_NAMES_PER_CALL, QUERIES_PER_CALL, DATAPOINTS_PER_CALL, MonitoringError, newCallCounter, readAlarmHistory, choosePeriod, queriesPerTarget, readCandidateMetrics */
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4085);
// CloudWatch adapter: alarm states, alarm history and the candidate's own Lambda metrics.
//
// Every CloudWatch call of safe-deploy lives here. Failures (access denied, throttling past the
// SDK's retries, a malformed answer) become a MonitoringError naming the region and the call:
// callers fail closed on it, never treat it as "no alarm".

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
async function call(region, operation, send) {
    try {
        return await send();
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
            const page = await call(region, 'DescribeAlarms', () => client.send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_0__/* .DescribeAlarmsCommand */ .zWD({ AlarmNames: batch, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: token })));
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
            const page = await call(region, 'DescribeAlarms', () => client.send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_0__/* .DescribeAlarmsCommand */ .zWD({ AlarmNamePrefix: prefix, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: token })));
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
/** State changes of the named alarms (metric and composite) between `since` and `until`, oldest first. */
async function readAlarmHistory(clients, region, names, since, until, counter) {
    const client = clients.cloudwatch(region);
    const transitions = [];
    for (const name of names) {
        let token;
        do {
            const page = await call(region, 'DescribeAlarmHistory', () => client.send(new DescribeAlarmHistoryCommand({
                AlarmName: name,
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
                transitions.push(parseTransition(region, item.AlarmName ?? name, item.Timestamp, item.HistoryData, item.HistorySummary ?? ''));
            }
            token = page.NextToken;
        } while (token);
    }
    return transitions.sort((a, b) => a.at.localeCompare(b.at));
}
function dimensions(fn, alias, version) {
    // The order matters to some emulators (moto matches dimension lists in order); Lambda publishes them in this order.
    return [
        { Name: 'FunctionName', Value: fn },
        { Name: 'Resource', Value: `${fn}:${alias}` },
        { Name: 'ExecutedVersion', Value: version },
    ];
}
/** Period for the per-period series: whole minutes, coarse enough to stay under the data-point limit of one call. */
function choosePeriod(windowMs, queries) {
    const seconds = Math.max(60, Math.ceil(windowMs / 1000));
    const perQuery = Math.max(1, Math.floor(DATAPOINTS_PER_CALL / Math.max(1, queries)));
    // At most 1,440 points per series: a chart never needs more.
    const points = Math.min(perQuery, 1440);
    return Math.max(60, Math.ceil(seconds / points / 60) * 60);
}
/** How many queries a target needs, so callers can predict calls per poll. */
function queriesPerTarget(options) {
    return 3 + (options.p99 ? 1 : 0) + (options.stable ? 2 : 0);
}
/**
 * The candidate's own Lambda metrics for many functions of one region over a window, through the
 * `Resource` (`fn:alias`) and `ExecutedVersion` dimensions: Invocations, Errors and Throttles sums,
 * optionally the p99 Duration and the stable version's invocations and errors. One GetMetricData
 * call (following NextToken) per 500 queries, so one call per region for up to 83 functions.
 */
async function readCandidateMetrics(clients, region, targets, window, options = {}, counter) {
    const client = clients.cloudwatch(region);
    const perTarget = queriesPerTarget(options);
    const windowMs = window.end.getTime() - window.start.getTime();
    if (windowMs <= 0)
        throw new Error(`metric window in ${region} is empty (${window.start.toISOString()} to ${window.end.toISOString()})`);
    const period = choosePeriod(windowMs, Math.min(QUERIES_PER_CALL, targets.length * perTarget));
    // The percentile covers the whole window in one period (a percentile of periods cannot be summed).
    const wholePeriod = Math.max(60, Math.ceil(windowMs / 1000 / 60) * 60);
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
        add('candidate', 'thr', target.candidate);
        if (options.p99)
            add('candidate', 'p99', target.candidate);
        if (options.stable && target.stable) {
            add('stable', 'inv', target.stable);
            add('stable', 'err', target.stable);
        }
    });
    const results = new Map();
    for (let i = 0; i < plans.length; i += QUERIES_PER_CALL) {
        const chunk = plans.slice(i, i + QUERIES_PER_CALL);
        let token;
        do {
            const page = await call(region, 'GetMetricData', () => client.send(new GetMetricDataCommand({
                StartTime: window.start,
                EndTime: window.end,
                MetricDataQueries: chunk.map((p) => p.query),
                ScanBy: 'TimestampAscending',
                NextToken: token,
            })));
            if (counter)
                counter.getMetricData++;
            for (const result of page.MetricDataResults ?? [])
                merge(region, results, result);
            token = page.NextToken;
        } while (token);
    }
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
                throttles: which === 'candidate' ? sum(series(which, 'thr').v) : 0,
                p99Ms: p99.v.length > 0 ? Math.max(...p99.v) : null,
                points: [...byTime.entries()].sort(([a], [b]) => a - b).map(([t, p]) => ({ t, ...p })),
            };
        };
        return {
            region,
            function: target.function,
            alias: target.alias,
            candidate: version('candidate', target.candidate),
            stable: options.stable && target.stable ? version('stable', target.stable) : null,
        };
    });
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


/***/ })

};
