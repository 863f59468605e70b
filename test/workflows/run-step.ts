// Runs one `run:` step of a workflow the way a GitHub runner does (`bash --noprofile --norc -eo pipefail`,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the step's env), so the shell and node snippets inside
// our workflows are tested as they are written, not as a copy.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

interface Step {
  id?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
}

export function workflowStep(file: string, job: string, stepId: string): Step {
  const doc = parse(readFileSync(file, 'utf8')) as { jobs: Record<string, { steps?: Step[] }> };
  const step = doc.jobs[job]?.steps?.find((s) => s.id === stepId);
  if (!step?.run) throw new Error(`${file}: job ${job} has no run step ${stepId}`);
  return step;
}

/** Parses a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIMITER` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i] ?? '');
      out[name as string] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export interface StepResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/**
 * Runs `run:` with `env` (the values the `${{ }}` of the step's env would produce), in `cwd`, with
 * `bin` (name → script text) put first on PATH to stand in for runner tools (aws, yq).
 */
export function runStep(step: Step, env: Record<string, string>, options: { cwd?: string; bin?: Record<string, string> } = {}): StepResult {
  const dir = mkdtempSync(join(tmpdir(), 'safe-deploy-step-'));
  const binDir = join(dir, 'bin');
  mkdirSync(binDir);
  for (const [name, text] of Object.entries(options.bin ?? {})) {
    writeFileSync(join(binDir, name), text);
    chmodSync(join(binDir, name), 0o755);
  }
  const script = join(dir, 'step.sh');
  writeFileSync(script, step.run ?? '');
  const output = join(dir, 'output');
  const summary = join(dir, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const declared = Object.keys(step.env ?? {});
  const missing = Object.keys(env).filter((name) => !declared.includes(name) && !name.startsWith('RUNNER_'));
  if (missing.length > 0) throw new Error(`step ${step.id} declares no env ${missing.join(', ')}`);
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd: options.cwd ?? process.cwd(),
    encoding: 'utf8',
    env: {
      PATH: `${binDir}:${process.env.PATH}`,
      HOME: process.env.HOME ?? dir,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: dir,
      ...Object.fromEntries(declared.map((name) => [name, ''])),
      ...env,
    },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: parseOutputs(readFileSync(output, 'utf8')),
    summary: readFileSync(summary, 'utf8'),
  };
}

/**
 * Stands in for mikefarah yq v4 (what GitHub-hosted runners have) for `--version` and the three
 * queries our workflows make: `-o=json '.'`, `-r '.functions | join(",")'` and `-r '.alias // "live"'`.
 */
export const FAKE_YQ = `#!/usr/bin/env node
const { readFileSync } = require('node:fs');
const { parse } = require(${JSON.stringify(join(process.cwd(), 'node_modules/yaml/dist/index.js'))});
if (process.argv[2] === '--version') { console.log('yq (https://github.com/mikefarah/yq/) version v4.44.3'); process.exit(0); }
const args = process.argv.slice(2).filter((a) => a !== '-r');
const [query, file] = args[0] === '-o=json' ? args.slice(1) : args;
const doc = parse(readFileSync(file, 'utf8'));
if (args[0] === '-o=json' && query === '.') { console.log(JSON.stringify(doc)); process.exit(0); }
if (query === '.functions | join(",")') { console.log(doc.functions.join(',')); process.exit(0); }
if (query === '.alias // "live"') { console.log(doc.alias ?? 'live'); process.exit(0); }
console.error('fake yq: unsupported query ' + query); process.exit(2);
`;
