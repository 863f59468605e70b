// bench/rollback: how fast safe-deploy rolls back many aliases, side by side with the obvious
// alternative, on one private moto server behind the fault proxy adding 50 ms to every call.
//
// 1. 20 regions x 5 functions: safe-deploy's rollbackAlias through forEachTarget (read, one
//    guarded UpdateAlias, read back; regions in parallel, < 10 calls/s per region) against a
//    sequential shell loop of `aws lambda update-alias` (AWS CLI v1, which honours
//    AWS_ENDPOINT_URL; the faster CLI here per REFERENCE.md) doing the same writes.
//    Goal: at least 40x faster.
// 2. 20 regions x 1 function against 1 region x 1 function (median of several runs).
//    Goal: within 1.3x, since regions run in parallel.
//
// Run: npm run bench:rollback [-- --repeat 5] [--moto-per-region] [--orchestration-only] [--skip-cli]. Writes bench/out/rollback.md.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { GetAliasCommand, LambdaClient, UpdateAliasCommand, type AliasConfiguration, type GetAliasCommandInput, type UpdateAliasCommandInput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClients } from '../packages/aws/src/clients.js';
import { encodeRecord } from '../packages/core/src/deployment.js';
import { forEachTarget, lambdaContext, rollbackAlias, shiftTraffic, type AliasTarget, type LambdaContext } from '../packages/aws/src/lambda.js';
import { BENCH_REGIONS, median, seconds } from '../packages/local/src/bench-fixtures.js';
import { startFaultProxy } from '../packages/local/src/fault-proxy.js';
import { motoEnv, startMoto } from '../packages/local/src/moto.js';
import { createAlias, createFunctions, createRole, publishVersion, TEST_CREDENTIALS } from '../test/helpers/aws.js';

const REGIONS: readonly string[] = BENCH_REGIONS;
const FUNCTIONS_PER_REGION = 5;
const LATENCY_MS = 50;
const ALIAS = 'live';

const args = process.argv.slice(2);
const repeat = Number(args[args.indexOf('--repeat') + 1] ?? '') || 5;

