// Hostile text where people type it: config fields (through the plan bundle, as pipeline.yml runs
// it), the rollback workflow's dispatch fields (its input check step, run as the runner runs it),
// and every workflow's `run:` blocks (untrusted values reach a shell only through env).
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FAKE_YQ, runStep, workflowStep } from '../workflows/run-step.js';
import { parseOutputFile, ROOT } from '../e2e/wave-deploy-harness.js';
import { canaryDir, expectNothingExecuted, payloads } from './harness.js';

const canary = canaryDir();
const PAYLOADS = payloads(canary);
const dir = mkdtempSync(join(tmpdir(), 'sd-adv-text-'));

afterAll(() => expectNothingExecuted(canary));

const BASE = {
  version: 1,
  service: 'orders',
  alias: 'live',
  functions: ['orders-api'],
  stages: [{ name: 'beta', regions: ['us-west-2'], tests: 'npm test', bake: { duration: '10m', 'min-invocations': 10 } }],
  alarms: { block: ['orders-high'], rollback: ['orders-high'] },
};

type Mutate = (config: typeof BASE, value: string) => unknown;
const FIELDS: Array<[string, Mutate]> = [
  ['service', (c, v) => ({ ...c, service: v })],
  ['alias', (c, v) => ({ ...c, alias: v })],
  ['functions[0]', (c, v) => ({ ...c, functions: [v] })],
  ['stages[0].name', (c, v) => ({ ...c, stages: [{ ...c.stages[0], name: v }] })],
  ['stages[0].regions[0]', (c, v) => ({ ...c, stages: [{ ...c.stages[0], regions: [v] }] })],
  ['stages[0].environment', (c, v) => ({ ...c, stages: [{ ...c.stages[0], environment: v }] })],
  ['alarms.block[0]', (c, v) => ({ ...c, alarms: { ...c.alarms, block: [v] } })],
  ['alarms.rollback[0]', (c, v) => ({ ...c, alarms: { ...c.alarms, rollback: [v] } })],
  ['stages[0].tests', (c, v) => ({ ...c, stages: [{ ...c.stages[0], tests: v }] })],
];

function plan(config: unknown) {
  const path = join(dir, `config-${Math.random().toString(16).slice(2)}.yml`);
  // JSON is YAML: every payload is one exact string value.
  writeFileSync(path, JSON.stringify(config, null, 2));
  const output = join(dir, `out-${Math.random().toString(16).slice(2)}`);
  writeFileSync(output, '');
  writeFileSync(`${output}.summary`, '');
  const result = spawnSync(process.execPath, [join(ROOT, 'dist/plan/index.js')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, INPUT_CONFIG: path, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: `${output}.summary` },
  });
  return { status: result.status, stdout: result.stdout, outputs: parseOutputFile(readFileSync(output, 'utf8')), summary: readFileSync(`${output}.summary`, 'utf8') };
}

