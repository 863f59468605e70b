export const id = 424;
export const ids = [424];
export const modules = {

/***/ 4424:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  sweepRegions: () => (/* binding */ sweepRegions)
});

// UNUSED EXPORTS: aliasReports

;// CONCATENATED MODULE: ./packages/core/src/guardian-events.ts
// The two EventBridge events the guardian receives, in their documented shapes (EventBridge user
// guide, "Amazon CloudWatch events" and "Scheduled events"): what the sentinel, the local demo's
// guardian and the benches hand to runGuardian, so every entry point feeds it the same events.
// Pure: the caller gives the time and the id.
/** A "CloudWatch Alarm State Change" event from aws.cloudwatch (metric alarm shape). */
function alarmStateChangeEvent(change) {
    return {
        version: '0',
        id: change.id,
        'detail-type': 'CloudWatch Alarm State Change',
        source: 'aws.cloudwatch',
        account: change.account,
        time: change.time,
        region: change.region,
        resources: [`arn:aws:cloudwatch:${change.region}:${change.account}:alarm:${change.alarmName}`],
        detail: {
            alarmName: change.alarmName,
            state: { value: change.state, reason: change.reason, timestamp: change.time },
            previousState: { value: change.previous, reason: '', timestamp: change.time },
        },
    };
}
/** The "Scheduled Event" from aws.events that the guardian's sweep rule delivers. */
function sweepEvent(region, id, time, account = '') {
    return { version: '0', id, 'detail-type': 'Scheduled Event', source: 'aws.events', account, time, region, resources: [], detail: {} };
}

