export const id = 484;
export const ids = [484];
export const modules = {

/***/ 5484:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deployWave: () => (/* binding */ deployWave),
  readBack: () => (/* binding */ readBack)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./packages/core/src/alarms.ts
// Alarm references and the alarm-check policy.
//
// A reference is an alarm name (`orders-high-severity`) or a name prefix (`prefix:orders-`).
// A named alarm that does not exist, and a prefix that matches no alarm, are monitoring
// failures: they block, exactly like a firing alarm, because an unwatched deploy is not safe.
const ALARM_STATES = (/* unused pure expression or super */ null && (['OK', 'ALARM', 'INSUFFICIENT_DATA']));
const NAME = /^[^\s][\s\S]{0,254}$/;
/** Parses alarm references (names or `prefix:...`); the error names the input. Duplicates are dropped. */
function parseAlarmRefs(items, inputName = 'alarms') {
    const names = new Set();
    const prefixes = new Set();
    for (const raw of items) {
        const item = raw.trim();
        if (item === '')
            continue;
        if (item.toLowerCase().startsWith('prefix:')) {
            const prefix = item.slice('prefix:'.length).trim();
            if (prefix === '')
                throw new Error(`input ${inputName}: "${raw}" has an empty prefix; write prefix:NAME-START, for example prefix:orders-`);
            prefixes.add(prefix);
        }
        else {
            if (!NAME.test(item))
                throw new Error(`input ${inputName}: "${raw}" is not an alarm name (1 to 255 characters)`);
            names.add(item);
        }
    }
    return { names: [...names], prefixes: [...prefixes] };
}
function refCount(refs) {
    return refs.names.length + refs.prefixes.length;
}
/** Parses the `fail-on` input: `ALARM` or `ALARM,INSUFFICIENT_DATA`. */
function parseFailOn(items, inputName = 'fail-on') {
    const states = new Set();
    for (const item of items) {
        const state = item.trim().toUpperCase();
        if (state !== 'ALARM' && state !== 'INSUFFICIENT_DATA') {
            throw new Error(`input ${inputName}: "${item}" is not a blocking state; use ALARM or ALARM,INSUFFICIENT_DATA`);
        }
        states.add(state);
    }
    if (!states.has('ALARM'))
        throw new Error(`input ${inputName}: must include ALARM (a firing alarm always blocks)`);
    return [...states];
}
/**
 * The alarm-check decision. A firing alarm blocks unless a bypass reason is given (a fix-forward
 * for the very alarm that fires). A missing alarm always blocks: a bypass is for a known alarm,
 * not for a typo that would leave every later stage unwatched.
 */
function evaluateAlarmCheck(regions, failOn, bypassReason) {
    const all = regions.flatMap((r) => r.alarms);
    const blocking = all.filter((a) => failOn.includes(a.state));
    const missing = regions.flatMap((r) => r.missing.map((ref) => ({ region: r.region, ref })));
    const worst = all.some((a) => a.state === 'ALARM') ? 'ALARM' : all.some((a) => a.state === 'INSUFFICIENT_DATA') ? 'INSUFFICIENT_DATA' : 'OK';
    const bypass = bypassReason.trim();
    if (missing.length > 0) {
        const list = missing.map((m) => `${m.ref} in ${m.region}`).join(', ');
        const firing = blocking.length > 0 ? ` Also in ${failOn.join(' or ')}: ${blocking.map((a) => `${a.name} (${a.region}: ${a.state})`).join(', ')}.` : '';
        return { state: worst === 'OK' ? 'INSUFFICIENT_DATA' : worst, pass: false, blocking, missing, message: `alarm not found: ${list}. Create it or fix the name; a stage never starts unwatched.${firing}` };
    }
    if (blocking.length === 0) {
        return { state: worst, pass: true, blocking, missing, message: `${all.length} alarm(s) in ${regions.length} region(s), none in ${failOn.join(' or ')}` };
    }
    const list = blocking.map((a) => `${a.name} (${a.region}: ${a.state})`).join(', ');
    if (bypass !== '') {
        return { state: 'BYPASSED', pass: true, blocking, missing, message: `bypassed while ${list}: ${bypass}` };
    }
    return { state: worst, pass: false, blocking, missing, message: `blocked: ${list}. Wait for the alarm to clear, or re-run with bypass-reason to ship the fix for it.` };
}
/** "3 OK, 1 ALARM" style summary, states in a fixed order, zero counts left out (except OK). */
function summarizeAlarms(alarms, missing = 0) {
    const count = (s) => alarms.filter((a) => a.state === s).length;
    const parts = [`${count('OK')} OK`];
    if (count('ALARM') > 0)
        parts.push(`${count('ALARM')} ALARM`);
    if (count('INSUFFICIENT_DATA') > 0)
        parts.push(`${count('INSUFFICIENT_DATA')} INSUFFICIENT_DATA`);
    if (missing > 0)
        parts.push(`${missing} missing`);
    return parts.join(', ');
}

// EXTERNAL MODULE: ./packages/core/src/rollout.ts
var rollout = __webpack_require__(4980);
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
    constructor(options = {}) {
        this.options = options;
    }
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
    destroy() {
        for (const client of [...this.lambdas.values(), ...this.cloudwatches.values()])
            client.destroy();
        this.lambdas.clear();
        this.cloudwatches.clear();
    }
}

