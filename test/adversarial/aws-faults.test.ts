// Adversarial AWS situations through the real bundles on moto behind the fault proxy:
// - the hand-rollback command a failed run prints, pasted into a shell, passes hostile text as
//   plain arguments (a fake `gh` records them) and runs nothing;
// - a rollback that fails in two of three regions reports each region's state and one command,
//   and re-running the same rollback completes it;
// - credentials that expire in the middle of a bake fail the bake closed, not `baked`;
// - two wave-deploy runs racing for one alias leave one consistent record.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeRecord } from '../../packages/core/src/deployment.js';
import { startFaultProxy, type FaultProxy } from '../../packages/local/src/fault-proxy.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { createAlias, createFunctions, createRole, getAlias, listVersions, motoEndpoint, publishVersion, testClients, uniqueName } from '../helpers/aws.js';
import { createAlarms, oneBox } from '../helpers/cloudwatch.js';
import { runBundle as runBake } from '../e2e/bake-harness.js';
import { runBundle, startBundle } from '../e2e/wave-deploy-harness.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { canaryDir, expectNothingExecuted, expectNoWrites } from './harness.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
const dir = mkdtempSync(join(tmpdir(), 'sd-adv-aws-'));
const clients = testClients();
let proxy: FaultProxy;
let role: string;

function zip(tag: string): string {
  const path = join(dir, `${tag}.zip`);
  writeFileSync(path, handlerZip(tag));
  return path;
}

/** A function on version 1 behind alias `live` in every region. */
async function service(prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  for (const fn of await createFunctions({ regions: REGIONS, name, role })) {
    await publishVersion(fn, 'v1');
    await createAlias(fn, 'live', '1');
  }
  return name;
}

async function aliasState(name: string) {
  return Promise.all(
    REGIONS.map(async (region) => {
      const alias = await getAlias({ region, functionName: name }, 'live');
      return { region, version: alias.FunctionVersion, weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {}, description: alias.Description ?? '' };
    }),
  );
}

/**
 * Pastes a printed `gh workflow run ...` line into sh with a fake gh that records its arguments.
 * Returns the arguments gh received.
 */