// EXTERNAL MODULE: ./packages/core/src/log-safe.ts
var log_safe = __webpack_require__(5745);
// EXTERNAL MODULE: ./packages/core/src/guardian-entry.ts
var guardian_entry = __webpack_require__(2411);
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
async function cloudwatch_call(clients, region, operation, send) {
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
async function cloudwatch_readAlarmStates(clients, region, refs, counter) {
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
            const page = await cloudwatch_call(clients, region, 'DescribeAlarms', () => client.send(new dist_cjs/* DescribeAlarmsCommand */.zWD({ AlarmNames: batch, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: token })));
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
            const page = await cloudwatch_call(clients, region, 'DescribeAlarms', () => client.send(new dist_cjs/* DescribeAlarmsCommand */.zWD({ AlarmNamePrefix: prefix, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: token })));
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
        const page = await cloudwatch_call(clients, region, 'DescribeAlarmHistory', () => client.send(new DescribeAlarmHistoryCommand({
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
            const page = await cloudwatch_call(clients, region, 'GetMetricData', () => clients.cloudwatch(region).send(new GetMetricDataCommand({ StartTime: window.start, EndTime: window.end, MetricDataQueries: chunk, ScanBy: 'TimestampAscending', NextToken: token })));
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

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ssm/dist-cjs/index.js
var client_ssm_dist_cjs = __webpack_require__(4736);
;// CONCATENATED MODULE: ./packages/aws/src/deployment-store.ts
/**
 * The deployment store: one SSM Parameter Store parameter (standard tier, String) per deployment
 * and region, `<path>/<alias>/<service or first function>`, holding what the guardian needs beyond
 * the alias record (packages/core/src/guardian-entry.ts): functions, regions, alias, stage, rollback
 * alarms, lease, commit and run. Same account and region as the aliases; no stack needed.
 *
 * API (every function takes a StoreContext from `storeContext({ clients })` first):
 * - `writeDeployment(ctx, region, entry)` → `{ name, version }`: PutParameter (Overwrite), before
 *     wave-deploy's first shift in the region.
 * - `renewLease(ctx, region, entry, until)` → `'renewed' | 'missing' | 'other-deployment'`: rewrites
 *     the entry with a later lease (or none: `until` null parks a one-box whose last bake passed),
 *     only when the stored one is the same deployment (commit and run).
 * - `endLease(ctx, region, entry)` → `'ended' | 'missing' | 'other-deployment'`: deletes the entry
 *     (the wave's last bake passed), only when it is the same deployment.
 * - `listInFlight(ctx, region)` → every entry under the path (GetParametersByPath, recursive, all
 *     pages), decoded strictly; a value that does not decode is listed by name with its problem.
 *
 * Calls are paced per region (a RegionLimiter of their own, 3 calls per second: Parameter Store's
 * default throughput is shared by every GetParameter(s)/PutParameter of the account and region) and
 * retried by the SDK's standard retry mode (AwsClients). Failures become StoreError, naming region,
 * operation and parameter.
 */



/** Store calls per region and counting window: well under Parameter Store's default throughput. */
const STORE_CALLS_PER_SECOND = 3;
function deployment_store_storeContext(options) {
    return {
        clients: options.clients,
        path: (0,guardian_entry/* checkStorePath */.vG)(options.path ?? guardian_entry/* DEFAULT_STORE_PATH */.QA),
        limiter: options.limiter ?? new RegionLimiter({ ratePerSecond: STORE_CALLS_PER_SECOND, concurrency: STORE_CALLS_PER_SECOND, sleep: options.sleep ?? realSleep, now: options.now }),
        onCall: options.onCall,
    };
}
class StoreError extends Error {
    region;
    operation;
    parameter;
    constructor(region, operation, parameter, cause) {
        const error = cause;
        const name = error?.name ?? 'Error';
        const hint = /AccessDenied|NotAuthorized/i.test(name) || error?.$metadata?.httpStatusCode === 403
            ? ` (the role needs ssm:${operation} on ${parameter})`
            : /Throttl|TooManyRequests|RateExceeded/i.test(name)
                ? ' (throttled past the SDK retries; Parameter Store throughput is shared by the account and region)'
                : '';
        super(`Parameter Store ${operation} of ${parameter} in ${region} failed: ${name}: ${error?.message ?? String(cause)}${hint}`);
        this.region = region;
        this.operation = operation;
        this.parameter = parameter;
        this.name = 'StoreError';
    }
}
function ssm(ctx, region) {
    return ctx.clients.other('ssm', region, (config) => new client_ssm_dist_cjs/* SSMClient */.jBj(config));
}
async function deployment_store_call(ctx, region, operation, parameter, send) {
    return ctx.limiter.run(region, async () => {
        ctx.onCall?.(region, operation);
        try {
            return await send();
        }
        catch (error) {
            throw new StoreError(region, operation, parameter, error);
        }
    });
}
function isNotFound(error) {
    return error instanceof StoreError && /ParameterNotFound/.test(error.message);
}
/** Writes (or overwrites) the deployment's entry in one region. */
async function deployment_store_writeDeployment(ctx, region, entry) {
    const name = entryName(ctx.path, entry);
    const value = encodeEntry(entry);
    const answer = await deployment_store_call(ctx, region, 'PutParameter', name, () => ssm(ctx, region).send(new PutParameterCommand({
        Name: name,
        Value: value,
        Type: 'String',
        Tier: 'Standard',
        Overwrite: true,
        Description: `safe-deploy deployment ${entry.service ?? entry.functions[0]} ${entry.stage ?? ''} commit ${entry.commit}`.trim().slice(0, 1024),
    })));
    return { name, version: answer.Version ?? 0 };
}
/** The entry stored under the deployment's name in one region (null: none). */
async function deployment_store_readDeployment(ctx, region, entry) {
    const name = (0,guardian_entry/* entryName */.MB)(ctx.path, entry);
    try {
        const answer = await deployment_store_call(ctx, region, 'GetParameter', name, () => ssm(ctx, region).send(new client_ssm_dist_cjs/* GetParameterCommand */.lhy({ Name: name })));
        const decoded = (0,guardian_entry/* decodeEntry */.LP)(answer.Parameter?.Value);
        return decoded.ok ? { name, ok: true, entry: decoded.entry } : { name, ok: false, problem: decoded.problem };
    }
    catch (error) {
        if (isNotFound(error))
            return null;
        throw error;
    }
}
function sameDeployment(a, b) {
    return a.commit === b.commit.slice(0, 12) && a.run === b.run.slice(0, 24) && a.alias === b.alias;
}
/**
 * Moves the lease of the deployment to `until` (unix seconds; null clears it: the entry stays watched
 * on its alarms and never expires), only when the stored entry is this deployment.
 */
async function renewLease(ctx, region, entry, until) {
    const stored = await deployment_store_readDeployment(ctx, region, entry);
    if (!stored)
        return 'missing';
    if (!stored.ok || !sameDeployment(stored.entry, entry))
        return 'other-deployment';
    await deployment_store_writeDeployment(ctx, region, { ...stored.entry, lease: until === null ? null : Math.floor(until), at: Math.floor(Date.now() / 1000) });
    return 'renewed';
}
/** Deletes the deployment's entry (its last bake in the region passed), only when it is this deployment. */
async function endLease(ctx, region, entry) {
    const stored = await deployment_store_readDeployment(ctx, region, entry);
    if (!stored)
        return 'missing';
    if (!stored.ok || !sameDeployment(stored.entry, entry))
        return 'other-deployment';
    const name = (0,guardian_entry/* entryName */.MB)(ctx.path, entry);
    try {
        await deployment_store_call(ctx, region, 'DeleteParameter', name, () => ssm(ctx, region).send(new client_ssm_dist_cjs/* DeleteParameterCommand */.Obs({ Name: name })));
    }
    catch (error) {
        if (isNotFound(error))
            return 'missing';
        throw error;
    }
    return 'ended';
}
/** Every entry under the store path in one region, decoded; unreadable ones listed by name and problem. */
async function deployment_store_listInFlight(ctx, region) {
    const parameters = [];
    let token;
    do {
        const page = await deployment_store_call(ctx, region, 'GetParametersByPath', ctx.path, () => ssm(ctx, region).send(new client_ssm_dist_cjs/* GetParametersByPathCommand */.o_y({ Path: ctx.path, Recursive: true, MaxResults: 10, NextToken: token })));
        parameters.push(...(page.Parameters ?? []));
        token = page.NextToken;
    } while (token);
    return parameters
        .map((p) => {
        const name = p.Name ?? '';
        const decoded = (0,guardian_entry/* decodeEntry */.LP)(p.Value);
        return decoded.ok ? { name, ok: true, entry: decoded.entry } : { name, ok: false, problem: decoded.problem };
    })
        .sort((a, b) => a.name.localeCompare(b.name));
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-lambda/dist-cjs/index.js
var client_lambda_dist_cjs = __webpack_require__(1696);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
;// CONCATENATED MODULE: ./packages/core/src/deployment.ts
// The deployment record and the `deployment` JSON handed between actions.
//
// Two shapes live here:
// - AliasRecord: the compact JSON kept in a Lambda alias Description (at most 256 characters).
//   It is written by the same UpdateAlias call that moves the traffic, so the split and the
//   knowledge of how to undo it always change together.
// - Deployment: the `deployment` output of wave-deploy, the input of bake-gate and rollback.

const ALIAS_DESCRIPTION_LIMIT = 256;
const RECORD_FORMAT = 1;
/**
 * Where a deployment stands on one alias.
 * - shifting: traffic is moving in steps; the candidate holds part of the traffic.
 * - baking:   the candidate holds its share of the wave and waits for the bake.
 * - promoted: the candidate holds all traffic; `stable` is still the rollback target.
 * - rolled-back: the alias is back on `stable`; `candidate` is the version that was refused.
 */
const DEPLOYMENT_STATES = ['shifting', 'baking', 'promoted', 'rolled-back'];
/** States a sentinel must keep watching: the candidate serves traffic and the bake is not over. */
const IN_FLIGHT_STATES = (/* unused pure expression or super */ null && (['shifting', 'baking']));
/** Characters of the record's commit (`g`) and run (`r`) fields. */
const RECORD_TOKEN = /^[0-9A-Za-z._-]*$/;
// Short keys keep the record well under the 256-character Description limit.
const wireRecord = schemas/* object */.Ikc({
    sd: schemas/* literal */.euz(RECORD_FORMAT),
    s: schemas/* string */.YjP().regex(/^\d+$/),
    c: schemas/* string */.YjP().regex(/^\d+$/).nullable(),
    p: schemas/* string */.YjP().regex(/^\d+$/).nullable(),
    w: schemas/* number */.aig().min(0).max(1),
    st: schemas/* enum */.k5n(DEPLOYMENT_STATES),
    // Commit and run id reach logs and summaries: only the characters a commit or run id can have
    // (a newline here could start a runner command such as `::stop-commands::`).
    g: schemas/* string */.YjP().max(40).regex(RECORD_TOKEN),
    r: schemas/* string */.YjP().max(24).regex(RECORD_TOKEN),
    t: schemas/* number */.aig().int().nonnegative(),
})
    .strict();
/**
 * Weights are kept to 5 decimals. The Lambda API documents AdditionalVersionWeights only as a double
 * between 0.0 and 1.0; every share safe-deploy writes comes from a percentage with at most 3 decimals
 * (5 decimals as a fraction), so rounding here never changes what was asked, and read-backs compare
 * within half a unit of the 5th decimal (`sameWeight`) in case Lambda stores the double differently.
 */
function roundWeight(weight) {
    return Math.round(weight * 100_000) / 100_000;
}
/** Two weights are the same share when they differ by at most half a unit of the 5th decimal. */
function sameWeight(a, b) {
    return Math.abs(a - b) <= 0.000005 + Number.EPSILON;
}
/** A commit or run id in the record's alphabet: any other character becomes `_`. */
function token(text) {
    return text.replace(/[^0-9A-Za-z._-]/g, '_');
}
function encodeRecord(record) {
    const wire = {
        sd: RECORD_FORMAT,
        s: record.stable,
        c: record.candidate,
        p: record.previous,
        w: roundWeight(record.weight),
        st: record.state,
        g: token(record.commit).slice(0, 12),
        r: token(record.run).slice(0, 24),
        t: Math.floor(record.at),
    };
    const text = JSON.stringify(wire);
    if (text.length > ALIAS_DESCRIPTION_LIMIT) {
        throw new Error(`deployment record is ${text.length} characters, above the alias description limit of ${ALIAS_DESCRIPTION_LIMIT}`);
    }
    return text;
}
/** Reads an alias description. A description that is not ours means "no record"; one that is ours but broken is reported. */
function decodeRecord(description) {
    const text = (description ?? '').trim();
    if (!text.startsWith('{') || !text.includes('"sd"'))
        return { kind: 'none' };
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (error) {
        return { kind: 'corrupt', reason: `not JSON: ${error.message}` };
    }
    const result = wireRecord.safeParse(parsed);
    if (!result.success) {
        return { kind: 'corrupt', reason: result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
    }
    const w = result.data;
    return {
        kind: 'record',
        record: { v: RECORD_FORMAT, stable: w.s, candidate: w.c, previous: w.p, weight: w.w, state: w.st, commit: w.g, run: w.r, at: w.t },
    };
}
/** One alias in one region, as wave-deploy left it. */
const deploymentTargetSchema = schemas/* object */.Ikc({
    region: schemas/* string */.YjP().min(1),
    function: schemas/* string */.YjP().min(1),
    alias: schemas/* string */.YjP().min(1),
    /** Version a rollback returns to. */
    stable: schemas/* string */.YjP().regex(/^\d+$/),
    /** Version being deployed. */
    candidate: schemas/* string */.YjP().regex(/^\d+$/),
    /** Share of traffic on the candidate after the write, 0..1. */
    weight: schemas/* number */.aig().min(0).max(1),
    /** Alias RevisionId after the write (guards the next write). */
    revision: schemas/* string */.YjP().nullable(),
    /** The record written into the alias description. */
    record: schemas/* string */.YjP().max(ALIAS_DESCRIPTION_LIMIT),
});
const deploymentSchema = schemas/* object */.Ikc({
    format: schemas/* literal */.euz(1),
    service: schemas/* string */.YjP().min(1).optional(),
    stage: schemas/* string */.YjP().min(1).optional(),
    wave: schemas/* string */.YjP().min(1).optional(),
    alias: schemas/* string */.YjP().min(1),
    commit: schemas/* string */.YjP(),
    run: schemas/* string */.YjP(),
    /** Share of traffic the wave put on the candidate, 0..1. */
    traffic: schemas/* number */.aig().min(0).max(1),
    /** ISO time the wave finished moving traffic; bake windows start here. */
    shiftedAt: schemas/* string */.YjP(),
    /**
     * Seconds of the lease wave-deploy wrote into the deployment store (input `lease`); null: no
     * lease; absent: written by a version without leases. A watching bake-gate renews it for as long.
     */
    leaseSeconds: schemas/* number */.aig().int().nonnegative().nullable().optional(),
    targets: schemas/* array */.YOg(deploymentTargetSchema).min(1),
});
/** Parses the `deployment` input of bake-gate and rollback; the error names the input. */
function parseDeployment(text, inputName = 'deployment') {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (error) {
        throw new Error(`input ${inputName}: not JSON (${error.message}); pass the \`deployment\` output of wave-deploy`);
    }
    const result = deploymentSchema.safeParse(parsed);
    if (!result.success) {
        const problems = result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
        throw new Error(`input ${inputName}: not a safe-deploy deployment (${problems})`);
    }
    return result.data;
}

;// CONCATENATED MODULE: ./packages/core/src/rollout.ts
// The rollout state machine: the one place that decides how a Lambda alias moves.
//
// Pure: it is given what an alias looks like now (its version, routing weights and the
// deployment record decoded from its Description) and what the caller wants (shift traffic to
// a candidate, promote it, roll back), and it answers with the next alias configuration, a
// "nothing to do" (the alias already is where it should be, so a re-run writes nothing), or a
// refusal naming the rule that stops it. packages/aws carries the answer out in one UpdateAlias.
//
// Alias and record agree in exactly these shapes (S = record.stable, C = record.candidate):
//
//   state        FunctionVersion   AdditionalVersionWeights
//   shifting     S                 {C: w} with 0 < w < 1, or {} when w = 0
//   baking       S                 {C: w} with 0 < w < 1
//   promoted     C                 {}
//   rolled-back  S                 {}
//
// Any other combination means somebody changed the alias behind our back (infrastructure
// code, a console click): a shift or promote stops and reports both states.
//
// Transitions (the version serving all traffic is "serving"):
//
//   (no alias)      --shift C-->      promoted C (the first deployment creates the alias on C)
//   (no record)     adopted: serving = FunctionVersion, treated as rolled-back/promoted at rest
//   at rest         --shift C,w-->    baking/shifting {stable: serving, candidate: C, previous: old stable}
//   shifting/baking --shift C,w'-->   same candidate, new weight (w' = 1 promotes)
//   shifting/baking --shift D-->      refused: another candidate is in flight
//   shifting/baking --promote-->      promoted C
//   any             --rollback-->     rolled-back: FunctionVersion = target, no routing
//
// "At rest" is promoted (serving = C) or rolled-back (serving = S).


const VERSION = /^\d+$/;
class RoutingRuleError extends Error {
    rule;
    constructor(rule, message) {
        super(message);
        this.rule = rule;
        this.name = 'RoutingRuleError';
    }
}
/** Routing in words: `version 3` or `version 3 +7 at 10%`. */
function describeRouting(version, weights) {
    const extra = Object.entries(weights)
        .map(([v, w]) => ` +${(0,log_safe/* logSafe */.sN)(v, 40)} at ${formatWeight(w)}`)
        .join(',');
    return `version ${version}${extra}`;
}
/**
 * A short human form of an alias: its routing, plus the record when there is one. Everything in it
 * came from Lambda (the alias, its Description), so every piece goes through logSafe: the result
 * can be logged as it is.
 */
function rollout_describeAlias(state) {
    if (!state)
        return 'no alias';
    return (0,log_safe/* logSafe */.sN)(describeAliasRaw(state), 1000);
}
function describeAliasRaw(state) {
    const routing = describeRouting((0,log_safe/* logSafe */.sN)(state.version, 40), state.weights);
    switch (state.record.kind) {
        case 'record': {
            const r = state.record.record;
            return `${routing}; record ${r.state} stable=${r.stable} candidate=${r.candidate ?? '-'} weight=${formatWeight(r.weight)} commit=${r.commit || '-'} run=${r.run || '-'}`;
        }
        case 'corrupt':
            return `${routing}; record unreadable (${(0,log_safe/* logSafe */.sN)(state.record.reason, 300)})`;
        default:
            return `${routing}; no record`;
    }
}
function formatWeight(weight) {
    return `${roundWeight(weight * 100)}%`;
}
/**
 * Routing rules Lambda enforces (and the emulator does not): checked before any call.
 * Returns null when the configuration is allowed, else the broken rule.
 */
function checkRouting(functionVersion, weights) {
    const versions = [functionVersion, ...Object.keys(weights)];
    if (versions.some((v) => v === '$LATEST')) {
        return { rule: 'no-latest', message: 'an alias with routing must point at published versions, never $LATEST' };
    }
    const bad = versions.find((v) => !VERSION.test(v));
    if (bad !== undefined)
        return { rule: 'numeric-version', message: `"${bad}" is not a published version number` };
    const extra = Object.entries(weights);
    if (extra.length > 1) {
        return { rule: 'one-extra-version', message: `an alias routes to at most one extra version, got ${extra.map(([v]) => v).join(', ')}` };
    }
    const [entry] = extra;
    if (entry) {
        const [version, weight] = entry;
        if (!(Number.isFinite(weight) && weight > 0 && weight < 1)) {
            return { rule: 'weight-range', message: `the extra version's weight must lie strictly between 0 and 1, got ${weight}` };
        }
        if (version === functionVersion) {
            return { rule: 'candidate-differs', message: `the candidate ${version} is the version the alias already serves` };
        }
    }
    return null;
}
/** What the alias routing should be for a record, by the table at the top of this file. */
function expectedRouting(record) {
    switch (record.state) {
        case 'promoted':
            return { functionVersion: record.candidate ?? record.stable, weights: {} };
        case 'rolled-back':
            return { functionVersion: record.stable, weights: {} };
        default:
            return {
                functionVersion: record.stable,
                weights: record.candidate && record.weight > 0 && record.weight < 1 ? { [record.candidate]: roundWeight(record.weight) } : {},
            };
    }
}
function sameWeights(a, b) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => b[k] !== undefined && sameWeight(b[k], a[k]));
}
/** True when the alias routes exactly as the configuration says. */
function rollout_routingMatches(state, functionVersion, weights) {
    return state.version === functionVersion && sameWeights(state.weights, weights);
}
/** Null when the alias routes as its record says; otherwise what disagrees. */
function detectDrift(state) {
    if (state.record.kind !== 'record')
        return null;
    const expected = expectedRouting(state.record.record);
    if (rollout_routingMatches(state, expected.functionVersion, expected.weights))
        return null;
    const want = describeRouting(expected.functionVersion, expected.weights);
    const have = describeRouting(state.version, state.weights);
    return `the record (${state.record.record.state}) says the alias should route ${want}, but it routes ${have}`;
}
/** The version serving all traffic when the alias is at rest, or null while a candidate is in flight. */
function atRest(state) {
    if (state.record.kind !== 'record') {
        return Object.keys(state.weights).length === 0 ? { serving: state.version, stable: null } : null;
    }
    const r = state.record.record;
    if (r.state === 'promoted')
        return { serving: r.candidate ?? r.stable, stable: r.stable };
    if (r.state === 'rolled-back')
        return { serving: r.stable, stable: r.stable };
    if (r.weight === 0 && r.state === 'shifting')
        return { serving: r.stable, stable: r.stable };
    return null;
}
function sameRecordMeaning(a, b) {
    return a.stable === b.stable && a.candidate === b.candidate && a.state === b.state && sameWeight(a.weight, b.weight);
}
function refuse(rule, message) {
    return { kind: 'refuse', rule, message };
}
function write(options, current, transition, functionVersion, weights, record) {
    const routing = checkRouting(functionVersion, weights);
    if (routing)
        return refuse(routing.rule, routing.message);
    const config = { functionVersion, weights, record, description: encodeRecord(record) };
    if (current && rollout_routingMatches(current, functionVersion, weights) && current.record.kind === 'record' && sameRecordMeaning(current.record.record, record)) {
        const reason = `already ${rollout_describeAlias(current)}; nothing to write`;
        options.logger?.info(`${transition}: ${reason}`);
        return { kind: 'noop', reason };
    }
    options.logger?.info(`${transition}: ${rollout_describeAlias(current)} -> ${rollout_describeAlias({ version: functionVersion, weights, record: { kind: 'record', record } })}`);
    return { kind: 'write', create: current === null, transition, config };
}
/** Decides the next alias configuration for an intent. `current` is null when the alias does not exist yet. */
function rollout_decide(current, intent, options) {
    const at = Math.floor(options.now);
    if (intent.kind === 'rollback')
        return decideRollback(current, intent, at, options);
    const candidate = intent.kind === 'shift' ? intent.candidate : intent.candidate;
    if (candidate !== undefined) {
        if (candidate === '$LATEST')
            return refuse('no-latest', 'the candidate must be a published version, never $LATEST');
        if (!VERSION.test(candidate))
            return refuse('numeric-version', `candidate "${candidate}" is not a published version number`);
    }
    if (intent.kind === 'shift' && !(Number.isFinite(intent.weight) && intent.weight >= 0 && intent.weight <= 1)) {
        return refuse('weight-range', `traffic share must be between 0% and 100%, got ${intent.weight}`);
    }
    // First deployment: nothing serves through the alias yet, so it is created on the candidate.
    if (current === null) {
        if (intent.kind === 'promote' && candidate === undefined)
            return refuse('nothing-to-promote', 'the alias does not exist and no candidate was given');
        const version = candidate;
        const record = { v: 1, stable: version, candidate: version, previous: null, weight: 1, state: 'promoted', commit: intent.commit, run: intent.run, at };
        return write(options, null, 'create alias (first deployment)', version, {}, record);
    }
    if (current.record.kind === 'corrupt') {
        return refuse('corrupt-record', `the alias description looks like a safe-deploy record but cannot be read (${current.record.reason}); roll back to an explicit version to rewrite it`);
    }
    const broken = checkRouting(current.version, current.weights);
    if (broken) {
        return refuse(broken.rule, `the alias routes ${describeRouting(current.version, current.weights)}, which cannot be deployed from: ${broken.message}; roll back to an explicit published version first`);
    }
    const drift = detectDrift(current);
    if (drift)
        return refuse('changed-behind-our-back', `the alias was changed outside safe-deploy: ${drift}`);
    const rest = atRest(current);
    const record = current.record.kind === 'record' ? current.record.record : null;
    if (intent.kind === 'promote') {
        const target = candidate ?? record?.candidate ?? undefined;
        if (rest && record?.state === 'promoted' && (candidate === undefined || candidate === record.candidate)) {
            return write(options, current, 'promote', rest.serving, {}, { ...record, commit: intent.commit, run: intent.run, at });
        }
        const inFlight = record !== null && (record.state === 'shifting' || record.state === 'baking') && record.candidate !== null;
        if (!inFlight || !record || !target) {
            return refuse('nothing-to-promote', `no candidate is in flight on the alias (${rollout_describeAlias(current)})`);
        }
        if (target !== record.candidate) {
            return refuse('another-candidate-in-flight', `asked to promote ${target}, but the candidate in flight is ${record.candidate}`);
        }
        return write(options, current, 'promote', target, {}, { ...record, weight: 1, state: 'promoted', commit: intent.commit, run: intent.run, at });
    }
    // shift
    if (record && rolloutPhase(record, options.watched === true) === 'verifying' && intent.candidate !== record.candidate) {
        return refuse('release-verifying', `candidate ${record.candidate} of commit ${record.commit || '-'} is verifying (promoted, stable ${record.stable} kept until the wave's last bake passes); a wave takes a new release only at rest: let its last bake pass (bake-gate final) or roll it back before deploying ${intent.candidate}`);
    }
    const weight = roundWeight(intent.weight);
    const base = rest
        ? { stable: rest.serving, previous: rest.serving === record?.stable ? (record?.previous ?? null) : (record?.stable ?? null) }
        : record
            ? { stable: record.stable, previous: record.previous }
            : null;
    if (!base) {
        return refuse('changed-behind-our-back', `the alias has routing but no safe-deploy record (${rollout_describeAlias(current)}); remove the routing or roll back to an explicit version first`);
    }
    if (!rest && record && intent.candidate === record.stable) {
        return refuse('candidate-differs', `the candidate ${intent.candidate} is the stable version of the alias (candidate ${record.candidate} is in flight)`);
    }
    if (!rest && record && record.candidate !== intent.candidate) {
        return refuse('another-candidate-in-flight', `candidate ${record.candidate} is in flight (${record.state} at ${formatWeight(record.weight)}); promote or roll it back before deploying ${intent.candidate}`);
    }
    if (rest && intent.candidate === rest.serving) {
        // Re-run after a promote, or deploying what already serves: nothing moves.
        const reason = `version ${intent.candidate} already serves all traffic (${rollout_describeAlias(current)}); nothing to write`;
        options.logger?.info(`shift: ${reason}`);
        return { kind: 'noop', reason };
    }
    if (intent.candidate === base.stable) {
        return refuse('candidate-differs', `the candidate ${intent.candidate} is the stable version of the alias`);
    }
    if (weight === 1) {
        const next = { v: 1, stable: base.stable, candidate: intent.candidate, previous: base.previous, weight: 1, state: 'promoted', commit: intent.commit, run: intent.run, at };
        return write(options, current, `shift ${intent.candidate} to 100% (promote)`, intent.candidate, {}, next);
    }
    if (weight === 0) {
        if (rest) {
            const reason = `traffic 0%: the alias stays on ${rest.serving} (publish only)`;
            options.logger?.info(`shift: ${reason}`);
            return { kind: 'noop', reason };
        }
        const next = { v: 1, stable: base.stable, candidate: intent.candidate, previous: base.previous, weight: 0, state: 'shifting', commit: intent.commit, run: intent.run, at };
        return write(options, current, `shift ${intent.candidate} to 0%`, base.stable, {}, next);
    }
    const next = {
        v: 1,
        stable: base.stable,
        candidate: intent.candidate,
        previous: base.previous,
        weight,
        state: intent.state ?? 'baking',
        commit: intent.commit,
        run: intent.run,
        at,
    };
    return write(options, current, `shift ${intent.candidate} to ${formatWeight(weight)}`, base.stable, { [intent.candidate]: weight }, next);
}
function decideRollback(current, intent, at, options) {
    if (current === null)
        return refuse('nothing-to-roll-back', 'the alias does not exist');
    const explicit = intent.to !== 'previous';
    if (explicit) {
        if (intent.to === '$LATEST')
            return refuse('no-latest', 'a rollback target must be a published version, never $LATEST');
        if (!VERSION.test(intent.to))
            return refuse('numeric-version', `rollback target "${intent.to}" is not a published version number`);
    }
    const record = current.record.kind === 'record' ? current.record.record : null;
    if (!explicit) {
        if (current.record.kind === 'corrupt') {
            return refuse('corrupt-record', `the alias record cannot be read (${current.record.reason}), so "previous" is unknown; roll back to an explicit version`);
        }
        const drift = detectDrift(current);
        if (drift) {
            return refuse('changed-behind-our-back', `the alias was changed outside safe-deploy, so its recorded stable version may be stale: ${drift}; roll back to an explicit version`);
        }
    }
    // Without a record the alias is adopted: its FunctionVersion is the stable one.
    const target = explicit ? intent.to : (record?.stable ?? current.version);
    // The version being refused: whatever else served traffic.
    const served = [current.version, ...Object.keys(current.weights)].filter((v) => v !== target && VERSION.test(v));
    const refused = served[served.length - 1] ?? (record?.candidate !== target ? (record?.candidate ?? null) : null);
    const previous = record && record.stable !== target ? record.stable : (record?.previous ?? null);
    if (rollout_routingMatches(current, target, {})) {
        const settled = current.record.kind === 'none' || (record !== null && (record.state === 'promoted' || record.state === 'rolled-back') && atRest(current)?.serving === target);
        if (settled) {
            const reason = `already on ${target} with no routing and no deployment in flight; nothing to write`;
            options.logger?.info(`rollback: ${reason}`);
            return { kind: 'noop', reason };
        }
    }
    const next = {
        v: 1,
        stable: target,
        candidate: refused,
        previous,
        weight: 0,
        state: 'rolled-back',
        commit: intent.commit ?? record?.commit ?? '',
        run: intent.run,
        at,
    };
    return write(options, current, `rollback to ${target}`, target, {}, next);
}
/**
 * Checks Lambda's rules for a weighted alias that depend on the versions themselves: the same
 * execution role and the same dead-letter config. (Provisioned concurrency is no such rule: see
 * `provisionedConcurrencyWarning`.)
 */
function checkVersionsCompatible(stable, candidate) {
    if ((stable.role ?? '') !== (candidate.role ?? '')) {
        return {
            rule: 'same-execution-role',
            message: `versions ${stable.version} and ${candidate.version} have different execution roles (${stable.role ?? 'none'} vs ${candidate.role ?? 'none'}); Lambda cannot split traffic between them`,
        };
    }
    if ((stable.deadLetterTarget ?? '') !== (candidate.deadLetterTarget ?? '')) {
        return {
            rule: 'same-dead-letter-config',
            message: `versions ${stable.version} and ${candidate.version} have different dead-letter targets (${stable.deadLetterTarget ?? 'none'} vs ${candidate.deadLetterTarget ?? 'none'}); Lambda cannot split traffic between them`,
        };
    }
    return null;
}
/**
 * Provisioned concurrency on an alias that is about to route a share to a candidate. AWS allows it
 * ("You can add a routing configuration to an alias that has provisioned concurrency"); what it
 * refuses is changing the alias's provisioned concurrency while the routing is in place. So the
 * shift goes ahead, and the warning says what to watch: the candidate's share may run on
 * on-demand environments (cold starts, `ProvisionedConcurrencySpilloverInvocations`), and the
 * provisioned-concurrency setting must not be changed until the alias is promoted or rolled back.
 * Null when there is nothing to say.
 */
function provisionedConcurrencyWarning(provisioned, weight) {
    if (!(provisioned > 0) || !(weight > 0 && weight < 1))
        return null;
    return (`the alias has ${provisioned} provisioned concurrency; Lambda allows routing ${formatWeight(weight)} to the candidate on it, ` +
        `but requests beyond what is provisioned for each version spill over to on-demand environments (cold starts; watch ProvisionedConcurrencySpilloverInvocations), ` +
        `and the alias's provisioned concurrency cannot be changed until it is promoted or rolled back (no routing)`);
}
function rolloutPhase(record, watched) {
    if (!record)
        return 'adopted';
    if (record.state === 'promoted')
        return watched && record.candidate !== null && record.candidate !== record.stable ? 'verifying' : 'at-rest';
    return record.state;
}
/** One phase in words, with what it keeps: `verifying (promoted 2, stable 1 kept)`, `baking (2 at 10%, stable 1)`. */
function describePhase(record, watched) {
    const phase = rolloutPhase(record, watched);
    if (!record)
        return 'adopted (no safe-deploy record)';
    switch (phase) {
        case 'verifying':
            return `verifying (promoted ${record.candidate}, stable ${record.stable} kept)`;
        case 'baking':
        case 'shifting':
            return `${phase} (${record.candidate} at ${formatWeight(record.weight)}, stable ${record.stable})`;
        case 'rolled-back':
            return `rolled-back (on ${record.stable})`;
        default:
            return `at-rest (on ${record.candidate ?? record.stable})`;
    }
}
/** The logged transition of one alias between two records (each with whether its deployment is watched). */
function rollout_phaseTransition(before, beforeWatched, after, afterWatched, why = '') {
    return `${describePhase(before, beforeWatched)} -> ${describePhase(after, afterWatched)}${why ? ` (${why})` : ''}`;
}
function lastBakeAction(record) {
    const phase = rolloutPhase(record, true);
    return phase === 'baking' || phase === 'shifting' ? 'park' : 'end';
}
/** The logged transition when the wave's last bake passes (the record is not rewritten; the entry's deletion or parking is the transition). */
function lastBakeTransition(record) {
    if (!record)
        return 'adopted -> adopted (no safe-deploy record)';
    if (lastBakeAction(record) === 'park') {
        return `${describePhase(record, true)} -> ${rolloutPhase(record, true)}, parked (last bake of the wave passed; the guardian keeps watching its alarms with no lease until the next wave's deploy takes the entry over or a rollback removes it)`;
    }
    const phase = rolloutPhase(record, true);
    if (phase === 'verifying')
        return `${describePhase(record, true)} -> at-rest (last bake passed, lease ended)`;
    return `${phase} -> ${phase}`;
}
const WAVE_NEXT = {
    preflight: ['publish', 'stopped'],
    publish: ['lease', 'done', 'stopped'],
    lease: ['shift', 'promote', 'stopped'],
    shift: ['shift', 'promote', 'read-back', 'stopped'],
    promote: ['read-back', 'stopped'],
    'read-back': ['done', 'stopped'],
    done: [],
    stopped: [],
};
/** The logged line of a wave moving from one step to the next; throws on a move the table does not allow (a bug, never input). */
function waveStepTransition(from, to, detail = '') {
    if (!WAVE_NEXT[from].includes(to))
        throw new Error(`wave step ${from} cannot be followed by ${to}`);
    return `wave step: ${from} -> ${to}${detail ? ` (${detail})` : ''}`;
}
/**
 * Whether a manual rollback may put an alias on an explicit `version` without a confirmation: the
 * alias record names it as its stable or previous version, or as the candidate it promoted. Any
 * other version either was refused (the record's rolled-back candidate) or never held all the
 * traffic through safe-deploy; moving 100% to it skips every bake and alarm gate, so it is named as
 * such and needs the caller to repeat the number. Returns null when the version is vetted.
 */
function rollout_unvettedVersion(record, serving, version) {
    if (record === null) {
        if (version === serving)
            return null;
        return `version ${version} was never promoted here: the alias has no safe-deploy record and serves ${serving}`;
    }
    if (version === record.stable || version === record.previous)
        return null;
    if (record.state === 'promoted' && version === record.candidate)
        return null;
    if (record.state === 'rolled-back' && version === record.candidate) {
        return `version ${version} was refused: the record shows it rolled back (stable ${record.stable})`;
    }
    return `version ${version} was never promoted here: the record names stable ${record.stable}${record.previous ? `, previous ${record.previous}` : ''}${record.candidate ? ` and candidate ${record.candidate} (${record.state})` : ''}`;
}

;// CONCATENATED MODULE: ./packages/aws/src/lambda.ts
/**
 * Lambda adapter: publishes candidate versions and moves aliases, one AWS call per function here.
 *
 * API (every function takes a LambdaContext from `lambdaContext({ clients })` first):
 * - `publishCandidate(ctx, { region, functionName }, { code?, commit, run })`
 *     → `{ version, codeSha256, reused }`. Updates $LATEST from a zip (bytes), an S3 object or an
 *     image URI, waits for the update (GetFunction polled with the context's clock; an access
 *     denial fails at once), publishes guarded by CodeSha256 with the description
 *     `safe-deploy commit=<sha> run=<id> code=<CodeSha256>`, and waits for the version to be
 *     `Active`. A re-run for the same commit reuses that version only when its CodeSha256 equals
 *     the code given (zip: before any write; S3/image: after updating $LATEST). PublishVersion
 *     handing back an existing version is `code-unchanged`. No `code` publishes what $LATEST holds.
 *     `versions` (a `listVersions` answer) spares the listing when the caller already has it.
 * - `listVersions(ctx, { region, functionName })` → `PublishedVersions | null` (null: no such
 *     function): every version with its role and dead-letter target, from ListVersionsByFunction.
 * - `readAlias(ctx, target)` → `AliasView | null` (null: the alias does not exist).
 *     `target` is `{ region, functionName, alias }`.
 * - `shiftTraffic(ctx, target, { candidate, weight, commit, run, state? })` → `AliasChange`.
 *     weight 0..1 on the candidate; 1 promotes; creates the alias on the first deployment.
 *     `known` (`{ alias, versions }`): what the caller already read, so the write path does not
 *     read it again (see `Known`).
 * - `promote(ctx, target, { candidate?, commit, run })` → `AliasChange`.
 * - `rollbackAlias(ctx, target, { to: 'previous' | '<version>', run, commit? })` → `AliasChange`;
 *     idempotent: `wrote` is false when the alias already was there.
 * - `forEachTarget(targets, fn, { maxRegions? })` → outcomes in input order, `{ target, ok, value | error }`;
 *     regions in parallel, calls paced per region by the context's RegionLimiter (< 10 calls/s/region).
 * - `handCommand(ctx, region, version, reason)` → the `gh workflow run rollback.yml ...` line.
 *
 * Every alias change is ONE UpdateAlias (or CreateAlias) setting FunctionVersion, RoutingConfig
 * and Description (the deployment record) together, guarded by RevisionId, decided by
 * packages/core/src/rollout.ts, then read back and compared. 412 → re-read and throw
 * LambdaDeployError with both states (never retried); 409 → wait and retry a bounded number of
 * times; throttling and 5xx → the SDK's standard retries; 403 AccessDenied → AccessDeniedError
 * naming the IAM action and the resource. Errors are LambdaDeployError: region, function, alias,
 * rule, the alias's current state and the one command to finish by hand.
 */







const silent = { info: () => { }, warn: () => { } };
function lambda_lambdaContext(options) {
    const sleep = options.sleep ?? realSleep;
    const now = options.now ?? Date.now;
    return {
        clients: options.clients,
        logger: options.logger ?? silent,
        sleep,
        now,
        limiter: options.limiter ?? new RegionLimiter({ sleep, now }),
        conflictRetries: options.conflictRetries ?? 4,
        conflictDelayMs: options.conflictDelayMs ?? 1000,
        updateWaitSeconds: options.updateWaitSeconds ?? 300,
        environment: options.environment ?? '<environment>',
        onCall: options.onCall,
    };
}
/** The command a person runs to put a region back on a version. */
function handCommand(ctx, region, version, reason = 'finish rollback by hand') {
    // Every value is single-quoted for the shell: people paste this line, and the environment and
    // reason are user text (`$(...)` inside double quotes would run on their machine).
    return `gh workflow run rollback.yml -f environment=${shellQuote(ctx.environment)} -f regions=${shellQuote(region)} -f version=${shellQuote(version)} -f reason=${shellQuote(reason)}`;
}
function shellQuote(value) {
    return /^[A-Za-z0-9_./:,=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
/** Failure on one function or alias: where, which rule, what the alias looks like now, and how to finish by hand. */
class LambdaDeployError extends Error {
    region;
    functionName;
    alias;
    rule;
    detail;
    current;
    command;
    constructor(region, functionName, alias, rule, detail, current, command) {
        super(`${region} ${functionName}${alias ? `:${alias}` : ''}: ${rule}: ${detail}` +
            (alias ? `. Alias now: ${current}` : '') +
            (command ? `. To finish by hand: ${command}` : ''));
        this.region = region;
        this.functionName = functionName;
        this.alias = alias;
        this.rule = rule;
        this.detail = detail;
        this.current = current;
        this.command = command;
        this.name = 'LambdaDeployError';
    }
}
function errorName(error) {
    return error?.name ?? '';
}
/** True for an IAM refusal (Lambda: 403 AccessDeniedException; other services: AccessDenied). */
function isAccessDenied(error) {
    const name = errorName(error);
    return name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'AccessDeniedError';
}
/**
 * A call the role may not make. Named for the IAM action and the resource, so nobody reads it as
 * "not found" or a timeout: the fix is a permission, and iam/ says which policy carries it.
 */
class AccessDeniedError extends Error {
    action;
    resource;
    region;
    constructor(action, resource, region, awsMessage) {
        super(`access denied: ${action} on ${resource} in ${region}; the role lacks this permission (see iam/ for the policy of this path): ${(0,log_safe/* logSafe */.sN)(awsMessage, 400)}`);
        this.action = action;
        this.resource = resource;
        this.region = region;
        this.name = 'AccessDeniedError';
    }
}
/** `orders-api`, `orders-api:live`, `orders-api:7`: the resource a Lambda call acts on, as IAM sees it. */
function resourceOf(functionName, qualifier) {
    return `function ${functionName}${qualifier ? `:${qualifier}` : ''}`;
}
/**
 * One control-plane call: paced by the region's limiter, counted, retried by the SDK. An access
 * denial becomes an AccessDeniedError naming the action and the resource.
 */
async function lambda_call(ctx, region, operation, resource, run) {
    try {
        return await ctx.limiter.run(region, () => {
            ctx.onCall?.(region, operation);
            return run();
        });
    }
    catch (error) {
        if (isAccessDenied(error) && !(error instanceof AccessDeniedError))
            throw new AccessDeniedError(`lambda:${operation}`, resource, region, error.message ?? '');
        throw error;
    }
}
function sameTarget(view, target) {
    return view.region === target.region && view.functionName === target.functionName && view.alias === target.alias;
}
function toView(target, alias) {
    const weights = { ...(alias.RoutingConfig?.AdditionalVersionWeights ?? {}) };
    const record = decodeRecord(alias.Description);
    return {
        region: target.region,
        functionName: target.functionName,
        alias: target.alias,
        version: alias.FunctionVersion ?? '',
        weights,
        revision: alias.RevisionId ?? null,
        description: alias.Description ?? '',
        record,
    };
}
/** Reads the alias: version, weights, RevisionId and record. Null when it does not exist. */
async function lambda_readAlias(ctx, target) {
    try {
        const alias = await lambda_call(ctx, target.region, 'GetAlias', resourceOf(target.functionName, target.alias), () => ctx.clients.lambda(target.region).send(new client_lambda_dist_cjs/* GetAliasCommand */.MES({ FunctionName: target.functionName, Name: target.alias })));
        return toView(target, alias);
    }
    catch (error) {
        if (errorName(error) === 'ResourceNotFoundException') {
            // The alias or the function is missing; a missing function surfaces on the write.
            return null;
        }
        throw error;
    }
}
function stableOf(view) {
    if (!view)
        return '<version>';
    if (view.record.kind === 'record') {
        const r = view.record.record;
        return r.stable;
    }
    return view.version || '<version>';
}
function fail(ctx, target, rule, detail, current, version) {
    return new LambdaDeployError(target.region, target.functionName, target.alias, rule, detail, rollout_describeAlias(current), handCommand(ctx, target.region, version ?? stableOf(current), `${rule} on ${target.functionName}`));
}
function settingsOf(config, version) {
    return { version, role: config.Role, deadLetterTarget: config.DeadLetterConfig?.TargetArn };
}
async function versionSettings(ctx, target, version, known) {
    const cached = known?.get(version);
    if (cached)
        return cached;
    const config = await lambda_call(ctx, target.region, 'GetFunctionConfiguration', resourceOf(target.functionName, version), () => ctx.clients.lambda(target.region).send(new client_lambda_dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: target.functionName, Qualifier: version })));
    return { version, role: config.Role, deadLetterTarget: config.DeadLetterConfig?.TargetArn };
}
async function aliasProvisionedConcurrency(ctx, target) {
    try {
        const config = await lambda_call(ctx, target.region, 'GetProvisionedConcurrencyConfig', resourceOf(target.functionName, target.alias), () => ctx.clients
            .lambda(target.region)
            .send(new client_lambda_dist_cjs/* GetProvisionedConcurrencyConfigCommand */.D96({ FunctionName: target.functionName, Qualifier: target.alias })));
        return config.RequestedProvisionedConcurrentExecutions ?? 0;
    }
    catch (error) {
        const name = errorName(error);
        // 404: no provisioned concurrency on the alias (emulators without the API answer a bare 404 too).
        const status = error.$metadata?.httpStatusCode;
        if (name === 'ProvisionedConcurrencyConfigNotFoundException' || name === 'ResourceNotFoundException' || status === 404)
            return 0;
        throw error;
    }
}
/**
 * Preflight reads for a weighted alias: both versions share role and dead-letter config. Provisioned
 * concurrency on the alias does not stop the shift (AWS allows routing on it); it is read to warn
 * about spillover and about the PC setting being locked while routing is in place.
 */
async function preflightVersions(ctx, target, current, config, known) {
    const extra = Object.keys(config.weights);
    if (extra.length === 0)
        return;
    const candidate = extra[0];
    const [stable, cand, provisioned] = await Promise.all([
        versionSettings(ctx, target, config.functionVersion, known),
        versionSettings(ctx, target, candidate, known),
        aliasProvisionedConcurrency(ctx, target),
    ]);
    const problem = checkVersionsCompatible(stable, cand);
    if (problem)
        throw fail(ctx, target, problem.rule, `${problem.message}; nothing was written`, current);
    const warning = provisionedConcurrencyWarning(provisioned, config.weights[candidate] ?? 0);
    if (warning)
        ctx.logger.warn(`${target.region} ${target.functionName}:${target.alias}: ${warning}`);
}
function routingInput(weights) {
    return { AdditionalVersionWeights: { ...weights } };
}
/** Applies one intent to one alias: read, decide, preflight, one guarded write, read back. */
async function applyIntent(ctx, target, intent, known = {}) {
    const guarded = known.alias === null || (known.alias !== undefined && known.alias.revision !== null && sameTarget(known.alias, target));
    const before = guarded ? known.alias : await lambda_readAlias(ctx, target);
    const decision = rollout_decide(before, intent, {
        now: ctx.now() / 1000,
        ...(known.watched ? { watched: true } : {}),
        logger: { info: (message) => ctx.logger.info(`${target.region} ${target.functionName}:${target.alias}: ${message}`) },
    });
    if (decision.kind === 'refuse') {
        throw fail(ctx, target, decision.rule, `${decision.message}; nothing was written`, before);
    }
    if (decision.kind === 'noop') {
        return { target, wrote: false, transition: decision.reason, before, after: before };
    }
    const { config } = decision;
    const routing = checkRouting(config.functionVersion, config.weights);
    if (routing)
        throw fail(ctx, target, routing.rule, `${routing.message}; nothing was written`, before);
    await preflightVersions(ctx, target, before, config, known.versions);
    const lambda = ctx.clients.lambda(target.region);
    for (let attempt = 0;; attempt += 1) {
        try {
            if (decision.create) {
                await lambda_call(ctx, target.region, 'CreateAlias', resourceOf(target.functionName, target.alias), () => lambda.send(new client_lambda_dist_cjs/* CreateAliasCommand */.W_e({
                    FunctionName: target.functionName,
                    Name: target.alias,
                    FunctionVersion: config.functionVersion,
                    Description: config.description,
                    ...(Object.keys(config.weights).length > 0 ? { RoutingConfig: routingInput(config.weights) } : {}),
                })));
            }
            else {
                await lambda_call(ctx, target.region, 'UpdateAlias', resourceOf(target.functionName, target.alias), () => lambda.send(new client_lambda_dist_cjs/* UpdateAliasCommand */.lqC({
                    FunctionName: target.functionName,
                    Name: target.alias,
                    FunctionVersion: config.functionVersion,
                    RoutingConfig: routingInput(config.weights),
                    Description: config.description,
                    ...(before?.revision ? { RevisionId: before.revision } : {}),
                })));
            }
            break;
        }
        catch (error) {
            const name = errorName(error);
            // CreateAlias that meets an alias created since our read: Lambda answers 409
            // ResourceConflictException. Its wording is not documented (moto says "Alias already
            // exists"), so the alias is read again instead of matching the message: if it exists now,
            // someone else created it (or our own lost write did); if not, the 409 was an update in progress.
            const raced = decision.create && name === 'ResourceConflictException' ? await lambda_readAlias(ctx, target).catch(() => null) : null;
            if (name === 'PreconditionFailedException' || raced) {
                const now = raced ?? (await lambda_readAlias(ctx, target).catch(() => null));
                if (now && rollout_routingMatches(now, config.functionVersion, config.weights) && now.description === config.description) {
                    // Our own write landed and its answer was lost; the SDK's retry then met the new RevisionId.
                    ctx.logger.info(`${target.region} ${target.functionName}:${target.alias}: ${decision.transition} done (the write landed before a lost answer)`);
                    return { target, wrote: true, transition: decision.transition, before, after: now };
                }
                throw fail(ctx, target, 'alias-changed-concurrently', `the alias changed between our read and our write (RevisionId ${before?.revision ?? 'none'}); nothing was written. Read before: ${rollout_describeAlias(before)}. Read now: ${rollout_describeAlias(now)}`, now);
            }
            if (name === 'ResourceConflictException' && attempt < ctx.conflictRetries) {
                const wait = ctx.conflictDelayMs * 2 ** attempt;
                ctx.logger.warn(`${target.region} ${target.functionName}:${target.alias}: update in progress (409), retrying in ${wait} ms (${attempt + 1}/${ctx.conflictRetries})`);
                await ctx.sleep(wait);
                continue;
            }
            const current = await lambda_readAlias(ctx, target).catch(() => before);
            if (error instanceof AccessDeniedError)
                throw fail(ctx, target, 'access-denied', `${decision.transition} failed: ${error.message}`, current);
            throw fail(ctx, target, name === 'ResourceConflictException' ? 'update-in-progress' : 'write-failed', `${decision.transition} failed: ${(0,log_safe/* logSafe */.sN)(error.message, 400)}`, current);
        }
    }
    const after = await lambda_readAlias(ctx, target);
    if (!after || !rollout_routingMatches(after, config.functionVersion, config.weights) || after.description !== config.description) {
        throw fail(ctx, target, 'read-back-mismatch', `after ${decision.transition} the alias reads ${rollout_describeAlias(after)}, expected ${rollout_describeAlias({ version: config.functionVersion, weights: config.weights, record: { kind: 'record', record: config.record } })}`, after);
    }
    ctx.logger.info(`${target.region} ${target.functionName}:${target.alias}: ${decision.transition} done (${rollout_describeAlias(after)})`);
    return { target, wrote: true, transition: decision.transition, before, after };
}
function shiftTraffic(ctx, target, options) {
    const { known, ...intent } = options;
    return applyIntent(ctx, target, { kind: 'shift', ...intent }, known);
}
function promote(ctx, target, options) {
    return applyIntent(ctx, target, { kind: 'promote', ...options });
}
function rollbackAlias(ctx, target, options) {
    const { known, ...intent } = options;
    return applyIntent(ctx, target, { kind: 'rollback', ...intent }, known);
}
// ---------------------------------------------------------------- publishing
const DESCRIPTION_PREFIX = 'safe-deploy';
/**
 * The description of a published version: commit, run id and, when known, the code's CodeSha256
 * (so a person can tell from the console which build a version holds; reuse itself compares the
 * version's CodeSha256 as Lambda computed it, never this text).
 */
function versionDescription(commit, run, codeSha256) {
    return `${DESCRIPTION_PREFIX} commit=${commit} run=${run}${codeSha256 ? ` code=${codeSha256}` : ''}`.slice(0, 256);
}
function commitOfDescription(description) {
    const match = /^safe-deploy commit=(\S+)/.exec(description ?? '');
    return match ? match[1] : null;
}
/** Lambda's CodeSha256 of a zip deployment package: base64 of its SHA-256. */
function zipCodeSha256(zip) {
    return createHash('sha256').update(zip).digest('base64');
}
async function listVersionPages(ctx, ref) {
    let marker;
    const configs = [];
    do {
        const page = await lambda_call(ctx, ref.region, 'ListVersionsByFunction', resourceOf(ref.functionName), () => ctx.clients.lambda(ref.region).send(new ListVersionsByFunctionCommand({ FunctionName: ref.functionName, Marker: marker, MaxItems: 50 })));
        configs.push(...(page.Versions ?? []));
        marker = page.NextMarker;
    } while (marker);
    return configs;
}
function versionsOf(configs) {
    const settings = new Map();
    let latest = null;
    for (const config of configs) {
        if (config.Version === '$LATEST')
            latest = { ...settingsOf(config, '$LATEST'), codeSha256: config.CodeSha256 };
        else if (config.Version)
            settings.set(config.Version, settingsOf(config, config.Version));
    }
    return { configs, latest, settings };
}
/**
 * Every version of a function (all pages of ListVersionsByFunction), with role and dead-letter
 * target. Null when the function does not exist; any other failure is thrown.
 */
async function listVersions(ctx, ref) {
    try {
        return versionsOf(await listVersionPages(ctx, ref));
    }
    catch (error) {
        if (errorName(error) === 'ResourceNotFoundException')
            return null;
        throw error;
    }
}
function findPublishedIn(configs, commit) {
    let found = null;
    for (const version of configs) {
        if (version.Version && version.Version !== '$LATEST' && commitOfDescription(version.Description) === commit) {
            if (!found || Number(version.Version) > Number(found.Version))
                found = version;
        }
    }
    return found;
}
function highestVersion(configs) {
    return configs.reduce((max, c) => (c.Version && /^\d+$/.test(c.Version) ? Math.max(max, Number(c.Version)) : max), 0);
}
function functionError(ctx, ref, rule, detail) {
    return new LambdaDeployError(ref.region, ref.functionName, null, rule, detail, '', null);
}
/**
 * Polls GetFunction (its own 100 requests/s quota, so outside the control-plane pacing, as the
 * SDK's waiters are) with the context's clock until `done` says the configuration is ready, or
 * throws. Unlike the SDK waiters, which retry on every exception, an access denial fails at once,
 * naming lambda:GetFunction, and a missing function is reported as such; other errors (throttling
 * beyond the SDK's retries, 5xx) are retried until the deadline like a pending state.
 */
async function pollFunction(ctx, ref, qualifier, what, done) {
    const deadline = ctx.now() + ctx.updateWaitSeconds * 1000;
    let delay = 1000;
    let last = 'no answer yet';
    for (;;) {
        try {
            const answer = await ctx.clients.lambda(ref.region).send(new GetFunctionCommand({ FunctionName: ref.functionName, ...(qualifier ? { Qualifier: qualifier } : {}) }));
            const config = answer.Configuration ?? {};
            const verdict = done(config);
            if (verdict?.ok)
                return config;
            if (verdict && !verdict.ok)
                throw functionError(ctx, ref, qualifier ? 'version-failed' : 'code-update-failed', verdict.error);
            last = `State ${config.State ?? '?'}, LastUpdateStatus ${config.LastUpdateStatus ?? '?'}`;
        }
        catch (error) {
            if (error instanceof LambdaDeployError)
                throw error;
            if (isAccessDenied(error))
                throw new AccessDeniedError('lambda:GetFunction', resourceOf(ref.functionName, qualifier), ref.region, error.message ?? '');
            if (errorName(error) === 'ResourceNotFoundException')
                throw functionError(ctx, ref, 'not-found', `${resourceOf(ref.functionName, qualifier)} does not exist while waiting for ${what}`);
            last = logSafe(`${errorName(error)}: ${error.message}`, 300);
        }
        if (ctx.now() >= deadline) {
            throw functionError(ctx, ref, qualifier ? 'version-not-active' : 'code-update-failed', `${what} did not finish within ${ctx.updateWaitSeconds}s (last read: ${last})`);
        }
        await ctx.sleep(Math.min(delay, Math.max(1, deadline - ctx.now())));
        delay = Math.min(delay * 2, 10_000);
    }
}
/** Waits for a code update of $LATEST to finish (LastUpdateStatus Successful); Failed stops with its reason. */
function waitForCodeUpdate(ctx, ref) {
    return pollFunction(ctx, ref, undefined, 'the code update', (config) => {
        const status = config.LastUpdateStatus;
        if (status === undefined || status === 'Successful')
            return { ok: true };
        if (status === 'Failed')
            return { ok: false, error: `the code update ended Failed: ${logSafe(config.LastUpdateStatusReasonCode ?? '', 80)} ${logSafe(config.LastUpdateStatusReason ?? '', 300)}`.trim() };
        return null;
    });
}
/**
 * Waits until a published version is `Active` before any traffic reaches it: a version can start
 * `Pending` (SnapStart, VPC, images), and invoking it then fails (SnapStartNotReadyException) with
 * errors that count as neither Invocations nor Errors, so no bake would see them. `Failed` (or
 * `Inactive`) stops with Lambda's reason.
 */
function waitForActive(ctx, ref, version) {
    return pollFunction(ctx, ref, version, `version ${version} to become Active`, (config) => {
        if (config.State === 'Active')
            return { ok: true };
        if (config.State === 'Failed' || config.State === 'Inactive') {
            return { ok: false, error: `version ${version} is ${config.State}: ${logSafe(config.StateReasonCode ?? '', 80)} ${logSafe(config.StateReason ?? '', 300)}; no traffic was moved to it`.trim() };
        }
        return null;
    });
}
/** The version a published or listed configuration names, once it is Active. */
async function activeCandidate(ctx, ref, config, reused, codeSha256) {
    const version = config.Version;
    if (config.State !== undefined && config.State !== 'Active') {
        ctx.logger.info(`${ref.region} ${ref.functionName}: version ${version} is ${logSafe(config.State, 20)}; waiting for Active before any traffic moves`);
        await waitForActive(ctx, ref, version);
    }
    return { version, codeSha256: config.CodeSha256 ?? codeSha256, reused, ...(config.Role ? { settings: settingsOf(config, version) } : {}) };
}
/**
 * Publishes the candidate version for a commit, or reuses the one a previous run published.
 *
 * Reuse (a re-run of the same commit) needs more than the description, which anybody who may
 * publish a version can write: the version's CodeSha256, as Lambda computed it, must equal the code
 * given. For a zip that is known before any write (base64 of its SHA-256), so a matching version is
 * reused without touching the function. For an S3 object or an image it is known only once Lambda
 * has the code, so $LATEST is updated first and its CodeSha256 compared. A version of this commit
 * with other code is never reused: a new version is published and the log says why.
 *
 * PublishVersion hands back the existing version when code and configuration did not change since
 * it was published. That is detected (a version number not above the highest before the call, or a
 * description other than the one sent) and refused as `code-unchanged` unless it is this commit's own
 * version with this code (a re-run): it is never deployed as a new candidate.
 */
async function publishCandidate(ctx, ref, options) {
    if (!options.commit)
        throw functionError(ctx, ref, 'missing-commit', 'a commit is needed to label the published version');
    const lambda = ctx.clients.lambda(ref.region);
    const configs = options.versions?.configs ?? (await listVersionPages(ctx, ref));
    const highest = highestVersion(configs);
    const existing = findPublishedIn(configs, options.commit);
    const where = `${ref.region} ${ref.functionName}`;
    let warned = false;
    const reuseIfSame = async (codeSha256) => {
        if (!existing?.Version || !codeSha256)
            return null;
        if (existing.CodeSha256 === codeSha256) {
            ctx.logger.info(`${where}: reusing version ${existing.Version} published for commit ${options.commit} (same CodeSha256 ${logSafe(codeSha256, 64)})`);
            return activeCandidate(ctx, ref, existing, true, codeSha256);
        }
        if (warned)
            return null;
        warned = true;
        ctx.logger.warn(`${where}: version ${existing.Version} carries commit ${options.commit} in its description, but its code (CodeSha256 ${logSafe(existing.CodeSha256 ?? 'unknown', 64)}) is not the code given (${logSafe(codeSha256, 64)}): not reused, a new version is published`);
        return null;
    };
    if (options.code?.kind === 'zip') {
        const reused = await reuseIfSame(zipCodeSha256(options.code.zipFile));
        if (reused)
            return reused;
    }
    let codeSha256;
    let revision;
    if (options.code) {
        const input = { FunctionName: ref.functionName, Publish: false };
        if (options.code.kind === 'zip')
            input.ZipFile = options.code.zipFile;
        else if (options.code.kind === 's3')
            Object.assign(input, { S3Bucket: options.code.bucket, S3Key: options.code.key, S3ObjectVersion: options.code.objectVersion });
        else
            input.ImageUri = options.code.imageUri;
        const updated = await lambda_call(ctx, ref.region, 'UpdateFunctionCode', resourceOf(ref.functionName), () => lambda.send(new UpdateFunctionCodeCommand(input)));
        codeSha256 = updated.CodeSha256;
        revision = updated.RevisionId;
        const waited = await waitForCodeUpdate(ctx, ref);
        revision = waited.RevisionId ?? revision;
        codeSha256 = waited.CodeSha256 ?? codeSha256;
        if (options.code.kind !== 'zip') {
            const reused = await reuseIfSame(codeSha256);
            if (reused)
                return reused;
        }
    }
    else {
        // No code given: the candidate is what $LATEST holds. The listing already says its CodeSha256,
        // so a re-run reuses this commit's version without another read when the code is the same.
        const listed = options.versions?.latest?.codeSha256 ?? configs.find((c) => c.Version === '$LATEST')?.CodeSha256;
        if (listed) {
            const reused = await reuseIfSame(listed);
            if (reused)
                return reused;
        }
        const latest = await lambda_call(ctx, ref.region, 'GetFunctionConfiguration', resourceOf(ref.functionName), () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: ref.functionName })));
        codeSha256 = latest.CodeSha256;
        revision = latest.RevisionId;
        if (codeSha256 !== listed) {
            const reused = await reuseIfSame(codeSha256);
            if (reused)
                return reused;
        }
    }
    const description = versionDescription(options.commit, options.run, codeSha256);
    let published;
    try {
        published = await lambda_call(ctx, ref.region, 'PublishVersion', resourceOf(ref.functionName), () => lambda.send(new PublishVersionCommand({
            FunctionName: ref.functionName,
            CodeSha256: codeSha256,
            Description: description,
            ...(revision ? { RevisionId: revision } : {}),
        })));
    }
    catch (error) {
        if (error instanceof AccessDeniedError)
            throw error;
        // A CodeSha256 that no longer matches $LATEST: AWS answers InvalidParameterValueException
        // ("CodeSHA256 (…) is different from current CodeSHA256 in $LATEST"); a stale RevisionId is 412.
        if (errorName(error) === 'PreconditionFailedException' || /CodeSha256/i.test(String(error.message))) {
            throw functionError(ctx, ref, 'code-changed-concurrently', `$LATEST changed after our update (CodeSha256 ${logSafe(codeSha256 ?? '', 64)}); nothing was published: ${logSafe(error.message, 300)}`);
        }
        throw functionError(ctx, ref, 'publish-failed', logSafe(error.message, 400));
    }
    if (!published.Version || published.Version === '$LATEST') {
        throw functionError(ctx, ref, 'publish-failed', `PublishVersion returned no version number`);
    }
    if (Number(published.Version) <= highest || published.Description !== description) {
        // Lambda published nothing: code and configuration equal an existing version, which it returned.
        if (commitOfDescription(published.Description) === options.commit && published.CodeSha256 === codeSha256) {
            ctx.logger.info(`${where}: PublishVersion returned version ${published.Version}, already published for commit ${options.commit} with the same code; reusing it`);
            return activeCandidate(ctx, ref, published, true, codeSha256 ?? '');
        }
        throw functionError(ctx, ref, 'code-unchanged', `code unchanged: no new version. PublishVersion returned the existing version ${published.Version} ("${logSafe(published.Description ?? '', 120)}", CodeSha256 ${logSafe(published.CodeSha256 ?? '', 64)}) because the code and configuration equal it, so it is not deployed as a new candidate and no alias was changed. Build code that differs, or redeploy a known version with the \`version\` input`);
    }
    ctx.logger.info(`${where}: published version ${published.Version} (CodeSha256 ${logSafe(published.CodeSha256 ?? '', 64)})`);
    return activeCandidate(ctx, ref, published, false, codeSha256 ?? '');
}
/**
 * Runs `fn` for every target: regions in parallel (at most `maxRegions` at once), the targets of
 * one region together, their calls paced by the context's per-region limiter. Never rejects:
 * every target gets an outcome, in input order, so a rollback reaches every region even when
 * one fails.
 */
async function lambda_forEachTarget(targets, fn, options = {}) {
    const byRegion = new Map();
    targets.forEach((target, index) => {
        const list = byRegion.get(target.region) ?? [];
        list.push(index);
        byRegion.set(target.region, list);
    });
    const outcomes = new Array(targets.length);
    const regions = [...byRegion.values()];
    const width = Math.max(1, Math.min(options.maxRegions ?? regions.length, regions.length));
    let next = 0;
    async function worker() {
        while (next < regions.length) {
            const indexes = regions[next++];
            await Promise.all(indexes.map(async (index) => {
                const target = targets[index];
                try {
                    outcomes[index] = { target, ok: true, value: await fn(target) };
                }
                catch (error) {
                    outcomes[index] = { target, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
                }
            }));
        }
    }
    await Promise.all(Array.from({ length: width }, () => worker()));
    return outcomes;
}

// EXTERNAL MODULE: ./packages/core/src/guardian.ts + 1 modules
var guardian = __webpack_require__(7591);
;// CONCATENATED MODULE: ./packages/aws/src/function-reads.ts
// Preflight reads of functions and versions, for the checks wave-deploy and rollback make before
// their first write: does the function exist in this region, does this version exist and belong to
// it, which execution role and dead-letter target does it carry, and which triggers invoke it
// without the alias. Each read is one control-plane call paced by the same per-region limiter as
// every other Lambda call (see lambda.ts), and an access denial is reported as such.



function function_reads_isNotFound(error) {
    return error.name === 'ResourceNotFoundException';
}
/**
 * Reads a function (its $LATEST) or one of its published versions. Null when the function, or
 * that version of it, does not exist; any other failure (access denied, throttling past the
 * SDK's retries) is thrown, so a preflight never mistakes "cannot read" for "absent".
 */
async function function_reads_readFunctionSettings(ctx, ref, version) {
    try {
        const config = await call(ctx, ref.region, 'GetFunctionConfiguration', `function ${ref.functionName}${version ? `:${version}` : ''}`, () => ctx.clients.lambda(ref.region).send(new GetFunctionConfigurationCommand({ FunctionName: ref.functionName, ...(version ? { Qualifier: version } : {}) })));
        return {
            region: ref.region,
            functionName: ref.functionName,
            version: config.Version ?? version ?? '$LATEST',
            role: config.Role,
            deadLetterTarget: config.DeadLetterConfig?.TargetArn,
            description: config.Description ?? '',
            codeSha256: config.CodeSha256,
        };
    }
    catch (error) {
        if (function_reads_isNotFound(error))
            return null;
        throw error;
    }
}
/**
 * Every trigger that invokes the function without a qualifier (or as `$LATEST`), so it would run the
 * candidate's code the moment $LATEST is updated, whatever the alias weights say. Three reads per
 * function, each paced:
 * - ListEventSourceMappings(FunctionName = the function), all pages; a mapping counts when its
 *   FunctionArn has no qualifier or `$LATEST` (the filter by name may or may not list mappings on
 *   qualified ARNs too; those on the alias or a version are left out here either way);
 * - GetPolicy on the unqualified function: the statements whose Resource is the unqualified ARN (or
 *   `:$LATEST`); ResourceNotFoundException means there is no policy;
 * - GetFunctionUrlConfig without a qualifier: a function URL on the unqualified function invokes
 *   $LATEST (a URL's qualifier can only be an alias, so there is no `$LATEST` URL);
 *   ResourceNotFoundException means there is none.
 * Callers that invoke the unqualified name through their own IAM permissions (another function,
 * a script) leave no trace in any of these and cannot be found from here (docs/wave-deploy.md).
 */
async function readUnqualifiedTriggers(ctx, ref) {
    const lambda = ctx.clients.lambda(ref.region);
    const resource = `function ${ref.functionName}`;
    const found = [];
    let marker;
    do {
        const page = await call(ctx, ref.region, 'ListEventSourceMappings', resource, () => lambda.send(new ListEventSourceMappingsCommand({ FunctionName: ref.functionName, Marker: marker, MaxItems: 100 })));
        for (const mapping of page.EventSourceMappings ?? []) {
            const functionArn = mapping.FunctionArn ?? ref.functionName;
            if (!runsLatest(functionArn))
                continue;
            found.push({ kind: 'event-source-mapping', uuid: mapping.UUID ?? '?', sourceArn: mapping.EventSourceArn ?? '?', functionArn, state: mapping.State ?? '?' });
        }
        marker = page.NextMarker;
    } while (marker);
    try {
        const policy = await call(ctx, ref.region, 'GetPolicy', resource, () => lambda.send(new GetPolicyCommand({ FunctionName: ref.functionName })));
        if (policy.Policy)
            found.push(...unqualifiedPermissions(policy.Policy));
    }
    catch (error) {
        if (!function_reads_isNotFound(error))
            throw error;
    }
    try {
        const url = await call(ctx, ref.region, 'GetFunctionUrlConfig', resource, () => lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: ref.functionName })));
        if (url.FunctionUrl && runsLatest(url.FunctionArn ?? ref.functionName))
            found.push({ kind: 'function-url', url: url.FunctionUrl, authType: url.AuthType ?? '?' });
    }
    catch (error) {
        if (!function_reads_isNotFound(error))
            throw error;
    }
    return found;
}

;// CONCATENATED MODULE: ./packages/deploy/src/text.ts
// Errors as one log-safe text: AWS messages can carry anything (control characters, runner commands).

/** Error names that add nothing in front of their message. */
const PLAIN = new Set(['Error', 'LambdaDeployError', 'AccessDeniedError']);
/** The error's message, prefixed with its name when the name says more (`ThrottlingException: Rate exceeded`). */
function text_errorText(error, max = 4000) {
    const e = error;
    const text = e?.message ? (e.name && !e.message.startsWith(e.name) && !PLAIN.has(e.name) ? `${e.name}: ${e.message}` : e.message) : String(error);
    return (0,log_safe/* logSafe */.sN)(text, max);
}
/** The error's message alone, log-safe. */
function text_messageText(error, max = 4000) {
    const e = error;
    return logSafe(e?.message ?? String(error), max);
}

;// CONCATENATED MODULE: ./packages/deploy/src/store.ts
// The deployment store entry over a deployment's life, for every entry point:
//   wave-deploy  reads it in the preflight (is a promoted alias still verifying?) and writes it
//                before the first shift in each region (`writeEntries`);
//   bake-gate    renews it while it watches and, when the wave's last bake passes, ends it (100%)
//                or parks it (a share below 100%: watched on its alarms, no lease) (lease.ts);
//   rollback     and the guardian remove the entry of a deployment whose every alias is back at
//                rest (`retireAtRest`, `retireAfterRollback`), so the sweep stops reading it.
// The encoding and the decision of what is at rest are pure (core guardian-entry.ts, guardian.ts).




/** The store entry of the deployment in one region: what the guardian needs beyond the alias records. */
function entryFor(source, region, nowMs) {
    return {
        service: source.service ?? null,
        stage: source.stage ?? null,
        wave: source.wave ?? null,
        alias: source.alias,
        functions: [...source.functions],
        regions: [...source.regions],
        alarms: [...source.alarms],
        commit: source.commit,
        run: source.run,
        lease: source.leaseMs === null || source.leaseMs === undefined ? null : Math.floor((nowMs + source.leaseMs) / 1000),
        at: Math.floor(nowMs / 1000),
    };
}
/** The entry each region's store holds under the wave's name now (null: none). A read that fails throws. */
async function readEntries(store, source) {
    const key = { alias: source.alias, service: source.service ?? null, functions: source.functions };
    const read = await Promise.all(source.regions.map(async (region) => [region, await readDeployment(store, region, key)]));
    return new Map(read);
}
/** True when the stored entry watches this alias for the deployment its record names (the record is then in flight, a promoted one verifying). */
function watchesRecord(listed, functionName, alias, record) {
    if (!listed?.ok || !record)
        return false;
    const entry = listed.entry;
    return entry.alias === alias && entry.functions.includes(functionName) && entry.commit === record.commit.slice(0, 12);
}
/** Writes the entry in each of `regions`; returns one line per region whose write failed. */
async function writeEntries(store, source, regions, now, logger) {
    const written = await Promise.all(regions.map(async (region) => {
        try {
            const entry = entryFor(source, region, now());
            const answer = await writeDeployment(store, region, entry);
            logger.info(`deployment store: ${answer.name} in ${region} written (version ${answer.version}, ${entry.lease === null ? 'no lease' : `lease until ${new Date(entry.lease * 1000).toISOString()}`})`);
            return null;
        }
        catch (error) {
            return `${region}: ${errorText(error)}`;
        }
    }));
    return written.filter((w) => w !== null);
}
/**
 * Deletes each entry whose every alias is at rest for it (core `entryAtRest`), each delete guarded
 * by a read that finds the same deployment (commit and run): an entry a newer deploy rewrote is kept.
 */
async function retireAtRest(store, region, entries, aliases) {
    const retired = [];
    const gone = [];
    const problems = [];
    for (const { name, entry } of entries.filter((e) => (0,guardian/* entryAtRest */.mi)(e.entry, aliases))) {
        try {
            const answer = await endLease(store, region, entry);
            if (answer === 'ended') {
                retired.push(name);
                gone.push(entry);
            }
        }
        catch (error) {
            problems.push(`store entry ${name} in ${region} not removed: ${text_errorText(error, 1000)}`);
        }
    }
    return { retired, entries: gone, problems };
}
function asReadAlias(region, fn, alias, view) {
    return { region, function: fn, alias, state: view ? { version: view.version, weights: view.weights, record: view.record } : null };
}
/**
 * After a rollback in one region: the store entries naming a rolled-back alias (listed under the
 * store path) whose every alias is now at rest are removed. The entry's aliases the rollback did not
 * touch are read first (one GetAlias each), so an entry of which one function is still in flight stays.
 */
async function store_retireAfterRollback(store, ctx, region, after) {
    const mine = after.filter((a) => a.region === region);
    if (mine.length === 0)
        return { retired: [], entries: [], problems: [] };
    let listed;
    try {
        listed = await listInFlight(store, region);
    }
    catch (error) {
        return { retired: [], entries: [], problems: [`store entries in ${region} not read, none removed: ${errorText(error, 1000)}`] };
    }
    const entries = listed.flatMap((l) => (l.ok && mine.some((a) => a.alias === l.entry.alias && l.entry.functions.includes(a.function)) ? [{ name: l.name, entry: l.entry }] : []));
    if (entries.length === 0)
        return { retired: [], entries: [], problems: [] };
    const known = new Map(mine.map((a) => [`${a.function}:${a.alias}`, asReadAlias(region, a.function, a.alias, a.view)]));
    const missing = [...new Set(entries.flatMap(({ entry }) => entry.functions.map((fn) => `${fn}:${entry.alias}`)))].filter((k) => !known.has(k));
    const reads = await forEachTarget(missing.map((k) => ({ region, key: k })), ({ key }) => {
        const [functionName, alias] = key.split(':');
        return readAlias(ctx, { region, functionName, alias });
    });
    for (const r of reads) {
        const [fn, alias] = r.target.key.split(':');
        known.set(r.target.key, r.ok ? asReadAlias(region, fn, alias, r.value) : { ...asReadAlias(region, fn, alias, null), error: errorText(r.error, 300) });
    }
    return retireAtRest(store, region, entries, [...known.values()]);
}

;// CONCATENATED MODULE: ./packages/deploy/src/rollback.ts
// Rollback of a set of aliases, for every entry point: the rollback action (`rollBack`: preflight
// reads, one guarded write per alias, read back, store entries of rolled-back deployments removed)
// and the guardian (`rollBackGuarded` per alias, with its race handling).
//
// `rollBackGuarded` is the one guarded write: UpdateAlias with the RevisionId of the read the caller
// decided on (packages/aws/src/lambda.ts rollbackAlias, decided by the rollout state machine). When
// the pipeline writes between that read and the write (HTTP 412), a caller that gives `recheck`
// gets the alias read again and judged again, up to `attempts` times: nothing is overwritten unseen.







function rawMessage(error) {
    const e = error;
    return e?.message ?? String(error);
}
/** Rolls one alias back, guarded by the RevisionId of `known`; see the header for races. */
async function rollBackGuarded(ctx, target, options) {
    const steps = [];
    const limit = Math.max(1, options.attempts ?? 1);
    const before = options.known;
    let view = options.known;
    for (let attempt = 1;; attempt += 1) {
        const judged = options.recheck?.(view) ?? { go: true };
        if (!judged.go) {
            steps.push(`attempt ${attempt}: no longer in flight (${judged.why}); nothing to write`);
            return { outcome: judged.failed ? 'failed' : 'already', attempts: attempt, before, after: view, afterRead: attempt > 1, error: judged.failed ? judged.why : null, steps };
        }
        try {
            const change = await rollbackAlias(ctx, target, { to: options.to, run: options.run, ...(options.commit ? { commit: options.commit } : {}), known: { alias: view } });
            return { outcome: change.wrote ? 'rolled-back' : 'already', attempts: attempt, before, after: change.after, afterRead: change.wrote, error: null, steps };
        }
        catch (error) {
            if (options.recheck && error instanceof LambdaDeployError && error.rule === 'alias-changed-concurrently' && attempt < limit) {
                steps.push(`attempt ${attempt}: the alias changed between our read and our write (412); reading it again and deciding again`);
                try {
                    view = await lambda_readAlias(ctx, target);
                }
                catch (readError) {
                    return { outcome: 'failed', attempts: attempt, before, after: view, afterRead: false, error: `cannot read the alias again: ${rawMessage(readError)}`, steps };
                }
                continue;
            }
            const after = await lambda_readAlias(ctx, target).then((v) => ({ view: v, read: true }), () => ({ view, read: false }));
            return { outcome: 'failed', attempts: attempt, before, after: after.view, afterRead: after.read, error: rawMessage(error), steps };
        }
    }
}
function recordOf(view) {
    return view?.record.kind === 'record' ? view.record.record : null;
}
/** 1. Preflight: reads only. Every problem is collected; nothing is written if there is one. */
async function preflight(ctx, order, aliases, now) {
    const explicit = order.to === 'previous' ? null : order.to.version;
    const checks = await forEachTarget(aliases, async (a) => {
        const t = a.target;
        const ref = { region: t.region, functionName: t.functionName };
        const source = order.deployment ? 'deployment' : 'functions';
        if (!(await readFunctionSettings(ctx, ref)))
            return [`input ${source}: function ${t.functionName} does not exist in ${t.region}`];
        a.before = await readAlias(ctx, t);
        if (!a.before)
            return [`input ${source}: alias ${t.alias} of ${t.functionName} does not exist in ${t.region}; there is nothing to roll back`];
        const record = recordOf(a.before);
        if (order.onlyCommit && record?.commit !== order.onlyCommit.slice(0, 12)) {
            a.skipped = `record names commit ${record?.commit || 'none'}, not ${order.onlyCommit.slice(0, 12)}: left as it is`;
            a.to = a.before.version;
            return [];
        }
        if (explicit && !(await readFunctionSettings(ctx, ref, explicit))) {
            return [`input to: version ${explicit} does not exist for function ${t.functionName} in ${t.region}; versions are numbered per function, so a number taken from another function or region does not carry over`];
        }
        const unvetted = explicit && order.confirmUnvetted !== explicit ? unvettedVersion(record, a.before.version, explicit) : null;
        if (unvetted)
            return [`input to: ${t.region} ${t.functionName}:${t.alias}: ${unvetted}; moving all traffic to it skips every bake, so repeat ${explicit} in input confirm-unvetted to do it anyway`];
        const recorded = order.targets.find((x) => x.region === t.region && x.function === t.functionName && x.alias === t.alias)?.recordedStable;
        const to = explicit ?? recorded ?? 'previous';
        const decision = decide(a.before, { kind: 'rollback', to, run: order.run, ...(order.commit ? { commit: order.commit } : {}) }, { now: now() / 1000 });
        if (decision.kind === 'refuse')
            return [`${t.region} ${t.functionName}:${t.alias}: ${decision.rule}: ${decision.message}. Alias now: ${describeAlias(a.before)}`];
        a.to = decision.kind === 'write' ? decision.config.functionVersion : to === 'previous' ? (record?.stable ?? a.before.version) : to;
        return [];
    }, { maxRegions: order.maxParallel });
    return checks.flatMap((c) => (c.ok ? c.value : [`${c.target.target.region} ${c.target.target.functionName}: cannot read before rolling back: ${messageText(c.error)}`]));
}
/** 3. Read back: every alias compared with its target. */
async function readBack(ctx, order, aliases, read) {
    await forEachTarget(aliases, async (a) => {
        try {
            // An alias written (or failed) in step 2 was read right after; read the others now.
            if (!read.has(a))
                a.after = await readAlias(ctx, a.target);
        }
        catch (error) {
            a.error = a.error ?? `cannot read the alias back: ${messageText(error)}`;
            return;
        }
        if (a.skipped || a.error)
            return;
        if (!a.after || !routingMatches(a.after, a.to, {})) {
            a.error = `read back ${describeAlias(a.after)}, expected version ${a.to} with no routing`;
        }
    }, { maxRegions: order.maxParallel });
}
/**
 * Puts the aliases back: preflight (reads only; nothing written on any problem), one guarded write
 * per alias that is not already at its target (all regions in parallel, a failure in one never
 * stops the others), every alias read back and compared, then the store entries whose deployment is
 * now wholly at rest removed (the guardian stops reading them). A verifying alias (promoted, its
 * last bake not passed) goes back to the stable version its record kept.
 */
async function rollBack(order, logger, now = Date.now) {
    const clients = new AwsClients({ caller: 'rollback' });
    const ctx = lambdaContext({ clients, logger, environment: order.environment });
    const aliases = order.targets.map((t) => ({
        region: t.region,
        target: { region: t.region, functionName: t.function, alias: t.alias },
        to: null,
        before: null,
        after: null,
        wrote: false,
        skipped: null,
        error: null,
    }));
    try {
        const problems = await preflight(ctx, order, aliases, now);
        if (problems.length > 0) {
            for (const a of aliases)
                a.after = a.before;
            return { outcome: 'refused', aliases, message: `refused before any write:\n${problems.join('\n')}\nNothing was written.` };
        }
        // 2. Writes. The preflight's read decides each write; its RevisionId guards it.
        const read = new Set();
        const writes = await forEachTarget(aliases.filter((a) => !a.skipped), async (a) => {
            const done = await rollBackGuarded(ctx, a.target, { to: a.to, run: order.run, ...(order.commit ? { commit: order.commit } : {}), known: a.before });
            a.wrote = done.outcome === 'rolled-back';
            a.after = done.after;
            if (done.afterRead)
                read.add(a);
            if (done.error)
                a.error = messageText(done.error);
            return done;
        }, { maxRegions: order.maxParallel });
        for (const w of writes)
            if (!w.ok)
                w.target.error = messageText(w.error);
        await readBack(ctx, order, aliases, read);
        // 4. The store: a deployment whose every alias is back at rest has nothing left to watch.
        const store = storeContext({ clients, ...(order.storePath ? { path: order.storePath } : {}) });
        const settled = aliases.filter((a) => !a.error);
        const retiring = await Promise.all([...new Set(settled.map((a) => a.region))].map((region) => retireAfterRollback(store, ctx, region, settled.map((a) => ({ region: a.region, function: a.target.functionName, alias: a.target.alias, view: a.after })))));
        const retired = retiring.flatMap((r) => r.retired);
        const notes = retiring.flatMap((r) => r.problems);
        // Each alias written, with the phase it left: a promoted alias whose entry was still there was verifying.
        for (const a of aliases.filter((x) => x.wrote)) {
            const before = recordOf(a.before);
            const watched = retiring.some((r) => r.entries.some((e) => e.alias === a.target.alias && e.functions.includes(a.target.functionName) && e.commit === before?.commit.slice(0, 12)));
            logger.info(`transition ${a.region} ${a.target.functionName}:${a.target.alias}: ${phaseTransition(before, watched, recordOf(a.after), false, 'rollback')}`);
        }
        for (const name of retired)
            logger.info(`deployment store: ${name} removed (its deployment is rolled back; the guardian stops reading it)`);
        for (const note of notes)
            logger.warn(note);
        const failed = aliases.filter((a) => a.error);
        if (failed.length > 0) {
            return { outcome: 'failed', aliases, message: failed.map((a) => `${a.target.region} ${a.target.functionName}:${a.target.alias}: ${a.error}`).join('\n'), retired, notes };
        }
        return { outcome: 'rolled-back', aliases, message: null, retired, notes };
    }
    catch (error) {
        return { outcome: 'failed', aliases, message: messageText(error) };
    }
    finally {
        clients.destroy();
    }
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-eventbridge/dist-cjs/index.js
var client_eventbridge_dist_cjs = __webpack_require__(6612);
;// CONCATENATED MODULE: ./packages/guardian/src/notify.ts
// The guardian's notifications: one EventBridge event per rollback (written or failed), on the bus
// SAFE_DEPLOY_EVENT_BUS names. Teams route them with their own rules (SNS, chat, paging).
// A notification that cannot be sent is reported; it never undoes or blocks a rollback.


const EVENT_SOURCE = 'safe-deploy.guardian';
const EVENT_DETAIL_TYPE = 'safe-deploy guardian rollback';
/** PutEvents takes at most 10 entries per call. */
const ENTRIES_PER_CALL = 10;
/** Sends one event per notice (in calls of 10); every notice gets an event id or the error. */
async function sendNotices(clients, region, bus, notices) {
    const client = clients.other('events', region, (config) => new client_eventbridge_dist_cjs/* EventBridgeClient */.Ldt(config));
    const sent = [];
    for (let i = 0; i < notices.length; i += ENTRIES_PER_CALL) {
        const batch = notices.slice(i, i + ENTRIES_PER_CALL);
        try {
            const answer = await client.send(new client_eventbridge_dist_cjs/* PutEventsCommand */.yyL({
                Entries: batch.map((notice) => ({
                    Source: EVENT_SOURCE,
                    DetailType: EVENT_DETAIL_TYPE,
                    EventBusName: bus,
                    Time: new Date(notice.at),
                    Detail: JSON.stringify(notice),
                })),
            }));
            batch.forEach((notice, k) => {
                const entry = answer.Entries?.[k];
                sent.push({
                    notice,
                    eventId: entry?.EventId ?? null,
                    error: entry?.ErrorCode ? (0,log_safe/* logSafe */.sN)(`${entry.ErrorCode}: ${entry.ErrorMessage ?? ''}`, 200) : entry?.EventId ? null : 'no event id in the answer',
                });
            });
        }
        catch (error) {
            const e = error;
            for (const notice of batch)
                sent.push({ notice, eventId: null, error: (0,log_safe/* logSafe */.sN)(`${e.name ?? 'Error'}: ${e.message ?? String(error)}`, 200) });
        }
    }
    return sent;
}

;// CONCATENATED MODULE: ./packages/guardian/src/guardian.ts










/** The run id the guardian writes into the alias records it rolls back. */
const GUARDIAN_RUN = 'guardian';
/** Attempts per alias when the pipeline writes between our read and our write. */
const RACE_ATTEMPTS = 3;
/** Every string of a log line through logSafe (the line is JSON, and what it quotes came from AWS). */
function safe(value) {
    if (typeof value === 'string')
        return (0,log_safe/* logSafe */.sN)(value);
    if (Array.isArray(value))
        return value.map(safe);
    if (value && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, safe(v)]));
    return value;
}
function guardian_errorText(error) {
    const e = error;
    return e?.message ?? String(error);
}
/**
 * Rolls one alias back with the orchestration's guarded rollback (packages/deploy/src/rollback.ts),
 * guarded by the RevisionId of `first` (the read the decision was made on). On a 412 the alias is
 * read again and judged again (watchOf): still in flight, it is rolled back from what the pipeline
 * wrote; at rest (rolled back, a newer release), nothing is written.
 */
