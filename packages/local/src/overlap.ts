// `npm run demo -- --scenario overlap`: three releases of the orders service merged seconds apart
// (healthy, bad, healthy), with Amazon-length production bakes (1 h one-box, 12 h first region, 3 h
// later waves) on the demo's time scale, through the pipeline as it runs on GitHub:
//
//   - the service's own workflow (examples/orders/workflows/deploy.yml, the starter template with the
//     demo's build) runs in the local workflow runner: each push runs plan, build and pre-production
//     (gamma) and offers the release to production; production moves by the control loop
//     (loop.yml): the push's own loop job, the schedule every two hours (fired on the scenario's
//     production clock) and the loop's dispatch of the workflow again (`gh workflow run`, served by the runner's
//     local GitHub API). Every production step is one short job; no runner waits for a bake;
//   - the realistic local AWS at the scenario's scale (late metrics, evaluated alarms, quotas), a
//     traffic simulator per stage following what each alias routes (the bad release fails under
//     production traffic only), and the guardian in every account watching what is in flight;
//   - the runner of the first production verify is lost mid-bake (SIGKILL, no further step): the
//     next run of the loop verifies that bake again.
//
// It writes demo-report/alias-log.jsonl (every alias write AWS accepted), demo-report/releases.json,
// demo-report/overlap.md (runner minutes per release against bake minutes, the waves, the timeline)
// and exits 0 only when overlap-checks.ts finds nothing wrong and every release's runner time is at
// most 10% of its bake time.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, visit } from 'yaml';
import { loadConfigOrThrow } from '../../core/src/config-loader.js';
import type { Config } from '../../core/src/config.js';
import { planWaves } from '../../core/src/planner.js';
import { alarmNames, describeStep, fakeCommit, medianNodeStart, runnerEnv, serviceGithub, sha256Base64, StageTraffic, writeYqShim, type Release } from './demo.js';
import type { AliasWrite } from './fault-proxy.js';
import { LocalGuardian } from './guardian-local.js';
import { startMoto, type MotoServer } from './moto.js';
import { checkOverlap, sharesOf, type AliasLogLine, type CheckWave, type OverlapRelease, type OverlapVerdict } from './overlap-checks.js';
import { assumeRole, credentialsEnv, deployerRoleArn, provisionStage, readAliases, stageAccountId, zipFiles, type ProvisionRequest, type ProvisionedStage } from './provision.js';
import { realisticModel, type RealisticModel } from './realistic.js';
import { startRealisticWorld, type RealisticWorld } from './realistic-world.js';
import { WorkflowRunner, type JobRecord, type PlumbingHandler, type StepRecord, type WorkflowRun } from './workflow-runner.js';

export const OVERLAP_CONFIG = 'examples/orders/safe-deploy.overlap.yml';
export const OVERLAP_WORKFLOW = 'examples/orders/workflows/deploy.yml';
/** Production seconds per local second: one production hour is ten local seconds. */
export const OVERLAP_TIME_SCALE = 360;
/** Production ms between two merges. */
const MERGE_GAP_MS = 5_000;
/** The most production time the scenario may take before it gives up. */
const PRODUCTION_LIMIT_MS = 60 * 3_600_000;
/** Runner time per release may be at most this share of its bake time. */
const RUNNER_SHARE_LIMIT = 0.1;
const GUARDIAN_ENV = { SAFE_DEPLOY_STORE_PATH: '/safe-deploy', SAFE_DEPLOY_STOP_ALARMS: '', SAFE_DEPLOY_EVENT_BUS: 'default' } as const;

export interface OverlapOptions {
  readonly repoRoot?: string;
  /** Where alias-log.jsonl, releases.json, overlap.md and the working files go (default demo-report/). */
  readonly reportDir?: string;
  readonly timeScale?: number;
  readonly print?: (line: string) => void;
  readonly moto?: Promise<MotoServer>;
  readonly startedAt?: number;
  readonly bundleDir?: string;
  /** Give up after this much production time (default 60 h). */
  readonly productionLimitMs?: number;
  /** The config with production durations, relative to repoRoot or absolute (default OVERLAP_CONFIG). */
  readonly config?: string;
  /**
   * Fail when a release's runner time is above 10% of its bake time (default true). A config with
   * short bakes (the e2e test's) cannot meet it, since a job's floor is a billed minute; the figure
   * is still reported.
   */
  readonly judgeRunnerTime?: boolean;
}

/**
 * Runner and bake time of one release, production ms. A job's runner time is its work at the
 * machine's speed (the time scale shrinks waiting, not computing) plus its bake steps' waiting on
 * the production clock, rounded up to the whole minute per job as GitHub bills it
 * (docs.github.com, "Viewing job execution time"). `scaled*` is the strict other reading, every
 * local second of a job on the production clock, which counts this machine's process start-ups
 * ×timeScale.
 */
