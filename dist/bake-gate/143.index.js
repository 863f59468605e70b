export const id = 143;
export const ids = [143];
export const modules = {

/***/ 8143:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  bakeDeployment: () => (/* binding */ bakeDeployment)
});

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
        const page = await call(clients, region, 'DescribeAlarmHistory', () => client.send(new dist_cjs/* DescribeAlarmHistoryCommand */.icQ({
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
            const page = await call(clients, region, 'GetMetricData', () => clients.cloudwatch(region).send(new dist_cjs/* GetMetricDataCommand */.Soe({ StartTime: window.start, EndTime: window.end, MetricDataQueries: chunk, ScanBy: 'TimestampAscending', NextToken: token })));
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

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-lambda/dist-cjs/index.js
var client_lambda_dist_cjs = __webpack_require__(1696);
// EXTERNAL MODULE: ./packages/core/src/bake.ts
var bake = __webpack_require__(7780);
;// CONCATENATED MODULE: ./packages/aws/src/function-timeouts.ts
// The function timeouts a bake must wait out: Lambda sends an invocation's metrics when it ends
// and stamps them with its start (monitoring-metrics.html), so data for the last "timeout" of a
// window is not there when the window ends. One GetFunctionConfiguration per function and region,
// of the candidate version (its own Timeout), paced by the Lambda limiter discipline.



function errorText(error) {
    const e = error;
    const name = e?.name ?? 'Error';
    return { name, text: `${name}: ${e?.message ?? String(error)}`, status: e?.$metadata?.httpStatusCode };
}
/** Thrown when a function of the deployment does not exist, or its configuration cannot be read for another reason than access. */
class FunctionTimeoutError extends Error {
    constructor(message) {
        super(message);
        this.name = 'FunctionTimeoutError';
    }
}
/**
 * Reads the Timeout of every target (each function and region once). Access denied is reported
 * per target and counted as Lambda's maximum timeout (the bake waits longer, never less); a
 * function or version that does not exist, or any other failure, throws: the bake fails closed.
 */
async function readFunctionTimeouts(clients, targets, limiter = new RegionLimiter()) {
    const unique = new Map();
    for (const t of targets)
        unique.set(`${t.region}\u0000${t.function}\u0000${t.version ?? ''}`, t);
    const timeouts = await Promise.all([...unique.values()].map(async (target) => {
        try {
            const config = await limiter.run(target.region, () => clients.lambda(target.region).send(new client_lambda_dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: target.function, ...(target.version ? { Qualifier: target.version } : {}) })));
            if (typeof config.Timeout !== 'number' || !(config.Timeout > 0)) {
                return { ...target, timeoutMs: null, problem: `GetFunctionConfiguration gave no Timeout` };
            }
            return { ...target, timeoutMs: config.Timeout * 1000, problem: null };
        }
        catch (error) {
            const { name, text, status } = errorText(error);
            const what = `${target.function}${target.version ? `:${target.version}` : ''} in ${target.region}`;
            if (/AccessDenied|NotAuthorized|Unauthorized/i.test(name) || status === 403) {
                return { ...target, timeoutMs: null, problem: `${text} (the role needs lambda:GetFunctionConfiguration on ${what})` };
            }
            if (name === 'ResourceNotFoundException' || status === 404) {
                throw new FunctionTimeoutError(`Lambda GetFunctionConfiguration: ${what} does not exist (${text}); the deployment names a function or version that is not there`);
            }
            throw new FunctionTimeoutError(`Lambda GetFunctionConfiguration of ${what} failed: ${text}`);
        }
    }));
    const maxMs = Math.max(0, ...timeouts.map((t) => t.timeoutMs ?? bake/* MAX_FUNCTION_TIMEOUT_MS */.Rn));
    return { maxMs, timeouts };
}

// EXTERNAL MODULE: ./packages/core/src/judge.ts
var src_judge = __webpack_require__(6878);
// EXTERNAL MODULE: ./packages/core/src/log-safe.ts
var log_safe = __webpack_require__(5745);
// EXTERNAL MODULE: ./packages/core/src/units.ts
var units = __webpack_require__(5294);
// EXTERNAL MODULE: ./packages/github/src/summary.ts
var summary = __webpack_require__(7669);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ssm/dist-cjs/index.js
var client_ssm_dist_cjs = __webpack_require__(4736);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
;// CONCATENATED MODULE: ./packages/core/src/guardian-entry.ts
// The guardian's store entry: what the guardian needs about a deployment beyond the alias record.
//
// The alias record (deployment.ts) says, per alias, which version is stable and which candidate is in
// flight. It cannot say which alarms watch the deployment, until when the pipeline promises to watch
// it itself (the lease), or which other aliases belong to the same deployment. That lives in one
// SSM Parameter Store parameter per deployment and region (packages/aws/src/deployment-store.ts),
// written by wave-deploy before its first shift, renewed by a watching bake-gate, deleted by the last
// bake of the wave. It exists without the guardian's stack, so a guardian installed later finds every
// deployment in flight. See docs/guardian.md for why Parameter Store and not tags.
//
// Pure: the encoding, the parameter name and the strict decoder. A value that does not decode is
// reported by its parameter name only; its text never reaches a log.

const ENTRY_FORMAT = 1;
/** Standard-tier parameters hold at most 4 KB (4096 characters). */
const ENTRY_VALUE_LIMIT = 4096;
/** Where entries live unless told otherwise (SAFE_DEPLOY_STORE_PATH for the guardian). */
const DEFAULT_STORE_PATH = '/safe-deploy';
/** Names that go into a parameter name or a log: Lambda function and alias names, service and stage names. */
const NAME = /^[A-Za-z0-9._-]{1,64}$/;
/** Commit and run ids: the same charset the alias record allows (F: record fields g/r). */
const TOKEN = /^[A-Za-z0-9._-]*$/;
/** Parameter Store paths: letters, digits, `._-` and `/`, never starting with aws or ssm. */
const PATH = /^(\/[A-Za-z0-9._-]+)+$/;
const alarmRef = schemas/* string */.YjP()
    .min(1)
    .max(262) // "prefix:" + a 255-character alarm name
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s), 'control characters are not allowed in an alarm reference');
const wireEntry = schemas/* object */.Ikc({
    sd: schemas/* literal */.euz(ENTRY_FORMAT),
    service: schemas/* string */.YjP().regex(NAME).nullable(),
    stage: schemas/* string */.YjP().regex(NAME).nullable(),
    wave: schemas/* string */.YjP().regex(NAME).nullable(),
    alias: schemas/* string */.YjP().regex(NAME),
    /** Functions of the deployment in this region. */
    functions: schemas/* array */.YOg(schemas/* string */.YjP().regex(NAME)).min(1).max(100),
    /** Every region of the deployment (this one included). */
    regions: schemas/* array */.YOg(schemas/* string */.YjP().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/)).min(1).max(40),
    /** Rollback alarms: names or `prefix:`. */
    alarms: schemas/* array */.YOg(alarmRef).max(100),
    commit: schemas/* string */.YjP().max(12).regex(TOKEN),
    run: schemas/* string */.YjP().max(24).regex(TOKEN),
    /** Unix seconds until which the pipeline watches the deployment itself; null: no lease. */
    lease: schemas/* number */.aig().int().nonnegative().nullable(),
    /** Unix seconds of the write. */
    at: schemas/* number */.aig().int().nonnegative(),
})
    .strict();
