// `npm run bench:judge`: the judge (packages/core/src/judge.ts) against the threshold rules of
// bake-gate, on simulated bakes polled every interval, side by side in one run.
//
// Pure and in-process: each simulated bake is a one-box whose candidate takes SHARE of the alias
// (each request routed at random, as Lambda's weighted alias does) for POLLS polls; every request
// fails with its version's error rate. At every poll the cumulative counts go through the real
// `canaryVerdict` of packages/core/src/bake.ts, once with the judge and once with each threshold
// rule, exactly as bake-gate would judge them on that poll.
//
// Shows: (1) over at least 10,000 healthy bakes per traffic level (candidate as good as the stable
// version) the share the judge fails, a false positive, at or under its configured level, beside
// the threshold rules' share under the same polling; (2) for candidates at 2x and 5x the stable's
// error rate, how many polls each rule needs to stop them, at three traffic levels.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bakePolicy, canaryVerdict, type BakePolicy, type TargetSample } from '../packages/core/src/bake.js';
import { plannedInvocations } from '../packages/core/src/judge.js';
import { prng } from '../packages/local/src/prng.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SEED = Number(process.env.BENCH_SEED ?? 16);
const HEALTHY_BAKES = Number(process.env.BENCH_HEALTHY ?? 10_000);
const BAD_BAKES = Number(process.env.BENCH_BAD ?? 1_000);
const POLLS = 60; // a 1-hour bake polled every minute
const SHARE = 0.1; // the one-box's share of the alias
const STABLE_RATE = 0.01; // the stable version's error rate
const ALPHA = 0.05;
const MIN_EFFECT = 1.5;
/** Requests through the alias per poll interval: the candidate sees SHARE of them. */
const LEVELS = [
  { name: 'low', perPoll: 100 },
  { name: 'medium', perPoll: 1_000 },
  { name: 'high', perPoll: 10_000 },
] as const;


/** A binomial draw: inversion of the exact law up to a mean of 200, a rounded normal beyond. */
function binomial(random: () => number, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const mean = n * p;
  if (mean < 200) {
    let k = 0;
    let pmf = Math.exp(n * Math.log1p(-p));
    let cdf = pmf;
    const u = random();
    const odds = p / (1 - p);
    while (u > cdf && k < n) {
      pmf *= ((n - k) / (k + 1)) * odds;
      k++;
      cdf += pmf;
    }
    return k;
  }
  const u1 = Math.max(random(), 1e-12);
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
  return Math.min(n, Math.max(0, Math.round(mean + z * Math.sqrt(mean * (1 - p)))));
}

interface Rule {
  readonly name: string;
  readonly policy: BakePolicy;
}

const base = { durationMs: 3_600_000, minInvocations: 100, pollIntervalMs: 60_000 };
const RULES: Rule[] = [
  { name: `judge (false-positive rate ${ALPHA * 100}%, min effect ${MIN_EFFECT}x)`, policy: bakePolicy({ ...base, judge: { falsePositiveRate: ALPHA, minEffect: MIN_EFFECT } }) },
  { name: `max-error-rate ${STABLE_RATE * MIN_EFFECT * 100}% (${MIN_EFFECT}x the stable's rate)`, policy: bakePolicy({ ...base, maxErrorRate: STABLE_RATE * MIN_EFFECT, judge: null }) },
  { name: `max-error-rate ${STABLE_RATE * 3 * 100}% (3x the stable's rate)`, policy: bakePolicy({ ...base, maxErrorRate: STABLE_RATE * 3, judge: null }) },
  { name: `max-error-rate-over-stable ${(STABLE_RATE * (MIN_EFFECT - 1) * 100).toFixed(1)}% (points)`, policy: bakePolicy({ ...base, maxErrorRateOverStable: STABLE_RATE * (MIN_EFFECT - 1), judge: null }) },
];

function sample(c: { n: number; e: number }, s: { n: number; e: number }): TargetSample[] {
  return [
    {
      region: 'us-west-2',
      function: 'orders-api',
      alias: 'live',
      candidate: { version: '2', invocations: c.n, errors: c.e, p99Ms: null, points: [] },
      stable: { version: '1', invocations: s.n, errors: s.e, p99Ms: null, points: [] },
    },
  ];
}

