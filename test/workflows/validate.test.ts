// Every workflow, starter template and action.yml passes GitHub's validator (@actions/languageservice,
// with a file provider so reusable-workflow callers are checked against the called workflow) and our
// own rules (see workflow-checks.ts). A second group plants one error of each kind in a copy and
// proves the checks catch it.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { actionFiles, formatProblem, languageServiceProblems, PINNED_ACTIONS, ruleProblems, workflowFiles, workflowProblems, REPO_ROOT } from './workflow-checks.js';

const workflows = workflowFiles();
const actions = actionFiles();

describe('workflows, templates and actions', () => {
  it('finds the files it checks', () => {
    for (const name of ['deploy-stage', 'pipeline', 'rollback', 'review-checklist', 'sentinel', 'ci']) {
      expect(workflows).toContain(`.github/workflows/${name}.yml`);
    }
    expect(workflows.filter((f) => f.startsWith('workflows-templates/')).length).toBeGreaterThanOrEqual(3);
    expect(actions.length).toBe(7);
  });

  it.each(workflows)('%s passes GitHub validation and our rules', async (file) => {
    const problems = await workflowProblems(file);
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it.each(actions)('%s passes GitHub validation', async (file) => {
    const problems = await languageServiceProblems(file);
    expect(problems.map(formatProblem)).toEqual([]);
  });

  // GitHub's runners have had no Node 20 since 2026-09-16 (finding M8): every third-party action the
  // workflows pin must be a release whose action.yml runs on node24.
  it('every pinned third-party action runs on node24', () => {
    const pinned = new Set(workflows.flatMap((file) => [...readFileSync(join(REPO_ROOT, file), 'utf8').matchAll(/uses:\s*([\w.-]+\/[\w./-]+@[0-9a-f]{40})/g)].map((m) => m[1]!)));
    expect([...pinned].sort()).toEqual(Object.keys(PINNED_ACTIONS).sort());
    expect(Object.entries(PINNED_ACTIONS).filter(([, known]) => known.using !== 'node24').map(([uses]) => uses)).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------------
// Planted errors: each edit to a copy must produce a problem of the expected rule at the edited line.

describe('planted errors are caught', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'safe-deploy-wf-'));
    for (const file of [...workflowFiles(), ...actionFiles()]) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      cpSync(join(REPO_ROOT, file), join(root, file));
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Copies `file` fresh from the repository, applies `edit` (which must change the text), returns the copy's path. */
  function plant(file: string, edit: (text: string) => string): string {
    const original = readFileSync(join(REPO_ROOT, file), 'utf8');
    const changed = edit(original);
    expect(changed).not.toBe(original);
    writeFileSync(join(root, file), changed);
    return file;
  }
  function restore(file: string) {
    cpSync(join(REPO_ROOT, file), join(root, file));
  }
  const lineOf = (file: string, needle: string) => readFileSync(join(root, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('the copies are clean before anything is planted', async () => {
    for (const file of ['.github/workflows/deploy-stage.yml', '.github/workflows/pipeline.yml']) {
      expect((await workflowProblems(file, root)).map(formatProblem)).toEqual([]);
    }
  });

  it('an input our action does not have (validator and own-action-inputs)', async () => {
    const file = plant('.github/workflows/deploy-stage.yml', (t) => t.replace('          traffic: 0%\n', '          trafic: 0%\n'));
    const line = lineOf(file, 'trafic: 0%');
    const problems = await workflowProblems(file, root);
    restore(file);
    expect(problems.some((p) => p.rule === 'own-action-inputs' && p.line === line && p.message.includes('"trafic"'))).toBe(true);
    expect(problems.some((p) => p.rule === 'languageservice' && p.line === line)).toBe(true);
  });

  it('a required input of our action left out (own-action-inputs)', async () => {
    const file = plant('.github/workflows/deploy-stage.yml', (t) => t.replace('          duration: ${{ inputs.bake-duration }}\n', ''));
    const problems = ruleProblems(file, root);
    restore(file);
    expect(problems.map(formatProblem).join('\n')).toMatch(/own-action-inputs: job deploy step bake: actions\/bake-gate requires input "duration"/);
  });

  it('a caller missing a required input of the called reusable workflow (validator through the file provider)', async () => {
    const file = plant('.github/workflows/pipeline.yml', (t) => t.replace('      bake-duration: ${{ fromJSON(needs.plan.outputs.waves)[2].bakeDuration }}\n', ''));
    const problems = await languageServiceProblems(file, root);
    restore(file);
    expect(problems.map(formatProblem).join('\n')).toMatch(/bake-duration/);
  });

  it('a caller passing an input the called workflow does not declare', async () => {
    const file = plant('.github/workflows/pipeline.yml', (t) => t.replace('      traffic: ${{ fromJSON(needs.plan.outputs.waves)[0].traffic }}\n', '      traffic: ${{ fromJSON(needs.plan.outputs.waves)[0].traffic }}\n      trafic-share: 5%\n'));
    const line = lineOf(file, 'trafic-share');
    const problems = await languageServiceProblems(file, root);
    restore(file);
    expect(problems.some((p) => p.line === line)).toBe(true);
  });

  it('a starter template calling OWNER/safe-deploy/...@v1 without a required input (validator through the file provider)', async () => {
    const file = plant('workflows-templates/rollback.yml', (t) => t.replace('      reason: ${{ inputs.reason }}\n', ''));
    const problems = await languageServiceProblems(file, root);
    restore(file);
    expect(problems.map(formatProblem).join('\n')).toMatch(/reason/);
  });

  it('an expression inside run: (no-expression-in-run)', async () => {
    const file = plant('.github/workflows/deploy-stage.yml', (t) => t.replace('run: bash -euo pipefail -c "$SAFE_DEPLOY_TEST_COMMAND"', 'run: bash -euo pipefail -c "${{ inputs.pre-traffic-test }}"'));
    const line = lineOf(file, 'run: bash -euo pipefail -c "${{');
    const problems = ruleProblems(file, root);
    restore(file);
    expect(problems.filter((p) => p.rule === 'no-expression-in-run').map((p) => p.line)).toEqual([line]);
  });

  it('a job without permissions (job-permissions)', async () => {
    const file = plant('.github/workflows/rollback.yml', (t) => t.replace(/\n {4}permissions:\n( {6}[a-z-]+: [a-z]+\n)+/, '\n'));
    const problems = ruleProblems(file, root);
    restore(file);
    expect(problems.filter((p) => p.rule === 'job-permissions')).toHaveLength(1);
  });

  it('a third-party action pinned to a tag (pinned)', async () => {
    const file = plant('.github/workflows/ci.yml', (t) => t.replace(/actions\/checkout@[0-9a-f]{40}/, 'actions/checkout@v5'));
    const line = lineOf(file, 'actions/checkout@v5');
    const problems = ruleProblems(file, root);
    restore(file);
    expect(problems.filter((p) => p.rule === 'pinned').map((p) => p.line)).toEqual([line]);
  });

  it('a pinned commit whose comment names another tag (pinned-tag)', async () => {
    const file = plant('.github/workflows/pipeline.yml', (t) => t.replace(/(actions\/upload-artifact@[0-9a-f]{40}) # v6\.0\.0/, '$1 # v4.6.2'));
    const line = lineOf(file, '# v4.6.2');
    const problems = ruleProblems(file, root);
    restore(file);
    expect(problems.filter((p) => p.rule === 'pinned-tag').map((p) => p.line)).toEqual([line]);
  });

  it('a third-party action pinned to a commit we never checked does not resolve (validator)', async () => {
    const file = plant('.github/workflows/ci.yml', (t) => t.replace(/actions\/checkout@[0-9a-f]{40}/, `actions/checkout@${'1'.repeat(40)}`));
    const problems = await languageServiceProblems(file, root);
    restore(file);
    expect(problems.map(formatProblem).join('\n')).toMatch(/Unable to resolve action `actions\/checkout@1{40}`/);
  });

  it('a checkout under pull_request_target (no-pr-target-checkout)', async () => {
    // review-checklist.yml runs on pull_request_target precisely because it checks nothing out.
    const file = plant('.github/workflows/review-checklist.yml', (t) =>
      t.replace(/(\n {4}steps:\n)/, `$1      - id: checkout\n        uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8\n`),
    );
    const line = lineOf(file, 'uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8');
    const problems = ruleProblems(file, root);
    restore(file);
    expect(problems.filter((p) => p.rule === 'no-pr-target-checkout').map((p) => p.line)).toEqual([line]);
  });

  it('a job named like the checklist check run (job-not-named-like-check)', async () => {
    const file = plant('.github/workflows/review-checklist.yml', (t) => t.replace('    name: review checklist\n', '    name: deploy-safety-checklist\n'));
    const line = lineOf(file, 'name: deploy-safety-checklist');
    const problems = ruleProblems(file, root);
    restore(file);
    expect(problems.filter((p) => p.rule === 'job-not-named-like-check').map((p) => p.line)).toEqual([line]);
  });

  it('a step without an id (step-ids)', async () => {
    const file = plant('.github/workflows/deploy-stage.yml', (t) => t.replace('      - id: promote\n        name: Promote to 100%\n', '      - name: Promote to 100%\n'));
    const line = lineOf(file, '- name: Promote to 100%');
    const problems = ruleProblems(file, root);
    restore(file);
    expect(problems.filter((p) => p.rule === 'step-ids').map((p) => p.line)).toEqual([line]);
  });

  it('a run script that does not parse (bash-syntax)', async () => {
    // An apostrophe inside the single-quoted node script ends the quote early.
    const file = plant('.github/workflows/deploy-stage.yml', (t) => t.replace('const partition = (r) =>', "const partition = (r) => /* the region's partition */"));
    const problems = ruleProblems(file, root);
    restore(file);
    expect(problems.filter((p) => p.rule === 'bash-syntax')).toHaveLength(1);
  });

  // @actions/languageservice 0.3.61 knows `concurrency.queue` (values single and max) and refuses
  // `queue: max` together with `cancel-in-progress: true`; the checklist relies on both rules.
  it('queue: max together with cancel-in-progress: true (validator)', async () => {
    const file = plant('.github/workflows/review-checklist.yml', (t) => t.replace('      cancel-in-progress: false\n      queue: max\n', '      cancel-in-progress: true\n      queue: max\n'));
    const line = lineOf(file, '      queue: max');
    const problems = await languageServiceProblems(file, root);
    restore(file);
    expect(problems.filter((p) => p.line === line).map((p) => p.message)).toEqual(["'queue: max' cannot be combined with 'cancel-in-progress: true'."]);
  });

  it('a queue mode GitHub does not have (validator)', async () => {
    const file = plant('.github/workflows/review-checklist.yml', (t) => t.replace('      queue: max\n', '      queue: maximum\n'));
    const line = lineOf(file, 'queue: maximum');
    const problems = await languageServiceProblems(file, root);
    restore(file);
    expect(problems.some((p) => p.line === line)).toBe(true);
  });

  it('an input create-github-app-token does not have at the pinned commit (validator)', async () => {
    const file = plant('.github/workflows/review-checklist.yml', (t) => t.replace('          client-id: ', '          client_id: '));
    const line = lineOf(file, 'client_id: ');
    const problems = await languageServiceProblems(file, root);
    restore(file);
    expect(problems.some((p) => p.line === line && p.message.includes('client_id'))).toBe(true);
  });

  it('a broken action.yml (validator)', async () => {
    const file = plant('actions/rollback/action.yml', (t) => t.replace('runs:\n  using: node24', 'runs:\n  using: node99'));
    const problems = await languageServiceProblems(file, root);
    restore(file);
    expect(problems.length).toBeGreaterThan(0);
  });
});
