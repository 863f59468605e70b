// The GitHub semantics the pipeline relies on, as the local workflow runner models them, on the
// real workflow files: a fresh workspace per job (B3), concurrency groups (U1), cancellation and its
// signals (U5), job timeouts and the 5-minute cut-off (U4), environments and their variables (B4),
// schedule and dispatch triggers. Our actions are scripted stand-ins here (workflow-runner-actions.ts):
// what is under test is what the runner does around the steps.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { cronMatches, type StepRecord } from '../../packages/local/src/workflow-runner.js';
import { FAST, scriptedRunner as setup } from './workflow-runner-actions.js';
import { ROOT, directory, harness, sleep, stageInputs } from './workflow-runner-harness.js';

const PIPELINE = '.github/workflows/pipeline.yml';
const DEPLOY_STAGE = '.github/workflows/deploy-stage.yml';
const ROLLBACK = '.github/workflows/rollback.yml';
interface FileJob {
  concurrency?: { queue?: string };
  steps?: { id?: string; if?: unknown }[];
}
const workflowFile = (path: string) => parseYaml(readFileSync(join(ROOT, path), 'utf8')) as { jobs: Record<string, FileJob> };
const deployGroup = () => workflowFile(DEPLOY_STAGE).jobs.deploy!.concurrency ?? {};

const ran = (steps: StepRecord[]) => steps.filter((s) => s.outcome !== 'skipped');
const until = async (what: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(20);
  }
};

describe('a fresh workspace per job (B3)', () => {
  it('pipeline.yml: each job starts empty; the wave job has the checkout and the artifact, not the build output; the stage test needs test-setup', async () => {
    const { runner, steps } = setup({ env: { SD_BAKE_MS: '50' } });
    const inputs = {
      config: '.github/safe-deploy.yml',
      'build-command': 'echo built > build/function.zip && touch build/only-in-build',
      'package-path': 'build/function.zip',
      'test-setup': 'touch .deps-installed',
    };
    const result = await runner.runWorkflow(PIPELINE, inputs);
    expect(result.result).toBe('success');
    const jobOf = (stepId: string) => steps.find((s) => s.id === stepId && s.outcome !== 'skipped')!.job;
    const workspaceOf = (job: string) => [...new Set(steps.filter((s) => s.job === job).map((s) => s.workspace))];
    const waveJob = jobOf('post-traffic-test');
    const [plan, build, deploy] = [workspaceOf(jobOf('plan')), workspaceOf(jobOf('build')), workspaceOf(waveJob)];
    expect([plan.length, build.length, deploy.length]).toEqual([1, 1, 1]);
    expect(new Set([plan[0], build[0], deploy[0]]).size).toBe(3);
    expect(existsSync(join(build[0]!, 'build/only-in-build'))).toBe(true);
    expect(existsSync(join(deploy[0]!, 'build/only-in-build'))).toBe(false);
    expect(existsSync(join(deploy[0]!, '.safe-deploy-package/package.zip'))).toBe(true);
    const order = ran(steps.filter((s) => s.job === waveJob)).map((s) => s.id);
    // The setup runs in the wave's own job, after its checkout and package, before anything in AWS.
    const at = (id: string) => order.indexOf(id);
    expect(at('checkout')).toBeGreaterThanOrEqual(0);
    expect([at('checkout') < at('test-setup'), at('package') < at('test-setup'), at('test-setup') < at('aws'), at('aws') < at('post-traffic-test')]).toEqual([true, true, true, true]);

    // The same release without the setup: the stage test runs in a job without dependencies, as on GitHub.
    steps.length = 0;
    const bare = await runner.runWorkflow(PIPELINE, { ...inputs, 'test-setup': '' }, undefined);
    expect(bare.result).toBe('failure');
    const test = steps.find((s) => s.id === 'post-traffic-test')!;
    expect(test.outcome).toBe('failure');
    expect(steps.find((s) => s.id === 'rollback')!.outcome).toBe('success');
  });

  it('RUNNER_TEMP is per job and an artifact name is taken once per run (upload-artifact v4 and later: 409)', async () => {
    const root = directory('sd-gh-temp-', {
      '.github/workflows/w.yml': `on: push
jobs:
  one:
    steps:
      - run: echo "temp=$RUNNER_TEMP" >> "$GITHUB_OUTPUT"; touch "$RUNNER_TEMP/left-over"; echo x > a.txt
        id: t
      - uses: actions/upload-artifact@v6
        with: { name: pkg, path: a.txt }
  two:
    needs: one
    steps:
      - run: test ! -e "$RUNNER_TEMP/left-over" && test ! -e a.txt && echo "temp=$RUNNER_TEMP" >> "$GITHUB_OUTPUT"
        id: t
      - uses: actions/download-artifact@v7
        with: { name: pkg }
      - run: test -f a.txt
      - uses: actions/upload-artifact@v6
        with: { name: pkg, path: a.txt }
`,
    });
    const { runner, steps } = harness({ repoRoot: root });
    const result = await runner.runWorkflow('.github/workflows/w.yml');
    const outcomes = steps.map((s) => `${s.job}:${s.uses.split('@')[0]}:${s.outcome}`);
    expect(outcomes).toEqual(['one:run:success', 'one:actions/upload-artifact:success', 'two:run:success', 'two:actions/download-artifact:success', 'two:run:success', 'two:actions/upload-artifact:failure']);
    expect(steps[0]!.outputs.temp).not.toBe(steps[2]!.outputs.temp);
    expect(steps.at(-1)!.note).toMatch(/already exists/);
    expect(result.jobs.two!.result).toBe('failure');
  });
});

