// A small local runner for this repository's workflows, used by the demo.
//
// It reads a workflow file and executes its jobs the way the GitHub runner would, for the parts
// that matter to safe-deploy:
// - jobs in `needs` order, a `strategy.matrix` leg by leg (in order), reusable workflows called
//   with `uses: ./.github/workflows/x.yml` (inputs, defaults, outputs);
// - steps that use one of our actions (`./actions/<name>` or `<owner>/safe-deploy/actions/<name>@<ref>`)
//   run as `node dist/<name>/index.js`, resolved through the action.yml `runs.main` exactly like the
//   runner: `INPUT_*` variables (with the action.yml defaults), `GITHUB_OUTPUT`, `GITHUB_ENV`,
//   `GITHUB_STEP_SUMMARY` files and the usual `GITHUB_*` variables;
// - `run:` steps run with bash (`bash --noprofile --norc -eo pipefail`) and their `env:`;
// - `${{ }}` expressions and `if:` conditions are evaluated with @actions/expressions (GitHub's own
//   evaluator), with `success()`, `failure()`, `cancelled()` and `always()`;
// - any other `uses:` step (checkout, configure-aws-credentials, setup-node, artifacts) is runner
//   plumbing: the caller handles it (for example by assuming a role in the emulator) or it is
//   skipped with a note.
// Everything that happens is reported as StepRecords, so a caller can print a timeline and prove
// that what ran is what the workflow file says.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';
import { parse as parseYaml } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export type StepKind = 'action' | 'run' | 'plumbing';
export type StepOutcome = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface StepRecord {
  /** Workflow file the step comes from, relative to the repository root. */
  readonly workflow: string;
  /** Job id, with the matrix leg and the caller chain, e.g. `prod-waves (prod-1) / deploy`. */
  readonly job: string;
  /** Label given by the caller to this run of the job (for example the stage and wave). */
  readonly label: string;
  /** Step id (or `#<index>` when the step has none). */
  readonly id: string;
  readonly name: string;
  readonly kind: StepKind;
  /** `uses:` as written, or `run`. */
  readonly uses: string;
  /** Our action's name when the step runs one of our bundles. */
  readonly action?: string;
  /** Evaluated `with:` inputs as written in the workflow (without action.yml defaults). */
  readonly with: Record<string, string>;
  readonly outcome: StepOutcome;
  readonly outputs: Record<string, string>;
  /** What the step wrote to GITHUB_STEP_SUMMARY. */
  readonly summary: string;
  /** Error and warning annotations the step printed (`::error::`), and notes from the runner. */
  readonly annotations: readonly string[];
  readonly note?: string;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly exitCode: number | null;
  /** Combined stdout and stderr (last 20k characters). */
  readonly log: string;
}

export interface PlumbingResult {
  /** Variables added to the job environment for later steps (as GITHUB_ENV would). */
  readonly env?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  /** Shown in the timeline, e.g. `assumed arn:aws:iam::...:role/deploy`. */
  readonly note: string;
  readonly outcome?: 'success' | 'failure';
}

export interface PlumbingStep {
  /** GitHub environment of the job, when it has one. */
  readonly environment: string;
  readonly uses: string;
  readonly with: Record<string, string>;
  readonly env: Record<string, string>;
  readonly id: string;
  readonly job: string;
}

export type PlumbingHandler = (step: PlumbingStep) => Promise<PlumbingResult | undefined> | PlumbingResult | undefined;

export interface GithubContext {
  readonly repository: string;
  readonly sha: string;
  readonly ref: string;
  readonly run_id: string;
  readonly run_number: string;
  readonly run_attempt: string;
  readonly actor: string;
  readonly event_name: string;
  readonly workflow: string;
  readonly server_url: string;
  readonly api_url: string;
  readonly token: string;
  readonly event: JsonObject;
}