describe('config fields: hostile text is refused by name or kept as data', () => {
  const declared = Object.keys((parse(readFileSync(join(ROOT, 'actions/plan/action.yml'), 'utf8')) as { outputs: object }).outputs);
  it.each(FIELDS)('%s', (field, mutate) => {
    const kept: string[] = [];
    for (const [kind, value] of Object.entries(PAYLOADS)) {
      const result = plan(mutate(structuredClone(BASE), value));
      for (const name of Object.keys(result.outputs)) expect(declared).toContain(name);
      // Nothing the value carried became a runner command.
      const carried = value.split('\n').filter((line) => line.startsWith('::'));
      expect(result.stdout.split('\n').filter((line) => carried.includes(line))).toEqual([]);
      if (result.status === 0) {
        kept.push(kind);
        // Kept values travel as JSON data in the outputs (a raw newline would have shown up above as an undeclared output).
        for (const output of Object.values(result.outputs)) if (/^[[{]/.test(output)) expect(() => JSON.parse(output)).not.toThrow();
      } else {
        expect(result.stdout).toMatch(/::error/);
        expect(result.stdout).toContain(field.replace(/\[(\d+)\]/g, '[$1]'));
        expect(result.outputs).toEqual({});
      }
    }
    // Names (service, alias, functions, stages, regions) never take shell text; only the test command
    // and alarm names (CloudWatch allows almost any character) and the environment are free text.
    if (['service', 'alias', 'functions[0]', 'stages[0].name', 'stages[0].regions[0]'].includes(field)) expect(kept).toEqual([]);
    expectNothingExecuted(canary);
  });
});

describe('workflows: untrusted values reach a shell only through env', () => {
  const files = [...readdirSync(join(ROOT, '.github/workflows')).map((f) => join(ROOT, '.github/workflows', f)), ...readdirSync(join(ROOT, 'workflows-templates')).map((f) => join(ROOT, 'workflows-templates', f))].filter((f) => /\.ya?ml$/.test(f));
  it('no run: block in any workflow or template contains a ${{ }} expression', () => {
    expect(files.length).toBeGreaterThan(4);
    const offenders: string[] = [];
    for (const file of files) {
      const doc = parse(readFileSync(file, 'utf8')) as { jobs?: Record<string, { steps?: Array<{ id?: string; run?: string }> }> };
      for (const [job, spec] of Object.entries(doc.jobs ?? {})) for (const step of spec.steps ?? []) if (step.run?.includes('${{')) offenders.push(`${file} ${job} ${step.id ?? ''}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the test command runs from env: a hostile stage, wave or region value beside it is never evaluated', () => {
    const step = workflowStep(join(ROOT, '.github/workflows/deploy-stage.yml'), 'deploy', 'pre-traffic-test');
    const result = runStep(step, {
      SAFE_DEPLOY_TEST_COMMAND: 'printf "%s|%s|%s" "$SAFE_DEPLOY_STAGE" "$SAFE_DEPLOY_WAVE" "$SAFE_DEPLOY_REGIONS"',
      SAFE_DEPLOY_STAGE: PAYLOADS['command substitution']!,
      SAFE_DEPLOY_WAVE: PAYLOADS.backticks!,
      SAFE_DEPLOY_REGIONS: PAYLOADS['quote break-out']!,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${PAYLOADS['command substitution']}|${PAYLOADS.backticks}|${PAYLOADS['quote break-out']}`);
    expectNothingExecuted(canary);
  });
});

describe('rollback.yml dispatch fields: every hostile string in every field', () => {
  const step = workflowStep(join(ROOT, '.github/workflows/rollback.yml'), 'rollback', 'targets');
  const good = { CONFIG: 'examples/orders/safe-deploy.yml', REGIONS: 'us-west-1,us-east-2', FUNCTIONS: 'orders-api', ALIAS: 'live', VERSION: '3' };
  const cases = (['REGIONS', 'FUNCTIONS', 'ALIAS', 'VERSION'] as const).flatMap((name) => Object.entries(PAYLOADS).map(([kind, value]) => [name, kind, value] as const));
  it.each(cases)('%s: %s is refused, writes no output, starts no runner command', (name, _kind, value) => {
    const result = runStep(step, { ...good, [name]: value }, { bin: { yq: FAKE_YQ } });
    expect(result.status).toBe(1);
    expect(result.outputs).toEqual({});
    expect(result.stdout).toContain(`input ${name.toLowerCase()}`);
    // One error annotation, and no other line the runner would read as a command.
    const commands = result.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatch(/^::error title=safe-deploy rollback::input /);
    expectNothingExecuted(canary);
  });

  it('a config path with shell text is only ever a path', () => {
    const result = runStep(step, { ...good, FUNCTIONS: '', ALIAS: '', CONFIG: PAYLOADS.everything! }, { bin: { yq: FAKE_YQ } });
    expect(result.status).toBe(1);
    expect(result.outputs).toEqual({});
    expect(result.stdout.split('\n').filter((line) => line.startsWith('::'))).toHaveLength(1);
    expectNothingExecuted(canary);
  });
});
