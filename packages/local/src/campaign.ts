// `npm run campaign`: a seeded fault campaign through the demo's pipeline on moto.
//
// Every release goes through the prod stage's first three waves (one-box, first region, second
// region) by running `.github/workflows/deploy-stage.yml` with the local workflow runner and the real
// bundles (`node dist/<action>/index.js`), exactly as `npm run demo` does, with bakes of 1 to 2 s.
// The releases are a seeded mix of:
//   healthy      no errors;
//   bad          30% of the candidate's invocations fail from its first request (an error spike);
//   slow-burn    the candidate's error rate grows by 8 points a second from its first request;
//   low-traffic  healthy, but the service sees about one request a second (nothing to judge);
//   monitoring   healthy code, broken monitoring: the block alarm is missing, CloudWatch's
//                GetMetricData is throttled for a while, or fails with HTTP 500 for the whole release;
//   small-regression  the service fails 1% of its requests; the candidate 2% (2x), at 30 times the
//                usual traffic: under the canary alarm's 5%, only the judge (bake-gate comparing the
//                candidate with the stable version, packages/core/src/judge.ts) can stop it;
//   large-regression  the service fails 0.3%; the candidate 4.5% (15x), at the usual traffic, 30
//                times less: a larger effect, still under the alarm, stopped by the judge too;
// and, in the realistic mode only (they need its late data, alarm evaluator and PublishVersion):
//   late-errors          30% errors, but only from LATE_ERRORS_AFTER_MS after the candidate's first
//                        request: the last minutes of the one-box bake (and after it);
//   three-datapoints     a bad release while the rollback alarms need three datapoints
//                        (EvaluationPeriods 3, DatapointsToAlarm 3);
//   unqualified-trigger  an SQS event source mapping on the unqualified function: the one-box must be
//                        refused before any write (no new version, alias unchanged);
//   unchanged-code       the zip of the latest published version again: PublishVersion hands that
//                        version back and the release must be refused as "code unchanged";
//   cloudwatch-storm     healthy code while the lane's CloudWatch reads are throttled (Throttling,
//                        Rate exceeded) for STORM_MS from the start of the one-box bake;
// and, on top, faults in the AWS path of the bundles (throttling, 5xx, connection resets before and
// after the write reached moto, added latency, all through packages/local/src/fault-proxy.ts) and
// bundle processes killed (SIGKILL) mid-step, after which the wave is re-run once as a person would
// re-run the failed job (its `rollback` step has already run, because the killed step failed).
//
// Releases run one after another per lane; lanes (each its own function, proxy and workspace) run
// concurrently. At the end every alias is read back and its record (deployment.ts decodeRecord)
// checked against its routing (rollout.ts detectDrift).
//
// Same seed, same plan and same verdicts: the verdict table (and its sha256) is what a run with the
// same seed reproduces; figures that depend on timing (where a slow burn was caught, time to
// rollback, exposure) are reported apart.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteAlarmsCommand, DescribeAlarmsCommand, SetAlarmStateCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, GetAliasCommand, ListVersionsByFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../../aws/src/clients.js';
import { decodeRecord } from '../../core/src/deployment.js';
import { detectDrift } from '../../core/src/rollout.js';
import { snapshotBundles } from './bundles.js';
import { prng } from './prng.js';
import { startFaultProxy, type FaultProxy, type FaultRule } from './fault-proxy.js';
import { startMoto, type MotoServer } from './moto.js';
import { realisticModel, type RealisticModel, type RealisticOptions } from './realistic.js';
import { startRealisticWorld, type RealisticWorld } from './realistic-world.js';
import {
  assumeRole,
  cloudwatchClient,
  credentialsEnv,
  deployerRoleArn,
  lambdaClient,
  provisionStage,
  readAliases,
  stageAccountId,
  zipFiles,
  type ProvisionRequest,
  type ProvisionedStage,
} from './provision.js';
import { startTraffic, type InstantAlarmRule, type LiveTraffic, type TrafficSpec } from './traffic.js';
import { WorkflowRunner, type PlumbingHandler, type StepRecord } from './workflow-runner.js';

export const DEPLOY_STAGE = '.github/workflows/deploy-stage.yml';
export const REGIONS = ['us-west-1', 'us-east-2', 'eu-west-1'] as const;
/** Share of the service's traffic each region sees (the first region is the one-box's). */
export const REGION_SHARE: Readonly<Record<string, number>> = { 'us-west-1': 0.4, 'us-east-2': 0.35, 'eu-west-1': 0.25 };
export const ONEBOX_SHARE = 0.05;
// Metrics are counts, so a high rate costs nothing and keeps the one-box's per-tick counts (and errors) whole.
const NORMAL_PER_MINUTE = 120_000;
const LOW_PER_MINUTE = 90;
/** Realistic mode: rates are per production minute; low traffic is a couple of requests a minute. */
const LOW_PER_PRODUCTION_MINUTE = 2;
const BAD_ERROR_RATE = 0.3;
const SLOW_BURN_PER_SECOND = 0.08;
const ALARM_THRESHOLD = 0.05;
/** The regression kinds: the stable version's error rate, the candidate's, and the traffic (both under ALARM_THRESHOLD). */
export const REGRESSIONS: Readonly<Record<'small-regression' | 'large-regression', { stable: number; candidate: number; perMinute: number }>> = {
  'small-regression': { stable: 0.01, candidate: 0.02, perMinute: NORMAL_PER_MINUTE * 30 },
  'large-regression': { stable: 0.003, candidate: 0.045, perMinute: NORMAL_PER_MINUTE },
};
/** late-errors: local ms after the candidate's first request when its errors start (the one-box bakes 8 s). */
export const LATE_ERRORS_AFTER_MS = 5500;
/** cloudwatch-storm: how long (local ms, production minutes at ×60) every CloudWatch read of the lane is throttled. */
export const STORM_MS = 3000;

export type ReleaseKind = 'healthy' | 'bad' | 'slow-burn' | 'low-traffic' | 'monitoring' | 'small-regression' | 'large-regression' | RealisticKind;
/** Kinds of release the realistic mode adds (docs/campaign.md). */
export type RealisticKind = 'late-errors' | 'three-datapoints' | 'unqualified-trigger' | 'unchanged-code' | 'cloudwatch-storm';
export const REALISTIC_KINDS: readonly RealisticKind[] = ['late-errors', 'three-datapoints', 'unqualified-trigger', 'unchanged-code', 'cloudwatch-storm'];
/** Releases whose code is bad: each must be stopped before a second region. */
export const FAULTY_KINDS: ReadonlySet<ReleaseKind> = new Set<ReleaseKind>(['bad', 'slow-burn', 'late-errors', 'three-datapoints', 'small-regression', 'large-regression']);
/** Releases that must be refused before any write (nothing published, no alias changed). */
export const REFUSED_KINDS: ReadonlySet<ReleaseKind> = new Set<ReleaseKind>(['unqualified-trigger', 'unchanged-code']);
export type MonitoringFault = 'alarm-missing' | 'cloudwatch-throttled' | 'cloudwatch-failing';

export interface AwsFault {
  readonly label: string;
  readonly rule?: FaultRule;
  readonly latencyMs?: number;
}

export interface KillPlan {
  readonly wave: string;
  /** Step id of deploy-stage.yml whose bundle is killed. */
  readonly step: 'deploy' | 'bake';
  readonly afterMs: number;
}

export interface ReleasePlan {
  readonly index: number;
  readonly lane: number;
  readonly kind: ReleaseKind;
  readonly monitoring: MonitoringFault | null;
  readonly faults: readonly AwsFault[];
  readonly kill: KillPlan | null;
}