export interface RunnerOptions {
  /** Root of the safe-deploy repository: the workflows, the actions and dist/ come from here. */
  readonly repoRoot: string;
  /** The job's checkout (GITHUB_WORKSPACE, working directory of steps); defaults to repoRoot. */
  readonly workspace?: string;
  /** Run bundles from `<bundleDir>/<action>/index.js` instead of the action.yml `runs.main` (to try unbuilt changes). */
  readonly bundleDir?: string;
  /** Scratch directory for GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, event files and run scripts. */
  readonly tempDir: string;
  readonly github: GithubContext;
  /** Base environment of every step (PATH, HOME, AWS_*, ...). */
  readonly env: Record<string, string>;
  readonly vars?: Record<string, string>;
  /** Variables of GitHub environments (`vars.*` inside a job with `environment:`), by environment name. */
  readonly environmentVars?: Record<string, Record<string, string>>;
  readonly secrets?: Record<string, string>;
  /** Handles `uses:` steps that are not our actions; returning undefined skips the step with a note. */
  readonly plumbing?: PlumbingHandler;
  /** Called when a step starts and when it ends (for a live timeline). */
  readonly onStepStart?: (info: { job: string; label: string; id: string; name: string; uses: string }) => void;
  readonly onStep?: (record: StepRecord) => void;
  /** Label of a job run, shown on its steps (default: the job id and matrix values). */
  readonly labelJob?: (info: { workflow: string; jobId: string; matrix: JsonObject | null; inputs: JsonObject }) => string;
  /** Decides whether a `run:` step executes (default: all do). */
  readonly runStep?: (step: { job: string; id: string; name: string; run: string }) => boolean | string;
}

export interface JobResult {
  readonly id: string;
  readonly result: 'success' | 'failure' | 'skipped' | 'cancelled';
  readonly outputs: Record<string, string>;
}

export interface WorkflowResult {
  readonly result: 'success' | 'failure';
  readonly jobs: Record<string, JobResult>;
  /** `on.workflow_call.outputs`, evaluated. */
  readonly outputs: Record<string, string>;
  readonly steps: StepRecord[];
}

const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'] as const;
const CONTEXTS = ['github', 'env', 'vars', 'secrets', 'inputs', 'steps', 'job', 'jobs', 'needs', 'matrix', 'strategy', 'runner'];

interface EvalState {
  /** Whether an earlier step (or needed job) failed; drives success() and failure(). */
  failed: boolean;
  cancelled: boolean;
}

function toExpressionData(value: unknown): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

function fromExpressionData(value: data.ExpressionData): Json {
  return JSON.parse(JSON.stringify(value, data.replacer)) as Json;
}

/** Evaluates one expression (without `${{ }}`) against the contexts. */
export function evaluateExpression(source: string, contexts: Record<string, unknown>, state: EvalState = { failed: false, cancelled: false }): Json {
  const lexed = new Lexer(source).lex();
  const infos = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
  const expr = new Parser(lexed.tokens, CONTEXTS, [...infos, { name: 'hashFiles', minArgs: 1, maxArgs: 255 }]).parse();
  const functions = new Map<string, FunctionDefinition>(
    [
      ['success', () => !state.failed && !state.cancelled],
      ['failure', () => state.failed],
      ['cancelled', () => state.cancelled],
      ['always', () => true],
    ].map(([name, fn]) => [
      name as string,
      { name: name as string, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData((fn as () => boolean)()) },
    ]),
  );
  functions.set('hashFiles', { name: 'hashFiles', minArgs: 1, maxArgs: 255, call: () => new data.StringData('') });
  const context = toExpressionData(Object.fromEntries(CONTEXTS.map((name) => [name, contexts[name] ?? {}]))) as data.Dictionary;
  return fromExpressionData(new Evaluator(expr, context, functions).evaluate());
}

function isTruthy(value: Json): boolean {
  return truthy(toExpressionData(value));
}

function stringify(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, null, 2);
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;

/** Evaluates a value that may hold `${{ }}` templates. A value that is one whole expression keeps its type. */
export function evaluateTemplate(value: unknown, contexts: Record<string, unknown>, state?: EvalState): Json {
  if (typeof value !== 'string') return (value ?? null) as Json;
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(value);
  if (whole && !whole[1]!.includes('}}')) return evaluateExpression(whole[1]!, contexts, state);
  return value.replace(TEMPLATE, (_m, expr: string) => stringify(evaluateExpression(expr, contexts, state)));
}

function evaluateString(value: unknown, contexts: Record<string, unknown>, state?: EvalState): string {
  return stringify(evaluateTemplate(value, contexts, state));
}

