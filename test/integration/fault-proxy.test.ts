// The Lambda layer through the fault proxy in front of moto: throttling storms, 5xx bursts and
// connection resets still end in the intended alias state; a call that keeps failing ends in a
// clear error with every alias either unchanged or fully rolled back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  forEachTarget,
  lambdaContext,
  LambdaDeployError,
  publishCandidate,
  rollbackAlias,
  shiftTraffic,
  type AliasTarget,
  type LambdaContext,
} from '../../packages/aws/src/lambda.js';
import type { AwsClients } from '../../packages/aws/src/clients.js';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { createAlias, createFunctions, createRole, getAlias, listVersions, motoEndpoint, publishVersion, TEST_CREDENTIALS, testClients } from '../helpers/aws.js';
import { handlerZip } from '../../packages/local/src/zip.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const ALIAS = 'live';

let proxy: FaultProxy;
let clients: AwsClients;
let ctx: LambdaContext;
let role: string;

beforeAll(async () => {
  proxy = await startFaultProxy({ target: motoEndpoint() });
  clients = testClients(proxy.endpoint);
  ctx = lambdaContext({ clients, environment: 'production' });
  role = await createRole();
});
afterEach(() => {
  proxy.clearRules();
  proxy.setLatency(0);
});
afterAll(async () => {
  clients.destroy();
  await proxy.close();
});

/** Functions in three regions, each with an alias on version 1 (adopted, no record). */
async function aliasesOnVersionOne(): Promise<AliasTarget[]> {
  const fns = await createFunctions({ regions: REGIONS, role, tag: 'base' });
  for (const fn of fns) await createAlias(fn, ALIAS, await publishVersion(fn, 'v1'));
  return fns.map((fn) => ({ ...fn, alias: ALIAS }));
}

async function routing(t: AliasTarget) {
  const raw = await getAlias(t, ALIAS);
  return { version: raw.FunctionVersion, weights: raw.RoutingConfig?.AdditionalVersionWeights ?? {} };
}

function release(t: AliasTarget, tag: string, weight: number) {
  return publishCandidate(ctx, t, { code: { kind: 'zip', zipFile: handlerZip(tag) }, commit: tag, run: '1' }).then((p) =>
    shiftTraffic(ctx, t, { candidate: p.version, weight, commit: tag, run: '1' }),
  );
}

