// bench/guardian: alarm event -> every alias rolled back and read back, through the guardian's
// handler, against the bare rollback of the same aliases, the in-job watch and the sentinel, side by
// side in one run, on one private moto behind the fault proxy adding 50 ms to every call (as
// bench/rollback.ts does).
//
// For 1 region x 1 function and 20 regions x 5 functions (one store entry per region, written like
// wave-deploy writes it; the deployment's rollback alarm set to ALARM in every region):
//   guardian   `handler` (packages/guardian) with the "CloudWatch Alarm State Change" event of each
//              region, every region's guardian at once (one function per region): list the store,
//              confirm the alarm, read the aliases, roll back (guarded UpdateAlias, read back), notify.
//   bare       forEachTarget + rollbackAlias of the same aliases (what a pipeline rollback step does).
//   sentinel   the sentinel action's sweep (sweepRegions) over the same regions, from one runner.
// Goal: the guardian's path adds at most 1 s to the bare rollback (medians of the same run).
// The in-job watch and the sentinel also wait for their next look at the alarm: bake-gate's poll
// interval (30 s by default) and GitHub's schedule (every 5 minutes at best); those waits are by
// design, not measured, and added to the measured action times in the report.
//
// Run: npm run bench:guardian [-- --repeat 3]. Writes bench/out/guardian.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { AwsClients } from '../packages/aws/src/clients.js';
import { storeContext, writeDeployment } from '../packages/aws/src/deployment-store.js';
import { forEachTarget, lambdaContext, readAlias, rollbackAlias, shiftTraffic, type AliasTarget } from '../packages/aws/src/lambda.js';
import { alarmStateChangeEvent } from '../packages/core/src/guardian-events.js';
import { parseStopAlarms } from '../packages/core/src/guardian.js';
import { handler } from '../packages/guardian/src/index.js';
import { sweepRegions } from '../actions/sentinel/src/sweep.js';
import { BENCH_REGIONS, median, seconds } from '../packages/local/src/bench-fixtures.js';
import { startFaultProxy } from '../packages/local/src/fault-proxy.js';
import { motoEnv, startMoto } from '../packages/local/src/moto.js';
import { putErrorAlarm, setAlarmState } from '../packages/local/src/traffic.js';
import { createAlias, createFunctions, createRole, publishVersion, TEST_CREDENTIALS } from '../test/helpers/aws.js';

const LATENCY_MS = 50;
const ALIAS = 'live';
const COMMIT = 'bench0000001';
const ALARM = 'bench-guardian-errors';
/** bake-gate's default poll-interval (actions/bake-gate/action.yml). */
const POLL_MS = 30_000;
/** GitHub's shortest schedule (`*\/5 * * * *`), at best. */
const SCHEDULE_MS = 300_000;
/** The goal: the guardian adds at most this to the bare rollback. */
const GOAL_MS = 1000;

const args = process.argv.slice(2);
const repeat = Number(args[args.indexOf('--repeat') + 1] ?? '') || 3;

interface Scenario {
  readonly label: string;
  readonly regions: readonly string[];
  readonly functions: number;
}

const SCENARIOS: Scenario[] = [
  { label: '1 region x 1 function', regions: BENCH_REGIONS.slice(0, 1), functions: 1 },
  { label: `${BENCH_REGIONS.length} regions x 5 functions`, regions: BENCH_REGIONS, functions: 5 },
];

interface Measured {
  readonly scenario: Scenario;
  readonly guardian: number[];
  readonly bare: number[];
  readonly sentinel: number[];
  readonly guardianCalls: number;
  readonly bareCalls: number;
}