async function main(): Promise<void> {
  if (args.includes('--orchestration-only')) {
    const o = await orchestrationOnly(repeat);
    console.log(`orchestration only: 1x1 ${seconds(o.one)}, ${REGIONS.length}x1 ${seconds(o.wide)} (${(o.wide / o.one).toFixed(2)}x), ${REGIONS.length}x${FUNCTIONS_PER_REGION} ${seconds(o.all)}`);
    return;
  }
  // One moto serves every region by default (the same emulator for both approaches). AWS regions
  // are independent services; `--moto-per-region` models that with one moto per region, which on
  // a 2-CPU machine measures about the same, since every emulator shares the same CPUs.
  const singleMoto = !args.includes('--moto-per-region');
  const motos = singleMoto ? [await startMoto()] : await Promise.all(REGIONS.map(() => startMoto({ timeoutMs: 120_000 })));
  const endpointOf = (region: string): string => (singleMoto ? motos[0]! : (motos[REGIONS.indexOf(region)] ?? motos[0]!)).endpoint;
  const proxy = await startFaultProxy({ target: endpointOf, latencyMs: 0 });
  const proxied = new AwsClients({ endpoint: proxy.endpoint, credentials: TEST_CREDENTIALS });
  const setupCtx = lambdaContext({ clients: proxied });
  try {
    console.log(`setting up ${REGIONS.length} regions x ${FUNCTIONS_PER_REGION} functions on ${singleMoto ? 'one moto server' : `${motos.length} moto servers (one per region)`} ...`);
    const targets: AliasTarget[] = [];
    await Promise.all(
      REGIONS.map(async (region) => {
        const endpoint = endpointOf(region);
        const role = await createRole(endpoint);
        for (let f = 0; f < FUNCTIONS_PER_REGION; f += 1) {
          const [fn] = await createFunctions({ regions: [region], role, endpoint, name: `bench-fn-${f}`, tag: 'v0' });
          const v1 = await publishVersion(fn!, 'v1', 'stable', endpoint);
          await createAlias(fn!, ALIAS, v1, { endpoint });
          await publishVersion(fn!, 'v2', 'candidate', endpoint);
          targets.push({ ...fn!, alias: ALIAS });
        }
      }),
    );
    targets.sort((a, b) => a.functionName.localeCompare(b.functionName) || REGIONS.indexOf(a.region) - REGIONS.indexOf(b.region));

    /** Puts the given aliases on the candidate at 10% (untimed, straight to moto). */
    async function arm(list: AliasTarget[]): Promise<void> {
      proxy.setLatency(0);
      const outcomes = await forEachTarget(list, (t) => shiftTraffic(setupCtx, t, { candidate: '2', weight: 0.1, commit: 'bench', run: '1' }));
      const failed = outcomes.filter((o) => !o.ok);
      if (failed.length) throw new Error(`arming failed: ${failed.map((o) => (o as { error: Error }).error.message).join('; ')}`);
      proxy.setLatency(LATENCY_MS);
    }

    /** safe-deploy's rollback of the aliases through the proxy; returns milliseconds. */
    async function ours(list: AliasTarget[]): Promise<number> {
      const ctx: LambdaContext = lambdaContext({ clients: proxied });
      const start = performance.now();
      const outcomes = await forEachTarget(list, (t) => rollbackAlias(ctx, t, { to: 'previous', run: 'bench' }));
      const elapsed = performance.now() - start;
      const bad = outcomes.filter((o) => !o.ok || !o.value.wrote || o.value.after.version !== '1' || Object.keys(o.value.after.weights).length > 0);
      if (bad.length) throw new Error(`rollback did not land on ${bad.length} aliases: ${bad.map((o) => (o.ok ? o.value.transition : o.error.message)).join('; ')}`);
      return elapsed;
    }

    let cliWrites = 0;
    /** A sequential shell loop of the AWS CLI doing the same writes through the proxy; returns milliseconds. */
    async function cliLoop(list: AliasTarget[]): Promise<number> {
      const lines = list.map(
        (t) =>
          `aws lambda update-alias --region ${t.region} --function-name ${t.functionName} --name ${ALIAS} --function-version 1 --routing-config '{"AdditionalVersionWeights":{}}' --output text > /dev/null || exit 1`,
      );
      const script = lines.join('\n');
      const start = performance.now();
      await new Promise<void>((resolve, reject) => {
        const child = spawn('bash', ['-c', script], { env: { ...process.env, ...motoEnv(proxy.endpoint) }, stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`aws cli loop failed (${code}): ${err.slice(-500)}`))));
      });
      const elapsed = performance.now() - start;
      cliWrites = proxy.log.filter((l) => l.operation === 'UpdateAlias').length;
      // check it really rolled back
      proxy.setLatency(0);
      const check = await forEachTarget(list, (t) => rollbackAlias(setupCtx, t, { to: '1', run: 'check' }));
      if (check.some((o) => !o.ok || o.value.after.version !== '1' || Object.keys(o.value.after.weights).length > 0)) throw new Error('aws cli loop left aliases in an unexpected state');
      proxy.setLatency(LATENCY_MS);
      return elapsed;
    }

    proxy.setLatency(LATENCY_MS);

    // warm up connections and both code paths once (not measured)
    await arm(targets.slice(0, 1));
    await ours(targets.slice(0, 1));

    const skipCli = args.includes('--skip-cli'); // diagnostics: part 1 without the CLI loop, no report
    console.log(`\n1) ${REGIONS.length} regions x ${FUNCTIONS_PER_REGION} functions, ${LATENCY_MS} ms added per call`);
    await arm(targets);
    proxy.resetLog();
    const oursMany = await ours(targets);
    const callsOurs = proxy.log.length;
    console.log(`   safe-deploy rollbackAlias:      ${seconds(oursMany)} (${callsOurs} calls: read, write, read back)`);
    await arm(targets);
    proxy.resetLog();
    const cliMany = skipCli ? Number.NaN : await cliLoop(targets);
    const callsCli = cliWrites;
    console.log(`   aws lambda update-alias loop:  ${seconds(cliMany)} (${callsCli} calls, writes only)`);
    const speedup = cliMany / oursMany;
    console.log(`   ratio: ${speedup.toFixed(1)}x faster (goal >= 40x)`);

    console.log(`\n2) ${REGIONS.length} regions x 1 function vs 1 region x 1 function (median of ${repeat})`);
    const wide = targets.filter((t) => t.functionName === 'bench-fn-0');
    const one = wide.slice(0, 1);
    const oneTimes: number[] = [];
    const wideTimes: number[] = [];
    const oneUpstream: number[] = [];
    const wideUpstream: number[] = [];
    const upstreamTimes = () => proxy.log.map((l) => l.upstreamMs).filter((ms): ms is number => ms !== undefined);
    // CPU the wide runs cost: this process (SDK clients, safe-deploy, the proxy) and the emulators.
    let wideCalls = 0;
    let wideNodeCpuMs = 0;
    let wideMotoCpuMs = 0;
    for (let i = 0; i < repeat; i += 1) {
      await arm(one);
      proxy.resetLog();
      oneTimes.push(await ours(one));
      oneUpstream.push(...upstreamTimes());
      await arm(wide);
      proxy.resetLog();
      const nodeBefore = process.cpuUsage();
      const motoBefore = cpuMsOf(motos.map((m) => m.pid));
      wideTimes.push(await ours(wide));
      const nodeSpent = process.cpuUsage(nodeBefore);
      wideNodeCpuMs += (nodeSpent.user + nodeSpent.system) / 1000;
      wideMotoCpuMs += cpuMsOf(motos.map((m) => m.pid)) - motoBefore;
      wideCalls += proxy.log.length;
      wideUpstream.push(...upstreamTimes());
    }
    const nodeCpuPerCall = wideNodeCpuMs / wideCalls;
    const motoCpuPerCall = wideMotoCpuMs / wideCalls;
    const callsPerWideRun = wideCalls / repeat;
    const emulatorOne = median(oneUpstream);
    const emulatorWide = median(wideUpstream);
    const oneMedian = median(oneTimes);
    const wideMedian = median(wideTimes);
    const spread = wideMedian / oneMedian;
    console.log(`   1 region x 1 function:   ${seconds(oneMedian)}  (runs: ${oneTimes.map((t) => Math.round(t)).join(', ')} ms)`);
    console.log(`   ${REGIONS.length} regions x 1 function: ${seconds(wideMedian)}  (runs: ${wideTimes.map((t) => Math.round(t)).join(', ')} ms)`);
    console.log(`   ratio: ${spread.toFixed(2)}x (goal <= 1.3x)`);
    console.log(`   moto's own answer time per call (median): ${emulatorOne.toFixed(1)} ms alone, ${emulatorWide.toFixed(1)} ms with ${REGIONS.length} regions at once`);
    // What the CPUs must do: every call costs this process and moto some CPU, and all of the 20x1
    // run's calls share this machine's CPUs within that run.
    const wideCpuMs = callsPerWideRun * (nodeCpuPerCall + motoCpuPerCall);
    const oneCpuMs = 3 * (nodeCpuPerCall + motoCpuPerCall);
    const cpuBound =
      `CPU per call: ${nodeCpuPerCall.toFixed(2)} ms in this process (SDK client, safe-deploy, proxy) + ${motoCpuPerCall.toFixed(2)} ms in moto; ` +
      `the ${REGIONS.length}x1 run's ${Math.round(callsPerWideRun)} calls cost ${Math.round(wideCpuMs)} ms of CPU (${Math.round(wideCpuMs / cpus().length)} ms on each of ${cpus().length} CPUs) against ${Math.round(oneCpuMs)} ms for 1x1, ` +
      `while the goal allows the run ${Math.round(oneMedian * 0.3)} ms more than 1x1: it holds only if nearly all of that CPU hides inside the ${LATENCY_MS} ms waits`;
    console.log(`   ${cpuBound}`);

    // 3) The same orchestration against an in-memory Lambda answering every call after exactly
    // 50 ms and no CPU cost: separates safe-deploy's own parallelism from the emulator's CPU.
    const orchestration = await orchestrationOnly(repeat);
    console.log(`\n3) orchestration only: in-memory Lambda answering after ${LATENCY_MS} ms (median of ${repeat})`);
    console.log(`   1 region x 1 function:   ${seconds(orchestration.one)}`);
    console.log(`   ${REGIONS.length} regions x 1 function: ${seconds(orchestration.wide)}  ratio ${(orchestration.wide / orchestration.one).toFixed(2)}x`);
    console.log(`   ${REGIONS.length} regions x ${FUNCTIONS_PER_REGION} functions: ${seconds(orchestration.all)}`);

    const report = [
      '# bench/rollback',
      '',
      `Measured ${new Date().toISOString()} with \`npm run bench:rollback${singleMoto ? '' : ' -- --moto-per-region'}\` (Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end), ${singleMoto ? 'one private moto server' : `${motos.length} private moto servers, one per region (AWS regions are independent services)`}, behind the fault proxy adding ${LATENCY_MS} ms to every call.`,
      '',
      `## ${REGIONS.length} regions x ${FUNCTIONS_PER_REGION} functions`,
      '',
      '| approach | time | calls |',
      '|---|---|---|',
      `| safe-deploy \`rollbackAlias\` via \`forEachTarget\` (read, guarded UpdateAlias, read back; regions in parallel, <= 8 calls per 1.2 s per region) | ${seconds(oursMany)} | ${callsOurs} |`,
      `| sequential shell loop of \`aws lambda update-alias\` (AWS CLI v1, writes only) | ${seconds(cliMany)} | ${callsCli} |`,
      '',
      `**${speedup.toFixed(1)}x** faster (goal: at least 40x) — ${speedup >= 40 ? 'met' : 'NOT met'}.`,
      '',
      `## Regions run in parallel (median of ${repeat})`,
      '',
      '| targets | median | runs (ms) |',
      '|---|---|---|',
      `| 1 region x 1 function | ${seconds(oneMedian)} | ${oneTimes.map((t) => Math.round(t)).join(', ')} |`,
      `| ${REGIONS.length} regions x 1 function | ${seconds(wideMedian)} | ${wideTimes.map((t) => Math.round(t)).join(', ')} |`,
      '',
      `**${spread.toFixed(2)}x** (goal: at most 1.3x) — ${spread <= 1.3 ? 'met' : 'NOT met'}.`,
      '',
      `Each rollback is three calls in a row (read, write, read back), each ${LATENCY_MS} ms of added latency plus moto's own answer time (from the proxy forwarding a call to moto's complete answer; the proxy runs in the benchmark's process): median **${emulatorOne.toFixed(1)} ms** per call with one region, **${emulatorWide.toFixed(1)} ms** with ${REGIONS.length} regions at once. That difference — ${cpus().length} CPUs running every emulator process (and, on this machine, other test runs) — is what separates the two rows; the orchestration-only figures below show safe-deploy's own scheduling without it. ${cpuBound}.`,
      '',
      `## Orchestration only (median of ${repeat})`,
      '',
      `The same \`forEachTarget\` + \`rollbackAlias\` code against an in-memory Lambda (aws-sdk-client-mock) that answers every call after exactly ${LATENCY_MS} ms and costs no CPU. It shows how much of the figures above is safe-deploy's own scheduling and how much is the emulator sharing this machine's CPUs.`,
      '',
      '| targets | median |',
      '|---|---|',
      `| 1 region x 1 function | ${seconds(orchestration.one)} |`,
      `| ${REGIONS.length} regions x 1 function | ${seconds(orchestration.wide)} (${(orchestration.wide / orchestration.one).toFixed(2)}x) |`,
      `| ${REGIONS.length} regions x ${FUNCTIONS_PER_REGION} functions | ${seconds(orchestration.all)} (15 calls per region at <= 8 per 1.2 s) |`,
      '',
    ].join('\n');
    if (skipCli) return;
    const out = join(new URL('.', import.meta.url).pathname, 'out');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'rollback.md'), report);
    console.log(`\nwrote ${join(out, 'rollback.md')}`);
  } finally {
    proxied.destroy();
    await proxy.close();
    await Promise.all(motos.map((m) => m.stop()));
  }
}