/** The key of a deployment in the store: the service when the config names one, else its first function. */
function entryKey(entry) {
    return entry.service ?? [...entry.functions].sort()[0] ?? '';
}
/** Checks a store path (`/safe-deploy`, `/safe-deploy/team-a`); the error names the setting. */
function checkStorePath(path, setting = 'store path') {
    const trimmed = path.replace(/\/+$/, '');
    if (!PATH.test(trimmed))
        throw new Error(`${setting}: "${path}" is not a Parameter Store path (/name or /name/name, letters, digits, . _ -)`);
    if (/^\/(aws|ssm)/i.test(trimmed))
        throw new Error(`${setting}: "${path}" starts with aws or ssm, which Parameter Store reserves`);
    return trimmed;
}
/** The parameter holding a deployment in one region: `<path>/<alias>/<key>`. */
function entryName(path, entry) {
    return `${checkStorePath(path)}/${entry.alias}/${entryKey(entry)}`;
}
/** The value written into the parameter; throws naming the field when the entry is not valid. */
function encodeEntry(entry) {
    const wire = {
        sd: ENTRY_FORMAT,
        service: entry.service,
        stage: entry.stage,
        wave: entry.wave,
        alias: entry.alias,
        functions: [...entry.functions],
        regions: [...entry.regions],
        alarms: [...entry.alarms],
        commit: entry.commit.slice(0, 12),
        run: entry.run.slice(0, 24),
        lease: entry.lease === null ? null : Math.floor(entry.lease),
        at: Math.floor(entry.at),
    };
    const result = wireEntry.safeParse(wire);
    if (!result.success) {
        throw new Error(`deployment store entry: ${result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    }
    const text = JSON.stringify(result.data);
    if (text.length > ENTRY_VALUE_LIMIT) {
        throw new Error(`deployment store entry is ${text.length} characters, above the ${ENTRY_VALUE_LIMIT} a standard parameter holds (too many functions or alarms)`);
    }
    return text;
}
/**
 * Reads a parameter value strictly. The problem names only fields of the format (never the text),
 * so it can be logged as it is.
 */
function guardian_entry_decodeEntry(value) {
    let parsed;
    try {
        parsed = JSON.parse(value ?? '');
    }
    catch {
        return { ok: false, problem: 'not JSON' };
    }
    const result = wireEntry.safeParse(parsed);
    if (!result.success) {
        const fields = [...new Set(result.error.issues.map((i) => (i.code === 'unrecognized_keys' ? 'unknown field' : i.path.map(String).join('.') || '(root)')))];
        return { ok: false, problem: `invalid ${fields.join(', ')}` };
    }
    const w = result.data;
    return {
        ok: true,
        entry: {
            service: w.service,
            stage: w.stage,
            wave: w.wave,
            alias: w.alias,
            functions: w.functions,
            regions: w.regions,
            alarms: w.alarms,
            commit: w.commit,
            run: w.run,
            lease: w.lease,
            at: w.at,
        },
    };
}

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
        path: checkStorePath(options.path ?? DEFAULT_STORE_PATH),
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
    const name = entryName(ctx.path, entry);
    const value = encodeEntry(entry);
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
    const name = entryName(ctx.path, entry);
    try {
        const answer = await deployment_store_call(ctx, region, 'GetParameter', name, () => ssm(ctx, region).send(new client_ssm_dist_cjs/* GetParameterCommand */.lhy({ Name: name })));
        const decoded = guardian_entry_decodeEntry(answer.Parameter?.Value);
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
async function endLease(ctx, region, entry) {
    const stored = await readDeployment(ctx, region, entry);
    if (!stored)
        return 'missing';
    if (!stored.ok || !sameDeployment(stored.entry, entry))
        return 'other-deployment';
    const name = entryName(ctx.path, entry);
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
async function listInFlight(ctx, region) {
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

// EXTERNAL MODULE: ./packages/core/src/deployment.ts
var deployment = __webpack_require__(5566);
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
        .map(([v, w]) => ` +${logSafe(v, 40)} at ${formatWeight(w)}`)
        .join(',');
    return `version ${version}${extra}`;
}
/**
 * A short human form of an alias: its routing, plus the record when there is one. Everything in it
 * came from Lambda (the alias, its Description), so every piece goes through logSafe: the result
 * can be logged as it is.
 */
function describeAlias(state) {
    if (!state)
        return 'no alias';
    return logSafe(describeAliasRaw(state), 1000);
}
function describeAliasRaw(state) {
    const routing = describeRouting(logSafe(state.version, 40), state.weights);
    switch (state.record.kind) {
        case 'record': {
            const r = state.record.record;
            return `${routing}; record ${r.state} stable=${r.stable} candidate=${r.candidate ?? '-'} weight=${formatWeight(r.weight)} commit=${r.commit || '-'} run=${r.run || '-'}`;
        }
        case 'corrupt':
            return `${routing}; record unreadable (${logSafe(state.record.reason, 300)})`;
        default:
            return `${routing}; no record`;
    }
}
function formatWeight(weight) {
    return `${(0,deployment/* roundWeight */.H2)(weight * 100)}%`;
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
function routingMatches(state, functionVersion, weights) {
    return state.version === functionVersion && sameWeights(state.weights, weights);
}
/** Null when the alias routes as its record says; otherwise what disagrees. */
function detectDrift(state) {
    if (state.record.kind !== 'record')
        return null;
    const expected = expectedRouting(state.record.record);
    if (routingMatches(state, expected.functionVersion, expected.weights))
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
    if (current && routingMatches(current, functionVersion, weights) && current.record.kind === 'record' && sameRecordMeaning(current.record.record, record)) {
        const reason = `already ${describeAlias(current)}; nothing to write`;
        options.logger?.info(`${transition}: ${reason}`);
        return { kind: 'noop', reason };
    }
    options.logger?.info(`${transition}: ${describeAlias(current)} -> ${describeAlias({ version: functionVersion, weights, record: { kind: 'record', record } })}`);
    return { kind: 'write', create: current === null, transition, config };
}
/** Decides the next alias configuration for an intent. `current` is null when the alias does not exist yet. */
function decide(current, intent, options) {
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
            return refuse('nothing-to-promote', `no candidate is in flight on the alias (${describeAlias(current)})`);
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
        return refuse('changed-behind-our-back', `the alias has routing but no safe-deploy record (${describeAlias(current)}); remove the routing or roll back to an explicit version first`);
    }
    if (!rest && record && intent.candidate === record.stable) {
        return refuse('candidate-differs', `the candidate ${intent.candidate} is the stable version of the alias (candidate ${record.candidate} is in flight)`);
    }
    if (!rest && record && record.candidate !== intent.candidate) {
        return refuse('another-candidate-in-flight', `candidate ${record.candidate} is in flight (${record.state} at ${formatWeight(record.weight)}); promote or roll it back before deploying ${intent.candidate}`);
    }
    if (rest && intent.candidate === rest.serving) {
        // Re-run after a promote, or deploying what already serves: nothing moves.
        const reason = `version ${intent.candidate} already serves all traffic (${describeAlias(current)}); nothing to write`;
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
    if (routingMatches(current, target, {})) {
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
function phaseTransition(before, beforeWatched, after, afterWatched, why = '') {
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
function unvettedVersion(record, serving, version) {
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

;// CONCATENATED MODULE: ./packages/deploy/src/lease.ts




/** The deployment's store entry in one region, as far as the deployment JSON tells it (the store check compares alias, commit and run). */
function entryOf(deployment, region, lease, nowMs) {
    const functions = [...new Set(deployment.targets.filter((t) => t.region === region).map((t) => t.function))];
    return {
        service: deployment.service ?? null,
        stage: deployment.stage ?? null,
        wave: deployment.wave ?? null,
        alias: deployment.alias,
        functions,
        regions: [...new Set(deployment.targets.map((t) => t.region))],
        alarms: [],
        commit: deployment.commit,
        run: deployment.run,
        lease,
        at: Math.floor(nowMs / 1000),
    };
}
class LeaseKeeper {
    deployment;
    logger;
    now;
    store;
    regions;
    lastRenewal;
    constructor(clients, deployment, logger, now, storePath) {
        this.deployment = deployment;
        this.logger = logger;
        this.now = now;
        this.store = storeContext({ clients, ...(storePath ? { path: storePath } : {}) });
        this.regions = [...new Set(deployment.targets.map((t) => t.region))];
        // wave-deploy wrote the lease when it shifted: the first renewal is due a third of a lease later.
        const shifted = Date.parse(deployment.shiftedAt);
        this.lastRenewal = Number.isNaN(shifted) ? now() : Math.min(shifted, now());
    }
    /** Milliseconds of the lease; null when the deployment has none. */
    get leaseMs() {
        const s = this.deployment.leaseSeconds;
        return s === undefined || s === null || s <= 0 ? null : s * 1000;
    }
    /** Renews the lease in every region when a third of it passed since the last renewal. */
    async renewIfDue() {
        const lease = this.leaseMs;
        if (lease === null)
            return;
        const at = this.now();
        if (at - this.lastRenewal < lease / 3)
            return;
        this.lastRenewal = at;
        const until = Math.floor((at + lease) / 1000);
        await Promise.all(this.regions.map(async (region) => {
            try {
                const answer = await renewLease(this.store, region, entryOf(this.deployment, region, until, at), until);
                if (answer === 'renewed')
                    this.logger.info(`lease renewed in ${region} until ${new Date(until * 1000).toISOString()}`);
                else
                    this.logger.warn(`lease not renewed in ${region}: ${answer === 'missing' ? 'the deployment store holds no entry for this deployment' : 'the store entry belongs to another deployment (a newer run took over)'}`);
            }
            catch (error) {
                this.logger.warn(`lease not renewed in ${region}: ${(0,log_safe/* logSafe */.sN)(error.message, 1000)}; the guardian rolls back when it runs out`);
            }
        }));
    }
    /**
     * The wave's last bake passed: in every region, ends the lease (deletes the entry) when the aliases
     * are promoted, or parks it (lease cleared, entry kept) while the candidate holds a share below
     * 100%. Returns the regions where that failed (with why) and the regions parked.
     */
    async end() {
        const at = this.now();
        const failed = [];
        const parked = [];
        await Promise.all(this.regions.map(async (region) => {
            const targets = this.deployment.targets.filter((x) => x.region === region);
            const records = targets.map((t) => {
                const decoded = (0,deployment/* decodeRecord */.eT)(t.record);
                return decoded.kind === 'record' ? decoded.record : null;
            });
            const park = records.some((r) => lastBakeAction(r) === 'park');
            try {
                const entry = entryOf(this.deployment, region, null, at);
                const answer = park ? await renewLease(this.store, region, entry, null) : await endLease(this.store, region, entry);
                const done = answer === 'ended' || answer === 'renewed';
                if (done && park)
                    parked.push(region);
                if (done)
                    targets.forEach((t, i) => this.logger.info((0,log_safe/* logSafe */.sN)(`transition ${region} ${t.function}:${t.alias}: ${lastBakeTransition(records[i] ?? null)}`, 1000)));
                this.logger.info(done
                    ? park
                        ? `lease parked in ${region}: the deployment store entry stays with no lease; the guardian watches the share on its alarms until the next wave takes it over`
                        : `lease ended in ${region}: the deployment store entry is deleted, the aliases are at rest`
                    : answer === 'missing'
                        ? `lease in ${region}: no store entry for this deployment (nothing to end)`
                        : `lease in ${region}: the store entry belongs to another deployment; left alone`);
            }
            catch (error) {
                failed.push(`${region}: ${(0,log_safe/* logSafe */.sN)(error.message, 1000)}`);
            }
        }));
        return { failed, parked };
    }
}

;// CONCATENATED MODULE: ./packages/deploy/src/bake-gate.ts








/** How far before the shift the stable version's traffic is read to plan the judge: the duration, between 1 and 24 hours. */
function baselineMs(policy) {
    return Math.min(24 * 3_600_000, Math.max(3_600_000, policy.durationMs));
}
async function bakeDeployment(inputs, clients, logger, window) {
    const lease = new LeaseKeeper(clients, inputs.deployment, logger, () => Date.now(), inputs.storePath);
    // Between polls the runner sleeps; a watching runner renews the lease at least every lease/3.
    const sleep = async (ms) => {
        let left = ms;
        do {
            await lease.renewIfDue();
            const chunk = lease.leaseMs === null ? left : Math.min(left, Math.max(1000, Math.floor(lease.leaseMs / 6)));
            await new Promise((resolve) => setTimeout(resolve, chunk));
            left -= chunk;
        } while (left > 0);
    };
    const regions = [...new Set(inputs.deployment.targets.map((t) => t.region))];
    const targetsByRegion = new Map(regions.map((r) => [r, inputs.deployment.targets.filter((t) => t.region === r).map((t) => ({ function: t.function, alias: t.alias, candidate: t.candidate, stable: t.stable }))]));
    const metricOptions = {
        p99: inputs.policy.maxP99Ms !== null || inputs.policy.maxP99OverStable !== null,
        stable: (0,bake/* needsStable */.fZ)(inputs.policy),
        stableP99: inputs.policy.maxP99OverStable !== null,
        aliasThrottles: true,
    };
    const noAlarms = inputs.refs.names.length + inputs.refs.prefixes.length === 0;
    const readAlarms = async () => noAlarms ? regions.map((region) => ({ region, alarms: [], missing: [] })) : Promise.all(regions.map((r) => readAlarmStates(clients, r, inputs.refs)));
    // A read up to now also asks for the current partial minute; a settled read stops at its cutoff.
    const readMetrics = async (start, end, latest) => (await Promise.all(regions.map((r) => readCandidateMetrics(clients, r, targetsByRegion.get(r) ?? [], { start: new Date(start), end: new Date(latest ? end + 60_000 : Math.max(end, start + 1000)) }, metricOptions)))).flat();
    if (noAlarms)
        logger.warn('bake-gate: no rollback alarms given; only the candidate metrics are watched', { title: 'No alarms' });
    // The longest function timeout: an invocation's metrics arrive when it ends, stamped at its start.
    let policy = inputs.policy;
    let timeoutNote = '';
    let failure = null;
    try {
        const report = await readFunctionTimeouts(clients, inputs.deployment.targets.map((t) => ({ region: t.region, function: t.function, version: t.candidate })));
        policy = (0,bake/* withFunctionTimeout */.Oe)(inputs.policy, report.maxMs);
        const longest = report.timeouts.filter((t) => t.timeoutMs === report.maxMs && t.problem === null)[0];
        for (const t of report.timeouts.filter((x) => x.problem !== null)) {
            logger.warn((0,log_safe/* logSafe */.sN)(`bake-gate: cannot read the timeout of ${t.function}:${t.version ?? '$LATEST'} in ${t.region}: ${t.problem}; waiting out Lambda's maximum (15m) instead`, log_safe/* LOG_LINE_MAX */.RO), {
                title: 'Function timeout unknown',
            });
        }
        timeoutNote = longest
            ? `Longest function timeout ${(0,units/* formatDuration */.a3)(report.maxMs)} (${(0,summary/* cell */.Hn)(longest.function)}:${(0,summary/* cell */.Hn)(longest.version ?? '$LATEST')} in ${(0,summary/* cell */.Hn)(longest.region)}).`
            : `Longest function timeout taken as Lambda's maximum ${(0,units/* formatDuration */.a3)(report.maxMs)} (not readable).`;
    }
    catch (error) {
        failure = `monitoring failed, so the bake fails closed: ${(0,log_safe/* logSafe */.sN)(error.message, log_safe/* LOG_LINE_MAX */.RO)}`;
    }
    // The judge's plan, from what each alias served before the shift (all of it the stable version's).
    // A full wave (the candidate takes all the traffic) has no stable version to compare with: no call.
    let planLines = [];
    const judge = policy.judge;
    if (!failure && judge) {
        const before = { start: new Date(inputs.since - baselineMs(policy)), end: new Date(inputs.since) };
        let baselines = [];
        let unread = null;
        if (inputs.deployment.targets.some((t) => t.weight > 0 && t.weight < 1)) {
            try {
                baselines = (await Promise.all(regions.map(async (r) => (await readAliasTraffic(clients, r, targetsByRegion.get(r) ?? [], before)).map((b) => ({ region: r, ...b }))))).flat();
            }
            catch (error) {
                unread = `the stable version's recent traffic could not be read, so no plan: ${(0,log_safe/* logSafe */.sN)(error.message, log_safe/* LOG_LINE_MAX */.RO)}`;
                logger.warn((0,log_safe/* logSafe */.sN)(`bake-gate: ${unread}`, log_safe/* LOG_LINE_MAX */.RO), { title: 'No traffic plan' });
            }
        }
        const planTargets = inputs.deployment.targets.map((t) => {
            const b = baselines.find((x) => x.region === t.region && x.function === t.function);
            return { region: t.region, function: t.function, share: t.weight, baseline: b ? { invocations: b.invocations, errors: b.errors, windowMs: baselineMs(policy) } : null };
        });
        const plan = (0,src_judge/* planTraffic */.H6)(judge, planTargets, policy);
        policy = (0,bake/* withPlannedTraffic */.Ik)(policy, plan.planned);
        planLines = unread ? [unread, ...plan.lines] : plan.lines;
        logger.info((0,log_safe/* logSafe */.sN)(`bake-gate judge: false-positive rate ${(0,units/* formatShare */.T1)(judge.falsePositiveRate)} over the bake, minimum effect ${(0,src_judge/* formatEffect */.Ti)(judge.minEffect)} the stable's error rate`, log_safe/* LOG_LINE_MAX */.RO));
        for (const line of planLines)
            logger.info((0,log_safe/* logSafe */.sN)(`bake-gate plan: ${line}`, log_safe/* LOG_LINE_MAX */.RO));
    }
    const settleAt = (0,bake/* settlesAt */.g2)(policy, inputs.since);
    logger.info(`bake-gate ${inputs.mode}: ${inputs.deployment.targets.length} target(s) in ${regions.join(', ')}, ${(0,units/* formatDuration */.a3)(policy.durationMs)} from ${(0,bake/* isoTime */.Ly)(inputs.since)}, ` +
        `poll every ${(0,units/* formatDuration */.a3)(policy.pollIntervalMs)}; the window settles at ${(0,bake/* isoTime */.Ly)(settleAt)} (duration end + ${(0,bake/* settleText */.di)(policy)})`);
    let outcome = null;
    let transitionsNote = '';
    const failClosed = (reason, current, metrics) => ({
        result: 'alarm',
        reason,
        startedAt: inputs.since,
        endedAt: Date.now(),
        polls: 1,
        invocations: Object.fromEntries(regions.map((r) => [r, metrics.filter((m) => m.region === r).reduce((n, m) => n + m.candidate.invocations, 0)])),
        last: { now: Date.now(), regions, alarms: current, metrics },
        settlesAt: settleAt,
    });
    if (failure)
        outcome = failClosed(failure, [], []);
    // Verify mode: alarm state changes since the start, the watch that did not happen while the job waited.
    const history = [];
    let historyUntil = inputs.since;
    const readHistory = async (names) => {
        const until = Date.now();
        try {
            history.push(...(await Promise.all(regions.map((r) => readAlarmHistory(clients, r, names.get(r) ?? [], new Date(historyUntil), new Date(until))))).flat());
        }
        catch (error) {
            return `monitoring failed, so the bake fails closed: ${(0,log_safe/* logSafe */.sN)(error.message, log_safe/* LOG_LINE_MAX */.RO)}`;
        }
        historyUntil = until;
        return (0,bake/* historyVerdict */.wd)(policy, history);
    };
    const note = () => (transitionsNote =
        history.length === 0
            ? 'No alarm changed state during the bake window.'
            : `Alarm state changes during the bake window: ${history.map((h) => `${(0,log_safe/* logSafe */.sN)(h.name, 300)} (${h.region}) → ${h.to} at ${h.at}`).join('; ')}.`);
    const names = new Map();
    if (!outcome && inputs.mode === 'verify' && !noAlarms) {
        let current = [];
        let verdict;
        try {
            current = await readAlarms();
            for (const r of current)
                names.set(r.region, r.alarms.map((a) => a.name));
            verdict = await readHistory(names);
        }
        catch (error) {
            verdict = `monitoring failed, so the bake fails closed: ${(0,log_safe/* logSafe */.sN)(error.message, log_safe/* LOG_LINE_MAX */.RO)}`;
        }
        note();
        if (verdict) {
            const failed = verdict.startsWith('monitoring failed');
            const metrics = failed ? [] : await readMetrics(inputs.since, Date.now(), true).catch(() => []);
            outcome = failClosed(verdict, current, metrics);
        }
    }
    outcome ??= await (0,bake/* runBake */.LS)(policy, inputs.since, regions, {
        now: () => Date.now(),
        sleep,
        readAlarms,
        readMetrics,
        window,
        onPoll: (report) => logger.info((0,log_safe/* logSafe */.sN)(report.line, log_safe/* LOG_LINE_MAX */.RO)),
    });
    // A verify that then waited for the window to settle reads the history again up to its verdict.
    if (outcome.result === 'baked' && inputs.mode === 'verify' && !noAlarms) {
        const verdict = await readHistory(names);
        note();
        if (verdict)
            outcome = { ...outcome, result: 'alarm', reason: verdict };
    }
    // The wave's last bake passed: its lease ends and the guardian stops watching (at rest).
    let leaseNote = '';
    if (outcome.result === 'baked' && inputs.final) {
        const { failed, parked } = await lease.end();
        if (failed.length > 0) {
            leaseNote = `The bake passed, but the lease could not be ended, so the guardian will roll the deployment back when it runs out: ${failed.join('; ')}. Delete the store entry by hand (aws ssm delete-parameter) or re-run this step.`;
        }
        else if (parked.length > 0) {
            leaseNote = `Last bake of the wave: the candidate keeps its share below 100% in ${parked.join(', ')}, so its store entry stays with no lease (the guardian watches its alarms) until the next wave's deploy takes it over or a rollback removes it.`;
        }
        else
            leaseNote = 'Last bake of the wave: the lease is ended, the aliases are at rest.';
    }
    else if (outcome.result === 'baked') {
        leaseNote = 'Not the last bake of the wave (final: false): the lease stays for the next step.';
    }
    return { outcome, transitionsNote, policy, timeoutNote, leaseNote, leaseFailed: leaseNote.startsWith('The bake passed, but'), planLines };
}


/***/ })

};
