export const id = 97;
export const ids = [97];
export const modules = {

/***/ 1097:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deployWave: () => (/* binding */ deployWave)
});

// UNUSED EXPORTS: needsTriggerCheck, readBack

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./packages/core/src/alarms.ts
var alarms = __webpack_require__(8419);
// EXTERNAL MODULE: ./packages/core/src/rollout.ts
var rollout = __webpack_require__(4980);
// EXTERNAL MODULE: ./packages/core/src/triggers.ts
var triggers = __webpack_require__(3300);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudwatch/dist-cjs/index.js
var dist_cjs = __webpack_require__(4085);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-lambda/dist-cjs/index.js
var client_lambda_dist_cjs = __webpack_require__(1696);
;// CONCATENATED MODULE: ./packages/aws/src/clients.ts
// One Lambda and one CloudWatch client per region, reused for the life of the process.
// Retries are the SDK's own (standard mode); endpoints follow AWS_ENDPOINT_URL through the SDK.


const USER_AGENT = ['safe-deploy', '1.0.0'];
class AwsClients {
    options;
    lambdas = new Map();
    cloudwatches = new Map();
    others = new Map();
    constructor(options = {}) {
        this.options = options;
    }
    /** The settings every client gets: region, standard retries, user agent with the caller, endpoint, credentials. */
    config(region) {
        return {
            region,
            retryMode: 'standard',
            maxAttempts: this.options.maxAttempts ?? 5,
            customUserAgent: [[USER_AGENT[0], USER_AGENT[1]], ...(this.options.caller ? [['caller', this.options.caller]] : [])],
            ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
            ...(this.options.credentials ? { credentials: { ...this.options.credentials } } : {}),
        };
    }
    lambda(region) {
        let client = this.lambdas.get(region);
        if (!client) {
            client = new client_lambda_dist_cjs/* LambdaClient */.Nox(this.config(region));
            this.lambdas.set(region, client);
        }
        return client;
    }
    cloudwatch(region) {
        let client = this.cloudwatches.get(region);
        if (!client) {
            client = new dist_cjs/* CloudWatchClient */.WBn(this.config(region));
            this.cloudwatches.set(region, client);
        }
        return client;
    }
    /**
     * A client of another service (SSM for the deployment store, EventBridge for the guardian), made by
     * `make` with the same settings, kept per service and region and destroyed with the others. The
     * SDK package is imported by the adapter that needs it, so bundles that never call it stay small.
     */
    other(service, region, make) {
        const key = `${service} ${region}`;
        let client = this.others.get(key);
        if (!client) {
            client = make(this.config(region));
            this.others.set(key, client);
        }
        return client;
    }
    destroy() {
        for (const client of [...this.lambdas.values(), ...this.cloudwatches.values(), ...this.others.values()])
            client.destroy();
        this.lambdas.clear();
        this.cloudwatches.clear();
        this.others.clear();
    }
}

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

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ssm/dist-cjs/index.js
var client_ssm_dist_cjs = __webpack_require__(4736);
// EXTERNAL MODULE: ./packages/core/src/guardian-entry.ts
var guardian_entry = __webpack_require__(2411);
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
function storeContext(options) {
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
async function writeDeployment(ctx, region, entry) {
    const name = (0,guardian_entry/* entryName */.MB)(ctx.path, entry);
    const value = (0,guardian_entry/* encodeEntry */.vv)(entry);
    const answer = await deployment_store_call(ctx, region, 'PutParameter', name, () => ssm(ctx, region).send(new client_ssm_dist_cjs/* PutParameterCommand */.ihh({
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
async function readDeployment(ctx, region, entry) {
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
    const stored = await readDeployment(ctx, region, entry);
    if (!stored)
        return 'missing';
    if (!stored.ok || !sameDeployment(stored.entry, entry))
        return 'other-deployment';
    await writeDeployment(ctx, region, { ...stored.entry, lease: until === null ? null : Math.floor(until), at: Math.floor(Date.now() / 1000) });
    return 'renewed';
}
/** Deletes the deployment's entry (its last bake in the region passed), only when it is this deployment. */
async function deployment_store_endLease(ctx, region, entry) {
    const stored = await readDeployment(ctx, region, entry);
    if (!stored)
        return 'missing';
    if (!stored.ok || !sameDeployment(stored.entry, entry))
        return 'other-deployment';
    const name = entryName(ctx.path, entry);
    try {
        await deployment_store_call(ctx, region, 'DeleteParameter', name, () => ssm(ctx, region).send(new DeleteParameterCommand({ Name: name })));
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
        const page = await deployment_store_call(ctx, region, 'GetParametersByPath', ctx.path, () => ssm(ctx, region).send(new GetParametersByPathCommand({ Path: ctx.path, Recursive: true, MaxResults: 10, NextToken: token })));
        parameters.push(...(page.Parameters ?? []));
        token = page.NextToken;
    } while (token);
    return parameters
        .map((p) => {
        const name = p.Name ?? '';
        const decoded = decodeEntry(p.Value);
        return decoded.ok ? { name, ok: true, entry: decoded.entry } : { name, ok: false, problem: decoded.problem };
    })
        .sort((a, b) => a.name.localeCompare(b.name));
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./packages/core/src/deployment.ts
var deployment = __webpack_require__(5566);
// EXTERNAL MODULE: ./packages/core/src/log-safe.ts
var log_safe = __webpack_require__(5745);
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
function lambdaContext(options) {
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
    const record = (0,deployment/* decodeRecord */.eT)(alias.Description);
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
    return new LambdaDeployError(target.region, target.functionName, target.alias, rule, detail, (0,rollout/* describeAlias */.IN)(current), handCommand(ctx, target.region, version ?? stableOf(current), `${rule} on ${target.functionName}`));
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
    const problem = (0,rollout/* checkVersionsCompatible */.OS)(stable, cand);
    if (problem)
        throw fail(ctx, target, problem.rule, `${problem.message}; nothing was written`, current);
    const warning = (0,rollout/* provisionedConcurrencyWarning */.A1)(provisioned, config.weights[candidate] ?? 0);
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
    const decision = (0,rollout/* decide */.LD)(before, intent, {
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
    const routing = (0,rollout/* checkRouting */.lR)(config.functionVersion, config.weights);
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
                if (now && (0,rollout/* routingMatches */.qr)(now, config.functionVersion, config.weights) && now.description === config.description) {
                    // Our own write landed and its answer was lost; the SDK's retry then met the new RevisionId.
                    ctx.logger.info(`${target.region} ${target.functionName}:${target.alias}: ${decision.transition} done (the write landed before a lost answer)`);
                    return { target, wrote: true, transition: decision.transition, before, after: now };
                }
                throw fail(ctx, target, 'alias-changed-concurrently', `the alias changed between our read and our write (RevisionId ${before?.revision ?? 'none'}); nothing was written. Read before: ${(0,rollout/* describeAlias */.IN)(before)}. Read now: ${(0,rollout/* describeAlias */.IN)(now)}`, now);
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
    if (!after || !(0,rollout/* routingMatches */.qr)(after, config.functionVersion, config.weights) || after.description !== config.description) {
        throw fail(ctx, target, 'read-back-mismatch', `after ${decision.transition} the alias reads ${(0,rollout/* describeAlias */.IN)(after)}, expected ${(0,rollout/* describeAlias */.IN)({ version: config.functionVersion, weights: config.weights, record: { kind: 'record', record: config.record } })}`, after);
    }
    ctx.logger.info(`${target.region} ${target.functionName}:${target.alias}: ${decision.transition} done (${(0,rollout/* describeAlias */.IN)(after)})`);
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
    return (0,external_node_crypto_.createHash)('sha256').update(zip).digest('base64');
}
async function listVersionPages(ctx, ref) {
    let marker;
    const configs = [];
    do {
        const page = await lambda_call(ctx, ref.region, 'ListVersionsByFunction', resourceOf(ref.functionName), () => ctx.clients.lambda(ref.region).send(new client_lambda_dist_cjs/* ListVersionsByFunctionCommand */.Ox4({ FunctionName: ref.functionName, Marker: marker, MaxItems: 50 })));
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
            const answer = await ctx.clients.lambda(ref.region).send(new client_lambda_dist_cjs/* GetFunctionCommand */.YF5({ FunctionName: ref.functionName, ...(qualifier ? { Qualifier: qualifier } : {}) }));
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
            last = (0,log_safe/* logSafe */.sN)(`${errorName(error)}: ${error.message}`, 300);
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
            return { ok: false, error: `the code update ended Failed: ${(0,log_safe/* logSafe */.sN)(config.LastUpdateStatusReasonCode ?? '', 80)} ${(0,log_safe/* logSafe */.sN)(config.LastUpdateStatusReason ?? '', 300)}`.trim() };
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
            return { ok: false, error: `version ${version} is ${config.State}: ${(0,log_safe/* logSafe */.sN)(config.StateReasonCode ?? '', 80)} ${(0,log_safe/* logSafe */.sN)(config.StateReason ?? '', 300)}; no traffic was moved to it`.trim() };
        }
        return null;
    });
}
/** The version a published or listed configuration names, once it is Active. */
async function activeCandidate(ctx, ref, config, reused, codeSha256) {
    const version = config.Version;
    if (config.State !== undefined && config.State !== 'Active') {
        ctx.logger.info(`${ref.region} ${ref.functionName}: version ${version} is ${(0,log_safe/* logSafe */.sN)(config.State, 20)}; waiting for Active before any traffic moves`);
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
            ctx.logger.info(`${where}: reusing version ${existing.Version} published for commit ${options.commit} (same CodeSha256 ${(0,log_safe/* logSafe */.sN)(codeSha256, 64)})`);
            return activeCandidate(ctx, ref, existing, true, codeSha256);
        }
        if (warned)
            return null;
        warned = true;
        ctx.logger.warn(`${where}: version ${existing.Version} carries commit ${options.commit} in its description, but its code (CodeSha256 ${(0,log_safe/* logSafe */.sN)(existing.CodeSha256 ?? 'unknown', 64)}) is not the code given (${(0,log_safe/* logSafe */.sN)(codeSha256, 64)}): not reused, a new version is published`);
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
        const updated = await lambda_call(ctx, ref.region, 'UpdateFunctionCode', resourceOf(ref.functionName), () => lambda.send(new client_lambda_dist_cjs/* UpdateFunctionCodeCommand */.KfB(input)));
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
        const latest = await lambda_call(ctx, ref.region, 'GetFunctionConfiguration', resourceOf(ref.functionName), () => lambda.send(new client_lambda_dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: ref.functionName })));
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
        published = await lambda_call(ctx, ref.region, 'PublishVersion', resourceOf(ref.functionName), () => lambda.send(new client_lambda_dist_cjs/* PublishVersionCommand */.D3m({
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
            throw functionError(ctx, ref, 'code-changed-concurrently', `$LATEST changed after our update (CodeSha256 ${(0,log_safe/* logSafe */.sN)(codeSha256 ?? '', 64)}); nothing was published: ${(0,log_safe/* logSafe */.sN)(error.message, 300)}`);
        }
        throw functionError(ctx, ref, 'publish-failed', (0,log_safe/* logSafe */.sN)(error.message, 400));
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
        throw functionError(ctx, ref, 'code-unchanged', `code unchanged: no new version. PublishVersion returned the existing version ${published.Version} ("${(0,log_safe/* logSafe */.sN)(published.Description ?? '', 120)}", CodeSha256 ${(0,log_safe/* logSafe */.sN)(published.CodeSha256 ?? '', 64)}) because the code and configuration equal it, so it is not deployed as a new candidate and no alias was changed. Build code that differs, or redeploy a known version with the \`version\` input`);
    }
    ctx.logger.info(`${where}: published version ${published.Version} (CodeSha256 ${(0,log_safe/* logSafe */.sN)(published.CodeSha256 ?? '', 64)})`);
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
async function readFunctionSettings(ctx, ref, version) {
    try {
        const config = await lambda_call(ctx, ref.region, 'GetFunctionConfiguration', `function ${ref.functionName}${version ? `:${version}` : ''}`, () => ctx.clients.lambda(ref.region).send(new client_lambda_dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: ref.functionName, ...(version ? { Qualifier: version } : {}) })));
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
        const page = await lambda_call(ctx, ref.region, 'ListEventSourceMappings', resource, () => lambda.send(new client_lambda_dist_cjs/* ListEventSourceMappingsCommand */.Cb$({ FunctionName: ref.functionName, Marker: marker, MaxItems: 100 })));
        for (const mapping of page.EventSourceMappings ?? []) {
            const functionArn = mapping.FunctionArn ?? ref.functionName;
            if (!(0,triggers/* runsLatest */.wd)(functionArn))
                continue;
            found.push({ kind: 'event-source-mapping', uuid: mapping.UUID ?? '?', sourceArn: mapping.EventSourceArn ?? '?', functionArn, state: mapping.State ?? '?' });
        }
        marker = page.NextMarker;
    } while (marker);
    try {
        const policy = await lambda_call(ctx, ref.region, 'GetPolicy', resource, () => lambda.send(new client_lambda_dist_cjs/* GetPolicyCommand */.s4W({ FunctionName: ref.functionName })));
        if (policy.Policy)
            found.push(...(0,triggers/* unqualifiedPermissions */.O6)(policy.Policy));
    }
    catch (error) {
        if (!function_reads_isNotFound(error))
            throw error;
    }
    try {
        const url = await lambda_call(ctx, ref.region, 'GetFunctionUrlConfig', resource, () => lambda.send(new client_lambda_dist_cjs/* GetFunctionUrlConfigCommand */.Hcc({ FunctionName: ref.functionName })));
        if (url.FunctionUrl && (0,triggers/* runsLatest */.wd)(url.FunctionArn ?? ref.functionName))
            found.push({ kind: 'function-url', url: url.FunctionUrl, authType: url.AuthType ?? '?' });
    }
    catch (error) {
        if (!function_reads_isNotFound(error))
            throw error;
    }
    return found;
}

// EXTERNAL MODULE: ./packages/deploy/src/interrupt.ts
var interrupt = __webpack_require__(8890);
// EXTERNAL MODULE: ./packages/core/src/guardian.ts
var guardian = __webpack_require__(4170);
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
    const read = await readAlarmStates(clients, region, refs);
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
            return `stop-the-line alarms (SAFE_DEPLOY_STOP_ALARMS) cannot be read in ${region}, so nothing starts unwatched: ${text_errorText(error, 1000)}`;
        }
    }));
    return lines.filter((l) => l !== null);
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
            return `${region}: ${text_errorText(error)}`;
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
    for (const { name, entry } of entries.filter((e) => entryAtRest(e.entry, aliases))) {
        try {
            const answer = await endLease(store, region, entry);
            if (answer === 'ended') {
                retired.push(name);
                gone.push(entry);
            }
        }
        catch (error) {
            problems.push(`store entry ${name} in ${region} not removed: ${errorText(error, 1000)}`);
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
async function retireAfterRollback(store, ctx, region, after) {
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

;// CONCATENATED MODULE: ./packages/deploy/src/wave.ts
// One wave: the named steps of the rollout state machine (packages/core/src/rollout.ts `WaveStep`),
// each transition logged. Loaded with a dynamic import after the inputs are valid (AWS SDK).
//
// Order of work, so that bad input or a refused alias never half-deploys:
//   preflight  reads only: stop-the-line, every function exists, a given version exists, the
//              deployment store entry of each region (a promoted alias whose entry is still there is
//              verifying: a new release is refused), every alias can take the shift (rollout.ts
//              decides with the candidate we will publish), roles match, no trigger invokes a
//              function without the alias while the wave stays below 100%, rollback alarms quiet;
//   publish    the candidate in every region (reused on a re-run of the same commit);
//   lease      the store entry in each region before its first shift (the guardian finds the
//              deployment from here on; a re-run takes the entry over), then the planned
//              `deployment` output, so a cancelled run can still be rolled back;
//   shift      per step below 100%: every alias (regions in parallel, at most max-parallel at once),
//              then step-wait and the rollback alarms before the next step;
//   promote    the step to 100% (the alias is then verifying until the wave's last bake passes);
//   read-back  every alias as last read, compared with the wave's share; on a stop, read again.














function targetsOf(plan) {
    return plan.regions.flatMap((region) => plan.functions.map((functionName) => ({ region, functionName, alias: plan.alias })));
}
function recordOf(view) {
    return view?.record.kind === 'record' ? view.record.record : null;
}
/** The version a rollback returns to, from what the alias says now. */
function wave_stableOf(view) {
    if (!view)
        return null;
    return recordOf(view)?.stable ?? (view.version || null);
}
/** The candidate a re-run of this commit would find in flight, when there is one. */
function ourCandidate(view, commit) {
    const record = recordOf(view);
    return record?.candidate && record.commit === commit.slice(0, 12) ? record.candidate : null;
}
const NOT_YET_PUBLISHED = '999999999';
/**
 * The wave leaves the candidate below 100% and changes (or publishes from) $LATEST: then a trigger
 * that invokes the function without the alias runs the candidate at once, for all of its traffic.
 * Deploying an already published `version` leaves $LATEST alone, and a 100% wave gives every caller
 * the candidate anyway, so neither needs the trigger reads.
 */
function needsTriggerCheck(plan) {
    const finalShare = plan.steps[plan.steps.length - 1] ?? 0;
    return finalShare < 1 && plan.code.kind !== 'version';
}
function enter(run, to, detail = '') {
    run.hooks.logger.info((0,rollout/* waveStepTransition */.tM)(run.step, to, detail));
    run.step = to;
}
function finish(run, outcome, message, deployment, stepsDone) {
    if (run.step !== 'done' && run.step !== 'stopped')
        enter(run, outcome === 'deployed' ? 'done' : 'stopped', outcome);
    return { outcome, plan: run.plan, targets: run.progress, stepsDone, message, deployment, alarmLines: run.alarmLines, warnings: run.warnings };
}
function weightOn(view, candidate) {
    if (!view || !candidate)
        return 0;
    if (view.version === candidate && Object.keys(view.weights).length === 0)
        return 1;
    return view.weights[candidate] ?? 0;
}
function deploymentOf(run, traffic, planned, at) {
    const { plan } = run;
    const targets = [];
    for (const p of run.progress) {
        if (!p.candidate)
            continue;
        const decision = planned?.get(p);
        const view = p.after ?? p.before;
        let stable = p.stable ?? p.candidate;
        let weight = weightOn(view, p.candidate);
        let record = view?.description ?? '';
        if (decision?.kind === 'write') {
            stable = decision.config.record.stable;
            weight = traffic;
            record = decision.config.description;
        }
        targets.push({ region: p.target.region, function: p.target.functionName, alias: plan.alias, stable, candidate: p.candidate, weight, revision: view?.revision ?? null, record: record.slice(0, 256) });
    }
    if (targets.length === 0)
        return null;
    return {
        format: 1,
        ...(plan.service ? { service: plan.service } : {}),
        ...(plan.stage ? { stage: plan.stage } : {}),
        ...(plan.wave ? { wave: plan.wave } : {}),
        alias: plan.alias,
        commit: plan.commit,
        run: plan.run,
        traffic,
        shiftedAt: at.toISOString(),
        ...(plan.leaseMs !== undefined ? { leaseSeconds: plan.leaseMs === null ? null : Math.round(plan.leaseMs / 1000) } : {}),
        targets,
    };
}
/**
 * The bake window starts where the candidate surely had traffic in this run: when the first step
 * that wrote a share above 0 had every write answered. A re-run that writes nothing keeps the moment
 * the aliases' records were last written.
 */
function windowStart(run) {
    if (run.firstTrafficAt !== null)
        return new Date(run.firstTrafficAt);
    const written = run.progress.flatMap((p) => {
        const r = recordOf(p.after ?? p.before);
        return r && p.candidate && r.candidate === p.candidate ? [r.at * 1000] : [];
    });
    return new Date(written.length > 0 ? Math.max(...written) : run.now());
}
async function checkAlarms(run) {
    const regions = await Promise.all(run.plan.regions.map((region) => readAlarmStates(run.clients, region, run.refs)));
    const all = regions.flatMap((r) => r.alarms);
    const missing = regions.flatMap((r) => r.missing.map((m) => `${m} in ${r.region}`));
    const firing = all.filter((a) => a.state === 'ALARM').map((a) => `${a.name} (${a.region})`);
    return {
        firing: firing.length > 0 ? `rollback alarm firing: ${firing.join(', ')}` : missing.length > 0 ? `rollback alarm not found: ${missing.join(', ')} (a step never continues unwatched)` : null,
        missing: missing.length > 0 ? `rollback alarm not found: ${missing.join(', ')}` : null,
        line: `rollback alarms: ${(0,alarms/* summarizeAlarms */.qE)(all, missing.length)}`,
    };
}
/** Per alias: the function, a given version, the alias as the rollout decides it, roles, triggers. */
async function preflightTargets(run) {
    const { plan, ctx } = run;
    const versionRef = plan.code.kind === 'version' ? plan.code.ref.version : null;
    const checkTriggers = needsTriggerCheck(plan);
    const outcomes = await lambda_forEachTarget(run.progress, async (p) => {
        const ref = { region: p.target.region, functionName: p.target.functionName };
        const problems = [];
        // One ListVersionsByFunction answers whether the function exists, whether a given version
        // does, and the role and dead-letter target of $LATEST and of every version; publishing
        // reuses the same listing to find a version of this commit.
        const versions = await listVersions(ctx, ref);
        const latest = versions ? (versions.latest ?? (await readFunctionSettings(ctx, ref))) : null;
        if (!versions || !latest) {
            return [{ input: 'functions', message: `function ${ref.functionName} does not exist in ${ref.region} (nothing was written anywhere)` }];
        }
        p.versions = versions;
        if (versionRef && !versions.settings.has(versionRef)) {
            problems.push({ input: 'version', message: `version ${versionRef} does not exist for function ${ref.functionName} in ${ref.region}; versions are numbered per function` });
        }
        p.before = await lambda_readAlias(ctx, p.target);
        p.stable = wave_stableOf(p.before);
        p.watchedBefore = watchesRecord(run.entries.get(p.region), p.target.functionName, plan.alias, recordOf(p.before));
        const candidate = versionRef ?? ourCandidate(p.before, plan.commit) ?? NOT_YET_PUBLISHED;
        const decision = (0,rollout/* decide */.LD)(p.before, { kind: 'shift', candidate, weight: run.finalShare, state: 'baking', commit: plan.commit, run: plan.run }, { now: run.now() / 1000, watched: p.watchedBefore });
        if (decision.kind === 'refuse') {
            // The placeholder for a version this run has not published yet never reaches a person.
            const message = decision.message.replaceAll(NOT_YET_PUBLISHED, `a new version of commit ${plan.commit.slice(0, 12)}`);
            problems.push({ input: null, message: `${ref.region} ${ref.functionName}:${plan.alias}: ${decision.rule}: ${message}. Alias now: ${(0,rollout/* describeAlias */.IN)(p.before)}` });
        }
        else if (decision.kind === 'write' && Object.keys(decision.config.weights).length > 0 && !versionRef) {
            // The new version is published from $LATEST: it carries $LATEST's role and dead-letter config.
            const stable = versions.settings.get(decision.config.functionVersion);
            const clash = stable && (0,rollout/* checkVersionsCompatible */.OS)(stable, { ...latest, version: 'the candidate' });
            if (clash)
                problems.push({ input: null, message: `${ref.region} ${ref.functionName}:${plan.alias}: ${clash.rule}: ${clash.message}` });
        }
        if (checkTriggers) {
            const where = { region: ref.region, functionName: ref.functionName, alias: plan.alias };
            for (const trigger of await readUnqualifiedTriggers(ctx, ref)) {
                const line = `${ref.region} ${ref.functionName}: unqualified trigger: ${(0,triggers/* describeTrigger */.gb)(trigger, where)}`;
                if ((plan.unqualifiedTriggers ?? 'refuse') === 'refuse') {
                    problems.push({ input: null, message: `${line}. It would run the candidate for all of its traffic as soon as $LATEST is updated, before any one-box share or bake, and keep it after a rollback of the alias (unqualified-triggers: refuse)` });
                }
                else {
                    run.warnings.push(`${line} (accepted: unqualified-triggers: allow; it runs the candidate for all of its traffic from the first write, and a rollback of the alias does not undo it)`);
                }
            }
        }
        return problems;
    }, { maxRegions: plan.maxParallel });
    return outcomes.flatMap((o, i) => {
        if (o.ok)
            return o.value;
        const t = run.progress[i].target;
        return [{ input: null, message: `${t.region} ${t.functionName}: cannot read before deploying: ${text_errorText(o.error)}` }];
    });
}
/** Step preflight: reads only. Returns the refusal, or null to go on. */
async function preflight(run) {
    const stopped = await stoppedRegions(run.clients, run.plan.regions, run.plan.stopAlarms);
    if (stopped.length > 0) {
        return finish(run, 'refused', `refused before anything was read from or written to Lambda: ${stopped.join('\n')}\nNothing was written. A rollback is never held by stop-the-line.`, null, 0);
    }
    const problems = [];
    try {
        run.entries = await readEntries(run.store, run.plan);
    }
    catch (error) {
        problems.push({ input: null, message: `cannot read the deployment store (Parameter Store), so it is unknown whether a promoted alias is still verifying: ${text_errorText(error)}` });
    }
    for (const [region, listed] of run.entries) {
        if (listed && !listed.ok)
            run.hooks.logger.warn(`deployment store: ${listed.name} in ${region} cannot be read (${listed.problem}); this wave rewrites it`);
    }
    problems.push(...(await preflightTargets(run)));
    for (const warning of run.warnings)
        run.hooks.logger.warn(warning);
    if ((0,alarms/* refCount */.Bq)(run.refs) > 0) {
        const check = await checkAlarms(run);
        run.alarmLines.push(`before the wave: ${check.line}`);
        if (check.missing)
            problems.push({ input: 'alarms', message: `${check.missing}; create the alarm or fix its name (nothing was written)` });
        else if (check.firing)
            problems.push({ input: null, message: `${check.firing} before the wave started` });
    }
    if (problems.length > 0) {
        const named = problems.find((p) => p.input);
        const lines = problems.map((p) => (p.input ? `input ${p.input}: ${p.message}` : p.message));
        return finish(run, 'refused', `${named ? '' : 'refused before any write: '}${lines.join('\n')}${named ? '' : '\nNothing was written.'}`, null, 0);
    }
    if (run.hooks.interrupt.stopping)
        return finish(run, 'interrupted', `stopped by ${run.hooks.interrupt.signal} before any write`, null, 0);
    return null;
}
function lambdaCode(code) {
    switch (code.kind) {
        case 'zip':
            return { kind: 'zip', zipFile: (0,external_node_fs_.readFileSync)(code.path) };
        case 's3':
            return { kind: 's3', bucket: code.bucket, key: code.key };
        case 'image':
            return { kind: 'image', imageUri: code.uri };
        default:
            return undefined;
    }
}
/** Step publish: the candidate (or a reused version of this commit) everywhere before any traffic moves. */
async function publish(run) {
    const { plan, hooks } = run;
    enter(run, 'publish', plan.code.kind === 'version' ? `version ${plan.code.ref.version}` : plan.code.kind);
    if (plan.code.kind === 'version') {
        for (const p of run.progress)
            p.candidate = plan.code.ref.version;
        return null;
    }
    const code = lambdaCode(plan.code);
    const published = await lambda_forEachTarget(run.progress, async (p) => {
        const candidate = await publishCandidate(run.ctx, { region: p.target.region, functionName: p.target.functionName }, { code, commit: plan.commit, run: plan.run, ...(p.versions ? { versions: p.versions } : {}) });
        p.candidate = candidate.version;
        p.reused = candidate.reused;
        // A published version never changes: its role and dead-letter target, as Lambda answered, serve the shift's preflight.
        if (candidate.settings)
            p.versions?.settings.set(candidate.version, candidate.settings);
        if (!candidate.reused)
            p.writes += code ? 2 : 1;
        return candidate;
    }, { maxRegions: plan.maxParallel });
    const failed = published.filter((o) => !o.ok);
    if (failed.length === 0)
        return null;
    for (const o of failed)
        if (!o.ok)
            o.target.error = text_errorText(o.error);
    if (failed.every((o) => !o.ok && o.error.rule === 'code-unchanged')) {
        // PublishVersion handed back an existing version: there is no new candidate to deploy.
        return finish(run, 'refused', `code unchanged: no new version, nothing was shifted (no alias was changed):\n${failed.map((o) => (o.ok ? '' : text_errorText(o.error))).join('\n')}`, null, 0);
    }
    const interrupted = hooks.interrupt.stopping && failed.every((o) => !o.ok && (0,interrupt/* isInterruption */.si)(o.error));
    return finish(run, interrupted ? 'interrupted' : 'failed', `${interrupted ? `stopped by ${hooks.interrupt.signal} while publishing the candidate` : 'publishing the candidate failed'}; no alias was changed:\n${failed.map((o) => (o.ok ? '' : `${o.target.target.region} ${o.target.target.functionName}: ${text_errorText(o.error)}`)).join('\n')}`, null, 0);
}
/**
 * A region where every alias already serves this candidate at rest (promoted, its deployment's entry
 * gone: the wave's last bake passed) gets no new entry: a re-run after the verify would otherwise
 * lease a release that is done, and its lease could run out with nobody left to end it.
 */
function atRestRegions(run) {
    return new Set(run.plan.regions.filter((region) => run.progress
        .filter((p) => p.region === region)
        .every((p) => {
        const record = recordOf(p.before);
        return run.planned.get(p)?.kind === 'noop' && record?.candidate === p.candidate && (0,rollout/* rolloutPhase */.tm)(record, p.watchedBefore === true) === 'at-rest';
    })));
}
/** Step lease: decide every alias again with the published candidate, then the store entry before any shift. */
async function lease(run) {
    const { plan, hooks } = run;
    for (const p of run.progress) {
        const decision = (0,rollout/* decide */.LD)(p.before, { kind: 'shift', candidate: p.candidate, weight: run.finalShare, state: 'baking', commit: plan.commit, run: plan.run }, { now: run.now() / 1000, watched: p.watchedBefore === true });
        run.planned.set(p, decision);
        // What a rollback of this wave returns to, fixed before any alias moves: an alias the wave
        // never reaches keeps its own release, so its older record must not decide this.
        if (decision.kind === 'write')
            p.stable = decision.config.record.stable;
    }
    const refused = [...run.planned].filter(([, d]) => d.kind === 'refuse');
    if (refused.length > 0) {
        return finish(run, 'refused', `refused before moving traffic (the candidate was published, no alias was changed):\n${refused
            .map(([p, d]) => `${p.target.region} ${p.target.functionName}:${plan.alias}: ${d.kind === 'refuse' ? `${d.rule}: ${d.message}` : ''}. Alias now: ${(0,rollout/* describeAlias */.IN)(p.before)}`)
            .join('\n')}`, null, 0);
    }
    const rest = atRestRegions(run);
    const leased = plan.regions.filter((r) => !rest.has(r));
    enter(run, 'lease', `store entry in ${leased.length > 0 ? leased.join(', ') : 'no region'}`);
    for (const region of rest) {
        hooks.logger.info(`deployment store: every alias in ${region} already serves commit ${plan.commit.slice(0, 12)} at rest (its last bake passed); no entry written, nothing for the guardian to watch`);
    }
    const failed = await writeEntries(run.store, plan, leased, run.now, hooks.logger);
    if (failed.length > 0) {
        return finish(run, 'failed', `writing the deployment store entry (Parameter Store, what the guardian watches) failed, so no traffic was shifted (the candidate was published, no alias was changed):\n${failed.join('\n')}`, null, 0);
    }
    for (const p of run.progress)
        p.watched = !rest.has(p.region);
    hooks.onPlanned(deploymentOf(run, run.finalShare, run.planned, new Date(run.now())));
    return null;
}
/** Steps shift and promote: every step of the plan, the alarms checked between them. */
async function shiftSteps(run) {
    const { plan, hooks } = run;
    for (let step = 0; step < plan.steps.length; step++) {
        const share = plan.steps[step];
        const last = step === plan.steps.length - 1;
        if (hooks.interrupt.stopping)
            return finish(run, 'interrupted', `stopped by ${hooks.interrupt.signal} before step ${step + 1} (${(0,rollout/* formatWeight */.ck)(share)})`, deploymentOf(run, run.finalShare, null, new Date(run.now())), step);
        enter(run, share === 1 ? 'promote' : 'shift', `step ${step + 1}/${plan.steps.length}: ${(0,rollout/* formatWeight */.ck)(share)}`);
        hooks.logger.info(`step ${step + 1}/${plan.steps.length}: candidate to ${(0,rollout/* formatWeight */.ck)(share)} in ${plan.regions.join(', ')}`);
        const shifted = await lambda_forEachTarget(run.progress, async (p) => {
            // The alias as this run last read it (the preflight, then each step's read-back): the
            // write is guarded by its RevisionId, so a change since then fails instead of being overwritten.
            const seen = p.after ?? p.before;
            const seenWatched = p.after ? p.watched === true : p.watchedBefore === true;
            const known = { alias: seen, watched: seenWatched, ...(p.versions ? { versions: p.versions.settings } : {}) };
            const change = await shiftTraffic(run.ctx, p.target, { candidate: p.candidate, weight: share, commit: plan.commit, run: plan.run, state: last ? 'baking' : 'shifting', known });
            p.after = change.after;
            if (change.wrote) {
                p.writes += 1;
                hooks.logger.info(`transition ${p.region} ${p.target.functionName}:${plan.alias}: ${(0,rollout/* phaseTransition */.P0)(recordOf(seen), seenWatched, recordOf(change.after), p.watched === true)}`);
            }
            const record = recordOf(change.after);
            if (record)
                p.stable = record.stable;
            p.stepsDone = step + 1;
            return change;
        }, { maxRegions: plan.maxParallel });
        if (run.firstTrafficAt === null && share > 0 && shifted.some((o) => o.ok && o.value.wrote))
            run.firstTrafficAt = run.now();
        const failed = shifted.filter((o) => !o.ok);
        if (failed.length > 0) {
            for (const o of failed)
                if (!o.ok)
                    o.target.error = text_errorText(o.error);
            const interrupted = hooks.interrupt.stopping && failed.every((o) => !o.ok && (0,interrupt/* isInterruption */.si)(o.error));
            return finish(run, interrupted ? 'interrupted' : 'failed', `${interrupted ? `stopped by ${hooks.interrupt.signal}` : 'the shift failed'} at step ${step + 1} (${(0,rollout/* formatWeight */.ck)(share)}):\n${failed.map((o) => (o.ok ? '' : text_errorText(o.error))).join('\n')}`, deploymentOf(run, run.finalShare, null, windowStart(run)), step);
        }
        if (last)
            break;
        if (plan.stepWaitMs > 0) {
            hooks.logger.info(`waiting ${Math.round(plan.stepWaitMs / 1000)}s before the next step`);
            const slept = await hooks.interrupt.sleep(plan.stepWaitMs);
            if (!slept)
                return finish(run, 'interrupted', `stopped by ${hooks.interrupt.signal} after step ${step + 1} (${(0,rollout/* formatWeight */.ck)(share)})`, deploymentOf(run, run.finalShare, null, windowStart(run)), step + 1);
        }
        if ((0,alarms/* refCount */.Bq)(run.refs) > 0) {
            const check = await checkAlarms(run);
            run.alarmLines.push(`after step ${step + 1} (${(0,rollout/* formatWeight */.ck)(share)}): ${check.line}`);
            hooks.logger.info(`after step ${step + 1}: ${check.line}`);
            if (check.firing) {
                return finish(run, 'alarm', `${check.firing}; stopped after step ${step + 1} (${(0,rollout/* formatWeight */.ck)(share)}), the candidate holds that share until it is rolled back`, deploymentOf(run, run.finalShare, null, windowStart(run)), step + 1);
            }
        }
        else {
            hooks.logger.warn(`no rollback alarms configured: nothing to check between steps`);
        }
    }
    return null;
}
/**
 * Step read-back: every alias, as its last read shows it, gives the candidate traffic (no new calls:
 * each write was read back and compared by the adapter; this catches an alias left without it).
 */
function readBackStep(run) {
    enter(run, 'read-back');
    const off = run.progress.filter((p) => run.finalShare > 0 && weightOn(p.after, p.candidate) === 0);
    for (const p of off)
        p.error = `read back ${(0,rollout/* describeAlias */.IN)(p.after)}, expected the candidate ${p.candidate} to serve ${(0,rollout/* formatWeight */.ck)(run.finalShare)}`;
    if (off.length > 0) {
        return finish(run, 'failed', off.map((p) => `${p.region} ${p.target.functionName}:${run.plan.alias}: ${p.error}`).join('\n'), deploymentOf(run, run.finalShare, null, windowStart(run)), run.plan.steps.length);
    }
    return finish(run, 'deployed', null, deploymentOf(run, run.finalShare, null, windowStart(run)), run.plan.steps.length);
}
async function deployWave(plan, hooks) {
    const now = hooks.now ?? Date.now;
    const clients = new AwsClients({ caller: 'wave-deploy' });
    const run = {
        plan,
        hooks,
        now,
        clients,
        // One clock for the records and the deployment's times; the pacing keeps the real one.
        ctx: lambdaContext({ clients, logger: hooks.logger, environment: plan.environment, now, limiter: new RegionLimiter(), onCall: (_region, operation) => hooks.interrupt.gate(operation) }),
        store: storeContext({ clients, ...(plan.storePath ? { path: plan.storePath } : {}) }),
        progress: targetsOf(plan).map((target) => ({ region: target.region, target, before: null, versions: null, candidate: null, reused: false, stable: null, after: null, stepsDone: 0, writes: 0, error: null })),
        alarmLines: [],
        warnings: [],
        refs: (0,alarms/* parseAlarmRefs */.rk)(plan.alarms, 'alarms'),
        finalShare: plan.steps[plan.steps.length - 1] ?? 0,
        step: 'preflight',
        entries: new Map(),
        planned: new Map(),
        firstTrafficAt: null,
    };
    let result;
    try {
        result = (await preflight(run)) ?? (await publish(run)) ?? publishOnly(run) ?? (await lease(run)) ?? (await shiftSteps(run)) ?? readBackStep(run);
    }
    catch (error) {
        result = finish(run, hooks.interrupt.stopping ? 'interrupted' : 'failed', text_errorText(error), deploymentOf(run, run.finalShare, null, windowStart(run)), 0);
    }
    finally {
        clients.destroy();
    }
    // A wave that stopped after writing reads every alias again, so the report says where each stands.
    if (result.outcome === 'failed' || result.outcome === 'alarm' || result.outcome === 'interrupted')
        await readBack(plan, run.progress);
    return result;
}
/**
 * traffic 0%: publish only. No alias is written, not even to take back a share a one-box of this
 * same candidate already holds; the version serving the alias is what a rollback keeps.
 */
function publishOnly(run) {
    if (run.plan.steps.length !== 1 || run.finalShare !== 0)
        return null;
    for (const p of run.progress) {
        p.stable = p.before?.version ?? p.candidate;
        p.after = p.before;
        p.stepsDone = 1;
    }
    return finish(run, 'deployed', null, deploymentOf(run, 0, null, new Date(run.now())), 1);
}
/** Reads every alias again (for the failure report); a read that fails says so. */
async function readBack(plan, progress) {
    const clients = new AwsClients({ caller: 'wave-deploy', maxAttempts: 2 });
    const ctx = lambdaContext({ clients, environment: plan.environment });
    try {
        await lambda_forEachTarget(progress, async (p) => {
            try {
                p.after = await lambda_readAlias(ctx, p.target);
            }
            catch (error) {
                p.error = p.error ?? `cannot read the alias now: ${text_errorText(error)}`;
            }
        });
    }
    finally {
        clients.destroy();
    }
}


/***/ })

};
