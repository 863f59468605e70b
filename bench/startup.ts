// Cold start of every action bundle in dist/, run the way the runner runs it with every input
// empty, so each stops at its first input error; compared side by side with bare `node -e 0`.
//
//   npm run bench:startup               15 interleaved rounds
//   npm run bench:startup -- --rounds 31
//
// Per round: bare node, then each bundle, in a fresh order each round. The ratio of a bundle is the
// median over rounds of (bundle time / bare node time in the same round), so machine noise mostly
// cancels. Peak RSS comes from `/usr/bin/time -f %M` (max over rounds). Size counts every file in
// dist/<name>. Goal: median ratio <= 2.5 and peak RSS < 67 MiB. Writes bench/out/startup.md.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const RATIO_GOAL = 2.5;
const RSS_GOAL_MIB = 67;
const TIME = '/usr/bin/time';

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 15;

interface Subject {
  readonly name: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  /** Counted against the goal (bundles to their first input error); extra rows are for information. */
  readonly goal: boolean;
  readonly size?: number;
}

interface Sample {
  readonly ms: number;
  readonly rssKiB: number | null;
  readonly code: number | null;
  readonly firstLine: string;
  /** True when the output holds a `::error::` workflow command (the action failed the way it should). */
  readonly errorCommand: boolean;
  /** The first line that looks like an error, for a crash report. */
  readonly errorLine: string;
}

const work = mkdtempSync(join(tmpdir(), 'bench-startup-'));
const hasTime = existsSync(TIME);

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Every input empty: drop INPUT_* and anything that would change what a bundle does.
    if (value === undefined || key.startsWith('INPUT_') || key.startsWith('npm_') || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return env;
}

function runnerEnv(): Record<string, string> {
  const output = join(work, 'output');
  const summary = join(work, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  return { ...baseEnv(), GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: root, RUNNER_TEMP: work };
}

function dirSize(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path)) {
    const full = join(path, entry);
    const stat = statSync(full);
    total += stat.isDirectory() ? dirSize(full) : stat.size;
  }
  return total;
}

function measure(subject: Subject): Promise<Sample> {
  const rssFile = join(work, 'rss');
  const command = hasTime ? TIME : process.execPath;
  const args = hasTime ? ['-f', '%M', '-o', rssFile, process.execPath, ...subject.args] : [...subject.args];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: root, env: subject.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let rssKiB: number | null = null;
      if (hasTime) {
        const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
        rssKiB = Number(lines[lines.length - 1]);
      }
      const lines = out.split('\n');
      const firstLine = lines.find((line) => line.trim() !== '') ?? '';
      const errorLine = lines.find((line) => /error/i.test(line)) ?? firstLine;
      resolve({ ms, rssKiB, code, firstLine, errorCommand: out.includes('::error'), errorLine: errorLine.trim() });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

const bundles = existsSync(join(root, 'dist'))
  ? readdirSync(join(root, 'dist'))
      .filter((name) => existsSync(join(root, 'dist', name, 'index.js')))
      .sort()
  : [];
if (bundles.length === 0) {
  console.error('bench:startup: no bundles in dist/; run `npm run build` first');
  process.exit(1);
}

const baseline: Subject = { name: 'node -e 0', args: ['-e', '0'], env: baseEnv(), goal: false };
const subjects: Subject[] = bundles.map((name) => ({ name, args: [join('dist', name, 'index.js')], env: runnerEnv(), goal: true, size: dirSize(join(root, 'dist', name)) }));
if (bundles.includes('plan')) {
  subjects.push({
    name: 'plan (examples/orders config, full run)',
    args: [join('dist', 'plan', 'index.js')],
    env: { ...runnerEnv(), INPUT_CONFIG: 'examples/orders/safe-deploy.yml' },
    goal: false,
    size: dirSize(join(root, 'dist', 'plan')),
  });
}

// One warm-up pass so the first measured round does not pay for the disk cache.
for (const subject of [baseline, ...subjects]) await measure(subject);

const samples = new Map<string, Sample[]>([[baseline.name, []], ...subjects.map((subject): [string, Sample[]] => [subject.name, []])]);
const ratios = new Map<string, number[]>(subjects.map((subject) => [subject.name, []]));
for (let round = 0; round < rounds; round++) {
  const base = await measure(baseline);
  samples.get(baseline.name)?.push(base);
  for (const subject of shuffle([...subjects])) {
    const sample = await measure(subject);
    samples.get(subject.name)?.push(sample);
    ratios.get(subject.name)?.push(sample.ms / base.ms);
  }
}
rmSync(work, { recursive: true, force: true });

const mib = (kib: number | null) => (kib === null ? 'n/a' : (kib / 1024).toFixed(1));
const baseSamples = samples.get(baseline.name) as Sample[];
const baseRss = hasTime ? Math.max(...baseSamples.map((sample) => sample.rssKiB ?? 0)) : null;
const lines: string[] = [];
lines.push('# Startup: action bundles against bare node');
lines.push('');
lines.push(`${new Date().toISOString()}, node ${process.version}, ${rounds} interleaved rounds. Each bundle runs with every input empty (GITHUB_OUTPUT and GITHUB_STEP_SUMMARY set) and stops at its first input error.`);
lines.push(`Goal: median ratio ≤ ${RATIO_GOAL}× bare node and peak RSS < ${RSS_GOAL_MIB} MiB.`);
lines.push('');
lines.push('| bundle | median ms | median ratio | peak RSS MiB | size KiB | exit | first output line | goal |');
lines.push('|---|---|---|---|---|---|---|---|');
lines.push(`| node -e 0 | ${median(baseSamples.map((sample) => sample.ms)).toFixed(0)} | 1.00 | ${mib(baseRss)} | | 0 | | |`);
let failed = 0;
for (const subject of subjects) {
  const own = samples.get(subject.name) as Sample[];
  const ratio = median(ratios.get(subject.name) as number[]);
  const rss = hasTime ? Math.max(...own.map((sample) => sample.rssKiB ?? 0)) : null;
  // A bundle that crashed (no `::error::` workflow command) did not reach an input error: it does not count as fast.
  const crashed = subject.goal && own.some((sample) => sample.code === 0 || !sample.errorCommand);
  const meets = !crashed && ratio <= RATIO_GOAL && (rss === null || rss / 1024 < RSS_GOAL_MIB);
  if (subject.goal && !meets) failed += 1;
  const last = own[own.length - 1];
  const first = ((crashed ? 'CRASHED: ' : '') + ((crashed ? last?.errorLine : last?.firstLine) ?? '')).replace(/\|/g, '\\|').slice(0, 100);
  lines.push(
    `| ${subject.name} | ${median(own.map((sample) => sample.ms)).toFixed(0)} | ${ratio.toFixed(2)} | ${mib(rss)} | ${subject.size === undefined ? '' : (subject.size / 1024).toFixed(0)} | ${own[own.length - 1]?.code ?? ''} | ${first} | ${subject.goal ? (meets ? 'meets' : '**misses**') : 'info'} |`,
  );
}
lines.push('');
lines.push(failed === 0 ? 'Every bundle meets the goal.' : `${failed} bundle(s) miss the goal (or crashed before an input error).`);
const text = lines.join('\n') + '\n';
mkdirSync(join(root, 'bench', 'out'), { recursive: true });
writeFileSync(join(root, 'bench', 'out', 'startup.md'), text);
console.log(text);
console.log('written to bench/out/startup.md');
