// `npm run demo`: the whole safe-deploy pipeline of the sample `orders` service, end to end, on moto.
//
//   1. start moto and provision the service: one AWS account per stage (alpha, beta, gamma, prod),
//      in each the deployer role, the config's functions in every region of the stage with version 1 behind
//      the `live` alias, and the alarms;
//   2. simulate traffic in every stage: per-version Lambda metrics that follow what each alias really
//      routes (read back from moto), and CloudWatch's alarm evaluator for the canary alarm;
//   3. release r2 (healthy): run .github/workflows/pipeline.yml with the local workflow runner, which
//      executes plan → build → every wave through .github/workflows/deploy-stage.yml with the real
//      bundles (`node dist/<action>/index.js`, INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY);
//   4. release r3 (bad: a bug only production traffic triggers): the same pipeline; while the prod
//      one-box bakes, its runner is lost (SIGKILL of the bake step: no `failure() || cancelled()`
//      rollback step runs, the pipeline stops); the one-box alarm fires and the guardian installed in
//      the production account (guardian-local.ts: alarm state change events and a sweep every scaled
//      minute) rolls the one-box back, with no runner at all;
//   5. read every alias in moto and check that r2 is everywhere and r3 never reached a second
//      production region; print the timeline and the timing, write demo-report/report.md.
//
// Exit status 0 only when every check holds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetAliasCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { loadConfigOrThrow } from '../../core/src/config-loader.js';
import type { Config } from '../../core/src/config.js';
import { planWaves } from '../../core/src/planner.js';
import type { AwsClients } from '../../aws/src/clients.js';
import { MotoMissingError, startMoto, type MotoServer } from './moto.js';
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
  type AliasState,
  type ProvisionRequest,
  type ProvisionedStage,
} from './provision.js';
import { realisticModel, type RealisticModel, type RealisticOptions } from './realistic.js';
import { startRealisticWorld, type RealisticWorld } from './realistic-world.js';
import { startTraffic, type InstantAlarmRule, type LiveTraffic, type TrafficSpec } from './traffic.js';
import { LocalGuardian, type LocalGuardianRun } from './guardian-local.js';
import { WorkflowRunner, type GithubContext, type PlumbingHandler, type StepRecord } from './workflow-runner.js';

export const DEFAULT_CONFIG = 'examples/orders/safe-deploy.demo.yml';
/** The config `npm run demo` runs in the realistic mode (its default): bakes with `metrics-delay: 3.5s`, what ×60 needs. */
export const REALISTIC_DEMO_CONFIG = 'examples/orders/safe-deploy.demo.realistic.yml';
export const PIPELINE = '.github/workflows/pipeline.yml';
export const DEPLOY_STAGE = '.github/workflows/deploy-stage.yml';
/** Error rate of the bad release under production traffic. */
const BAD_ERROR_RATE = 0.3;
/** The canary alarm the simulator evaluates (created for the config's `prefix:` rollback reference). */
const CANARY_ALARM_SUFFIX = 'errors';
/** The bad release's one-box bake loses its runner this long after the step starts (before any alarm can fire). */
const RUNNER_LOSS_AFTER_MS = 250;
/** Longest the demo waits for the guardian's rollback once the bad release's pipeline has stopped. */
const GUARDIAN_WAIT_MS = 60_000;
/** The guardian function's environment in the production account (guardian/template.yml's defaults). */
const GUARDIAN_ENV = { SAFE_DEPLOY_STORE_PATH: '/safe-deploy', SAFE_DEPLOY_STOP_ALARMS: '', SAFE_DEPLOY_EVENT_BUS: 'default' } as const;

export interface DemoOptions {
  /** Root of the safe-deploy checkout (default: this file's repository). */
  readonly repoRoot?: string;
  /** Demo config, relative to repoRoot. */
  readonly config?: string;
  /** Where report.md and the working files go (default demo-report/ in repoRoot). */
  readonly reportDir?: string;
  /** Time between polls of a watch bake (the pipeline's bake-poll-interval input). */
  readonly pollInterval?: string;
  /** Receives every line the demo prints (default: stdout). */
  readonly print?: (line: string) => void;
  /** Use an already running moto instead of starting one. */
  readonly endpoint?: string;
  /** A moto already starting, which the demo then owns and stops (`npm run demo` starts it before loading the demo). */
  readonly moto?: Promise<MotoServer>;
  /** When the wall clock starts, ms since the epoch (default now; `npm run demo` passes its process start). */
  readonly startedAt?: number;
  /** Run the bundles from this directory instead of dist/ (SAFE_DEPLOY_DEMO_BUNDLES). */
  readonly bundleDir?: string;
  /**
   * Run against the realistic local AWS (docs/realistic-aws.md): true for the default model, or
   * its options (time scale, delays). The bundles then reach moto through the realistic fault
   * proxy (quotas, DescribeAlarmHistory, PublishVersion reuse, Pending versions), Lambda's metrics
   * arrive late, and the alarms are evaluated by the alarm evaluator instead of the instant rule.
   */
  readonly realistic?: boolean | RealisticOptions;
}

export interface TimelineEntry {
  /** Milliseconds since the demo started, when the step ended. */
  readonly atMs: number;
  readonly release: string;
  /** `stage/wave`, `plan` or `build`. */
  readonly where: string;
  /** Our action's name, `run`, or the plumbing action. */
  readonly action: string;
  readonly step: string;
  readonly result: string;
  readonly durationMs: number;
  readonly note: string;
  /** Who acted: a step of the pipeline (on a runner), or the guardian (in the AWS account). */
  readonly actor: 'pipeline' | 'guardian';
}

/** One alias the guardian rolled back. */
export interface GuardianRollback {
  readonly atMs: number;
  readonly region: string;
  readonly function: string;
  readonly alias: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly cause: string | null;
  readonly trigger: string;
}

export interface ReleaseRun {
  readonly tag: string;
  readonly commit: string;
  readonly runId: string;
  readonly bad: boolean;
  readonly result: 'success' | 'failure' | 'cancelled';
  readonly steps: StepRecord[];
}

