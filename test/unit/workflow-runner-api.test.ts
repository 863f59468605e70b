// The local GitHub REST API and the `gh` shim of the workflow runner (workflow-github.ts): steps call
// `gh api` and `gh workflow run` as they would on GitHub, and get GitHub's answers from the runner's
// own run registry, commits and artifacts.
import { describe, expect, it } from '@jest/globals';
import type { StepRecord, WorkflowRun } from '../../packages/local/src/workflow-runner.js';
import { directory, githubContext, harness } from './workflow-runner-harness.js';

const SHA = 'abc1234'.padEnd(40, 'f');

/** A step that runs `command` with GH_TOKEN and records its exit code, stdout and stderr as outputs. */
function capture(id: string, command: string, env = 'GH_TOKEN: "${{ github.token }}"'): string {
  return `      - id: ${id}
        env: { ${env} }
        run: |
          set +e
          ${command} > "$RUNNER_TEMP/out" 2> "$RUNNER_TEMP/err"
          echo "code=$?" >> "$GITHUB_OUTPUT"
          { echo 'out<<EOF_OUT'; cat "$RUNNER_TEMP/out"; echo; echo EOF_OUT; echo 'err<<EOF_ERR'; cat "$RUNNER_TEMP/err"; echo EOF_ERR; } >> "$GITHUB_OUTPUT"
`;
}

const TARGET = `name: target
on:
  workflow_dispatch:
    inputs:
      reason: { type: string, required: true }
jobs:
  t:
    steps:
      - id: seen
        run: echo "seen=\${{ github.event_name }} \${{ github.ref }} \${{ github.sha }} \${{ inputs.reason }}" >> "$GITHUB_OUTPUT"
`;

function toy(steps: string[]): string {
  return directory('sd-api-', {
    '.github/workflows/w.yml': `name: caller
on: push
jobs:
  j:
    steps:
${steps.join('')}`,
    'services/target.yml': TARGET,
  });
}

const out = (steps: StepRecord[], id: string) => steps.find((s) => s.id === id)!.outputs;
const json = (text: string | undefined) => JSON.parse(text ?? '') as Record<string, unknown>;

