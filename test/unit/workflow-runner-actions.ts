// Scripted stand-ins for our action bundles (the runner's `bundleDir`), for the tests of the
// workflow runner's GitHub semantics on the real workflow files: what matters there is what the
// runner does around a step (signals, timeouts, groups, workspaces), not what the step does in AWS
// (the e2e tests run the real bundles against moto). Each one appends what it sees to $SD_JOURNAL
// as JSON lines; `plan` is the real bundle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, directory } from './workflow-runner-harness.js';

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

/** A bundle directory with the scripted actions (and the real plan bundle), and its journal file. */
export function scriptedActions(): { bundleDir: string; journal: string; read: () => JournalEntry[] } {
  const files: Record<string, string> = {};
  for (const [action, body] of Object.entries(BUNDLES)) files[`${action}/index.js`] = `const ACTION = ${JSON.stringify(action)};\n${COMMON}${body}\n`;
  files['plan/index.js'] = `import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/plan/index.js')).href)});\n`;
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
