export const id = 182;
export const ids = [182];
export const modules = {

/***/ 1182:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  decideNext: () => (/* binding */ decideNext),
  nextMarkdown: () => (/* binding */ nextMarkdown),
  verifyEntries: () => (/* binding */ verifyEntries)
});

// UNUSED EXPORTS: loopWaves

// EXTERNAL MODULE: ./packages/core/src/next-step.ts
var next_step = __webpack_require__(3663);
// EXTERNAL MODULE: ./packages/core/src/planner.ts
var planner = __webpack_require__(8685);
// EXTERNAL MODULE: ./packages/core/src/units.ts
var units = __webpack_require__(5294);
// EXTERNAL MODULE: ./packages/core/src/windows.ts
var windows = __webpack_require__(6564);
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

// EXTERNAL MODULE: ./packages/core/src/judge.ts
var judge = __webpack_require__(6878);
;// CONCATENATED MODULE: ./packages/core/src/bake.ts




const BAKE_RESULTS = (/* unused pure expression or super */ null && (['baked', 'alarm', 'metric-breach', 'insufficient-traffic', 'timeout', 'outside-window']));
const DEFAULT_LOOK_BACK_MS = (/* unused pure expression or super */ null && (5 * 60_000));
/** How long after an invocation's metrics are due CloudWatch may still be missing them (input `metrics-delay`). */
const DEFAULT_METRICS_DELAY_MS = (/* unused pure expression or super */ null && (3 * 60_000));
/** Lambda's longest function timeout: what a bake assumes when it cannot read a function's own. */
const MAX_FUNCTION_TIMEOUT_MS = 15 * 60_000;
/** The error rate (and the p99) is judged once a target has this many invocations (or min-invocations, if lower). */
const ERROR_RATE_MIN_SAMPLE = 100;
/** Fills defaults (max-wait three times the duration) and refuses policies that could pass without traffic. */
function bakePolicy(input) {
    const minInvocations = input.minInvocations ?? 100;
    if (!Number.isInteger(minInvocations) || minInvocations < 1) {
        throw new Error(`min-invocations must be a whole number of at least 1 (got ${minInvocations}); a bake never passes on "no errors seen"`);
    }
    if (!(input.durationMs >= 0))
        throw new Error('duration must not be negative');
    const maxWaitMs = input.maxWaitMs ?? 3 * input.durationMs;
    if (maxWaitMs < input.durationMs) {
        throw new Error(`max-wait (${formatDuration(maxWaitMs)}) is shorter than the duration (${formatDuration(input.durationMs)}); the bake could never pass`);
    }
    const pollIntervalMs = input.pollIntervalMs ?? 30_000;
    if (!(pollIntervalMs > 0))
        throw new Error('poll-interval must be above zero');
    for (const [name, value] of [['max-error-rate', input.maxErrorRate], ['max-error-rate-over-stable', input.maxErrorRateOverStable]]) {
        if (value !== null && value !== undefined && !(value >= 0 && value <= 1))
            throw new Error(`${name} must be between 0% and 100%`);
    }
    const metricsDelayMs = input.metricsDelayMs ?? DEFAULT_METRICS_DELAY_MS;
    if (!(metricsDelayMs >= 0))
        throw new Error('metrics-delay must not be negative');
    const functionTimeoutMs = input.functionTimeoutMs ?? 0;
    if (!(functionTimeoutMs >= 0))
        throw new Error('the function timeout must not be negative');
    const thresholds = (input.maxErrorRate ?? null) !== null || (input.maxErrorRateOverStable ?? null) !== null;
    const judge = input.judge === null ? null : input.judge !== undefined || !thresholds ? judgeSettings(input.judge ?? {}) : null;
    const maxP99OverStable = input.maxP99OverStable ?? null;
    if (maxP99OverStable !== null && !(maxP99OverStable >= 0))
        throw new Error('max-p99-over-stable must not be negative');
    return {
        durationMs: input.durationMs,
        minInvocations,
        maxWaitMs,
        pollIntervalMs,
        maxErrorRate: input.maxErrorRate ?? null,
        maxErrorRateOverStable: input.maxErrorRateOverStable ?? null,
        maxP99Ms: input.maxP99Ms ?? null,
        failOnInsufficientData: input.failOnInsufficientData ?? false,
        lookBackMs: input.lookBackMs ?? DEFAULT_LOOK_BACK_MS,
        metricsDelayMs,
        functionTimeoutMs,
        judge,
        maxP99OverStable,
        planned: {},
    };
}
/** The policy with the judge's planned traffic per target (`region/function`) filled in. */
function withPlannedTraffic(policy, planned) {
    return { ...policy, planned };
}
/** Whether the stable version's numbers must be read (relative threshold, judge, latency against stable). */
function needsStable(policy) {
    return policy.maxErrorRateOverStable !== null || policy.judge !== null || policy.maxP99OverStable !== null;
}
/** The policy with the longest function timeout of the deployment filled in. */
function withFunctionTimeout(policy, functionTimeoutMs) {
    if (!(functionTimeoutMs >= 0))
        throw new Error('the function timeout must not be negative');
    return { ...policy, functionTimeoutMs };
}
/** How long after a moment its data is complete: the longest function timeout plus metrics-delay. */
function settleMs(policy) {
    return policy.functionTimeoutMs + policy.metricsDelayMs;
}
/** The moment the bake's window (start + duration) has settled: no verdict `baked` before it. */
function settlesAt(policy, startedAt) {
    return startedAt + policy.durationMs + settleMs(policy);
}
/** `10:13:05Z`: the time of day in UTC, for progress lines. */
function clockTime(ms) {
    return `${new Date(ms).toISOString().slice(11, 19)}Z`;
}
/** An instant to the second, as the logs and summaries print it (`2026-12-02T10:05:00Z`). */
function isoTime(ms) {
    return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}