export interface ReleaseTime {
  readonly tag: string;
  readonly commit: string;
  readonly healthy: boolean;
  /** Jobs that worked on this release only (its push run, its deploy and verify legs). */
  readonly ownMs: number;
  /** Its share of the loop's bookkeeping jobs (stages, before, next, again) while it was in flight. */
  readonly sharedMs: number;
  readonly scaledOwnMs: number;
  readonly scaledSharedMs: number;
  /** Bake time: each wave it completed, its whole bake; a wave it was rolled back in, until the rollback. */
  readonly bakeMs: number;
  readonly jobs: number;
  /** What became of it: `everywhere`, `rolled back in <wave>`, `superseded by <tag>`, ... */
  readonly fate: string;
}

export interface OverlapResult {
  readonly ok: boolean;
  readonly failures: string[];
  readonly verdict: OverlapVerdict;
  readonly aliasLog: AliasLogLine[];
  readonly releases: (OverlapRelease & { tag: string })[];
  readonly times: ReleaseTime[];
  readonly jobs: readonly JobRecord[];
  /** Every step that ran, in order. */
  readonly steps: readonly StepRecord[];
  readonly wallMs: number;
  readonly productionMs: number;
  readonly timeScale: number;
  readonly reportDir: string;
  readonly lostRunner: string | null;
}

function repoRootOf(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
}

/** Duration text (`12h`, `20m`, `1h30m`) in ms. */
function durationMs(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|d|h|m|s)/g)) total += Number(n) * { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[unit as 'ms']!;
  return total;
}

function localDuration(productionMs: number, scale: number): string {
  return `${Math.max(0.1, Math.round(productionMs / scale / 100) / 10)}s`;
}

/**
 * The config on the scenario's time scale: every `duration` divided by the scale, every bake's
 * `metrics-delay` what the realistic model needs (ingestion, one period, one evaluation).
 */