describe('gh api through the local GitHub API', () => {
  it('commits/{ref}: a known commit by abbreviated sha or branch; an unknown one is 422 as GitHub answers, with gh exit 1 and its message', async () => {
    const root = toy([
      capture('short', 'gh api repos/example/orders/commits/abc1234'),
      capture('branch', 'gh api /repos/example/orders/commits/main'),
      capture('unknown', 'gh api repos/example/orders/commits/0123456789'),
      capture('other-repo', 'gh api repos/someone/else/commits/abc1234'),
      capture('no-token', 'gh api repos/example/orders/commits/abc1234', 'NOTHING: here'),
      capture('jq', 'gh api repos/example/orders/commits/abc1234 --jq .sha'),
    ]);
    const { runner, steps } = harness({ repoRoot: root, workspace: directory('sd-api-ws-'), github: githubContext({ sha: SHA }) });
    const api = await runner.startGithubApi();
    try {
      expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await runner.runWorkflow('.github/workflows/w.yml');
    } finally {
      await api.stop();
    }
    expect(out(steps, 'short').code).toBe('0');
    expect(json(out(steps, 'short').out)).toMatchObject({ sha: SHA, html_url: `https://github.com/example/orders/commit/${SHA}` });
    expect(json(out(steps, 'branch').out).sha).toBe(SHA);
    const unknown = out(steps, 'unknown');
    expect([unknown.code, unknown.err?.trim()]).toEqual(['1', 'gh: No commit found for SHA: 0123456789 (HTTP 422)']);
    expect(json(unknown.out)).toMatchObject({ message: 'No commit found for SHA: 0123456789', status: '422' });
    expect([out(steps, 'other-repo').code, out(steps, 'other-repo').err?.trim()]).toEqual(['1', 'gh: Not Found (HTTP 404)']);
    expect(out(steps, 'no-token').code).toBe('4');
    expect(out(steps, 'no-token').err).toMatch(/set the GH_TOKEN environment variable/);
    expect([out(steps, 'jq').code, out(steps, 'jq').err]).toEqual(['1', expect.stringMatching(/--jq is not modelled/)]);
  });

  it('actions/runs: the registry newest first, filtered by head_sha, event and status, with GitHub\'s fields', async () => {
    const root = toy([capture('runs', 'gh api "repos/example/orders/actions/runs?head_sha=$GITHUB_SHA&event=push&per_page=20"'), capture('done', 'gh api "repos/example/orders/actions/runs?status=success"')]);
    const { runner, steps } = harness({ repoRoot: root, workspace: directory('sd-api-ws-') });
    const api = await runner.startGithubApi();
    try {
      await runner.start('.github/workflows/w.yml', { github: { run_id: '501', sha: SHA } }).result;
      await runner.start('.github/workflows/w.yml', { github: { run_id: '502', sha: 'b'.repeat(40) } }).result;
      steps.length = 0;
      await runner.start('.github/workflows/w.yml', { github: { run_id: '503', sha: SHA } }).result;
    } finally {
      await api.stop();
    }
    const listed = json(out(steps, 'runs').out) as { total_count: number; workflow_runs: Record<string, unknown>[] };
    expect(listed.total_count).toBe(2);
    expect(listed.workflow_runs.map((r) => [r.id, r.status, r.conclusion])).toEqual([
      [503, 'in_progress', null],
      [501, 'completed', 'success'],
    ]);
    expect(listed.workflow_runs[1]).toMatchObject({ name: 'caller', head_sha: SHA, head_branch: 'main', event: 'push', path: '.github/workflows/w.yml', run_attempt: 1 });
    expect(listed.workflow_runs[1]!.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((json(out(steps, 'done').out) as { workflow_runs: { id: number }[] }).workflow_runs.map((r) => r.id)).toEqual([502, 501]);
  });

  it("actions/runs/{id} and its artifacts: one run, and the artifacts it uploaded (by name), as GitHub lists them", async () => {
    const root = directory('sd-api-artifacts-', {
      '.github/workflows/w.yml': `name: build
on: push
jobs:
  up:
    steps:
      - run: echo package > pkg.txt
      - uses: actions/upload-artifact@v6
        with: { name: pkg, path: pkg.txt }
  look:
    needs: up
    steps:
${capture('run', 'gh api "repos/example/orders/actions/runs/$GITHUB_RUN_ID"')}${capture('named', 'gh api "repos/example/orders/actions/runs/$GITHUB_RUN_ID/artifacts?name=pkg"')}${capture('other', 'gh api "repos/example/orders/actions/runs/$GITHUB_RUN_ID/artifacts?name=nothing"')}${capture('unknown', 'gh api repos/example/orders/actions/runs/4242/artifacts')}`,
    });
    const { runner, steps } = harness({ repoRoot: root, workspace: directory('sd-api-ws-') });
    const api = await runner.startGithubApi();
    try {
      expect((await runner.start('.github/workflows/w.yml', { github: { run_id: '610', sha: SHA } }).result).result).toBe('success');
    } finally {
      await api.stop();
    }
    expect(json(out(steps, 'run').out)).toMatchObject({ id: 610, name: 'build', head_sha: SHA, status: 'in_progress', conclusion: null });
    const named = json(out(steps, 'named').out) as { total_count: number; artifacts: Record<string, unknown>[] };
    expect(named.total_count).toBe(1);
    expect(named.artifacts[0]).toMatchObject({ name: 'pkg', size_in_bytes: 8, expired: false, workflow_run: { id: 610, head_sha: SHA, head_branch: 'main' } });
    expect(json(out(steps, 'other').out)).toEqual({ total_count: 0, artifacts: [] });
    expect([out(steps, 'unknown').code, out(steps, 'unknown').err?.trim()]).toEqual(['1', 'gh: Not Found (HTTP 404)']);
  });

  it('after stop() the steps have no gh (it is not installed here)', async () => {
    const root = toy([capture('gh', 'command -v gh')]);
    const { runner, steps } = harness({ repoRoot: root, workspace: directory('sd-api-ws-') });
    await (await runner.startGithubApi()).stop();
    await runner.runWorkflow('.github/workflows/w.yml');
    expect(out(steps, 'gh').code).toBe('1');
  });
});

describe('gh workflow run through the local GitHub API', () => {
  it('dispatches the mapped workflow file on the ref, at its head, with a new run id; onRun hands over the run; bad calls fail as gh does', async () => {
    const root = toy([
      capture('run', 'gh workflow run target.yml --repo "$GITHUB_REPOSITORY" --ref main -f reason=next-wave'),
      capture('missing-input', 'gh workflow run target.yml --repo "$GITHUB_REPOSITORY" --ref main'),
      capture('unknown-file', 'gh workflow run nothing.yml --repo "$GITHUB_REPOSITORY" --ref main'),
      capture('unknown-ref', 'gh workflow run target.yml --repo "$GITHUB_REPOSITORY" --ref nowhere -f reason=x'),
      capture('no-repo', 'gh workflow run target.yml --ref main -f reason=x'),
    ]);
    const started: { runId: string; workflow: string; event: string; handle: WorkflowRun }[] = [];
    const { runner, steps } = harness({
      repoRoot: root,
      workspace: directory('sd-api-ws-'),
      github: githubContext({ sha: SHA, run_id: '700' }),
      workflowFiles: { 'target.yml': 'services/target.yml' },
      onRun: (run) => started.push(run),
    });
    const api = await runner.startGithubApi();
    try {
      await runner.runWorkflow('.github/workflows/w.yml');
      expect(started.map((s) => [s.runId, s.workflow, s.event])).toEqual([
        ['700', '.github/workflows/w.yml', 'push'],
        ['701', 'services/target.yml', 'workflow_dispatch'],
      ]);
      const dispatched = await started[1]!.handle.result;
      expect(dispatched.result).toBe('success');
    } finally {
      await api.stop();
    }
    expect(out(steps, 'run').code).toBe('0');
    expect(out(steps, 'seen').seen).toBe(`workflow_dispatch refs/heads/main ${SHA} next-wave`);
    expect(runner.runs[1]).toMatchObject({ runId: '701', workflow: 'services/target.yml', event: 'workflow_dispatch', ref: 'refs/heads/main', headSha: SHA, runNumber: '1', conclusion: 'success' });
    expect([out(steps, 'missing-input').code, out(steps, 'missing-input').err]).toEqual(['1', expect.stringMatching(/could not create workflow dispatch event: HTTP 422: .*input reason is required/)]);
    expect(out(steps, 'unknown-file').err?.trim()).toBe('could not find any workflows named nothing.yml');
    expect(out(steps, 'unknown-ref').err).toMatch(/HTTP 422: No ref found for: nowhere/);
    expect([out(steps, 'no-repo').code, out(steps, 'no-repo').err]).toEqual(['1', expect.stringMatching(/not a git repository/)]);
    expect(runner.runs).toHaveLength(2);
    // Run ids for callers that pick their own: never one the runner had or handed out.
    expect([runner.newRunId(), runner.newRunId()]).toEqual(['702', '703']);
  });
});