;// CONCATENATED MODULE: ./packages/aws/src/cloudwatch.ts
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
            const page = await call(region, 'DescribeAlarms', () => client.send(new dist_cjs/* DescribeAlarmsCommand */.zWD({ AlarmNames: batch, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: token })));
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
            const page = await call(region, 'DescribeAlarms', () => client.send(new dist_cjs/* DescribeAlarmsCommand */.zWD({ AlarmNamePrefix: prefix, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: token })));
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

;// CONCATENATED MODULE: ./packages/aws/src/function-reads.ts
// Preflight reads of functions and versions, for the checks wave-deploy and rollback make before
// their first write: does the function exist in this region, does this version exist and belong to
// it, which execution role and dead-letter target does it carry. One GetFunctionConfiguration per
// question, paced by the same per-region limiter as every other Lambda call (see lambda.ts).

/**
 * Reads a function (its $LATEST) or one of its published versions. Null when the function, or
 * that version of it, does not exist; any other failure (access denied, throttling past the
 * SDK's retries) is thrown, so a preflight never mistakes "cannot read" for "absent".
 */
async function readFunctionSettings(ctx, ref, version) {
    try {
        const config = await ctx.limiter.run(ref.region, () => {
            ctx.onCall?.(ref.region, 'GetFunctionConfiguration');
            return ctx.clients
                .lambda(ref.region)
                .send(new client_lambda_dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: ref.functionName, ...(version ? { Qualifier: version } : {}) }));
        });
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
        if (error.name === 'ResourceNotFoundException')
            return null;
        throw error;
    }
}

// EXTERNAL MODULE: ./packages/core/src/deployment.ts
var deployment = __webpack_require__(5566);
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

