export const id = 685;
export const ids = [685];
export const modules = {

/***/ 4635:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  FD: () => (/* binding */ HOSTED_JOB_LIMIT_MS),
  aw: () => (/* binding */ ONEBOX_LIMIT),
  q0: () => (/* binding */ describe),
  o4: () => (/* binding */ parseConfig),
  it: () => (/* binding */ stageSchema),
  VP: () => (/* binding */ unknownKeyMessage)
});

// UNUSED EXPORTS: DEFAULT_MAX_WAVE_SIZE, DEFAULT_METRICS_DELAY_MS, DEFAULT_ONEBOX_TRAFFIC, KNOWN_KEYS, ONEBOX_BAKE_DEFAULTS, STAGE_BAKE_DEFAULTS, configJsonSchema, configSchema, configToJson, parseAlarmRef

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
// EXTERNAL MODULE: ./node_modules/zod/v4/core/core.js
var core = __webpack_require__(8532);
// EXTERNAL MODULE: ./packages/core/src/units.ts
var units = __webpack_require__(5294);
// EXTERNAL MODULE: ./packages/core/src/regions.ts
var regions = __webpack_require__(5388);
;// CONCATENATED MODULE: ./packages/core/src/judge.ts
// The judge: is the candidate's error rate worse than the stable version's, in the same window,
// with a false-positive rate that holds however often it is asked?
//
// Pure: counts in, a verdict and one line out.
//
// The maths. Lambda gives, per function and region, Invocations and Errors of each version behind
// the alias (`ExecutedVersion`): n_c, e_c for the candidate and n_s, e_s for the stable version, in
// the same window. Both versions see the same requests at the same time, so what differs between
// them is the code. Condition on the total number of errors E = e_c + e_s: if both versions fail at
// the same rate (the null hypothesis), each error is the candidate's with probability equal to its
// share of the invocations, π0 = n_c / (n_c + n_s), whatever that rate is (an exact law would be
// hypergeometric; the binomial is its slightly wider approximation, so the test errs on the side of
// not firing). If the candidate fails θ times as often, that probability is
//
//   π(θ) = θ n_c / (θ n_c + n_s).
//
// The likelihood ratio of "θ" against "equal" after the errors seen so far is
//
//   L(θ) = (π(θ)/π0)^e_c · ((1 − π(θ))/(1 − π0))^e_s,
//
// a product over the errors in the order they came, so under the null hypothesis it is a
// martingale with mean 1 whichever error is next. The judge averages it over a set of effects
// worth stopping for (a mixture): θ_k = m · √2^k, k = 0..K−1, from the configured minimum effect m
// (for example 1.5×) up to 32·m, with equal weights 1/K,
//
//   M = Σ_k L(θ_k) / K.
//
// A mixture of martingales is a martingale, and Ville's inequality bounds the chance that a
// non-negative martingale of mean 1 EVER reaches 1/α by α. So the judge may look at every poll, as
// often as it likes, and stop the first time M ≥ 1/α: a healthy candidate is failed with
// probability at most α over the whole bake (an "anytime-valid" sequential probability ratio test,
// with a mixture in place of a single alternative). With several functions and regions judged
// in one bake, each is judged at α / (their number), so the bake as a whole keeps α. On the log
// scale the statistic is ln M and the threshold ln(targets / α).
//
// What this buys: at low traffic one error is not "a 50% error rate" (the test knows how little
// two invocations say), and at high traffic a doubling of a 0.1% error rate is seen, which no
// absolute threshold catches. The price: a candidate must be worse by about the minimum effect or
// more to be stopped soon, and a stable version with no traffic (a full wave, the candidate takes
// 100%) leaves nothing to compare with.
//
// Planning. With the stable version's recent error rate p and the candidate's share w, a candidate
// that fails exactly m times as often and behaves exactly on average is stopped once its expected
// counts (e_c = n_c m p, e_s = n_c (1−w)/w · p) push ln M over the threshold: `plannedInvocations`
// finds that n_c. About half the candidates at exactly m are stopped by then (the other half a
// little later), larger effects much sooner. `detectableEffect` answers the reverse question: with
// the traffic a region will have, which effect can be stopped.
//
// Latency: the candidate's p99 against the stable's, only once both versions have at least
// LATENCY_MIN_SAMPLE invocations (a handful of cold starts is far below 1% of a thousand) and only
// when the candidate is slower by more than the margin AND by at least LATENCY_MIN_DIFF_MS.

const DEFAULT_FALSE_POSITIVE_RATE = 0.05;
const DEFAULT_MIN_EFFECT = 1.5;
/** Effects in the mixture: from the minimum effect up by factors of √2, this many (up to 32 times the minimum). */
const MIXTURE_POINTS = 11;
/** Both versions need this many invocations in the window before their p99s are compared. */
const LATENCY_MIN_SAMPLE = 1000;
/** The candidate's p99 must also exceed the stable's by at least this (10 ms against 8 ms is noise). */
const LATENCY_MIN_DIFF_MS = 10;
/** Checks and fills the judge's settings; names the input in the error. */
function judgeSettings(input) {
    const falsePositiveRate = input.falsePositiveRate ?? DEFAULT_FALSE_POSITIVE_RATE;
    const minEffect = input.minEffect ?? DEFAULT_MIN_EFFECT;
    if (!(falsePositiveRate > 0 && falsePositiveRate < 0.5)) {
        throw new Error(`false-positive-rate must be above 0% and below 50% (got ${Math.round(falsePositiveRate * 10_000) / 100}%); 5% is usual`);
    }
    if (!(minEffect > 1 && minEffect <= 100))
        throw new Error(`min-effect must be above 1x and at most 100x (got ${minEffect}x)`);
    return { falsePositiveRate, minEffect };
}
/**
 * Parses a relative effect: `1.5x` (or `1.5×`) is one and a half times the stable version's error
 * rate, `50%` is the same written as an increase. A bare number is refused.
 */