describe('concurrency groups (U1)', () => {
  it("deploy-stage.yml: releases queue on the stage's group as the file says (queue: single replaces the pending wave, queue: max keeps it)", async () => {
    const queue = deployGroup().queue ?? 'single';
    const { runner, steps, actions } = setup({ env: { SD_BAKE_MS: '800' } });
    const a = runner.start(DEPLOY_STAGE, { inputs: stageInputs(), github: { run_id: 'A' } });
    await until(() => actions.read().some((e) => e.action === 'bake-gate' && e.run === 'A'));
    const b = runner.start(DEPLOY_STAGE, { inputs: stageInputs(), github: { run_id: 'B' } });
    await sleep(50);
    const c = runner.start(DEPLOY_STAGE, { inputs: stageInputs(), github: { run_id: 'C' } });
    const [ra, rb, rc] = await Promise.all([a.result, b.result, c.result]);
    const group = runner.concurrencyEvents.map((e) => `${e.what}:${e.holder}`);
    expect(runner.concurrencyEvents.every((e) => e.group === 'safe-deploy-deploy-orders-live-prod')).toBe(true);
    if (queue === 'max') {
      expect([ra.result, rb.result, rc.result]).toEqual(['success', 'success', 'success']);
      expect(group).toEqual([
        'running:run A / deploy', 'pending:run B / deploy', 'pending:run C / deploy', 'released:run A / deploy',
        'running:run B / deploy', 'released:run B / deploy', 'running:run C / deploy', 'released:run C / deploy',
      ]);
    } else {
      // U1: B's wave never starts, nothing of it ran, and nobody is told but the run's conclusion.
      expect([ra.result, rb.result, rc.result]).toEqual(['success', 'cancelled', 'success']);
      expect(rb.jobs.deploy!.note).toMatch(/pending in concurrency group safe-deploy-deploy-orders-live-prod/);
      expect(steps.filter((s) => s.runId === 'B')).toEqual([]);
      expect(group).toEqual(['running:run A / deploy', 'pending:run B / deploy', 'replaced:run B / deploy', 'pending:run C / deploy', 'released:run A / deploy', 'running:run C / deploy', 'released:run C / deploy']);
    }
    // No two waves of the stage overlap: C's job started only after A's (and B's) ended.
    const end = (id: string) => Math.max(...steps.filter((s) => s.runId === id).map((s) => s.startedAt + s.durationMs));
    const start = (id: string) => Math.min(...steps.filter((s) => s.runId === id).map((s) => s.startedAt));
    expect(start('C')).toBeGreaterThanOrEqual(queue === 'max' ? end('B') : end('A'));
  });

  it('queue: max keeps every pending holder, in arrival order', async () => {
    const root = directory('sd-gh-queue-', {
      '.github/workflows/w.yml': `on: push
jobs:
  j:
    concurrency: { group: "g-\${{ github.repository }}", cancel-in-progress: false, queue: max }
    steps:
      - run: sleep 0.3; echo "\${{ github.run_id }}" >> "$ORDER"
`,
    });
    const order = join(directory('sd-gh-order-'), 'order');
    const { runner } = harness({ repoRoot: root, env: { PATH: process.env.PATH ?? '', ORDER: order } });
    const runs = ['1', '2', '3', '4'].map((id) => runner.start('.github/workflows/w.yml', { github: { run_id: id } }));
    const results = await Promise.all(runs.map((r) => r.result));
    expect(results.map((r) => r.result)).toEqual(['success', 'success', 'success', 'success']);
    expect(runner.concurrencyEvents.filter((e) => e.what === 'running').map((e) => e.holder)).toEqual(['run 1 / j', 'run 2 / j', 'run 3 / j', 'run 4 / j']);
    expect(runner.concurrencyEvents.some((e) => e.what === 'replaced')).toBe(false);
  });

  it('ci.yml: workflow-level cancel-in-progress cancels the running run of the same pull request', async () => {
    let slow = true;
    const { runner, steps } = setup({
      runStep: () => 'not run in this test',
      onPlumbing: async (step) => {
        if (step.uses.startsWith('actions/setup-node@') && slow) await sleep(400);
      },
    });
    const push = { event_name: 'pull_request', ref: 'refs/pull/7/merge', event: { pull_request: { number: 7 } } };
    const first = runner.start('.github/workflows/ci.yml', { github: { ...push, run_id: 'first' } });
    await sleep(150);
    slow = false;
    const second = runner.start('.github/workflows/ci.yml', { github: { ...push, run_id: 'second' } });
    const [r1, r2] = await Promise.all([first.result, second.result]);
    expect(r1.result).toBe('cancelled');
    expect(r2.result).not.toBe('cancelled');
    expect(runner.concurrencyEvents.map((e) => `${e.what}:${e.holder}`).slice(0, 3)).toEqual(['running:run first', 'cancelled-in-progress:run first', 'pending:run second']);
    // In the cancelled run, the steps after the cancel are skipped.
    expect(steps.filter((s) => s.runId === 'first' && s.uses === 'run').every((s) => s.outcome === 'skipped')).toBe(true);
  }, 30_000);

  it('ci.yml: a newer push to main waits for the running run instead of cancelling it (C3)', async () => {
    let slow = true;
    const { runner } = setup({
      runStep: () => 'not run in this test',
      onPlumbing: async (step) => {
        if (step.uses.startsWith('actions/setup-node@') && slow) await sleep(400);
      },
    });
    const push = { event_name: 'push', ref: 'refs/heads/main' };
    const first = runner.start('.github/workflows/ci.yml', { github: { ...push, run_id: 'first' } });
    await sleep(150);
    slow = false;
    const second = runner.start('.github/workflows/ci.yml', { github: { ...push, run_id: 'second' } });
    const [r1, r2] = await Promise.all([first.result, second.result]);
    expect([r1.result, r2.result]).not.toContain('cancelled');
    expect(runner.concurrencyEvents.some((e) => e.what === 'cancelled-in-progress')).toBe(false);
  }, 30_000);
});