/** Why the wait: "longest function timeout 30s + metrics-delay 3m". */
function settleText(policy) {
    return `longest function timeout ${formatDuration(policy.functionTimeoutMs)} + metrics-delay ${formatDuration(policy.metricsDelayMs)}`;
}
function invocationsByRegion(regions, metrics) {
    const totals = {};
    for (const region of regions)
        totals[region] = 0;
    for (const sample of metrics)
        totals[sample.region] = (totals[sample.region] ?? 0) + sample.candidate.invocations;
    return totals;
}
/** The metrics a verdict is taken on: the settled read once there is one, else the latest. */
function judgedMetrics(observation) {
    return observation.settled?.metrics ?? observation.metrics;
}
function rate(errors, invocations) {
    return invocations > 0 ? errors / invocations : 0;
}
function percent(value) {
    return `${Math.round(value * 10_000) / 100}%`;
}
/** Alarm rule: a missing alarm, a firing alarm, or (when so configured) one without data. */
function alarmVerdict(policy, alarms) {
    const missing = alarms.flatMap((r) => r.missing.map((ref) => `${logSafe(ref, 300)} in ${r.region}`));
    if (missing.length > 0)
        return `alarm not found: ${missing.join(', ')} (monitoring fails closed)`;
    const firing = alarms
        .flatMap((r) => r.alarms)
        .filter((a) => a.state === 'ALARM' || (policy.failOnInsufficientData && a.state === 'INSUFFICIENT_DATA'));
    // Names and StateReasons are AWS text that anyone with cloudwatch:SetAlarmState can write: one line, no `::`.
    if (firing.length > 0)
        return `alarm firing: ${firing.map((a) => `${logSafe(a.name, 300)} (${a.region}: ${a.state}${a.reason ? ` - ${logSafe(a.reason, 200)}` : ''})`).join(', ')}`;
    return null;
}
/** The counts of one target for the judge (the stable's are zero when not read). */
function pairCounts(sample) {
    return {
        candidateInvocations: sample.candidate.invocations,
        candidateErrors: sample.candidate.errors,
        stableInvocations: sample.stable?.invocations ?? 0,
        stableErrors: sample.stable?.errors ?? 0,
    };
}
function where(sample) {
    return `${sample.function}:${sample.alias} v${sample.candidate.version} in ${sample.region}`;
}
/**
 * The judge's state on a read: the target with the most evidence against its candidate, as one
 * line (counts, the statistic, the threshold), or null when the judge is off or has no target to
 * compare. The false-positive rate is split over every target of the read.
 */
function judgeLine(policy, metrics) {
    if (!policy.judge || metrics.length === 0)
        return null;
    const judged = metrics.map((sample) => ({ sample, counts: pairCounts(sample), j: judgeErrors(policy.judge, pairCounts(sample), metrics.length) }));
    const comparable = judged.filter((x) => x.j.applicable);
    if (comparable.length === 0)
        return 'judge: the stable version has no traffic in the window, nothing to compare with';
    const worst = comparable.reduce((a, b) => (b.j.statistic > a.j.statistic ? b : a));
    const of = metrics.length > 1 ? `${worst.sample.function} in ${worst.sample.region} (most evidence of ${metrics.length}): ` : '';
    return `judge ${of}${judgementText(worst.counts, worst.j)}`;
}
/**
 * Canary rule, per function and region: the error-rate thresholds and the p99 bound once that target
 * has `min(min-invocations, 100)` invocations (the p99 of two cold starts is their maximum, not a
 * property of the release); the judge at any count (its test accounts for how little a few
 * invocations say); the p99 against the stable's from LATENCY_MIN_SAMPLE invocations of each.
 */