export interface ReleaseResult {
  readonly plan: ReleasePlan;
  /**
   * promoted: all three waves passed; rolled-back: a wave failed and its rollback step ran; stopped:
   * failed before any alias write; refused: wave-deploy refused the release (unqualified trigger,
   * code unchanged) and no version was published nor alias changed.
   */
  readonly outcome: 'promoted' | 'rolled-back' | 'stopped' | 'refused';
  /** Why wave-deploy refused (its error annotation, first line), when it did. */
  readonly refusal: string | null;
  /** The first error annotation of the step that failed the release, if one did. */
  readonly failureNote: string | null;
  /** Versions published in the first region during the release (0 for a refused release). */
  readonly versionsPublished: number;
  /** A CloudWatch read failed for the whole retry budget (throttling, 5xx): the bake failed closed on monitoring. */
  readonly monitoringFailure: boolean;
  /** Wave that failed (timing-dependent for slow burns). */
  readonly failedWave: string | null;
  readonly bakeResult: string | null;
  /** Regions that ever routed traffic to this release's code. */
  readonly routedRegions: readonly string[];
  /** The aliases after the release are where the outcome says (release everywhere it went, or the previous stable). */
  readonly aliasesAsExpected: boolean;
  readonly aliasProblems: readonly string[];
  readonly killLanded: boolean;
  readonly attempts: number;
  /** Milliseconds from the candidate's first faulty request to the end of the rollback step (faulty kinds). */
  readonly faultToRollbackMs: number | null;
  /** Requests in all regions, and those the release's code served, with its errors (before the rollback, within a simulator tick). */
  readonly requests: { readonly total: number; readonly release: number; readonly releaseErrors: number };
  readonly wallMs: number;
}

export interface CampaignResult {
  readonly seed: number;
  readonly releases: ReleaseResult[];
  readonly goals: Goal[];
  readonly ok: boolean;
  /** The verdict table (deterministic for a seed). */
  readonly verdictTable: string;
  readonly verdictSha: string;
  readonly inconsistentAliases: string[];
  readonly aliasesChecked: number;
  readonly wallMs: number;
  readonly report: string;
}

export interface Goal {
  readonly name: string;
  readonly value: string;
  readonly goal: string;
  readonly met: boolean;
}

export interface CampaignOptions {
  readonly seed?: number;
  readonly releases?: number;
  /** Concurrent lanes (default 4). */
  readonly lanes?: number;
  readonly repoRoot?: string;
  /** Working files: lane workspaces and runner files (default a fresh directory under the OS temp dir). */
  readonly workDir?: string;
  /** Where the markdown report goes (default bench/out/campaign.md); null to write none. */
  readonly reportPath?: string | null;
  readonly endpoint?: string;
  readonly print?: (line: string) => void;
  /** Directory the bundles are copied from (default dist/ of the repository). */
  readonly bundles?: string;
  /**
   * Run against the realistic local AWS (docs/realistic-aws.md): true for the default model, or its
   * options. Bakes are then long enough for late data and per-minute alarm evaluation
   * (REALISTIC_WAVES), every lane's proxy sits in front of one realistic proxy (one account, so the
   * quotas are shared as AWS shares them), and the alarms are the evaluator's.
   */
  readonly realistic?: boolean | RealisticOptions;
  /** The kinds of the releases, in order, instead of the seeded mix (faults and kills stay seeded). */
  readonly kinds?: readonly ReleaseKind[];
  /** The bake's poll interval (default `1s`). */
  readonly pollInterval?: string;
}

export { prng };

const AWS_FAULTS: readonly AwsFault[] = [
  { label: 'UpdateAlias throttled ×2', rule: { operation: 'UpdateAlias', times: 2, fault: { kind: 'throttle' } } },
  { label: 'PublishVersion HTTP 503 ×2', rule: { operation: 'PublishVersion', times: 2, fault: { kind: 'status', status: 503 } } },
  { label: 'GetAlias connection reset ×2', rule: { operation: 'GetAlias', times: 2, fault: { kind: 'reset' } } },
  { label: 'UpdateAlias reset after the write', rule: { operation: 'UpdateAlias', after: 1, times: 1, fault: { kind: 'reset-after-forward' } } },
  { label: 'UpdateFunctionCode HTTP 500 ×1', rule: { operation: 'UpdateFunctionCode', times: 1, fault: { kind: 'status', status: 500 } } },
  { label: 'DescribeAlarms throttled ×2', rule: { operation: 'DescribeAlarms', times: 2, fault: { kind: 'throttle' } } },
  { label: '+150 ms latency on every call', latencyMs: 150 },
];

/** The campaign's releases for a seed: a fixed share of each kind, in a seeded order, with seeded faults and kills. */
export function planCampaign(seed: number, count: number, lanes: number, options: { realistic?: boolean; kinds?: readonly ReleaseKind[] } = {}): ReleasePlan[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // At least one of each kind once there are five releases; then about 35% healthy, 20% bad,
  // 15% slow burn, 10% low traffic, 20% monitoring faults. The realistic mode adds its five kinds
  // (at least one each once there are ten releases, then 4% each) in place of healthy ones; when the
  // minimums add up to more than the count, the largest shares give way first.
  let kinds: ReleaseKind[] = [];
  if (options.kinds) {
    if (options.kinds.length !== count) throw new Error(`campaign: ${options.kinds.length} kinds given for ${count} releases`);
    kinds = [...options.kinds];
  } else {
    const quota: [ReleaseKind, number][] = [['bad', 0.2], ['slow-burn', 0.15], ['low-traffic', 0.1], ['monitoring', 0.2], ['small-regression', 0.02], ['large-regression', 0.02]];
    if (options.realistic) for (const kind of REALISTIC_KINDS) quota.push([kind, 0.04]);
    const atLeastOneFrom = (kind: ReleaseKind) => ((REALISTIC_KINDS as readonly string[]).includes(kind) ? 10 : kind in REGRESSIONS ? 25 : 5);
    const counts = quota.map(([kind, share]): [ReleaseKind, number] => [kind, Math.max(count >= atLeastOneFrom(kind) ? 1 : 0, Math.round(count * share))]);
    // Over the count (small realistic campaigns): take from the largest shares first, keeping one of each.
    for (let over = counts.reduce((n, [, c]) => n + c, 0) - count; over > 0; over--) {
      const largest = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
      if (largest[1] <= 1) break;
      largest[1]--;
    }
    for (const [kind, c] of counts) for (let i = 0; i < c; i++) kinds.push(kind);
    while (kinds.length < count) kinds.push('healthy');
    kinds.length = count;
    for (let i = kinds.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
    }
  }
  for (const kind of kinds) if (!options.realistic && (REALISTIC_KINDS as readonly string[]).includes(kind)) throw new Error(`campaign: releases of kind ${kind} need the realistic mode`);
  const monitoring: MonitoringFault[] = ['alarm-missing', 'cloudwatch-throttled', 'cloudwatch-failing'];
  let m = Math.floor(random() * monitoring.length);
  return kinds.map((kind, index) => {
    const faults: AwsFault[] = [];
    // The realistic kinds carry no extra AWS faults: their verdict is about the one behaviour they test.
    if (kind !== 'monitoring' && !(REALISTIC_KINDS as readonly string[]).includes(kind) && random() < 0.6) {
      const first = pick(AWS_FAULTS);
      faults.push(first);
      if (random() < 0.4) {
        const second = pick(AWS_FAULTS);
        if (second !== first) faults.push(second);
      }
    }
    let kill: KillPlan | null = null;
    if ((kind === 'healthy' || kind === 'bad') && random() < 0.3) {
      const step = random() < 0.5 ? 'deploy' : 'bake';
      kill = { wave: kind === 'bad' ? 'prod-onebox' : pick(['prod-onebox', 'prod-1']), step, afterMs: step === 'deploy' ? 150 + Math.floor(random() * 250) : 400 + Math.floor(random() * 400) };
    }
    return { index: index + 1, lane: index % lanes, kind, monitoring: kind === 'monitoring' ? monitoring[m++ % monitoring.length]! : null, faults, kill };
  });
}

