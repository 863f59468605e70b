// Runs the guardian's bundle (dist/guardian/index.js) the way Lambda does: a fresh Node process
// imports it and calls the exported `handler(event, context)` with the environment the template
// sets. Returns the handler's answer (or its error) and the JSON log lines it printed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { motoEnv } from '../../packages/local/src/moto.js';
import type { GuardianResult } from '../../packages/guardian/src/guardian.js';

const root = new URL('../..', import.meta.url).pathname;
export const GUARDIAN_BUNDLE = join(root, 'dist', 'guardian', 'index.js');

/** Builds dist/<name> when it is missing (dist is rebuilt by the lead, never committed by helpers). */
export function ensureBundle(name: string): void {
  if (existsSync(join(root, 'dist', name, 'index.js'))) return;
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), name], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building dist/${name} failed: ${built.stderr}`);
}

export function ensureGuardianBundle(): void {
  ensureBundle('guardian');
}

const RUNNER = `
import { writeFileSync } from 'node:fs';
const { handler } = await import(process.env.GUARDIAN_BUNDLE_URL);
const out = process.env.GUARDIAN_RESULT_FILE;
try {
  const result = await handler(JSON.parse(process.env.GUARDIAN_EVENT), { awsRequestId: 'e2e-request' });
  writeFileSync(out, JSON.stringify({ ok: true, result }));
} catch (error) {
  writeFileSync(out, JSON.stringify({ ok: false, error: String(error && error.message || error) }));
}
`;

export interface GuardianRun {
  readonly ok: boolean;
  readonly result: GuardianResult | null;
  readonly error: string | null;
  /** Every JSON line the handler printed, parsed. */
  readonly lines: Record<string, unknown>[];
  /** Raw stdout, for checks on what reached the log. */
  readonly stdout: string;
  readonly stderr: string;
}

export async function invokeGuardian(event: unknown, options: { endpoint: string; region: string; env?: Record<string, string> }): Promise<GuardianRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sd-guardian-'));
  const resultFile = join(dir, 'result.json');
  const env = {
    PATH: process.env.PATH ?? '',
    ...motoEnv(options.endpoint),
    AWS_REGION: options.region,
    GUARDIAN_BUNDLE_URL: pathToFileURL(GUARDIAN_BUNDLE).href,
    GUARDIAN_RESULT_FILE: resultFile,
    GUARDIAN_EVENT: JSON.stringify(event),
    ...(options.env ?? {}),
  };
  // SAFE_DEPLOY_GUARDIAN_NODE runs the bundle under another Node (the Lambda runtime is Node 24).
  const child = spawn(process.env.SAFE_DEPLOY_GUARDIAN_NODE || process.execPath, ['--input-type=module', '-e', RUNNER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (!existsSync(resultFile)) throw new Error(`the guardian process exited ${code} without an answer: ${stderr.slice(-2000)}`);
  const answer = JSON.parse(readFileSync(resultFile, 'utf8')) as { ok: boolean; result?: GuardianResult; error?: string };
  const lines = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { ok: answer.ok, result: answer.result ?? null, error: answer.error ?? null, lines, stdout, stderr };
}

/** An EventBridge "CloudWatch Alarm State Change" event, in the documented shape. */
export function alarmEvent(region: string, alarmName: string, state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA', options: { reason?: string; previous?: string } = {}) {
  const time = new Date().toISOString();
  return {
    version: '0',
    id: `e2e-${Math.random().toString(16).slice(2, 10)}`,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '123456789012',
    time,
    region,
    resources: [`arn:aws:cloudwatch:${region}:123456789012:alarm:${alarmName}`],
    detail: {
      alarmName,
      state: { value: state, reason: options.reason ?? 'Threshold Crossed: 1 datapoint [5.0] was greater than the threshold (1.0).', timestamp: time },
      previousState: { value: options.previous ?? 'OK', reason: 'Threshold Crossed: no datapoints were breaching.', timestamp: time },
      configuration: {
        description: 'safe-deploy test alarm',
        metrics: [
          {
            id: 'm1',
            metricStat: { metric: { namespace: 'AWS/Lambda', name: 'Errors', dimensions: { FunctionName: 'fn' } }, period: 60, stat: 'Sum' },
            returnData: true,
          },
        ],
      },
    },
  };
}

/** The EventBridge "Scheduled Event" of the sweep rule, in the documented shape. */
export function sweepEvent(region: string) {
  return {
    version: '0',
    id: `e2e-${Math.random().toString(16).slice(2, 10)}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: new Date().toISOString(),
    region,
    resources: [`arn:aws:events:${region}:123456789012:rule/safe-deploy-guardian-SweepRule`],
    detail: {},
  };
}