function canaryVerdict(policy, metrics) {
    const floor = Math.min(policy.minInvocations, ERROR_RATE_MIN_SAMPLE);
    for (const sample of metrics) {
        const c = sample.candidate;
        if (policy.judge) {
            const counts = pairCounts(sample);
            const j = judgeErrors(policy.judge, counts, metrics.length);
            if (j.fired) {
                return `the judge finds the error rate of ${where(sample)} above the stable v${sample.stable?.version ?? '?'}'s: ${judgementText(counts, j)} (false-positive rate ${percent(policy.judge.falsePositiveRate)} over the whole bake, split over ${metrics.length} target(s))`;
            }
        }
        if (policy.maxP99OverStable !== null) {
            const slow = latencyVerdict(c, sample.stable, policy.maxP99OverStable);
            if (slow)
                return `${slow}: ${where(sample)} against the stable v${sample.stable?.version ?? '?'}`;
        }
        if (c.invocations < floor)
            continue;
        const candidateRate = rate(c.errors, c.invocations);
        if (policy.maxErrorRate !== null && candidateRate > policy.maxErrorRate) {
            return `error rate ${percent(candidateRate)} (${c.errors}/${c.invocations}) of ${where(sample)} is above ${percent(policy.maxErrorRate)}`;
        }
        if (policy.maxErrorRateOverStable !== null && sample.stable && sample.stable.invocations > 0) {
            const stableRate = rate(sample.stable.errors, sample.stable.invocations);
            if (candidateRate - stableRate > policy.maxErrorRateOverStable) {
                return `error rate ${percent(candidateRate)} of ${where(sample)} exceeds the stable v${sample.stable.version}'s ${percent(stableRate)} by more than ${percent(policy.maxErrorRateOverStable)}`;
            }
        }
        if (policy.maxP99Ms !== null && c.p99Ms !== null && c.p99Ms > policy.maxP99Ms) {
            return `p99 duration ${Math.round(c.p99Ms)}ms of ${where(sample)} (${c.invocations} invocations) is above ${Math.round(policy.maxP99Ms)}ms`;
        }
    }
    return null;
}
/** Targets below the traffic the judge was planned to need: `us-west-2 orders-api 300/5617`. */
function shortOfPlan(policy, metrics) {
    const seen = new Map(metrics.map((m) => [`${m.region}/${m.function}`, m.candidate.invocations]));
    return Object.entries(policy.planned)
        .filter(([key, need]) => (seen.get(key) ?? 0) < need)
        .map(([key, need]) => `${key.replace('/', ' ')} ${seen.get(key) ?? 0}/${need} (planned for the judge)`);
}
/** One poll's decision from what was observed (the latest read, and the settled read once there is one). */
function bake_decide(policy, startedAt, observation, options = {}) {
    const alarm = alarmVerdict(policy, observation.alarms);
    if (alarm)
        return { kind: 'done', result: 'alarm', reason: alarm };
    const breach = canaryVerdict(policy, observation.metrics);
    if (breach)
        return { kind: 'done', result: 'metric-breach', reason: breach };
    const settled = observation.settled ?? null;
    if (settled) {
        const late = canaryVerdict(policy, settled.metrics);
        if (late)
            return { kind: 'done', result: 'metric-breach', reason: `${late} (in the settled window up to ${isoTime(settled.cutoff)})` };
    }
    const elapsed = observation.now - startedAt;
    const settleAt = settlesAt(policy, startedAt);
    if (!settled || settled.cutoff < startedAt + policy.durationMs) {
        if (elapsed < policy.durationMs) {
            return { kind: 'continue', reason: `baking, ${formatDuration(policy.durationMs - elapsed)} to go; the window settles at ${isoTime(settleAt)}` };
        }
        return {
            kind: 'continue',
            reason: `duration over; waiting until ${isoTime(settleAt)} for late data (${settleText(policy)}), ${formatDuration(Math.max(0, settleAt - observation.now))} to go`,
        };
    }
    // The window has settled: the verdict is taken on the settled read only.
    const judged = settled.cutoff - startedAt;
    const invocations = invocationsByRegion(observation.regions, settled.metrics);
    const short = Object.entries(invocations).filter(([, n]) => n < policy.minInvocations);
    const unplanned = shortOfPlan(policy, settled.metrics);
    // An alarm without data (when that is not configured to fail) cannot vouch for the candidate: wait for it.
    const quiet = observation.alarms.flatMap((r) => r.alarms).filter((a) => a.state === 'INSUFFICIENT_DATA');
    const quietText = quiet.map((a) => `${logSafe(a.name, 300)} (${a.region})`).join(', ');
    const settledText = `window settled at ${isoTime(settleAt)}; judged on data stamped up to ${isoTime(settled.cutoff)}, read at ${isoTime(observation.now)}`;
    if (short.length === 0 && unplanned.length === 0 && quiet.length === 0) {
        const verdict = options.window?.(new Date(observation.now));
        if (verdict && !verdict.open)
            return { kind: 'done', result: 'outside-window', reason: `baked, but outside the deploy window: ${verdict.reason}` };
        return {
            kind: 'done',
            result: 'baked',
            reason: `baked for ${formatDuration(judged)} with ${Object.entries(invocations).map(([r, n]) => `${n} invocations in ${r}`).join(', ')} (${settledText}, ${settleText(policy)}; look-back from ${formatDuration(policy.lookBackMs)} before the start)`,
        };
    }
    const shortText = [...short.map(([r, n]) => `${r} ${n}/${policy.minInvocations}`), ...unplanned].join(', ');
    if (judged >= policy.maxWaitMs) {
        if (short.length + unplanned.length > 0) {
            return {
                kind: 'done',
                result: 'insufficient-traffic',
                reason: `waited for ${formatDuration(judged)} of settled window (max-wait ${formatDuration(policy.maxWaitMs)}) and the candidate saw too little traffic: ${shortText} (${settledText})`,
            };
        }
        return { kind: 'done', result: 'timeout', reason: `max-wait ${formatDuration(policy.maxWaitMs)} reached while alarms still had no data: ${quietText}` };
    }
    return { kind: 'continue', reason: short.length + unplanned.length > 0 ? `waiting for settled traffic: ${shortText}` : `waiting for alarms to have data: ${quietText}` };
}
/**
 * The progress line printed each poll: elapsed / required, invocations / required per region
 * (of the settled window once there is one), alarm summary, errors, and when the window settles.
 */