interface WaveSpec {
  readonly id: string;
  readonly regions: string[];
  readonly traffic: string;
  readonly duration: string;
  readonly minInvocations: number;
  readonly maxErrorRate: string;
}

const WAVES: readonly WaveSpec[] = [
  { id: 'prod-onebox', regions: [REGIONS[0]], traffic: '5%', duration: '2s', minInvocations: 5, maxErrorRate: '' },
  { id: 'prod-1', regions: [REGIONS[0]], traffic: '100%', duration: '2s', minInvocations: 10, maxErrorRate: '' },
  { id: 'prod-2', regions: [REGIONS[1]], traffic: '100%', duration: '1s', minInvocations: 10, maxErrorRate: '' },
];

/**
 * The realistic mode's waves (local seconds; ×60 by default, so production minutes): the one-box
 * bakes 8 minutes, more than the model's detection floor for a one-period alarm (about 1.5 min of
 * ingestion + 1 period + 1 evaluation interval), the regions 4 and 2 minutes.
 */
export const REALISTIC_WAVES: readonly WaveSpec[] = [
  { id: 'prod-onebox', regions: [REGIONS[0]], traffic: '5%', duration: '8s', minInvocations: 5, maxErrorRate: '' },
  { id: 'prod-1', regions: [REGIONS[0]], traffic: '100%', duration: '4s', minInvocations: 10, maxErrorRate: '' },
  { id: 'prod-2', regions: [REGIONS[1]], traffic: '100%', duration: '2s', minInvocations: 10, maxErrorRate: '' },
];

function laneConfig(svc: string): string {
  return [
    `version: 1`,
    `service: ${svc}`,
    `alias: live`,
    `functions: [${svc}-api]`,
    `stages:`,
    `  - name: prod`,
    `    regions: [${REGIONS.join(', ')}]`,
    `    waves: auto`,
    `    onebox: { traffic: 5%, bake: { duration: 2s, min-invocations: 5 } }`,
    `    bake:`,
    `      first: { duration: 2s, min-invocations: 10 }`,
    `      rest: { duration: 1s, min-invocations: 10 }`,
    `alarms:`,
    `  block: [${svc}-high-severity]`,
    `  rollback: [${svc}-high-severity, "prefix:${svc}-canary-"]`,
    `  onebox: { error-rate: 5% }`,
    `windows:`,
    `  timezone: UTC`,
    `  allow: ["daily 00:00-24:00"]`,
    `  freeze: []`,
    ``,
  ].join('\n');
}

/** Pid of a bundle process of ours (`dist/<action>/index.js`) whose environment mentions `marker`. */
function findBundleProcess(action: string, marker: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes(`/${action}/index.js`)) continue;
      if (!readFileSync(`/proc/${entry}/environ`, 'utf8').includes(marker)) continue;
      return Number(entry);
    } catch {
      // the process ended meanwhile
    }
  }
  return null;
}

/** Traffic of one lane during one release: follows what each alias routes, plays the alarm evaluator. */
class ReleaseTraffic {
  private readonly specs = new Map<string, TrafficSpec>();
  private live: LiveTraffic | null = null;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  candidateSince: number | null = null;
  /** When the simulator first gave the release's code a non-zero error rate (its first bad invocation). */
  faultSince: number | null = null;
  readonly routed = new Set<string>();

  constructor(
    private readonly fn: string,
    private readonly kind: ReleaseKind,
    /** The version each region's alias was on when the release started (versions count per region). */
    private readonly stableAtStart: Readonly<Record<string, number>>,
    private readonly lambdas: Record<string, LambdaClient>,
    private readonly cws: Record<string, CloudWatchClient>,
    private readonly canaryAlarm: string,
    private readonly model: RealisticModel | null = null,
  ) {}

  private isRelease(region: string, version: string | null): boolean {
    return version !== null && Number(version) > this.stableAtStart[region]!;
  }

  private errorRate(region: string, version: string | null): number {
    const regression = this.kind === 'small-regression' || this.kind === 'large-regression' ? REGRESSIONS[this.kind] : null;
    if (!this.isRelease(region, version)) return regression?.stable ?? 0;
    if (regression) return regression.candidate;
    if (this.kind === 'bad' || this.kind === 'three-datapoints') return BAD_ERROR_RATE;
    if (this.kind === 'late-errors') return this.candidateSince !== null && Date.now() - this.candidateSince >= LATE_ERRORS_AFTER_MS ? BAD_ERROR_RATE : 0;
    if (this.kind === 'slow-burn') return this.candidateSince === null ? 0 : Math.min(0.5, ((Date.now() - this.candidateSince) / 1000) * SLOW_BURN_PER_SECOND);
    return 0;
  }

  async start(): Promise<void> {
    // Realistic mode: the evaluator owns the alarms (the campaign waited for them to clear).
    if (!this.model) await Promise.all(REGIONS.map((r) => this.cws[r]!.send(new SetAlarmStateCommand({ AlarmName: this.canaryAlarm, StateValue: 'OK', StateReason: 'campaign: new release' }))));
    await this.read();
    const shim = { cloudwatch: (region: string) => this.cws[region]! } as unknown as AwsClients;
    if (this.model) {
      this.live = startTraffic(shim, [...this.specs.values()], { tickMs: 500, realistic: this.model });
    } else {
      const rules: InstantAlarmRule[] = [...this.specs.values()].map((spec) => ({ region: spec.region, alarmName: this.canaryAlarm, target: spec, threshold: ALARM_THRESHOLD, windowMs: 4000, minInvocations: 3 }));
      this.live = startTraffic(shim, [...this.specs.values()], { tickMs: 500, instantAlarms: rules });
    }
    this.timer = setInterval(() => void this.refresh(), 400);
  }

  refresh(): Promise<void> {
    this.chain = this.chain.then(() => this.read()).catch(() => undefined);
    return this.chain;
  }

  private async read(): Promise<void> {
    const perMinute =
      this.kind === 'low-traffic'
        ? this.model
          ? LOW_PER_PRODUCTION_MINUTE
          : LOW_PER_MINUTE
        : this.kind === 'small-regression' || this.kind === 'large-regression'
          ? REGRESSIONS[this.kind].perMinute
          : NORMAL_PER_MINUTE;
    await Promise.all(
      REGIONS.map(async (region) => {
        const alias = await this.lambdas[region]!.send(new GetAliasCommand({ FunctionName: this.fn, Name: 'live' }));
        const stable = alias.FunctionVersion ?? '1';
        const extra = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {})[0];
        const candidate = extra ? extra[0] : null;
        const weight = extra ? extra[1] : 0;
        const onRelease = (this.isRelease(region, candidate) && weight > 0) || this.isRelease(region, stable);
        if (onRelease) {
          this.routed.add(region);
          this.candidateSince ??= Date.now();
        }
        const spec: TrafficSpec = {
          region,
          function: this.fn,
          alias: 'live',
          stable,
          candidate,
          weight,
          perMinute: perMinute * REGION_SHARE[region]!,
          candidateErrorRate: this.errorRate(region, candidate),
          stableErrorRate: this.errorRate(region, stable),
        };
        // The first bad invocation: the release's code failing (a regression's stable fails all along, that is the service's normal).
        const releaseRate = (version: string | null) => (this.isRelease(region, version) ? this.errorRate(region, version) : 0);
        if ((releaseRate(candidate) > 0 && weight > 0) || releaseRate(stable) > 0) this.faultSince ??= Date.now();
        const previous = this.specs.get(region);
        this.specs.set(region, spec);
        if (this.live && JSON.stringify(previous) !== JSON.stringify(spec)) this.live.update(spec);
      }),
    );
  }

  /** Requests of the release (across all regions) and in total. */
  async stop(): Promise<{ total: number; release: number; releaseErrors: number; error: Error | null }> {
    if (this.timer) clearInterval(this.timer);
    await this.chain;
    const totals = (await this.live?.stop()) ?? {};
    let total = 0;
    let release = 0;
    let releaseErrors = 0;
    for (const [key, byVersion] of Object.entries(totals)) {
      const region = key.split('/')[0]!;
      for (const [version, c] of Object.entries(byVersion)) {
        total += c.invocations;
        if (this.isRelease(region, version)) {
          release += c.invocations;
          releaseErrors += c.errors;
        }
      }
    }
    return { total, release, releaseErrors, error: this.live?.lastError() ?? null };
  }
}