function parseEffect(text) {
    const value = text.trim();
    const times = /^(\d+(?:\.\d+)?)\s*[x×]$/i.exec(value);
    if (times) {
        const ratio = Number(times[1]);
        if (!(ratio > 1))
            throw new units/* UnitError */.tR(`"${text}" is no increase; write a ratio above 1x such as 1.5x, or an increase such as 50%`);
        return ratio;
    }
    const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
    if (percent) {
        const increase = Number(percent[1]);
        if (!(increase > 0))
            throw new units/* UnitError */.tR(`"${text}" is no increase; write an increase above 0% such as 50%, or a ratio such as 1.5x`);
        return 1 + increase / 100;
    }
    throw new units/* UnitError */.tR(`"${text}" is not an effect; write a ratio of error rates such as 1.5x or 2x, or an increase such as 50%`);
}
/** `1.5x`. */
function judge_formatEffect(ratio) {
    return `${Math.round(ratio * 100) / 100}x`;
}
/** The effects the mixture averages over, from the minimum effect up. */
function effectGrid(minEffect) {
    return Array.from({ length: MIXTURE_POINTS }, (_, k) => minEffect * Math.SQRT2 ** k);
}
/** ln of the mixture likelihood ratio for `e_c` of `e_c + e_s` errors on a candidate with share π0 (real-valued counts allowed). */
function logMixture(grid, share, candidateErrors, stableErrors) {
    if (!(share > 0 && share < 1))
        return 0;
    const terms = grid.map((theta) => {
        const pi = (theta * share) / (theta * share + 1 - share);
        // e_s · ln((1−π)/(1−π0)); written with log1p so tiny shares stay exact.
        const stablePart = stableErrors === 0 ? 0 : stableErrors * (Math.log1p(-pi) - Math.log1p(-share));
        return candidateErrors * Math.log(pi / share) + stablePart;
    });
    const top = Math.max(...terms);
    return top + Math.log(terms.reduce((sum, t) => sum + Math.exp(t - top), 0)) - Math.log(grid.length);
}
/** ln(targets / α): the evidence at which the candidate is stopped, with α split over the targets judged. */
function judgeThreshold(settings, targets = 1) {
    return Math.log(Math.max(1, targets) / settings.falsePositiveRate);
}
/** The judgement of one function in one region on its cumulative counts. */
function judgeErrors(settings, counts, targets = 1) {
    const threshold = judgeThreshold(settings, targets);
    const total = counts.candidateInvocations + counts.stableInvocations;
    const applicable = counts.candidateInvocations > 0 && counts.stableInvocations > 0;
    if (!applicable)
        return { applicable, statistic: 0, threshold, fired: false, share: total > 0 ? counts.candidateInvocations / total : 0, ratio: null };
    const share = counts.candidateInvocations / total;
    const statistic = logMixture(effectGrid(settings.minEffect), share, counts.candidateErrors, counts.stableErrors);
    const ratio = counts.candidateErrors + counts.stableErrors === 0
        ? null
        : counts.stableErrors === 0
            ? Infinity
            : counts.candidateErrors / counts.candidateInvocations / (counts.stableErrors / counts.stableInvocations);
    return { applicable, statistic, threshold, fired: statistic >= threshold, share, ratio };
}
function pct(value) {
    return `${Math.round(value * 10_000) / 100}%`;
}
/** One line: the counts, the statistic and the threshold. */
function judgementText(counts, j) {
    const c = `${counts.candidateErrors}/${counts.candidateInvocations}`;
    const s = `${counts.stableErrors}/${counts.stableInvocations}`;
    if (!j.applicable)
        return `candidate ${c}, stable ${s}: nothing to compare with`;
    const ratio = j.ratio === null ? '' : j.ratio === Infinity ? ', ratio ∞' : `, ratio ${judge_formatEffect(j.ratio)}`;
    return `candidate ${c} (${pct(counts.candidateErrors / counts.candidateInvocations)}) vs stable ${s} (${pct(counts.stableErrors / counts.stableInvocations)})${ratio}, evidence ${j.statistic.toFixed(2)} / ${j.threshold.toFixed(2)}`;
}
/** The counts a candidate exactly `ratio` times worse is expected to show after `n` invocations at share `w`. */
function expectedEvidence(settings, errorRate, share, n, ratio) {
    const stableInvocations = (n * (1 - share)) / share;
    return logMixture(effectGrid(settings.minEffect), share, n * ratio * errorRate, stableInvocations * errorRate);
}
/**
 * Candidate invocations after which a candidate at exactly `min-effect` times the stable's error
 * rate, behaving exactly on average, is stopped; null when the stable version shows no errors (the
 * judge then stops the candidate on its own first few errors) or the share is not a split.
 */
