// Runner loss in the local workflow runner: the step's process tree is SIGKILLed and the job ends
// with no further step at all (no rollback, no always() step), as when GitHub loses a runner.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { directory, harness, sleep, stageInputs } from './workflow-runner-harness.js';

const DEPLOY_STAGE = '.github/workflows/deploy-stage.yml';

/** Whether a process runs (gone, or a zombie nobody has reaped yet, is not running). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('runner loss', () => {
  it("deploy-stage.yml: the runner of a wave is lost in its credentials step: no further step, not even the rollback; verify is skipped", async () => {
    const checkout = directory('sd-loss-checkout-', { '.github/safe-deploy.yml': 'service: orders\n', 'build/function.zip': 'zip' });
    let aws = 0;
    const { runner, steps } = harness({
      workspace: checkout,
      environmentVars: { prod: { SAFE_DEPLOY_ROLE_ARN: 'arn:aws:iam::100000000004:role/safe-deploy-deployer' } },
      plumbing: async (step) => {
        if (!step.uses.startsWith('aws-actions/configure-aws-credentials@')) return undefined;
        aws++;
        await sleep(300);
        return { note: 'assumed', env: { AWS_REGION: 'us-east-1' } };
      },
    });
    runner.loseRunner({ label: 'deploy', step: 'aws', afterMs: 50 });
    const result = await runner.runWorkflow(DEPLOY_STAGE, stageInputs({ 'bake-mode': 'verify', 'verify-environment': 'prod-verify' }), 'deploy');
    expect(aws).toBe(1);
    expect(steps.map((s) => `${s.job}:${s.id}:${s.outcome}`)).toEqual(['deploy:check-inputs:success', 'deploy:checkout:success', 'deploy:package:skipped', 'deploy:test-node:skipped', 'deploy:test-setup:skipped', 'deploy:aws:failure']);
    expect(steps.at(-1)!.note).toMatch(/runner was lost/);
    expect(result.jobs.deploy).toEqual({ id: 'deploy', result: 'failure', outputs: {}, note: 'runner lost' });
    expect(result.jobs.verify!.result).toBe('skipped');
    expect(result.result).toBe('failure');
  });

  it('SIGKILLs the running process tree at once, even one that traps SIGINT and SIGTERM; always() steps do not run', async () => {
    const root = directory('sd-loss-root-', {
      '.github/workflows/w.yml': `on: push
jobs:
  bake:
    steps:
      - id: watch
        run: |
          trap 'echo got-int' INT
          trap 'echo got-term' TERM
          sleep 30 &
          echo "child=$!" >> "$GITHUB_OUTPUT"
          wait
      - id: cleanup
        if: always()
        run: echo cleanup
  after:
    needs: bake
    if: always()
    steps:
      - id: report
        run: echo "bake was \${{ needs.bake.result }}"
`,
    });
    const { runner, steps } = harness({ repoRoot: root });
    runner.loseRunner({ job: 'bake', step: 'watch', afterMs: 300 });
    const started = Date.now();
    const result = await runner.runWorkflow('.github/workflows/w.yml');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(steps.map((s) => `${s.job}:${s.id}:${s.outcome}`)).toEqual(['bake:watch:failure', 'after:report:success']);
    expect(steps[0]!.signals).toEqual(['SIGKILL']);
    expect(steps[0]!.log).not.toMatch(/got-(int|term)/);
    expect(result.jobs.bake!.result).toBe('failure');
    expect(result.jobs.after!.result).toBe('success');
    expect(existsSync(join(steps[0]!.workspace))).toBe(true);
    // The background `sleep 30` went with its parent (the process tree, not just the step's shell).
    const child = Number(steps[0]!.outputs.child);
    expect(child).toBeGreaterThan(0);
    expect(running(child)).toBe(false);
  });

  it('is one-shot and only hits the step it names', async () => {
    const root = directory('sd-loss-once-', {
      '.github/workflows/w.yml': 'on: push\njobs:\n  a:\n    steps:\n      - id: one\n        run: sleep 0.3\n      - id: two\n        run: sleep 0.3\n',
    });
    const { runner, steps } = harness({ repoRoot: root });
    runner.loseRunner({ step: 'two', afterMs: 100 });
    expect((await runner.runWorkflow('.github/workflows/w.yml')).result).toBe('failure');
    expect((await runner.runWorkflow('.github/workflows/w.yml')).result).toBe('success');
    expect(steps.map((s) => `${s.id}:${s.outcome}`)).toEqual(['one:success', 'two:failure', 'one:success', 'two:success']);
  });
});