async function main(): Promise<void> {
  const moto = await startMoto();
  const proxy = await startFaultProxy({ target: moto.endpoint, latencyMs: 0 });
  const clients = new AwsClients({ endpoint: proxy.endpoint, credentials: TEST_CREDENTIALS });
  const setup = lambdaContext({ clients });
  // The handler reads its environment as in Lambda: endpoint and credentials of the proxy, its store, its bus.
  Object.assign(process.env, motoEnv(proxy.endpoint), { SAFE_DEPLOY_EVENT_BUS: 'default', SAFE_DEPLOY_STOP_ALARMS: '' });
  try {
    const widest = Math.max(...SCENARIOS.map((s) => s.functions));
    console.log(`setting up ${BENCH_REGIONS.length} regions x ${widest} functions on one moto server ...`);
    const all: AliasTarget[] = [];
    await Promise.all(
      BENCH_REGIONS.map(async (region) => {
        const role = await createRole(moto.endpoint);
        for (let f = 0; f < widest; f += 1) {
          const [fn] = await createFunctions({ regions: [region], role, endpoint: moto.endpoint, name: `bench-g-${f}`, tag: 'v0' });
          await publishVersion(fn!, 'v1', 'stable', moto.endpoint);
          await createAlias(fn!, ALIAS, '1', { endpoint: moto.endpoint });
          await publishVersion(fn!, 'v2', 'candidate', moto.endpoint);
          all.push({ ...fn!, alias: ALIAS });
        }
        await putErrorAlarm(clients, region, ALARM, { function: 'bench-g-0', alias: ALIAS }, 'OK');
      }),
    );

    const results: Measured[] = [];
    let n = 0;
    for (const scenario of SCENARIOS) {
      const targets = all.filter((t) => scenario.regions.includes(t.region) && Number(t.functionName.split('-')[2]) < scenario.functions);
      const path = `/safe-deploy/bench-${scenario.regions.length}x${scenario.functions}`;
      const store = storeContext({ clients, path });
      for (const region of scenario.regions) {
        const functions = targets.filter((t) => t.region === region).map((t) => t.functionName);
        await writeDeployment(store, region, { service: 'bench', stage: 'prod', wave: 'prod-1', alias: ALIAS, functions, regions: [...scenario.regions], alarms: [ALARM], commit: COMMIT, run: '1', lease: null, at: Math.floor(Date.now() / 1000) });
      }
      process.env.SAFE_DEPLOY_STORE_PATH = path;

      /** Candidate 2 at 10% on every alias, alarm in ALARM everywhere (untimed, no added latency). */
      const arm = async () => {
        proxy.setLatency(0);
        const armed = await forEachTarget(targets, (t) => shiftTraffic(setup, t, { candidate: '2', weight: 0.1, commit: COMMIT, run: '1' }));
        if (armed.some((o) => !o.ok)) throw new Error(`arming failed: ${armed.filter((o) => !o.ok).length} aliases`);
        await Promise.all(scenario.regions.map((region) => setAlarmState(clients, region, ALARM, 'ALARM', 'Threshold Crossed: bench')));
        proxy.setLatency(LATENCY_MS);
        proxy.resetLog();
      };
      /** Every alias back on 1 with no routing, read back straight from moto (untimed). */
      const check = async (who: string) => {
        proxy.setLatency(0);
        const read = await forEachTarget(targets, (t) => readAlias(setup, t));
        const bad = read.filter((o) => !o.ok || o.value?.version !== '1' || Object.keys(o.value.weights).length > 0);
        if (bad.length > 0) throw new Error(`${who}: ${bad.length} of ${targets.length} aliases are not rolled back`);
      };

      const guardian: number[] = [];
      const bare: number[] = [];
      const sentinel: number[] = [];
      let guardianCalls = 0;
      let bareCalls = 0;
      console.log(`\n${scenario.label} (${targets.length} aliases), ${repeat} runs, ${LATENCY_MS} ms added per call`);
      for (let i = 0; i < repeat; i += 1) {
        await arm();
        let t0 = performance.now();
        const answers = await Promise.all(scenario.regions.map((region) => handler(alarmStateChangeEvent({ region, account: '123456789012', alarmName: ALARM, state: 'ALARM', previous: 'OK', reason: 'Threshold Crossed', time: new Date().toISOString(), id: `bench-${region}-${(n += 1)}` }))));
        guardian.push(performance.now() - t0);
        guardianCalls = proxy.log.length;
        const rolled = answers.reduce((sum, a) => sum + a.rollbacks.filter((r) => r.outcome === 'rolled-back').length, 0);
        if (rolled !== targets.length) throw new Error(`guardian rolled back ${rolled} of ${targets.length}`);
        await check('guardian');

        await arm();
        const ctx = lambdaContext({ clients });
        t0 = performance.now();
        const outcomes = await forEachTarget(targets, (t) => rollbackAlias(ctx, t, { to: 'previous', run: 'bench' }));
        bare.push(performance.now() - t0);
        bareCalls = proxy.log.length;
        if (outcomes.some((o) => !o.ok || !o.value.wrote)) throw new Error('bare rollback did not write every alias');
        await check('bare rollback');

        await arm();
        const runner = new AwsClients({ endpoint: proxy.endpoint, credentials: TEST_CREDENTIALS, caller: 'sentinel' });
        t0 = performance.now();
        const report = await sweepRegions({ regions: scenario.regions, storePath: path, stop: parseStopAlarms(''), clients: runner, runId: `bench${i}` });
        sentinel.push(performance.now() - t0);
        runner.destroy();
        if (report.state !== 'rolled-back') throw new Error(`sentinel sweep: ${report.state}`);
        await check('sentinel');
        console.log(`   run ${i + 1}: guardian ${seconds(guardian[i]!)}, bare rollback ${seconds(bare[i]!)}, sentinel sweep ${seconds(sentinel[i]!)}`);
      }
      proxy.setLatency(0);
      await Promise.all(scenario.regions.map((region) => setAlarmState(clients, region, ALARM, 'OK', 'bench over')));
      results.push({ scenario, guardian, bare, sentinel, guardianCalls, bareCalls });
    }

    const lines = [
      '# bench/guardian',
      '',
      `Measured ${new Date().toISOString()} with \`npm run bench:guardian\` (Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end), one private moto server behind the fault proxy adding ${LATENCY_MS} ms to every call, medians of ${repeat} runs. Every path ends with every alias rolled back and read back (checked after each run).`,
      '',
      '## The guardian against the bare rollback of the same aliases',
      '',
      '| aliases | guardian: alarm event → rolled back and read back | bare rollback (rollbackAlias) | guardian adds | calls (guardian / bare) |',
      '|---|---|---|---|---|',
    ];
    const verdicts: string[] = [];
    for (const r of results) {
      const g = median(r.guardian);
      const b = median(r.bare);
      lines.push(`| ${r.scenario.label} | ${seconds(g)} (runs ${r.guardian.map((t) => Math.round(t)).join(', ')} ms) | ${seconds(b)} (runs ${r.bare.map((t) => Math.round(t)).join(', ')} ms) | ${seconds(g - b)} | ${r.guardianCalls} / ${r.bareCalls} |`);
      verdicts.push(`${r.scenario.label}: the guardian adds **${seconds(g - b)}** to the rollback itself (goal: at most ${seconds(GOAL_MS)}) — ${g - b <= GOAL_MS ? 'met' : 'NOT met'}.`);
    }
    lines.push('', ...verdicts.flatMap((v) => [v, '']));
    lines.push(
      'The guardian\'s extra calls, per region: the store listing (GetParametersByPath), the alarm\'s confirmation (DescribeAlarms) and one PutEvents per 10 notifications; the GetAlias it decides on is the read its guarded UpdateAlias then relies on, so per alias it makes the same three Lambda calls as the bare rollback. Each region\'s guardian runs on its own (one function per region, as the StackSet installs it).',
      '',
      '## Alarm → every alias rolled back, by path',
      '',
      'The wait for the next look at the alarm is by design (not measured); the action time is this run\'s median. EventBridge delivers an alarm state change to the guardian without polling (its delivery is not modelled by moto and not included); a runner\'s start-up and GitHub\'s schedule delays are not included either, so the last two rows are best cases.',
      '',
      '| aliases | path | waits for the alarm (by design) | acts (measured) | worst case |',
      '|---|---|---|---|---|',
    );
    for (const r of results) {
      const g = median(r.guardian);
      const b = median(r.bare);
      const s = median(r.sentinel);
      lines.push(`| ${r.scenario.label} | guardian (alarm event) | none: the event | ${seconds(g)} | ${seconds(g)} |`);
      lines.push(`| ${r.scenario.label} | in-job watch (bake-gate polls every ${POLL_MS / 1000} s, then the rollback step) | up to ${POLL_MS / 1000} s | ${seconds(b)} | ${seconds(POLL_MS + b)} |`);
      lines.push(`| ${r.scenario.label} | sentinel (schedule every 5 min at best, then the sweep) | up to ${SCHEDULE_MS / 1000} s | ${seconds(s)} | ${seconds(SCHEDULE_MS + s)} |`);
    }
    lines.push('');
    const report = lines.join('\n');
    console.log(`\n${report}`);
    const out = join(new URL('.', import.meta.url).pathname, 'out');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'guardian.md'), report);
    console.log(`\nwrote ${join(out, 'guardian.md')}`);
  } finally {
    clients.destroy();
    await proxy.close();
    await moto.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
