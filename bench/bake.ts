// bench/bake: how fast the bake-gate bundle reacts to an alarm, and how many CloudWatch calls it
// makes per poll, on one private moto server behind the fault proxy (used here only to count
// the requests that reach CloudWatch, by operation).
//
// 1. Detection latency: a one-box in 3 regions with live traffic from the simulator, the bundle
//    baking with a given poll interval; at a random moment after a poll, SetAlarmState puts a
//    rollback alarm into ALARM. Measured: from SetAlarmState's answer to the bundle's exit.
//    Goal: at most one poll interval plus 1 s.
// 2. API calls per poll for 1, 10 and 50 functions in 3 regions (and 150 alarm names):
//    the bundle bakes with no traffic until max-wait; a poll once the window has settled makes a
//    second GetMetricData (the settled read), so GetMetricData is compared with polls + settled polls.
//    calls = requests counted by the proxy / polls printed by the bundle.
//    Goal: ⌈alarms/100⌉ DescribeAlarms + 1 GetMetricData (2 when settled) per region, the same for 1, 10 and 50 functions.
//
// Run: npm run bench:bake [-- --repeat 3]. Writes bench/out/bake.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { AwsClients } from '../packages/aws/src/clients.js';
import type { Deployment } from '../packages/core/src/deployment.js';
import { startFaultProxy } from '../packages/local/src/fault-proxy.js';
import { startMoto } from '../packages/local/src/moto.js';
import { putErrorAlarm, setAlarmState, startTraffic } from '../packages/local/src/traffic.js';
import { TEST_CREDENTIALS, createFunctions, createRole, publishVersion } from '../test/helpers/aws.js';
import { oneBox } from '../test/helpers/cloudwatch.js';
import { runBundle } from '../test/e2e/bake-harness.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const args = process.argv.slice(2);
const repeat = Number(args[args.indexOf('--repeat') + 1] ?? '') || 3;
const POLL_INTERVALS = [2, 5];

const moto = await startMoto();
const proxy = await startFaultProxy({ target: moto.endpoint });
const clients = new AwsClients({ endpoint: moto.endpoint, credentials: TEST_CREDENTIALS });
const lines: string[] = [];
const log = (line = '') => {
  console.log(line);
  lines.push(line);
};