export interface DemoResult {
  readonly ok: boolean;
  /** What did not hold (empty when ok). */
  readonly failures: string[];
  readonly timeline: TimelineEntry[];
  readonly releases: ReleaseRun[];
  readonly aliases: AliasState[];
  /** Production regions (in order) that ever routed traffic to the bad release. */
  readonly badExposure: string[];
  readonly reportPath: string;
  readonly wallMs: number;
  /** Sum of the `duration` of every bake step that ran. */
  readonly bakeConfiguredMs: number;
  /** Sum of the bake time the run needed: the configured duration of bakes that passed, the time until the failure of those that did not. */
  readonly bakeRequiredMs: number;
  readonly ratio: number;
  /** Where the time beyond the bakes went. */
  readonly breakdown: string;
  /** Median start-up of a bare `node -e 0` at the end of the run: how loaded the machine was. */
  readonly nodeStartMs: number;
  /**
   * Milliseconds from the bad release's first production traffic (its first bad invocation) to the
   * end of the rollback step that removed it; null when it was never rolled back.
   */
  readonly badToRollbackMs: number | null;
  /** Realistic mode: the model, and its upper bound of detection for a one-period alarm (local ms). */
  readonly realistic: { readonly model: string; readonly floorMs: number } | null;
  /** What the guardian of the production account rolled back (the bad release's one-box, its runner lost). */
  readonly guardianRollbacks: GuardianRollback[];
  /** Who removed the bad release from production: the guardian, the pipeline's rollback step, or nobody. */
  readonly rolledBackBy: 'guardian' | 'pipeline' | null;
}

export interface Release {
  readonly tag: string;
  readonly commit: string;
  readonly runId: string;
  readonly bad: boolean;
  readonly change: string;
  /** CodeSha256 of the package the build job produced (set once built). */
  sha: string | null;
}

function repoRootOf(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
}

export function sha256Base64(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64');
}

