// The Lambda adapter over real HTTP against moto, in three regions: publish, one-box at 10%,
// promote, a second release, rollback, re-runs that write nothing, and the record round trip.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ListVersionsByFunctionCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../../packages/aws/src/clients.js';
import {
  forEachTarget,
  lambdaContext,
  LambdaDeployError,
  promote,
  publishCandidate,
  readAlias,
  rollbackAlias,
  shiftTraffic,
  type AliasTarget,
  type LambdaContext, zipCodeSha256 } from '../../packages/aws/src/lambda.js';
import { decodeRecord } from '../../packages/core/src/deployment.js';
import { callCounter, createAlias, createFunctions, createRole, getAlias, listVersions, publishVersion, rawLambda, testClients, uniqueName } from '../helpers/aws.js';
import { handlerZip } from '../../packages/local/src/zip.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const ALIAS = 'live';

let clients: AwsClients;
let role: string;
const counter = callCounter();
const logs: string[] = [];
let ctx: LambdaContext;

beforeAll(async () => {
  clients = testClients();
  role = await createRole();
  ctx = lambdaContext({
    clients,
    environment: 'production',
    onCall: counter.onCall,
    logger: { info: (m) => logs.push(m), warn: (m) => logs.push(`WARN ${m}`) },
  });
});
afterAll(() => clients.destroy());

function allOk<T, R>(outcomes: Array<{ ok: true; value: R; target: T } | { ok: false; error: Error; target: T }>): R[] {
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length > 0) throw new Error(failed.map((o) => (o as { error: Error }).error.message).join('\n'));
  return outcomes.map((o) => (o as { value: R }).value);
}

describe('a release lifecycle in three regions', () => {
  let targets: AliasTarget[];

  beforeAll(async () => {
    // Infrastructure code created the function and an alias on version 1, without a record.
    const fns = await createFunctions({ regions: REGIONS, role, tag: 'r0' });
    targets = fns.map((fn) => ({ ...fn, alias: ALIAS }));
    for (const fn of fns) {
      const v = await publishVersion(fn, 'r0-published', 'created by terraform');
      await createAlias(fn, ALIAS, v, { description: 'orders live traffic' });
    }
  });

  it('publishes the candidate in every region, labelled with commit, run and code hash', async () => {
    const published = allOk(await forEachTarget(targets, (t) => publishCandidate(ctx, t, { code: { kind: 'zip', zipFile: handlerZip('r1') }, commit: 'c1c1c1c1c1c1c1c1', run: '100' })));
    expect(published.map((p) => p.version)).toEqual(['2', '2', '2']);
    expect(published.every((p) => !p.reused && p.codeSha256.length > 0)).toBe(true);
    const lambda = rawLambda('eu-west-1');
    const { Versions } = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: targets[1]!.functionName }));
    lambda.destroy();
    const version = Versions?.find((v) => v.Version === '2');
    expect(version?.Description).toBe(`safe-deploy commit=c1c1c1c1c1c1c1c1 run=100 code=${zipCodeSha256(handlerZip('r1'))}`);
    expect(version?.CodeSha256).toBe(zipCodeSha256(handlerZip('r1')));
  });

  it('shifts a one-box 10% in the first region only, adopting the alias, with the record round-tripping', async () => {
    const [first, ...rest] = targets as [AliasTarget, ...AliasTarget[]];
    const change = await shiftTraffic(ctx, first, { candidate: '2', weight: 0.1, commit: 'c1c1c1c1c1c1c1c1', run: '100' });
    expect(change.wrote).toBe(true);
    expect(change.before).toMatchObject({ version: '1', weights: {}, record: { kind: 'none' } });
    const raw = await getAlias(first, ALIAS);
    expect(raw.FunctionVersion).toBe('1');
    expect(raw.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.1 });
    expect(raw.Description!.length).toBeLessThanOrEqual(256);
    expect(decodeRecord(raw.Description)).toEqual({
      kind: 'record',
      record: { v: 1, stable: '1', candidate: '2', previous: null, weight: 0.1, state: 'baking', commit: 'c1c1c1c1c1c1', run: '100', at: expect.any(Number) },
    });
    for (const t of rest) expect((await getAlias(t, ALIAS)).RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    expect(logs.some((l) => l.includes(`${first.region} ${first.functionName}:live: shift 2 to 10%`))).toBe(true);
  });

  it('promotes everywhere (the first region from 10%, the others from rest)', async () => {
    const [first, ...rest] = targets as [AliasTarget, ...AliasTarget[]];
    await promote(ctx, first, { commit: 'c1c1c1c1c1c1c1c1', run: '100' });
    allOk(await forEachTarget(rest, (t) => shiftTraffic(ctx, t, { candidate: '2', weight: 1, commit: 'c1c1c1c1c1c1c1c1', run: '100' })));
    for (const t of targets) {
      const view = await readAlias(ctx, t);
      expect(view).toMatchObject({ version: '2', weights: {}, record: { kind: 'record', record: { stable: '1', candidate: '2', state: 'promoted' } } });
    }
  });

  it('re-runs the same release without publishing another version or writing the alias', async () => {
    counter.reset();
    const before = await Promise.all(targets.map((t) => listVersions(t)));
    const rerun = allOk(
      await forEachTarget(targets, async (t) => {
        const p = await publishCandidate(ctx, t, { code: { kind: 'zip', zipFile: handlerZip('r1') }, commit: 'c1c1c1c1c1c1c1c1', run: '101' });
        return { p, change: await shiftTraffic(ctx, t, { candidate: p.version, weight: 1, commit: 'c1c1c1c1c1c1c1c1', run: '101' }) };
      }),
    );
    expect(rerun.map((r) => [r.p.version, r.p.reused, r.change.wrote])).toEqual([
      ['2', true, false],
      ['2', true, false],
      ['2', true, false],
    ]);
    expect(await Promise.all(targets.map((t) => listVersions(t)))).toEqual(before);
    expect(counter.count('UpdateAlias') + counter.count('CreateAlias') + counter.count('PublishVersion') + counter.count('UpdateFunctionCode')).toBe(0);
  });

  it('ships a second release to 10% and rolls it back to the recorded stable everywhere', async () => {
    const published = allOk(await forEachTarget(targets, (t) => publishCandidate(ctx, t, { code: { kind: 'zip', zipFile: handlerZip('r2') }, commit: 'c2c2c2c2c2c2c2c2', run: '200' })));
    expect(published.map((p) => p.version)).toEqual(['3', '3', '3']);
    allOk(await forEachTarget(targets, (t) => shiftTraffic(ctx, t, { candidate: '3', weight: 0.1, commit: 'c2c2c2c2c2c2c2c2', run: '200' })));
    for (const t of targets) {
      expect(await readAlias(ctx, t)).toMatchObject({ version: '2', weights: { '3': 0.1 }, record: { record: { stable: '2', candidate: '3', previous: '1' } } });
    }
    const rolled = allOk(await forEachTarget(targets, (t) => rollbackAlias(ctx, t, { to: 'previous', run: '201' })));
    expect(rolled.every((c) => c.wrote)).toBe(true);
    for (const t of targets) {
      const raw = await getAlias(t, ALIAS);
      expect(raw.FunctionVersion).toBe('2');
      expect(raw.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
      expect(decodeRecord(raw.Description)).toMatchObject({ record: { stable: '2', candidate: '3', state: 'rolled-back', run: '201' } });
    }
    // rolling back what is rolled back succeeds and writes nothing
    counter.reset();
    const again = allOk(await forEachTarget(targets, (t) => rollbackAlias(ctx, t, { to: 'previous', run: '202' })));
    expect(again.every((c) => !c.wrote)).toBe(true);
    expect(counter.count('UpdateAlias')).toBe(0);
  });

  it('rolls back to an explicit version', async () => {
    const change = await rollbackAlias(ctx, targets[0]!, { to: '1', run: '300' });
    expect(change.wrote).toBe(true);
    expect(await readAlias(ctx, targets[0]!)).toMatchObject({ version: '1', weights: {}, record: { record: { stable: '1', state: 'rolled-back' } } });
  });
});

