// bench/detection: how long a bad release lives in the realistic local AWS, against the physical
// floor of detection, per bake poll interval, side by side in one run.
//
// For each poll interval, bad releases (30% errors from the candidate's first request) go through
// the campaign's prod one-box (`deploy-stage.yml` with the real bundles, runCampaign) in the
// realistic mode (docs/realistic-aws.md). Measured: from the first bad invocation (when the traffic
// simulator first served the candidate's errors) to the end of the workflow's rollback step.
// The physical floor comes from the model (RealisticModel), not from the run, as a range:
// - best case: the ingestion delay alone (the bad invocation lands at the end of a period that
//   the alarm is evaluated on right after it completes): nothing can detect sooner;
// - worst case: ingestion + one whole 60 s period + one evaluation interval (detectionFloorMs, the
//   latest a one-period alarm can flip);
// what the measured time adds on top is the bake's poll, the verdict and the rollback step.
//
// Run: npm run bench:detection [-- --releases 2]. Writes bench/out/detection.md. CI does not run it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { runCampaign } from '../packages/local/src/campaign.js';
import { startMoto } from '../packages/local/src/moto.js';
import { realisticModel } from '../packages/local/src/realistic.js';

const args = process.argv.slice(2);
const perInterval = Number(args[args.indexOf('--releases') + 1] ?? '') || 2;
const POLL_INTERVALS = ['1s', '2s', '4s'];
const model = realisticModel();
const ingestionMs = model.visibilityDelayMs(0);
const alarmFloorMs = model.detectionFloorMs({ periodSeconds: 60, datapointsToAlarm: 1 });
const prod = (ms: number) => `${((ms * model.timeScale) / 60_000).toFixed(1)} min`;
const local = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const lines: string[] = [];
const log = (line = '') => {
  console.log(line);
  lines.push(line);
};
const started = Date.now();
const load0 = loadavg();
const moto = await startMoto();
const rows: { poll: string; times: number[]; exposures: number[]; errors: number[]; results: string[]; ok: boolean }[] = [];
try {
  for (const [i, poll] of POLL_INTERVALS.entries()) {
    const run = await runCampaign({
      seed: 900 + i,
      releases: perInterval,
      lanes: 1,
      realistic: true,
      kinds: Array.from({ length: perInterval }, () => 'bad' as const),
      pollInterval: poll,
      endpoint: moto.endpoint,
      reportPath: null,
      print: () => undefined,
    });
    const times = run.releases.map((r) => r.faultToRollbackMs).filter((t): t is number => t !== null);
    rows.push({ poll, times, exposures: run.releases.map((r) => r.requests.release), errors: run.releases.map((r) => r.requests.releaseErrors), results: run.releases.map((r) => `${r.failedWave ?? 'promoted'}/${r.bakeResult ?? ''}`), ok: run.ok });
    console.log(`poll ${poll}: ${times.map(local).join(', ')} (${run.ok ? 'goals met' : 'GOALS MISSED'})`);
  }
} finally {
  await moto.stop();
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const med = (xs: number[]) => (xs.length ? sorted(xs)[Math.floor((xs.length - 1) / 2)]! : NaN);
log('# Detection time against its physical floor (realistic mode)');
log('');
log(
  `\`npm run bench:detection\` on ${new Date().toISOString()}: ${perInterval} bad release(s) per poll interval through the campaign's prod one-box (bake 8 s local = 8 production min, ` +
    `\`metrics-delay\` ${model.metricsDelay()}), Node ${process.version}, ${cpus().length} CPUs, load ${load0.map((x) => x.toFixed(1)).join(' ')}; ${model.describe()}. Whole run ${local(Date.now() - started)}.`,
);
log('');
log(
  `Physical floor of detection from the model, for a one-period (60 s) alarm: best case ${local(ingestionMs)} local = ${prod(ingestionMs)} production (the ingestion delay alone), ` +
    `worst case ${local(alarmFloorMs)} local = ${prod(alarmFloorMs)} production (ingestion + one whole period + one evaluation interval: \`detectionFloorMs\`).`,
);
log('');
log('| poll interval (local / production) | releases | detection: first bad invocation → rollback complete, median (the lower one of an even count; local / production) | max (local / production) | physical floor (best – worst case) | median above the worst-case floor | bound: worst-case floor + poll + 2 s verdict and rollback | candidate invocations / errors served (max) | caught in / by |');
log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const pollMs = Number(r.poll.replace('s', '')) * 1000;
  const m = med(r.times);
  const max = r.times.length ? Math.max(...r.times) : NaN;
  const bound = alarmFloorMs + pollMs + 2000;
  log(
    `| ${r.poll} / ${prod(pollMs)} | ${r.times.length} | **${local(m)} / ${prod(m)}** | ${local(max)} / ${prod(max)} | ${local(ingestionMs)} – ${local(alarmFloorMs)} / ${prod(ingestionMs)} – ${prod(alarmFloorMs)} | ${local(m - alarmFloorMs)} | ${local(bound)} (${max <= bound ? 'within' : 'ABOVE'}) | ${Math.max(...r.exposures)} / ${Math.max(...r.errors)} | ${[...new Set(r.results)].join(', ')} |`,
  );
}
log('');
log(
  `Detection (first bad invocation → rollback complete), median per poll interval: ${rows.map((r) => `**${local(med(r.times))} at a ${r.poll} poll**`).join(', ')}, against a physical floor of ${local(ingestionMs)} to ${local(alarmFloorMs)} (${prod(ingestionMs)} to ${prod(alarmFloorMs)} production).`,
);
log('');
log(
  'Times under the worst-case floor are the usual case: the first bad invocation mostly falls inside a period already under way, so its alarm flips before the worst case; no time can go under the best case. ' +
    'What a longer poll adds is up to one interval of waiting for the next read; the rest is the verdict and the rollback step (a Node process each).',
);
mkdirSync(join('bench', 'out'), { recursive: true });
writeFileSync(join('bench', 'out', 'detection.md'), `${lines.join('\n')}\n`);
process.exitCode = rows.every((r) => r.ok && r.times.length === perInterval) ? 0 : 1;