/** CPU time (user + system) the given processes have used so far, from /proc (Linux), in ms. */
function cpuMsOf(pids: readonly number[]): number {
  const tick = 10; // USER_HZ is 100 on Linux: one clock tick is 10 ms
  return pids.reduce((sum, pid) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return sum + (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      return sum;
    }
  }, 0);
}

/** Runs the rollback orchestration against an in-memory Lambda with a fixed latency. */
async function orchestrationOnly(runs: number): Promise<{ one: number; wide: number; all: number }> {
  const lambda = mockClient(LambdaClient);
  const aliases = new Map<string, AliasConfiguration>();
  const key = (region: string | undefined, fn: string | undefined) => `${region}/${fn}`;
  const stable = encodeRecord({ v: 1, stable: '1', candidate: '2', previous: null, weight: 0.1, state: 'baking', commit: 'bench', run: '1', at: 0 });
  const wait = () => new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
  // getClient() names the client of the call only until the next call starts: read it first.
  lambda.on(GetAliasCommand).callsFake(async (input: GetAliasCommandInput, getClient: () => LambdaClient) => {
    const region = getClient().config.region();
    await wait();
    return aliases.get(key(await region, input.FunctionName));
  });
  lambda.on(UpdateAliasCommand).callsFake(async (input: UpdateAliasCommandInput, getClient: () => LambdaClient) => {
    const region = getClient().config.region();
    await wait();
    const next: AliasConfiguration = { Name: input.Name, FunctionVersion: input.FunctionVersion, Description: input.Description, RoutingConfig: input.RoutingConfig, RevisionId: 'r' };
    aliases.set(key(await region, input.FunctionName), next);
    return next;
  });
  const clients = new AwsClients({ credentials: TEST_CREDENTIALS });
  const all: AliasTarget[] = REGIONS.flatMap((region) => Array.from({ length: FUNCTIONS_PER_REGION }, (_, f) => ({ region, functionName: `bench-fn-${f}`, alias: ALIAS })));
  const time = async (list: AliasTarget[]) => {
    for (const t of list) aliases.set(key(t.region, t.functionName), { Name: ALIAS, FunctionVersion: '1', Description: stable, RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } }, RevisionId: 'r' });
    const ctx = lambdaContext({ clients }); // a fresh limiter, as in a fresh action run
    const start = performance.now();
    const outcomes = await forEachTarget(list, (t) => rollbackAlias(ctx, t, { to: 'previous', run: 'bench' }));
    const bad = outcomes.find((o) => !o.ok || !o.value.wrote);
    if (bad) throw new Error(`in-memory rollback failed: ${bad.ok ? bad.value.transition : bad.error.message}`);
    return performance.now() - start;
  };
  try {
    const one: number[] = [];
    const wide: number[] = [];
    const every: number[] = [];
    const firstFunction = all.filter((t) => t.functionName === 'bench-fn-0');
    for (let i = 0; i < runs; i += 1) {
      one.push(await time(firstFunction.slice(0, 1)));
      wide.push(await time(firstFunction));
      every.push(await time(all));
    }
    return { one: median(one), wide: median(wide), all: median(every) };
  } finally {
    clients.destroy();
    lambda.restore();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