/** One bake: the poll (1-based) at which each rule first fails it, or 0 when it never does. */
function bake(random: () => number, perPoll: number, candidateRate: number): number[] {
  const c = { n: 0, e: 0 };
  const s = { n: 0, e: 0 };
  const firstFail = RULES.map(() => 0);
  for (let poll = 1; poll <= POLLS; poll++) {
    const nc = binomial(random, perPoll, SHARE);
    c.n += nc;
    s.n += perPoll - nc;
    c.e += binomial(random, nc, candidateRate);
    s.e += binomial(random, perPoll - nc, STABLE_RATE);
    const metrics = sample(c, s);
    RULES.forEach((rule, i) => {
      if (firstFail[i] === 0 && canaryVerdict(rule.policy, metrics) !== null) firstFail[i] = poll;
    });
    if (firstFail.every((f) => f > 0)) break;
  }
  return firstFail;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const started = Date.now();
const random = prng(SEED);

const lines: string[] = [];
lines.push('# Judge: false positives and detection time, against the threshold rules', '');
lines.push(
  `Run: \`npm run bench:judge\` (seed ${SEED}), Node ${process.version}. Pure simulation: a one-box at ${SHARE * 100}% of the alias (each request routed at random), ` +
    `stable error rate ${STABLE_RATE * 100}%, ${POLLS} polls per bake (a 1-hour bake polled every minute), cumulative counts judged at every poll by the real ` +
    '`canaryVerdict` (packages/core/src/bake.ts) with each rule; the threshold rules wait for 100 candidate invocations, as bake-gate does. ' +
    `Traffic levels are requests through the alias per poll (the candidate sees ${SHARE * 100}% of them).`,
  '',
);

// (1) Healthy bakes: every failure is a false positive.
lines.push('## Healthy bakes: false positive rate under polling every interval', '');
lines.push(`Candidate exactly as good as the stable version; ${HEALTHY_BAKES.toLocaleString('en-US')} bakes per traffic level. A bake counts as a false positive when a rule fails it at any poll.`, '');
lines.push(`| traffic (requests / poll) | ${RULES.map((r) => r.name).join(' | ')} |`, `|---|${RULES.map(() => '---').join('|')}|`);
const judgeFpr: number[] = [];
for (const level of LEVELS) {
  const fails = RULES.map(() => 0);
  for (let i = 0; i < HEALTHY_BAKES; i++) {
    bake(random, level.perPoll, STABLE_RATE).forEach((f, k) => {
      if (f > 0) fails[k]!++;
    });
  }
  judgeFpr.push(fails[0]! / HEALTHY_BAKES);
  lines.push(`| ${level.name} (${level.perPoll.toLocaleString('en-US')}) | ${fails.map((f) => `${pct(f / HEALTHY_BAKES)} (${f})`).join(' | ')} |`);
}
const worst = Math.max(...judgeFpr);
lines.push(
  '',
  `The judge's false positive rate, worst of the three levels: **${pct(worst)}** over ${HEALTHY_BAKES.toLocaleString('en-US')} healthy bakes per level, configured ${pct(ALPHA)}: ${worst <= ALPHA ? 'at or under its level' : 'ABOVE its level'}.`,
  '',
);

// (2) Bad candidates: polls to detection.
lines.push('## Bad candidates: polls until the bake is failed', '');
lines.push(
  `${BAD_BAKES.toLocaleString('en-US')} bakes per cell. Median poll of detection among the bakes detected, and the share detected within the ${POLLS} polls. ` +
    `"planned" is the candidate traffic bake-gate would plan for the judge to see ${MIN_EFFECT}x (plannedInvocations), in polls at that level.`,
  '',
);
lines.push(`| candidate error rate | traffic (requests / poll) | planned | ${RULES.map((r) => r.name).join(' | ')} |`, `|---|---|---|${RULES.map(() => '---').join('|')}|`);
const planned = plannedInvocations({ falsePositiveRate: ALPHA, minEffect: MIN_EFFECT }, STABLE_RATE, SHARE) ?? 0;
const detection: { ratio: number; level: string; judge: number | null; threshold: number | null }[] = [];
for (const ratio of [2, 5]) {
  for (const level of LEVELS) {
    const at = RULES.map(() => [] as number[]);
    for (let i = 0; i < BAD_BAKES; i++) bake(random, level.perPoll, STABLE_RATE * ratio).forEach((f, k) => f > 0 && at[k]!.push(f));
    detection.push({ ratio, level: level.name, judge: median(at[0]!), threshold: median(at[1]!) });
    const cells = at.map((polls) => (polls.length === 0 ? 'never' : `poll ${median(polls)} (${pct(polls.length / BAD_BAKES)} detected)`));
    lines.push(`| ${ratio}x (${pct(STABLE_RATE * ratio)}) | ${level.name} (${level.perPoll.toLocaleString('en-US')}) | ${Math.ceil(planned / (level.perPoll * SHARE))} polls | ${cells.join(' | ')} |`);
  }
}
lines.push('');
const high2 = detection.find((d) => d.ratio === 2 && d.level === 'high');
lines.push(
  `At high traffic the judge stops a 2x candidate at median poll **${high2?.judge ?? 'never'}** (the ${MIN_EFFECT}x threshold rule: ${high2?.threshold ?? 'never'}), while keeping its false positive rate at ${pct(ALPHA)} or under; ` +
    'a threshold tight enough to stop a 2x candidate as fast fails healthy ones far more often, and one loose enough (3x) to spare healthy bakes at low traffic misses 2x candidates (tables above). The judge needs fewer polls at higher traffic and more at lower: the plan turns that into a longer bake, or a warning that the region cannot be judged in its window.',
  '',
  `Took ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  '',
);

const report = lines.join('\n');
mkdirSync(join(root, 'bench', 'out'), { recursive: true });
writeFileSync(join(root, 'bench', 'out', 'judge.md'), report);
process.stdout.write(report);
process.exitCode = worst <= ALPHA ? 0 : 1;
