// Runs the committed bundle the way the runner does: INPUT_CONFIG, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plan-e2e-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Reads the `name<<delimiter` blocks of a GITHUB_OUTPUT file. */
function outputs(text: string): Record<string, string> {
  const found: Record<string, string> = {};
  const pattern = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) found[match[1] as string] = match[3] as string;
  return found;
}

/** Undoes the escaping of workflow commands (`%25` is `%`). */
function unescape(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function runPlan(config: string) {
  const output = join(dir, `output-${Math.random().toString(36).slice(2)}`);
  const summary = join(dir, `summary-${Math.random().toString(36).slice(2)}`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const { PATH, HOME, SYSTEMROOT } = process.env;
  const result = spawnSync(process.execPath, ['dist/plan/index.js'], {
    env: { PATH, HOME, SYSTEMROOT, INPUT_CONFIG: config, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: process.cwd() },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: unescape(result.stdout), output: readFileSync(output, 'utf8'), summary: readFileSync(summary, 'utf8') };
}

describe('dist/plan/index.js', () => {
  it('writes stages, waves and a summary with a mermaid flowchart for a good config', () => {
    const run = runPlan('examples/orders/safe-deploy.yml');
    expect(run.status).toBe(0);
    const out = outputs(run.output);
    expect(JSON.parse(out['stages'] as string)).toEqual(['alpha', 'beta', 'gamma', 'prod']);
    const waves = JSON.parse(out['waves'] as string);
    expect(waves.map((wave: { wave: string }) => wave.wave)).toEqual(['alpha-1', 'beta-1', 'gamma-onebox', 'gamma-1', 'gamma-2', 'prod-onebox', 'prod-1', 'prod-2', 'prod-3', 'prod-4']);
    expect(waves[5]).toMatchObject({ stage: 'prod', wave: 'prod-onebox', regions: ['us-west-1'], traffic: '5%', duration: '1h', 'min-invocations': 10000, mode: 'watch' });
    expect(Object.keys(JSON.parse(out['stage-waves'] as string))).toEqual(['alpha', 'beta', 'gamma', 'prod']);
    expect(out['functions']).toBe('orders-api,orders-worker');
    const config = JSON.parse(out['config'] as string);
    expect(config.alarms.rollback).toEqual(['orders-high-severity', 'prefix:orders-']);
    expect(config.stages[0]).toMatchObject({ name: 'alpha', environment: 'alpha', tests: 'npm run test:integration' });
    expect(run.summary).toContain('```mermaid\nflowchart LR');
    expect(run.summary).toContain('w5_prod_onebox(["prod-onebox<br/>us-west-1 @ 5%<br/>bake 1h, ≥10,000 invocations"])');
    expect(run.summary).toContain('| 7 | prod | `prod-1` | us-west-1 | 100% | 12h | 50,000 | verify | n/a |');
    expect(run.stdout).toContain('10. prod-4');
  });

  it('fails with every problem at file:line:col and path, and writes no output', () => {
    const file = join(dir, 'broken.yml');
    writeFileSync(
      file,
      ['service: orders', 'functions: [orders-api]', 'stages:', '  - name: prod', '    regions: [us-weast-1, eu-west-1]', '    onebox: { traffic: 25% }', '    bake: { duration: 10 }', 'windows: { timezone: Mars/Base }', ''].join('\n'),
    );
    const run = runPlan(file);
    expect(run.status).not.toBe(0);
    expect(run.output).toBe('');
    for (const [position, path] of [
      ['5:15', 'stages[0].regions[0]'],
      ['6:24', 'stages[0].onebox.traffic'],
      ['7:23', 'stages[0].bake.duration'],
      ['8:22', 'windows.timezone'],
    ]) {
      expect(run.stdout).toContain(`${file}:${position} ${path}: `);
      const [line, col] = (position as string).split(':');
      expect(run.stdout).toContain(`::error title=safe-deploy config,file=${file},line=${line},col=${col}::`);
    }
    expect(run.stdout).toContain('25% is above the one-box limit of 10%');
    expect(run.stdout).toContain(`::error::${file} has 4 problems (listed above); nothing was planned`);
    expect(run.summary).toContain('| 6:24 | `stages[0].onebox.traffic` | 25% is above the one-box limit of 10% |');
  });

  it('fails with a message naming the input when the file is missing or the input is empty', () => {
    const missing = runPlan('no/such/safe-deploy.yml');
    expect(missing.status).not.toBe(0);
    expect(missing.output).toBe('');
    expect(missing.stdout).toContain('config: cannot read no/such/safe-deploy.yml (no such file)');
    const empty = runPlan('');
    expect(empty.status).not.toBe(0);
    expect(empty.stdout).toContain('config: the input is empty');
  });
});