describe('error shapes', () => {
  it('answers throttling the way Lambda does, so the SDK names it TooManyRequestsException', async () => {
    proxy.addRule({ operation: 'GetAlias', fault: { kind: 'throttle' } });
    const client = new LambdaClient({ region: 'eu-west-1', endpoint: proxy.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    const error = (await client.send(new GetAliasCommand({ FunctionName: 'any', Name: 'live' })).catch((e) => e)) as Error & { $metadata: { httpStatusCode: number }; Reason?: string };
    client.destroy();
    expect(error.name).toBe('TooManyRequestsException');
    expect(error.message).toBe('Rate exceeded');
    expect(error.$metadata.httpStatusCode).toBe(429);
    expect(error.Reason).toBe('CallerRateLimitExceeded');
  });

  it('answers a 5xx as ServiceException and can reset the connection', async () => {
    const client = new LambdaClient({ region: 'eu-west-1', endpoint: proxy.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    proxy.addRule({ operation: 'GetAlias', times: 1, fault: { kind: 'status', status: 500 } });
    proxy.addRule({ operation: 'GetAlias', after: 1, times: 1, fault: { kind: 'reset' } });
    const e500 = (await client.send(new GetAliasCommand({ FunctionName: 'any', Name: 'live' })).catch((e) => e)) as Error;
    const reset = (await client.send(new GetAliasCommand({ FunctionName: 'any', Name: 'live' })).catch((e) => e)) as Error & { code?: string };
    client.destroy();
    expect(e500.name).toBe('ServiceException');
    expect(`${reset.code} ${reset.name} ${reset.message}`).toMatch(/ECONNRESET|socket hang up/i);
  });
});

describe('the intended state despite faults', () => {
  it('rides out a throttling storm on every operation in every region', async () => {
    const targets = await aliasesOnVersionOne();
    proxy.resetLog();
    // Each operation in each region is throttled twice before it gets through.
    for (const region of REGIONS) {
      for (const operation of ['ListVersionsByFunction', 'UpdateFunctionCode', 'PublishVersion', 'GetAlias', 'UpdateAlias', 'GetFunctionConfiguration']) {
        proxy.addRule({ operation, region, times: 2, fault: { kind: 'throttle' } });
      }
    }
    const outcomes = await forEachTarget(targets, (t) => release(t, 'storm', 0.1));
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.message))).toEqual(['ok', 'ok', 'ok']);
    for (const t of targets) expect(await routing(t)).toEqual({ version: '1', weights: { '2': 0.1 } });
    expect(proxy.log.filter((l) => l.fault === 'throttle').length).toBe(REGIONS.length * 6 * 2);
    for (const t of targets) expect(await listVersions(t)).toEqual(['1', '2']);
  });

  it('rides out 500/503 bursts and connection resets, then rolls back', async () => {
    const targets = await aliasesOnVersionOne();
    proxy.addRule({ operation: 'UpdateAlias', times: 2, fault: { kind: 'status', status: 503 } });
    proxy.addRule({ operation: 'GetAlias', times: 3, fault: { kind: 'status', status: 500 } });
    proxy.addRule({ operation: /./, after: 4, times: 3, fault: { kind: 'reset' } });
    proxy.addRule({ operation: 'UpdateAlias', after: 5, times: 1, fault: { kind: 'reset-after-forward' } });
    proxy.setLatency(20);
    const shifted = await forEachTarget(targets, (t) => release(t, 'bursts', 0.1));
    expect(shifted.map((o) => (o.ok ? 'ok' : o.error.message))).toEqual(['ok', 'ok', 'ok']);
    for (const t of targets) expect(await routing(t)).toEqual({ version: '1', weights: { '2': 0.1 } });

    proxy.addRule({ operation: 'UpdateAlias', times: 3, fault: { kind: 'status', status: 503 } });
    const rolled = await forEachTarget(targets, (t) => rollbackAlias(ctx, t, { to: 'previous', run: '2' }));
    expect(rolled.map((o) => (o.ok ? o.value.wrote : o.error.message))).toEqual([true, true, true]);
    for (const t of targets) expect(await routing(t)).toEqual({ version: '1', weights: {} });
    expect(proxy.log.some((l) => l.fault === 'reset')).toBe(true);
  });
});

describe('a call that keeps failing', () => {
  // Fewer SDK attempts keep the give-up path quick; the behaviour is the same with more.
  let quick: AwsClients;
  beforeAll(() => {
    quick = testClients(proxy.endpoint, { maxAttempts: 3 });
    ctx = lambdaContext({ clients: quick, environment: 'production' });
  });
  afterAll(() => quick.destroy());
  it('fails the shift in that region with a clear error; the rollback leaves every alias unchanged or fully back', async () => {
    const targets = await aliasesOnVersionOne();
    proxy.addRule({ operation: 'UpdateAlias', region: 'eu-west-1', fault: { kind: 'status', status: 503 } });
    const shifted = await forEachTarget(targets, (t) => release(t, 'stuck', 0.1));
    expect(shifted.map((o) => o.ok)).toEqual([true, false, true]);
    const error = (shifted[1] as unknown as { error: LambdaDeployError }).error;
    expect(error).toBeInstanceOf(LambdaDeployError);
    expect(error.rule).toBe('write-failed');
    expect(error.message).toMatch(/^eu-west-1 sd-fn-[0-9a-f]+:live: write-failed: shift 2 to 10% failed: /);
    expect(error.message).toContain('Alias now: version 1; no record');
    expect(error.message).toContain('gh workflow run rollback.yml -f environment=production -f regions=eu-west-1 -f version=1');
    expect(await routing(targets[1]!)).toEqual({ version: '1', weights: {} });

    // what the workflow does next: roll back everywhere
    const rolled = await forEachTarget(targets, (t) => rollbackAlias(ctx, t, { to: 'previous', run: '2' }));
    expect(rolled.map((o) => (o.ok ? o.value.wrote : o.error.message))).toEqual([true, false, true]);
    for (const t of targets) expect(await routing(t)).toEqual({ version: '1', weights: {} });
  });

  it('fails a rollback in that region naming its state and the command to finish, while the other regions roll back', async () => {
    const targets = await aliasesOnVersionOne();
    const shifted = await forEachTarget(targets, (t) => release(t, 'bad', 0.1));
    expect(shifted.every((o) => o.ok)).toBe(true);
    proxy.addRule({ operation: 'UpdateAlias', region: 'ap-southeast-2', fault: { kind: 'throttle' } });
    const rolled = await forEachTarget(targets, (t) => rollbackAlias(ctx, t, { to: 'previous', run: '2' }));
    expect(rolled.map((o) => o.ok)).toEqual([true, true, false]);
    const error = (rolled[2] as unknown as { error: LambdaDeployError }).error;
    expect(error.message).toMatch(/^ap-southeast-2 .*:live: write-failed: rollback to 1 failed: Rate exceeded/);
    expect(error.message).toContain('Alias now: version 1 +2 at 10%; record baking stable=1 candidate=2');
    expect(error.message).toContain('-f regions=ap-southeast-2 -f version=1');
    expect(await routing(targets[0]!)).toEqual({ version: '1', weights: {} });
    expect(await routing(targets[1]!)).toEqual({ version: '1', weights: {} });
    expect(await routing(targets[2]!)).toEqual({ version: '1', weights: { '2': 0.1 } });
  });
});