function plannedInvocations(settings, errorRate, share, targets = 1) {
    if (!(errorRate > 0 && errorRate * settings.minEffect < 1) || !(share > 0 && share < 1))
        return null;
    const threshold = judgeThreshold(settings, targets);
    let lo = 1;
    let hi = 2;
    while (expectedEvidence(settings, errorRate, share, hi, settings.minEffect) < threshold) {
        hi *= 2;
        if (hi > 1e15)
            return null;
    }
    while (hi - lo > Math.max(1, lo * 0.001)) {
        const mid = (lo + hi) / 2;
        if (expectedEvidence(settings, errorRate, share, mid, settings.minEffect) >= threshold)
            hi = mid;
        else
            lo = mid;
    }
    return Math.ceil(hi);
}
/** The smallest effect (ratio) a candidate with `n` invocations at share `w` is expected to be stopped for; null beyond 1000x. */
function detectableEffect(settings, errorRate, share, n, targets = 1) {
    if (!(errorRate > 0) || !(share > 0 && share < 1) || !(n > 0))
        return null;
    const threshold = judgeThreshold(settings, targets);
    const at = (ratio) => expectedEvidence(settings, errorRate, share, n, Math.min(ratio, 1 / errorRate));
    if (at(1000) < threshold)
        return null;
    let lo = 1;
    let hi = 1000;
    while (hi - lo > 0.005) {
        const mid = (lo + hi) / 2;
        if (at(mid) >= threshold)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}
/**
 * The latency rule: the candidate's p99 is above the stable's by more than `margin` (0.2 = 20%)
 * and by at least LATENCY_MIN_DIFF_MS, with both versions at LATENCY_MIN_SAMPLE invocations or
 * more. Returns why it fired, or null.
 */
function latencyVerdict(candidate, stable, margin) {
    if (!stable || candidate.p99Ms === null || stable.p99Ms === null)
        return null;
    if (candidate.invocations < LATENCY_MIN_SAMPLE || stable.invocations < LATENCY_MIN_SAMPLE)
        return null;
    const limit = Math.max(stable.p99Ms * (1 + margin), stable.p99Ms + LATENCY_MIN_DIFF_MS);
    if (candidate.p99Ms <= limit)
        return null;
    return `p99 duration ${Math.round(candidate.p99Ms)}ms (${candidate.invocations} invocations) is above the stable's ${Math.round(stable.p99Ms)}ms (${stable.invocations} invocations) by more than ${Math.round(margin * 100)}%`;
}
function count(n) {
    return Math.round(n).toLocaleString('en-US');
}
function minutes(ms) {
    const m = Math.round(ms / 60_000);
    return m < 120 ? `${m} min` : `${Math.round(m / 6) / 10} h`;
}
/**
 * Plans, from the stable version's recent traffic, the candidate traffic each target needs for the
 * judge to see the minimum effect: a target whose plan is met by max-wait bakes until it has that
 * traffic (a quiet region bakes longer); one that cannot get it by max-wait is told so, with the
 * effect it can see, and keeps min-invocations.
 */
function planTraffic(settings, targets, bake) {
    const planned = {};
    const lines = [];
    const effect = judge_formatEffect(settings.minEffect);
    for (const t of targets) {
        const key = `${t.region}/${t.function}`;
        const who = `${t.function} in ${t.region}`;
        const b = t.baseline;
        if (t.share >= 1) {
            lines.push(`${who}: the candidate takes all the traffic, so the stable version has none in the same window to compare with; the judge cannot run (alarms and thresholds still do)`);
            continue;
        }
        if (!b || b.invocations <= 0 || b.windowMs <= 0) {
            lines.push(`${who}: no recent traffic of the stable version${b ? ` in the ${minutes(b.windowMs)} before the shift` : ''}, so no plan; the judge still compares both versions as they serve`);
            continue;
        }
        const p = b.errors / b.invocations;
        const rate = (b.invocations / b.windowMs) * t.share;
        const byDuration = rate * bake.durationMs;
        const byMaxWait = rate * bake.maxWaitMs;
        const recent = `the stable version served ${count(b.invocations)} invocations with ${count(b.errors)} errors (${pct(p)}) in the ${minutes(b.windowMs)} before the shift`;
        const need = plannedInvocations(settings, p, t.share, targets.length);
        if (b.errors === 0 || need === null) {
            lines.push(`${who}: ${recent}; with no errors to compare with, the judge stops the candidate on its own first few errors; no extra traffic planned`);
            continue;
        }
        const expect = `the candidate should get about ${count(byDuration)} in the ${minutes(bake.durationMs)} duration and ${count(byMaxWait)} by max-wait (${minutes(bake.maxWaitMs)})`;
        if (need <= byMaxWait) {
            if (need > bake.minInvocations)
                planned[key] = need;
            const longer = need > byDuration ? `: bakes longer, about ${minutes(need / rate)}` : ': judged within the duration';
            lines.push(`${who}: ${recent}; seeing ${effect} its error rate takes about ${count(need)} candidate invocations at ${pct(t.share)}, ${expect}${longer}`);
        }
        else {
            const can = detectableEffect(settings, p, t.share, byMaxWait, targets.length);
            lines.push(`${who}: ${recent}; seeing ${effect} its error rate takes about ${count(need)} candidate invocations at ${pct(t.share)}, but ${expect}: it cannot be judged at ${effect} in its window` +
                (can === null ? '' : `; it can see about ${judge_formatEffect(can)} or more`));
        }
    }
    return { planned, lines };
}

;// CONCATENATED MODULE: ./packages/core/src/windows.ts
// Deploy windows: may a stage start now, and if not, when?
//
//   checkWindow(config.windows, Date.now()) -> { open, reason, nextOpenMs, ... }
//
// A stage may start when the instant, read on the wall clock of `windows.timezone`, is inside one
// of the weekly `allow` windows (none listed: any time) and its local date is outside every
// `freeze` range. Wall-clock hours follow daylight saving time: `Mon-Thu 09:00-16:00` in
// America/Los_Angeles opens at 09:00 local before and after the change. Pure: the time zone
// rules come from `Intl`, the instant from the caller.
//
// Grammar (parsed by parseAllowWindow / parseFreeze, used by the config schema):
//   allow:  "<days> <HH:MM>-<HH:MM>"   days: Mon, Mon-Thu, Fri-Mon (wraps the week), Mon,Wed,Fri, daily
//           The days name the day the window STARTS; an end at or before the start wraps past
//           midnight (`Sun-Thu 22:00-02:00`). `24:00` ends at midnight. Days may be left out (daily).
//   freeze: "2026-12-20..2027-01-04" (both dates inclusive) or one date "2026-11-26".
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const LONG_DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const SHORT = (/* unused pure expression or super */ null && (['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']));
const DAY = 86_400_000;
/** How far ahead nextOpenMs looks (a freeze can be long; a config that never opens is reported as null). */
const HORIZON_DAYS = 731;
function dayIndex(text) {
    const lower = text.toLowerCase();
    const index = DAY_NAMES.indexOf(lower) >= 0 ? DAY_NAMES.indexOf(lower) : LONG_DAY_NAMES.indexOf(lower);
    if (index < 0)
        throw new Error(`"${text}" is not a day; write Mon, Tue, Wed, Thu, Fri, Sat or Sun`);
    return index;
}
function parseDays(text) {
    const lower = text.toLowerCase();
    if (lower === 'daily' || lower === '*' || lower === 'every day')
        return [0, 1, 2, 3, 4, 5, 6];
    const days = new Set();
    for (const part of text.split(',')) {
        const item = part.trim();
        if (item === '')
            throw new Error(`"${text}" has an empty day; separate days with commas (Mon,Wed,Fri)`);
        const range = item.split('-');
        if (range.length === 1) {
            days.add(dayIndex(item));
        }
        else if (range.length === 2) {
            const from = dayIndex(range[0].trim());
            const to = dayIndex(range[1].trim());
            for (let day = from;; day = (day + 1) % 7) {
                days.add(day);
                if (day === to)
                    break;
            }
        }
        else {
            throw new Error(`"${item}" is not a day range; write Mon-Thu`);
        }
    }
    return [...days].sort((a, b) => a - b);
}
function parseClock(text, allow24) {
    const match = /^(\d{1,2}):(\d{2})$/.exec(text);
    if (!match)
        throw new Error(`"${text}" is not a time; write HH:MM on a 24-hour clock, such as 09:00 or 16:30`);
    const hours = Number(match[1]);
    const minutes = Number(match[2]);
    if (allow24 && hours === 24 && minutes === 0)
        return 1440;
    if (hours > 23 || minutes > 59)
        throw new Error(`"${text}" is not a time of day; hours go 00..23 and minutes 00..59${allow24 ? ' (24:00 ends at midnight)' : ''}`);
    return hours * 60 + minutes;
}
/** Parses `Mon-Thu 09:00-16:00` (see the grammar at the top). Throws with a message that says what to write. */
function parseAllowWindow(text) {
    const value = text.trim();
    const match = /^(?:(.*?)\s+)?(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(value);
    if (!match)
        throw new Error(`"${text}" is not a weekly window; write days and hours such as "Mon-Thu 09:00-16:00"`);
    const days = match[1] === undefined ? parseDays('daily') : parseDays(match[1]);
    const startMinute = parseClock(match[2], false);
    const endMinute = parseClock(match[3], true);
    if (startMinute === endMinute)
        throw new Error(`"${text}" starts and ends at the same time; for a whole day write 00:00-24:00`);
    return { text: value, days, startMinute, endMinute };
}
function checkDate(text, whole) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!match)
        throw new Error(`"${whole}" is not a freeze; write a date (2026-11-26) or an inclusive range (2026-12-20..2027-01-04)`);
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
        throw new Error(`${text} is not a calendar date`);
    return text;
}
/** Parses `2026-12-20..2027-01-04` or `2026-11-26` into an inclusive local date range. */
function parseFreeze(text) {
    const value = text.trim();
    const parts = value.split('..');
    if (parts.length > 2)
        throw new Error(`"${text}" is not a freeze; write a date (2026-11-26) or an inclusive range (2026-12-20..2027-01-04)`);
    const from = checkDate(parts[0].trim(), text);
    const to = checkDate(parts[parts.length - 1].trim(), text);
    if (to < from)
        throw new Error(`freeze ${value} ends before it starts`);
    return { text: value, from, to };
}
// ---------------------------------------------------------------------------------------------
// Wall clock of a time zone.
const formatters = new Map();
function formatter(timeZone) {
    let format = formatters.get(timeZone);
    if (!format) {
        format = new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
        });
        formatters.set(timeZone, format);
    }
    return format;
}
/** True for a time zone `Intl` knows (IANA names such as America/Los_Angeles, and UTC). */
function isTimeZone(name) {
    if (typeof name !== 'string' || name.trim() === '')
        return false;
    try {
        formatter(name);
        return true;
    }
    catch {
        return false;
    }
}
function wallClock(timeZone, ms) {
    const parts = {};
    for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
        if (part.type !== 'literal')
            parts[part.type] = Number(part.value);
    }
    const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
    const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
    const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    return { date, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(), minute: hour * 60 + minute, asUtc };
}
function addDays(date, days) {
    const [y, m, d] = date.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d) + days * DAY).toISOString().slice(0, 10);
}
/**
 * The first instant at which the wall clock of `timeZone` reads `date` `minute` or later.
 * A time skipped by a DST change (02:30 on a spring-forward night) maps to the end of the gap;
 * a time that occurs twice (01:30 on a fall-back night) maps to its first occurrence.
 */
