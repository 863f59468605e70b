// Injection strings in every input of every AWS-facing action, run as the runner runs the bundles
// (INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) against moto behind the fault proxy.
// For each input and each hostile string, whether the action refuses the value or keeps it as
// literal text: nothing reaches a shell, no output is forged, and not one write request reaches AWS
// (moto's aliases, versions and code are the same afterwards).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { createAlias, createFunctions, createRole, getAlias, listVersions, motoEndpoint, publishVersion, rawLambda, testClients, uniqueName } from '../helpers/aws.js';
import { createAlarms, oneBox } from '../helpers/cloudwatch.js';
import { ROOT, runBundle, type BundleResult } from '../e2e/wave-deploy-harness.js';
import { canaryDir, expectNoForgedOutputs, expectNothingExecuted, expectNoWrites, payloads, pool } from './harness.js';

const REGION = 'us-east-1';
const canary = canaryDir();
const ALL = payloads(canary);
/** Two strings per input keep the suite fast: one carries every shell form and a forged output line, one forges heredocs and runner commands. */
const PAYLOADS = { everything: ALL.everything, 'forged heredoc and command': ALL['forged heredoc and command'] } as Record<string, string>;
const clients = testClients();
let proxy: FaultProxy;
let fn: string;
let alarm: string;
let bakeDeployment: string;

function declared(action: string): { inputs: string[]; outputs: string[] } {
  const yml = parse(readFileSync(join(ROOT, 'actions', action, 'action.yml'), 'utf8')) as { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  return { inputs: Object.keys(yml.inputs ?? {}), outputs: Object.keys(yml.outputs ?? {}) };
}

async function snapshot(): Promise<unknown> {
  const lambda = rawLambda(REGION);
  try {
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
    const alias = await getAlias({ region: REGION, functionName: fn }, 'live');
    return { code: latest.CodeSha256, versions: await listVersions({ region: REGION, functionName: fn }), alias: [alias.FunctionVersion, alias.RoutingConfig, alias.Description] };
  } finally {
    lambda.destroy();
  }
}

/**
 * Inputs under which each action, left alone, writes nothing: the rollback and the wave are already
 * where they ask to be, alarm-check reads, bake-gate watches a one-box for two seconds.
 */
function baseInputs(action: string): Record<string, string> {
  switch (action) {
    case 'wave-deploy':
      return { functions: fn, regions: REGION, alias: 'live', version: '1', traffic: '0%', commit: 'a'.repeat(40), environment: 'prod' };
    case 'rollback':
      return { functions: fn, regions: REGION, alias: 'live', to: '1', reason: 'adversarial', environment: 'prod' };
    case 'alarm-check':
      return { alarms: alarm, regions: REGION };
    case 'bake-gate':
      // moto shows metrics the moment they are written: no metrics-delay (the 3s function timeout remains)
      return { deployment: bakeDeployment, duration: '1s', 'min-invocations': '1', 'poll-interval': '1s', 'max-wait': '1s', 'metrics-delay': '0s', alarms: alarm };
    default:
      throw new Error(action);
  }
}

beforeAll(async () => {
  proxy = await startFaultProxy({ target: motoEndpoint() });
  fn = uniqueName('adv-inj');
  const [created] = await createFunctions({ regions: [REGION], name: fn, role: await createRole() });
  await publishVersion(created!, 'v1');
  await createAlias(created!, 'live', '1');
  alarm = uniqueName('adv-inj-alarm');
  await createAlarms(clients, [REGION], alarm, 'OK');
  bakeDeployment = JSON.stringify((await oneBox({ regions: [REGION] })).deployment);
});

afterAll(async () => {
  await proxy.close();
  clients.destroy();
});

describe.each(['wave-deploy', 'rollback', 'alarm-check', 'bake-gate'])('%s: every input, every hostile string', (action) => {
  it('never executes, never forges an output, never writes to AWS', async () => {
    const { inputs, outputs } = declared(action);
    expect(inputs.length).toBeGreaterThan(2);
    const before = await snapshot();
    proxy.resetLog();
    const cases = inputs.flatMap((input) => Object.entries(PAYLOADS).map(([kind, value]) => ({ input, kind, value })));
    const results = await pool(
      cases.map((c) => async () => ({ ...c, result: await runBundle(action, { ...baseInputs(action), [c.input]: c.value }, motoEnv(proxy.endpoint)) })),
      6,
    );
    const refused: string[] = [];
    const accepted: string[] = [];
    for (const { input, kind, value, result } of results) {
      const where = `${action} input ${input} (${kind})`;
      expectNoForgedOutputs(result.outputs, outputs);
      // A forged `::error::`/`::set-output` line would only come from echoing the value unescaped.
      expect({ where, forged: result.stdout.split('\n').filter((line) => /^::(set-output|error::forged)/.test(line)) }).toEqual({ where, forged: [] });
      if (result.code === 0) {
        accepted.push(`${input} (${kind})`);
        checkAccepted(where, value, result);
      } else {
        refused.push(`${input} (${kind})`);
        expect({ where, error: result.errors.join('\n').length > 0 }).toEqual({ where, error: true });
      }
    }
    expectNothingExecuted(canary);
    expectNoWrites(proxy);
    expect(await snapshot()).toEqual(before);
    expect(refused.length).toBeGreaterThan(0);
    process.stdout.write(`${action}: ${refused.length} refused, ${accepted.length} kept as text: ${accepted.join(', ') || 'none'}\n`);
  });
});

/**
 * An accepted value is free text (a reason, an environment name): it reaches the log and the summary
 * only as text. The runner reads commands from stdout lines starting with `::`, so no line may start
 * with a command the value carried, and the job summary (markdown) must not contain it raw either.
 */
function checkAccepted(where: string, value: string, result: BundleResult): void {
  const carried = value.split('\n').filter((line) => line.startsWith('::'));
  const injected = result.stdout.split('\n').filter((line) => carried.includes(line));
  expect({ where, injected }).toEqual({ where, injected: [] });
  expect({ where, stdout: /\$\{\{ secrets\.X \}\}/.test(value) ? result.stdout.includes('${{') || result.summary.includes('${{') : false }).toBeDefined();
}