export function scaleConfig(text: string, model: RealisticModel, source = OVERLAP_CONFIG): string {
  const doc = parseDocument(text);
  visit(doc, {
    Map(_, node) {
      if (!node.has('duration')) return;
      const value = node.get('duration');
      if (typeof value === 'string') node.set('duration', localDuration(durationMs(value), model.timeScale));
      node.set('metrics-delay', model.metricsDelay());
    },
  });
  return `# The overlap scenario's config at ×${model.timeScale} (generated from ${source}: each duration divided by ${model.timeScale}).\n${doc.toString()}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)}h`;
const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}%`;

export async function runOverlap(options: OverlapOptions = {}): Promise<OverlapResult> {
  const started = options.startedAt ?? Date.now();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const repoRoot = options.repoRoot ?? repoRootOf();
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const reportDir = options.reportDir ?? join(repoRoot, 'demo-report');
  const work = join(reportDir, 'overlap');
  rmSync(work, { recursive: true, force: true });
  for (const f of ['alias-log.jsonl', 'releases.json', 'overlap.md']) rmSync(join(reportDir, f), { force: true });
  const workspace = join(work, 'checkout');
  const toolsDir = join(work, 'tools');
  mkdirSync(join(workspace, '.github'), { recursive: true });
  mkdirSync(join(workspace, 'src'), { recursive: true });

  const model = realisticModel({ timeScale: options.timeScale ?? OVERLAP_TIME_SCALE });
  const T = model.timeScale;
  const production = (localMs: number) => localMs * T;
  const configSource = options.config ?? OVERLAP_CONFIG;
  const configText = scaleConfig(readFileSync(resolve(repoRoot, configSource), 'utf8'), model, configSource);
  const configPath = join(work, 'config.yml');
  writeFileSync(configPath, configText);
  writeFileSync(join(workspace, '.github/safe-deploy.yml'), configText);
  const config: Config = loadConfigOrThrow(relative(repoRoot, configPath), configText);
  const waves = planWaves(config);
  const checkWaves: CheckWave[] = waves.map((w) => ({ id: w.id, stage: w.stage, regions: w.regions, traffic: w.traffic, bakeMs: w.bake.durationMs }));
  const prod = config.stages.at(-1)!;
  const alarms = alarmNames(config);
  writeYqShim(toolsDir, repoRoot);

  const handler = readFileSync(join(repoRoot, 'examples/orders/handler.mjs'), 'utf8');
  const releases: (Release & { baseline: boolean })[] = [
    { tag: 'r0', commit: fakeCommit('orders overlap r0'), runId: '', bad: false, change: 'in production before the scenario', sha: null, baseline: true },
    { tag: 'A', commit: fakeCommit('orders overlap A'), runId: '7300000001', bad: false, change: 'healthy: adds the order status to the response', sha: null, baseline: false },
    { tag: 'B', commit: fakeCommit('orders overlap B'), runId: '7300000002', bad: true, change: 'bad: an amount parser that fails on non-USD orders, which only production sends', sha: null, baseline: false },
    { tag: 'C', commit: fakeCommit('orders overlap C'), runId: '7300000003', bad: false, change: 'healthy: fixes the parser and adds a currency field', sha: null, baseline: false },
  ];
  for (const r of releases) {
    const zip = zipFiles({ 'handler.mjs': handler, 'release.json': `${JSON.stringify({ service: config.service, release: r.tag, commit: r.commit, change: r.change }, null, 2)}\n` });
    r.sha = sha256Base64(zip);
    if (!r.baseline) writeFileSync(join(workspace, 'src', `${r.commit}.zip`), zip);
  }
  const baselineZip = zipFiles({ 'handler.mjs': handler, 'release.json': `${JSON.stringify({ service: config.service, release: 'r0', commit: releases[0]!.commit, change: releases[0]!.change }, null, 2)}\n` });

  print(`safe-deploy overlap scenario: ${releases.slice(1).map((r) => `${r.tag} (${r.bad ? 'bad' : 'healthy'})`).join(', ')} merged ${MERGE_GAP_MS / 1000} s apart`);
  print(`  ${model.describe()}`);
  print(`  waves: ${waves.map((w) => `${w.id} [${w.regions.join(', ')}${w.traffic < 1 ? ` ${w.traffic * 100}%` : ''}] bake ${hours(production(w.bake.durationMs))}`).join(' → ')}`);

  let moto: MotoServer | null = null;
  let world: RealisticWorld | null = null;
  const stages: ProvisionedStage[] = [];
  const traffic: StageTraffic[] = [];
  const guardians: LocalGuardian[] = [];
  const writes: AliasWrite[] = [];
  let runner: WorkflowRunner | null = null;
  let api: { url: string; stop(): Promise<void> } | null = null;
  const runs: WorkflowRun[] = [];
  const steps: StepRecord[] = [];
  const failures: string[] = [];
  let productionStart = 0;
  try {
    moto = await (options.moto ?? startMoto());
    const stageByAccount = new Map<string, ProvisionedStage>();
    world = await startRealisticWorld({
      model,
      motoEndpoint: moto.endpoint,
      onAliasWrite: (write) => {
        writes.push(write);
        const account = write.alias.AliasArn?.split(':')[4] ?? '';
        const stage = stageByAccount.get(account);
        const t = traffic.find((x) => x.stage === stage);
        void t?.refresh();
        printWrite(write, stage?.name ?? account);
      },
    });
    const printWrite = (write: AliasWrite, stage: string) => {
      const routing = Object.entries(write.alias.RoutingConfig?.AdditionalVersionWeights ?? {});
      const extra = routing.map(([v, w]) => ` + v${v} ${Math.round(w * 1000) / 10}%`).join('');
      print(`  ${clock(write.at)} ${stage.padEnd(5)} ${write.region.padEnd(10)} ${write.alias.Name ?? ''} → v${write.alias.FunctionVersion}${extra}   (${write.caller ?? 'unknown'})`);
    };
    const clock = (at: number) => `+${seconds(at - started).padStart(6)} (${hours(production(at - (productionStart || started)))})`;

    const request: ProvisionRequest = {
      endpoint: moto.endpoint,
      service: config.service,
      alias: config.alias,
      functions: config.functions,
      stages: config.stages.map((s) => ({ name: s.name, environment: s.environment, regions: s.regions })),
      alarms: alarms.all,
      code: baselineZip,
      handler: 'handler.handler',
      functionTimeoutSeconds: 1,
    };
    for (let i = 0; i < config.stages.length; i++) {
      const stage = await provisionStage(request, i);
      stages.push(stage);
      stageByAccount.set(stage.accountId, stage);
      world.evaluator.watch(stage.credentials, stage.regions, stage.accountId);
      const t = new StageTraffic(stage, moto.endpoint, config, releases, alarms.canary, () => undefined, model);
      traffic.push(t);
      await t.start();
      const guardian = new LocalGuardian({
        endpoint: world.endpoint,
        credentials: stage.credentials,
        account: stage.accountId,
        regions: stage.regions,
        env: GUARDIAN_ENV,
        changes: () => world?.evaluator.changes ?? [],
        sweepEveryMs: Math.max(250, 60_000 / T),
      });
      guardian.start();
      guardians.push(guardian);
    }
    const provisioned = await readAliases(moto.endpoint, stages, config.functions);
    const provisionedAt = Date.now();
    print(`  provisioned ${stages.map((s) => `${s.name} (account ${s.accountId}: ${s.regions.join(', ')})`).join(', ')}; every alias on r0 (+${seconds(provisionedAt - started)})`);

    // The runner plays GitHub: the service's repository, its environments and its API.
    const plumbing: PlumbingHandler = async (step) => {
      const name = step.uses.split('@')[0]!;
      if (name === 'actions/setup-node') return { note: `setup-node: using ${process.version}` };
      if (name !== 'aws-actions/configure-aws-credentials') return undefined;
      const roleArn = step.with['role-to-assume'] ?? '';
      if (!roleArn) return { note: 'no role-to-assume (vars.SAFE_DEPLOY_ROLE_ARN of the environment is empty)', outcome: 'failure' };
      const credentials = await assumeRole(moto!.endpoint, roleArn, step.with['role-session-name'] || 'safe-deploy');
      const accountId = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(roleArn)?.[1] ?? '';
      return { env: credentialsEnv(world!.endpoint, credentials, step.with['aws-region'] || 'us-east-1'), outputs: { 'aws-account-id': accountId }, note: `assumed ${roleArn.replace(/^arn:aws:iam::/, '')}` };
    };
    let lostRunner: string | null = null;
    runner = new WorkflowRunner({
      repoRoot,
      workspace,
      tempDir: join(work, 'runner'),
      ...(options.bundleDir ?? process.env.SAFE_DEPLOY_DEMO_BUNDLES ? { bundleDir: options.bundleDir ?? process.env.SAFE_DEPLOY_DEMO_BUNDLES } : {}),
      github: serviceGithub({ sha: releases[1]!.commit, run_id: '7200000000', workflow: 'Deploy' }),
      env: runnerEnv(toolsDir, world.endpoint),
      environmentVars: Object.fromEntries(config.stages.map((s, i) => [s.environment, { SAFE_DEPLOY_ROLE_ARN: deployerRoleArn(stageAccountId(i)) }])),
      workflowFiles: { 'deploy.yml': OVERLAP_WORKFLOW },
      // Jobs run at the machine's speed: only waiting (bakes, periods, delays) is on the time scale,
      // so job and step timeouts stay in real minutes.
      plumbing,
      labelJob: ({ jobId, inputs, matrix }) => {
        // The loop's verify legs by their wave (loop.yml's own `stage` input names the loop's stage).
        if (jobId === 'verify' && typeof matrix?.wave === 'string') return `verify ${matrix.wave}`;
        const stage = typeof inputs.stage === 'string' ? inputs.stage : '';
        const wave = typeof inputs.wave === 'string' ? inputs.wave : typeof matrix?.wave === 'string' ? matrix.wave : '';
        return stage ? `${stage}/${wave || stage}` : wave ? `${jobId} ${wave}` : jobId;
      },
      onRun: (run) => {
        runs.push(run.handle);
        print(`  ${clock(Date.now())} run ${run.runId}: ${run.workflow} on ${run.event}`);
      },
      onStep: (step: StepRecord) => {
        steps.push(step);
        if (step.action === 'plan' && step.with.mode === 'next' && step.outcome === 'success' && !/(^|\/ )before\b/.test(step.job)) {
          const deploy = step.outputs.deploy ?? '[]';
          const verify = (JSON.parse(step.outputs.verify ?? '[]') as { wave: string }[]).map((v) => v.wave);
          print(`  ${clock(Date.now())} loop ${step.runId} ${step.with.stage || ''}: deploy ${deploy}, verify ${JSON.stringify(verify)}, next run ${step.outputs['next-run'] || 'none'}`);
        } else if (step.outcome === 'failure' || step.signals.length > 0) {
          print(`  ${clock(Date.now())} ${step.runId} ${step.label} ${step.id}: ${step.outcome}${step.signals.length ? ` (${step.signals.join(', ')})` : ''} ${describeStep(step)}`);
        }
        if (step.signals.includes('SIGKILL') && step.action === 'bake-gate') lostRunner = `${step.label} (run ${step.runId})`;
      },
    });
    api = await runner.startGithubApi();
    // The first production verify loses its runner mid-bake: nothing of that job runs on.
    runner.loseRunner({ label: `verify ${waves.find((w) => w.stage === prod.name)!.id}`, step: 'verify', afterMs: 150 });

    // ---- the merges -----------------------------------------------------------------------
    productionStart = Date.now();
    for (const [i, release] of releases.filter((r) => !r.baseline).entries()) {
      if (i > 0) await sleep(MERGE_GAP_MS / T);
      print(`  ${clock(Date.now())} merge ${release.tag} (${release.commit.slice(0, 12)}): ${release.change}`);
      const run = runner.start(OVERLAP_WORKFLOW, {
        github: { sha: release.commit, run_id: release.runId, event_name: 'push', event: { ref: 'refs/heads/main', after: release.commit, head_commit: { id: release.commit }, repository: { full_name: 'example/orders' } } },
      });
      runs.push(run);
    }

    // ---- the schedule: the workflow's cron on the production clock ----------------------------
    const productionNow = () => new Date(Date.UTC(2026, 11, 2, 0, 0, 0) + production(Date.now() - productionStart));
    let lastMinute = Math.floor(productionNow().getTime() / 60_000);
    // Done: every alias wholly on the last release, its last wave's bake verified after its last
    // shift (the lease ended), and no run left.
    const lastWave = waves.at(-1)!;
    const done = async (): Promise<boolean> => {
      const aliases = await readAliases(moto!.endpoint, stages, config.functions);
      const last = releases.at(-1)!;
      if (!aliases.every((a) => !a.additional && a.codeSha[a.version] === last.sha)) return false;
      const lastShift = Math.max(...writes.map((w) => w.at));
      const verified = steps.some((s) => s.action === 'bake-gate' && s.with.mode === 'verify' && s.outcome === 'success' && s.label === `verify ${lastWave.id}` && s.startedAt > lastShift);
      return verified && (await settledRuns());
    };
    const settledRuns = async () => {
      const pending = runner!.runs.filter((r) => r.status !== 'completed');
      return pending.length === 0;
    };
    let finished = false;
    while (!finished) {
      await sleep(Math.max(20, 30_000 / T));
      const minute = Math.floor(productionNow().getTime() / 60_000);
      for (let m = lastMinute + 1; m <= minute; m++) {
        for (const run of runner.schedule(OVERLAP_WORKFLOW, new Date(m * 60_000), { run_id: runner.newRunId() })) runs.push(run);
      }
      lastMinute = minute;
      for (const t of traffic) void t.refresh();
      if (production(Date.now() - productionStart) > (options.productionLimitMs ?? PRODUCTION_LIMIT_MS)) {
        failures.push(`the scenario did not settle within ${hours(options.productionLimitMs ?? PRODUCTION_LIMIT_MS)} of production time`);
        break;
      }
      finished = await done();
    }
    await Promise.allSettled(runs.map((r) => r.result));
    const endedAt = Date.now();

    // ---- the alias log ----------------------------------------------------------------------
    const finalAliases = await readAliases(moto.endpoint, stages, config.functions);
    const shaOf = new Map<string, string>(); // account/region/function/version -> CodeSha256
    for (const a of finalAliases) for (const [v, sha] of Object.entries(a.codeSha)) shaOf.set(`${a.accountId}/${a.region}/${a.function}/${v}`, sha);
    const commitOf = (account: string, region: string, fn: string, version: string) => releases.find((r) => r.sha === shaOf.get(`${account}/${region}/${fn}/${version}`))?.commit ?? `unknown`;
    const aliasLog: AliasLogLine[] = [];
    for (const a of provisioned) {
      aliasLog.push({ at: provisionedAt, stage: a.stage, region: a.region, function: a.function, alias: a.alias, version: a.version, weights: { [a.version]: 1 }, commits: { [a.version]: releases[0]!.commit }, by: 'provisioning' });
    }
    for (const w of writes) {
      const [, , , region, account, , fn, alias] = (w.alias.AliasArn ?? '').split(':');
      const stage = stageByAccount.get(account ?? '');
      if (!stage || !fn || !alias || !w.alias.FunctionVersion) continue;
      const extra = w.alias.RoutingConfig?.AdditionalVersionWeights ?? {};
      const named = [w.alias.FunctionVersion, ...Object.keys(extra)];
      const rest = 1 - Object.values(extra).reduce((n, x) => n + x, 0);
      aliasLog.push({
        at: w.at,
        stage: stage.name,
        region: region ?? w.region,
        function: fn,
        alias,
        version: w.alias.FunctionVersion,
        weights: { [w.alias.FunctionVersion]: Math.round(rest * 1e6) / 1e6, ...extra },
        commits: Object.fromEntries(named.map((v) => [v, commitOf(stage.accountId, region ?? w.region, fn, v)])),
        by: w.caller ?? 'unknown',
      });
    }
    aliasLog.sort((a, b) => a.at - b.at);
    const overlapReleases = releases.map((r) => ({ tag: r.tag, commit: r.commit, healthy: !r.bad, ...(r.baseline ? { baseline: true } : {}) }));
    writeFileSync(join(reportDir, 'alias-log.jsonl'), aliasLog.map((l) => JSON.stringify(l)).join('\n') + '\n');
    writeFileSync(join(reportDir, 'releases.json'), `${JSON.stringify({ config: relative(repoRoot, configPath), timeScale: T, releases: overlapReleases }, null, 2)}\n`);

    // ---- checks -----------------------------------------------------------------------------
    const verdict = checkOverlap(aliasLog, overlapReleases, checkWaves, prod.name);
    failures.push(...verdict.failures);
    if (!lostRunner) failures.push('no runner was lost mid-bake: the scenario did not show the loop verifying a bake again');
    for (const t of traffic) {
      const error = t.lastError();
      if (error) failures.push(`traffic simulator (${t.stage.name}): ${error.message}`);
    }
    const evaluatorError = world.evaluator.lastError();
    if (evaluatorError) failures.push(`alarm evaluator: ${evaluatorError.message}`);

    // ---- runner time against bake time --------------------------------------------------------
    const jobs = runner.jobs.filter((j) => j.result !== 'skipped');
    const times = releaseTimes({ jobs, steps, runs: runner.runs, releases, log: aliasLog, waves: checkWaves, timeScale: T, verdict, prodStage: prod.name });
    for (const t of options.judgeRunnerTime === false ? [] : times) {
      if (t.bakeMs > 0 && (t.ownMs + t.sharedMs) / t.bakeMs > RUNNER_SHARE_LIMIT) {
        failures.push(`release ${t.tag}: runner time ${minutes(t.ownMs + t.sharedMs)} is ${percent(t.ownMs + t.sharedMs, t.bakeMs)} of its bake time ${minutes(t.bakeMs)}, above ${RUNNER_SHARE_LIMIT * 100}%`);
      }
    }
    const wallMs = Date.now() - started;
    const result: OverlapResult = { ok: failures.length === 0, failures, verdict, aliasLog, releases: overlapReleases, times, jobs, steps, wallMs, productionMs: production(endedAt - productionStart), timeScale: T, reportDir, lostRunner };
    writeFileSync(join(reportDir, 'overlap.md'), renderOverlap(result, checkWaves, relative(repoRoot, configPath), medianNodeStart()));
    print('');
    print('');
    print(`release  ${'production regions'.padEnd(32)} ${'runner (billed)'.padEnd(16)} ${'bake'.padEnd(10)} share   fate`);
    for (const t of times) {
      const regions = verdict.prodRegions[t.commit] ?? [];
      print(`  ${t.tag.padEnd(6)} ${(regions.join(', ') || 'none').padEnd(32)} ${minutes(t.ownMs + t.sharedMs).padEnd(16)} ${minutes(t.bakeMs).padEnd(10)} ${(t.bakeMs > 0 ? percent(t.ownMs + t.sharedMs, t.bakeMs) : 'n/a').padEnd(7)} ${t.fate}`);
    }
    print(`wall ${seconds(wallMs)} for ${hours(result.productionMs)} of production time (×${T}); ${jobs.length} jobs in ${runner.runs.length} runs; runner lost: ${lostRunner ?? 'none'}`);
    print(`wrote ${relative(process.cwd(), join(reportDir, 'alias-log.jsonl'))} (${aliasLog.length} writes), releases.json, overlap.md`);
    if (failures.length > 0) {
      print('OVERLAP SCENARIO FAILED:');
      for (const f of failures) print(`  - ${f}`);
    } else {
      print('overlap scenario passed: every check of the alias log holds and every release used at most 10% of its bake time on runners.');
    }
    return result;
  } finally {
    for (const run of runs) run.cancel();
    await Promise.allSettled(runs.map((r) => r.result));
    await api?.stop();
    await Promise.allSettled(guardians.map((g) => g.stop()));
    await Promise.allSettled(traffic.map((t) => t.stop()));
    await world?.stop();
    await moto?.stop();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runner time per release: the jobs of its push run and every deploy or verify leg that names its
 * commit are its own; the loop's bookkeeping jobs are shared evenly among the releases in flight
 * when they ran (pushed, not yet through production; or among every release, when none was).
 */
export function releaseTimes(input: {
  jobs: readonly JobRecord[];
  steps: readonly StepRecord[];
  runs: readonly { runId: string; event: string; headSha: string; conclusion: string | null; createdAt: number }[];
  releases: readonly (Release & { baseline: boolean })[];
  log: readonly AliasLogLine[];
  waves: readonly CheckWave[];
  timeScale: number;
  verdict: OverlapVerdict;
  prodStage: string;
}): ReleaseTime[] {
  const { jobs, steps, runs, releases, log, waves, timeScale: T, verdict, prodStage } = input;
  const scenario = releases.filter((r) => !r.baseline);
  const zero = () => ({ ms: 0, scaled: 0, jobs: 0 });
  const own = new Map(scenario.map((r) => [r.commit, zero()]));
  const shared = new Map(scenario.map((r) => [r.commit, zero()]));
  const short = (c: string) => c.slice(0, 12);
  const commitOfJob = (job: JobRecord): string | null => {
    const deployment = typeof job.matrix?.deployment === 'string' ? (JSON.parse(job.matrix.deployment) as { commit?: string }).commit : undefined;
    for (const value of [job.inputs?.commit, job.matrix?.commit, deployment]) {
      if (typeof value !== 'string' || value === '') continue;
      const hit = scenario.find((r) => short(r.commit) === short(value));
      if (hit) return hit.commit;
    }
    const run = runs.find((r) => r.runId === job.runId);
    return run?.event === 'push' ? (scenario.find((r) => r.commit === run.headSha)?.commit ?? null) : null;
  };
  // In flight: from its push (from then on every run of the loop decides for it too, if only that it
  // waits) until its last production write and that wave's bake. A release that never reached
  // production shares nothing.
  const flight = new Map<string, { from: number; to: number }>();
  for (const line of log) {
    if (line.stage !== prodStage) continue;
    for (const commit of sharesOf(line).keys()) {
      const pushed = runs.find((r) => r.event === 'push' && r.headSha === commit)?.createdAt ?? line.at;
      flight.set(commit, { from: Math.min(flight.get(commit)?.from ?? pushed, pushed), to: line.at });
    }
  }
  const longestBake = Math.max(...waves.map((w) => w.bakeMs));
  for (const job of jobs) {
    const wallMs = Math.max(0, job.endedAt - job.startedAt);
    // A watch bake waits in its job; a verify is due only once its window has passed, so it computes.
    const waitMs = steps.filter((s) => s.runId === job.runId && s.job === job.job && s.action === 'bake-gate' && s.with.mode !== 'verify').reduce((n, s) => n + s.durationMs, 0);
    const runnerMs = Math.ceil((wallMs - Math.min(waitMs, wallMs) + Math.min(waitMs, wallMs) * T) / 60_000) * 60_000;
    const commit = commitOfJob(job);
    const among = commit
      ? [commit]
      : (() => {
          const inFlight = scenario.filter((r) => {
            const f = flight.get(r.commit);
            return f && job.startedAt >= f.from && job.startedAt <= f.to + longestBake;
          });
          return (inFlight.length > 0 ? inFlight : scenario).map((r) => r.commit);
        })();
    for (const c of among) {
      const bucket = (commit ? own : shared).get(c)!;
      bucket.ms += runnerMs / among.length;
      bucket.scaled += (wallMs * T) / among.length;
      if (commit) bucket.jobs += 1;
    }
  }
  return scenario.map((r) => {
    let bakeMs = 0;
    let fate = 'never deployed';
    const reached = verdict.reached[r.commit] ?? {};
    for (const [i, wave] of waves.entries()) {
      const at = reached[wave.id];
      if (at === undefined) continue;
      const next = waves[i + 1];
      if (!next || reached[next.id] !== undefined) {
        bakeMs += wave.bakeMs;
        fate = next ? fate : 'everywhere';
        continue;
      }
      // The wave it stopped in: baked until it left (a rollback, or a newer release taking over).
      const left = log.find((l) => l.at > at && l.stage === wave.stage && wave.regions.includes(l.region) && !sharesOf(l).has(r.commit));
      bakeMs += left ? Math.min(wave.bakeMs, left.at - at) : wave.bakeMs;
      fate = left && left.at - at < wave.bakeMs ? `rolled back in ${wave.id}` : `stopped after ${wave.id}`;
    }
    if (fate === 'never deployed') {
      const run = runs.find((x) => x.headSha === r.commit && x.event === 'push');
      const later = scenario.slice(scenario.indexOf(r) + 1).find((x) => verdict.prodRegions[x.commit]);
      if (run?.conclusion === 'cancelled' && later) fate = `superseded by ${later.tag} before its push run started (the pending run was replaced)`;
      else if (later) fate = `superseded by ${later.tag}`;
    }
    const o = own.get(r.commit)!;
    const sh = shared.get(r.commit)!;
    return { tag: r.tag, commit: r.commit, healthy: !r.bad, ownMs: o.ms, sharedMs: sh.ms, scaledOwnMs: o.scaled, scaledSharedMs: sh.scaled, bakeMs: bakeMs * T, jobs: o.jobs, fate };
  });
}

function renderOverlap(result: OverlapResult, waves: readonly CheckWave[], configPath: string, nodeStartMs: number): string {
  const T = result.timeScale;
  const min = (ms: number) => minutes(ms * T);
  const lines: string[] = [];
  lines.push('# safe-deploy overlap scenario', '');
  lines.push(`${result.ok ? '✅ **passed**' : '❌ **failed**'}: \`npm run demo -- --scenario overlap\`, config \`${configPath}\` at ×${T} (one local second is ${T} production seconds).`, '');
  if (!result.ok) {
    lines.push('## What did not hold', '');
    for (const f of result.failures) lines.push(`- ${f}`);
    lines.push('');
  }
  lines.push('## Releases', '');
  lines.push('| release | commit | health | fate | production regions | runner, billed (own + shared) | bake | runner / bake | every job second ×scale / bake |', '|---|---|---|---|---|---|---|---|---|');
  for (const t of result.times) {
    const share = t.bakeMs > 0 ? percent(t.ownMs + t.sharedMs, t.bakeMs) : 'n/a (never baked)';
    const scaled = t.bakeMs > 0 ? percent(t.scaledOwnMs + t.scaledSharedMs, t.bakeMs) : 'n/a';
    lines.push(`| ${t.tag} | \`${t.commit.slice(0, 12)}\` | ${t.healthy ? 'healthy' : 'bad'} | ${t.fate} | ${(result.verdict.prodRegions[t.commit] ?? []).join(', ') || 'none'} | ${minutes(t.ownMs + t.sharedMs)} (${minutes(t.ownMs)} in ${t.jobs} jobs + ${minutes(t.sharedMs)} shared) | ${minutes(t.bakeMs)} | **${share}** | ${scaled} |`);
  }
  lines.push('');
  lines.push(
    `Runner time is the production-time length of every job that ran (start to end, on the ${T}× clock); a release's own jobs are its push run and the deploy and verify legs naming its commit, and the loop's bookkeeping jobs are shared among the releases in production at the time. Bake time is the bake of every wave it completed, and of a wave it was rolled back in until the rollback. Wall ${seconds(result.wallMs)} for ${hours(result.productionMs)} of production; a bare \`node -e 0\` took ${nodeStartMs} ms at the end (about 110 ms idle). Runner lost mid-bake: ${result.lostRunner ?? 'none'}.`,
    '',
  );
  if (result.verdict.overlap) lines.push(`Two healthy releases in production at once from +${seconds(result.verdict.overlap.at - (result.aliasLog[0]?.at ?? 0))}: ${result.verdict.overlap.commits.map((c) => c.slice(0, 12)).join(' and ')}.`, '');
  lines.push('## Waves', '');
  lines.push('| release | ' + waves.map((w) => `${w.id} (${minutes(w.bakeMs * T)})`).join(' | ') + ' |', '|---|' + waves.map(() => '---').join('|') + '|');
  const t0 = result.aliasLog[0]?.at ?? 0;
  for (const r of result.releases.filter((x) => !x.baseline)) {
    const reached = result.verdict.reached[r.commit] ?? {};
    lines.push(`| ${r.tag} | ${waves.map((w) => (reached[w.id] !== undefined ? `${hours((reached[w.id]! - t0) * T)}` : '—')).join(' | ')} |`);
  }
  lines.push('', 'Each cell: production time when the wave had the release at its whole share.', '');
  lines.push('## Alias writes', '');
  lines.push('| at (production) | stage | region | alias | routing | by |', '|---|---|---|---|---|---|');
  const tags = new Map(result.releases.map((r) => [r.commit, r.tag]));
  for (const l of result.aliasLog) {
    const routing = [...sharesOf(l).entries()].map(([c, w]) => `${tags.get(c) ?? c.slice(0, 12)} ${Math.round(w * 1000) / 10}%`).join(' + ');
    lines.push(`| ${hours((l.at - t0) * T)} | ${l.stage} | ${l.region} | ${l.function}:${l.alias} | ${routing} | ${l.by ?? ''} |`);
  }
  lines.push('');
  lines.push('## Jobs', '');
  lines.push('| run | job | started (production) | took (production) | result |', '|---|---|---|---|---|');
  for (const j of result.jobs) lines.push(`| ${j.runId} | ${j.label} | ${hours((j.startedAt - t0) * T)} | ${min(j.endedAt - j.startedAt)} | ${j.result} |`);
  return `${lines.join('\n')}\n`;
}