export function fakeCommit(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Alarm names to create for the config: every named alarm, and `<prefix>errors` for each `prefix:` reference. */
export function alarmNames(config: Config): { all: string[]; canary: string[] } {
  const all = new Set<string>();
  const canary: string[] = [];
  for (const ref of [...config.alarms.block, ...config.alarms.rollback]) {
    if (ref.startsWith('prefix:')) {
      const name = `${ref.slice('prefix:'.length)}${CANARY_ALARM_SUFFIX}`;
      all.add(name);
      if (config.alarms.rollback.includes(ref)) canary.push(name);
    } else {
      all.add(ref);
    }
  }
  // Without a prefix reference, the first rollback alarm plays the canary alarm.
  if (canary.length === 0 && config.alarms.rollback[0]) canary.push(config.alarms.rollback[0]);
  return { all: [...all], canary };
}

/**
 * Invocations per minute per alias so every bake of the stage sees its minimum traffic in half its
 * duration. With a time scale (realistic mode) the bake's local duration stands for `timeScale`
 * times as many production minutes, and the rate is per production minute.
 */
export function trafficRate(config: Config, stage: string, timeScale = 1): number {
  let rate = 600;
  for (const wave of planWaves(config).filter((w) => w.stage === stage)) {
    const minutes = (wave.bake.durationMs * timeScale) / 60_000;
    if (minutes <= 0) continue;
    rate = Math.max(rate, Math.ceil((2 * wave.bake.minInvocations) / (wave.traffic * minutes)));
  }
  return rate;
}

/** The `github` context of the sample service's runs on main (the demo and the overlap scenario). */
export function serviceGithub(patch: Pick<GithubContext, 'sha' | 'run_id' | 'workflow'>): GithubContext {
  return {
    repository: 'example/orders',
    ref: 'refs/heads/main',
    run_number: '1',
    run_attempt: '1',
    actor: 'demo',
    event_name: 'push',
    server_url: 'https://github.com',
    api_url: 'https://api.github.com',
    token: 'demo-token-not-used',
    event: { ref: 'refs/heads/main', repository: { full_name: 'example/orders' } },
    ...patch,
  };
}

/** The runner's environment for the demo's jobs: the tools first on PATH, AWS through `endpoint`. */
export function runnerEnv(toolsDir: string, endpoint: string): Record<string, string> {
  return {
    PATH: `${toolsDir}:${process.env.PATH ?? ''}`,
    HOME: process.env.HOME ?? '/tmp',
    LANG: process.env.LANG ?? 'C.UTF-8',
    AWS_ENDPOINT_URL: endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...(process.env.SAFE_DEPLOY_PYTHON ? { SAFE_DEPLOY_PYTHON: process.env.SAFE_DEPLOY_PYTHON } : {}),
  };
}

/** A `yq` with the mikefarah syntax the pipeline uses (`yq -o=json '.' file`), as on GitHub-hosted runners. */
export function writeYqShim(dir: string, repoRoot: string): void {
  mkdirSync(dir, { recursive: true });
  const yamlModule = join(repoRoot, 'node_modules/yaml/dist/index.js');
  const script = `// yq shim for the demo: GitHub-hosted runners ship mikefarah yq; this answers \`yq --version\`
// and \`yq -o=json '.' FILE\` (the only uses in the workflows) with the yaml package.
const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-V')) {
  console.log('yq (https://github.com/mikefarah/yq/) version v4 (safe-deploy demo shim)');
  process.exit(0);
}
const rest = args.filter((a) => !a.startsWith('-'));
const format = args.find((a) => a.startsWith('-o=') || a.startsWith('--output-format='));
if ((format && !format.endsWith('json')) || rest[0] !== '.' || !rest[1]) {
  console.error('demo yq shim: only "yq -o=json . FILE" is supported, got: ' + args.join(' '));
  process.exit(2);
}
const YAML = require(${JSON.stringify(yamlModule)});
process.stdout.write(JSON.stringify(YAML.parse(require('node:fs').readFileSync(rest[1], 'utf8')), null, 2) + '\\n');
`;
  writeFileSync(join(dir, 'yq.cjs'), script);
  writeFileSync(join(dir, 'yq'), `#!/usr/bin/env bash\nexec node ${JSON.stringify(join(dir, 'yq.cjs'))} "$@"\n`, { mode: 0o755 });
}

/** Follows the aliases of one stage and feeds the traffic simulator what they route. */
export class StageTraffic {
  private live: LiveTraffic | null = null;
  private readonly specs = new Map<string, TrafficSpec>();
  private readonly versionSha = new Map<string, string>();
  private readonly clientsByRegion = new Map<string, ReturnType<typeof cloudwatchClient>>();
  private readonly lambdas = new Map<string, ReturnType<typeof lambdaClient>>();
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    readonly stage: ProvisionedStage,
    private readonly endpoint: string,
    private readonly config: Config,
    private readonly releases: readonly Release[],
    private readonly canaryAlarms: readonly string[],
    private readonly onExposure: (stage: string, region: string, version: string, weight: number) => void,
    /** Realistic mode: late metrics, no instant alarm rule (the world's evaluator judges the alarms). */
    private readonly model: RealisticModel | null = null,
  ) {}

  private rate(): number {
    return trafficRate(this.config, this.stage.name, this.model?.timeScale ?? 1);
  }

  private cw(region: string) {
    let client = this.clientsByRegion.get(region);
    if (!client) {
      client = cloudwatchClient(this.endpoint, this.stage.credentials, region);
      this.clientsByRegion.set(region, client);
    }
    return client;
  }

  private lambda(region: string) {
    let client = this.lambdas.get(region);
    if (!client) {
      client = lambdaClient(this.endpoint, this.stage.credentials, region);
      this.lambdas.set(region, client);
    }
    return client;
  }

  /** Bad code fails only under production traffic (the stage named prod, or the last stage). */
  private errorRate(version: string | null, region: string, fn: string): number {
    if (version === null) return 0;
    const isProd = this.stage.name === 'prod' || this.stage.name === this.config.stages.at(-1)?.name;
    const sha = this.versionSha.get(`${region}/${fn}/${version}`);
    const release = this.releases.find((r) => r.sha !== null && r.sha === sha);
    return isProd && release?.bad ? BAD_ERROR_RATE : 0;
  }

  isBad(region: string, fn: string, version: string | null): boolean {
    if (version === null) return false;
    const sha = this.versionSha.get(`${region}/${fn}/${version}`);
    return this.releases.some((r) => r.bad && r.sha !== null && r.sha === sha);
  }

  async start(): Promise<void> {
    await this.refresh();
    const rate = this.rate();
    const shim = { cloudwatch: (region: string) => this.cw(region) } as unknown as AwsClients;
    const rules: InstantAlarmRule[] = [];
    for (const spec of this.model ? [] : this.specs.values()) {
      for (const alarmName of this.canaryAlarms) {
        rules.push({ region: spec.region, alarmName, target: spec, threshold: this.config.alarms.onebox.errorRate ?? 0.05, windowMs: 30_000 });
      }
    }
    const specs = [...this.specs.values()].map((s) => ({ ...s, perMinute: rate }));
    this.live = startTraffic(shim, specs, this.model ? { tickMs: 1000, realistic: this.model } : { tickMs: 1000, instantAlarms: rules });
    for (const spec of this.specs.values()) this.specs.set(`${spec.region}/${spec.function}`, { ...spec, perMinute: rate });
  }

  /** Reads every alias of the stage and updates the traffic it receives. */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(() => this.doRefresh()).catch(() => undefined);
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    await Promise.all(
      this.stage.regions.flatMap((region) =>
        this.config.functions.map(async (fn) => {
          const alias = await this.lambda(region).send(new GetAliasCommand({ FunctionName: fn, Name: this.config.alias }));
          const stable = alias.FunctionVersion ?? '1';
          const extra = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {})[0];
          const candidate = extra ? extra[0] : null;
          const weight = extra ? extra[1] : 0;
          for (const version of [stable, candidate]) {
            if (version !== null && !this.versionSha.has(`${region}/${fn}/${version}`)) await this.loadVersions(region, fn);
          }
          const key = `${region}/${fn}`;
          const previous = this.specs.get(key);
          const spec: TrafficSpec = {
            region,
            function: fn,
            alias: this.config.alias,
            stable,
            candidate,
            weight,
            perMinute: previous?.perMinute ?? this.rate(),
            candidateErrorRate: this.errorRate(candidate, region, fn),
            stableErrorRate: this.errorRate(stable, region, fn),
          };
          if (this.isBad(region, fn, stable)) this.onExposure(this.stage.name, region, stable, 1 - weight);
          if (candidate !== null && this.isBad(region, fn, candidate)) this.onExposure(this.stage.name, region, candidate, weight);
          const changed = !previous || JSON.stringify(previous) !== JSON.stringify(spec);
          this.specs.set(key, spec);
          if (changed && this.live) this.live.update(spec);
        }),
      ),
    );
  }

  private async loadVersions(region: string, fn: string): Promise<void> {
    let marker: string | undefined;
    do {
      const page = await this.lambda(region).send(new ListVersionsByFunctionCommand({ FunctionName: fn, Marker: marker }));
      for (const v of page.Versions ?? []) if (v.Version && v.CodeSha256) this.versionSha.set(`${region}/${fn}/${v.Version}`, v.CodeSha256);
      marker = page.NextMarker;
    } while (marker);
  }

  async stop(): Promise<void> {
    await this.live?.stop();
    await this.refreshing;
    for (const c of this.clientsByRegion.values()) c.destroy();
    for (const c of this.lambdas.values()) c.destroy();
  }

  lastError(): Error | null {
    return this.live?.lastError() ?? null;
  }
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** One short phrase per step for the timeline. */
export function describeStep(step: StepRecord): string {
  if (step.note) return step.note;
  const o = step.outputs;
  try {
    switch (step.action) {
      case 'plan': {
        const waves = JSON.parse(o.waves ?? '[]') as unknown[];
        return `${waves.length} waves`;
      }
      case 'alarm-check':
        return `block alarms ${o.state ?? '?'} in ${step.with.regions ?? ''}`;
      case 'wave-deploy': {
        const d = JSON.parse(o.deployment ?? 'null') as { traffic: number; targets: { region: string; candidate: string; stable: string }[] } | null;
        if (!d) return step.annotations[0] ?? '';
        const regions = [...new Set(d.targets.map((t) => t.region))];
        const versions = [...new Set(d.targets.map((t) => `v${t.candidate}`))];
        return `${versions.join('/')} at ${Math.round(d.traffic * 1000) / 10}% in ${regions.join(', ')}`;
      }
      case 'bake-gate': {
        const inv = JSON.parse(o.invocations ?? '{}') as Record<string, number>;
        const total = Object.values(inv).reduce((n, v) => n + (typeof v === 'number' ? v : 0), 0);
        return `${o.result ?? 'no result'} after ${step.with.duration} (${total} candidate invocations)${step.outcome === 'failure' && step.annotations[0] ? ` — ${step.annotations[0]}` : ''}`;
      }
      case 'rollback': {
        const done = JSON.parse(o['rolled-back'] ?? '[]') as { region: string; function: string; from: string; fromWeights?: Record<string, number>; to: string }[];
        const from = (d: (typeof done)[number]) =>
          `v${d.from}${Object.entries(d.fromWeights ?? {}).map(([v, w]) => `+v${v}@${Math.round(w * 1000) / 10}%`).join('')}`;
        return done.length === 0 ? 'nothing to roll back' : `${done.map((d) => `${d.region}/${d.function} ${from(d)}→v${d.to}`).join(', ')}`;
      }
    }
  } catch {
    // fall through to the annotation
  }
  if (step.outcome === 'failure') return step.annotations[0] ?? `${step.name}: exit ${step.exitCode}`;
  return step.name;
}

