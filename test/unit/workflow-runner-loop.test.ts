// The control loop end to end through the local workflow runner, on the real files: the service's
// deploy.yml template (push: pipeline.yml up to production, then loop.yml), whose loop finds the
// build run of the release through `gh api` (the local GitHub API), deploys its first production
// wave with that run's artifact, and dispatches deploy.yml again with `gh workflow run`; the
// dispatched run's loop finds nothing left to do. plan's mode `next` is scripted (what it decides
// is next-step.ts's, tested on its own); the other actions are the scripted stand-ins.
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

// Mode next: alpha has passed the candidate; the first look at prod deploys prod-1, later ones find nothing to do.
const NEXT = `const stage = process.env['INPUT_STAGE'];
const commit = process.env['INPUT_CANDIDATE'] || process.env.GITHUB_SHA;
const before = fs.readFileSync(process.env.SD_JOURNAL, 'utf8').split('\\n').filter((l) => l.includes('"event":"next"') && l.includes('"stage":"prod"')).length;
journal('next', { stage, candidate: process.env['INPUT_CANDIDATE'] });
const deploy = stage === 'prod' && before === 0 ? [{ wave: 'prod-1', commit }] : [];
output('deploy=' + JSON.stringify(deploy));
output('verify=[]');
output('next=' + JSON.stringify(deploy.map((d) => ({ kind: 'deploy', ...d, reason: 'at rest' }))));
output('next-run=');
output('passed=' + (stage === 'alpha' ? commit : ''));`;

function fakeNpm(): string {
  const bin = directory('sd-fake-npm-', { npm: '#!/bin/sh\necho "npm $* (not run in this test)"\n' });
  chmodSync(join(bin, 'npm'), 0o755);
  return bin;
}

describe('the control loop through the local GitHub API', () => {
  it('deploy.yml push: the loop finds its own run as the build run, deploys prod-1 with its package and dispatches deploy.yml again, whose loop ends with nothing to do', async () => {
    const runs: { runId: string; workflow: string; event: string; handle: WorkflowRun }[] = [];
    const { runner, steps, actions } = scriptedRunner({
      config: CONFIG,
      next: NEXT,
      // The template's npm commands (build, test setup) are the service's: an npm that does nothing; the checkout holds build/function.zip.
      env: { SD_BAKE_MS: '50', PATH: `${fakeNpm()}:${process.env.PATH ?? ''}` },
      runner: { github: githubContext({ sha: SHA, run_id: '900' }), workflowFiles: { 'deploy.yml': DEPLOY }, onRun: (run) => runs.push(run) },
    });
    const api = await runner.startGithubApi();
    try {
      const push = await runner.start(DEPLOY).result;
      expect(runs.map((r) => [r.runId, r.event])).toEqual([
        ['900', 'push'],
        ['901', 'workflow_dispatch'],
      ]);
      const again = await runs[1]!.handle.result;
      expect([push.result, again.result]).toEqual(['success', 'success']);
    } finally {
      await api.stop();
    }
    const step = (runId: string, id: string) => steps.filter((s) => s.runId === runId && s.id === id && s.outcome !== 'skipped');
    // builds: the push run itself, still in progress, holds the package.
    const builds = step('900', 'builds');
    expect(builds).toHaveLength(1);
    expect(builds[0]!.outputs.deploy).toBe(JSON.stringify([{ wave: 'prod-1', commit: SHA, run: '900' }]));
    expect(builds[0]!.log).toMatch(/prod-1: .* from run 900 \(in_progress\)/);
    // prod-1's deploy job downloaded that package through the API's run id and deployed it.
    const pkg = step('900', 'package').filter((s) => s.job.includes('deploy (prod-1'));
    expect(pkg).toHaveLength(1);
    expect(readFileSync(join(pkg[0]!.workspace, '.safe-deploy-package/package.zip'), 'utf8')).toBe('zip from the checkout');
    const deploys = actions.read().filter((e) => e.action === 'wave-deploy' && e.event === 'start');
    expect(deploys.map((e) => e.run)).toEqual(['900', '900']); // alpha-1 in the pipeline, prod-1 from the loop
    // again: gh workflow run deploy.yml --ref main → run 901 of the template, at the same commit.
    expect(step('900', 'dispatch').map((s) => s.outcome)).toEqual(['success']);
    expect(runner.runs[1]).toMatchObject({ runId: '901', workflow: DEPLOY, event: 'workflow_dispatch', ref: 'refs/heads/main', headSha: SHA, conclusion: 'success' });
    // The dispatched run: no pipeline (not a push); its loop asks alpha, then prod, and stops there.
    expect(steps.some((s) => s.runId === '901' && s.job.startsWith('pipeline') && s.outcome !== 'skipped')).toBe(false);
    expect(actions.read().filter((e) => e.event === 'next').map((e) => `${e.run}:${String(e.stage)}`)).toEqual(['900:prod', '901:alpha', '901:prod']);
    expect(step('901', 'dispatch')).toHaveLength(0);
    // Runner time: every job of both runs is on record; the dispatched run's deploy and again jobs never ran.
    expect(runner.jobs.filter((j) => j.runId === '901').map((j) => j.jobId).sort()).toEqual(['before', 'next', 'stages']);
  }, 120_000);
});