/** Evaluates an `if:`; like the runner, a condition without a status function means `success() && (...)`. */
export function evaluateCondition(condition: unknown, contexts: Record<string, unknown>, state: EvalState): boolean {
  if (condition === undefined || condition === null || condition === '') return !state.failed && !state.cancelled;
  if (typeof condition === 'boolean') return condition && !state.failed && !state.cancelled;
  let source = String(condition).trim();
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(source);
  if (whole) source = whole[1]!.trim();
  if (!/\b(success|failure|cancelled|always)\s*\(/.test(source)) source = `success() && (${source})`;
  return isTruthy(evaluateExpression(source, contexts, state));
}

/** Parses the GITHUB_OUTPUT / GITHUB_ENV file format (`k=v` and `k<<DELIM` heredocs). */
export function parseCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, key, delimiter] = heredoc as unknown as [string, string, string];
      const body: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== delimiter) body.push(lines[i++]!);
      result[key] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}

/**
 * `./actions/x`, `$/actions/x` (the self-repository form: the actions of the commit the workflow
 * comes from) and `owner/safe-deploy/actions/x@ref` → `x`; anything else → undefined.
 */
export function ourActionName(uses: string): string | undefined {
  const local = /^(?:\.|\$)\/actions\/([a-z0-9-]+)\/?$/.exec(uses);
  if (local) return local[1];
  const remote = /^[^/]+\/safe-deploy\/actions\/([a-z0-9-]+)@.+$/.exec(uses);
  return remote ? remote[1] : undefined;
}

/** `./.github/workflows/x.yml` or `owner/safe-deploy/.github/workflows/x.yml@ref` → `.github/workflows/x.yml`. */
export function ourWorkflowPath(uses: string): string | undefined {
  const local = /^(?:\.|\$)\/(\.github\/workflows\/[^@]+\.ya?ml)$/.exec(uses);
  if (local) return local[1];
  const remote = /^[^/]+\/safe-deploy\/(\.github\/workflows\/[^@]+\.ya?ml)@.+$/.exec(uses);
  return remote ? remote[1] : undefined;
}

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

interface ActionMeta {
  readonly main: string;
  readonly inputs: Record<string, { default?: unknown; required?: boolean }>;
}

interface WorkflowStep {
  id?: string;
  name?: string;
  if?: unknown;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  shell?: string;
  'continue-on-error'?: unknown;
  'working-directory'?: string;
  'timeout-minutes'?: unknown;
}

interface WorkflowJob {
  name?: string;
  environment?: unknown;
  needs?: string | string[];
  if?: unknown;
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: unknown;
  env?: Record<string, unknown>;
  steps?: WorkflowStep[];
  outputs?: Record<string, unknown>;
  strategy?: { matrix?: unknown; 'fail-fast'?: unknown; 'max-parallel'?: unknown };
  'continue-on-error'?: unknown;
  defaults?: { run?: { shell?: string; 'working-directory'?: string } };
}

interface WorkflowFile {
  name?: string;
  on?: unknown;
  env?: Record<string, unknown>;
  jobs: Record<string, WorkflowJob>;
}

function onWorkflowCall(workflow: WorkflowFile): { inputs: Record<string, { type?: string; default?: unknown; required?: boolean }>; outputs: Record<string, { value?: unknown }> } {
  const on = workflow.on;
  if (on && typeof on === 'object' && 'workflow_call' in on) {
    const call = (on as Record<string, unknown>).workflow_call as Record<string, unknown> | null;
    return {
      inputs: (call?.inputs ?? {}) as Record<string, { type?: string; default?: unknown; required?: boolean }>,
      outputs: (call?.outputs ?? {}) as Record<string, { value?: unknown }>,
    };
  }
  return { inputs: {}, outputs: {} };
}

function toposort(jobs: Record<string, WorkflowJob>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string, path: string[]) => {
    if (seen.has(id)) return;
    if (path.includes(id)) throw new Error(`jobs ${[...path, id].join(' → ')} form a cycle`);
    const job = jobs[id];
    if (!job) throw new Error(`job ${path.at(-1)} needs ${id}, which does not exist`);
    for (const need of needsOf(job)) visit(need, [...path, id]);
    seen.add(id);
    order.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id, []);
  return order;
}

function needsOf(job: WorkflowJob): string[] {
  if (!job.needs) return [];
  return Array.isArray(job.needs) ? job.needs : [job.needs];
}

