// `npm run bench`: every benchmark under bench/ in one run, one after the other (so they do not
// compete for the CPUs), then the demo's wall time against the sum of its configured bakes, and
// bench/RESULTS.md with the figures of that run side by side.
//
// Each bench/<name>.ts (but this file) runs as `tsx bench/<name>.ts` and writes bench/out/<name>.md;
// RESULTS.md starts with the headline figures (every bold ratio a bench printed, the demo's ratio),
// then includes each bench's own report.
//
// Options: --skip NAME (repeatable) leaves a bench out; --no-demo leaves the demo out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDemo } from '../packages/local/src/demo.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const skip = new Set<string>();
let withDemo = true;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--skip' && args[i + 1]) skip.add(args[++i]!);
  else if (args[i] === '--no-demo') withDemo = false;
  else {
    process.stderr.write(`bench: unknown argument ${args[i]}\nusage: npm run bench -- [--skip NAME]... [--no-demo]\n`);
    process.exit(2);
  }
}

interface BenchRun {
  readonly name: string;
  readonly exit: number | null;
  readonly seconds: number;
  readonly report: string | null;
  readonly headlines: string[];
}

function nodeStartMs(): number {
  const times = [0, 1, 2, 3, 4].map(() => {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  });
  return times.sort((a, b) => a - b)[2]!;
}

/** Lines of a bench report that carry a figure against its goal: bold figures and `meets`/`misses`/`met` rows. */
function headlinesOf(report: string): string[] {
  const lines = report.split('\n');
  const picked: string[] = [];
  let heading = '';
  for (const line of lines) {
    if (line.startsWith('#')) heading = line.replace(/^#+\s*/, '');
    if (/\*\*[^*]+\*\*/.test(line) && !line.startsWith('|')) picked.push(`${heading ? `${heading}: ` : ''}${line.trim()}`);
  }
  return picked;
}

const started = Date.now();
const load0 = loadavg();
const node0 = nodeStartMs();
const benches = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
  .map((f) => basename(f, '.ts'))
  .filter((n) => !skip.has(n))
  .sort();
const runs: BenchRun[] = [];
for (const name of benches) {
  process.stdout.write(`\n=== bench/${name}.ts ===\n`);
  const out = join(root, 'bench', 'out', `${name}.md`);
  const before = existsSync(out) ? readFileSync(out, 'utf8') : null;
  const t0 = Date.now();
  const result = spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join('bench', `${name}.ts`)], { cwd: root, stdio: 'inherit', env: process.env });
  const seconds = (Date.now() - t0) / 1000;
  const report = existsSync(out) ? readFileSync(out, 'utf8') : null;
  // A report left from an earlier run is not a figure of this run.
  const fresh = report !== null && report !== before ? report : report !== null && result.status === 0 ? report : null;
  runs.push({ name, exit: result.status, seconds, report: fresh, headlines: fresh ? headlinesOf(fresh) : [] });
}

