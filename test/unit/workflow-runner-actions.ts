// Scripted stand-ins for our action bundles (the runner's `bundleDir`), for the tests of the
// workflow runner's GitHub semantics on the real workflow files: what matters there is what the
// runner does around a step (signals, timeouts, groups, workspaces), not what the step does in AWS
// (the e2e tests run the real bundles against moto). Each one appends what it sees to $SD_JOURNAL
// as JSON lines; `plan` is the real bundle unless a test scripts its mode `next`.
// `scriptedRunner` is a runner over the real workflows with these, a small checkout and emulated credentials.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PlumbingStep, RunnerOptions } from '../../packages/local/src/workflow-runner.js';
import { ROOT, directory, harness } from './workflow-runner-harness.js';

export interface JournalEntry {
  readonly at: number;
  readonly action: string;
  readonly event: string;
  readonly run: string;
  readonly job: string;
  readonly [key: string]: unknown;
}

const COMMON = `const fs = require('node:fs');
const journal = (event, extra = {}) => fs.appendFileSync(process.env.SD_JOURNAL, JSON.stringify({ at: Date.now(), action: ACTION, event, run: process.env.GITHUB_RUN_ID, job: process.env.GITHUB_JOB, ...extra }) + '\\n');
const output = (text) => fs.appendFileSync(process.env.GITHUB_OUTPUT, text + '\\n');
// Like the real rollback, these log a cancel signal and carry on.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => journal(signal));
const hold = (ms, then) => setTimeout(then, ms);
`;

const BUNDLES: Record<string, string> = {
  'alarm-check': `journal('start'); output('ok=true');`,
  'wave-deploy': `journal('start', { traffic: process.env['INPUT_TRAFFIC'], cwd: process.cwd() });
const deployment = { targets: [{ region: 'us-west-1', function: 'orders-api', stable: '1', candidate: '2', weight: 0.05 }] };
hold(Number(process.env.SD_DEPLOY_MS ?? 0), () => { output('deployment=' + JSON.stringify(deployment)); journal('done'); });`,
  'bake-gate': `journal('start', { mode: process.env['INPUT_MODE'] });
hold(Number(process.env.SD_BAKE_MS ?? 60000), () => { output('result=baked'); journal('done'); });`,
  rollback: `journal('start', { reason: process.env['INPUT_REASON'] });
hold(Number(process.env.SD_ROLLBACK_MS ?? 0), () => { output('rolled-back=[]'); journal('done'); });`,
};

const REAL_PLAN = `import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/plan/index.js')).href)});`;

/**
 * A bundle directory with the scripted actions (and the real plan bundle), and its journal file.
 * `next`: a script for plan's mode `next` (CommonJS, with `journal` and `output`); the other modes
 * stay the real bundle.
 */
export function scriptedActions(options: { next?: string } = {}): { bundleDir: string; journal: string; read: () => JournalEntry[] } {
  const files: Record<string, string> = {};
  for (const [action, body] of Object.entries(BUNDLES)) files[`${action}/index.js`] = `const ACTION = ${JSON.stringify(action)};\n${COMMON}${body}\n`;
  files['plan/index.js'] =
    options.next === undefined ? `${REAL_PLAN}\n` : `const ACTION = 'plan';\n${COMMON}if (process.env['INPUT_MODE'] === 'next') {\n${options.next}\n} else {\n  ${REAL_PLAN}\n}\n`;
  files['journal.jsonl'] = '';
  const bundleDir = directory('sd-scripted-actions-', files);
  const journal = join(bundleDir, 'journal.jsonl');
  const read = () =>
    readFileSync(journal, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as JournalEntry);
  return { bundleDir, journal, read };
}

export const FAST = { termAfterMs: 400, killAfterMs: 300 };

export const CONFIG = `version: 1
service: orders
alias: live
functions: [orders-api]
stages:
  - name: alpha
    regions: [us-west-2]
    bake: { duration: 1s, min-invocations: 1, metrics-delay: 1s }
    tests: test -f .deps-installed && test -f .safe-deploy-package/package.zip && test ! -e build/only-in-build
alarms:
  block: [orders-high-severity]
  rollback: [orders-high-severity]
windows:
  timezone: UTC
  allow: ["daily 00:00-24:00"]
`;

export interface ScriptedOptions {
  env?: Record<string, string>;
  vars?: Record<string, string>;
  timeScale?: number;
  signals?: typeof FAST | 'github';
  runStep?: RunnerOptions['runStep'];
  onPlumbing?: (step: PlumbingStep) => Promise<void> | void;
  /** The checkout's .github/safe-deploy.yml (default CONFIG). */
  config?: string;
  /** plan's mode `next`, scripted (see scriptedActions). */
  next?: string;
  /** Any other runner option (onRun, onJob, workflowFiles, ...). */
  runner?: Partial<RunnerOptions>;
}

/** A runner over the real workflows with scripted actions, a small checkout and emulated credentials. */
export function scriptedRunner(options: ScriptedOptions = {}) {
  const actions = scriptedActions(options.next === undefined ? {} : { next: options.next });
  const checkout = directory('sd-gh-checkout-', { '.github/safe-deploy.yml': options.config ?? CONFIG, 'build/function.zip': 'zip from the checkout' });
  const aws: PlumbingStep[] = [];
  const h = harness({
    workspace: checkout,
    bundleDir: actions.bundleDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', SD_JOURNAL: actions.journal, ...options.env },
    ...(options.vars ? { vars: options.vars } : {}),
    environmentVars: { alpha: { SAFE_DEPLOY_ROLE_ARN: 'arn:aws:iam::100000000001:role/deployer' }, prod: { SAFE_DEPLOY_ROLE_ARN: 'arn:aws:iam::100000000004:role/deployer' } },
    ...(options.timeScale ? { timeScale: options.timeScale } : {}),
    ...(options.signals === 'github' ? {} : { cancelSignals: options.signals ?? FAST }),
    ...(options.runStep ? { runStep: options.runStep } : {}),
    plumbing: async (step) => {
      await options.onPlumbing?.(step);
      if (!step.uses.startsWith('aws-actions/configure-aws-credentials@')) return undefined;
      aws.push(step);
      return { note: `assumed ${step.with['role-to-assume']}`, env: { AWS_REGION: 'us-east-1' } };
    },
    ...options.runner,
  });
  return { ...h, actions, checkout, aws };
}
