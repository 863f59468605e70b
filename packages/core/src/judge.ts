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
import { UnitError } from './units.js';

export const DEFAULT_FALSE_POSITIVE_RATE = 0.05;
export const DEFAULT_MIN_EFFECT = 1.5;
/** Effects in the mixture: from the minimum effect up by factors of √2, this many (up to 32 times the minimum). */
export const MIXTURE_POINTS = 11;
/** Both versions need this many invocations in the window before their p99s are compared. */
export const LATENCY_MIN_SAMPLE = 1000;
/** The candidate's p99 must also exceed the stable's by at least this (10 ms against 8 ms is noise). */
export const LATENCY_MIN_DIFF_MS = 10;

export interface JudgeSettings {
  /** Chance, over the whole bake, of failing a candidate as good as the stable version (0 < α < 0.5). */
  readonly falsePositiveRate: number;
  /** Smallest ratio of the candidate's error rate to the stable's worth stopping for (> 1). */
  readonly minEffect: number;
}

/** The counts of one function in one region, in one window. */
export interface PairCounts {
  readonly candidateInvocations: number;
  readonly candidateErrors: number;
  readonly stableInvocations: number;
  readonly stableErrors: number;
}

export interface ErrorJudgement {
  /** False when there is nothing to compare with (no traffic on one of the versions). */
  readonly applicable: boolean;
  /** ln M, the evidence that the candidate fails more often (0 when nothing is known). */
  readonly statistic: number;
  /** ln(targets / α): the statistic at which the candidate is stopped. */
  readonly threshold: number;
  readonly fired: boolean;
  /** The candidate's share of the invocations, π0. */
  readonly share: number;
  /** The rate ratio the errors point to (candidate's rate / stable's), or null without errors or traffic. */
  readonly ratio: number | null;
}

/** Checks and fills the judge's settings; names the input in the error. */
export function judgeSettings(input: { falsePositiveRate?: number | null; minEffect?: number | null }): JudgeSettings {
  const falsePositiveRate = input.falsePositiveRate ?? DEFAULT_FALSE_POSITIVE_RATE;
  const minEffect = input.minEffect ?? DEFAULT_MIN_EFFECT;
  if (!(falsePositiveRate > 0 && falsePositiveRate < 0.5)) {
    throw new Error(`false-positive-rate must be above 0% and below 50% (got ${Math.round(falsePositiveRate * 10_000) / 100}%); 5% is usual`);
  }
  if (!(minEffect > 1 && minEffect <= 100)) throw new Error(`min-effect must be above 1x and at most 100x (got ${minEffect}x)`);
  return { falsePositiveRate, minEffect };
}

/**
 * Parses a relative effect: `1.5x` (or `1.5×`) is one and a half times the stable version's error
 * rate, `50%` is the same written as an increase. A bare number is refused.
 */
export function parseEffect(text: string): number {
  const value = text.trim();
  const times = /^(\d+(?:\.\d+)?)\s*[x×]$/i.exec(value);
  if (times) {
    const ratio = Number(times[1]);
    if (!(ratio > 1)) throw new UnitError(`"${text}" is no increase; write a ratio above 1x such as 1.5x, or an increase such as 50%`);
    return ratio;
  }
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
  if (percent) {
    const increase = Number(percent[1]);
    if (!(increase > 0)) throw new UnitError(`"${text}" is no increase; write an increase above 0% such as 50%, or a ratio such as 1.5x`);
    return 1 + increase / 100;
  }
  throw new UnitError(`"${text}" is not an effect; write a ratio of error rates such as 1.5x or 2x, or an increase such as 50%`);
}

/** `1.5x`. */
export function formatEffect(ratio: number): string {
  return `${Math.round(ratio * 100) / 100}x`;
}

/** The effects the mixture averages over, from the minimum effect up. */
export function effectGrid(minEffect: number): number[] {
  return Array.from({ length: MIXTURE_POINTS }, (_, k) => minEffect * Math.SQRT2 ** k);
}