function wallToInstant(timeZone, date, minute) {
    const [y, m, d] = date.split('-').map(Number);
    const target = Date.UTC(y, m - 1, d) + minute * 60_000;
    const offsetAt = (ms) => wallClock(timeZone, ms).asUtc - ms;
    const first = target - offsetAt(target);
    const second = target - offsetAt(first);
    const candidates = [first, second, first - 3_600_000, second - 3_600_000].sort((a, b) => a - b);
    for (const candidate of candidates) {
        if (wallClock(timeZone, candidate).asUtc === target)
            return candidate;
    }
    // Skipped by a DST change: find the first minute whose wall clock reads at or after the target.
    let low = Math.min(first, second) - 3_600_000;
    let high = Math.max(first, second) + 3_600_000;
    while (high - low > 60_000) {
        const middle = low + Math.floor((high - low) / 120_000) * 60_000;
        if (wallClock(timeZone, middle).asUtc >= target)
            high = middle;
        else
            low = middle;
    }
    return high;
}
function contains(window, wall) {
    const { days, startMinute, endMinute } = window;
    if (endMinute > startMinute)
        return days.includes(wall.weekday) && wall.minute >= startMinute && wall.minute < endMinute;
    const yesterday = (wall.weekday + 6) % 7;
    return (days.includes(wall.weekday) && wall.minute >= startMinute) || (days.includes(yesterday) && wall.minute < endMinute);
}
function formatWall(timeZone, ms) {
    const wall = wallClock(timeZone, ms);
    const zone = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(new Date(ms)).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
    const hh = String(Math.floor(wall.minute / 60)).padStart(2, '0');
    const mm = String(wall.minute % 60).padStart(2, '0');
    return `${SHORT[wall.weekday]} ${wall.date} ${hh}:${mm} ${zone}`;
}
function stateAt(rules, ms) {
    const wall = wallClock(rules.timezone, ms);
    const freeze = rules.freeze.find((range) => wall.date >= range.from && wall.date <= range.to);
    if (freeze)
        return { open: false, freeze };
    if (rules.allow.length === 0)
        return { open: true };
    const window = rules.allow.find((candidate) => contains(candidate, wall));
    return window ? { open: true, window } : { open: false };
}
/** True when a stage may start at `ms` (inside an allowed window, outside every freeze). */
function isOpen(rules, ms) {
    return stateAt(rules, ms).open;
}
/** When a stage may next start at or after `ms`; null when that is not within two years. */
function nextOpen(rules, ms) {
    if (isOpen(rules, ms))
        return ms;
    const today = wallClock(rules.timezone, ms).date;
    for (let offset = 0; offset <= HORIZON_DAYS; offset++) {
        const date = addDays(today, offset);
        // Changes happen at window starts and at midnight (a freeze ends, a wrapped window continues).
        const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
        const minutes = new Set([0]);
        for (const window of rules.allow)
            if (window.days.includes(weekday))
                minutes.add(window.startMinute);
        const instants = [...minutes].map((minute) => wallToInstant(rules.timezone, date, minute)).sort((a, b) => a - b);
        for (const instant of instants) {
            if (instant > ms && isOpen(rules, instant))
                return instant;
        }
    }
    return null;
}
/**
 * May a stage start at `nowMs`? bake-gate and alarm-check call this before a stage starts and
 * fail as `outside-window` when `open` is false, printing `reason` and `nextOpenMs`.
 */
function checkWindow(rules, nowMs) {
    const state = stateAt(rules, nowMs);
    const localTime = formatWall(rules.timezone, nowMs);
    if (state.open) {
        const reason = state.window ? `${localTime} is inside the deploy window ${state.window.text}` : `${localTime}: no deploy windows or freezes apply`;
        return { open: true, reason, nextOpenMs: nowMs, localTime, ...(state.window ? { window: state.window } : {}) };
    }
    const next = nextOpen(rules, nowMs);
    const when = next === null ? 'no window opens within two years' : `next window opens ${formatWall(rules.timezone, next)} (${new Date(next).toISOString()})`;
    const why = state.freeze
        ? `${localTime} is inside the freeze ${state.freeze.text}`
        : `${localTime} is outside the deploy windows ${rules.allow.map((window) => window.text).join(', ')}`;
    return { open: false, reason: `${why}; ${when}`, nextOpenMs: next, localTime, ...(state.freeze ? { freeze: state.freeze } : {}) };
}

;// CONCATENATED MODULE: ./packages/core/src/config.ts
// The pipeline config of one service (`.github/safe-deploy.yml`): a zod schema that checks the
// document and turns it into a normalized `Config` (durations in milliseconds, shares as fractions,
// defaults filled in). The YAML keys are kebab-case (`min-invocations`); the `Config` is camelCase.
//
// - `configSchema`  the schema; `z.toJSONSchema(configSchema, { io: 'input' })` is schema/safe-deploy.schema.json.
// - `parseConfig`   validates a plain object (already parsed from YAML or JSON) and returns the Config or zod issues.
//   Files go through config-loader.ts, which adds file:line:col to every problem and runs the wave checks.
//
// Checked here: durations (`90s`, `10m`, `1h30m`, `2d`), shares (`5%`), AWS region names of every
// partition, alarm references (`name` or `prefix:...`), a one-box share of at most 10%, unique names,
// one partition per stage, IANA time zones, weekly windows and freeze ranges.
// The rules that relate waves to each other live in planner.ts (`checkWaves`).





/** The largest share of a region's traffic a one-box may take (Amazon's rule: at most 10%). */
const ONEBOX_LIMIT = 0.1;
/** A GitHub-hosted job stops after 6 hours; a `watch` bake longer than this cannot finish on one. */
const HOSTED_JOB_LIMIT_MS = 6 * 3_600_000;
const DEFAULT_MAX_WAVE_SIZE = 8;
// ---------------------------------------------------------------------------------------------
// Leaf values. Each turns a YAML scalar into a value or adds one issue that says what was expected.
function fromText(parse, expected, meta) {
    return schemas/* string */.YjP({ error: (issue) => (issue.input === undefined ? 'is required' : `expected ${expected}, got ${describe(issue.input)}`) })
        .meta(meta)
        .transform((text, ctx) => {
        try {
            return parse(text);
        }
        catch (error) {
            ctx.addIssue({ code: 'custom', message: error.message, input: text });
            return core/* NEVER */.tm;
        }
    });
}
/** A short description of a YAML value for messages: `a number (90)`, `a list`. */
function describe(value) {
    if (value === null)
        return 'nothing (null)';
    if (Array.isArray(value))
        return 'a list';
    if (typeof value === 'object')
        return 'a mapping';
    if (typeof value === 'number')
        return `a number (${value})`;
    if (typeof value === 'boolean')
        return `${value}`;
    return typeof value;
}
const DURATION_PATTERN = '^(0|(\\d+(\\.\\d+)?d)?(\\d+(\\.\\d+)?h)?(\\d+(\\.\\d+)?m)?(\\d+(\\.\\d+)?s)?(\\d+(\\.\\d+)?ms)?)$';
const SHARE_PATTERN = '^\\d+(\\.\\d+)?\\s*%$';
const duration = (description) => fromText(units/* parseDuration */.E9, 'a duration such as 90s, 10m, 1h30m or 2d', { description, pattern: DURATION_PATTERN, examples: ['90s', '10m', '1h30m', '2d'] });
const share = (description) => fromText(units/* parseShare */.n8, 'a percentage such as 5%', { description, pattern: SHARE_PATTERN, examples: ['5%', '10%', '100%'] });
const config_count = (description) => schemas/* number */.aig({ error: (issue) => (issue.input === undefined ? 'is required' : `expected a whole number, got ${describe(issue.input)}`) })
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .meta({ description });
const config_name = (what, pattern, rule, description) => schemas/* string */.YjP({ error: (issue) => (issue.input === undefined ? 'is required' : `expected ${what}, got ${describe(issue.input)}`) })
    .meta({ description, pattern: pattern.source })
    .refine((value) => pattern.test(value), { error: (issue) => `"${String(issue.input)}" is not a valid ${what}: ${rule}` });
function list(item, what, options = {}) {
    let schema = schemas/* array */.YOg(item, { error: (issue) => (issue.input === undefined ? 'is required' : `expected a list of ${what}, got ${describe(issue.input)}`) });
    if (options.min)
        schema = schema.min(options.min, `needs at least ${options.min === 1 ? 'one' : options.min} ${what.replace(/s$/, '')}`);
    if (!options.unique)
        return schema;
    return schema.superRefine((values, ctx) => {
        const seen = new Map();
        values.forEach((value, index) => {
            const key = JSON.stringify(value);
            const first = seen.get(key);
            if (first === undefined)
                seen.set(key, index);
            else
                ctx.addIssue({ code: 'custom', path: [index], message: `${JSON.stringify(value)} is listed twice (also at [${first}])`, input: value });
        });
    });
}
const REGION = schemas/* string */.YjP({ error: (issue) => (issue.input === undefined ? 'is required' : `expected an AWS region name, got ${describe(issue.input)}`) })
    .meta({ description: 'AWS region name, in any partition.', enum: [...regions/* ALL_REGIONS */.mn] })
    .refine((value) => (0,regions/* partitionOf */.iQ)(value) !== undefined, { error: (issue) => (0,regions/* unknownRegionMessage */.Ge)(String(issue.input)) });
