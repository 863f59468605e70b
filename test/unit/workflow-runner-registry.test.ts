// What the local workflow runner records about the runs it creates and the jobs it runs, on the real
// workflow files: the run registry (`runner.runs`, `onRun`) that the local GitHub API lists, and the
// job records (`runner.jobs`, `onJob`) that add up to a release's runner time.
import { describe, expect, it } from '@jest/globals';
import type { JobRecord, RunRecord, WorkflowRun } from '../../packages/local/src/workflow-runner.js';
import { scriptedRunner } from './workflow-runner-actions.js';
import { directory, harness, sleep } from './workflow-runner-harness.js';

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
