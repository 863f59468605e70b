// What the local workflow runner records about the runs it creates and the jobs it runs, on the real
// workflow files: the run registry (`runner.runs`, `onRun`) that the local GitHub API lists, and the
// job records (`runner.jobs`, `onJob`) that add up to a release's runner time, and artifacts read
// across runs (download-artifact's `run-id` with `github-token`), as the control loop deploys a
// release with the package its push run built.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRecord, RunRecord, WorkflowRun } from '../../packages/local/src/workflow-runner.js';
import { scriptedRunner } from './workflow-runner-actions.js';
import { directory, harness, sleep, stageInputs } from './workflow-runner-harness.js';

const PIPELINE = '.github/workflows/pipeline.yml';
const DEPLOY_STAGE = '.github/workflows/deploy-stage.yml';
const CI = '.github/workflows/ci.yml';
const ROLLBACK = '.github/workflows/rollback.yml';
const PUSH = { event_name: 'push', ref: 'refs/heads/main' };

describe('the run registry', () => {
  it('pipeline.yml as a push run: listed at once with its commit and ref, in progress, then completed with its conclusion', async () => {
    const seen: { runId: string; workflow: string; event: string; handle: WorkflowRun }[] = [];
    const { runner } = scriptedRunner({ env: { SD_BAKE_MS: '50' }, runner: { onRun: (run) => seen.push(run) } });
    const sha = 'c0ffee'.padEnd(40, '1');
    const before = Date.now();
    const run = runner.start(PIPELINE, { inputs: { 'build-command': 'true', 'package-path': 'build/function.zip', 'test-setup': 'touch .deps-installed' }, github: { ...PUSH, sha, run_id: '7001' } });
    expect(seen.map((s) => [s.runId, s.workflow, s.event])).toEqual([['7001', PIPELINE, 'push']]);
    expect(seen[0]!.handle).toBe(run);
    const listed: RunRecord = runner.runs[0]!;
    expect(listed).toMatchObject({ runId: '7001', workflow: PIPELINE, name: 'safe-deploy pipeline', event: 'push', headSha: sha, ref: 'refs/heads/main', status: 'in_progress', conclusion: null });
    const result = await run.result;
    expect(result.result).toBe('success');
    expect(runner.runs).toHaveLength(1);
    expect(runner.runs[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(listed.createdAt).toBeGreaterThanOrEqual(before);
    expect(listed.updatedAt).toBeGreaterThanOrEqual(listed.createdAt);
  }, 60_000);

  it('ci.yml: a run waiting in its workflow-level group is queued; one replaced while pending completes cancelled and ran no job', async () => {
    let slow = true;
    const { runner } = scriptedRunner({
      runStep: () => 'not run in this test',
      onPlumbing: async (step) => {
        if (step.uses.startsWith('actions/setup-node@') && slow) await sleep(400);
      },
    });
    const first = runner.start(CI, { github: { ...PUSH, run_id: 'first' } });
    await sleep(100);
    const second = runner.start(CI, { github: { ...PUSH, run_id: 'second' } });
    const status = (id: string) => runner.runs.find((r) => r.runId === id)!;
    expect([status('first').status, status('second').status]).toEqual(['in_progress', 'queued']);
    const third = runner.start(CI, { github: { ...PUSH, run_id: 'third' } });
    slow = false;
    await Promise.all([first.result, second.result, third.result]);
    expect(runner.runs.map((r) => [r.runId, r.status, r.conclusion])).toEqual([
      ['first', 'completed', 'success'],
      ['second', 'completed', 'cancelled'],
      ['third', 'completed', 'success'],
    ]);
    expect(new Set(runner.jobs.map((j) => j.runId))).toEqual(new Set(['first', 'third']));
  }, 30_000);

  it('dispatch and schedule runs are listed with their event; a dispatch GitHub would refuse creates no run', async () => {
    const { runner } = scriptedRunner();
    expect(() => runner.dispatch(ROLLBACK, { environment: 'prod' })).toThrow(/input regions is required/);
    expect(runner.runs).toHaveLength(0);
    const toy = directory('sd-registry-schedule-', {
      '.github/workflows/w.yml': `name: nightly
on:
  schedule: [{ cron: "*/5 * * * *" }]
  workflow_dispatch:
jobs:
  j:
    steps:
      - run: "true"
`,
    });
    const events: string[] = [];
    const { runner: r } = harness({ repoRoot: toy, onRun: (run) => events.push(`${run.runId}:${run.event}`) });
    await Promise.all(r.schedule('.github/workflows/w.yml', new Date('2026-12-02T10:05:00Z'), { run_id: 's1' }).map((run) => run.result));
    await r.dispatch('.github/workflows/w.yml', {}, { run_id: 'd1', ref: 'refs/heads/release' }).result;
    expect(events).toEqual(['s1:schedule', 'd1:workflow_dispatch']);
    expect(r.runs.map((run) => [run.runId, run.name, run.event, run.ref, run.conclusion])).toEqual([
      ['s1', 'nightly', 'schedule', 'refs/heads/main', 'success'],
      ['d1', 'nightly', 'workflow_dispatch', 'refs/heads/release', 'success'],
    ]);
  });
});

describe('job records', () => {
  it('pipeline.yml: one record per job that ran, with the called workflow and its inputs; the unused waves (if false) have none', async () => {
    const records: JobRecord[] = [];
    const { runner } = scriptedRunner({
      env: { SD_BAKE_MS: '300' },
      runner: { onJob: (j) => records.push(j), labelJob: ({ jobId, inputs }) => (inputs.wave ? `${String(inputs.stage)}/${String(inputs.wave)}` : jobId) },
    });
    const result = await runner.runWorkflow(PIPELINE, { 'build-command': 'true', 'package-path': 'build/function.zip', 'test-setup': 'touch .deps-installed' });
    expect(result.result).toBe('success');
    expect(records).toEqual(runner.jobs);
    const top = runner.jobs.filter((j) => j.workflow === PIPELINE).map((j) => j.jobId);
    expect(top.sort()).toEqual(['build', 'plan']);
    const wave = runner.jobs.filter((j) => j.workflow === DEPLOY_STAGE);
    expect(wave.length).toBeGreaterThan(0);
    expect(new Set(wave.map((j) => j.label))).toEqual(new Set(['alpha/alpha-1']));
    expect(wave.every((j) => j.inputs.wave === 'alpha-1' && j.job.startsWith('wave-01 / '))).toBe(true);
    // The wave's deploy job baked (300 ms scripted): its record spans the bake.
    const deploy = wave.find((j) => j.jobId === 'deploy')!;
    expect(deploy.result).toBe('success');
    expect(deploy.endedAt - deploy.startedAt).toBeGreaterThanOrEqual(300);
    for (const j of runner.jobs) expect(j.endedAt).toBeGreaterThanOrEqual(j.startedAt);
    // wave-02 ... wave-16 are skipped by their if: no runner, no record.
    expect(runner.jobs.some((j) => j.job.startsWith('wave-02'))).toBe(false);
    expect(runner.jobs.every((j) => j.runId === result.runId && j.result === 'success')).toBe(true);
  }, 60_000);

  it('a matrix: one record per leg, with its matrix values; legs fail-fast cancelled before they started have none', async () => {
    const toy = directory('sd-registry-matrix-', {
      '.github/workflows/w.yml': `on: push
jobs:
  legs:
    strategy:
      max-parallel: 1
      matrix:
        n: [1, 2, 3]
    steps:
      - run: test \${{ matrix.n }} != 2
`,
    });
    const { runner } = harness({ repoRoot: toy });
    const result = await runner.runWorkflow('.github/workflows/w.yml');
    expect(result.result).toBe('failure');
    expect(runner.jobs.map((j) => [j.jobId, j.matrix, j.result])).toEqual([
      ['legs', { n: 1 }, 'success'],
      ['legs', { n: 2 }, 'failure'],
    ]);
  });
});

describe('artifacts across runs', () => {
  const build = { 'build-command': 'echo built-by-push-run > build/function.zip', 'package-path': 'build/function.zip', 'test-setup': 'touch .deps-installed' };
  const fromRun = (runId: string) => stageInputs({ environment: 'alpha', stage: 'alpha', wave: 'alpha-1', regions: 'us-west-2', 'zip-file': '.safe-deploy-package/package.zip', artifact: 'safe-deploy-package', 'artifact-run-id': runId, 'post-traffic-test': '' });

  it('deploy-stage.yml with artifact-run-id: the wave deploys the package of the earlier push run (download-artifact with run-id and github-token); an unknown run id fails naming it', async () => {
    const { runner, steps } = scriptedRunner({ env: { SD_BAKE_MS: '50' } });
    const push = await runner.start(PIPELINE, { inputs: build, github: { ...PUSH, run_id: '8001' } }).result;
    expect(push.result).toBe('success');
    expect(runner.artifactsOf('8001')!.map((a) => a.name)).toEqual(['safe-deploy-package']);
    steps.length = 0;
    const later = await runner.start(DEPLOY_STAGE, { inputs: fromRun('8001'), github: { event_name: 'workflow_dispatch', run_id: '8002' } }).result;
    expect(later.result).toBe('success');
    const pkg = steps.find((s) => s.id === 'package' && s.runId === '8002')!;
    expect(pkg.outcome).toBe('success');
    expect(pkg.with['github-token']).toBe('not-a-token');
    expect(pkg.note).toMatch(/from run 8001/);
    expect(readFileSync(join(pkg.workspace, '.safe-deploy-package/package.zip'), 'utf8').trim()).toBe('built-by-push-run');
    // The later run has no artifact of its own: the package came from run 8001 only.
    expect(runner.artifactsOf('8002')).toEqual([]);

    steps.length = 0;
    const unknown = await runner.start(DEPLOY_STAGE, { inputs: fromRun('9999'), github: { event_name: 'workflow_dispatch', run_id: '8003' } }).result;
    expect(unknown.result).toBe('failure');
    const failed = steps.find((s) => s.id === 'package')!;
    expect([failed.outcome, failed.note]).toEqual(['failure', expect.stringMatching(/Unable to download artifact\(s\): .*workflow run 9999/)]);
    expect(steps.some((s) => s.action === 'wave-deploy' && s.outcome !== 'skipped')).toBe(false);
  }, 60_000);

  it('without github-token download-artifact ignores run-id and reads its own run, failing with the action\'s message; upload-artifact overwrite replaces', async () => {
    const toy = directory('sd-artifacts-token-', {
      '.github/workflows/w.yml': `on: push
jobs:
  get:
    steps:
      - id: no-token
        uses: actions/download-artifact@v5
        continue-on-error: true
        with: { name: pkg, run-id: "\${{ github.event.built }}" }
      - id: token
        uses: actions/download-artifact@v5
        with: { name: pkg, run-id: "\${{ github.event.built }}", github-token: "\${{ github.token }}", path: got }
      - id: read
        run: echo "pkg=$(cat got/pkg.txt)" >> "$GITHUB_OUTPUT"
`,
      '.github/workflows/up.yml': `on: push
jobs:
  up:
    steps:
      - run: echo first-try > pkg.txt
      - uses: actions/upload-artifact@v4
        with: { name: pkg, path: pkg.txt }
      - run: echo from-the-build > pkg.txt
      - uses: actions/upload-artifact@v4
        with: { name: pkg, path: pkg.txt, overwrite: true }
`,
    });
    const { runner, steps } = harness({ repoRoot: toy, workspace: directory('sd-artifacts-empty-') });
    expect((await runner.start('.github/workflows/up.yml', { github: { run_id: '100' } }).result).result).toBe('success');
    const got = await runner.start('.github/workflows/w.yml', { github: { run_id: '101', event: { built: '100' } } }).result;
    expect(got.result).toBe('success');
    const noToken = steps.find((s) => s.id === 'no-token')!;
    expect(noToken.outcome).toBe('failure');
    expect(noToken.note).toMatch(/run-id 100 is ignored without github-token.*Unable to download artifact\(s\): Artifact not found for name: pkg/);
    expect(steps.find((s) => s.id === 'read')!.outputs.pkg).toBe('from-the-build');
  });
});