const config_regions = (description) => list(REGION, 'regions', { min: 1, unique: true })
    .meta({ description })
    .superRefine((values, ctx) => {
    const first = values[0] === undefined ? undefined : (0,regions/* partitionOf */.iQ)(values[0]);
    values.forEach((value, index) => {
        const partition = (0,regions/* partitionOf */.iQ)(value);
        if (first && partition && partition !== first) {
            ctx.addIssue({ code: 'custom', path: [index], message: `${value} is in partition ${partition} but ${values[0]} is in ${first}; one stage deploys within one partition (one set of credentials)`, input: value });
        }
    });
});
/** Parses an alarm reference: a CloudWatch alarm name, or `prefix:` and the start of alarm names. */
function parseAlarmRef(text) {
    if (text.startsWith('prefix:')) {
        const prefix = text.slice('prefix:'.length);
        if (prefix.trim() === '')
            throw new Error(`"${text}" has an empty prefix; write prefix: and the start of the alarm names, such as prefix:orders-`);
        if (prefix.length > 255)
            throw new Error(`alarm name prefix is ${prefix.length} characters; CloudWatch alarm names have at most 255`);
        return { kind: 'prefix', prefix };
    }
    if (text.trim() === '')
        throw new Error('empty alarm name');
    if (text !== text.trim())
        throw new Error(`"${text}" starts or ends with spaces; CloudWatch matches alarm names exactly`);
    if (text.length > 255)
        throw new Error(`alarm name is ${text.length} characters; CloudWatch alarm names have at most 255`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(text))
        throw new Error(`alarm name "${text}" contains a control character`);
    return { kind: 'name', name: text };
}
const ALARM_REF = fromText((text) => {
    parseAlarmRef(text);
    return text;
}, 'an alarm name or prefix:<start of alarm names>', { description: 'A CloudWatch alarm name, or `prefix:` followed by the start of alarm names.', examples: ['orders-high-severity', 'prefix:orders-'] });
const STAGE_BAKE_DEFAULTS = { durationMs: 30 * 60_000, minInvocations: 100 };
const ONEBOX_BAKE_DEFAULTS = { durationMs: 60 * 60_000, minInvocations: 100 };
const DEFAULT_ONEBOX_TRAFFIC = 0.05;
const bakeFields = {
    duration: duration('How long the candidate must hold its share with no alarm.').optional(),
    'min-invocations': config_count('Invocations of the candidate each region must see before the bake can pass (default 100).').optional(),
    mode: schemas/* enum */.k5n(['watch', 'verify'], { error: (issue) => `expected watch or verify, got ${JSON.stringify(issue.input)}` })
        .meta({ description: '`watch` polls during the bake; `verify` checks the whole window afterwards (for bakes longer than a 6-hour job).' })
        .optional(),
    'max-wait': duration('How long a watch bake may wait for enough traffic before failing as insufficient-traffic (default 3x the duration).').optional(),
    'metrics-delay': duration('How late CloudWatch may still show an invocation\'s metrics after it ended (default 3m): no bake passes before its duration + the longest function timeout + this.').optional(),
};
const DEFAULT_METRICS_DELAY_MS = 3 * 60_000;
function toBake(input, defaults) {
    const durationMs = input?.duration ?? defaults.durationMs;
    return {
        durationMs,
        minInvocations: input?.['min-invocations'] ?? defaults.minInvocations,
        mode: input?.mode ?? 'watch',
        maxWaitMs: input?.['max-wait'] ?? durationMs * 3,
        metricsDelayMs: input?.['metrics-delay'] ?? DEFAULT_METRICS_DELAY_MS,
    };
}
const bakePolicyInput = schemas/* strictObject */.rej(bakeFields).meta({ description: 'A bake: duration, minimum traffic and mode.' });
/** `bake:` of a stage: one policy for every wave, or `{ first, rest }`. */
const stageBakeInput = schemas/* strictObject */.rej({
    ...bakeFields,
    first: bakePolicyInput.optional().meta({ description: 'Bake after the first full-region wave (Amazon: at least 12h in production).' }),
    rest: bakePolicyInput.optional().meta({ description: 'Bake after each later wave (Amazon: 2 to 4 hours).' }),
})
    .superRefine((value, ctx) => {
    if (value.first || value.rest) {
        for (const key of ['duration', 'min-invocations', 'mode', 'max-wait']) {
            if (value[key] !== undefined) {
                ctx.addIssue({ code: 'custom', path: [key], message: `give either one bake (duration, min-invocations, ...) or first/rest, not both; move ${key} into first and rest` });
            }
        }
    }
})
    .meta({ description: 'Bake of each wave: one policy, or `first` (after the first full-region wave) and `rest`. Defaults: 30m, 100 invocations, watch.' });
function toStageBake(input) {
    if (input?.first || input?.rest) {
        return { first: toBake(input.first, STAGE_BAKE_DEFAULTS), rest: toBake(input.rest, STAGE_BAKE_DEFAULTS) };
    }
    const one = toBake(input, STAGE_BAKE_DEFAULTS);
    return { first: one, rest: one };
}
// ---------------------------------------------------------------------------------------------
// Stages.
const oneboxInput = schemas/* strictObject */.rej({
    traffic: share('Share of the first region\'s traffic the one-box takes; at most 10% (default 5%).')
        .refine((value) => value > 0, 'a one-box needs some traffic; write a share above 0%')
        .refine((value) => value <= ONEBOX_LIMIT, { error: (issue) => `${(0,units/* formatShare */.T1)(Number(issue.input))} is above the one-box limit of ${(0,units/* formatShare */.T1)(ONEBOX_LIMIT)}` })
        .optional(),
    bake: bakePolicyInput.optional().meta({ description: 'Bake of the one-box (default 1h, 100 invocations; Amazon: at least 1 hour in production).' }),
})
    .meta({ description: 'A first wave that sends a small share of the first region\'s traffic to the candidate.' });
const explicitWaveInput = schemas/* strictObject */.rej({
    regions: list(REGION, 'regions', { min: 1, unique: true }).meta({ description: 'Regions of this wave.' }),
    traffic: share('Share of each region\'s traffic in this wave: 100% (default) or a one-box share of at most 10%.').optional(),
    bake: bakePolicyInput.optional().meta({ description: 'Bake of this wave (default: the stage\'s one-box, first or rest bake).' }),
})
    .meta({ description: 'One wave: regions and the candidate\'s share of their traffic.' });
const STAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
/** One stage (exported so the loader can check the waves of sound stages while other parts are broken). */
const stageSchema = schemas/* strictObject */.rej({
    name: config_name('stage name', STAGE_NAME, 'letters, digits, - and _, starting with a letter or digit', 'Stage name, such as alpha, beta, gamma or prod.'),
    environment: schemas/* string */.YjP().min(1).optional().meta({ description: 'GitHub environment of the stage (default: the stage name).' }),
    regions: config_regions('Regions in rollout order; put a low-traffic region first.'),
    tests: schemas/* string */.YjP().min(1).optional().meta({ description: 'Command that tests the stage after it is deployed.' }),
    onebox: oneboxInput.optional(),
    bake: stageBakeInput.optional(),
    waves: schemas/* union */.KCZ([schemas/* literal */.euz('auto'), list(explicitWaveInput, 'waves', { min: 1 })], { error: 'expected auto or a list of waves ({ regions, traffic, bake })' })
        .optional()
        .meta({ description: '`auto` (default): one-box, the first region, the next region alone, then 2, 4, 8 regions at a time. Or an explicit list checked by the same rules.' }),
    'max-wave-size': schemas/* number */.aig({ error: (issue) => `expected a whole number, got ${describe(issue.input)}` })
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .optional()
        .meta({ description: 'Most regions in one automatic wave (default 8).' }),
})
    .transform((input) => {
    const stage = {
        name: input.name,
        environment: input.environment ?? input.name,
        regions: input.regions,
        bake: toStageBake(input.bake),
        waves: input.waves === undefined || input.waves === 'auto'
            ? 'auto'
            : input.waves.map((wave) => ({ regions: wave.regions, traffic: wave.traffic ?? 1, ...(wave.bake ? { bake: toBake(wave.bake, STAGE_BAKE_DEFAULTS) } : {}) })),
        maxWaveSize: input['max-wave-size'] ?? DEFAULT_MAX_WAVE_SIZE,
    };
    if (input.tests !== undefined)
        stage.tests = input.tests;
    if (input.onebox)
        stage.onebox = { traffic: input.onebox.traffic ?? DEFAULT_ONEBOX_TRAFFIC, bake: toBake(input.onebox.bake, ONEBOX_BAKE_DEFAULTS) };
    return stage;
});
// ---------------------------------------------------------------------------------------------
// The document.
/** Every key the file may use anywhere (a test keeps this equal to the JSON Schema's keys). */
const KNOWN_KEYS = [
    'version', 'service', 'alias', 'functions', 'stages', 'alarms', 'windows',
    'name', 'environment', 'regions', 'tests', 'onebox', 'bake', 'waves', 'max-wave-size',
    'traffic', 'duration', 'min-invocations', 'mode', 'max-wait', 'metrics-delay', 'first', 'rest',
    'block', 'rollback', 'error-rate', 'p99-duration', 'timezone', 'allow', 'freeze',
    'unqualified-triggers', 'judge', 'false-positive-rate', 'min-effect', 'max-p99-over-stable',
];
/** The message for a key the schema does not know, with the key that was probably meant. */
function unknownKeyMessage(key, allowed) {
    const normal = key.toLowerCase().replace(/_/g, '-');
    const candidates = allowed ?? KNOWN_KEYS;
    const best = candidates
        .map((candidate) => ({ candidate, d: candidate === normal ? 0 : (0,regions/* editDistance */.YC)(normal, candidate) }))
        .filter(({ d }) => d <= 2)
        .sort((a, b) => a.d - b.d)[0];
    return best ? `unknown key "${key}"; did you mean "${best.candidate}"?` : `unknown key "${key}"`;
}
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const ALIAS_NAME = /^(?!\d+$)[A-Za-z0-9_-]{1,128}$/;
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const alarmsInput = schemas/* strictObject */.rej({
    block: list(ALARM_REF, 'alarm references', { unique: true }).default([]).meta({ description: 'Alarms that must be OK before any stage starts (the aggregate high-severity alarm).' }),
    rollback: list(ALARM_REF, 'alarm references', { unique: true }).default([]).meta({ description: 'Alarms watched during every shift and bake; one firing rolls back.' }),
    onebox: schemas/* strictObject */.rej({
        'error-rate': share('Highest error rate of the candidate version during a one-box bake.').optional(),
        'p99-duration': duration('Highest p99 duration of the candidate version during a one-box bake.').optional(),
    })
        .default({})
        .meta({ description: 'Bounds on the candidate version\'s own metrics during a one-box bake.' }),
})
    .meta({ description: 'CloudWatch alarms that block a stage or roll it back.' });
const windowsInput = schemas/* strictObject */.rej({
    timezone: schemas/* string */.YjP({ error: (issue) => `expected an IANA time zone such as America/Los_Angeles, got ${describe(issue.input)}` })
        .refine(isTimeZone, { error: (issue) => `"${String(issue.input)}" is not an IANA time zone; write one such as America/Los_Angeles, Europe/Berlin or UTC` })
        .default('UTC')
        .meta({ description: 'IANA time zone of the weekly hours and freeze dates (default UTC).', examples: ['America/Los_Angeles', 'Europe/Berlin', 'UTC'] }),
    allow: list(fromText(parseAllowWindow, 'weekly hours such as "Mon-Thu 09:00-16:00"', {
        description: 'Days and hours, local time: `Mon-Thu 09:00-16:00`, `Mon,Wed 22:00-02:00` (wraps midnight), `daily 00:00-24:00`.',
        examples: ['Mon-Thu 09:00-16:00', 'Sun-Thu 22:00-02:00'],
    }), 'weekly windows')
        .default([])
        .meta({ description: 'Weekly hours in which a stage may start; empty (default) means any time.' }),
    freeze: list(fromText(parseFreeze, 'a date or date range such as "2026-12-20..2027-01-04"', {
        description: 'A date (`2026-11-26`) or an inclusive date range (`2026-12-20..2027-01-04`) in the time zone.',
        examples: ['2026-12-20..2027-01-04', '2026-11-26'],
    }), 'freeze dates')
        .default([])
        .meta({ description: 'Dates on which no stage may start.' }),
})
    .meta({ description: 'When stages may start.' });
const judgeInput = schemas/* strictObject */.rej({
    'false-positive-rate': share('Chance, over a whole bake, of failing a candidate that is as good as the stable version (default 5%). Lower waits for more evidence.')
        .refine((value) => value > 0 && value < 0.5, 'must be above 0% and below 50%; 5% is usual')
        .optional(),
    'min-effect': fromText(parseEffect, 'a ratio such as 1.5x or an increase such as 50%', {
        description: 'Smallest increase of the error rate over the stable version\'s worth stopping a bake for (default 1.5x): 1.5x and 50% both mean half as many errors again.',
        pattern: '^\\d+(\\.\\d+)?\\s*([xX×]|%)$',
        examples: ['1.5x', '2x', '50%'],
    }).optional(),
    'max-p99-over-stable': share('How much slower (p99 duration) than the stable version the candidate may be, for example 20%; judged once each version has 1000 invocations in the window. Unset: not judged.').optional(),
})
    .meta({
    description: 'The judge: every bake compares the candidate\'s error rate with the stable version\'s on the same alias, with a sequential test that may be checked on every poll. It is on when a bake has no error-rate threshold, and beside the thresholds when this section names the level or the effect.',
});
const configSchema = schemas/* strictObject */.rej({
    version: schemas/* literal */.euz(1, { error: (issue) => `expected version 1, got ${JSON.stringify(issue.input)}` }).default(1).meta({ description: 'Format of this file: 1.' }),
    service: config_name('service name', SERVICE_NAME, 'letters, digits, ., - and _, at most 100', 'Name of the service.'),
    alias: config_name('alias name', ALIAS_NAME, 'letters, digits, - and _, at most 128, not only digits', 'Lambda alias that takes the traffic (default live).').default('live'),
    functions: list(config_name('function name', FUNCTION_NAME, 'letters, digits, - and _, at most 64', 'A Lambda function name.'), 'function names', { min: 1, unique: true }).meta({
        description: 'Lambda functions of the service; each region has all of them, each deployed through the alias.',
    }),
    stages: list(stageSchema, 'stages', { min: 1 })
        .superRefine((stages, ctx) => {
        // Runs even when a stage has other problems (`when`), so a duplicate is reported with them;
        // a stage that failed may be half-parsed, hence the type check.
        const seen = new Map();
        stages.forEach((stage, index) => {
            const stageName = stage?.name;
            if (typeof stageName !== 'string')
                return;
            const first = seen.get(stageName);
            if (first === undefined)
                seen.set(stageName, index);
            else
                ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `stage "${stageName}" is defined twice (also stages[${first}])`, input: stageName });
        });
    }, { when: (payload) => Array.isArray(payload.value) })
        .meta({ description: 'Stages in the order they deploy, such as alpha, beta, gamma, prod.' }),
    alarms: alarmsInput.default({ block: [], rollback: [], onebox: {} }),
    windows: windowsInput.default({ timezone: 'UTC', allow: [], freeze: [] }),
    'unqualified-triggers': schemas/* enum */.k5n(['refuse', 'allow'], { error: (issue) => `expected refuse or allow, got ${describe(issue.input)}` })
        .default('refuse')
        .meta({ description: 'When an event source mapping, resource-policy permission or function URL invokes a function without the alias (so it runs $LATEST, which holds the candidate from the first write): refuse (default) a wave that leaves the candidate below 100%, or allow it with a warning. See docs/wave-deploy.md.' }),
    judge: judgeInput.optional(),
})
    .transform((input) => ({
    version: 1,
    service: input.service,
    alias: input.alias,
    functions: input.functions,
    stages: input.stages,
    alarms: {
        block: input.alarms.block,
        rollback: input.alarms.rollback,
        onebox: {
            ...(input.alarms.onebox['error-rate'] !== undefined ? { errorRate: input.alarms.onebox['error-rate'] } : {}),
            ...(input.alarms.onebox['p99-duration'] !== undefined ? { p99DurationMs: input.alarms.onebox['p99-duration'] } : {}),
        },
    },
    windows: input.windows,
    unqualifiedTriggers: input['unqualified-triggers'],
    ...(input.judge
        ? {
            judge: {
                ...(input.judge['false-positive-rate'] !== undefined ? { falsePositiveRate: input.judge['false-positive-rate'] } : {}),
                ...(input.judge['min-effect'] !== undefined ? { minEffect: input.judge['min-effect'] } : {}),
                ...(input.judge['max-p99-over-stable'] !== undefined ? { maxP99OverStable: input.judge['max-p99-over-stable'] } : {}),
            },
        }
        : {}),
}))
    .meta({ title: 'safe-deploy config', description: 'The deployment pipeline of one service (.github/safe-deploy.yml).' });