export class WorkflowRunner {
  private readonly workflows = new Map<string, WorkflowFile>();
  private readonly actions = new Map<string, ActionMeta>();
  private sequence = 0;

  private readonly workspace: string;

  constructor(private readonly options: RunnerOptions) {
    mkdirSync(options.tempDir, { recursive: true });
    this.workspace = options.workspace ?? options.repoRoot;
    this.github = options.github;
  }

  private github: GithubContext;

  /** Changes the `github` context of later runs (for example the commit and run id of the next release). */
  updateGithub(patch: Partial<GithubContext>): void {
    this.github = { ...this.github, ...patch };
  }

  loadWorkflow(path: string): WorkflowFile {
    let workflow = this.workflows.get(path);
    if (!workflow) {
      const file = join(this.options.repoRoot, path);
      workflow = parseYaml(readFileSync(file, 'utf8')) as WorkflowFile;
      if (!workflow || typeof workflow !== 'object' || !workflow.jobs) throw new Error(`${path}: not a workflow (no jobs)`);
      this.workflows.set(path, workflow);
    }
    return workflow;
  }

  private loadAction(name: string): ActionMeta {
    let meta = this.actions.get(name);
    if (!meta) {
      const dir = join(this.options.repoRoot, 'actions', name);
      const doc = parseYaml(readFileSync(join(dir, 'action.yml'), 'utf8')) as { runs?: { main?: string }; inputs?: ActionMeta['inputs'] };
      if (!doc?.runs?.main) throw new Error(`actions/${name}/action.yml has no runs.main`);
      const main = this.options.bundleDir ? join(this.options.bundleDir, name, 'index.js') : resolve(dir, doc.runs.main);
      meta = { main, inputs: doc.inputs ?? {} };
      this.actions.set(name, meta);
    }
    return meta;
  }