async function rollBackOne(ctx, entry, decision, first) {
    const region = decision.region;
    const target = { region, functionName: decision.function, alias: decision.alias };
    const done = await rollBackGuarded(ctx, target, {
        to: 'previous',
        run: GUARDIAN_RUN,
        known: first,
        attempts: RACE_ATTEMPTS,
        recheck: (view) => {
            const watch = (0,guardian/* watchOf */.xE)(entry, asReadAlias(region, target.functionName, target.alias, view));
            return watch.kind === 'in-flight' ? { go: true } : { go: false, failed: watch.kind === 'unreadable', why: watch.why };
        },
    });
    return { decision, outcome: done.outcome, attempts: done.attempts, before: rollout_describeAlias(done.before), after: rollout_describeAlias(done.after), error: done.error, steps: done.steps, view: done.after };
}
async function guardian_runGuardian(event, deps) {
    const now = deps.now ?? Date.now;
    const started = now();
    const { settings, clients } = deps;
    const trigger = (0,guardian/* parseTrigger */.uc)(event, settings.region);
    const base = { component: 'safe-deploy-guardian', trigger: trigger.kind, region: trigger.region, eventId: trigger.kind === 'ignored' ? null : trigger.eventId };
    const emit = (line) => deps.log(safe({ at: new Date(now()).toISOString(), ...base, ...line }));
    const finish = (result, level = 'info') => {
        emit({
            level,
            kind: 'summary',
            ...(trigger.kind === 'alarm' ? { alarm: trigger.alarm, announced: trigger.state } : {}),
            result: result.result,
            decisions: result.decisions.length,
            rolledBack: result.rollbacks.filter((r) => r.outcome === 'rolled-back').length,
            already: result.rollbacks.filter((r) => r.outcome === 'already').length,
            failed: result.rollbacks.filter((r) => r.outcome === 'failed').length,
            events: result.events.filter((e) => e.eventId).length,
            notes: result.notes,
            ms: now() - started,
        });
        return { trigger: trigger.kind, region: trigger.region, ...result };
    };
    const nothing = (result, notes = []) => finish({ result, decisions: [], rollbacks: [], events: [], notes });
    if (trigger.kind === 'ignored')
        return nothing(`ignored: ${trigger.why}`);
    if (trigger.kind === 'alarm' && trigger.state !== 'ALARM')
        return nothing(`ignored: the alarm went to ${trigger.state}; only ALARM rolls back`);
    const region = trigger.region;
    const limiter = new RegionLimiter({ ...(deps.sleep ? { sleep: deps.sleep } : {}), now });
    const store = deployment_store_storeContext({ clients, path: settings.storePath, ...(deps.sleep ? { sleep: deps.sleep } : {}), now });
    // 1. The store: every deployment the region has in flight.
    const entries = await deployment_store_listInFlight(store, region);
    const okEntries = entries.flatMap((e) => (e.ok ? [e.entry] : []));
    if (entries.length === 0)
        return nothing(`nothing in flight under ${settings.storePath} in ${region}`);
    // 2. The alarms to confirm. The event path reads only the event's alarm, and only when it watches something here.
    let refs;
    if (trigger.kind === 'alarm') {
        const watched = (0,guardian/* refMatches */.dX)(settings.stop, trigger.alarm) || okEntries.some((e) => (0,guardian/* refMatches */.dX)((0,guardian/* entryAlarmRefs */.ge)(e).refs, trigger.alarm));
        if (!watched)
            return nothing(`ignored: alarm ${trigger.alarm} is neither a stop-the-line alarm nor a rollback alarm of the ${okEntries.length} deployment(s) in flight here`);
        refs = { names: [trigger.alarm], prefixes: [] };
    }
    else {
        refs = (0,guardian/* alarmsToRead */.IS)(settings.stop, okEntries);
    }
    const notes = [];
    let alarms = [];
    if (refs.names.length + refs.prefixes.length > 0) {
        try {
            const read = await cloudwatch_readAlarmStates(clients, region, refs);
            alarms = [...read.alarms];
            for (const m of read.missing)
                notes.push(`alarm ${m} not found in ${region}: nothing can fire on it`);
        }
        catch (error) {
            if (trigger.kind === 'alarm' || !(error instanceof MonitoringError))
                throw error; // the event is retried by Lambda
            notes.push(`alarm states unreadable, only leases judged this sweep: ${guardian_errorText(error)}`);
        }
    }
    if (trigger.kind === 'alarm') {
        const confirmed = alarms.find((a) => a.name === trigger.alarm);
        if (!confirmed || confirmed.state !== 'ALARM') {
            const decision = {
                region,
                function: null,
                alias: null,
                deployment: null,
                action: 'skip',
                transition: 'unconfirmed',
                cause: null,
                reason: `the event says ${trigger.alarm} is ALARM, DescribeAlarms says ${confirmed ? confirmed.state : 'it does not exist'}: nothing changed`,
                to: null,
                candidate: null,
            };
            emit({ level: 'info', kind: 'decision', ...decision });
            return finish({ result: 'unconfirmed: nothing changed', decisions: [decision], rollbacks: [], events: [], notes });
        }
    }
    // 3. The aliases of the deployments that have a reason to move, all regions' calls paced.
    const pre = { trigger, entries, alarms, stop: settings.stop, now: now() / 1000 };
    const lambdaCtx = (entry, steps) => lambda_lambdaContext({
        clients,
        limiter,
        now,
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        environment: entry?.stage ?? '<environment>',
        logger: { info: (m) => steps.push((0,log_safe/* logSafe */.sN)(m)), warn: (m) => steps.push((0,log_safe/* logSafe */.sN)(m)) },
    });
    const reads = (0,guardian/* entriesToRead */.Cr)(pre).flatMap(({ entry }) => entry.functions.map((fn) => ({ region, functionName: fn, alias: entry.alias, entry })));
    const unique = reads.filter((r, i) => reads.findIndex((o) => o.functionName === r.functionName && o.alias === r.alias) === i);
    const views = new Map();
    const readCtx = lambdaCtx(null, []);
    const readOutcomes = await lambda_forEachTarget(unique, (t) => lambda_readAlias(readCtx, { region: t.region, functionName: t.functionName, alias: t.alias }));
    const aliases = readOutcomes.map((o) => {
        const t = o.target;
        if (!o.ok)
            return { ...asReadAlias(region, t.functionName, t.alias, null), error: guardian_errorText(o.error) };
        views.set(`${t.functionName}:${t.alias}`, o.value);
        return asReadAlias(region, t.functionName, t.alias, o.value);
    });
    // 4. Decide, then carry out every rollback (in parallel, each on its own).
    const plan = (0,guardian/* decideGuardian */.Qc)({ ...pre, aliases });
    notes.push(...plan.notes);
    for (const d of plan.decisions)
        if (d.action !== 'rollback')
            emit({ level: d.action === 'report' ? 'warn' : 'info', kind: 'decision', ...d });
    const byName = new Map(entries.flatMap((e) => (e.ok ? [[e.name, e.entry]] : [])));
    const entryOf = (d) => byName.get(d.deployment?.entry ?? '') ?? null;
    const executed = await lambda_forEachTarget(plan.rollbacks.map((d) => ({ region, decision: d })), ({ decision }) => {
        const entry = entryOf(decision);
        const steps = [];
        return rollBackOne(lambdaCtx(entry, steps), entry, decision, views.get(`${decision.function}:${decision.alias}`) ?? null).then((r) => ({ ...r, steps: [...steps, ...r.steps] }));
    });
    const rollbacks = executed.map((o) => {
        if (!o.ok)
            return { decision: o.target.decision, outcome: 'failed', attempts: 1, before: '-', after: '-', error: guardian_errorText(o.error), steps: [] };
        const { view, ...rollback } = o.value;
        if (rollback.outcome !== 'failed')
            views.set(`${rollback.decision.function}:${rollback.decision.alias}`, view);
        return rollback;
    });
    // 5. One notification per rollback that changed an alias or failed (a repeated event sends none).
    const notices = rollbacks
        .filter((r) => r.outcome !== 'already')
        .map((r) => ({
        region,
        function: r.decision.function,
        alias: r.decision.alias,
        outcome: r.outcome === 'failed' ? 'failed' : 'rolled-back',
        cause: r.decision.cause ?? '',
        reason: r.decision.reason,
        to: r.decision.to,
        candidate: r.decision.candidate,
        trigger: trigger.kind,
        deployment: r.decision.deployment ? { ...r.decision.deployment } : null,
        error: r.error ? (0,log_safe/* logSafe */.sN)(r.error) : null,
        at: new Date(now()).toISOString(),
    }));
    const events = [];
    if (settings.eventBus && notices.length > 0) {
        for (const s of await sendNotices(clients, region, settings.eventBus, notices)) {
            events.push({ function: s.notice.function, alias: s.notice.alias, eventId: s.eventId, error: s.error });
            if (s.error)
                notes.push(`notification for ${s.notice.function}:${s.notice.alias} not sent: ${s.error}`);
        }
    }
    // 6. Last (nothing waits on it): a deployment whose every alias is now at rest (rolled back, by us or before) leaves the store:
    // the sweep stops reading it. Each delete is guarded by a read of the same deployment.
    const settled = unique.map((t) => asReadAlias(region, t.functionName, t.alias, views.get(`${t.functionName}:${t.alias}`) ?? null)).filter((a) => views.has(`${a.function}:${a.alias}`));
    const retiring = await retireAtRest(store, region, (0,guardian/* entriesToRead */.Cr)(pre), settled);
    notes.push(...retiring.problems);
    for (const name of retiring.retired)
        emit({ level: 'info', kind: 'store', entry: name, result: 'removed', reason: 'every alias of the deployment is at rest (rolled back); the sweep stops reading it' });
    for (const r of rollbacks) {
        emit({
            level: r.outcome === 'failed' ? 'error' : 'info',
            kind: 'decision',
            ...r.decision,
            result: r.outcome,
            attempts: r.attempts,
            before: r.before,
            after: r.after,
            ...(r.error ? { error: r.error } : {}),
            steps: r.steps,
        });
    }
    const failed = rollbacks.filter((r) => r.outcome === 'failed');
    const rolled = rollbacks.filter((r) => r.outcome === 'rolled-back');
    const reported = plan.decisions.filter((d) => d.action === 'report').length;
    const result = failed.length > 0
        ? `${failed.length} rollback(s) failed, ${rolled.length} rolled back`
        : rolled.length > 0
            ? `${rolled.length} alias(es) rolled back${reported ? `, ${reported} reported` : ''}`
            : `nothing to roll back (${plan.decisions.length} decision(s)${reported ? `, ${reported} reported` : ''})`;
    return finish({ result, decisions: plan.decisions, rollbacks, events, notes }, failed.length > 0 ? 'error' : reported > 0 ? 'warn' : 'info');
}