/** Validates a plain object against the schema (no wave checks; use config-loader.ts for files). */
function parseConfig(data) {
    const result = configSchema.safeParse(data, { reportInput: true });
    return result.success ? { ok: true, config: result.data } : { ok: false, issues: result.error.issues };
}
/** The JSON Schema editors use to complete and check the file. */
function configJsonSchema() {
    return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}
function bakeToJson(bake) {
    return {
        duration: formatDurationExact(bake.durationMs),
        'min-invocations': bake.minInvocations,
        mode: bake.mode,
        'max-wait': formatDurationExact(bake.maxWaitMs),
        'metrics-delay': formatDurationExact(bake.metricsDelayMs),
    };
}
/**
 * The Config written back in the file's own terms with every default filled in (durations as `1h30m`,
 * shares as `5%`): the plan action's `config` output, so workflows need no YAML parser of their own.
 * Loading it again gives the same Config.
 */
function configToJson(config) {
    return {
        version: config.version,
        service: config.service,
        alias: config.alias,
        functions: [...config.functions],
        stages: config.stages.map((stage) => ({
            name: stage.name,
            environment: stage.environment,
            regions: [...stage.regions],
            ...(stage.tests !== undefined ? { tests: stage.tests } : {}),
            ...(stage.onebox ? { onebox: { traffic: formatShare(stage.onebox.traffic), bake: bakeToJson(stage.onebox.bake) } } : {}),
            bake: { first: bakeToJson(stage.bake.first), rest: bakeToJson(stage.bake.rest) },
            waves: stage.waves === 'auto'
                ? 'auto'
                : stage.waves.map((wave) => ({ regions: [...wave.regions], traffic: formatShare(wave.traffic), ...(wave.bake ? { bake: bakeToJson(wave.bake) } : {}) })),
            'max-wave-size': stage.maxWaveSize,
        })),
        alarms: {
            block: [...config.alarms.block],
            rollback: [...config.alarms.rollback],
            onebox: {
                ...(config.alarms.onebox.errorRate !== undefined ? { 'error-rate': formatShare(config.alarms.onebox.errorRate) } : {}),
                ...(config.alarms.onebox.p99DurationMs !== undefined ? { 'p99-duration': formatDurationExact(config.alarms.onebox.p99DurationMs) } : {}),
            },
        },
        windows: {
            timezone: config.windows.timezone,
            allow: config.windows.allow.map((window) => window.text),
            freeze: config.windows.freeze.map((range) => range.text),
        },
        'unqualified-triggers': config.unqualifiedTriggers ?? 'refuse',
        ...(config.judge
            ? {
                judge: {
                    ...(config.judge.falsePositiveRate !== undefined ? { 'false-positive-rate': formatShare(config.judge.falsePositiveRate) } : {}),
                    ...(config.judge.minEffect !== undefined ? { 'min-effect': formatEffect(config.judge.minEffect) } : {}),
                    ...(config.judge.maxP99OverStable !== undefined ? { 'max-p99-over-stable': formatShare(config.judge.maxP99OverStable) } : {}),
                },
            }
            : {}),
    };
}


/***/ }),

/***/ 8685:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   PlanError: () => (/* binding */ PlanError),
/* harmony export */   autoWaves: () => (/* binding */ autoWaves),
/* harmony export */   checkStageWaves: () => (/* binding */ checkStageWaves),
/* harmony export */   checkWaves: () => (/* binding */ checkWaves),
/* harmony export */   findWave: () => (/* binding */ findWave),
/* harmony export */   formatPath: () => (/* binding */ formatPath),
/* harmony export */   planWaves: () => (/* binding */ planWaves),
/* harmony export */   waveJson: () => (/* binding */ waveJson),
/* harmony export */   wavesOfStage: () => (/* binding */ wavesOfStage)
/* harmony export */ });
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4635);
/* harmony import */ var _units_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5294);
// The wave planner: from a Config to the ordered list of waves the pipeline runs.
//
//   planWaves(config)              -> Wave[]  every wave of every stage, in the order they run
//   findWave(config, stage, wave)  -> Wave    one wave by stage name and wave id (`prod-onebox`, `prod-2`);
//                                             throws an Error naming the waves that exist
//   waveJson(wave)                 -> the flat JSON the plan action outputs for strategy.matrix / fromJSON()
//   checkWaves(config)             -> WaveIssue[]  the rules below, each with its path in the document
//
// Rules (Amazon's: one-box first, one region before many, bake before widening):
// - Stages run strictly in the order the config lists them; all waves of a stage before the next stage.
// - A wave either takes its regions to 100% of traffic, or is a one-box: ONE region at a share of at
//   most 10% (ONEBOX_LIMIT).
// - No wave touches a second region before the first region has taken its full wave and baked:
//   the waves up to and including the first region's 100% wave touch that region alone.
// - Every region of the stage reaches 100% exactly once, and nothing outside the stage's regions.
//
// `waves: auto` builds: [one-box in the first region] -> first region -> next region alone ->
// then 2, 4, 8 regions at a time (doubling, at most `max-wave-size`, default 8).
// Wave ids: `<stage>-onebox` for a one-box (`-onebox-2`, ... for more), `<stage>-1`, `<stage>-2`, ... for
// full waves. Bakes: a one-box bakes with `onebox.bake`, the first full wave with `bake.first`, later
// waves with `bake.rest`; an explicit wave can give its own `bake`.