function pasteIntoShell(command: string): string[] {
  const bin = mkdtempSync(join(tmpdir(), 'sd-adv-gh-'));
  const record = join(bin, 'args.json');
  writeFileSync(join(bin, 'gh'), `#!/usr/bin/env node\nrequire('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)));\n`);
  chmodSync(join(bin, 'gh'), 0o755);
  const result = spawnSync('sh', ['-c', command], { env: { PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
  expect(result.status).toBe(0);
  return JSON.parse(readFileSync(record, 'utf8')) as string[];
}

function field(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length - 1; i++) if (args[i] === '-f' && args[i + 1]!.startsWith(`${name}=`)) return args[i + 1]!.slice(name.length + 1);
  return undefined;
}

beforeAll(async () => {
  proxy = await startFaultProxy({ target: motoEndpoint() });
  role = await createRole();
});

afterAll(async () => {
  await proxy.close();
  clients.destroy();
});

describe('hand-rollback commands pasted into a shell', () => {
  it('a failed wave with a hostile environment name prints a command that passes it as text and runs nothing', async () => {
    const canary = canaryDir();
    const environment = `prod$(touch ${canary}/a)\`touch ${canary}/b\`";touch ${canary}/c;#'x`;
    const name = await service('adv-hand');
    proxy.clearRules();
    proxy.addRule({ operation: 'UpdateAlias', region: 'eu-west-1', fault: { kind: 'status', status: 500 } });
    const result = await runBundle('wave-deploy', { functions: name, regions: REGIONS.join(','), traffic: '100%', 'zip-file': zip('v2'), commit: 'ad'.repeat(20), environment }, motoEnv(proxy.endpoint));
    proxy.clearRules();
    expect(result.code).toBe(1);
    const lines = `${result.errors.join('\n')}\n${result.summary}`.split('\n').flatMap((line) => line.match(/gh workflow run rollback\.yml.*$/) ?? []);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const command = line.replace(/`+$/, '');
      const args = pasteIntoShell(command);
      expect(field(args, 'environment')).toBe(environment);
      expect(field(args, 'version')).toBe('1');
    }
    expectNothingExecuted(canary);
  });

  it('a failed bake with a hostile environment name prints a command that passes it as text', async () => {
    const canary = canaryDir();
    const environment = `gamma$(touch ${canary}/a);touch ${canary}/b`;
    const box = await oneBox({ regions: ['us-east-1'] });
    const missing = uniqueName('adv-missing-alarm');
    const run = await runBake('bake-gate', { deployment: JSON.stringify(box.deployment), duration: '1s', 'min-invocations': '1', 'poll-interval': '1s', alarms: missing, environment }, motoEndpoint());
    expect(run.outputs.result).not.toBe('baked');
    const line = /gh workflow run rollback\.yml.*$/m.exec(run.summary)?.[0];
    expect(line).toBeDefined();
    expect(field(pasteIntoShell(line!), 'environment')).toBe(environment);
    expectNothingExecuted(canary);
  });
});

describe('a rollback that fails half-way', () => {
  it('names each region and its state, prints one command for the rest, and a re-run completes it', async () => {
    const name = await service('adv-half');
    const deployed = await runBundle('wave-deploy', { functions: name, regions: REGIONS.join(','), traffic: '100%', 'zip-file': zip('v2'), commit: 'be'.repeat(20), environment: 'prod' }, motoEnv(proxy.endpoint));
    expect(deployed.code).toBe(0);
    const deployment = deployed.outputs.deployment as string;

    proxy.clearRules();
    proxy.addRule({ operation: 'UpdateAlias', region: /^(eu-west-1|ap-southeast-2)$/, fault: { kind: 'status', status: 503 } });
    const half = await runBundle('rollback', { deployment, reason: "half-way: it's red" }, motoEnv(proxy.endpoint));
    proxy.clearRules();
    expect(half.code).toBe(1);
    expect((await aliasState(name)).map((a) => a.version)).toEqual(['1', '2', '2']);
    const error = half.errors.join('\n');
    expect(error).toMatch(/Aliases now:/);
    expect(error).toContain(`us-east-1 ${name}:live: version 1; record rolled-back`);
    expect(error).toMatch(new RegExp(`eu-west-1 ${name}:live: .*write-failed`));
    expect(error).toMatch(new RegExp(`ap-southeast-2 ${name}:live: .*write-failed`));
    // Each failed region says how to finish it alone; the last line, after the state of every alias, covers them all.
    expect(error.indexOf('To finish by hand: gh workflow run rollback.yml -f environment=production -f regions=eu-west-1,ap-southeast-2')).toBeGreaterThan(error.indexOf('Aliases now:'));
    const command = [...error.matchAll(/To finish by hand: (gh workflow run rollback\.yml.*)$/gm)].at(-1)?.[1];
    expect(command).toBeDefined();
    const args = pasteIntoShell(command!);
    expect(field(args, 'regions')!.split(',').sort()).toEqual(['ap-southeast-2', 'eu-west-1']);
    expect(field(args, 'version')).toBe('1');
    expect(field(args, 'reason')).toBe("half-way: it's red");
    expect(JSON.parse(half.outputs['rolled-back'] as string)).toEqual([expect.objectContaining({ region: 'us-east-1', from: '2', to: '1' })]);

    proxy.resetLog();
    const again = await runBundle('rollback', { deployment, reason: 'finish' }, motoEnv(proxy.endpoint));
    expect(again.code).toBe(0);
    expect(proxy.count('UpdateAlias')).toBe(2); // only the two regions that were left
    for (const alias of await aliasState(name)) {
      expect(alias).toMatchObject({ version: '1', weights: {} });
      const record = decodeRecord(alias.description);
      expect(record.kind === 'record' && record.record.state).toBe('rolled-back');
    }
  });
});

describe('credentials that expire during a long bake', () => {
  it('fails closed with a clear message instead of reporting baked', async () => {
    const alarm = uniqueName('adv-expire');
    await createAlarms(clients, ['us-east-1'], alarm, 'OK');
    const box = await oneBox({ regions: ['us-east-1'], perMinute: 60_000 });
    proxy.clearRules();
    proxy.resetLog();
    // The judge's plan reads the stable version's traffic once, then the first two polls read fine;
    // from then on every call is refused as expired.
    proxy.addRule({ operation: /^(DescribeAlarms|GetMetricData)$/, after: 5, fault: { kind: 'error', status: 400, code: 'ExpiredTokenException', message: 'The security token included in the request is expired' } });
    const run = await runBake('bake-gate', { deployment: JSON.stringify(box.deployment), duration: '30s', 'min-invocations': '1', 'poll-interval': '1s', alarms: alarm }, proxy.endpoint);
    proxy.clearRules();
    expect(run.outputs.result).not.toBe('baked');
    expect(run.outputs.result).toBe('alarm');
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/^poll 2 /m);
    expect(run.stdout).toMatch(/monitoring failed, so the bake fails closed: CloudWatch (DescribeAlarms|GetMetricData) in us-east-1 failed: ExpiredToken/);
    expect(run.ms).toBeLessThan(20_000); // stopped at once, not at the end of the 30 s bake
    expectNoWrites(proxy);
  });
});

// moto has no RevisionId, so both runs' UpdateAlias calls land and the later one wins: on moto the
// bundles can show that the alias is never left half-written (its routing always equals its
// record, and the record belongs whole to one run), not that the loser is told. The 412 the loser
// gets from real Lambda is covered at the adapter level in revision-race.test.ts.
describe('two wave-deploy runs racing for one alias', () => {
  it('end in one consistent record: the alias routes exactly as its record says, and a loser fails clearly', async () => {
    const name = uniqueName('adv-race');
    const [fn] = await createFunctions({ regions: ['us-east-1'], name, role });
    await publishVersion(fn!, 'v1');
    await createAlias(fn!, 'live', '1');
    const run = (tag: string, commit: string) =>
      startBundle('wave-deploy', { functions: name, regions: 'us-east-1', traffic: '10%', 'zip-file': zip(tag), commit, environment: 'prod' }, motoEnv(motoEndpoint())).done;
    const [a, b] = await Promise.all([run('race-a', 'aa'.repeat(20)), run('race-b', 'bb'.repeat(20))]);
    const alias = await getAlias(fn!, 'live');
    const record = decodeRecord(alias.Description ?? '');
    expect(record.kind).toBe('record');
    if (record.kind !== 'record') return;
    // The routing and the record were written together: the alias serves exactly what the record says.
    expect(alias.FunctionVersion).toBe(record.record.stable);
    expect(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual(record.record.candidate ? { [record.record.candidate]: record.record.weight } : {});
    expect(record.record.stable).toBe('1');
    expect([a, b].filter((r) => r.code === 0).length).toBeGreaterThanOrEqual(1);
    // The record belongs to one run whole: its commit is one of the two.
    expect(['aa'.repeat(6), 'bb'.repeat(6)]).toContain(record.record.commit);
    // A run that lost says why in words (never an internal placeholder).
    for (const loser of [a, b].filter((r) => r.code !== 0)) {
      const error = loser.errors.join('\n');
      expect(error).toMatch(/another-candidate-in-flight|alias-changed-concurrently|changed|in flight/);
      expect(error).not.toContain('999999999');
    }
    // moto returns the same version when $LATEST did not change, so the two runs published one or two.
    expect((await listVersions(fn!)).length).toBeLessThanOrEqual(3);
  });
});

describe('a second deploy while the first one-box is still baking', () => {
  it('is refused before any write, naming the candidate in flight and its commit', async () => {
    const name = uniqueName('adv-second');
    const [fn] = await createFunctions({ regions: ['us-east-1'], name, role });
    await publishVersion(fn!, 'v1');
    await createAlias(fn!, 'live', '1');
    const first = await runBundle('wave-deploy', { functions: name, regions: 'us-east-1', traffic: '10%', 'zip-file': zip('first'), commit: 'f1'.repeat(20) }, motoEnv(proxy.endpoint));
    expect(first.code).toBe(0);
    const before = await getAlias(fn!, 'live');
    proxy.resetLog();
    const second = await runBundle('wave-deploy', { functions: name, regions: 'us-east-1', traffic: '10%', 'zip-file': zip('second'), commit: 'f2'.repeat(20) }, motoEnv(proxy.endpoint));
    expect(second.code).toBe(1);
    const error = second.errors.join('\n');
    expect(error).toContain('another-candidate-in-flight: candidate 2 is in flight (baking at 10%)');
    expect(error).toContain(`a new version of commit ${'f2'.repeat(6)}`);
    expect(error).not.toContain('999999999');
    expectNoWrites(proxy);
    const after = await getAlias(fn!, 'live');
    expect([after.FunctionVersion, after.RoutingConfig, after.Description]).toEqual([before.FunctionVersion, before.RoutingConfig, before.Description]);
    expect(await listVersions(fn!)).toEqual(['1', '2']);
  });
});