describe('cancellation (U5)', () => {
  it('deploy-stage.yml: a cancelled bake gets SIGINT, SIGTERM and the kill; the rollback step (failure() || cancelled()) runs', async () => {
    const { runner, steps, actions } = setup();
    const run = runner.start(DEPLOY_STAGE, { inputs: stageInputs(), github: { run_id: 'X' } });
    await until(() => actions.read().some((e) => e.action === 'bake-gate' && e.event === 'start'));
    const cancelledAt = Date.now();
    run.cancel();
    const result = await run.result;
    const bake = steps.find((s) => s.id === 'bake')!;
    expect(bake.outcome).toBe('cancelled');
    expect(bake.signals).toEqual(['SIGINT', 'SIGTERM', 'SIGKILL']);
    const journal = actions.read();
    const at = (action: string, event: string) => journal.find((e) => e.action === action && e.event === event)?.at ?? NaN;
    expect(at('bake-gate', 'SIGINT') - cancelledAt).toBeLessThan(1_000);
    expect(at('bake-gate', 'SIGTERM') - at('bake-gate', 'SIGINT')).toBeGreaterThanOrEqual(FAST.termAfterMs - 50);
    expect(bake.startedAt + bake.durationMs - at('bake-gate', 'SIGTERM')).toBeGreaterThanOrEqual(FAST.killAfterMs - 50);
    expect(journal.some((e) => e.action === 'bake-gate' && e.event === 'done')).toBe(false);
    const rollback = steps.find((s) => s.id === 'rollback')!;
    expect(rollback.outcome).toBe('success');
    expect(rollback.startedAt).toBeGreaterThanOrEqual(bake.startedAt + bake.durationMs);
    expect(result.jobs.deploy!.result).toBe('cancelled');
    expect(result.result).toBe('cancelled');
  });

  it("GitHub's own timings by default: SIGTERM 7.5 s after SIGINT, the kill 2.5 s later", async () => {
    const { runner, steps, actions } = setup({ signals: 'github' });
    const run = runner.start(DEPLOY_STAGE, { inputs: stageInputs(), github: { run_id: 'R' } });
    await until(() => actions.read().some((e) => e.action === 'bake-gate' && e.event === 'start'));
    run.cancel();
    await run.result;
    const bake = steps.find((s) => s.id === 'bake')!;
    const journal = actions.read();
    const at = (event: string) => journal.find((e) => e.action === 'bake-gate' && e.event === event)!.at;
    expect(at('SIGTERM') - at('SIGINT')).toBeGreaterThanOrEqual(7_400);
    expect(at('SIGTERM') - at('SIGINT')).toBeLessThan(9_000);
    expect(bake.startedAt + bake.durationMs - at('SIGTERM')).toBeGreaterThanOrEqual(2_400);
    expect(bake.signals).toEqual(['SIGINT', 'SIGTERM', 'SIGKILL']);
  }, 40_000);

  it('rollback.yml dispatched and cancelled mid-rollback: the rollback step is killed unless its if holds during a cancel (U5)', async () => {
    const condition = String(workflowFile(ROLLBACK).jobs.rollback!.steps!.find((s) => s.id === 'rollback')!.if ?? '');
    const survives = /\b(always|cancelled)\(\)/.test(condition);
    const { runner, steps, actions } = setup({ env: { SD_ROLLBACK_MS: '2500' } });
    const run = runner.dispatch(ROLLBACK, { environment: 'prod', regions: 'us-west-1,us-east-2', functions: 'orders-api', alias: 'live', reason: 'bad release' });
    await until(() => actions.read().some((e) => e.action === 'rollback' && e.event === 'start'));
    run.cancel();
    const result = await run.result;
    const rollback = steps.find((s) => s.id === 'rollback')!;
    const seen = actions.read().filter((e) => e.action === 'rollback').map((e) => e.event);
    if (survives) {
      expect(rollback.signals).toEqual([]);
      expect(rollback.outcome).toBe('success');
      expect(seen).toEqual(['start', 'done']);
    } else {
      expect(rollback.signals).toEqual(['SIGINT', 'SIGTERM', 'SIGKILL']);
      expect(seen).toEqual(['start', 'SIGINT', 'SIGTERM']);
    }
    expect(result.result).toBe('cancelled');
  });
});