function whereOf(step: StepRecord): string {
  return step.label;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = options.startedAt ?? Date.now();
  // Node 20 here, Node 24 on GitHub's runners: the SDK's warning about Node 20 is noise in the demo.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const repoRoot = options.repoRoot ?? repoRootOf();
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const reportDir = options.reportDir ?? join(repoRoot, 'demo-report');
  const configPath = options.config ?? (options.realistic ? REALISTIC_DEMO_CONFIG : DEFAULT_CONFIG);
  const failures: string[] = [];
  const workspace = join(reportDir, 'workspace');
  const tempDir = join(reportDir, 'runner');
  const toolsDir = join(reportDir, 'tools');
  // Only what the demo itself writes is cleared, never the rest of a --report-dir.
  for (const path of [workspace, tempDir, toolsDir, join(reportDir, 'artifacts'), join(reportDir, 'report.md')]) rmSync(path, { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });

  const configText = readFileSync(resolve(repoRoot, configPath), 'utf8');
  const config = loadConfigOrThrow(configPath, configText);
  const waves = planWaves(config);
  const prod = config.stages.at(-1)!;
  const alarms = alarmNames(config);

  print(`safe-deploy demo: service ${config.service}, functions ${config.functions.join(', ')}, alias ${config.alias}`);
  print(`  config ${configPath}: ${config.stages.map((s) => `${s.name} [${s.regions.join(', ')}]`).join(' → ')}, ${waves.length} waves`);

  let moto: MotoServer | null = null;
  const endpoint = options.endpoint ?? (moto = await (options.moto ?? startMoto())).endpoint;
  // Realistic mode: the bundles talk to the realistic fault proxy; infrastructure, the simulator
  // and the alarm evaluator (AWS's own parts) talk to moto directly.
  const model = options.realistic ? realisticModel(options.realistic === true ? {} : options.realistic) : null;
  let world: RealisticWorld | null = null;
  if (model) {
    try {
      world = await startRealisticWorld({ model, motoEndpoint: endpoint });
    } catch (error) {
      await moto?.stop();
      throw error;
    }
  }
  const apiEndpoint = world?.endpoint ?? endpoint;
  const traffic: StageTraffic[] = [];
  const timeline: TimelineEntry[] = [];
  const runs: ReleaseRun[] = [];
  const exposure = new Map<string, { version: string; weight: number }>();
  let aliases: AliasState[] = [];
  let afterGood: AliasState[] = [];
  let provisioning: Promise<ProvisionedStage>[] = [];
  let setupMs = 0;
  let firstBadAt: number | null = null;
  let guardian: LocalGuardian | null = null;
  const guardianRollbacks: GuardianRollback[] = [];
  // Set once the runner exists: the guardian's rollbacks go into the same timeline as the steps.
  let onGuardianRun: (run: LocalGuardianRun) => void = () => undefined;
  try {
    print(`  moto at ${endpoint} (${seconds(Date.now() - started)})`);
    if (model) print(`  ${model.describe()}; the bundles reach AWS through ${apiEndpoint}`);

    // The service checkout the jobs run in: the config where services keep it, and the handler.
    mkdirSync(join(workspace, '.github'), { recursive: true });
    writeFileSync(join(workspace, '.github/safe-deploy.yml'), configText);
    const handler = readFileSync(join(repoRoot, 'examples/orders/handler.mjs'), 'utf8');
    writeYqShim(toolsDir, repoRoot);

    const releases: Release[] = [
      { tag: 'r1', commit: fakeCommit('orders r1'), runId: '', bad: false, change: 'in production before the demo', sha: null },
      { tag: 'r2', commit: fakeCommit('orders r2'), runId: '7100000002', bad: false, change: 'healthy: adds the order status to the response', sha: null },
      { tag: 'r3', commit: fakeCommit('orders r3'), runId: '7100000003', bad: true, change: 'bad: a new amount parser that fails on non-USD orders, which only production traffic sends', sha: null },
    ];
    const packageOf = (release: Release) =>
      zipFiles({ 'handler.mjs': handler, 'release.json': `${JSON.stringify({ service: config.service, release: release.tag, commit: release.commit, change: release.change }, null, 2)}\n` });
    const r1zip = packageOf(releases[0]!);
    releases[0]!.sha = sha256Base64(r1zip);

    // The stages are provisioned in the background from the start, as their infrastructure would
    // already exist: the plan and build jobs need no AWS, and a wave's credentials step waits for
    // its stage.
    const request: ProvisionRequest = {
      endpoint,
      service: config.service,
      alias: config.alias,
      functions: config.functions,
      stages: config.stages.map((s) => ({ name: s.name, environment: s.environment, regions: s.regions })),
      alarms: alarms.all,
      code: r1zip,
      handler: 'handler.handler',
      // Every bake waits out the longest function timeout after its duration: the smallest Lambda
      // allows (1 s; the handler answers in milliseconds). In realistic mode that is one production
      // minute at ×60; in the instant mode it is what each bake waits past its duration.
      functionTimeoutSeconds: 1,
    };
    const onExposure = (stageName: string, region: string, version: string, weight: number) => {
      if (stageName !== prod.name || weight <= 0) return;
      firstBadAt ??= Date.now();
      const prev = exposure.get(region);
      if (!prev || prev.weight < weight) exposure.set(region, { version, weight });
    };
    const ready = async (stage: ProvisionedStage) => {
      const t = new StageTraffic(stage, endpoint, config, releases, alarms.canary, onExposure, model);
      traffic.push(t);
      world?.evaluator.watch(stage.credentials, stage.regions, stage.accountId);
      await t.start();
      if (stage.name === prod.name) {
        // The guardian's stack in the production account: every region of the stage.
        guardian = new LocalGuardian({
          endpoint: apiEndpoint,
          credentials: stage.credentials,
          account: stage.accountId,
          regions: stage.regions,
          env: GUARDIAN_ENV,
          changes: () => world?.evaluator.changes ?? [],
          sweepEveryMs: model ? Math.max(250, 60_000 / model.timeScale) : 1000,
          onRun: (run) => onGuardianRun(run),
        });
        guardian.start();
      }
      print(`  provisioned ${stage.name} in account ${stage.accountId} (+${seconds(Date.now() - started)})`);
      return stage;
    };
    // The first stage first, since its wave comes first; the rest one after another behind it
    // (provisioning them all at once slows the first down on a 2-CPU machine).
    provisioning = [];
    for (let i = 0; i < config.stages.length; i += 1) {
      const previous = provisioning[i - 1] ?? Promise.resolve(null);
      provisioning.push(previous.catch(() => null).then(() => provisionStage(request, i)).then(ready));
    }
    for (const p of provisioning) p.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
    setupMs = Date.now() - started;
    print(
      `  provisioning ${config.stages.map((s, i) => `${s.name} in account ${stageAccountId(i)}`).join(', ')} in the background: ` +
        `${config.functions.length === 1 ? 'one function' : `${config.functions.length} functions`} on v1 per region; alarms ${alarms.all.join(', ')}`,
    );
    const stageReady = new Map(config.stages.map((s, i) => [s.environment, provisioning[i]!]));

    const stageOfLabel = (label: string) => traffic.find((t) => label === t.stage.name || label.startsWith(`${t.stage.name}/`));
    const artifacts = join(reportDir, 'artifacts');

    const plumbing: PlumbingHandler = async (step) => {
      const name = step.uses.split('@')[0]!;
      switch (name) {
        case 'actions/checkout':
          return { note: 'checkout: the orders service (.github/safe-deploy.yml, src/) is the workspace' };
        case 'actions/setup-node':
          return { note: `setup-node: using ${process.version}` };
        case 'aws-actions/configure-aws-credentials': {
          await stageReady.get(step.environment);
          const roleArn = step.with['role-to-assume'] ?? '';
          if (!roleArn) return { note: 'no role-to-assume (vars.SAFE_DEPLOY_ROLE_ARN of the environment is empty)', outcome: 'failure' };
          const credentials = await assumeRole(endpoint, roleArn, step.with['role-session-name'] || 'safe-deploy');
          const region = step.with['aws-region'] || 'us-east-1';
          const accountId = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(roleArn)?.[1] ?? '';
          const env = credentialsEnv(apiEndpoint, credentials, region);
          return { env, outputs: { 'aws-account-id': accountId }, note: `assumed ${roleArn.replace(/^arn:aws:iam::/, '')} (OIDC emulated by STS on moto)` };
        }
        case 'actions/upload-artifact': {
          const target = join(artifacts, step.with.name ?? 'artifact');
          mkdirSync(target, { recursive: true });
          for (const path of (step.with.path ?? '').split('\n').map((p) => p.trim()).filter(Boolean)) {
            const source = resolve(workspace, path);
            if (!existsSync(source)) return { note: `upload-artifact: ${path} does not exist`, outcome: 'failure' };
            copyFileSync(source, join(target, source.split('/').pop()!));
          }
          return { note: `upload-artifact ${step.with.name}` };
        }
        case 'actions/download-artifact': {
          const source = join(artifacts, step.with.name ?? '');
          if (!step.with.name || !existsSync(source)) return { note: `download-artifact: no artifact ${step.with.name}`, outcome: 'failure' };
          const target = resolve(workspace, step.with.path || '.');
          mkdirSync(target, { recursive: true });
          cpSync(source, target, { recursive: true });
          return { note: `download-artifact ${step.with.name} → ${relative(workspace, target) || '.'}` };
        }
        default:
          return undefined;
      }
    };

    let currentRelease: Release = releases[1]!;
    const runner = new WorkflowRunner({
      repoRoot,
      workspace,
      tempDir,
      ...(options.bundleDir ?? process.env.SAFE_DEPLOY_DEMO_BUNDLES ? { bundleDir: options.bundleDir ?? process.env.SAFE_DEPLOY_DEMO_BUNDLES } : {}),
      github: serviceGithub({ sha: currentRelease.commit, run_id: currentRelease.runId, workflow: 'deploy' }),
      env: runnerEnv(toolsDir, apiEndpoint),
      environmentVars: Object.fromEntries(config.stages.map((s, i) => [s.environment, { SAFE_DEPLOY_ROLE_ARN: deployerRoleArn(stageAccountId(i)) }])),
      plumbing,
      labelJob: ({ jobId, inputs }) => {
        const stage = typeof inputs.stage === 'string' ? inputs.stage : '';
        const wave = typeof inputs.wave === 'string' ? inputs.wave : '';
        return stage ? `${stage}/${wave || stage}` : jobId;
      },
      onStep: (step) => {
        if (step.outcome === 'skipped') return;
        const entry: TimelineEntry = {
          atMs: Date.now() - started,
          release: currentRelease.tag,
          where: whereOf(step),
          action: step.action ?? (step.kind === 'run' ? 'run' : step.uses.split('@')[0]!.split('/').pop()!),
          step: step.id,
          result: step.action === 'bake-gate' && step.outputs.result ? step.outputs.result : step.outcome,
          durationMs: step.durationMs,
          note: describeStep(step),
          actor: 'pipeline',
        };
        timeline.push(entry);
        const mark = step.outcome === 'success' ? '✓' : '✗';
        print(
          `  +${pad(seconds(entry.atMs), 6)} ${entry.release}  ${pad(entry.where, 17)} ${pad(entry.action, 28)} ${pad(entry.step, 18)} ${mark} ${pad(entry.result, 8)} ${pad(seconds(entry.durationMs), 5)}  ${entry.note}`,
        );
        if (step.id === 'stage-package' && step.outcome === 'success') {
          currentRelease.sha = sha256Base64(readFileSync(join(step.workspace, 'build/function.zip')));
        }
        if (step.kind === 'action' || step.kind === 'plumbing') void stageOfLabel(step.label)?.refresh();
      },
    });

    // The bad release's prod one-box bake loses its runner: SIGKILL, no further step of the job.
    const oneboxLabel = `${prod.name}/${waves.find((w) => w.stage === prod.name)!.id}`;
    runner.loseRunner({ runId: releases[2]!.runId, label: oneboxLabel, step: 'bake', afterMs: RUNNER_LOSS_AFTER_MS });
    onGuardianRun = (run) => {
      const rolled = run.result?.rollbacks ?? [];
      for (const r of rolled.length > 0 ? rolled : [null]) {
        const entry: TimelineEntry = {
          atMs: run.at - started,
          release: currentRelease.tag,
          where: `${prod.name}/${run.region}`,
          action: 'guardian',
          step: run.trigger === 'sweep' ? 'sweep' : 'alarm-event',
          result: r ? r.outcome : 'failed',
          durationMs: run.durationMs,
          note: r
            ? `${r.decision.function}:${r.decision.alias} v${r.decision.candidate} off, back on v${r.decision.to} (${r.decision.cause}; ${run.trigger}; no runner)`
            : `invocation failed: ${run.error ?? 'unknown'}`,
          actor: 'guardian',
        };
        timeline.push(entry);
        if (r && r.outcome === 'rolled-back') {
          guardianRollbacks.push({ atMs: entry.atMs, region: run.region, function: r.decision.function ?? '', alias: r.decision.alias ?? '', from: r.decision.candidate, to: r.decision.to, cause: r.decision.cause, trigger: run.trigger });
        }
        print(
          `  +${pad(seconds(entry.atMs), 6)} ${entry.release}  ${pad(entry.where, 17)} ${pad(entry.action, 28)} ${pad(entry.step, 18)} ${r && r.outcome !== 'failed' ? '✓' : '✗'} ${pad(entry.result, 8)} ${pad(seconds(entry.durationMs), 5)}  ${entry.note}`,
        );
      }
      void stageOfLabel(prod.name)?.refresh();
    };

    for (const release of releases.slice(1)) {
      currentRelease = release;
      runner.updateGithub({ sha: release.commit, run_id: release.runId });
      // The service's source at this release; the pipeline's build job packages it.
      rmSync(join(workspace, 'src'), { recursive: true, force: true });
      rmSync(join(workspace, 'build'), { recursive: true, force: true });
      mkdirSync(join(workspace, 'src'), { recursive: true });
      mkdirSync(join(workspace, 'build'), { recursive: true });
      writeFileSync(join(workspace, 'src/function.zip'), packageOf(release));
      print('');
      print(`release ${release.tag} (${release.commit.slice(0, 12)}): ${release.change}`);
      const result = await runner.runWorkflow(PIPELINE, {
        config: '.github/safe-deploy.yml',
        'build-command': 'cp src/function.zip build/function.zip && echo "packaged $(wc -c < build/function.zip) bytes"',
        'package-path': 'build/function.zip',
        'bake-poll-interval': options.pollInterval ?? '1s',
      });
      runs.push({ tag: release.tag, commit: release.commit, runId: release.runId, bad: release.bad, result: result.result, steps: result.steps });
      print(`release ${release.tag}: pipeline ${result.result === 'success' ? 'succeeded' : 'failed'}`);
      if (release.bad) {
        // Nothing of the pipeline is left to roll the one-box back: the guardian must.
        const oneboxRegion = prod.regions[0]!;
        const done = await (guardian as LocalGuardian | null)?.waitFor(
          () => config.functions.every((fn) => guardianRollbacks.some((g) => g.region === oneboxRegion && g.function === fn)),
          GUARDIAN_WAIT_MS,
        );
        print(done ? `release ${release.tag}: the guardian rolled the one-box back in ${oneboxRegion}` : `release ${release.tag}: the guardian did not roll the one-box back within ${seconds(GUARDIAN_WAIT_MS)}`);
      }
      await Promise.all(traffic.map((t) => t.refresh()));
      if (!release.bad) afterGood = await readAliases(endpoint, await Promise.all(provisioning), config.functions);
    }

    // ---- checks -------------------------------------------------------------------------
    const stages = await Promise.all(provisioning);
    aliases = await readAliases(endpoint, stages, config.functions);
    const [good, bad] = [releases[1]!, releases[2]!];
    const [goodRun, badRun] = [runs[0]!, runs[1]!];
    const firstProd = prod.regions[0]!;
    const releaseOf = (a: AliasState, version: string) => releases.find((r) => r.sha !== null && r.sha === a.codeSha[version])?.tag ?? `unknown (v${version})`;
    const show = (a: AliasState) => `${a.stage} ${a.region} ${a.function}:${a.alias}`;
    if (goodRun.result !== 'success') failures.push(`release ${good.tag}: the pipeline failed; it should have gone everywhere`);
    for (const a of afterGood) {
      if (a.additional || releaseOf(a, a.version) !== good.tag) failures.push(`after release ${good.tag}: ${show(a)} is on ${releaseOf(a, a.version)}${a.additional ? ` + v${a.additional.version}` : ''}, not ${good.tag}`);
    }
    if (badRun.result !== 'failure') failures.push(`release ${bad.tag}: the pipeline succeeded; the bad release should have been stopped`);
    for (const a of aliases) {
      if (a.additional) failures.push(`${show(a)} still splits traffic (v${a.version} + v${a.additional.version} at ${a.additional.weight})`);
      // The bug shows only under production traffic: the earlier stages let it through and keep it
      // (the fix goes forward); production must be back on the healthy release.
      const expected = a.stage === prod.name ? good.tag : bad.tag;
      if (releaseOf(a, a.version) !== expected) failures.push(`${show(a)} is on ${releaseOf(a, a.version)}, expected ${expected}`);
    }
    for (const a of aliases.filter((x) => x.stage === prod.name && x.region !== firstProd)) {
      const published = a.published.filter((v) => releaseOf(a, v) === bad.tag);
      if (published.length > 0) failures.push(`${show(a)}: the bad release was published in this production region (v${published.join(', v')})`);
    }
    const exposed = prod.regions.filter((r) => exposure.has(r));
    if (exposed.some((r) => r !== firstProd)) failures.push(`the bad release reached production regions ${exposed.join(', ')}; only ${firstProd} (the one-box) may see it`);
    if (!exposed.includes(firstProd)) failures.push(`the bad release never reached the prod one-box in ${firstProd}: the demo did not show the catch`);
    const badSteps = badRun.steps.filter((s) => s.outcome !== 'skipped');
    const failedBake = badSteps.find((s) => s.action === 'bake-gate' && s.outcome === 'failure');
    if (!failedBake) failures.push(`release ${bad.tag}: no bake failed`);
    else if (failedBake.label !== oneboxLabel) failures.push(`release ${bad.tag}: stopped in ${failedBake.label}, not in the prod one-box ${oneboxLabel} whose runner the demo loses`);
    else if (!failedBake.signals?.includes('SIGKILL')) failures.push(`release ${bad.tag}: the one-box bake ended (${failedBake.outputs.result ?? failedBake.outcome}) before its runner was lost`);
    // A lost runner runs no further step: the pipeline's rollback never ran, the guardian did it.
    const pipelineRollback = badSteps.find((s) => s.action === 'rollback' && s.label === failedBake?.label);
    if (pipelineRollback) failures.push(`release ${bad.tag}: a rollback step ran in ${pipelineRollback.label} although its runner was lost`);
    for (const fn of config.functions) {
      if (!guardianRollbacks.some((g) => g.region === firstProd && g.function === fn)) failures.push(`release ${bad.tag}: the guardian did not roll back ${firstProd} ${fn}:${config.alias}`);
    }
    const strayGuardian = guardianRollbacks.filter((g) => g.region !== firstProd);
    if (strayGuardian.length > 0) failures.push(`the guardian rolled back outside the one-box: ${strayGuardian.map((g) => `${g.region} ${g.function}`).join(', ')}`);
    const rolledBackBy: DemoResult['rolledBackBy'] = guardianRollbacks.some((g) => g.region === firstProd) ? 'guardian' : pipelineRollback?.outcome === 'success' ? 'pipeline' : null;
    for (const t of traffic) {
      const error = t.lastError();
      if (error) failures.push(`traffic simulator (${t.stage.name}): ${error.message}`);
    }
    const evaluatorError = world?.evaluator.lastError();
    if (evaluatorError) failures.push(`alarm evaluator: ${evaluatorError.message}`);
    if (world) {
      const changes = world.evaluator.changes.filter((c) => c.to === 'ALARM');
      print(`  realistic mode: ${world.evaluator.evaluations()} alarm evaluations, ${changes.length} changes to ALARM (${changes.map((c) => `${c.region}/${c.alarmName} at +${seconds(c.at - started)}`).join(', ') || 'none'}); ${world.proxy.log.filter((e) => e.fault === 'throttle').length} requests throttled by the quotas`);
    }

    // ---- timing -------------------------------------------------------------------------
    const bakes = runs.flatMap((r) => r.steps).filter((s) => s.action === 'bake-gate' && s.outcome !== 'skipped');
    const durationOf = (s: StepRecord) => parseSeconds(s.with.duration ?? '0') * 1000;
    const bakeConfiguredMs = bakes.reduce((n, s) => n + durationOf(s), 0);
    const bakeRequiredMs = bakes.reduce((n, s) => n + (s.outputs.result === 'baked' ? durationOf(s) : Math.min(durationOf(s), s.durationMs)), 0);
    const wallMs = Date.now() - started;
    const ratio = bakeRequiredMs > 0 ? wallMs / bakeRequiredMs : Infinity;
    // Where the time beyond the bakes went, and how loaded the machine was (bare node start-up).
    const ran = runs.flatMap((r) => r.steps).filter((s) => s.outcome !== 'skipped');
    const spent = (filter: (s: StepRecord) => boolean) => ran.filter(filter).reduce((n, s) => n + s.durationMs, 0);
    const byAction = new Map<string, number>();
    for (const s of ran) if (s.action && s.action !== 'bake-gate') byAction.set(s.action, (byAction.get(s.action) ?? 0) + s.durationMs);
    const bakeOvershootMs = spent((s) => s.action === 'bake-gate') - bakeRequiredMs;
    const otherStepsMs = spent((s) => !s.action);
    const nodeStartMs = medianNodeStart();

    const badWave = failedBake?.label ?? '(none)';
    print('');
    print(`aliases in moto (${aliases.length}):`);
    for (const stage of config.stages) {
      const rows = aliases.filter((a) => a.stage === stage.name);
      const tag = (a: AliasState, v: string) => releases.find((r) => r.sha !== null && r.sha === a.codeSha[v])?.tag ?? '?';
      print(`  ${pad(stage.name, 6)} ${rows.map((a) => `${a.region}/${a.function}→v${a.version} (${tag(a, a.version)})${a.additional ? `+v${a.additional.version}@${a.additional.weight}` : ''}`).join('  ')}`);
    }
    print('');
    print(`bad release ${bad.tag}: runner lost in ${badWave}; rolled back by ${rolledBackBy ?? 'nobody'}${rolledBackBy === 'guardian' ? ` (${guardianRollbacks.filter((g) => g.region === firstProd).map((g) => `${g.function}:${g.alias} on ${g.cause}, ${g.trigger}`).join(', ')})` : ''}; production regions that ever routed to it: ${exposed.join(', ') || 'none'} (of ${prod.regions.join(', ')})`);
    print(`  (the earlier stages keep ${bad.tag}: its bug shows only under production traffic, so their bakes passed; the fix goes forward)`);
    print(`timing: wall ${seconds(wallMs)}, bakes ${seconds(bakeRequiredMs)} needed (${seconds(bakeConfiguredMs)} configured over ${bakes.length} bake steps), ratio ${ratio.toFixed(2)}`);
    const breakdown =
      `set-up ${seconds(setupMs)} (moto), ${[...byAction.entries()].map(([a, ms]) => `${a} ${seconds(ms)}`).join(', ')}, ` +
      `bake polling past the durations ${seconds(bakeOvershootMs)}, run and plumbing steps ${seconds(otherStepsMs)}, outside any step ${seconds(wallMs - setupMs - spent(() => true))}`;
    print(`  beyond the bakes: ${breakdown}`);
    print(`  machine load: a bare \`node -e 0\` takes ${nodeStartMs} ms now (about 110 ms on an idle machine of this kind)`);
    const reportPath = join(reportDir, 'report.md');
    const guardianEnd = guardianRollbacks.filter((g) => g.region === firstProd).reduce((m, g) => Math.max(m, started + g.atMs), 0);
    const rollbackEnd = guardianEnd > 0 ? guardianEnd : pipelineRollback?.outcome === 'success' ? pipelineRollback.startedAt + pipelineRollback.durationMs : null;
    const badToRollbackMs = rollbackEnd !== null && firstBadAt !== null ? rollbackEnd - firstBadAt : null;
    const realistic = model ? { model: model.describe(), floorMs: model.detectionFloorMs({ periodSeconds: 60, datapointsToAlarm: 1 }) } : null;
    print(
      `  first bad invocation → rollback complete: ${badToRollbackMs !== null ? seconds(badToRollbackMs) : 'n/a'}` +
        (realistic ? ` (${((badToRollbackMs ?? 0) * model!.timeScale / 60_000).toFixed(1)} production min; physical floor of detection ${seconds(realistic.floorMs)} local)` : ''),
    );
    const result: DemoResult = { ok: failures.length === 0, failures, timeline, releases: runs, aliases, badExposure: exposed, reportPath, wallMs, bakeConfiguredMs, bakeRequiredMs, ratio, breakdown, nodeStartMs, badToRollbackMs, realistic, guardianRollbacks, rolledBackBy };
    writeFileSync(reportPath, renderReport(result, config, configPath, stages));
    print(`report: ${relative(process.cwd(), reportPath) || reportPath}`);
    if (failures.length > 0) {
      print('');
      print('DEMO FAILED:');
      for (const f of failures) print(`  - ${f}`);
    } else {
      print(`demo passed: the healthy release reached every region; the bad release lost its runner in the one-box bake and the guardian (no runner) rolled it back there before any other region saw it.`);
    }
    return result;
  } finally {
    await Promise.allSettled(provisioning);
    await (guardian as LocalGuardian | null)?.stop();
    await Promise.all(traffic.map((t) => t.stop()));
    await world?.stop();
    await moto?.stop();
  }
}