function progressLine(policy, startedAt, observation, poll) {
    const elapsed = Math.max(0, observation.now - startedAt);
    const metrics = judgedMetrics(observation);
    const invocations = invocationsByRegion(observation.regions, metrics);
    const regions = Object.entries(invocations)
        .map(([r, n]) => `${r} ${n}/${policy.minInvocations}${n >= policy.minInvocations ? ' ✓' : ''}`)
        .join(', ');
    const all = observation.alarms.flatMap((r) => r.alarms);
    const missing = observation.alarms.reduce((n, r) => n + r.missing.length, 0);
    const errors = metrics.reduce((n, s) => n + s.candidate.errors, 0);
    const total = Object.values(invocations).reduce((a, b) => a + b, 0);
    const errorText = policy.maxErrorRate !== null ? ` | errors ${errors} (${percent(rate(errors, total))}, max ${percent(policy.maxErrorRate)})` : ` | errors ${errors}`;
    const settled = observation.settled;
    const settleNote = settled && settled.cutoff >= startedAt + policy.durationMs
        ? ` | settled to ${clockTime(settled.cutoff)}`
        : ` | settles ${clockTime(settlesAt(policy, startedAt))}`;
    const planned = shortOfPlan(policy, metrics);
    const plannedText = planned.length > 0 ? ` | ${planned.join(', ')}` : '';
    const judge = judgeLine(policy, metrics);
    return `poll ${poll} | ${formatDuration(elapsed)} / ${formatDuration(policy.durationMs)} | invocations ${regions}${plannedText} | alarms ${summarizeAlarms(all, missing)}${errorText}${judge ? ` | ${judge}` : ''}${settleNote}`;
}
/**
 * Watches a bake from `startedAt` until it ends. A start in the past (verify mode, or a re-run)
 * counts the time already elapsed. Every poll reads the alarms and the metrics from `startedAt` up
 * to now (a data point arriving late is counted on the next poll, and anything bad fails at once);
 * once the window has settled, it also reads the settled window, on which the verdict is taken.
 */