describe('job timeout and the cut-off after a cancel (U4)', () => {
  it('deploy-stage.yml timeout-minutes cancels the job (cancelled() true, the rollback runs) and fails it; a rollback that outlives the cut-off is killed', async () => {
    // ×60, as the realistic AWS: the job's 6 minutes are 6 s (room for the steps before the bake on a
    // loaded machine), the 5-minute cut-off after the cancel 5 s.
    const { runner, steps } = setup({ timeScale: 60, env: { SD_ROLLBACK_MS: '60000' } });
    const started = Date.now();
    const result = await runner.runWorkflow(DEPLOY_STAGE, stageInputs({ 'timeout-minutes': 6 }));
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(result.jobs.deploy!.result).toBe('failure');
    expect(result.jobs.deploy!.note).toBe('timed out after 6 minutes');
    const bake = steps.find((s) => s.id === 'bake')!;
    expect(bake.outcome).toBe('cancelled');
    const rollback = steps.find((s) => s.id === 'rollback')!;
    // Its condition holds during the cancel, so it gets no SIGINT: only the cut-off's kill.
    expect(rollback.signals).toEqual(['SIGKILL']);
    expect(rollback.outcome).toBe('cancelled');
    const cutAfter = rollback.startedAt + rollback.durationMs - (bake.startedAt + bake.durationMs - FAST.termAfterMs - FAST.killAfterMs);
    expect(cutAfter).toBeGreaterThanOrEqual(4_900);
    expect(cutAfter).toBeLessThan(7_000);
  }, 30_000);
});

describe('environments and their variables (B4)', () => {
  it("deploy-stage.yml: each job reads vars of its own environment; an environment nobody configured has none (the repository's apply)", async () => {
    const { runner, aws } = setup({ env: { SD_BAKE_MS: '20' } });
    await runner.runWorkflow(DEPLOY_STAGE, stageInputs({ 'bake-mode': 'verify', 'verify-environment': 'prod-verify' }));
    expect(aws.map((s) => [s.job, s.environment, s.with['role-to-assume']])).toEqual([
      ['deploy', 'prod', 'arn:aws:iam::100000000004:role/deployer'],
      ['verify', 'prod-verify', ''],
    ]);
    const withRepoVar = setup({ env: { SD_BAKE_MS: '20' }, vars: { SAFE_DEPLOY_ROLE_ARN: 'arn:aws:iam::1:role/repository-level' } });
    await withRepoVar.runner.runWorkflow(DEPLOY_STAGE, stageInputs({ 'bake-mode': 'verify', 'verify-environment': 'prod-verify' }));
    expect(withRepoVar.aws.map((s) => s.with['role-to-assume'])).toEqual(['arn:aws:iam::100000000004:role/deployer', 'arn:aws:iam::1:role/repository-level']);
  });
});

