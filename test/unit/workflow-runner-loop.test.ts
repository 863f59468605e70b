// The control loop end to end through the local workflow runner, on the real files: the service's
// deploy.yml template (push: pipeline.yml up to production, then loop.yml). Each loop finds the build
// run of the release through `gh api` (the local GitHub API), deploys the next production wave with
// that run's artifact, and dispatches deploy.yml again with `gh workflow run`, until a run finds
// nothing left to do. plan's mode `next` is scripted (what it decides is next-step.ts's, tested on
// its own); the other actions are the scripted stand-ins.
import { describe, expect, it } from '@jest/globals';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowRun } from '../../packages/local/src/workflow-runner.js';
import { scriptedRunner } from './workflow-runner-actions.js';
import { directory, githubContext } from './workflow-runner-harness.js';

const DEPLOY = 'workflows-templates/deploy.yml';
const SHA = 'feed5eed'.padEnd(40, '0');

const CONFIG = `version: 1
service: orders
alias: live
functions: [orders-api]
stages:
  - name: alpha
    regions: [us-west-2]
    bake: { duration: 1s, min-invocations: 1, metrics-delay: 1s }
  - name: prod
    regions: [us-east-1, us-west-1]
    bake: { duration: 1s, min-invocations: 1, metrics-delay: 1s }
alarms:
  block: [orders-high-severity]
  rollback: [orders-high-severity]
windows:
  timezone: UTC
  allow: ["daily 00:00-24:00"]
`;

// Mode next: alpha has passed the candidate; the first look at prod deploys prod-1, the second verifies
// its bake, the third deploys prod-2, later ones find nothing to do.
const NEXT = `const stage = process.env['INPUT_STAGE'];
const commit = process.env['INPUT_CANDIDATE'] || process.env.GITHUB_SHA;
const before = fs.readFileSync(process.env.SD_JOURNAL, 'utf8').split('\\n').filter((l) => l.includes('"event":"next"') && l.includes('"stage":"prod"')).length;
journal('next', { stage, candidate: process.env['INPUT_CANDIDATE'] });
const deploy = stage === 'prod' && (before === 0 || before === 2) ? [{ wave: 'prod-' + (before / 2 + 1), commit }] : [];
const verify = stage === 'prod' && before === 1 ? [{ wave: 'prod-1', deployment: '{"commit":"' + commit.slice(0, 12) + '"}', duration: '1s' }] : [];
output('deploy=' + JSON.stringify(deploy));
output('verify=' + JSON.stringify(verify));
output('next=' + JSON.stringify([...deploy.map((d) => ({ kind: 'deploy', ...d, reason: 'at rest' })), ...verify.map((v) => ({ kind: 'verify', wave: v.wave, commit, reason: 'due' }))]));
output('next-run=');
output('passed=' + (stage === 'alpha' ? commit : ''));`;

function fakeNpm(): string {
  const bin = directory('sd-fake-npm-', { npm: '#!/bin/sh\necho "npm $* (not run in this test)"\n' });
  chmodSync(join(bin, 'npm'), 0o755);
  return bin;
}