class PlanError extends Error {
    issues;
    constructor(message, issues = []) {
        super(message);
        this.issues = issues;
        this.name = 'PlanError';
    }
}
/** The automatic waves of a stage (see the top of this file). */
function autoWaves(stage) {
    const drafts = [];
    const [first, ...rest] = stage.regions;
    if (first === undefined)
        return drafts;
    if (stage.onebox)
        drafts.push({ regions: [first], traffic: stage.onebox.traffic });
    drafts.push({ regions: [first], traffic: 1 });
    let size = 1;
    for (let start = 0; start < rest.length;) {
        drafts.push({ regions: rest.slice(start, start + size), traffic: 1 });
        start += size;
        size = Math.min(size * 2, Math.max(1, stage.maxWaveSize));
    }
    return drafts;
}
/** Checks one stage's explicit waves against the rules; paths are relative to the stage. */
function checkStageWaves(stage, waves) {
    const issues = [];
    const full = new Map(); // region -> wave index where it reached 100%
    const partial = new Map();
    const firstRegion = waves[0]?.regions[0];
    let firstRegionBaked = false;
    let hasOnebox = false;
    waves.forEach((wave, w) => {
        const at = (...rest) => ['waves', w, ...rest];
        if (wave.traffic <= 0) {
            issues.push({ path: at('traffic'), message: 'a wave needs traffic; write a share above 0%' });
            return;
        }
        const isOnebox = wave.traffic < 1;
        if (isOnebox) {
            hasOnebox = true;
            if (wave.traffic > _config_js__WEBPACK_IMPORTED_MODULE_0__/* .ONEBOX_LIMIT */ .aw) {
                issues.push({ path: at('traffic'), message: `${(0,_units_js__WEBPACK_IMPORTED_MODULE_1__/* .formatShare */ .T1)(wave.traffic)} is above the one-box limit of ${(0,_units_js__WEBPACK_IMPORTED_MODULE_1__/* .formatShare */ .T1)(_config_js__WEBPACK_IMPORTED_MODULE_0__/* .ONEBOX_LIMIT */ .aw)}; a wave takes its regions to 100% or is a one-box of at most ${(0,_units_js__WEBPACK_IMPORTED_MODULE_1__/* .formatShare */ .T1)(_config_js__WEBPACK_IMPORTED_MODULE_0__/* .ONEBOX_LIMIT */ .aw)}` });
            }
            if (wave.regions.length !== 1) {
                issues.push({ path: at('regions'), message: `a one-box (traffic ${(0,_units_js__WEBPACK_IMPORTED_MODULE_1__/* .formatShare */ .T1)(wave.traffic)}) takes exactly one region, not ${wave.regions.length}` });
            }
        }
        if (!firstRegionBaked && firstRegion !== undefined && (wave.regions.length !== 1 || wave.regions[0] !== firstRegion)) {
            const other = wave.regions.findIndex((region) => region !== firstRegion);
            issues.push({
                path: other >= 0 ? at('regions', other) : at('regions'),
                message: `no wave may touch a second region before the first region (${firstRegion}) has taken its full wave and baked; deploy ${firstRegion} to 100% alone first`,
            });
        }
        wave.regions.forEach((region, r) => {
            if (!stage.regions.includes(region)) {
                issues.push({ path: at('regions', r), message: `${region} is not one of the stage's regions (${stage.regions.join(', ')})` });
                return;
            }
            const done = full.get(region);
            if (done !== undefined) {
                issues.push({ path: at('regions', r), message: `${region} already reached 100% in waves[${done}]; every region reaches 100% exactly once` });
                return;
            }
            if (isOnebox) {
                const before = partial.get(region);
                if (before && before.traffic >= wave.traffic) {
                    issues.push({ path: at('traffic'), message: `${region} already had ${(0,_units_js__WEBPACK_IMPORTED_MODULE_1__/* .formatShare */ .T1)(before.traffic)} in waves[${before.wave}]; a region's share only grows` });
                }
                partial.set(region, { wave: w, traffic: wave.traffic });
            }
            else {
                full.set(region, w);
            }
        });
        if (!isOnebox && firstRegion !== undefined && wave.regions.includes(firstRegion))
            firstRegionBaked = true;
    });
    const missing = stage.regions.filter((region) => !full.has(region));
    if (missing.length > 0) {
        issues.push({ path: ['waves'], message: `${missing.join(', ')} never ${missing.length === 1 ? 'reaches' : 'reach'} 100%; every region of the stage must be in exactly one full wave` });
    }
    if (stage.onebox && !hasOnebox) {
        issues.push({ path: ['onebox'], message: 'onebox is set but no explicit wave is a one-box; add a wave such as { regions: [first-region], traffic: 5% } or remove onebox' });
    }
    return issues;
}
/** Every wave rule for every stage, with paths from the document root. Empty when the plan is sound. */
function checkWaves(config) {
    const issues = [];
    config.stages.forEach((stage, s) => {
        if (stage.waves === 'auto')
            return;
        for (const issue of checkStageWaves(stage, stage.waves))
            issues.push({ path: ['stages', s, ...issue.path], message: issue.message });
    });
    return issues;
}
function stageWaves(stage, stageIndex, startIndex) {
    const drafts = stage.waves === 'auto' ? autoWaves(stage) : stage.waves;
    const waves = [];
    let oneboxes = 0;
    let fulls = 0;
    const lastFull = drafts.reduce((last, draft, i) => (draft.traffic >= 1 ? i : last), -1);
    drafts.forEach((draft, i) => {
        const onebox = draft.traffic < 1;
        let id;
        let bake;
        if (onebox) {
            oneboxes += 1;
            id = oneboxes === 1 ? `${stage.name}-onebox` : `${stage.name}-onebox-${oneboxes}`;
            bake = draft.bake ?? stage.onebox?.bake ?? stage.bake.first;
        }
        else {
            fulls += 1;
            id = `${stage.name}-${fulls}`;
            bake = draft.bake ?? (fulls === 1 ? stage.bake.first : stage.bake.rest);
        }
        waves.push({
            index: startIndex + i,
            stage: stage.name,
            stageIndex,
            environment: stage.environment,
            id,
            regions: [...draft.regions],
            traffic: draft.traffic,
            onebox,
            last: i === lastFull,
            bake,
        });
    });
    return waves;
}
/**
 * Every wave of the pipeline in the order it runs. Throws a PlanError listing the broken rules
 * when explicit waves break them (config-loader.ts reports those with line and column first).
 */
function planWaves(config) {
    const issues = checkWaves(config);
    if (issues.length > 0) {
        throw new PlanError(`the waves break the rollout rules:\n${issues.map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`).join('\n')}`, issues);
    }
    const waves = [];
    config.stages.forEach((stage, s) => waves.push(...stageWaves(stage, s, waves.length)));
    return waves;
}
/** The waves of one stage, in order. Throws when the stage does not exist. */
function wavesOfStage(config, stage) {
    if (!config.stages.some((candidate) => candidate.name === stage)) {
        throw new PlanError(`no stage "${stage}" in the config; stages: ${config.stages.map((candidate) => candidate.name).join(', ')}`);
    }
    return planWaves(config).filter((wave) => wave.stage === stage);
}
/** One wave by stage name and wave id, as the `waves` output names them (`prod`, `prod-onebox`). */
function findWave(config, stage, id) {
    const waves = wavesOfStage(config, stage);
    const wave = waves.find((candidate) => candidate.id === id);
    if (!wave)
        throw new PlanError(`no wave "${id}" in stage ${stage}; its waves: ${waves.map((candidate) => candidate.id).join(', ')}`);
    return wave;
}
function waveJson(wave) {
    return {
        index: wave.index,
        stage: wave.stage,
        environment: wave.environment,
        wave: wave.id,
        regions: wave.regions,
        traffic: (0,_units_js__WEBPACK_IMPORTED_MODULE_1__/* .formatShare */ .T1)(wave.traffic),
        onebox: wave.onebox,
        last: wave.last,
        duration: (0,_units_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDurationExact */ .rV)(wave.bake.durationMs),
        'min-invocations': wave.bake.minInvocations,
        mode: wave.bake.mode,
        'max-wait': (0,_units_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDurationExact */ .rV)(wave.bake.maxWaitMs),
        'metrics-delay': (0,_units_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDurationExact */ .rV)(wave.bake.metricsDelayMs),
    };
}
/** `stages[3].onebox.traffic` from ['stages', 3, 'onebox', 'traffic']. */
function formatPath(path) {
    let text = '';
    for (const key of path) {
        if (typeof key === 'number')
            text += `[${key}]`;
        else
            text += text === '' ? String(key) : `.${String(key)}`;
    }
    return text === '' ? '(document)' : text;
}


/***/ })

};