let demo: { ok: boolean; wallMs: number; bakeRequiredMs: number; bakeConfiguredMs: number; ratio: number; breakdown: string; nodeStartMs: number; failures: string[] } | null = null;
if (withDemo) {
  process.stdout.write('\n=== npm run demo (timing) ===\n');
  const reportDir = mkdtempSync(join(tmpdir(), 'safe-deploy-bench-demo-'));
  try {
    const r = await runDemo({ reportDir, print: () => undefined });
    demo = { ok: r.ok, wallMs: r.wallMs, bakeRequiredMs: r.bakeRequiredMs, bakeConfiguredMs: r.bakeConfiguredMs, ratio: r.ratio, breakdown: r.breakdown, nodeStartMs: r.nodeStartMs, failures: r.failures };
    process.stdout.write(`demo ${r.ok ? 'passed' : 'FAILED'}: wall ${(r.wallMs / 1000).toFixed(1)} s, bakes needed ${(r.bakeRequiredMs / 1000).toFixed(1)} s (configured ${(r.bakeConfiguredMs / 1000).toFixed(1)} s), ratio ${r.ratio.toFixed(2)}\n`);
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

const load1 = loadavg();
const node1 = nodeStartMs();
const lines: string[] = [];
lines.push('# Benchmark results', '');
lines.push(
  `Written by \`npm run bench\` on ${new Date().toISOString()}: every benchmark under \`bench/\` in one run, one after the other, ` +
    `Node ${process.version}, ${cpus().length} CPUs, load average ${load0.map((x) => x.toFixed(1)).join(' ')} at the start and ${load1.map((x) => x.toFixed(1)).join(' ')} at the end; ` +
    `a bare \`node -e 0\` took ${node0.toFixed(0)} ms at the start and ${node1.toFixed(0)} ms at the end. Whole run: ${((Date.now() - started) / 1000).toFixed(0)} s. ` +
    'Every figure is a ratio of two things measured side by side in this run, so a busier machine moves both sides.',
  '',
);
lines.push('## Headline figures', '');
lines.push('| bench | figure |', '|---|---|');
for (const r of runs) {
  if (!r.report) lines.push(`| ${r.name} | no report (exit ${r.exit}) |`);
  for (const h of r.headlines) lines.push(`| ${r.name} | ${h.replace(/\|/g, '\\|')} |`);
}
if (r0Startup(runs)) lines.push(`| startup | ${r0Startup(runs)} |`);
for (const h of bakeHeadlines(runs)) lines.push(`| bake | ${h} |`);
if (demo) {
  lines.push(
    `| demo | wall time **${demo.ratio.toFixed(2)}×** the bake time it needed (${(demo.wallMs / 1000).toFixed(1)} s against ${(demo.bakeRequiredMs / 1000).toFixed(1)} s; ${(demo.bakeConfiguredMs / 1000).toFixed(1)} s configured; goal ≤ 1.2×, ${demo.ratio <= 1.2 ? 'met' : 'NOT met'}); demo ${demo.ok ? 'passed' : `FAILED: ${demo.failures.join('; ')}`} |`,
  );
}
lines.push('');
lines.push('| bench | exit | took |', '|---|---|---|');
for (const r of runs) lines.push(`| \`bench/${r.name}.ts\` | ${r.exit} | ${r.seconds.toFixed(0)} s |`);
if (demo) lines.push(`| \`npm run demo\` (runDemo) | ${demo.ok ? 0 : 1} | ${(demo.wallMs / 1000).toFixed(0)} s |`);
lines.push('');
if (demo) {
  lines.push('## Demo: wall time against its bakes', '');
  lines.push(`Wall ${(demo.wallMs / 1000).toFixed(1)} s, bakes needed ${(demo.bakeRequiredMs / 1000).toFixed(1)} s, ratio ${demo.ratio.toFixed(2)}. Beyond the bakes: ${demo.breakdown}. A bare \`node -e 0\` took ${demo.nodeStartMs} ms at the end of the demo. See docs/demo.md (Timing) for where the rest of the time goes.`, '');
}
for (const r of runs) {
  if (!r.report) continue;
  lines.push(`## bench/${r.name}.ts`, '');
  lines.push(r.report.replace(/^(#+)\s.*\n?/, '').replace(/^(#+) /gm, '#$1 ').trim(), '');
}
// The campaign is its own run (`npm run campaign`, minutes of it): its last report, when there is
// one, is included as it stands, under a heading that says so.
const campaignReport = join(root, 'bench', 'out', 'campaign.md');
if (existsSync(campaignReport)) {
  lines.push('## Campaign (not run by this bench: the last `npm run campaign` report, bench/out/campaign.md)', '');
  lines.push(readFileSync(campaignReport, 'utf8').replace(/^(#+)\s.*\n?/, '').replace(/^(#+) /gm, '#$1 ').trim(), '');
}
writeFileSync(join(root, 'bench', 'RESULTS.md'), `${lines.join('\n')}\n`);
process.stdout.write(`\nwrote bench/RESULTS.md (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
process.exitCode = runs.every((r) => r.exit === 0) && (!demo || demo.ok) ? 0 : 1;

/** The startup report's verdict line (how many bundles miss), as a headline. */
function r0Startup(list: BenchRun[]): string | null {
  const s = list.find((r) => r.name === 'startup')?.report;
  if (!s) return null;
  const rows = s.split('\n').filter((l) => /^\| [a-z-]+ \| \d+ \| [\d.]+ \|/.test(l) && !l.startsWith('| node'));
  if (rows.length === 0) return null;
  const figures = rows.map((l) => {
    const c = l.split('|').map((x) => x.trim());
    return `${c[1]} ${c[3]}× / ${c[4]} MiB`;
  });
  return `cold start against bare node (median ratio / peak RSS; goal ≤ 2.5×, < 67 MiB): ${figures.join(', ')}`;
}

/** bench/bake's tables as headlines: detection latency against the poll interval, calls per poll. */
function bakeHeadlines(list: BenchRun[]): string[] {
  const s = list.find((r) => r.name === 'bake')?.report;
  if (!s) return [];
  const out: string[] = [];
  for (const line of s.split('\n')) {
    const c = line.split('|').map((x) => x.trim());
    // | poll interval | runs | min | median | max | goal | met |
    if (/^\| \d+ s \| \d+ \|/.test(line) && c.length >= 8) {
      out.push(`detection latency with a ${c[1]} poll: median ${c[4]}, max ${c[5]} (goal ≤ ${c[6]}: ${c[7] === 'yes' ? 'met' : 'NOT met'})`);
    }
  }
  const calls = s.split('\n').filter((l) => /^\| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \|/.test(l));
  if (calls.length > 0) {
    const met = calls.filter((l) => l.trim().endsWith('| yes |')).length;
    const rows = calls.map((l) => {
      const c = l.split('|').map((x) => x.trim());
      return `${c[1]} functions/${c[2]} alarms: ${c[4]} DescribeAlarms + ${c[5]} GetMetricData`;
    });
    out.push(`CloudWatch calls per poll per region: ${rows.join('; ')} (${met} of ${calls.length} rows meet the goal)`);
  }
  return out;
}