describe('triggers', () => {
  it('rollback.yml: workflow_dispatch inputs are checked before a run exists, and typed in the inputs context', async () => {
    const { runner } = setup();
    expect(() => runner.dispatch(ROLLBACK, { environment: 'prod' })).toThrow(/input regions is required/);
    expect(() => runner.dispatch(ROLLBACK, { environment: 'nowhere', regions: 'us-west-1' })).toThrow(/no environment "nowhere"/);
    expect(() => runner.dispatch(ROLLBACK, { environment: 'prod', regions: 'us-west-1', colour: 'red' })).toThrow(/input colour is not declared/);
    const toy = directory('sd-gh-dispatch-', {
      '.github/workflows/w.yml': `on:
  workflow_dispatch:
    inputs:
      dry-run: { type: boolean, default: false }
      count: { type: number, default: 2 }
      kind: { type: choice, options: [a, b], default: a }
jobs:
  j:
    steps:
      - id: s
        run: echo "seen=\${{ github.event_name }} \${{ inputs.dry-run == true }} \${{ inputs.count == 2 }} \${{ inputs.kind }} \${{ github.event.inputs.dry-run }}" >> "$GITHUB_OUTPUT"
`,
    });
    const { runner: r, steps } = harness({ repoRoot: toy });
    expect(() => r.dispatch('.github/workflows/w.yml', { kind: 'c' })).toThrow(/"c" is not one of a, b/);
    await r.dispatch('.github/workflows/w.yml', { 'dry-run': 'true' }).result;
    expect(steps[0]!.outputs.seen).toBe('workflow_dispatch true true a true');
  });

  it('the deploy-sentinel template: schedule fires at the minutes of its cron, with an empty inputs context; the reusable sentinel.yml has none (M4)', async () => {
    expect((parseYaml(readFileSync(join(ROOT, '.github/workflows/sentinel.yml'), 'utf8')) as { on: Record<string, unknown> }).on.schedule).toBeUndefined();
    expect(() => setup().runner.schedule('.github/workflows/sentinel.yml', new Date('2026-12-02T10:05:00Z'))).toThrow(/has no on.schedule/);
    for (const path of ['workflows-templates/deploy-sentinel.yml']) {
      const { runner } = setup();
      const on = (parseYaml(readFileSync(join(ROOT, path), 'utf8')) as { on: { schedule: { cron: string }[] } }).on;
      const crons = on.schedule.map((s) => s.cron);
      expect(crons.some((cron) => cronMatches(cron, new Date('2026-12-02T10:05:00Z')))).toBe(true);
      expect(runner.schedule(path, new Date('2026-12-02T10:03:00Z'))).toEqual([]);
    }
    const toy = directory('sd-gh-schedule-', {
      '.github/workflows/w.yml': `on:
  schedule: [{ cron: "*/5 * * * *" }, { cron: "30 9 * * MON-FRI" }]
  workflow_dispatch: { inputs: { dry-run: { type: boolean, default: true } } }
jobs:
  j:
    steps:
      - id: s
        run: echo "seen=\${{ github.event_name }} [\${{ inputs.dry-run }}] \${{ github.event.schedule }}" >> "$GITHUB_OUTPUT"
`,
    });
    const { runner, steps } = harness({ repoRoot: toy });
    // Wednesday 09:30 UTC: both lines fire, one run each.
    const runs = runner.schedule('.github/workflows/w.yml', new Date('2026-12-02T09:30:00Z'));
    await Promise.all(runs.map((r) => r.result));
    expect(steps.map((s) => s.outputs.seen).sort()).toEqual(['schedule [] */5 * * * *', 'schedule [] 30 9 * * MON-FRI']);
    expect(runner.schedule('.github/workflows/w.yml', new Date('2026-12-05T09:30:00Z'))).toHaveLength(1); // Saturday
    expect(() => harness().runner.schedule(ROLLBACK, new Date())).toThrow(/has no on.schedule/);
  });
});