export function medianNodeStart(): number {
  const times = [0, 1, 2].map(() => {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    return Number((process.hrtime.bigint() - t0) / 1_000_000n);
  });
  return times.sort((a, b) => a - b)[1]!;
}

function parseSeconds(text: string): number {
  const match = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(text.trim());
  if (!match) return 0;
  const [, h, m, s, ms] = match;
  return Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0) + Number(ms ?? 0) / 1000;
}

function renderReport(result: DemoResult, config: Config, configPath: string, stages: ProvisionedStage[]): string {
  const lines: string[] = [];
  lines.push(`# safe-deploy demo report`, '');
  lines.push(`${result.ok ? '✅ **passed**' : '❌ **failed**'}: service \`${config.service}\`, config \`${configPath}\`, generated by \`npm run demo\`.`, '');
  if (!result.ok) {
    lines.push('## What did not hold', '');
    for (const f of result.failures) lines.push(`- ${f}`);
    lines.push('');
  }
  lines.push('## Story', '');
  lines.push('| release | commit | pipeline | |', '|---|---|---|---|');
  for (const r of result.releases) lines.push(`| ${r.tag} | \`${r.commit.slice(0, 12)}\` | ${r.result} | ${r.bad ? 'bad: fails under production traffic' : 'healthy'} |`);
  lines.push('');
  lines.push(`Production regions that ever routed traffic to the bad release: **${result.badExposure.join(', ') || 'none'}**.`, '');
  lines.push(`From the bad release's first production invocation to the completed rollback: **${result.badToRollbackMs !== null ? seconds(result.badToRollbackMs) : 'n/a'}**.`, '');
  lines.push(
    `Rolled back by: **${result.rolledBackBy ?? 'nobody'}**. The bad release's one-box bake lost its runner (SIGKILL: no \`failure() || cancelled()\` step ran); the guardian of the production account rolled back ${result.guardianRollbacks.map((g) => `${g.region} ${g.function}:${g.alias} (v${g.from} off, back on v${g.to}; ${g.cause}, ${g.trigger})`).join(', ') || 'nothing'}.`,
    '',
  );
  if (result.realistic) lines.push(`Run against the ${result.realistic.model}. Physical floor of detection for a one-period alarm: ${seconds(result.realistic.floorMs)} local ([docs/realistic-aws.md](../docs/realistic-aws.md)).`, '');
  lines.push('## Timing', '');
  lines.push('| wall time | bake time needed | bake time configured | ratio (wall / needed) |', '|---|---|---|---|');
  lines.push(`| ${seconds(result.wallMs)} | ${seconds(result.bakeRequiredMs)} | ${seconds(result.bakeConfiguredMs)} | ${result.ratio.toFixed(2)} |`, '');
  lines.push(`Beyond the bakes: ${result.breakdown}. A bare \`node -e 0\` took ${result.nodeStartMs} ms at the end of the run (about 110 ms on an idle machine of this kind).`, '');
  lines.push('## Accounts', '');
  lines.push('| stage | environment | account | regions |', '|---|---|---|---|');
  for (const s of stages) lines.push(`| ${s.name} | ${s.environment} | ${s.accountId} | ${s.regions.join(', ')} |`);
  lines.push('');
  lines.push('## Aliases at the end (read from moto)', '');
  lines.push('| stage | region | function | version | routing | published |', '|---|---|---|---|---|---|');
  for (const a of result.aliases) {
    lines.push(`| ${a.stage} | ${a.region} | ${a.function}:${a.alias} | ${a.version} | ${a.additional ? `${a.additional.version} @ ${a.additional.weight}` : '—'} | ${a.published.join(', ')} |`);
  }
  lines.push('');
  lines.push('## Timeline', '');
  lines.push('| at | release | actor | stage / wave | action | step | result | took | |', '|---|---|---|---|---|---|---|---|---|');
  for (const t of [...result.timeline].sort((a, b) => a.atMs - b.atMs)) {
    lines.push(`| +${seconds(t.atMs)} | ${t.release} | ${t.actor} | ${t.where} | ${t.action} | ${t.step} | ${t.result} | ${seconds(t.durationMs)} | ${t.note.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
  }
  lines.push('');
  lines.push('## Job summaries', '');
  for (const r of result.releases) {
    lines.push(`### Release ${r.tag}`, '');
    for (const s of r.steps) {
      if (!s.summary.trim()) continue;
      lines.push(`<details${s.outcome === 'failure' || s.action === 'rollback' ? ' open' : ''}><summary>${r.tag} · ${s.label} · ${s.id} (${s.action ?? s.kind}) · ${s.outcome}</summary>`, '');
      lines.push(s.summary.trim(), '', '</details>', '');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `npm run demo [-- --config FILE] [--report-dir DIR]`: returns the exit status. */
export async function demoMain(args: readonly string[], start: Pick<DemoOptions, 'moto' | 'startedAt'> = {}): Promise<number> {
  const usage = [
    'usage: npm run demo -- [--config FILE] [--report-dir DIR] [--instant | --realistic] [--time-scale N]',
    `  --config FILE      safe-deploy config to run (default ${REALISTIC_DEMO_CONFIG}, with --instant ${DEFAULT_CONFIG}; the last stage plays production)`,
    '  --report-dir DIR   where report.md and the working files go (default demo-report/)',
    '  --realistic        (the default) run against the realistic local AWS: late metrics, alarms evaluated on completed periods, quotas (docs/realistic-aws.md)',
    '  --instant          run against moto with instant metrics and alarms instead (the old, kinder world)',
    '  --time-scale N     realistic mode: production seconds per local second (default 60; the default config\'s metrics-delay 3.5s is for ×60)',
    'environment: SAFE_DEPLOY_PYTHON (a Python with moto), SAFE_DEPLOY_DEMO_BUNDLES (run bundles from DIR/<action>/index.js)',
  ].join('\n');
  const options: { config?: string; reportDir?: string; realistic?: RealisticOptions } = { realistic: {} };
  let problem: string | undefined;
  let timeScale: number | undefined;
  let instant = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    const value = args[i + 1];
    if (arg === '--realistic') {
      options.realistic = {};
      continue;
    }
    if (arg === '--instant') {
      instant = true;
      continue;
    }
    if (arg === '--time-scale') {
      if (value === undefined || !/^\d+(?:\.\d+)?$/.test(value) || Number(value) <= 0) {
        problem = '--time-scale needs a positive number (production seconds per local second)';
        break;
      }
      timeScale = Number(value);
      i++;
      continue;
    }
    if ((arg === '--config' || arg === '--report-dir') && value !== undefined && !value.startsWith('--')) {
      if (arg === '--config') options.config = value;
      else options.reportDir = resolve(value);
      i++;
    } else {
      problem = arg === '--config' || arg === '--report-dir' ? `${arg} needs a value` : `unknown argument ${arg}`;
      break;
    }
  }
  if (!problem && instant && args.includes('--realistic')) problem = '--instant and --realistic exclude each other';
  if (!problem && timeScale !== undefined && instant) problem = '--time-scale applies to the realistic mode only, not --instant';
  if (instant) delete options.realistic;
  if (problem) {
    process.stderr.write(`demo: ${problem}\n${usage}\n`);
    return 2;
  }
  if (options.realistic && timeScale !== undefined) options.realistic = { timeScale };
  try {
    const result = await runDemo({ ...options, ...start });
    return result.ok ? 0 : 1;
  } catch (error) {
    // A missing moto is a set-up problem with its own instructions; anything else gets its stack.
    const text = error instanceof MotoMissingError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`demo failed: ${text}\n`);
    return 1;
  }
}