;// CONCATENATED MODULE: ./packages/deploy/src/stop-the-line.ts



/** Reads the stop-the-line alarms in one region (DescribeAlarms) and says whether the line is stopped. */
async function stopTheLine(clients, region, stopAlarms) {
    const refs = typeof stopAlarms === 'string' ? parseStopAlarms(stopAlarms) : stopAlarms;
    if (refs.names.length + refs.prefixes.length === 0)
        return stopTheLineVerdict(region, refs, [], []);
    const read = await readAlarmStates(clients, region, refs);
    return stopTheLineVerdict(region, refs, read.alarms, read.missing);
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

;// CONCATENATED MODULE: ./packages/guardian/src/stop-the-line.ts
// The guardian's stop-the-line reading lives with the orchestration every entry shares
// (packages/deploy/src/stop-the-line.ts); kept here so `stopTheLine` stays importable from the guardian.


;// CONCATENATED MODULE: ./packages/guardian/src/index.ts
// The guardian's Lambda entry (dist/guardian/index.js, export `handler`): thin. It reads its
// environment, makes the clients (caller `guardian`), runs one evaluation and prints one JSON line
// per decision. Environment:
//   SAFE_DEPLOY_STOP_ALARMS  stop-the-line alarms, names or `prefix:`, separated by commas or newlines
//   SAFE_DEPLOY_EVENT_BUS    bus for the rollback notifications (name or ARN; default `default`; `none` sends none)
//   SAFE_DEPLOY_STORE_PATH   Parameter Store path of the deployment store (default /safe-deploy)
//   AWS_REGION               set by Lambda: the region it watches when an event names none
// A rollback that fails makes the invocation fail (Lambda retries the event; the Errors metric of the
// function shows it); a bad record or store entry is reported and does not.







/** Reads the guardian's environment; an error names the variable. */
function readSettings(env = process.env) {
    const bus = (env.SAFE_DEPLOY_EVENT_BUS ?? '').trim();
    return {
        stop: parseStopAlarms(env.SAFE_DEPLOY_STOP_ALARMS),
        eventBus: bus === '' ? 'default' : bus.toLowerCase() === 'none' ? null : bus,
        storePath: checkStorePath((env.SAFE_DEPLOY_STORE_PATH ?? '').trim() || DEFAULT_STORE_PATH, 'SAFE_DEPLOY_STORE_PATH'),
        region: env.AWS_REGION || env.AWS_DEFAULT_REGION || null,
    };
}
async function handler(event, _context) {
    const settings = readSettings();
    const clients = new AwsClients({ caller: 'guardian' });
    try {
        const result = await runGuardian(event, { settings, clients, log: (line) => console.log(JSON.stringify(line)) });
        const failed = result.rollbacks.filter((r) => r.outcome === 'failed');
        if (failed.length > 0) {
            throw new Error(`guardian: ${failed.length} rollback(s) failed: ${failed.map((r) => logSafe(`${r.decision.region} ${r.decision.function}:${r.decision.alias}: ${r.error}`)).join('; ')}`);
        }
        return result;
    }
    finally {
        clients.destroy();
    }
}

;// CONCATENATED MODULE: ./actions/sentinel/src/sweep.ts



function deploymentOf(d) {
    if (!d.deployment)
        return null;
    const who = [d.deployment.service, d.deployment.stage, d.deployment.wave].filter(Boolean).join('/');
    return (0,log_safe/* logSafe */.sN)(`${who || d.deployment.entry} commit ${d.deployment.commit || '-'} run ${d.deployment.run || '-'}`, 200);
}
/** Flattens one region's guardian answer into alias lines (rollbacks carry their outcome). */
function aliasReports(result) {
    const executed = new Map(result.rollbacks.map((r) => [`${r.decision.function}:${r.decision.alias}`, r]));
    return result.decisions.map((d) => {
        const done = d.action === 'rollback' ? executed.get(`${d.function}:${d.alias}`) : undefined;
        const state = d.action === 'rollback' ? (done?.outcome ?? 'failed') : d.action;
        const reason = done?.error ? `${d.reason}; ${done.error}` : d.reason;
        return {
            region: d.region,
            function: d.function,
            alias: d.alias,
            deployment: deploymentOf(d),
            state,
            cause: d.cause,
            transition: (0,log_safe/* logSafe */.sN)(d.transition, 80),
            reason: (0,log_safe/* logSafe */.sN)(reason),
        };
    });
}
function stateOf(regions, aliases) {
    if (regions.some((r) => !r.ok) || aliases.some((a) => a.state === 'failed'))
        return 'failed';
    if (aliases.some((a) => a.state === 'report'))
        return 'reported';
    return aliases.some((a) => a.state === 'rolled-back') ? 'rolled-back' : 'clean';
}
/** Sweeps every region at once; a region that cannot be swept is reported and the others still are. */
async function sweepRegions(options) {
    const now = options.now ?? Date.now;
    const settings = { stop: options.stop, eventBus: null, storePath: options.storePath, region: null };
    const answers = await Promise.all(options.regions.map(async (region) => {
        try {
            const result = await guardian_runGuardian(sweepEvent(region, `sentinel-${options.runId}-${region}`, new Date(now()).toISOString()), {
                settings,
                clients: options.clients,
                log: options.log ?? (() => undefined),
                now,
                ...(options.sleep ? { sleep: options.sleep } : {}),
            });
            const sweep = { region, result: (0,log_safe/* logSafe */.sN)(result.result), ok: true, notes: result.notes.map((n) => (0,log_safe/* logSafe */.sN)(n)) };
            return { sweep, aliases: aliasReports(result) };
        }
        catch (error) {
            const e = error;
            const sweep = { region, result: (0,log_safe/* logSafe */.sN)(`not swept: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`), ok: false, notes: [] };
            return { sweep, aliases: [] };
        }
    }));
    const regions = answers.map((a) => a.sweep);
    const aliases = answers.flatMap((a) => a.aliases);
    return { regions, aliases, state: stateOf(regions, aliases) };
}


/***/ })

};