try {
  log('# bench/bake');
  log();
  log(`Node ${process.version}, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; moto ${moto.endpoint}, requests counted by the fault proxy. Run: \`npm run bench:bake\`.`);
  log();

  // 1. Detection latency
  log('## Detection latency: SetAlarmState → bake-gate exit');
  log();
  log('One-box at 10% in 3 regions with live simulated traffic; the alarm is set at a random moment after a poll (uniform over the interval).');
  log();
  log('| poll interval | runs | min | median | max | goal (interval + 1 s) | met |');
  log('|---|---|---|---|---|---|---|');
  const box = await oneBox({ regions: REGIONS, weight: 0.1, perMinute: 6000, endpoint: moto.endpoint });
  const traffic = startTraffic(clients, box.specs, { tickMs: 1000 });
  const latencyRows: { interval: number; values: number[] }[] = [];
  for (const interval of POLL_INTERVALS) {
    const values: number[] = [];
    for (let run = 0; run < repeat; run++) {
      const alarm = `bench-bake-${interval}-${run}-${Date.now().toString(36)}`;
      await Promise.all(REGIONS.map((region) => putErrorAlarm(clients, region, alarm, { function: 'any', alias: 'live' }, 'OK')));
      let setAt = 0;
      let armed = false;
      const result = await runBundle(
        'bake-gate',
        { deployment: JSON.stringify(box.deployment), duration: '10m', 'min-invocations': '100', alarms: alarm, 'poll-interval': `${interval}s`, mode: 'watch' },
        proxy.endpoint,
        {
          onLine: (line) => {
            if (!armed && line.startsWith('poll 2 ')) {
              armed = true;
              const delay = Math.random() * interval * 1000;
              setTimeout(() => {
                void setAlarmState(clients, 'ap-southeast-2', alarm, 'ALARM', 'bench: threshold crossed').then(() => {
                  setAt = Date.now();
                });
              }, delay);
            }
          },
          timeoutMs: 120_000,
        },
      );
      if (result.outputs.result !== 'alarm' || setAt === 0) throw new Error(`run ended as ${result.outputs.result ?? '(none)'}: ${result.stdout.slice(-500)} ${result.stderr.slice(-500)}`);
      values.push(result.exitedAt - setAt);
    }
    values.sort((a, b) => a - b);
    latencyRows.push({ interval, values });
    const goal = interval * 1000 + 1000;
    const max = values.at(-1) as number;
    log(`| ${interval} s | ${values.length} | ${(values[0]! / 1000).toFixed(2)} s | ${(values[Math.floor(values.length / 2)]! / 1000).toFixed(2)} s | ${(max / 1000).toFixed(2)} s | ${(goal / 1000).toFixed(0)} s | ${max <= goal ? 'yes' : 'NO'} |`);
  }
  await traffic.stop();
  log();

  // 2. API calls per poll
  log('## CloudWatch calls per poll, 3 regions');
  log();
  log('The functions exist on moto with versions 1 and 2 (bake-gate reads each candidate\'s timeout once, before the first poll) but get no traffic: each run polls until max-wait and ends as insufficient-traffic. A poll after the window settled (`settled to` in its line) also makes the settled read.');
  log();
  log('| functions | alarm names | polls (settled) | DescribeAlarms / poll / region | GetMetricData / poll / region | expected | met |');
  log('|---|---|---|---|---|---|---|');
  const alarmSets = new Map<number, string[]>();
  for (const count of [2, 150]) {
    const names = Array.from({ length: count }, (_, i) => `bench-calls-${count}-${i}`);
    for (const region of REGIONS) {
      for (let i = 0; i < names.length; i += 10) {
        await Promise.all(names.slice(i, i + 10).map((name) => putErrorAlarm(clients, region, name, { function: 'any', alias: 'live' }, 'OK')));
      }
    }
    alarmSets.set(count, names);
  }
  const role = await createRole(moto.endpoint);
  for (let i = 0; i < 50; i++) {
    for (const fn of await createFunctions({ regions: REGIONS, name: `bench-fn-${i}`, role, endpoint: moto.endpoint })) {
      await publishVersion(fn, 'stable', 'stable', moto.endpoint);
      await publishVersion(fn, 'candidate', 'candidate', moto.endpoint);
    }
  }
  const callRows: { functions: number; alarms: number; describe: number; metrics: number; expectedMetrics: number }[] = [];
  for (const [functions, alarmCount] of [[1, 2], [10, 2], [50, 2], [50, 150]] as const) {
    const targets: Deployment['targets'] = [];
    for (const region of REGIONS) {
      for (let i = 0; i < functions; i++) {
        targets.push({ region, function: `bench-fn-${i}`, alias: 'live', stable: '1', candidate: '2', weight: 0.1, revision: null, record: '' });
      }
    }
    const deployment: Deployment = { format: 1, alias: 'live', commit: 'bench', run: '1', traffic: 0.1, shiftedAt: new Date().toISOString(), targets };
    proxy.resetLog();
    const result = await runBundle(
      'bake-gate',
      {
        deployment: JSON.stringify(deployment),
        duration: '4s',
        'max-wait': '4s',
        'min-invocations': '100',
        alarms: (alarmSets.get(alarmCount) ?? []).join('\n'),
        'poll-interval': '1s',
        'max-error-rate': '1%',
        'metrics-delay': '0s',
      },
      proxy.endpoint,
    );
    if (result.outputs.result !== 'insufficient-traffic') throw new Error(`calls run ended as ${result.outputs.result}: ${result.stdout.slice(-800)}`);
    const polls = (result.stdout.match(/^poll \d+ /gm) ?? []).length;
    const settled = (result.stdout.match(/^poll \d+ .*\| settled to /gm) ?? []).length;
    const describe = proxy.count('DescribeAlarms') / polls / REGIONS.length;
    const metrics = proxy.count('GetMetricData') / polls / REGIONS.length;
    const expected = Math.ceil(alarmCount / 100);
    const expectedMetrics = (polls + settled) / polls;
    callRows.push({ functions, alarms: alarmCount, describe, metrics, expectedMetrics });
    log(
      `| ${functions} | ${alarmCount} | ${polls} (${settled}) | ${describe} | ${metrics.toFixed(2)} | ${expected} + ${expectedMetrics.toFixed(2)} | ${describe === expected && Math.abs(metrics - expectedMetrics) < 1e-9 ? 'yes' : 'NO'} |`,
    );
  }
  log();
  const sameCount = new Set(callRows.filter((r) => r.alarms === 2).map((r) => `${r.describe}/${(r.metrics - r.expectedMetrics).toFixed(6)}`)).size === 1;
  log(`Same number of calls for 1, 10 and 50 functions: ${sameCount ? 'yes' : 'NO'}.`);
  log();

  mkdirSync('bench/out', { recursive: true });
  writeFileSync(join('bench', 'out', 'bake.md'), lines.join('\n') + '\n');
  console.log('\nwrote bench/out/bake.md');
} finally {
  clients.destroy();
  await proxy.close();
  await moto.stop();
}
