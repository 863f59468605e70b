// Runs an action bundle the way the GitHub runner does: INPUT_* variables, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, AWS settings from the environment. Shared by the wave-deploy,
// rollback and interrupt end-to-end tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname;

export interface BundleResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Outputs as the runner reads them: the last value of each name wins. */
  readonly outputs: Record<string, string>;
  readonly summary: string;
  /** The `::error::` lines, decoded. */
  readonly errors: string[];
}

/** Parses a GITHUB_OUTPUT file (`name=value` and `name<<DELIM ... DELIM` forms). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] as string);
      outputs[name] = value.join('\n');
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

function decodeCommand(text: string): string {
  return text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

export interface BundleRun {
  readonly child: ChildProcess;
  readonly done: Promise<BundleResult>;
}

/** Starts `node dist/<action>/index.js` with the given inputs (names as in action.yml) and env. */
export function startBundle(action: string, inputs: Record<string, string>, env: Record<string, string>): BundleRun {
  const dir = mkdtempSync(join(tmpdir(), `sd-${action}-`));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const inputEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(inputs)) inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // A clean runner-like environment: nothing from jest's own INPUT_/GITHUB_/AWS_ settings.
    if (value !== undefined && !/^(INPUT_|GITHUB_|AWS_|RUNNER_|NODE_OPTIONS$)/.test(key)) base[key] = value;
  }
  const child = spawn(process.execPath, [join(ROOT, 'dist', action, 'index.js')], {
    cwd: ROOT,
    env: {
      ...base,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_RUN_ID: '4242',
      GITHUB_SHA: 'c0ffee0000000000000000000000000000000000',
      ...inputEnv,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<BundleResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
      const summary = readFileSync(summaryFile, 'utf8');
      rmSync(dir, { recursive: true, force: true });
      const errors = stdout
        .split('\n')
        .filter((line) => line.startsWith('::error'))
        .map((line) => decodeCommand(line.slice(line.indexOf('::', 2) + 2)));
      resolve({ code, signal, stdout, stderr, outputs, summary, errors });
    });
  });
  return { child, done };
}

export async function runBundle(action: string, inputs: Record<string, string>, env: Record<string, string>): Promise<BundleResult> {
  return startBundle(action, inputs, env).done;
}