  /**
   * Runs a workflow. For a reusable workflow, `inputs` are the `with:` of the caller; defaults and
   * types come from `on.workflow_call.inputs`. `label` names this run in the step records.
   */
  async runWorkflow(path: string, inputs: Record<string, unknown> = {}, label?: string, chain = ''): Promise<WorkflowResult> {
    const workflow = this.loadWorkflow(path);
    const declared = onWorkflowCall(workflow);
    const resolvedInputs: JsonObject = {};
    const baseContexts = { github: this.githubContext(), vars: this.options.vars ?? {}, secrets: this.options.secrets ?? {} };
    for (const [name, spec] of Object.entries(declared.inputs)) {
      let value: unknown = inputs[name];
      if (value === undefined || value === null) {
        if (spec?.required) throw new Error(`${path}: required input ${name} was not given`);
        value = spec?.default !== undefined ? evaluateTemplate(spec.default, baseContexts) : spec?.type === 'boolean' ? false : spec?.type === 'number' ? 0 : '';
      }
      resolvedInputs[name] = coerceInput(value as Json, spec?.type, `${path}: input ${name}`);
    }
    for (const name of Object.keys(inputs)) {
      if (!(name in declared.inputs) && Object.keys(declared.inputs).length > 0) throw new Error(`${path}: unexpected input ${name}`);
    }
    const workflowEnv: Record<string, string> = {};
    const jobs: Record<string, JobResult> = {};
    const steps: StepRecord[] = [];
    const needsContext: Record<string, { result: string; outputs: Record<string, string> }> = {};
    for (const jobId of toposort(workflow.jobs)) {
      const job = workflow.jobs[jobId]!;
      const needs = needsOf(job);
      const needsCtx = Object.fromEntries(needs.map((n) => [n, needsContext[n]!]));
      const state: EvalState = { failed: needs.some((n) => needsContext[n]!.result === 'failure'), cancelled: false };
      Object.assign(workflowEnv, this.evalEnv(workflow.env, { ...baseContexts, inputs: resolvedInputs }));
      const jobContexts = { ...baseContexts, inputs: resolvedInputs, needs: needsCtx, env: workflowEnv };
      const anySkipped = needs.some((n) => needsContext[n]!.result === 'skipped');
      const runIt = job.if === undefined ? !state.failed && !anySkipped : evaluateCondition(job.if, jobContexts, state);
      if (!runIt) {
        jobs[jobId] = { id: jobId, result: 'skipped', outputs: {} };
        needsContext[jobId] = { result: 'skipped', outputs: {} };
        continue;
      }
      const legs = this.matrixLegs(job, jobContexts);
      let result: JobResult['result'] = 'success';
      const outputs: Record<string, string> = {};
      for (const matrix of legs) {
        const legContexts = { ...jobContexts, matrix: matrix ?? {}, strategy: {} };
        const jobLabel = this.options.labelJob?.({ workflow: path, jobId, matrix, inputs: resolvedInputs }) ?? label ?? `${jobId}${matrix ? ` (${Object.values(matrix).map((v) => stringify(v)).join(', ')})` : ''}`;
        const jobName = `${chain}${jobId}${matrix ? ` (${Object.values(matrix).map((v) => (typeof v === 'object' ? stringify((v as JsonObject)?.id ?? '…') : stringify(v))).join(', ')})` : ''}`;
        let legResult: JobResult;
        if (job.uses) {
          const called = ourWorkflowPath(job.uses);
          if (!called) throw new Error(`${path}: job ${jobId} calls ${job.uses}, which this runner cannot run`);
          const withInputs: Record<string, unknown> = {};
          for (const [key, value] of Object.entries(job.with ?? {})) withInputs[key] = evaluateTemplate(value, legContexts, state);
          const inner = await this.runWorkflow(called, withInputs, jobLabel, `${jobName} / `);
          steps.push(...inner.steps);
          legResult = { id: jobId, result: inner.result, outputs: inner.outputs };
        } else {
          legResult = await this.runJob(path, jobId, jobName, jobLabel, job, legContexts, workflowEnv, steps, state);
        }
        Object.assign(outputs, legResult.outputs);
        if (legResult.result === 'failure') {
          result = 'failure';
          // fail-fast (the default) stops the remaining legs; legs run one at a time here.
          if (job.strategy?.['fail-fast'] !== false) break;
        }
      }
      jobs[jobId] = { id: jobId, result, outputs };
      needsContext[jobId] = { result, outputs };
    }
    const failed = Object.values(jobs).some((j) => j.result === 'failure');
    const outputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(declared.outputs)) {
      outputs[name] = evaluateString(spec?.value, { ...baseContexts, inputs: resolvedInputs, jobs: needsContext });
    }
    return { result: failed ? 'failure' : 'success', jobs, outputs, steps };
  }

  private matrixLegs(job: WorkflowJob, contexts: Record<string, unknown>): (JsonObject | null)[] {
    const matrixSpec = job.strategy?.matrix;
    if (matrixSpec === undefined) return [null];
    const matrix = evaluateTemplate(matrixSpec, contexts) as JsonObject;
    const evaluated: JsonObject = {};
    for (const [key, value] of Object.entries(matrix ?? {})) evaluated[key] = evaluateTemplate(value, contexts);
    const { include, exclude, ...axes } = evaluated;
    let legs: JsonObject[] = [{}];
    for (const [axis, values] of Object.entries(axes)) {
      if (!Array.isArray(values)) throw new Error(`matrix axis ${axis} is not a list`);
      legs = legs.flatMap((leg) => values.map((v) => ({ ...leg, [axis]: v })));
    }
    if (Object.keys(axes).length === 0) legs = [];
    if (Array.isArray(exclude)) {
      legs = legs.filter((leg) => !exclude.some((ex) => Object.entries(ex as JsonObject).every(([k, v]) => JSON.stringify(leg[k]) === JSON.stringify(v))));
    }
    if (Array.isArray(include)) for (const extra of include) legs.push(extra as JsonObject);
    return legs;
  }

  private evalEnv(env: Record<string, unknown> | undefined, contexts: Record<string, unknown>, state?: EvalState): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(env ?? {})) out[key] = evaluateString(value, { ...contexts, env: { ...(contexts.env as object), ...out } }, state);
    return out;
  }

  private githubContext(jobId = ''): JsonObject {
    const g = this.github;
    return {
      repository: g.repository,
      repository_owner: g.repository.split('/')[0] ?? '',
      sha: g.sha,
      ref: g.ref,
      ref_name: g.ref.replace(/^refs\/(heads|tags)\//, ''),
      run_id: g.run_id,
      run_number: g.run_number,
      run_attempt: g.run_attempt,
      actor: g.actor,
      triggering_actor: g.actor,
      event_name: g.event_name,
      workflow: g.workflow,
      server_url: g.server_url,
      api_url: g.api_url,
      token: g.token,
      workspace: this.workspace,
      job: jobId,
      event: g.event,
    };
  }

  private runnerEnv(jobId: string, stepId: string): Record<string, string> {
    const g = this.github;
    const eventPath = join(this.options.tempDir, 'event.json');
    if (!existsSync(eventPath)) writeFileSync(eventPath, JSON.stringify(g.event));
    return {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: this.workspace,
      GITHUB_REPOSITORY: g.repository,
      GITHUB_REPOSITORY_OWNER: g.repository.split('/')[0] ?? '',
      GITHUB_SHA: g.sha,
      GITHUB_REF: g.ref,
      GITHUB_REF_NAME: g.ref.replace(/^refs\/(heads|tags)\//, ''),
      GITHUB_RUN_ID: g.run_id,
      GITHUB_RUN_NUMBER: g.run_number,
      GITHUB_RUN_ATTEMPT: g.run_attempt,
      GITHUB_ACTOR: g.actor,
      GITHUB_TRIGGERING_ACTOR: g.actor,
      GITHUB_EVENT_NAME: g.event_name,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_WORKFLOW: g.workflow,
      GITHUB_JOB: jobId,
      GITHUB_ACTION: stepId,
      GITHUB_SERVER_URL: g.server_url,
      GITHUB_API_URL: g.api_url,
      GITHUB_GRAPHQL_URL: `${g.api_url}/graphql`,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_TEMP: this.options.tempDir,
    };
  }

  private async runJob(
    workflowPath: string,
    jobId: string,
    jobName: string,
    label: string,
    job: WorkflowJob,
    contexts: Record<string, unknown>,
    workflowEnv: Record<string, string>,
    records: StepRecord[],
    state: EvalState,
  ): Promise<JobResult> {
    const jobState: EvalState = { failed: false, cancelled: state.cancelled };
    const githubCtx = this.githubContext(jobId);
    const envSpec = job.environment && typeof job.environment === 'object' ? (job.environment as { name?: unknown }).name : job.environment;
    const environment = envSpec === undefined ? '' : evaluateString(envSpec, contexts, jobState);
    const vars = { ...(contexts.vars as Record<string, string>), ...(this.options.environmentVars?.[environment] ?? {}) };
    const baseCtx = { ...contexts, vars, github: githubCtx, job: { status: 'success' }, runner: { os: 'Linux', arch: 'X64', temp: this.options.tempDir } };
    const jobEnv: Record<string, string> = { ...workflowEnv, ...this.evalEnv(job.env, { ...baseCtx, env: workflowEnv }) };
    const stepsCtx: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
    const addedEnv: Record<string, string> = {};
    for (const [index, step] of (job.steps ?? []).entries()) {
      const id = step.id ?? `#${index + 1}`;
      const env = { ...jobEnv, ...addedEnv };
      const ctx = { ...baseCtx, env, steps: stepsCtx, job: { status: jobState.failed ? 'failure' : 'success' } };
      const name = step.name ? evaluateString(step.name, ctx, jobState) : step.uses ?? (step.run ?? '').split('\n')[0]!.slice(0, 60);
      const uses = step.uses ?? 'run';
      const action = step.uses ? ourActionName(step.uses) : undefined;
      const kind: StepKind = action ? 'action' : step.run !== undefined ? 'run' : 'plumbing';
      const startedAt = Date.now();
      let withInputs: Record<string, string> = {};
      const record = (partial: Partial<StepRecord> & Pick<StepRecord, 'outcome'>): StepRecord => {
        const full: StepRecord = {
          workflow: workflowPath,
          job: jobName,
          label,
          id,
          name,
          kind,
          uses,
          ...(action ? { action } : {}),
          with: withInputs,
          outputs: {},
          summary: '',
          annotations: [],
          startedAt,
          durationMs: Date.now() - startedAt,
          exitCode: null,
          log: '',
          ...partial,
        };
        records.push(full);
        stepsCtx[step.id ?? `__${index}`] = {
          outputs: full.outputs,
          outcome: full.outcome,
          conclusion: full.outcome === 'failure' && isTruthy(evaluateTemplate(step['continue-on-error'] ?? false, ctx, jobState)) ? 'success' : full.outcome,
        };
        this.options.onStep?.(full);
        return full;
      };
      if (!evaluateCondition(step.if, ctx, jobState)) {
        record({ outcome: 'skipped', note: 'condition false' });
        continue;
      }
      this.options.onStepStart?.({ job: jobName, label, id, name, uses });
      let stepEnv: Record<string, string>;
      try {
        stepEnv = { ...env, ...this.evalEnv(step.env, ctx, jobState) };
        for (const [key, value] of Object.entries(step.with ?? {})) withInputs[key] = evaluateString(value, { ...ctx, env: stepEnv }, jobState);
      } catch (error) {
        withInputs = {};
        const done = record({ outcome: 'failure', note: `expression error: ${(error as Error).message}` });
        this.markFailure(done, step, ctx, jobState);
        continue;
      }
      let done: StepRecord;
      let stepAddedEnv: Record<string, string> = {};
      if (action) {
        ({ done, addedEnv: stepAddedEnv } = await this.runAction(action, withInputs, stepEnv, jobId, id, step, ctx, record));
      } else if (step.run !== undefined) {
        const script = evaluateString(step.run, { ...ctx, env: stepEnv }, jobState);
        const decision = this.options.runStep?.({ job: jobName, id, name, run: script }) ?? true;
        if (decision !== true) {
          done = record({ outcome: 'success', note: typeof decision === 'string' ? decision : 'not run locally' });
        } else {
          ({ done, addedEnv: stepAddedEnv } = await this.runShell(script, stepEnv, jobId, id, step, record));
        }
      } else {
        const handled = await this.options.plumbing?.({ environment, uses, with: withInputs, env: stepEnv, id, job: jobName });
        if (handled) {
          Object.assign(addedEnv, handled.env ?? {});
          done = record({ outcome: handled.outcome ?? 'success', outputs: handled.outputs ?? {}, note: handled.note });
        } else {
          done = record({ outcome: 'success', note: 'runner plumbing, skipped locally' });
        }
      }
      Object.assign(addedEnv, stepAddedEnv);
      this.markFailure(done, step, ctx, jobState);
    }
    const outputs: Record<string, string> = {};
    const finalCtx = { ...baseCtx, env: { ...jobEnv, ...addedEnv }, steps: stepsCtx };
    for (const [name, value] of Object.entries(job.outputs ?? {})) outputs[name] = evaluateString(value, finalCtx, jobState);
    const failed = jobState.failed && !isTruthy(evaluateTemplate(job['continue-on-error'] ?? false, finalCtx));
    return { id: jobId, result: failed ? 'failure' : 'success', outputs };
  }

  private markFailure(done: StepRecord, step: WorkflowStep, ctx: Record<string, unknown>, state: EvalState): void {
    if (done.outcome !== 'failure') return;
    const continueOnError = isTruthy(evaluateTemplate(step['continue-on-error'] ?? false, ctx, state));
    if (!continueOnError) state.failed = true;
  }

  private files(stepId: string): { output: string; summary: string; env: string; path: string; state: string; log: string } {
    const n = ++this.sequence;
    const base = join(this.options.tempDir, `step-${String(n).padStart(3, '0')}-${stepId.replace(/[^a-zA-Z0-9-]/g, '_')}`);
    const files = { output: `${base}.output`, summary: `${base}.summary.md`, env: `${base}.env`, path: `${base}.path`, state: `${base}.state`, log: `${base}.log` };
    for (const file of Object.values(files)) writeFileSync(file, '');
    return files;
  }

  private async runAction(
    action: string,
    withInputs: Record<string, string>,
    stepEnv: Record<string, string>,
    jobId: string,
    stepId: string,
    step: WorkflowStep,
    ctx: Record<string, unknown>,
    record: (partial: Partial<StepRecord> & Pick<StepRecord, 'outcome'>) => StepRecord,
  ): Promise<Finished> {
    const meta = this.loadAction(action);
    if (!existsSync(meta.main)) {
      return { done: record({ outcome: 'failure', note: `bundle ${meta.main} does not exist (run npm run build -- ${action})` }), addedEnv: {} };
    }
    const inputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(meta.inputs)) {
      if (!(name in withInputs) && spec?.default !== undefined) inputs[inputEnvName(name)] = evaluateString(spec.default, ctx);
    }
    for (const [name, value] of Object.entries(withInputs)) {
      if (!(name in meta.inputs)) {
        return { done: record({ outcome: 'failure', note: `input ${name} is not declared in actions/${action}/action.yml` }), addedEnv: {} };
      }
      inputs[inputEnvName(name)] = value;
    }
    const files = this.files(stepId);
    const env = {
      ...this.options.env,
      ...this.runnerEnv(jobId, stepId),
      ...stepEnv,
      ...inputs,
      GITHUB_ACTION_PATH: dirname(join(this.options.repoRoot, 'actions', action, 'action.yml')),
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STATE: files.state,
    };
    const timeoutMs = this.timeoutMs(step);
    const result = await spawnLogged(process.execPath, [meta.main], env, this.workspace, timeoutMs);
    return this.finish(result, files, record);
  }

  private async runShell(
    script: string,
    stepEnv: Record<string, string>,
    jobId: string,
    stepId: string,
    step: WorkflowStep,
    record: (partial: Partial<StepRecord> & Pick<StepRecord, 'outcome'>) => StepRecord,
  ): Promise<Finished> {
    const files = this.files(stepId);
    const scriptFile = `${files.output}.sh`;
    writeFileSync(scriptFile, script);
    const env = {
      ...this.options.env,
      ...this.runnerEnv(jobId, stepId),
      ...stepEnv,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STATE: files.state,
    };
    const cwd = step['working-directory'] ? resolve(this.workspace, step['working-directory']) : this.workspace;
    const shell = step.shell ?? 'bash';
    if (shell !== 'bash') return { done: record({ outcome: 'failure', note: `shell ${shell} is not supported locally` }), addedEnv: {} };
    const result = await spawnLogged('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], env, cwd, this.timeoutMs(step));
    return this.finish(result, files, record);
  }

  private timeoutMs(step: WorkflowStep): number | undefined {
    const minutes = Number(step['timeout-minutes']);
    return Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : undefined;
  }

  private finish(
    result: SpawnResult,
    files: { output: string; summary: string; env: string; log: string },
    record: (partial: Partial<StepRecord> & Pick<StepRecord, 'outcome'>) => StepRecord,
  ): Finished {
    writeFileSync(files.log, result.log);
    const outputs = parseCommandFile(readFileSync(files.output, 'utf8'));
    const addedEnv = parseCommandFile(readFileSync(files.env, 'utf8'));
    const summary = readFileSync(files.summary, 'utf8');
    const annotations = [...result.log.matchAll(/^::(error|warning)[^:]*::(.*)$/gm)].map((m) => `${m[1]}: ${decodeCommand(m[2]!)}`);
    const outcome: StepOutcome = result.code === 0 ? 'success' : 'failure';
    const done = record({
      outcome,
      outputs,
      summary,
      annotations,
      exitCode: result.code,
      log: result.log.slice(-20_000),
      ...(result.timedOut ? { note: 'timed out' } : {}),
    });
    return { done, addedEnv };
  }
}

interface Finished {
  readonly done: StepRecord;
  /** Variables the step wrote to GITHUB_ENV. */
  readonly addedEnv: Record<string, string>;
}

function decodeCommand(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function coerceInput(value: Json, type: string | undefined, what: string): Json {
  if (type === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw new Error(`${what}: expected a boolean, got ${JSON.stringify(value)}`);
  }
  if (type === 'number') {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) throw new Error(`${what}: expected a number, got ${JSON.stringify(value)}`);
    return n;
  }
  return typeof value === 'string' ? value : stringify(value);
}

interface SpawnResult {
  readonly code: number | null;
  readonly log: string;
  readonly timedOut: boolean;
}

function spawnLogged(command: string, args: string[], env: Record<string, string>, cwd: string, timeoutMs?: number): Promise<SpawnResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const append = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.length > 200_000) log = log.slice(-100_000);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    let timedOut = false;
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGTERM');
        }, timeoutMs)
      : undefined;
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code: 127, log: `${log}\n${error.message}`, timedOut });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code, log, timedOut });
    });
  });
}

/** A fresh id for GITHUB_RUN_ID-like values. */
export function runId(): string {
  return String(Date.now()).slice(-10) + String(Math.floor(Math.random() * 100)).padStart(2, '0');
}