interface Lane {
  readonly index: number;
  readonly fn: string;
  readonly workspace: string;
  readonly tempDir: string;
  readonly proxy: FaultProxy;
  readonly stage: ProvisionedStage;
  readonly runner: WorkflowRunner;
  readonly lambdas: Record<string, LambdaClient>;
  readonly cws: Record<string, CloudWatchClient>;
  /** Every zip the lane deployed, by its CodeSha256 (what an unchanged-code release sends again). */
  readonly zips: Map<string, Buffer>;
  onStepStart: (info: { label: string; id: string }) => void;
}

const codeSha256 = (zip: Buffer) => createHash('sha256').update(zip).digest('base64');

/** Published versions of a function in a region, highest first, with their CodeSha256. */
async function publishedVersions(lambda: LambdaClient, fn: string): Promise<{ version: number; sha: string }[]> {
  const out: { version: number; sha: string }[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn, Marker: marker }));
    for (const v of page.Versions ?? []) if (v.Version && v.Version !== '$LATEST') out.push({ version: Number(v.Version), sha: v.CodeSha256 ?? '' });
    marker = page.NextMarker;
  } while (marker);
  return out.sort((a, b) => b.version - a.version);
}

/** An SQS queue in moto (query protocol; moto reads the service and the account from the credential scope). */
async function createQueue(endpoint: string, accessKeyId: string, region: string, name: string): Promise<void> {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${region}/sqs/aws4_request, SignedHeaders=host, Signature=0` },
    body: new URLSearchParams({ Action: 'CreateQueue', QueueName: name, Version: '2012-11-05' }).toString(),
  });
  if (!response.ok) throw new Error(`campaign: CreateQueue ${name}: HTTP ${response.status} ${await response.text()}`);
}

/** The lane's two alarms (both on the function's Errors, ≥ 5 in a 60 s period) with `periods` periods, all of them breaching. */
async function setAlarmPeriods(cws: Record<string, CloudWatchClient>, svc: string, fn: string, periods: number): Promise<void> {
  await Promise.all(
    REGIONS.flatMap((r) =>
      [`${svc}-high-severity`, `${svc}-canary-errors`].map((name) =>
        cws[r]!.send(
          new PutMetricAlarmCommand({
            AlarmName: name,
            AlarmDescription: `${svc}: errors of the service (${periods} of ${periods} periods)`,
            Namespace: 'AWS/Lambda',
            MetricName: 'Errors',
            Dimensions: [{ Name: 'FunctionName', Value: fn }],
            Statistic: 'Sum',
            Period: 60,
            EvaluationPeriods: periods,
            DatapointsToAlarm: periods,
            Threshold: 5,
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
            TreatMissingData: 'notBreaching',
          }),
        ),
      ),
    ),
  );
}

function repoRootOf(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Realistic mode: before a release, let the last release's late data land, then wait until the
 * lane's alarms are OK everywhere, as an operator waits for it to clear (at most 30 production minutes).
 */
async function settleAlarms(cws: Record<string, CloudWatchClient>, names: string[], model: RealisticModel): Promise<void> {
  // The last release's errors are still arriving: an alarm can flip up to the detection floor of a
  // three-period alarm after its last bad invocation, so look only once that much has passed.
  await new Promise((resolve) => setTimeout(resolve, model.detectionFloorMs({ periodSeconds: 60, datapointsToAlarm: 3 })));
  const deadline = Date.now() + model.local(30 * 60_000);
  for (;;) {
    const states = await Promise.all(REGIONS.map(async (r) => (await cws[r]!.send(new DescribeAlarmsCommand({ AlarmNames: names }))).MetricAlarms ?? []));
    if (states.flat().every((a) => a.StateValue === 'OK') || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, model.evaluationIntervalMs));
  }
}

export async function runCampaign(options: CampaignOptions = {}): Promise<CampaignResult> {
  const started = Date.now();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const seed = options.seed ?? 1;
  const count = options.releases ?? 50;
  const laneCount = Math.max(1, Math.min(options.lanes ?? 4, count));
  const repoRoot = options.repoRoot ?? repoRootOf();
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'safe-deploy-campaign-'));
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const plans = planCampaign(seed, count, laneCount, { realistic: Boolean(options.realistic), ...(options.kinds ? { kinds: options.kinds } : {}) });
  mkdirSync(workDir, { recursive: true });
  const handler = readFileSync(join(repoRoot, 'examples/orders/handler.mjs'), 'utf8');
  const zipOf = (name: string) => zipFiles({ 'handler.mjs': handler, 'release.json': `${JSON.stringify({ seed, release: name })}\n` });

  // The bundles are copied once: another build of dist/ during the campaign must not change them mid-run.
  const bundleDir = join(workDir, 'bundles');
  await snapshotBundles(options.bundles ?? join(repoRoot, 'dist'), bundleDir);
  const model = options.realistic ? realisticModel(options.realistic === true ? {} : options.realistic) : null;
  const waves = model ? REALISTIC_WAVES : WAVES;
  print(`safe-deploy campaign: seed ${seed}, ${count} releases on ${laneCount} lanes, waves ${waves.map((w) => `${w.id} (${w.duration})`).join(' → ')} of deploy-stage.yml`);
  let moto: MotoServer | null = null;
  const endpoint = options.endpoint ?? (moto = await startMoto()).endpoint;
  let world: RealisticWorld | null = null;
  if (model) {
    world = await startRealisticWorld({ model, motoEndpoint: endpoint });
    print(`  ${model.describe()}`);
  }
  const lanes: Lane[] = [];
  const results: ReleaseResult[] = [];
  try {
    for (let i = 0; i < laneCount; i++) {
      const svc = `c${i}-${seed}`;
      const fn = `${svc}-api`;
      const request: ProvisionRequest = {
        endpoint,
        service: svc,
        alias: 'live',
        functions: [fn],
        stages: [{ name: 'prod', environment: 'prod', regions: [...REGIONS] }],
        alarms: [`${svc}-high-severity`, `${svc}-canary-errors`],
        code: zipOf(`${svc} v1`),
        handler: 'handler.handler',
      };
      // Every bake waits out the longest function timeout after its duration: 1 s, the smallest Lambda allows.
      const stage = await provisionStage({ ...request, functionTimeoutSeconds: 1 }, 0);
      world?.evaluator.watch(stage.credentials, [...REGIONS], stage.accountId);
      // Realistic mode: the lane's faults first, then the world's proxy (quotas shared by the account).
      const proxy = await startFaultProxy({ target: world?.endpoint ?? endpoint });
      const workspace = join(workDir, `lane-${i}`, 'workspace');
      const tempDir = join(workDir, `lane-${i}`, 'runner');
      rmSync(join(workDir, `lane-${i}`), { recursive: true, force: true });
      mkdirSync(join(workspace, '.github'), { recursive: true });
      mkdirSync(join(workspace, 'build'), { recursive: true });
      writeFileSync(join(workspace, '.github/safe-deploy.yml'), laneConfig(svc));
      const lambdas = Object.fromEntries(REGIONS.map((r) => [r, lambdaClient(endpoint, stage.credentials, r)]));
      const cws = Object.fromEntries(REGIONS.map((r) => [r, cloudwatchClient(endpoint, stage.credentials, r)]));
      const plumbing: PlumbingHandler = async (step) => {
        const name = step.uses.split('@')[0]!;
        if (name === 'actions/checkout') return { note: 'checkout: the lane workspace' };
        if (name === 'aws-actions/configure-aws-credentials') {
          const roleArn = step.with['role-to-assume'] ?? '';
          const credentials = await assumeRole(endpoint, roleArn, step.with['role-session-name'] || 'safe-deploy');
          // The bundles reach AWS through the lane's fault proxy.
          return { env: credentialsEnv(proxy.endpoint, credentials, step.with['aws-region'] || 'us-east-1'), outputs: { 'aws-account-id': stage.accountId }, note: `assumed ${roleArn}` };
        }
        return undefined;
      };
      const lane: Lane = {
        index: i,
        fn,
        workspace,
        tempDir,
        proxy,
        stage,
        lambdas,
        cws,
        zips: new Map([[codeSha256(request.code), request.code]]),
        onStepStart: () => undefined,
        runner: undefined as unknown as WorkflowRunner,
      };
      (lane as { runner: WorkflowRunner }).runner = new WorkflowRunner({
        repoRoot,
        workspace,
        tempDir,
        bundleDir,
        github: {
          repository: `example/${svc}`,
          sha: '0'.repeat(40),
          ref: 'refs/heads/main',
          run_id: '1',
          run_number: '1',
          run_attempt: '1',
          actor: 'campaign',
          event_name: 'push',
          workflow: 'deploy',
          server_url: 'https://github.com',
          api_url: 'https://api.github.com',
          token: 'campaign-token-not-used',
          event: { ref: 'refs/heads/main' },
        },
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          LANG: process.env.LANG ?? 'C.UTF-8',
          AWS_ENDPOINT_URL: proxy.endpoint,
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          SAFE_DEPLOY_CAMPAIGN_LANE: tempDir,
        },
        environmentVars: { prod: { SAFE_DEPLOY_ROLE_ARN: deployerRoleArn(stageAccountId(0)) } },
        plumbing,
        labelJob: ({ inputs }) => String(inputs.wave ?? ''),
        onStepStart: (info) => lane.onStepStart(info),
      });
      lanes.push(lane);
    }
    print(`  moto at ${endpoint}; ${laneCount} lanes provisioned (${secs(Date.now() - started)})`);

    const runRelease = async (plan: ReleasePlan): Promise<ReleaseResult> => {
      const lane = lanes[plan.lane]!;
      const t0 = Date.now();
      const svc = lane.fn.replace(/-api$/, '');
      const name = `r${plan.index}`;
      const commit = createHash('sha1').update(`${seed}/${name}`).digest('hex');
      const firstRegion = REGIONS[0];
      const versionsBefore = await publishedVersions(lane.lambdas[firstRegion]!, lane.fn);
      let zip = zipOf(`${svc} ${name}`);
      if (plan.kind === 'unchanged-code') {
        // The code of the latest published version (what PublishVersion compares $LATEST with).
        const same = lane.zips.get(versionsBefore[0]?.sha ?? '');
        if (!same) throw new Error(`campaign: ${name}: the zip of ${lane.fn} v${versionsBefore[0]?.version} is not one the lane deployed`);
        zip = same;
      }
      lane.zips.set(codeSha256(zip), zip);
      writeFileSync(join(lane.workspace, 'build/function.zip'), zip);
      const stableVersions = await Promise.all(REGIONS.map(async (r) => (await lane.lambdas[r]!.send(new GetAliasCommand({ FunctionName: lane.fn, Name: 'live' }))).FunctionVersion ?? '1'));
      const stableAtStart = Object.fromEntries(REGIONS.map((r, i) => [r, Number(stableVersions[i])]));

      // Faults for this release.
      lane.proxy.clearRules();
      lane.proxy.setLatency(0);
      for (const f of plan.faults) {
        if (f.rule) lane.proxy.addRule(f.rule);
        if (f.latencyMs) lane.proxy.setLatency(f.latencyMs);
      }
      if (plan.monitoring === 'alarm-missing') await lane.cws[REGIONS[0]]!.send(new DeleteAlarmsCommand({ AlarmNames: [`${svc}-high-severity`] }));
      if (plan.monitoring === 'cloudwatch-throttled') lane.proxy.addRule({ operation: 'GetMetricData', times: 3, fault: { kind: 'throttle' } });
      if (plan.monitoring === 'cloudwatch-failing') lane.proxy.addRule({ operation: 'GetMetricData', fault: { kind: 'status', status: 500 } });

      let mapping: string | undefined;
      if (plan.kind === 'unqualified-trigger') {
        const queue = `${svc}-${name}-orders`;
        await createQueue(endpoint, lane.stage.credentials.accessKeyId, firstRegion, queue);
        const created = await lane.lambdas[firstRegion]!.send(new CreateEventSourceMappingCommand({ FunctionName: lane.fn, EventSourceArn: `arn:aws:sqs:${firstRegion}:${lane.stage.accountId}:${queue}`, BatchSize: 10 }));
        mapping = created.UUID;
      }
      if (plan.kind === 'three-datapoints') await setAlarmPeriods(lane.cws, svc, lane.fn, 3);
      if (world) await settleAlarms(lane.cws, [`${svc}-high-severity`, `${svc}-canary-errors`], model!);
      const traffic = new ReleaseTraffic(lane.fn, plan.kind, stableAtStart, lane.lambdas, lane.cws, `${svc}-canary-errors`, model);
      await traffic.start();
      let killLanded = false;
      let attempt = 1;
      let attempts = 0;
      let stormOver: (() => void) | null = null;
      lane.onStepStart = (info) => {
        if (plan.kind === 'cloudwatch-storm' && !stormOver && info.label === 'prod-onebox' && info.id === 'bake') {
          // Every CloudWatch read of the lane answers Throttling for STORM_MS, then the quota recovers.
          const remove = lane.proxy.addRule({ operation: /^(GetMetricData|DescribeAlarms|DescribeAlarmHistory)$/, fault: { kind: 'throttle' } });
          const timer = setTimeout(remove, STORM_MS);
          stormOver = () => {
            clearTimeout(timer);
            remove();
          };
        }
        const kill = plan.kill;
        if (!kill || attempt !== 1 || info.label !== kill.wave || info.id !== kill.step) return;
        const action = kill.step === 'deploy' ? 'wave-deploy' : 'bake-gate';
        setTimeout(() => {
          const pid = findBundleProcess(action, lane.tempDir);
          if (pid !== null) {
            try {
              process.kill(pid, 'SIGKILL');
              killLanded = true;
            } catch {
              // it ended on its own
            }
          }
        }, kill.afterMs);
      };
      let outcome: ReleaseResult['outcome'] = 'promoted';
      let failedWave: string | null = null;
      let bakeResult: string | null = null;
      let rollbackEnd: number | null = null;
      let refusal: string | null = null;
      let failureNote: string | null = null;
      let monitoringFailure = false;
      try {
        for (const wave of waves) {
          attempt = 1;
          for (;;) {
            attempts++;
            lane.runner.updateGithub({ sha: commit, run_id: String(9_000_000 + seed * 1000 + plan.index), run_attempt: String(attempt) });
            const result = await lane.runner.runWorkflow(DEPLOY_STAGE, {
              environment: 'prod',
              config: '.github/safe-deploy.yml',
              stage: 'prod',
              wave: wave.id,
              service: svc,
              functions: lane.fn,
              regions: wave.regions.join(','),
              alias: 'live',
              'block-alarms': `${svc}-high-severity`,
              'rollback-alarms': `${svc}-high-severity,prefix:${svc}-canary-`,
              'zip-file': 'build/function.zip',
              traffic: wave.traffic,
              'bake-duration': wave.duration,
              'bake-min-invocations': String(wave.minInvocations),
              'bake-poll-interval': options.pollInterval ?? '1s',
              'bake-max-wait': model ? '16s' : '4s',
              // The window settles at duration + function timeout + metrics-delay: in the realistic model the
              // delay its late metrics and alarm evaluation need (model.metricsDelay()); moto alone shows metrics
              // at once, and the 3m default would hold every bake.
              'bake-metrics-delay': model ? model.metricsDelay() : '1s',
              'max-error-rate': wave.maxErrorRate,
            });
            await traffic.refresh();
            if (result.result === 'success') break;
            const ran = result.steps.filter((s: StepRecord) => s.outcome !== 'skipped');
            const killedStep = plan.kill && attempt === 1 && killLanded && plan.kill.wave === wave.id;
            if (killedStep) {
              // The killed step failed, the job's rollback step ran; re-run the failed job once.
              attempt++;
              continue;
            }
            failedWave = wave.id;
            const firstFailure = ran.find((s) => s.outcome === 'failure');
            const failedBake = ran.find((s) => s.action === 'bake-gate' && s.outcome === 'failure');
            bakeResult = failedBake?.outputs.result ?? (firstFailure ? `${firstFailure.id} step failed` : null);
            failureNote = firstFailure?.annotations.find((a) => a.startsWith('error'))?.split('\n')[0]?.slice(0, 300) ?? null;
            monitoringFailure = Boolean(failedBake?.annotations.some((a) => a.includes('monitoring failed')));
            const failedDeploy = ran.find((s) => s.action === 'wave-deploy' && s.outcome === 'failure');
            const refused = failedDeploy?.annotations.find((a) => /unqualified trigger|code unchanged/.test(a));
            if (refused) refusal = refused.split('\n').find((l) => /unqualified trigger|code unchanged/.test(l))!.trim().slice(0, 300);
            const rollback = ran.find((s) => s.id === 'rollback');
            outcome = refused ? 'refused' : rollback ? 'rolled-back' : 'stopped';
            if (rollback) rollbackEnd = rollback.startedAt + rollback.durationMs;
            break;
          }
          if (failedWave) break;
        }
      } finally {
        lane.onStepStart = () => undefined;
        (stormOver as (() => void) | null)?.();
      }
      const requests = await traffic.stop();
      const versionsPublished = (await publishedVersions(lane.lambdas[firstRegion]!, lane.fn)).filter((v) => v.version > (versionsBefore[0]?.version ?? 0)).length;
      if (mapping) await lane.lambdas[firstRegion]!.send(new DeleteEventSourceMappingCommand({ UUID: mapping }));
      if (plan.kind === 'three-datapoints') await setAlarmPeriods(lane.cws, svc, lane.fn, 1);
      lane.proxy.clearRules();
      lane.proxy.setLatency(0);
      if (plan.monitoring === 'alarm-missing') {
        // Put the alarm back as the service's infrastructure code would.
        await provisionStage(
          { endpoint, service: svc, alias: 'live', functions: [lane.fn], stages: [{ name: 'prod', environment: 'prod', regions: [...REGIONS] }], alarms: [`${svc}-high-severity`], code: zipOf('unused'), handler: 'handler.handler' },
          0,
        );
      }
      // Where the aliases are now.
      const problems: string[] = [];
      const after = await Promise.all(REGIONS.map(async (r) => lane.lambdas[r]!.send(new GetAliasCommand({ FunctionName: lane.fn, Name: 'live' }))));
      after.forEach((a, i) => {
        const region = REGIONS[i]!;
        const extra = Object.keys(a.RoutingConfig?.AdditionalVersionWeights ?? {});
        if (extra.length > 0) problems.push(`${region}: still splits traffic`);
        const onRelease = Number(a.FunctionVersion) > stableAtStart[region]!;
        // A failed wave rolls back its own regions; regions of waves that passed keep the release.
        const shouldBeOnRelease = (outcome === 'promoted' && i < 2) || (failedWave === 'prod-2' && i === 0);
        if (onRelease !== shouldBeOnRelease) problems.push(`${region}: on v${a.FunctionVersion}, expected ${shouldBeOnRelease ? 'the release' : `v${stableVersions[i]}`}`);
      });
      if (requests.error) problems.push(`traffic simulator: ${requests.error.message}`);
      const faulty = FAULTY_KINDS.has(plan.kind);
      if (outcome === 'refused' && versionsPublished > 0) problems.push(`${firstRegion}: refused, yet ${versionsPublished} version(s) were published`);
      return {
        plan,
        outcome,
        refusal,
        failureNote,
        versionsPublished,
        monitoringFailure,
        failedWave,
        bakeResult,
        routedRegions: REGIONS.filter((r) => traffic.routed.has(r)),
        aliasesAsExpected: problems.length === 0,
        aliasProblems: problems,
        killLanded,
        attempts,
        faultToRollbackMs: faulty && rollbackEnd !== null && traffic.faultSince !== null ? rollbackEnd - traffic.faultSince : null,
        requests: { total: requests.total, release: requests.release, releaseErrors: requests.releaseErrors },
        wallMs: Date.now() - t0,
      };
    };

    await Promise.all(
      lanes.map(async (lane) => {
        for (const plan of plans.filter((p) => p.lane === lane.index)) {
          const r = await runRelease(plan);
          results.push(r);
          print(
            `  ${`r${plan.index}`.padEnd(4)} lane ${plan.lane} ${plan.kind.padEnd(11)} ${(plan.monitoring ?? '').padEnd(20)} → ${r.outcome.padEnd(11)} ${(r.failedWave ?? '').padEnd(11)} ${(r.bakeResult ?? '').padEnd(20)} regions ${r.routedRegions.join(',') || '-'}` +
              `${plan.kill ? ` kill ${plan.kill.step}@${plan.kill.wave}${r.killLanded ? '' : ' (missed)'}` : ''}${plan.faults.length ? ` faults: ${plan.faults.map((f) => f.label).join('; ')}` : ''} (${secs(r.wallMs)})${r.aliasesAsExpected ? '' : ` ALIASES: ${r.aliasProblems.join('; ')}`}`,
          );
        }
      }),
    );
    results.sort((a, b) => a.plan.index - b.plan.index);

    // Every alias of every lane: the record must agree with the routing.
    // Every lane deploys in the same (prod) account: one stage, every lane's function.
    const aliases = lanes.length ? await readAliases(endpoint, [lanes[0]!.stage], lanes.map((l) => l.fn)) : [];
    const inconsistent: string[] = [];
    for (const a of aliases) {
      const record = decodeRecord(a.description);
      const where = `${a.region} ${a.function}:${a.alias}`;
      if (record.kind === 'corrupt') {
        inconsistent.push(`${where}: corrupt record (${record.reason})`);
        continue;
      }
      const drift = detectDrift({ version: a.version, weights: a.additional ? { [a.additional.version]: a.additional.weight } : {}, record });
      if (drift) inconsistent.push(`${where}: ${drift}`);
      if (record.kind === 'record' && a.additional) inconsistent.push(`${where}: left splitting traffic (${record.record.state})`);
    }

    return finish(seed, results, inconsistent, aliases.length, Date.now() - started, options, repoRoot, print);
  } finally {
    for (const lane of lanes) {
      await lane.proxy.close();
      for (const c of [...Object.values(lane.lambdas), ...Object.values(lane.cws)]) c.destroy();
    }
    await world?.stop();
    await moto?.stop();
    // A working directory the campaign made for itself goes with it.
    if (!options.workDir) rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * A release's verdicts. A cloudwatch-storm release (healthy code) is `promoted` when the bake rode
 * out the storm, `failed closed` when a CloudWatch read failed past every retry and the bake
 * refused to pass blind (a monitoring failure: reported, not counted as a healthy release rolled
 * back, and not as a success either), and `YES` (a healthy release rolled back) for anything else,
 * such as an alarm or a metric breach read through the storm.
 */
export function verdictsOf(r: ReleaseResult): { caughtBeforeSecondRegion: string; wronglyRolledBack: string; promotedOnNoData: string; refusedUntouched: string; storm: string } {
  const faulty = FAULTY_KINDS.has(r.plan.kind);
  const untouched = r.outcome === 'refused' && r.versionsPublished === 0 && r.routedRegions.length === 0 && r.aliasesAsExpected;
  const expected = r.plan.kind === 'unqualified-trigger' ? 'unqualified trigger' : 'code unchanged';
  return {
    caughtBeforeSecondRegion: faulty ? (r.outcome !== 'promoted' && !r.routedRegions.some((x) => x !== REGIONS[0]) ? 'yes' : 'NO') : '',
    wronglyRolledBack: r.plan.kind === 'healthy' ? (r.outcome === 'promoted' ? 'no' : 'YES') : '',
    promotedOnNoData: r.plan.kind === 'low-traffic' ? (r.outcome === 'promoted' || r.routedRegions.length > 1 ? 'YES' : 'no') : '',
    refusedUntouched: REFUSED_KINDS.has(r.plan.kind) ? (untouched && (r.refusal ?? '').includes(expected) ? `yes (${expected})` : 'NO') : '',
    storm: r.plan.kind === 'cloudwatch-storm' ? (r.outcome === 'promoted' ? 'promoted' : r.monitoringFailure && r.outcome !== 'refused' ? 'failed closed' : 'YES') : '',
  };
}

/** The deterministic part: the plan and each release's verdicts. */
export function verdictTable(results: readonly ReleaseResult[]): string {
  const lines = ['| release | lane | kind | monitoring fault | AWS faults | kill | outcome | caught before 2nd region | healthy rolled back | low traffic promoted | refused, nothing written | storm | aliases as expected |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|'];
  for (const r of results) {
    const v = verdictsOf(r);
    const kill = r.plan.kill ? `${r.plan.kill.step} in ${r.plan.kill.wave} at +${r.plan.kill.afterMs} ms` : '';
    lines.push(`| r${r.plan.index} | ${r.plan.lane} | ${r.plan.kind} | ${r.plan.monitoring ?? ''} | ${r.plan.faults.map((f) => f.label).join('; ')} | ${kill} | ${r.outcome} | ${v.caughtBeforeSecondRegion} | ${v.wronglyRolledBack} | ${v.promotedOnNoData} | ${v.refusedUntouched} | ${v.storm} | ${r.aliasesAsExpected ? 'yes' : 'NO'} |`);
  }
  return lines.join('\n');
}

function finish(seed: number, results: ReleaseResult[], inconsistent: string[], aliasesChecked: number, wallMs: number, options: CampaignOptions, repoRoot: string, print: (line: string) => void): CampaignResult {
  const faulty = results.filter((r) => FAULTY_KINDS.has(r.plan.kind));
  const refusedKinds = results.filter((r) => REFUSED_KINDS.has(r.plan.kind));
  const refusedOk = refusedKinds.filter((r) => verdictsOf(r).refusedUntouched.startsWith('yes'));
  const storms = results.filter((r) => r.plan.kind === 'cloudwatch-storm');
  const stormRolledBack = storms.filter((r) => verdictsOf(r).storm === 'YES');
  const stormClosed = storms.filter((r) => verdictsOf(r).storm === 'failed closed');
  const caught = faulty.filter((r) => verdictsOf(r).caughtBeforeSecondRegion === 'yes');
  const healthy = results.filter((r) => r.plan.kind === 'healthy');
  const wrongly = healthy.filter((r) => r.outcome !== 'promoted');
  const low = results.filter((r) => r.plan.kind === 'low-traffic');
  const lowPromoted = low.filter((r) => verdictsOf(r).promotedOnNoData === 'YES');
  const unexpected = results.filter((r) => !r.aliasesAsExpected);
  const times = faulty.map((r) => r.faultToRollbackMs).filter((x): x is number => x !== null);
  // Exposure: for each bad release, the share of all requests (all regions) its code served while
  // it was out; the goal is the one-box share of the first region's share of traffic, per release.
  const exposure = faulty.reduce((n, r) => n + (r.requests.total > 0 ? r.requests.release / r.requests.total : 0), 0);
  const exposureGoal = faulty.length * ONEBOX_SHARE * REGION_SHARE[REGIONS[0]]!;
  const allRequests = results.reduce((n, r) => n + r.requests.total, 0);
  const badRequests = faulty.reduce((n, r) => n + r.requests.release, 0);
  const goals: Goal[] = [
    { name: 'bad releases caught before a second region saw them', value: `${caught.length}/${faulty.length} (${faulty.length ? pct(caught.length / faulty.length) : 'n/a'})`, goal: '100%', met: caught.length === faulty.length },
    { name: 'healthy releases wrongly rolled back', value: `${wrongly.length} of ${healthy.length}`, goal: '0', met: wrongly.length === 0 },
    { name: 'low-traffic releases promoted on no data', value: `${lowPromoted.length} of ${low.length}`, goal: '0', met: lowPromoted.length === 0 },
    ...(refusedKinds.length ? [{ name: 'releases refused before any write (unqualified trigger, code unchanged): nothing published, no alias changed, refusal named', value: `${refusedOk.length}/${refusedKinds.length}`, goal: '100%', met: refusedOk.length === refusedKinds.length }] : []),
    ...(storms.length
      ? [{ name: 'healthy releases in a CloudWatch throttling storm rolled back as if bad (a fail-closed monitoring failure is counted apart)', value: `${stormRolledBack.length} of ${storms.length} (promoted ${storms.length - stormRolledBack.length - stormClosed.length}, failed closed on monitoring ${stormClosed.length})`, goal: '0', met: stormRolledBack.length === 0 }]
      : []),
    { name: 'aliases left with an inconsistent record (record vs routing, read back at the end)', value: `${inconsistent.length} of ${aliasesChecked}`, goal: '0', met: inconsistent.length === 0 },
    { name: 'aliases not where the outcome says after a release', value: `${unexpected.length} releases`, goal: '0', met: unexpected.length === 0 },
    { name: 'exposure: requests bad releases served before rollback, share of all requests in their release window (summed over bad releases)', value: pct(exposure), goal: `≤ ${pct(exposureGoal)} (${faulty.length} × ${pct(ONEBOX_SHARE)} one-box × ${pct(REGION_SHARE[REGIONS[0]]!)} first region)`, met: exposure <= exposureGoal },
  ];
  const ok = goals.every((g) => g.met);
  const table = verdictTable(results);
  const sha = createHash('sha256').update(table).digest('hex');
  const byKind = (kind: string) => results.filter((r) => r.plan.kind === kind).length;
  const kindList = ['healthy', 'bad', 'slow-burn', 'low-traffic', 'monitoring', 'small-regression', 'large-regression', ...(options.realistic ? REALISTIC_KINDS : [])];
  const lines: string[] = [];
  lines.push('# safe-deploy fault campaign', '');
  lines.push(`\`npm run campaign -- --seed ${seed} --releases ${results.length}\`: ${ok ? '✅ every goal met' : '❌ a goal was missed'}. ${results.length} releases (${kindList.map((k) => `${byKind(k)} ${k}`).join(', ')}) through the prod one-box, first-region and second-region waves of \`deploy-stage.yml\` with the real bundles, on moto behind the fault proxy.`, '');
  lines.push('## Goals', '');
  lines.push('| measure | value | goal | met |', '|---|---|---|---|');
  for (const g of goals) lines.push(`| ${g.name} | ${g.value} | ${g.goal} | ${g.met ? '✅' : '❌'} |`);
  lines.push('');
  lines.push('## Timing-derived figures (not part of the determinism check)', '');
  lines.push('| measure | value |', '|---|---|');
  const scale = options.realistic ? realisticModel(options.realistic === true ? {} : options.realistic).timeScale : 1;
  const prodMin = (ms: number) => (scale === 1 ? '' : ` = ${((ms * scale) / 60_000).toFixed(1)} production min`);
  const exposures = faulty.map((r) => r.requests.release);
  const errorsServed = faulty.map((r) => r.requests.releaseErrors);
  lines.push(`| time from the first bad invocation to the completed rollback (faulty releases) | median ${times.length ? `${secs(median(times))}${prodMin(median(times))}` : 'n/a'}, max ${times.length ? `${secs(Math.max(...times))}${prodMin(Math.max(...times))}` : 'n/a'} (${times.length} rollbacks) |`);
  lines.push(`| exposure: candidate invocations served before the rollback (faulty releases) | median ${exposures.length ? Math.round(median(exposures)) : 'n/a'}, max ${exposures.length ? Math.max(...exposures) : 'n/a'} |`);
  lines.push(`| exposure: candidate errors served before the rollback (faulty releases) | median ${errorsServed.length ? Math.round(median(errorsServed)) : 'n/a'}, max ${errorsServed.length ? Math.max(...errorsServed) : 'n/a'} |`);
  lines.push(`| share of every simulated request of the campaign served by bad code | ${allRequests ? pct(badRequests / allRequests) : 'n/a'} (${badRequests} of ${allRequests}) |`);
  lines.push(`| kills that landed (bundle still running at the kill time) | ${results.filter((r) => r.killLanded).length} of ${results.filter((r) => r.plan.kill).length} |`);
  lines.push(`| wall time | ${secs(wallMs)} for ${results.length} releases |`);
  if (options.realistic) {
    const model = realisticModel(options.realistic === true ? {} : options.realistic);
    const floor = model.detectionFloorMs({ periodSeconds: 60, datapointsToAlarm: 1 });
    lines.push(`| realistic mode | ${model.describe()} |`);
    lines.push(`| physical floor of detection, one 60 s period alarm (ingestion + period + evaluation interval) | ${secs(floor)} local = ${((floor * model.timeScale) / 60_000).toFixed(1)} production min |`);
  }
  lines.push('');
  lines.push('| release | kind | failed wave | bake result (or failed step) | regions that routed to it | first bad invocation → rollback complete | candidate invocations / errors served | share of requests in its window | attempts | took |', '|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const exposure = FAULTY_KINDS.has(r.plan.kind) || r.requests.release > 0 ? `${r.requests.release} / ${r.requests.releaseErrors}` : '';
    const note = r.refusal ?? r.failureNote;
    const why = note ? ` (${note.replace(/\|/g, '\\|').slice(0, 160)})` : '';
    lines.push(`| r${r.plan.index} | ${r.plan.kind}${r.plan.monitoring ? ` (${r.plan.monitoring})` : ''} | ${r.failedWave ?? ''} | ${r.bakeResult ?? ''}${why} | ${r.routedRegions.join(', ')} | ${r.faultToRollbackMs !== null ? `${secs(r.faultToRollbackMs)}${prodMin(r.faultToRollbackMs)}` : ''} | ${exposure} | ${r.requests.total ? pct(r.requests.release / r.requests.total) : ''} | ${r.attempts} | ${secs(r.wallMs)} |`);
  }
  lines.push('');
  lines.push(`## Verdicts (deterministic for the seed; sha256 \`${sha.slice(0, 16)}\`)`, '');
  lines.push(table, '');
  if (inconsistent.length) {
    lines.push('## Inconsistent aliases', '');
    for (const i of inconsistent) lines.push(`- ${i}`);
    lines.push('');
  }
  if (unexpected.length) {
    lines.push('## Aliases not as expected', '');
    for (const r of unexpected) lines.push(`- r${r.plan.index}: ${r.aliasProblems.join('; ')}`);
    lines.push('');
  }
  const report = `${lines.join('\n')}\n`;
  const reportPath = options.reportPath === undefined ? join(repoRoot, 'bench/out/campaign.md') : options.reportPath;
  if (reportPath) {
    mkdirSync(dirname(reportPath), { recursive: true });
    writeFileSync(reportPath, report);
  }
  print('');
  print('| measure | value | goal | met |');
  for (const g of goals) print(`| ${g.name} | ${g.value} | ${g.goal} | ${g.met ? 'yes' : 'NO'} |`);
  print(`time from the first bad invocation to the completed rollback: median ${times.length ? `${secs(median(times))}${prodMin(median(times))}` : 'n/a'}, max ${times.length ? `${secs(Math.max(...times))}${prodMin(Math.max(...times))}` : 'n/a'}; candidate invocations / errors served before it: max ${exposures.length ? Math.max(...exposures) : 'n/a'} / ${errorsServed.length ? Math.max(...errorsServed) : 'n/a'}`);
  print(`verdict table sha256 ${sha} (same seed → same table); wall ${secs(wallMs)}`);
  if (reportPath) print(`report: ${reportPath}`);
  for (const i of inconsistent) print(`  inconsistent: ${i}`);
  return { seed, releases: results, goals, ok, verdictTable: table, verdictSha: sha, inconsistentAliases: inconsistent, aliasesChecked, wallMs, report };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const usage =
    'usage: npm run campaign -- [--seed N] [--releases N] [--lanes N] [--report FILE] [--instant | --realistic] [--time-scale N]\n' +
    '  runs in the realistic local AWS by default (docs/realistic-aws.md); --instant runs the old instant-metrics world (no realistic kinds)';
  const args = process.argv.slice(2);
  const opts: { seed?: number; releases?: number; lanes?: number; reportPath?: string; realistic?: RealisticOptions } = { realistic: {} };
  let timeScale: number | undefined;
  let instant = false;
  let problem: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = args[i + 1];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    if (arg === '--report' && value) {
      opts.reportPath = resolve(value);
      i++;
      continue;
    }
    if (arg === '--realistic') {
      opts.realistic = {};
      continue;
    }
    if (arg === '--instant') {
      instant = true;
      continue;
    }
    if (arg === '--time-scale' && value !== undefined && /^\d+(?:\.\d+)?$/.test(value) && Number(value) > 0) {
      timeScale = Number(value);
      i++;
      continue;
    }
    if (['--seed', '--releases', '--lanes'].includes(arg) && value !== undefined && /^\d+$/.test(value)) {
      const n = Number(value);
      if (arg === '--seed') opts.seed = n;
      else if (arg === '--releases') opts.releases = n;
      else opts.lanes = n;
      i++;
      continue;
    }
    problem = ['--seed', '--releases', '--lanes', '--report', '--time-scale'].includes(arg) ? `${arg} needs a whole number (a path for --report, a positive number for --time-scale)` : `unknown argument ${arg}`;
    break;
  }
  if (!problem && instant && args.includes('--realistic')) problem = '--instant and --realistic exclude each other';
  if (!problem && timeScale !== undefined && instant) problem = '--time-scale applies to the realistic mode only, not --instant';
  if (instant) delete opts.realistic;
  if (opts.realistic && timeScale !== undefined) opts.realistic = { timeScale };
  if (!problem && opts.releases !== undefined && opts.releases < 1) problem = '--releases must be at least 1';
  if (problem) {
    process.stderr.write(`campaign: ${problem}\n${usage}\n`);
    process.exitCode = 2;
  } else {
    runCampaign(opts)
      .then((r) => {
        process.exitCode = r.ok ? 0 : 1;
      })
      .catch((error: Error) => {
        process.stderr.write(`campaign failed: ${error.stack ?? error.message}\n`);
        process.exitCode = 1;
      });
  }
}