/** ln of the mixture likelihood ratio for `e_c` of `e_c + e_s` errors on a candidate with share π0 (real-valued counts allowed). */
export function logMixture(grid: readonly number[], share: number, candidateErrors: number, stableErrors: number): number {
  if (!(share > 0 && share < 1)) return 0;
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
export function judgeThreshold(settings: JudgeSettings, targets = 1): number {
  return Math.log(Math.max(1, targets) / settings.falsePositiveRate);
}

/** The judgement of one function in one region on its cumulative counts. */
export function judgeErrors(settings: JudgeSettings, counts: PairCounts, targets = 1): ErrorJudgement {
  const threshold = judgeThreshold(settings, targets);
  const total = counts.candidateInvocations + counts.stableInvocations;
  const applicable = counts.candidateInvocations > 0 && counts.stableInvocations > 0;
  if (!applicable) return { applicable, statistic: 0, threshold, fired: false, share: total > 0 ? counts.candidateInvocations / total : 0, ratio: null };
  const share = counts.candidateInvocations / total;
  const statistic = logMixture(effectGrid(settings.minEffect), share, counts.candidateErrors, counts.stableErrors);
  const ratio =
    counts.candidateErrors + counts.stableErrors === 0
      ? null
      : counts.stableErrors === 0
        ? Infinity
        : counts.candidateErrors / counts.candidateInvocations / (counts.stableErrors / counts.stableInvocations);
  return { applicable, statistic, threshold, fired: statistic >= threshold, share, ratio };
}

function pct(value: number): string {
  return `${Math.round(value * 10_000) / 100}%`;
}

/** One line: the counts, the statistic and the threshold. */
export function judgementText(counts: PairCounts, j: ErrorJudgement): string {
  const c = `${counts.candidateErrors}/${counts.candidateInvocations}`;
  const s = `${counts.stableErrors}/${counts.stableInvocations}`;
  if (!j.applicable) return `candidate ${c}, stable ${s}: nothing to compare with`;
  const ratio = j.ratio === null ? '' : j.ratio === Infinity ? ', ratio ∞' : `, ratio ${formatEffect(j.ratio)}`;
  return `candidate ${c} (${pct(counts.candidateErrors / counts.candidateInvocations)}) vs stable ${s} (${pct(counts.stableErrors / counts.stableInvocations)})${ratio}, evidence ${j.statistic.toFixed(2)} / ${j.threshold.toFixed(2)}`;
}

/** What the stable version served recently: the baseline a bake is planned from. */
export interface Baseline {
  readonly invocations: number;
  readonly errors: number;
  /** How long the baseline covers, ms (for the traffic rate). */
  readonly windowMs: number;
}

/** The counts a candidate exactly `ratio` times worse is expected to show after `n` invocations at share `w`. */
function expectedEvidence(settings: JudgeSettings, errorRate: number, share: number, n: number, ratio: number): number {
  const stableInvocations = (n * (1 - share)) / share;
  return logMixture(effectGrid(settings.minEffect), share, n * ratio * errorRate, stableInvocations * errorRate);
}

/**
 * Candidate invocations after which a candidate at exactly `min-effect` times the stable's error
 * rate, behaving exactly on average, is stopped; null when the stable version shows no errors (the
 * judge then stops the candidate on its own first few errors) or the share is not a split.
 */
export function plannedInvocations(settings: JudgeSettings, errorRate: number, share: number, targets = 1): number | null {
  if (!(errorRate > 0 && errorRate * settings.minEffect < 1) || !(share > 0 && share < 1)) return null;
  const threshold = judgeThreshold(settings, targets);
  let lo = 1;
  let hi = 2;
  while (expectedEvidence(settings, errorRate, share, hi, settings.minEffect) < threshold) {
    hi *= 2;
    if (hi > 1e15) return null;
  }
  while (hi - lo > Math.max(1, lo * 0.001)) {
    const mid = (lo + hi) / 2;
    if (expectedEvidence(settings, errorRate, share, mid, settings.minEffect) >= threshold) hi = mid;
    else lo = mid;
  }
  return Math.ceil(hi);
}

/** The smallest effect (ratio) a candidate with `n` invocations at share `w` is expected to be stopped for; null beyond 1000x. */
export function detectableEffect(settings: JudgeSettings, errorRate: number, share: number, n: number, targets = 1): number | null {
  if (!(errorRate > 0) || !(share > 0 && share < 1) || !(n > 0)) return null;
  const threshold = judgeThreshold(settings, targets);
  const at = (ratio: number) => expectedEvidence(settings, errorRate, share, n, Math.min(ratio, 1 / errorRate));
  if (at(1000) < threshold) return null;
  let lo = 1;
  let hi = 1000;
  while (hi - lo > 0.005) {
    const mid = (lo + hi) / 2;
    if (at(mid) >= threshold) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface LatencySample {
  readonly invocations: number;
  readonly p99Ms: number | null;
}

/**
 * The latency rule: the candidate's p99 is above the stable's by more than `margin` (0.2 = 20%)
 * and by at least LATENCY_MIN_DIFF_MS, with both versions at LATENCY_MIN_SAMPLE invocations or
 * more. Returns why it fired, or null.
 */
export function latencyVerdict(candidate: LatencySample, stable: LatencySample | null, margin: number): string | null {
  if (!stable || candidate.p99Ms === null || stable.p99Ms === null) return null;
  if (candidate.invocations < LATENCY_MIN_SAMPLE || stable.invocations < LATENCY_MIN_SAMPLE) return null;
  const limit = Math.max(stable.p99Ms * (1 + margin), stable.p99Ms + LATENCY_MIN_DIFF_MS);
  if (candidate.p99Ms <= limit) return null;
  return `p99 duration ${Math.round(candidate.p99Ms)}ms (${candidate.invocations} invocations) is above the stable's ${Math.round(stable.p99Ms)}ms (${stable.invocations} invocations) by more than ${Math.round(margin * 100)}%`;
}

/** One target's traffic plan input: its candidate share and the stable version's recent traffic. */
export interface PlanTarget {
  readonly region: string;
  readonly function: string;
  /** The candidate's routing weight, 0..1. */
  readonly share: number;
  /** What the alias served before the shift (all the stable version's), or null when it could not be read. */
  readonly baseline: Baseline | null;
}

export interface TrafficPlan {
  /** Candidate invocations per `region/function` the bake waits for (only where above min-invocations and reachable by max-wait). */
  readonly planned: Record<string, number>;
  /** One sentence per target, for the first log lines and the summary. */
  readonly lines: string[];
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 120 ? `${m} min` : `${Math.round(m / 6) / 10} h`;
}

/**
 * Plans, from the stable version's recent traffic, the candidate traffic each target needs for the
 * judge to see the minimum effect: a target whose plan is met by max-wait bakes until it has that
 * traffic (a quiet region bakes longer); one that cannot get it by max-wait is told so, with the
 * effect it can see, and keeps min-invocations.
 */
export function planTraffic(
  settings: JudgeSettings,
  targets: readonly PlanTarget[],
  bake: { readonly durationMs: number; readonly maxWaitMs: number; readonly minInvocations: number },
): TrafficPlan {
  const planned: Record<string, number> = {};
  const lines: string[] = [];
  const effect = formatEffect(settings.minEffect);
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
      if (need > bake.minInvocations) planned[key] = need;
      const longer = need > byDuration ? `: bakes longer, about ${minutes(need / rate)}` : ': judged within the duration';
      lines.push(`${who}: ${recent}; seeing ${effect} its error rate takes about ${count(need)} candidate invocations at ${pct(t.share)}, ${expect}${longer}`);
    } else {
      const can = detectableEffect(settings, p, t.share, byMaxWait, targets.length);
      lines.push(
        `${who}: ${recent}; seeing ${effect} its error rate takes about ${count(need)} candidate invocations at ${pct(t.share)}, but ${expect}: it cannot be judged at ${effect} in its window` +
          (can === null ? '' : `; it can see about ${formatEffect(can)} or more`),
      );
    }
  }
  return { planned, lines };
}
