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
  shellCommand,
  type StepRecord,
} from '../../packages/local/src/workflow-runner.js';
import { directory, harness } from './workflow-runner-harness.js';

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

  it('reads GITHUB_OUTPUT files in both forms, and refuses a heredoc without its delimiter', () => {
    expect(parseCommandFile('a=1\nb<<ghadelimiter_x\nline 1\nline=2\nghadelimiter_x\nc=\n')).toEqual({ a: '1', b: 'line 1\nline=2', c: '' });
    expect(() => parseCommandFile('b<<EOF\nline 1\n')).toThrow(/matching delimiter not found 'EOF'/);
    expect(() => parseCommandFile('just text\n')).toThrow(/invalid format/);
  });

  it('job conditions: the implicit success() is false after a skipped need', () => {
    const skippedNeed = { failed: false, cancelled: false, needNotSucceeded: true };
    expect(evaluateCondition(undefined, {}, skippedNeed)).toBe(false);
    expect(evaluateCondition("needs.a.result == 'skipped'", { needs: { a: { result: 'skipped' } } }, skippedNeed)).toBe(false);
    expect(evaluateCondition("!cancelled() && needs.a.result == 'skipped'", { needs: { a: { result: 'skipped' } } }, skippedNeed)).toBe(true);
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

describe('the runner, where it used to be kinder than GitHub', () => {
  it('a job with a status-free if after a skipped need is skipped; with a status function it runs; failure() covers ancestors', async () => {
    const root = directory('sd-skip-', {
      '.github/workflows/w.yml': `on: push
jobs:
  a:
    if: false
    steps: [{ run: echo a }]
  b:
    needs: a
    if: github.event_name == 'push'
    steps: [{ run: echo b }]
  c:
    needs: a
    if: \${{ !cancelled() && needs.a.result == 'skipped' }}
    steps: [{ run: echo c }]
  d:
    needs: c
    steps: [{ run: echo d }]
  broken:
    steps: [{ run: exit 1 }]
  tidy:
    needs: broken
    if: always()
    steps: [{ run: echo tidy }]
  alert:
    needs: tidy
    if: failure()
    steps: [{ run: echo alert }]
`,
    });
    const result = await harness({ repoRoot: root }).runner.runWorkflow('.github/workflows/w.yml');
    expect(Object.fromEntries(Object.entries(result.jobs).map(([id, j]) => [id, j.result]))).toEqual({ a: 'skipped', b: 'skipped', c: 'success', d: 'success', broken: 'failure', tidy: 'success', alert: 'success' });
  });

  it('run steps: bash -e {0} without shell (no pipefail), pipefail with shell: bash; env siblings are invisible; GITHUB_*/RUNNER_* cannot be overridden; a bad heredoc fails the step', async () => {
    const root = directory('sd-shell-', {
      '.github/workflows/w.yml': `on: push
env:
  TOP: top
jobs:
  j:
    env:
      FROM_TOP: "[\${{ env.TOP }}]"
      SIBLING: one
    steps:
      - id: default-shell
        run: |
          false | true
          echo "went=on" >> "$GITHUB_OUTPUT"
      - id: bash
        shell: bash
        continue-on-error: true
        run: |
          false | true
          echo "went=on" >> "$GITHUB_OUTPUT"
      - id: env
        env:
          SEES_SIBLING: "[\${{ env.SIBLING }}]"
          SIBLING: two
          SEES_STEP_SIBLING: "[\${{ env.SIBLING }}]"
          GITHUB_SHA: forged
          RUNNER_TEMP: /forged
        run: |
          echo "v=$FROM_TOP $SEES_SIBLING $SEES_STEP_SIBLING $SIBLING" >> "$GITHUB_OUTPUT"
          echo "sha=$GITHUB_SHA" >> "$GITHUB_OUTPUT"
          echo "temp=$RUNNER_TEMP" >> "$GITHUB_OUTPUT"
          echo "GITHUB_SHA=again" >> "$GITHUB_ENV"
      - id: after-env
        run: echo "sha=$GITHUB_SHA" >> "$GITHUB_OUTPUT"
      - id: heredoc
        continue-on-error: true
        run: printf 'text<<EOF\\nno end\\n' >> "$GITHUB_OUTPUT"
`,
    });
    const { runner, steps } = harness({ repoRoot: root });
    await runner.runWorkflow('.github/workflows/w.yml');
    const by = Object.fromEntries(steps.map((s) => [s.id, s]));
    expect(by['default-shell']!.outcome).toBe('success');
    expect(by['default-shell']!.outputs).toEqual({ went: 'on' });
    expect(by.bash!.outcome).toBe('failure');
    expect(by.env!.outputs.v).toBe('[top] [one] [one] two');
    expect(by.env!.outputs.sha).toBe('abc123'.padEnd(40, '0'));
    expect(by.env!.outputs.temp).not.toBe('/forged');
    expect(by['after-env']!.outputs.sha).toBe('abc123'.padEnd(40, '0'));
    expect(by.heredoc!.outcome).toBe('failure');
    expect(by.heredoc!.annotations.join('\n')).toMatch(/matching delimiter not found 'EOF'/);
    expect(shellCommand('python {0}', '/x.py')).toEqual(['python', ['/x.py']]);
    expect(shellCommand('pwsh', '/x')).toBeUndefined();
  });
});

describe('concurrency, the cases the real workflows do not use yet', () => {
  it('job-level cancel-in-progress cancels the running job (its always() step still runs); a run cancelled while pending never starts', async () => {
    const root = directory('sd-cip-', {
      '.github/workflows/w.yml': `on: push
jobs:
  j:
    concurrency: { group: "G-\${{ github.repository }}", cancel-in-progress: true }
    steps:
      - id: work
        run: sleep 3
      - id: tidy
        if: always()
        run: echo tidy
`,
      '.github/workflows/run-level.yml': `on: push
concurrency: { group: "run-level" }
jobs:
  j:
    steps: [{ id: work, run: sleep 0.5 }]
`,
    });
    const { runner, steps } = harness({ repoRoot: root, cancelSignals: { termAfterMs: 200, killAfterMs: 200 } });
    const first = runner.start('.github/workflows/w.yml', { github: { run_id: '1' } });
    await new Promise((r) => setTimeout(r, 300));
    // Same group in other letters: groups compare case-insensitively.
    const second = runner.start('.github/workflows/w.yml', { github: { run_id: '2', repository: 'EXAMPLE/ORDERS' } });
    const [r1, r2] = await Promise.all([first.result, second.result]);
    expect([r1.result, r2.result]).toEqual(['cancelled', 'success']);
    expect(steps.filter((s) => s.runId === '1').map((s) => `${s.id}:${s.outcome}`)).toEqual(['work:cancelled', 'tidy:success']);
    // bash waits for its foreground \`sleep\` on SIGINT and dies on SIGTERM; the kill then takes the orphaned sleep.
    const work = steps.find((s) => s.runId === '1' && s.id === 'work')!;
    expect(work.signals).toEqual(['SIGINT', 'SIGTERM', 'SIGKILL']);
    expect(work.durationMs).toBeLessThan(3_000);

    steps.length = 0;
    const a = runner.start('.github/workflows/run-level.yml', { github: { run_id: 'a' } });
    const b = runner.start('.github/workflows/run-level.yml', { github: { run_id: 'b' } });
    b.cancel();
    expect((await b.result).result).toBe('cancelled');
    expect((await a.result).result).toBe('success');
    expect(steps.map((s) => s.runId)).toEqual(['a']);
  });
});

describe('cancelling a run', () => {
  it('a job whose if still holds keeps running, but its steps are re-evaluated with cancelled() true', async () => {
    const root = directory('sd-cancel-', {
      '.github/workflows/w.yml': `on: push
jobs:
  keeps:
    if: always()
    steps:
      - id: busy
        run: exec sleep 20
      - id: plain
        run: echo plain
      - id: report
        if: cancelled()
        run: echo report
  goes:
    steps:
      - id: careful
        if: always()
        run: sleep 0.6; echo "done=yes" >> "$GITHUB_OUTPUT"
      - id: after
        if: always()
        run: echo after
`,
    });
    const { runner, steps } = harness({ repoRoot: root, cancelSignals: { termAfterMs: 200, killAfterMs: 200 } });
    const run = runner.start('.github/workflows/w.yml');
    await new Promise((r) => setTimeout(r, 300));
    run.cancel();
    const result = await run.result;
    const by = Object.fromEntries(steps.map((s) => [`${s.job}:${s.id}`, s]));
    expect(by['keeps:busy']!.outcome).toBe('cancelled');
    expect(by['keeps:busy']!.signals).toEqual(['SIGINT']);
    expect(by['keeps:plain']!.outcome).toBe('skipped');
    expect(by['keeps:report']!.outcome).toBe('success');
    expect(result.jobs.keeps!.note).toMatch(/kept running/);
    expect(by['goes:careful']!.outcome).toBe('success');
    expect(by['goes:careful']!.outputs).toEqual({ done: 'yes' });
    expect(by['goes:careful']!.signals).toEqual([]);
    expect(by['goes:after']!.outcome).toBe('success');
    expect([result.jobs.keeps!.result, result.jobs.goes!.result, result.result]).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });
});

describe('timeouts', () => {
  it("a job without timeout-minutes stops at GitHub's 360 minutes; a step's timeout-minutes cancels the step and fails it", async () => {
    const root = directory('sd-timeouts-', {
      '.github/workflows/w.yml': `on: push
jobs:
  capped:
    steps:
      - id: long
        run: exec sleep 30
      - id: cleanup
        if: cancelled()
        run: echo cleanup
  step:
    steps:
      - id: slow
        timeout-minutes: 30
        run: exec sleep 30
      - id: next
        run: echo next
      - id: on-failure
        if: failure()
        run: echo on-failure
`,
    });
    // 360 GitHub minutes in 2 local seconds; the step's 30 minutes in 1/6 s.
    const { runner, steps } = harness({ repoRoot: root, timeScale: (360 * 60) / 2, cancelSignals: { termAfterMs: 100, killAfterMs: 100 } });
    const result = await runner.runWorkflow('.github/workflows/w.yml');
    const by = Object.fromEntries(steps.map((s) => [`${s.job}:${s.id}`, s]));
    expect(result.jobs.capped).toMatchObject({ result: 'failure', note: 'timed out after 360 minutes' });
    expect(by['capped:long']!.outcome).toBe('cancelled');
    expect(by['capped:long']!.durationMs).toBeGreaterThanOrEqual(1_900);
    expect(by['capped:cleanup']!.outcome).toBe('success');
    expect(by['step:slow']).toMatchObject({ outcome: 'failure', note: 'timed out', signals: ['SIGINT'] });
    expect(by['step:slow']!.durationMs).toBeLessThan(1_900);
    expect([by['step:next']!.outcome, by['step:on-failure']!.outcome]).toEqual(['skipped', 'success']);
    expect(result.jobs.step!.result).toBe('failure');
  });
});