;// CONCATENATED MODULE: ./packages/aws/src/lambda.ts
/**
 * Lambda adapter: publishes candidate versions and moves aliases, one AWS call per function here.
 *
 * API (every function takes a LambdaContext from `lambdaContext({ clients })` first):
 * - `publishCandidate(ctx, { region, functionName }, { code?, commit, run })`
 *     → `{ version, codeSha256, reused }`. Updates $LATEST from a zip (bytes), an S3 object or an
 *     image URI, waits with `waitUntilFunctionUpdatedV2`, publishes guarded by CodeSha256 with the
 *     description `safe-deploy commit=<sha> run=<id>`. A re-run for the same commit finds that
 *     version (ListVersionsByFunction) and reuses it without touching the function. No `code`
 *     publishes what $LATEST holds.
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
 * times; throttling and 5xx → the SDK's standard retries. Errors are LambdaDeployError: region,
 * function, alias, rule, the alias's current state and the one command to finish by hand.
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
/** One control-plane call: paced by the region's limiter, counted, retried by the SDK. */
async function lambda_call(ctx, region, operation, run) {
    return ctx.limiter.run(region, () => {
        ctx.onCall?.(region, operation);
        return run();
    });
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
async function readAlias(ctx, target) {
    try {
        const alias = await lambda_call(ctx, target.region, 'GetAlias', () => ctx.clients.lambda(target.region).send(new client_lambda_dist_cjs/* GetAliasCommand */.MES({ FunctionName: target.functionName, Name: target.alias })));
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
    const config = await lambda_call(ctx, target.region, 'GetFunctionConfiguration', () => ctx.clients.lambda(target.region).send(new client_lambda_dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: target.functionName, Qualifier: version })));
    return { version, role: config.Role, deadLetterTarget: config.DeadLetterConfig?.TargetArn };
}
async function aliasProvisionedConcurrency(ctx, target) {
    try {
        const config = await lambda_call(ctx, target.region, 'GetProvisionedConcurrencyConfig', () => ctx.clients
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
/** Preflight reads for a weighted alias: both versions share role and dead-letter config; no provisioned concurrency. */
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
    const problem = (0,rollout/* checkVersionsCompatible */.OS)(stable, cand, provisioned);
    if (problem)
        throw fail(ctx, target, problem.rule, `${problem.message}; nothing was written`, current);
}
function routingInput(weights) {
    return { AdditionalVersionWeights: { ...weights } };
}
/** Applies one intent to one alias: read, decide, preflight, one guarded write, read back. */
async function applyIntent(ctx, target, intent, known = {}) {
    const guarded = known.alias === null || (known.alias !== undefined && known.alias.revision !== null && sameTarget(known.alias, target));
    const before = guarded ? known.alias : await readAlias(ctx, target);
    const decision = (0,rollout/* decide */.LD)(before, intent, {
        now: ctx.now() / 1000,
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
                await lambda_call(ctx, target.region, 'CreateAlias', () => lambda.send(new client_lambda_dist_cjs/* CreateAliasCommand */.W_e({
                    FunctionName: target.functionName,
                    Name: target.alias,
                    FunctionVersion: config.functionVersion,
                    Description: config.description,
                    ...(Object.keys(config.weights).length > 0 ? { RoutingConfig: routingInput(config.weights) } : {}),
                })));
            }
            else {
                await lambda_call(ctx, target.region, 'UpdateAlias', () => lambda.send(new client_lambda_dist_cjs/* UpdateAliasCommand */.lqC({
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
            if (name === 'PreconditionFailedException' || (decision.create && name === 'ResourceConflictException' && /exist/i.test(String(error.message)))) {
                const now = await readAlias(ctx, target).catch(() => null);
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
            const current = await readAlias(ctx, target).catch(() => before);
            throw fail(ctx, target, name === 'ResourceConflictException' ? 'update-in-progress' : 'write-failed', `${decision.transition} failed: ${error.message}`, current);
        }
    }
    const after = await readAlias(ctx, target);
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
/** The description of a published version: commit and run id. */
function versionDescription(commit, run) {
    return `${DESCRIPTION_PREFIX} commit=${commit} run=${run}`.slice(0, 256);
}
function commitOfDescription(description) {
    const match = /^safe-deploy commit=(\S+)/.exec(description ?? '');
    return match ? match[1] : null;
}
async function listVersionPages(ctx, ref) {
    let marker;
    const configs = [];
    do {
        const page = await lambda_call(ctx, ref.region, 'ListVersionsByFunction', () => ctx.clients.lambda(ref.region).send(new client_lambda_dist_cjs/* ListVersionsByFunctionCommand */.Ox4({ FunctionName: ref.functionName, Marker: marker, MaxItems: 50 })));
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
function functionError(ctx, ref, rule, detail) {
    return new LambdaDeployError(ref.region, ref.functionName, null, rule, detail, '', null);
}
/** Publishes the candidate version for a commit, or reuses the one a previous run published. */
async function publishCandidate(ctx, ref, options) {
    if (!options.commit)
        throw functionError(ctx, ref, 'missing-commit', 'a commit is needed to label the published version');
    const lambda = ctx.clients.lambda(ref.region);
    const existing = findPublishedIn(options.versions?.configs ?? (await listVersionPages(ctx, ref)), options.commit);
    if (existing?.Version) {
        ctx.logger.info(`${ref.region} ${ref.functionName}: reusing version ${existing.Version} published for commit ${options.commit}`);
        return { version: existing.Version, codeSha256: existing.CodeSha256 ?? '', reused: true, ...(existing.Role ? { settings: settingsOf(existing, existing.Version) } : {}) };
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
        const updated = await lambda_call(ctx, ref.region, 'UpdateFunctionCode', () => lambda.send(new client_lambda_dist_cjs/* UpdateFunctionCodeCommand */.KfB(input)));
        codeSha256 = updated.CodeSha256;
        revision = updated.RevisionId;
        const waited = await (0,client_lambda_dist_cjs/* waitUntilFunctionUpdatedV2 */.rWV)({ client: lambda, maxWaitTime: ctx.updateWaitSeconds, minDelay: 1, maxDelay: 10 }, { FunctionName: ref.functionName }).catch((error) => {
            throw functionError(ctx, ref, 'code-update-failed', `the code update did not finish: ${error.message}`);
        });
        const status = waited.reason?.Configuration?.LastUpdateStatus;
        if (status && status !== 'Successful') {
            throw functionError(ctx, ref, 'code-update-failed', `the code update ended ${status}: ${waited.reason?.Configuration?.LastUpdateStatusReason ?? ''}`);
        }
        revision = waited.reason?.Configuration?.RevisionId ?? revision;
    }
    else {
        const latest = await lambda_call(ctx, ref.region, 'GetFunctionConfiguration', () => lambda.send(new client_lambda_dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: ref.functionName })));
        codeSha256 = latest.CodeSha256;
        revision = latest.RevisionId;
    }
    try {
        const published = await lambda_call(ctx, ref.region, 'PublishVersion', () => lambda.send(new client_lambda_dist_cjs/* PublishVersionCommand */.D3m({
            FunctionName: ref.functionName,
            CodeSha256: codeSha256,
            Description: versionDescription(options.commit, options.run),
            ...(revision ? { RevisionId: revision } : {}),
        })));
        if (!published.Version || published.Version === '$LATEST') {
            throw functionError(ctx, ref, 'publish-failed', `PublishVersion returned no version number`);
        }
        ctx.logger.info(`${ref.region} ${ref.functionName}: published version ${published.Version} (CodeSha256 ${published.CodeSha256})`);
        return {
            version: published.Version,
            codeSha256: published.CodeSha256 ?? codeSha256 ?? '',
            reused: false,
            ...(published.Role ? { settings: settingsOf(published, published.Version) } : {}),
        };
    }
    catch (error) {
        if (error instanceof LambdaDeployError)
            throw error;
        if (errorName(error) === 'PreconditionFailedException' || /CodeSha256/i.test(String(error.message))) {
            throw functionError(ctx, ref, 'code-changed-concurrently', `$LATEST changed after our update (CodeSha256 ${codeSha256}); nothing was published: ${error.message}`);
        }
        throw functionError(ctx, ref, 'publish-failed', error.message);
    }
}
/**
 * Runs `fn` for every target: regions in parallel (at most `maxRegions` at once), the targets of
 * one region together, their calls paced by the context's per-region limiter. Never rejects:
 * every target gets an outcome, in input order, so a rollback reaches every region even when
 * one fails.
 */
async function forEachTarget(targets, fn, options = {}) {
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

// EXTERNAL MODULE: ./actions/wave-deploy/src/interrupt.ts
var interrupt = __webpack_require__(576);
;// CONCATENATED MODULE: ./actions/wave-deploy/src/deploy.ts
// The wave itself: preflight reads, publish, shift in steps, alarm checks between steps.
// Loaded with a dynamic import after the inputs are valid, because it pulls in the AWS SDK.
//
// Order of work, so that bad input or a refused alias never half-deploys:
//   1. preflight (reads only): every function exists, a given version exists, every alias can
//      take the shift (rollout.ts decides with the candidate we will publish), roles match;
//   2. publish the candidate in every region (reused on a re-run of the same commit);
//   3. write the planned `deployment` output, so a cancelled run can still be rolled back;
//   4. per step: shift every alias (regions in parallel, at most max-parallel at once), then
//      wait step-wait and check the rollback alarms before the next step.








function errorText(error) {
    const e = error;
    return e?.message ? (e.name && !e.message.startsWith(e.name) && e.name !== 'Error' && e.name !== 'LambdaDeployError' ? `${e.name}: ${e.message}` : e.message) : String(error);
}
function targetsOf(plan) {
    return plan.regions.flatMap((region) => plan.functions.map((functionName) => ({ region, functionName, alias: plan.alias })));
}
/** The version a rollback returns to, from what the alias says now. */
function deploy_stableOf(view) {
    if (!view)
        return null;
    if (view.record.kind === 'record')
        return view.record.record.stable;
    return view.version || null;
}
/** The candidate a re-run of this commit would find in flight, when there is one. */
function ourCandidate(view, commit) {
    if (view?.record.kind !== 'record')
        return null;
    const record = view.record.record;
    return record.candidate && record.commit === commit.slice(0, 12) ? record.candidate : null;
}
/** The gate refused a write after a stop signal (the layer may wrap the InterruptedError in its own error). */
function isInterruption(error) {
    return error instanceof interrupt/* InterruptedError */.p4 || /stopped by SIG[A-Z]+ before /.test(error.message);
}
const NOT_YET_PUBLISHED = '999999999';
async function preflight(ctx, plan, progress, now) {
    const finalShare = plan.steps[plan.steps.length - 1] ?? 0;
    const versionRef = plan.code.kind === 'version' ? plan.code.ref.version : null;
    const outcomes = await forEachTarget(progress, async (p) => {
        const ref = { region: p.target.region, functionName: p.target.functionName };
        const problems = [];
        // One ListVersionsByFunction answers whether the function exists, whether a given version
        // does, and the role and dead-letter target of $LATEST and of every version; publishing
        // reuses the same listing to find a version of this commit.
        const versions = await listVersions(ctx, ref);
        if (!versions) {
            return [{ input: 'functions', message: `function ${ref.functionName} does not exist in ${ref.region} (nothing was written anywhere)` }];
        }
        p.versions = versions;
        const latest = versions.latest ?? (await readFunctionSettings(ctx, ref));
        if (!latest) {
            return [{ input: 'functions', message: `function ${ref.functionName} does not exist in ${ref.region} (nothing was written anywhere)` }];
        }
        if (versionRef && !versions.settings.has(versionRef)) {
            problems.push({ input: 'version', message: `version ${versionRef} does not exist for function ${ref.functionName} in ${ref.region}; versions are numbered per function` });
        }
        p.before = await readAlias(ctx, p.target);
        p.stable = deploy_stableOf(p.before);
        const candidate = versionRef ?? ourCandidate(p.before, plan.commit) ?? NOT_YET_PUBLISHED;
        const decision = (0,rollout/* decide */.LD)(p.before, { kind: 'shift', candidate, weight: finalShare, state: 'baking', commit: plan.commit, run: plan.run }, { now: now() / 1000 });
        if (decision.kind === 'refuse') {
            // The placeholder for a version this run has not published yet never reaches a person.
            const message = decision.message.replaceAll(NOT_YET_PUBLISHED, `a new version of commit ${plan.commit.slice(0, 12)}`);
            problems.push({ input: null, message: `${ref.region} ${ref.functionName}:${plan.alias}: ${decision.rule}: ${message}. Alias now: ${(0,rollout/* describeAlias */.IN)(p.before)}` });
        }
        else if (decision.kind === 'write' && Object.keys(decision.config.weights).length > 0 && !versionRef) {
            // The new version is published from $LATEST: it carries $LATEST's role and dead-letter config.
            const stable = versions.settings.get(decision.config.functionVersion);
            const clash = stable && (0,rollout/* checkVersionsCompatible */.OS)(stable, { ...latest, version: 'the candidate' }, 0);
            if (clash)
                problems.push({ input: null, message: `${ref.region} ${ref.functionName}:${plan.alias}: ${clash.rule}: ${clash.message}` });
        }
        return problems;
    }, { maxRegions: plan.maxParallel });
    return outcomes.flatMap((o, i) => {
        if (o.ok)
            return o.value;
        const t = progress[i].target;
        return [{ input: null, message: `${t.region} ${t.functionName}: cannot read before deploying: ${errorText(o.error)}` }];
    });
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
function weightOn(view, candidate) {
    if (!view || !candidate)
        return 0;
    if (view.version === candidate && Object.keys(view.weights).length === 0)
        return 1;
    return view.weights[candidate] ?? 0;
}
function deploymentOf(plan, progress, traffic, planned, at) {
    const targets = [];
    for (const p of progress) {
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
        targets,
    };
}
async function checkAlarms(clients, plan, refs) {
    const regions = await Promise.all(plan.regions.map((region) => readAlarmStates(clients, region, refs)));
    const all = regions.flatMap((r) => r.alarms);
    const missing = regions.flatMap((r) => r.missing.map((m) => `${m} in ${r.region}`));
    const firing = all.filter((a) => a.state === 'ALARM').map((a) => `${a.name} (${a.region})`);
    const line = `rollback alarms: ${summarizeAlarms(all, missing.length)}`;
    return {
        firing: firing.length > 0 ? `rollback alarm firing: ${firing.join(', ')}` : missing.length > 0 ? `rollback alarm not found: ${missing.join(', ')} (a step never continues unwatched)` : null,
        missing: missing.length > 0 ? `rollback alarm not found: ${missing.join(', ')}` : null,
        line,
    };
}
async function deployWave(plan, hooks) {
    const now = hooks.now ?? Date.now;
    const clients = new AwsClients({ caller: 'wave-deploy' });
    const ctx = lambdaContext({ clients, logger: hooks.logger, environment: plan.environment, onCall: (_region, operation) => hooks.interrupt.gate(operation) });
    const progress = targetsOf(plan).map((target) => ({ region: target.region, target, before: null, versions: null, candidate: null, reused: false, stable: null, after: null, stepsDone: 0, writes: 0, error: null }));
    const alarmLines = [];
    const refs = parseAlarmRefs(plan.alarms, 'alarms');
    const result = (outcome, message, deployment, stepsDone) => ({
        outcome,
        plan,
        targets: progress,
        stepsDone,
        message,
        deployment,
        alarmLines,
    });
    try {
        // 1. Preflight: reads only. The rollback alarms must exist and be quiet before anything moves.
        const problems = await preflight(ctx, plan, progress, now);
        if (refCount(refs) > 0) {
            const check = await checkAlarms(clients, plan, refs);
            alarmLines.push(`before the wave: ${check.line}`);
            if (check.missing)
                problems.push({ input: 'alarms', message: `${check.missing}; create the alarm or fix its name (nothing was written)` });
            else if (check.firing)
                problems.push({ input: null, message: `${check.firing} before the wave started` });
        }
        if (problems.length > 0) {
            const named = problems.find((p) => p.input);
            const lines = problems.map((p) => (p.input ? `input ${p.input}: ${p.message}` : p.message));
            return result('refused', `${named ? '' : 'refused before any write: '}${lines.join('\n')}${named ? '' : '\nNothing was written.'}`, null, 0);
        }
        if (hooks.interrupt.stopping)
            return result('interrupted', `stopped by ${hooks.interrupt.signal} before any write`, null, 0);
        // 2. Publish (or reuse) the candidate everywhere before moving any traffic.
        if (plan.code.kind === 'version') {
            for (const p of progress)
                p.candidate = plan.code.ref.version;
        }
        else {
            const code = lambdaCode(plan.code);
            const published = await forEachTarget(progress, async (p) => {
                const candidate = await publishCandidate(ctx, { region: p.target.region, functionName: p.target.functionName }, { code, commit: plan.commit, run: plan.run, ...(p.versions ? { versions: p.versions } : {}) });
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
            if (failed.length > 0) {
                for (const o of failed)
                    if (!o.ok)
                        o.target.error = errorText(o.error);
                const interrupted = hooks.interrupt.stopping && failed.every((o) => !o.ok && isInterruption(o.error));
                return result(interrupted ? 'interrupted' : 'failed', `${interrupted ? `stopped by ${hooks.interrupt.signal} while publishing the candidate` : 'publishing the candidate failed'}; no alias was changed:\n${failed.map((o) => (o.ok ? '' : `${o.target.target.region} ${o.target.target.functionName}: ${errorText(o.error)}`)).join('\n')}`, null, 0);
            }
        }
        // 3. The planned deployment, handed out before the first alias write.
        const finalShare = plan.steps[plan.steps.length - 1] ?? 0;
        if (plan.steps.length === 1 && finalShare === 0) {
            // traffic 0%: publish only. No alias is written, not even to take back a share a one-box of
            // this same candidate already holds; the version serving the alias is what a rollback keeps.
            for (const p of progress) {
                p.stable = p.before?.version ?? p.candidate;
                p.after = p.before;
                p.stepsDone = 1;
            }
            return result('deployed', null, deploymentOf(plan, progress, 0, null, new Date(now())), 1);
        }
        const planned = new Map();
        for (const p of progress) {
            const decision = (0,rollout/* decide */.LD)(p.before, { kind: 'shift', candidate: p.candidate, weight: finalShare, state: 'baking', commit: plan.commit, run: plan.run }, { now: now() / 1000 });
            planned.set(p, decision);
            // What a rollback of this wave returns to, fixed before any alias moves: an alias the wave
            // never reaches keeps its own release, so its older record must not decide this.
            if (decision.kind === 'write')
                p.stable = decision.config.record.stable;
        }
        const refused = [...planned].filter(([, d]) => d.kind === 'refuse');
        if (refused.length > 0) {
            return result('refused', `refused before moving traffic (the candidate was published, no alias was changed):\n${refused
                .map(([p, d]) => `${p.target.region} ${p.target.functionName}:${plan.alias}: ${d.kind === 'refuse' ? `${d.rule}: ${d.message}` : ''}. Alias now: ${(0,rollout/* describeAlias */.IN)(p.before)}`)
                .join('\n')}`, null, 0);
        }
        hooks.onPlanned(deploymentOf(plan, progress, finalShare, planned, new Date(now())));
        // 4. Steps.
        for (let step = 0; step < plan.steps.length; step++) {
            const share = plan.steps[step];
            const last = step === plan.steps.length - 1;
            if (hooks.interrupt.stopping)
                return result('interrupted', `stopped by ${hooks.interrupt.signal} before step ${step + 1} (${(0,rollout/* formatWeight */.ck)(share)})`, deploymentOf(plan, progress, finalShare, null, new Date(now())), step);
            hooks.logger.info(`step ${step + 1}/${plan.steps.length}: candidate to ${(0,rollout/* formatWeight */.ck)(share)} in ${plan.regions.join(', ')}`);
            const shifted = await forEachTarget(progress, async (p) => {
                // The alias as this run last read it (the preflight, then each step's read-back): the
                // write is guarded by its RevisionId, so a change since then fails instead of being overwritten.
                const known = { alias: p.after ?? p.before, ...(p.versions ? { versions: p.versions.settings } : {}) };
                const change = await shiftTraffic(ctx, p.target, { candidate: p.candidate, weight: share, commit: plan.commit, run: plan.run, state: last ? 'baking' : 'shifting', known });
                p.after = change.after;
                if (change.wrote)
                    p.writes += 1;
                if (change.after.record.kind === 'record')
                    p.stable = change.after.record.record.stable;
                p.stepsDone = step + 1;
                return change;
            }, { maxRegions: plan.maxParallel });
            const failed = shifted.filter((o) => !o.ok);
            if (failed.length > 0) {
                for (const o of failed)
                    if (!o.ok)
                        o.target.error = errorText(o.error);
                const interrupted = hooks.interrupt.stopping && failed.every((o) => !o.ok && isInterruption(o.error));
                return result(interrupted ? 'interrupted' : 'failed', `${interrupted ? `stopped by ${hooks.interrupt.signal}` : 'the shift failed'} at step ${step + 1} (${(0,rollout/* formatWeight */.ck)(share)}):\n${failed.map((o) => (o.ok ? '' : errorText(o.error))).join('\n')}`, deploymentOf(plan, progress, finalShare, null, new Date(now())), step);
            }
            if (last)
                break;
            if (plan.stepWaitMs > 0) {
                hooks.logger.info(`waiting ${Math.round(plan.stepWaitMs / 1000)}s before the next step`);
                const slept = await hooks.interrupt.sleep(plan.stepWaitMs);
                if (!slept)
                    return result('interrupted', `stopped by ${hooks.interrupt.signal} after step ${step + 1} (${(0,rollout/* formatWeight */.ck)(share)})`, deploymentOf(plan, progress, finalShare, null, new Date(now())), step + 1);
            }
            if (refCount(refs) > 0) {
                const check = await checkAlarms(clients, plan, refs);
                alarmLines.push(`after step ${step + 1} (${(0,rollout/* formatWeight */.ck)(share)}): ${check.line}`);
                hooks.logger.info(`after step ${step + 1}: ${check.line}`);
                if (check.firing) {
                    return result('alarm', `${check.firing}; stopped after step ${step + 1} (${(0,rollout/* formatWeight */.ck)(share)}), the candidate holds that share until it is rolled back`, deploymentOf(plan, progress, finalShare, null, new Date(now())), step + 1);
                }
            }
            else {
                hooks.logger.warn(`no rollback alarms configured: nothing to check between steps`);
            }
        }
        return result('deployed', null, deploymentOf(plan, progress, finalShare, null, new Date(now())), plan.steps.length);
    }
    catch (error) {
        return result(hooks.interrupt.stopping ? 'interrupted' : 'failed', errorText(error), deploymentOf(plan, progress, plan.steps[plan.steps.length - 1] ?? 0, null, new Date(now())), 0);
    }
    finally {
        clients.destroy();
    }
}
/** Reads every alias again (for the failure report); a read that fails says so. */
async function readBack(plan, progress) {
    const clients = new AwsClients({ caller: 'wave-deploy', maxAttempts: 2 });
    const ctx = lambdaContext({ clients, environment: plan.environment });
    try {
        await forEachTarget(progress, async (p) => {
            try {
                p.after = await readAlias(ctx, p.target);
            }
            catch (error) {
                p.error = p.error ?? `cannot read the alias now: ${errorText(error)}`;
            }
        });
    }
    finally {
        clients.destroy();
    }
}


/***/ })

};