describe('first deployment and an alias changed behind our back', () => {
  it('creates the alias on the first deployment', async () => {
    const [fn] = await createFunctions({ regions: ['eu-central-1'], role, tag: 'x0' });
    const t = { ...fn!, alias: uniqueName('alias') };
    const p = await publishCandidate(ctx, t, { code: { kind: 'zip', zipFile: handlerZip('x1') }, commit: 'f1f1f1', run: '1' });
    const change = await shiftTraffic(ctx, t, { candidate: p.version, weight: 0.1, commit: 'f1f1f1', run: '1' });
    expect(change).toMatchObject({ wrote: true, before: null, after: { version: p.version, weights: {} } });
  });

  it('stops a deploy when the routing disagrees with the record, and leaves the alias alone', async () => {
    const [fn] = await createFunctions({ regions: ['us-west-2'], role, tag: 'd0' });
    const t = { ...fn!, alias: ALIAS };
    const v1 = await publishVersion(fn!, 'd1');
    await createAlias(fn!, ALIAS, v1);
    const v2 = (await publishCandidate(ctx, t, { code: { kind: 'zip', zipFile: handlerZip('d2') }, commit: 'd2d2', run: '1' })).version;
    await shiftTraffic(ctx, t, { candidate: v2, weight: 0.1, commit: 'd2d2', run: '1' });
    // terraform apply puts the alias back on v1 without routing, leaving our record in place
    const raw = rawLambda('us-west-2');
    await raw.send(new UpdateAliasCommand({ FunctionName: t.functionName, Name: ALIAS, FunctionVersion: v1, RoutingConfig: { AdditionalVersionWeights: {} } }));
    raw.destroy();
    const v3 = (await publishCandidate(ctx, t, { code: { kind: 'zip', zipFile: handlerZip('d3') }, commit: 'd3d3', run: '2' })).version;
    counter.reset();
    const error = (await shiftTraffic(ctx, t, { candidate: v3, weight: 0.1, commit: 'd3d3', run: '2' }).catch((e) => e)) as LambdaDeployError;
    expect(error).toBeInstanceOf(LambdaDeployError);
    expect(error.rule).toBe('changed-behind-our-back');
    expect(error.message).toContain(`should route version ${v1} +${v2} at 10%, but it routes version ${v1}`);
    expect(error.message).toContain(`gh workflow run rollback.yml -f environment=production -f regions=us-west-2 -f version=${v1}`);
    expect(counter.count('UpdateAlias')).toBe(0);
    expect((await getAlias(fn!, ALIAS)).FunctionVersion).toBe(v1);
  });
});
