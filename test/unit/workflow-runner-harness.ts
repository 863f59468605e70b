// Shared set-up of the workflow-runner tests: a runner over this repository's real workflow files
// (or a toy repository), a checkout directory, and a GitHub context.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkflowRunner, type GithubContext, type RunnerOptions, type StepRecord } from '../../packages/local/src/workflow-runner.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function githubContext(patch: Partial<GithubContext> = {}): GithubContext {
  return {
    repository: 'example/orders',
    sha: 'abc123'.padEnd(40, '0'),
    ref: 'refs/heads/main',
    run_id: '42',
    run_number: '1',
    run_attempt: '1',
    actor: 'tester',
    event_name: 'push',
    workflow: 'deploy',
    server_url: 'https://github.com',
    api_url: 'https://api.github.com',
    token: 'not-a-token',
    event: { ref: 'refs/heads/main' },
    ...patch,
  };
}

/** A fresh directory with the given files (path → content). */
export function directory(prefix: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export interface Harness {
  readonly runner: WorkflowRunner;
  readonly steps: StepRecord[];
  readonly started: { job: string; id: string; at: number }[];
}

export function harness(options: Partial<RunnerOptions> = {}): Harness {
  const steps: StepRecord[] = [];
  const started: Harness['started'] = [];
  const runner = new WorkflowRunner({
    repoRoot: ROOT,
    tempDir: directory('sd-runner-tmp-'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() },
    github: githubContext(),
    ...options,
    onStep: (s) => {
      steps.push(s);
      options.onStep?.(s);
    },
    onStepStart: (info) => {
      started.push({ job: info.job, id: info.id, at: Date.now() });
      options.onStepStart?.(info);
    },
  });
  return { runner, steps, started };
}

/** The inputs deploy-stage.yml needs for one wave (as pipeline.yml or the campaign pass them). */
export function stageInputs(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    environment: 'prod',
    config: '.github/safe-deploy.yml',
    stage: 'prod',
    wave: 'prod-onebox',
    service: 'orders',
    functions: 'orders-api',
    regions: 'us-west-1',
    alias: 'live',
    'zip-file': 'build/function.zip',
    traffic: '5%',
    'bake-duration': '1m',
    ...patch,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