describe('the control loop through the local GitHub API', () => {
  it('deploy.yml: the push run deploys prod-1 with its own package, the schedule verifies its bake and dispatches the run that deploys prod-2 with the push run\'s, a later one finds nothing to do', async () => {
    const runs: { runId: string; workflow: string; event: string; handle: WorkflowRun }[] = [];
    const { runner, steps, actions } = scriptedRunner({
      config: CONFIG,
      next: NEXT,
      // The template's npm commands (build, test setup) are the service's: an npm that does nothing; the checkout holds build/function.zip.
      env: { SD_BAKE_MS: '50', PATH: `${fakeNpm()}:${process.env.PATH ?? ''}` },
      runner: { github: githubContext({ sha: SHA, run_id: '900' }), workflowFiles: { 'deploy.yml': DEPLOY }, onRun: (run) => runs.push(run) },
    });
    const api = await runner.startGithubApi();
    const settle = async () => {
      for (const run of [...runs]) expect((await run.handle.result).result).toBe('success');
      // Each dispatched run is handed over through onRun before its jobs start.
      for (let i = 0; i < runs.length; i++) expect((await runs[i]!.handle.result).result).toBe('success');
    };
    try {
      expect((await runner.start(DEPLOY).result).result).toBe('success');
      await settle();
      // The workflow's cron (17 */2 * * *): the run that finds prod-1's bake due.
      expect(runner.schedule(DEPLOY, new Date('2026-12-02T06:17:00Z'), { run_id: '901' })).toHaveLength(1);
      await settle();
      expect(runner.schedule(DEPLOY, new Date('2026-12-02T08:17:00Z'), { run_id: '903' })).toHaveLength(1);
      await settle();
    } finally {
      await api.stop();
    }
    expect(runs.map((r) => [r.runId, r.workflow, r.event])).toEqual([
      ['900', DEPLOY, 'push'],
      ['901', DEPLOY, 'schedule'],
      ['902', DEPLOY, 'workflow_dispatch'],
      ['903', DEPLOY, 'schedule'],
    ]);
    expect(runner.runs.map((r) => [r.runId, r.ref, r.headSha, r.conclusion])).toEqual(['900', '901', '902', '903'].map((id) => [id, 'refs/heads/main', SHA, 'success']));
    const step = (runId: string, id: string) => steps.filter((s) => s.runId === runId && s.id === id && s.outcome !== 'skipped');

    // Run 900 (push): pipeline to alpha, then its loop; builds finds the push run itself, still in progress.
    expect(step('900', 'builds')[0]!.outputs.deploy).toBe(JSON.stringify([{ wave: 'prod-1', commit: SHA, run: '900' }]));
    expect(step('900', 'builds')[0]!.log).toMatch(/prod-1: .* from run 900 \(in_progress\)/);
    // A deploy frees no wave: run 900 dispatches nothing; the schedule's run 901 verifies prod-1 and dispatches 902.
    expect(['900', '901', '902', '903'].map((id) => step(id, 'dispatch').length)).toEqual([0, 1, 0, 0]);
    expect(step('901', 'verify').map((s) => s.with.mode)).toEqual(['verify']);
    // Run 902 (dispatched by 901's again): no pipeline; builds finds run 900, whose artifact prod-2's deploy downloads.
    expect(steps.some((s) => s.runId === '902' && s.job.startsWith('pipeline') && s.outcome !== 'skipped')).toBe(false);
    expect(step('902', 'builds')[0]!.outputs.deploy).toBe(JSON.stringify([{ wave: 'prod-2', commit: SHA, run: '900' }]));
    const pkg = step('902', 'package');
    expect(pkg.map((s) => [s.job.includes('deploy (prod-2'), s.with['run-id'], s.note])).toEqual([[true, '900', expect.stringMatching(/from run 900/)]]);
    expect(readFileSync(join(pkg[0]!.workspace, '.safe-deploy-package/package.zip'), 'utf8')).toBe('zip from the checkout');
    expect(runner.artifactsOf('902')).toEqual([]);
    const deploys = actions.read().filter((e) => e.action === 'wave-deploy' && e.event === 'start');
    expect(deploys.map((e) => e.run)).toEqual(['900', '900', '902']); // alpha-1 in the pipeline, prod-1, prod-2
    // Every loop after the push asks alpha (the stage before), then prod.
    expect(actions.read().filter((e) => e.event === 'next').map((e) => `${e.run}:${String(e.stage)}`)).toEqual(['900:prod', '901:alpha', '901:prod', '902:alpha', '902:prod', '903:alpha', '903:prod']);
    // Runner time: run 903 ran three short jobs, its verify, deploy and again jobs never got a runner.
    expect(runner.jobs.filter((j) => j.runId === '903').map((j) => j.jobId).sort()).toEqual(['before', 'next', 'stages']);
  }, 120_000);
});