async function runBake(policy, startedAt, regions, io) {
    let polls = 0;
    let last = null;
    const settle = settleMs(policy);
    const finish = (result, reason) => ({
        result,
        reason,
        startedAt,
        endedAt: io.now(),
        polls,
        invocations: invocationsByRegion(regions, last ? judgedMetrics(last) : []),
        last,
        settlesAt: settlesAt(policy, startedAt),
    });
    const opening = io.window?.(new Date(io.now()));
    if (opening && !opening.open)
        return finish('outside-window', `outside the deploy window: ${opening.reason}`);
    const observe = async () => {
        const now = io.now();
        const cutoff = now - settle;
        try {
            const settledRead = cutoff >= startedAt + policy.durationMs;
            const [alarms, metrics, settled] = await Promise.all([
                io.readAlarms(),
                io.readMetrics(startedAt, now, true),
                settledRead ? io.readMetrics(startedAt - policy.lookBackMs, cutoff, false) : Promise.resolve(null),
            ]);
            return { now, regions, alarms, metrics, settled: settled ? { cutoff, metrics: settled } : null };
        }
        catch (error) {
            return `monitoring failed, so the bake fails closed: ${logSafe(error.message, 1000)}`;
        }
    };
    for (;;) {
        polls++;
        const observation = await observe();
        if (typeof observation === 'string')
            return finish('alarm', observation);
        last = observation;
        const decision = bake_decide(policy, startedAt, observation, { window: io.window });
        io.onPoll?.({ poll: polls, observation, decision, line: progressLine(policy, startedAt, observation, polls) });
        if (decision.kind === 'done')
            return finish(decision.result, decision.reason);
        // Sleep one interval, but wake at the moment the duration ends, the window settles, or max-wait ends.
        const now = io.now();
        const marks = [startedAt + policy.durationMs, startedAt + policy.durationMs + settle, startedAt + policy.maxWaitMs + settle];
        // A mark passed while this poll was reading (a timer fires up to a millisecond early, and the
        // reads take time): look again at once instead of a whole interval later.
        if (marks.some((t) => observation.now < t && t <= now))
            continue;
        const next = Math.min(now + policy.pollIntervalMs, ...marks.filter((t) => t > now));
        await io.sleep(Math.max(0, next - now));
    }
}
/** Verify mode: any state change into ALARM (or INSUFFICIENT_DATA, when so configured) since the start fails the bake. */
function historyVerdict(policy, transitions) {
    const bad = transitions.filter((t) => t.to === 'ALARM' || (policy.failOnInsufficientData && t.to === 'INSUFFICIENT_DATA'));
    if (bad.length === 0)
        return null;
    return `alarm fired during the bake: ${bad.map((t) => `${logSafe(t.name, 300)} (${t.region}) went to ${t.to} at ${logSafe(t.at, 40)}`).join(', ')}`;
}
/** Per-period candidate invocations and errors over all targets, for the summary chart. */
function bakeSeries(metrics) {
    const byTime = new Map();
    for (const sample of metrics) {
        for (const point of sample.candidate.points) {
            const entry = byTime.get(point.t) ?? { invocations: 0, errors: 0 };
            entry.invocations += point.invocations;
            entry.errors += point.errors;
            byTime.set(point.t, entry);
        }
    }
    return [...byTime.entries()].sort(([a], [b]) => a - b).map(([t, p]) => ({ t, ...p }));
}
/** A mermaid xychart-beta of candidate invocations (bars) and errors (line) per period since the start. */
function bakeChart(points, startedAt, maxBars = 48) {
    if (points.length === 0)
        return '';
    // Merge neighbouring periods so the chart stays readable.
    const group = Math.max(1, Math.ceil(points.length / maxBars));
    const bars = [];
    for (let i = 0; i < points.length; i += group) {
        const slice = points.slice(i, i + group);
        bars.push({ t: slice[0].t, invocations: slice.reduce((n, p) => n + p.invocations, 0), errors: slice.reduce((n, p) => n + p.errors, 0) });
    }
    const label = (t) => {
        const minutes = Math.round((t - startedAt) / 60_000) * 60_000;
        return minutes < 0 ? `-${formatDuration(-minutes)}` : formatDuration(minutes);
    };
    const labels = bars.map((b) => `"${label(b.t)}"`);
    const top = Math.max(1, ...bars.map((b) => b.invocations));
    return [
        '```mermaid',
        'xychart-beta',
        '    title "Candidate invocations (bars) and errors (line) since the start"',
        `    x-axis [${labels.join(', ')}]`,
        `    y-axis "per period" 0 --> ${top}`,
        `    bar [${bars.map((b) => b.invocations).join(', ')}]`,
        `    line [${bars.map((b) => b.errors).join(', ')}]`,
        '```',
    ].join('\n');
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
    const maxMs = Math.max(0, ...timeouts.map((t) => t.timeoutMs ?? MAX_FUNCTION_TIMEOUT_MS));
    return { maxMs, timeouts };
}

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
function guardian_entry_entryName(path, entry) {
    return `${checkStorePath(path)}/${entry.alias}/${entryKey(entry)}`;
}
/** The value written into the parameter; throws naming the field when the entry is not valid. */
function guardian_entry_encodeEntry(entry) {
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
async function call(ctx, region, operation, parameter, send) {
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
    const answer = await call(ctx, region, 'PutParameter', name, () => ssm(ctx, region).send(new PutParameterCommand({
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
    const name = guardian_entry_entryName(ctx.path, entry);
    try {
        const answer = await call(ctx, region, 'GetParameter', name, () => ssm(ctx, region).send(new client_ssm_dist_cjs/* GetParameterCommand */.lhy({ Name: name })));
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
        await call(ctx, region, 'DeleteParameter', name, () => ssm(ctx, region).send(new DeleteParameterCommand({ Name: name })));
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
        const page = await call(ctx, region, 'GetParametersByPath', ctx.path, () => ssm(ctx, region).send(new GetParametersByPathCommand({ Path: ctx.path, Recursive: true, MaxResults: 10, NextToken: token })));
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
;// CONCATENATED MODULE: ./packages/core/src/log-safe.ts
// Text that came from AWS or GitHub (alias descriptions, alarm StateReasons, record fields) must never
// reach a log line raw: the runner reads any line that starts with `::` as a workflow command, so a
// newline followed by `::stop-commands::` or `::error::` in someone else's text would forge annotations
// or switch off the step's own. One rule for every entry point: control characters become one space,
// every `::` becomes `: :` (visible to a reader, never a command, wherever the text lands in the line),
// and the text is cut to a length one log line can hold.
/** Longest piece of foreign text one log line carries; longer text is cut and marked with `…`. */
const LOG_SAFE_MAX = 500;
/** Longest foreign text kept in one whole log line (a bake's verdict, an AWS message with its context). */
const LOG_LINE_MAX = 4000;
/**
 * `text` as one harmless log fragment: no control characters (C0, DEL, C1, and the Unicode line and
 * paragraph separators), no `::` that the runner could read as a command, at most `max` characters.
 */
function log_safe_logSafe(text, max = LOG_SAFE_MAX) {
    const raw = text === null || text === undefined ? '' : String(text);
    // eslint-disable-next-line no-control-regex
    const oneLine = raw.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/::/g, ': :');
    return oneLine.length > max ? `${oneLine.slice(0, Math.max(0, max - 1))}…` : oneLine;
}

// EXTERNAL MODULE: ./packages/core/src/rollout.ts
var rollout = __webpack_require__(4980);
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
        super(`access denied: ${action} on ${resource} in ${region}; the role lacks this permission (see iam/ for the policy of this path): ${log_safe_logSafe(awsMessage, 400)}`);
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
async function readAlias(ctx, target) {
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
    return new LambdaDeployError(target.region, target.functionName, target.alias, rule, detail, describeAlias(current), handCommand(ctx, target.region, version ?? stableOf(current), `${rule} on ${target.functionName}`));
}
function settingsOf(config, version) {
    return { version, role: config.Role, deadLetterTarget: config.DeadLetterConfig?.TargetArn };
}
async function versionSettings(ctx, target, version, known) {
    const cached = known?.get(version);
    if (cached)
        return cached;
    const config = await lambda_call(ctx, target.region, 'GetFunctionConfiguration', resourceOf(target.functionName, version), () => ctx.clients.lambda(target.region).send(new GetFunctionConfigurationCommand({ FunctionName: target.functionName, Qualifier: version })));
    return { version, role: config.Role, deadLetterTarget: config.DeadLetterConfig?.TargetArn };
}
async function aliasProvisionedConcurrency(ctx, target) {
    try {
        const config = await lambda_call(ctx, target.region, 'GetProvisionedConcurrencyConfig', resourceOf(target.functionName, target.alias), () => ctx.clients
            .lambda(target.region)
            .send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: target.functionName, Qualifier: target.alias })));
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
    const before = guarded ? known.alias : await readAlias(ctx, target);
    const decision = decide(before, intent, {
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
                await lambda_call(ctx, target.region, 'CreateAlias', resourceOf(target.functionName, target.alias), () => lambda.send(new CreateAliasCommand({
                    FunctionName: target.functionName,
                    Name: target.alias,
                    FunctionVersion: config.functionVersion,
                    Description: config.description,
                    ...(Object.keys(config.weights).length > 0 ? { RoutingConfig: routingInput(config.weights) } : {}),
                })));
            }
            else {
                await lambda_call(ctx, target.region, 'UpdateAlias', resourceOf(target.functionName, target.alias), () => lambda.send(new UpdateAliasCommand({
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
            const raced = decision.create && name === 'ResourceConflictException' ? await readAlias(ctx, target).catch(() => null) : null;
            if (name === 'PreconditionFailedException' || raced) {
                const now = raced ?? (await readAlias(ctx, target).catch(() => null));
                if (now && routingMatches(now, config.functionVersion, config.weights) && now.description === config.description) {
                    // Our own write landed and its answer was lost; the SDK's retry then met the new RevisionId.
                    ctx.logger.info(`${target.region} ${target.functionName}:${target.alias}: ${decision.transition} done (the write landed before a lost answer)`);
                    return { target, wrote: true, transition: decision.transition, before, after: now };
                }
                throw fail(ctx, target, 'alias-changed-concurrently', `the alias changed between our read and our write (RevisionId ${before?.revision ?? 'none'}); nothing was written. Read before: ${describeAlias(before)}. Read now: ${describeAlias(now)}`, now);
            }
            if (name === 'ResourceConflictException' && attempt < ctx.conflictRetries) {
                const wait = ctx.conflictDelayMs * 2 ** attempt;
                ctx.logger.warn(`${target.region} ${target.functionName}:${target.alias}: update in progress (409), retrying in ${wait} ms (${attempt + 1}/${ctx.conflictRetries})`);
                await ctx.sleep(wait);
                continue;
            }
            const current = await readAlias(ctx, target).catch(() => before);
            if (error instanceof AccessDeniedError)
                throw fail(ctx, target, 'access-denied', `${decision.transition} failed: ${error.message}`, current);
            throw fail(ctx, target, name === 'ResourceConflictException' ? 'update-in-progress' : 'write-failed', `${decision.transition} failed: ${logSafe(error.message, 400)}`, current);
        }
    }
    const after = await readAlias(ctx, target);
    if (!after || !routingMatches(after, config.functionVersion, config.weights) || after.description !== config.description) {
        throw fail(ctx, target, 'read-back-mismatch', `after ${decision.transition} the alias reads ${describeAlias(after)}, expected ${describeAlias({ version: config.functionVersion, weights: config.weights, record: { kind: 'record', record: config.record } })}`, after);
    }
    ctx.logger.info(`${target.region} ${target.functionName}:${target.alias}: ${decision.transition} done (${describeAlias(after)})`);
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

;// CONCATENATED MODULE: ./packages/aws/src/release-state.ts



function releaseStateContext(options = {}) {
    const clients = options.clients ?? new AwsClients({ caller: 'plan' });
    return { lambda: lambdaContext({ clients, ...(options.logger ? { logger: options.logger } : {}) }), store: storeContext({ clients, ...(options.storePath ? { path: options.storePath } : {}) }) };
}
/** Every region's snapshot; a read that fails throws (the loop never decides on a partial picture). */
async function readReleaseState(ctx, request) {
    const regions = [...new Set(request.regions)];
    const results = await forEachTarget(regions.map((region) => ({ region })), async ({ region }) => {
        const aliases = [];
        for (const fn of request.functions) {
            const view = await readAlias(ctx.lambda, { region, functionName: fn, alias: request.alias });
            if (!view)
                throw new Error(`alias ${request.alias} of ${fn} does not exist in ${region}`);
            aliases.push({
                function: fn,
                version: view.version,
                weights: view.weights,
                revision: view.revision,
                description: view.description,
                record: view.record.kind === 'record' ? view.record.record : null,
                corrupt: view.record.kind === 'corrupt' ? view.record.reason : null,
            });
        }
        const stored = await readDeployment(ctx.store, region, { service: request.service, alias: request.alias, functions: request.functions });
        if (stored && !stored.ok)
            throw new Error(`the guardian's store entry ${stored.name} in ${region} cannot be read: ${stored.problem}`);
        const entry = stored?.ok ? { wave: stored.entry.wave, commit: stored.entry.commit, run: stored.entry.run, lease: stored.entry.lease, at: stored.entry.at } : null;
        return { region, aliases, entry };
    });
    const out = {};
    for (const r of results) {
        if (!r.ok)
            throw new Error(`${r.target.region}: cannot read the release state: ${r.error instanceof Error ? r.error.message : String(r.error)}`);
        out[r.target.region] = r.value;
    }
    return out;
}

// EXTERNAL MODULE: ./packages/github/src/summary.ts
var summary = __webpack_require__(7669);
;// CONCATENATED MODULE: ./actions/plan/src/next.ts








/** The waves of `stage` as the loop sees them; the error names the input. */
function loopWaves(config, stage) {
    const waves = (0,planner/* planWaves */.Kc)(config).filter((w) => w.stage === stage);
    if (waves.length === 0)
        throw new Error(`input stage: "${stage}" is not a stage of the config (stages: ${config.stages.map((s) => s.name).join(', ')})`);
    return waves.map((w) => ({ id: w.id, stage: w.stage, regions: w.regions, traffic: w.traffic, bakeMs: w.bake.durationMs }));
}
async function decideNext(config, request) {
    const waves = loopWaves(config, request.stage);
    const planned = (0,planner/* planWaves */.Kc)(config).filter((w) => w.stage === request.stage);
    const regions = [...new Set(waves.flatMap((w) => w.regions))];
    const clients = new AwsClients({ caller: 'plan' });
    const storePath = process.env.SAFE_DEPLOY_STORE_PATH?.trim();
    const ctx = releaseStateContext({ clients, ...(storePath ? { storePath } : {}) });
    const snapshot = await readReleaseState(ctx, { service: config.service, alias: config.alias, functions: config.functions, regions });
    // A bake is due after its duration, the longest function timeout (of the version each alias serves)
    // and the metrics delay: bake-gate verify would otherwise watch out the rest itself.
    const timeouts = await readFunctionTimeouts(clients, Object.values(snapshot).flatMap((r) => r.aliases.map((a) => ({ region: r.region, function: a.function, version: a.record?.candidate ?? a.version }))));
    const settleMs = timeouts.maxMs + Math.max(...planned.map((w) => w.bake.metricsDelayMs));
    const window = (0,windows/* checkWindow */.pr)(config.windows, request.nowMs);
    const state = {
        service: config.service,
        alias: config.alias,
        waves,
        regions: snapshot,
        candidate: request.candidate || null,
        nowMs: request.nowMs,
        settleMs,
        window: { open: window.open, reason: window.reason, nextOpenMs: window.nextOpenMs },
    };
    return { state, result: (0,next_step/* nextSteps */.Z)(state) };
}
/**
 * One entry per bake to verify, with exactly the bake-gate inputs it needs (a matrix leg of loop.yml):
 * the deployment rebuilt from the aliases and the wave's bake from the config.
 */
function verifyEntries(config, steps) {
    const planned = (0,planner/* planWaves */.Kc)(config);
    return steps.flatMap((s) => {
        const wave = planned.find((w) => w.id === s.wave);
        if (s.kind !== 'verify' || !wave)
            return [];
        const json = (0,planner/* waveJson */.GJ)(wave);
        const bounds = config.alarms.onebox;
        return [{
                wave: s.wave,
                commit: s.commit,
                deployment: JSON.stringify(s.deployment),
                duration: json.duration,
                'min-invocations': String(json['min-invocations']),
                'metrics-delay': json['metrics-delay'],
                alarms: config.alarms.rollback.join(','),
                'max-error-rate': wave.onebox && bounds.errorRate !== undefined ? (0,units/* formatShare */.T1)(bounds.errorRate) : '',
                'max-p99-duration': wave.onebox && bounds.p99DurationMs !== undefined ? (0,units/* formatDuration */.a3)(bounds.p99DurationMs) : '',
            }];
    });
}
/** The job summary: one row per wave with what it holds and what happens next. */
function nextMarkdown(state, result) {
    const lines = [`## safe-deploy next step: ${state.service} ${state.waves[0]?.stage ?? ''}`, ''];
    lines.push(`Candidate from the stage before: ${state.candidate ? `\`${(0,summary/* cellText */.Ie)(state.candidate.slice(0, 12))}\`` : 'none'} · deploy window: ${(0,summary/* cellText */.Ie)(state.window.reason)}`, '');
    lines.push('| wave | regions | holds | next |', '| --- | --- | --- | --- |');
    for (const wave of state.waves) {
        const holds = [...new Set(wave.regions.flatMap((r) => (state.regions[r]?.aliases ?? []).map((a) => (a.record ? `${a.record.commit} ${a.record.state} ${Math.round(a.record.weight * 1000) / 10}%` : `v${a.version} (no record)`))))];
        const steps = result.steps.filter((s) => s.wave === wave.id).map((s) => `**${s.kind}** ${s.reason}`);
        lines.push(`| ${wave.id} | ${wave.regions.join(', ')} | ${(0,summary/* cellText */.Ie)(holds.join('; '))} | ${(0,summary/* cellText */.Ie)(steps.join('; ') || 'at rest, nothing new')} |`);
    }
    lines.push('', result.nextRunMs !== null ? `Next run due: ${new Date(result.nextRunMs).toISOString()}.` : 'Nothing pending.', '');
    return lines.join('\n');
}


/***/ })

};
