// The local workflow runner behind `npm run demo`: expressions, conditions, command files, and a
// small workflow run end to end (reusable workflow call, needs, outputs, failure() and skipped steps).
import { describe, it, expect } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  WorkflowRunner,
  evaluateCondition,
  evaluateTemplate,
  inputEnvName,
  ourActionName,
  ourWorkflowPath,
  parseCommandFile,
  type StepRecord,
} from '../../packages/local/src/workflow-runner.js';

const ok = { failed: false, cancelled: false };
const failed = { failed: true, cancelled: false };

describe('expressions', () => {
  it('keeps the type of a whole expression and interpolates inside text', () => {
    const ctx = { steps: { plan: { outputs: { waves: '[{"id":"prod-1","regions":["us-east-1"]}]' } } }, inputs: { stage: 'prod' } };
    expect(evaluateTemplate('${{ fromJSON(steps.plan.outputs.waves)[0].regions }}', ctx)).toEqual(['us-east-1']);
    expect(evaluateTemplate('stage ${{ inputs.stage }} wave ${{ fromJSON(steps.plan.outputs.waves)[0].id }}', ctx)).toBe('stage prod wave prod-1');
    expect(evaluateTemplate("${{ inputs.missing || 'live' }}", ctx)).toBe('live');
    expect(evaluateTemplate('plain', ctx)).toBe('plain');
  });

  it('wraps a condition without a status function in success()', () => {
    expect(evaluateCondition("inputs.x != ''", { inputs: { x: 'a' } }, ok)).toBe(true);
    expect(evaluateCondition("inputs.x != ''", { inputs: { x: 'a' } }, failed)).toBe(false);
    expect(evaluateCondition('${{ failure() && inputs.x }}', { inputs: { x: 'a' } }, failed)).toBe(true);
    expect(evaluateCondition('always()', {}, failed)).toBe(true);
    expect(evaluateCondition('cancelled()', {}, ok)).toBe(false);
    expect(evaluateCondition(undefined, {}, ok)).toBe(true);
    expect(evaluateCondition(undefined, {}, failed)).toBe(false);
  });

  it('reads GITHUB_OUTPUT files in both forms', () => {
    expect(parseCommandFile('a=1\nb<<ghadelimiter_x\nline 1\nline=2\nghadelimiter_x\nc=\n')).toEqual({ a: '1', b: 'line 1\nline=2', c: '' });
  });

  it('maps uses: to our actions and workflows', () => {
    expect(ourActionName('./actions/wave-deploy')).toBe('wave-deploy');
    expect(ourActionName('$/actions/bake-gate')).toBe('bake-gate');
    expect(ourActionName('octo/safe-deploy/actions/rollback@v1')).toBe('rollback');
    expect(ourActionName('actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8')).toBeUndefined();
    expect(ourWorkflowPath('$/.github/workflows/deploy-stage.yml')).toBe('.github/workflows/deploy-stage.yml');
    expect(ourWorkflowPath('octo/safe-deploy/.github/workflows/pipeline.yml@v1')).toBe('.github/workflows/pipeline.yml');
    expect(inputEnvName('min-invocations')).toBe('INPUT_MIN-INVOCATIONS');
    expect(inputEnvName('bypass reason')).toBe('INPUT_BYPASS_REASON');
  });
});

describe('WorkflowRunner', () => {
  it('runs jobs in needs order, calls a reusable workflow, and runs failure() steps after a failure', async () => {
    const root = mkdtempSync(join(tmpdir(), 'runner-'));
    mkdirSync(join(root, '.github/workflows'), { recursive: true });
    mkdirSync(join(root, 'actions/echo'), { recursive: true });
    mkdirSync(join(root, 'dist/echo'), { recursive: true });
    writeFileSync(
      join(root, 'actions/echo/action.yml'),
      'name: echo\ninputs:\n  text: { required: true }\n  suffix: { default: "${{ github.sha }}" }\nruns: { using: node24, main: ../../dist/echo/index.js }\n',
    );
    writeFileSync(
      join(root, 'dist/echo/index.js'),
      `const fs = require('node:fs');
const text = process.env['INPUT_TEXT'] + '@' + process.env['INPUT_SUFFIX'];
fs.appendFileSync(process.env.GITHUB_OUTPUT, 'said<<EOF\\n' + text + '\\nEOF\\n');
fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, '### said ' + text + '\\n');
if (text.startsWith('fail')) { console.log('::error::asked to fail'); process.exit(1); }
`,
    );
    writeFileSync(
      join(root, '.github/workflows/inner.yml'),
      `on:
  workflow_call:
    inputs:
      word: { type: string, required: true }
      loud: { type: boolean, default: false }
    outputs:
      said: { value: "\${{ jobs.go.outputs.said }}" }
jobs:
  go:
    outputs: { said: "\${{ steps.say.outputs.said }}" }
    steps:
      - id: say
        uses: ./actions/echo
        with: { text: "\${{ inputs.word }}" }
      - id: shout
        if: inputs.loud
        run: echo "shout=LOUD $WORD" >> "$GITHUB_OUTPUT"
        env: { WORD: "\${{ steps.say.outputs.said }}" }
      - id: cleanup
        if: failure()
        run: echo cleaning
`,
    );
    writeFileSync(
      join(root, '.github/workflows/outer.yml'),
      `on: { workflow_call: { inputs: { first: { type: string, default: hello } } } }
jobs:
  b:
    needs: a
    uses: ./.github/workflows/inner.yml
    with: { word: "fail after \${{ needs.a.outputs.said }}" }
  a:
    uses: ./.github/workflows/inner.yml
    with: { word: "\${{ inputs.first }}", loud: true }
  c:
    needs: b
    steps:
      - run: echo never
`,
    );
    const seen: StepRecord[] = [];
    const runner = new WorkflowRunner({
      repoRoot: root,
      tempDir: join(root, 'tmp'),
      env: { PATH: process.env.PATH ?? '' },
      github: {
        repository: 'o/r', sha: 'abc123', ref: 'refs/heads/main', run_id: '42', run_number: '1', run_attempt: '1', actor: 'me',
        event_name: 'push', workflow: 'w', server_url: 'https://github.com', api_url: 'https://api.github.com', token: 't', event: {},
      },
      onStep: (s) => seen.push(s),
    });
    const result = await runner.runWorkflow('.github/workflows/outer.yml');
    expect(result.result).toBe('failure');
    expect(result.jobs.a!.result).toBe('success');
    expect(result.jobs.a!.outputs).toEqual({ said: 'hello@abc123' });
    expect(result.jobs.b!.result).toBe('failure');
    expect(result.jobs.c!.result).toBe('skipped');
    expect(seen.map((s) => `${s.job}:${s.id}:${s.outcome}`)).toEqual([
      'a / go:say:success',
      'a / go:shout:success',
      'a / go:cleanup:skipped',
      'b / go:say:failure',
      'b / go:shout:skipped',
      'b / go:cleanup:success',
    ]);
    expect(seen[0]!.with).toEqual({ text: 'hello' });
    expect(seen[0]!.summary).toBe('### said hello@abc123\n');
    expect(seen[1]!.outputs).toEqual({ shout: 'LOUD hello@abc123' });
    expect(seen[3]!.annotations).toEqual(['error: asked to fail']);
  });
});
