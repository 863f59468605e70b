// A small local runner for this repository's workflows, used by the demo, the campaign and tests.
//
// It reads a workflow file and executes its jobs the way GitHub and its runner would, for the parts
// safe-deploy relies on:
// - runs: `start()` returns a handle (`result`, `cancel()`), several runs may be in flight at once;
//   `runWorkflow()` starts one and waits. `dispatch()` fires `workflow_dispatch` (inputs checked and
//   typed as GitHub does), `schedule()` fires `schedule` at a given UTC minute (the cron must match);
// - jobs start when their `needs` are done (independent jobs run side by side), the legs of a
//   `strategy.matrix` side by side too (at most `max-parallel`; `fail-fast` cancels the legs in
//   progress and the queued ones when one fails; outputs of the last leg to finish win); reusable
//   workflows are called with `uses: ./.github/workflows/x.yml` (inputs, defaults, outputs). A
//   job's default `if` is `success()`, false when a need failed, was skipped or cancelled;
//   `failure()` covers every ancestor;
// - every job gets a fresh, empty workspace (GITHUB_WORKSPACE) and RUNNER_TEMP. `actions/checkout`
//   copies the checkout (`workspace`, default the repository root without .git and node_modules)
//   into it; `actions/upload-artifact` / `download-artifact` go through the run's own artifact
//   store (an existing name fails the upload unless `overwrite`, as v4 does). Nothing else crosses
//   jobs. download-artifact with `github-token` reads the store of `run-id` (another run of this
//   runner; an unknown id fails naming it); without a token it ignores `run-id`, as v4 and later do.
//   Artifacts outlive their run, for the runner's lifetime;
// - the run registry: `runs` lists every run created (start, dispatch, schedule, a step's
//   `gh workflow run`) with its commit, ref, event, status (queued while pending in its group,
//   in_progress, completed) and conclusion; `onRun` hands over each run's handle as it is created.
//   `jobs` (and `onJob`) records each job that got a runner (matrix legs, called workflows' jobs;
//   not the calling job, nor skipped, replaced or never-started ones) with its start, end and result;
// - GitHub's API and gh: `startGithubApi()` serves a small REST API on 127.0.0.1 over the registry,
//   the runs' commits and artifacts, and dispatches, and puts a `gh` shim first on every step's PATH
//   (`gh api` GET, `gh workflow run` of the files `workflowFiles` maps; workflow-github.ts);
// - concurrency groups, workflow- and job-level: one running per group, one pending (a newer
//   arrival replaces it, the replaced one is cancelled without starting), `queue: max` keeps every
//   pending one in order, `cancel-in-progress` cancels the running one (workflow-concurrency.ts);
// - cancellation (`WorkflowRun.cancel()`, or `cancel-in-progress`): `cancelled()` becomes true, each
//   running job's `if` is re-evaluated (a job whose `if` still holds is not cancelled, and its
//   result comes from its steps); in every running job the running step gets SIGINT, SIGTERM 7.5 s
//   later and its process tree is killed 2.5 s after that (real seconds; `cancelSignals` to change
//   them), unless its own `if` still holds (`always()`, `cancelled()`); later steps run only when
//   their `if` holds; every job is cut (its step killed, no further step) 5 minutes after the cancel;
// - job `timeout-minutes` (default 360, the hosted cap) cancels the job the same way and fails it;
//   a step's `timeout-minutes` cancels the step the same way;
// - runner loss: `loseRunner({ job, label, step, afterMs })` arms a one-shot loss: `afterMs` after
//   the matching step starts, its process tree gets SIGKILL and the job ends with no further step
//   at all (no `always()` / `failure() || cancelled()` step, no outputs), like a lost runner;
// - time: `timeScale` GitHub seconds per local second (1 by default; the realistic AWS uses 60)
//   scales job and step timeouts and the 5-minute cancel cut-off (never shorter than the signal
//   sequence, so a cancelled step always sees SIGINT, SIGTERM and the kill); the signal delays stay
//   in real seconds by default;
// - steps that use one of our actions (`./actions/<name>`, `$/actions/<name>` or
//   `<owner>/safe-deploy/actions/<name>@<ref>`) run as `node dist/<name>/index.js`, resolved through
//   the action.yml `runs.main` exactly like the runner: `INPUT_*` variables (with the action.yml
//   defaults), `GITHUB_OUTPUT`, `GITHUB_ENV`, `GITHUB_STEP_SUMMARY` files and the usual `GITHUB_*`
//   and `RUNNER_*` variables, which `env:` cannot override (GitHub ignores such assignments);
// - `run:` steps: without `shell:` (or `defaults.run.shell`) `bash -e {0}` (no pipefail, as on
//   GitHub); `shell: bash` is `bash --noprofile --norc -eo pipefail {0}`; `sh` and `<cmd> ... {0}`
//   templates too. A GITHUB_OUTPUT / GITHUB_ENV heredoc without its closing delimiter fails the step;
// - `env:` maps: a key sees the enclosing levels' variables, never its siblings;
// - environments: `vars` are the repository's `vars` with the job's environment's variables on top
//   (`environmentVars`); a job naming an unknown environment gets no extra variables, as GitHub
//   would create it empty. Protection rules, wait timers, reviewers and deployment records are
//   NOT modelled: a job with an environment starts at once;
// - `${{ }}` expressions and `if:` conditions are evaluated with @actions/expressions (GitHub's own
//   evaluator), with `success()`, `failure()`, `cancelled()` and `always()` (workflow-expressions.ts);
// - any other `uses:` step (configure-aws-credentials, setup-node, create-github-app-token) is runner
//   plumbing: the caller handles it (for example by assuming a role in the emulator) or it is
//   skipped with a note.
// - secrets: the runner's `secrets` (and GITHUB_TOKEN) in the top-level workflow; a called workflow sees
//   only what its caller passes (`secrets:` mapping, or all with `secrets: inherit`).
// Not modelled: permissions (also in the local API), environment-level secrets, masked job outputs, `hashFiles()` (''),
// the runner image's Node version (bundles run on process.execPath).
// Everything that happens is reported as StepRecords, so a caller can print a timeline and prove
// that what ran is what the workflow file says.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConcurrencyGroups, concurrencySpec, type ConcurrencyEvent, type Lease, type Ticket } from './workflow-concurrency.js';
import {
  evaluateCondition,
  evaluateString,
  evaluateTemplate,
  isTruthy,
  parseCommandFile,
  stringify,
  type EvalState,
  type Json,
  type JsonObject,
} from './workflow-expressions.js';
import { GITHUB_CANCEL_SIGNALS, StepProcess, type CancelSignals, type SpawnResult } from './workflow-process.js';
import { dispatchInputs, eventsOf, firingCrons } from './workflow-triggers.js';
import { GITHUB_API_ENV, GithubApiError, startGithubApi, type GithubApi } from './workflow-github.js';

export { evaluateCondition, evaluateExpression, evaluateTemplate, parseCommandFile } from './workflow-expressions.js';
export { cronMatches } from './workflow-triggers.js';
export { GITHUB_CANCEL_SIGNALS, type CancelSignals } from './workflow-process.js';
export type { ConcurrencyEvent } from './workflow-concurrency.js';
export { GITHUB_API_ENV } from './workflow-github.js';

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
  /** Signals the runner sent to the step's process, in order (cancel, timeout, runner loss). */
  readonly signals: readonly string[];
  /** Combined stdout and stderr (last 20k characters). */
  readonly log: string;
  /** The job's own workspace (GITHUB_WORKSPACE of this job). */
  readonly workspace: string;
  /** GitHub's run id of the run the step belongs to. */
  readonly runId: string;
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
  /** The job's workspace. */
  readonly workspace: string;
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
  /** What `actions/checkout` puts into each job's fresh workspace; defaults to repoRoot (without .git and node_modules). */
  readonly workspace?: string;
  /** Run bundles from `<bundleDir>/<action>/index.js` instead of the action.yml `runs.main` (to try unbuilt changes). */
  readonly bundleDir?: string;
  /** Scratch directory: per run its artifacts and event file, per job its workspace, RUNNER_TEMP and step files. */
  readonly tempDir: string;
  readonly github: GithubContext;
  /** Base environment of every step (PATH, HOME, AWS_*, ...). */
  readonly env: Record<string, string>;
  readonly vars?: Record<string, string>;
  /** Variables of GitHub environments (`vars.*` inside a job with `environment:`), by environment name. */
  readonly environmentVars?: Record<string, Record<string, string>>;
  readonly secrets?: Record<string, string>;
  /** Handles `uses:` steps that are not our actions nor checkout/artifacts; returning undefined skips the step with a note. */
  readonly plumbing?: PlumbingHandler;
  /** Called when a step starts and when it ends (for a live timeline). */
  readonly onStepStart?: (info: { job: string; label: string; id: string; name: string; uses: string }) => void;
  readonly onStep?: (record: StepRecord) => void;
  /** Label of a job run, shown on its steps (default: the job id and matrix values). */
  readonly labelJob?: (info: { workflow: string; jobId: string; matrix: JsonObject | null; inputs: JsonObject }) => string;
  /** Decides whether a `run:` step executes (default: all do). */
  readonly runStep?: (step: { job: string; id: string; name: string; run: string }) => boolean | string;
  /** GitHub seconds per local second for timeouts and the cancel cut-off (default 1). */
  readonly timeScale?: number;
  /** Delays of the cancel signals, in local ms (default GitHub's: SIGTERM 7.5 s after SIGINT, the kill 2.5 s later). */
  readonly cancelSignals?: CancelSignals;
  /** Called when any run is created (start, dispatch, schedule, or a `gh workflow run` of a step), before its jobs start. */
  readonly onRun?: (run: { runId: string; workflow: string; event: string; handle: WorkflowRun }) => void;
  /** Called when a job (one matrix leg, one job of a called workflow) has run; see JobRecord. */
  readonly onJob?: (record: JobRecord) => void;
  /**
   * Workflow files as GitHub knows them (the file name under .github/workflows of the service's
   * repository, e.g. `deploy.yml`) → their path under repoRoot (e.g. `workflows-templates/deploy.yml`):
   * what `gh workflow run <file>` and the local API's dispatch endpoint start, and the `path` the API
   * shows for their runs.
   */
  readonly workflowFiles?: Record<string, string>;
}

export type RunStatus = 'queued' | 'in_progress' | 'completed';
export type RunConclusion = 'success' | 'failure' | 'cancelled';

/**
 * One workflow run the runner created, as GitHub lists it (a called workflow is part of its caller's
 * run). The record is live: status, conclusion and updatedAt change as the run goes.
 */
export interface RunRecord {
  readonly runId: string;
  /** Workflow file under repoRoot. */
  readonly workflow: string;
  /** The workflow's `name:` (its path when it has none), as GitHub shows it. */
  readonly name: string;
  /** `github.event_name` of the run: push, workflow_dispatch, schedule, ... */
  readonly event: string;
  readonly headSha: string;
  /** `github.ref`, e.g. `refs/heads/main`. */
  readonly ref: string;
  readonly runNumber: string;
  readonly runAttempt: string;
  readonly label?: string;
  /** `queued` while it waits in its workflow-level concurrency group. */
  readonly status: RunStatus;
  /** Set once completed: a run replaced while pending, or cancelled, is `cancelled`. */
  readonly conclusion: RunConclusion | null;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * One job that ran on a runner: each matrix leg, each job of a called workflow (the calling job
 * itself has no record of its own: its time is its called jobs'). Jobs that never got a runner are
 * left out: skipped (`if` false), replaced or withdrawn while pending in a concurrency group,
 * matrix legs fail-fast cancelled before they started. Their sum is the runner time of a release.
 */
export interface JobRecord {
  readonly runId: string;
  /** Workflow file the job is in (the called workflow for a called job). */
  readonly workflow: string;
  readonly jobId: string;
  /** As StepRecord.job: the matrix leg and the caller chain, e.g. `deploy (prod-1) / wave-01 / deploy`. */
  readonly job: string;
  /** As StepRecord.label (labelJob's, when given). */
  readonly label: string;
  readonly matrix: JsonObject | null;
  /** The inputs of the workflow the job is in (a called workflow's `with:`, resolved). */
  readonly inputs: JsonObject;
  /** Epoch ms: when the job got its runner (after its concurrency group), and when it ended. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly result: JobResult['result'];
  readonly note?: string;
}

export interface JobResult {
  readonly id: string;
  readonly result: 'success' | 'failure' | 'skipped' | 'cancelled';
  readonly outputs: Record<string, string>;
  /** Why a job ended early: `runner lost`, `timed out after N minutes`, `cancelled: ...`. */
  readonly note?: string;
}

export interface WorkflowResult {
  readonly result: 'success' | 'failure' | 'cancelled';
  readonly jobs: Record<string, JobResult>;
  /** `on.workflow_call.outputs`, evaluated. */
  readonly outputs: Record<string, string>;
  readonly steps: StepRecord[];
  readonly runId: string;
}

export interface StartOptions {
  /** `with:` of a call, or (for `dispatch`) the dispatch inputs. */
  readonly inputs?: Record<string, unknown>;
  /** Names this run in the step records. */
  readonly label?: string;
  /** This run's `github` context on top of the runner's (commit, run id, event, ...). */
  readonly github?: Partial<GithubContext>;
}

export interface WorkflowRun {
  readonly runId: string;
  readonly result: Promise<WorkflowResult>;
  /** Cancels the run, as the Cancel button does. */
  cancel(): void;
}

/** A lost runner: which step's runner goes away, and how long after the step started. */
export interface RunnerLoss {
  /** Job name as in StepRecord.job (e.g. `wave-05 / deploy`). */
  readonly job?: string;
  /** Job label as in StepRecord.label (e.g. `prod/prod-onebox`). */
  readonly label?: string;
  /** Step id (e.g. `bake`). */
  readonly step?: string;
  /** Only in this run. */
  readonly runId?: string;
  readonly afterMs?: number;
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

interface RunDefaults {
  run?: { shell?: string; 'working-directory'?: string };
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
  concurrency?: unknown;
  'timeout-minutes'?: unknown;
  'continue-on-error'?: unknown;
  defaults?: RunDefaults;
}

interface WorkflowFile {
  name?: string;
  on?: unknown;
  env?: Record<string, unknown>;
  concurrency?: unknown;
  defaults?: RunDefaults;
  jobs: Record<string, WorkflowJob>;
}

function onWorkflowCall(workflow: WorkflowFile): { inputs: Record<string, { type?: string; default?: unknown; required?: boolean }>; outputs: Record<string, { value?: unknown }> } {
  const call = eventsOf(workflow.on).workflow_call as Record<string, unknown> | null | undefined;
  if (call === undefined) return { inputs: {}, outputs: {} };
  return {
    inputs: (call?.inputs ?? {}) as Record<string, { type?: string; default?: unknown; required?: boolean }>,
    outputs: (call?.outputs ?? {}) as Record<string, { value?: unknown }>,
  };
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

type MutableRunRecord = { -readonly [K in keyof RunRecord]: RunRecord[K] };

function needsOf(job: WorkflowJob): string[] {
  if (!job.needs) return [];
  return Array.isArray(job.needs) ? job.needs : [job.needs];
}

const safeName = (text: string) => text.replace(/[^a-zA-Z0-9-]+/g, '_').slice(0, 60);

/** One workflow run: its cancellation, its jobs, its artifacts. Called workflows share their caller's run. */
class RunState {
  cancelled = false;
  readonly jobs = new Set<JobControl>();
  readonly tickets = new Set<Ticket>();
  readonly dir: string;
  readonly artifacts: string;
  readonly eventPath: string;
  private jobCount = 0;

  constructor(
    readonly github: GithubContext,
    tempDir: string,
    sequence: number,
  ) {
    this.dir = join(tempDir, `run-${String(sequence).padStart(3, '0')}-${safeName(github.run_id)}`);
    this.artifacts = join(this.dir, 'artifacts');
    mkdirSync(this.artifacts, { recursive: true });
    this.eventPath = join(this.dir, 'event.json');
    writeFileSync(this.eventPath, JSON.stringify(github.event));
  }

  /** A fresh directory for one job: workspace, RUNNER_TEMP and the step files. */
  jobDir(jobName: string): { workspace: string; temp: string; files: string } {
    const dir = join(this.dir, `job-${String(++this.jobCount).padStart(3, '0')}-${safeName(jobName)}`);
    const dirs = { workspace: join(dir, 'workspace'), temp: join(dir, 'temp'), files: join(dir, 'files') };
    for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
    return dirs;
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const ticket of this.tickets) ticket.withdraw();
    for (const job of this.jobs) job.runCancelled();
  }
}

/** The runner's hold on one running job: cancel, timeout, cut-off and runner loss. */
class JobControl {
  cancelled = false;
  /** Cancelled with the run, but its own `if` still held: the job's result comes from its steps. */
  survived = false;
  cancelReason = '';
  timedOut = false;
  lost = false;
  /** No further step may start (lost runner, or the cut-off after a cancel). */
  ended = false;
  current: StepProcess | null = null;
  /** Whether the running step's `if` still holds with `cancelled()` true. */
  currentSurvives: () => boolean = () => false;
  /** Whether the job's `if` still holds with `cancelled()` true (re-evaluated on a run cancel). */
  stillRuns: () => boolean = () => false;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly signals: CancelSignals,
    private readonly cutoffMs: number,
  ) {}

  /**
   * The run was cancelled: a job whose `if` still holds keeps running, yet its steps are
   * re-evaluated with `cancelled()` true like those of a cancelled job, and the cut-off applies.
   */
  runCancelled(): void {
    this.survived = this.stillRuns();
    this.cancel('the run was cancelled');
  }

  cancel(reason: string): void {
    if (this.cancelled || this.ended) return;
    this.cancelled = true;
    this.cancelReason = reason;
    this.timers.push(
      setTimeout(() => {
        this.ended = true;
        this.current?.killTree();
      }, this.cutoffMs),
    );
    if (this.current && !this.currentSurvives()) this.current.cancel(this.signals);
  }

  timeoutAfter(ms: number, minutes: number): void {
    this.timers.push(
      setTimeout(() => {
        this.timedOut = true;
        this.cancel(`timed out after ${minutes} minutes`);
      }, ms),
    );
  }

  lose(): void {
    this.lost = true;
    this.ended = true;
    this.current?.killTree();
  }

  /** Starts a step process under this job: a step started after the cancel runs only because its `if` holds. */
  track(proc: StepProcess): void {
    this.current = proc;
    if (this.ended) proc.killTree();
  }

  later(ms: number, fn: () => void): void {
    this.timers.push(setTimeout(fn, ms));
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }
}

interface JobEnvironment {
  readonly run: RunState;
  readonly control: JobControl;
  readonly workspace: string;
  readonly temp: string;
  readonly files: string;
  readonly jobId: string;
  readonly defaults: RunDefaults['run'];
}

export class WorkflowRunner {
  private readonly workflows = new Map<string, WorkflowFile>();
  private readonly actions = new Map<string, ActionMeta>();
  private readonly losses: RunnerLoss[] = [];
  private runSequence = 0;
  private stepSequence = 0;
  private github: GithubContext;
  private readonly runRecords: MutableRunRecord[] = [];
  private readonly jobRecords: JobRecord[] = [];
  /** Each run id's state (its artifact store): artifacts outlive their run, within this runner. */
  private readonly runStates = new Map<string, RunState>();
  private githubApi: GithubApi | null = null;
  private lastRunId = 0;
  /** Every concurrency group decision, in order (for tests and timelines). */
  readonly concurrency = new ConcurrencyGroups();

  constructor(private readonly options: RunnerOptions) {
    mkdirSync(options.tempDir, { recursive: true });
    this.github = options.github;
  }

  get concurrencyEvents(): readonly ConcurrencyEvent[] {
    return this.concurrency.events;
  }

  /** Every run this runner created, oldest first (live records: see RunRecord). */
  get runs(): readonly RunRecord[] {
    return this.runRecords;
  }

  /** Every job that ran, in the order they ended (see JobRecord). */
  get jobs(): readonly JobRecord[] {
    return this.jobRecords;
  }

  /** The runner's current `github` context (what the next run gets unless it says otherwise). */
  get githubDefaults(): GithubContext {
    return this.github;
  }

  /** Changes the `github` context of later runs (for example the commit and run id of the next release). */
  updateGithub(patch: Partial<GithubContext>): void {
    this.github = { ...this.github, ...patch };
  }

  /**
   * Serves the local GitHub API on 127.0.0.1 (workflow-github.ts) over this runner's runs, commits and
   * artifacts. From then on every step finds the `gh` shim first on its PATH and the API's URL in
   * SAFE_DEPLOY_GITHUB_API_URL; `gh workflow run` dispatches through `dispatch()` (see `workflowFiles`).
   */
  async startGithubApi(): Promise<{ url: string; stop: () => Promise<void> }> {
    if (this.githubApi) throw new Error('the local GitHub API is already running');
    const files = this.options.workflowFiles ?? {};
    const api = await startGithubApi(
      {
        repository: this.github.repository,
        serverUrl: this.github.server_url,
        runs: this.runRecords,
        head: () => ({ sha: this.github.sha, ref: this.github.ref }),
        tokens: () => new Set([this.github.token, ...[...this.runStates.values()].map((r) => r.github.token)]),
        artifactsOf: (id) => this.artifactsOf(id),
        githubPath: (workflow) => {
          const name = Object.keys(files).find((file) => files[file] === workflow);
          return name ? `.github/workflows/${name}` : workflow;
        },
        dispatch: (file, ref, inputs) => this.dispatchFile(file, ref, inputs),
      },
      join(this.options.tempDir, 'github-api'),
    );
    this.githubApi = api;
    return {
      url: api.url,
      stop: async () => {
        if (this.githubApi === api) this.githubApi = null;
        await api.stop();
      },
    };
  }

  /** `gh workflow run <file> --ref REF`: a workflow_dispatch of the mapped file, at the head of REF, with a fresh run id. */
  private dispatchFile(file: string, ref: string | undefined, inputs: Record<string, string>): void {
    const path = this.options.workflowFiles?.[file];
    if (!path) throw new GithubApiError(404, 'Not Found');
    const fullRef = ref === undefined ? this.github.ref : ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
    const head = this.github.ref === fullRef ? this.github.sha : [...this.runRecords].reverse().find((r) => r.ref === fullRef)?.headSha;
    if (!head) throw new GithubApiError(422, `No ref found for: ${ref}`);
    const reserved = this.lastRunId;
    const run_id = this.newRunId();
    const run_number = String(this.runRecords.filter((r) => r.workflow === path).length + 1);
    let handle: WorkflowRun;
    try {
      handle = this.dispatch(path, inputs, { ref: fullRef, sha: head, run_id, run_number, run_attempt: '1' });
    } catch (error) {
      // GitHub refused the dispatch: no run, no run id used.
      this.lastRunId = reserved;
      throw new GithubApiError(422, (error as Error).message);
    }
    // Nobody awaits a run a step dispatched, unless through onRun: its failure is in the registry.
    handle.result.catch(() => undefined);
  }

  /**
   * A run id no run of this runner has had nor will get from it again: one above every numeric id so
   * far (GitHub's ids only grow). Runs a step dispatches get theirs here; a caller that picks run ids
   * itself can take them here too, so they never collide with those.
   */
  newRunId(): string {
    const ids = [this.github.run_id, ...this.runRecords.map((r) => r.runId)].filter((id) => /^\d+$/.test(id)).map(Number);
    this.lastRunId = Math.max(this.lastRunId, ...ids) + 1;
    return String(this.lastRunId);
  }

  /** PATH with the gh shim first, and the API's URL, for a step while the local GitHub API runs. */
  private githubApiEnv(env: Record<string, string>): Record<string, string> {
    if (!this.githubApi) return {};
    return { PATH: `${this.githubApi.shimDir}:${env.PATH ?? ''}`, [GITHUB_API_ENV]: this.githubApi.url };
  }

  /** Arms a runner loss (one-shot): see RunnerLoss and the file's header. */
  loseRunner(loss: RunnerLoss): void {
    this.losses.push(loss);
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

  private get scale(): number {
    const s = this.options.timeScale ?? 1;
    if (!(s > 0)) throw new Error(`timeScale must be positive, not ${s}`);
    return s;
  }

  private get signals(): CancelSignals {
    return this.options.cancelSignals ?? GITHUB_CANCEL_SIGNALS;
  }

  /** Local ms of GitHub minutes. */
  private minutesMs(minutes: number): number {
    return (minutes * 60_000) / this.scale;
  }

  /**
   * Runs a workflow and waits for it. For a reusable workflow, `inputs` are the `with:` of the
   * caller; defaults and types come from `on.workflow_call.inputs`. `label` names this run in the
   * step records.
   */
  async runWorkflow(path: string, inputs: Record<string, unknown> = {}, label?: string): Promise<WorkflowResult> {
    return this.start(path, { inputs, ...(label !== undefined ? { label } : {}) }).result;
  }

  /** Starts a run (called with `inputs`, or as the runner's current event) and returns its handle. */
  start(path: string, options: StartOptions = {}): WorkflowRun {
    return this.begin(path, options, (workflow, github) => this.callInputs(path, workflow, options.inputs ?? {}, github));
  }

  /** Fires `workflow_dispatch`: inputs are checked against `on.workflow_dispatch.inputs` before any run exists. */
  dispatch(path: string, inputs: Record<string, unknown> = {}, github: Partial<GithubContext> = {}): WorkflowRun {
    const workflow = this.loadWorkflow(path);
    const environments = this.options.environmentVars ? Object.keys(this.options.environmentVars) : null;
    const checked = dispatchInputs(workflow.on, inputs, path, environments);
    const base = { ...this.github, ...github };
    const event = { ...base.event, inputs: checked.event, ref: base.ref, workflow: path };
    return this.begin(path, { github: { ...github, event_name: 'workflow_dispatch', event } }, () => checked.inputs);
  }

  /** Fires `schedule` at `at` (UTC minute): one run per cron line of `on.schedule` that fires then. */
  schedule(path: string, at: Date, github: Partial<GithubContext> = {}): WorkflowRun[] {
    const workflow = this.loadWorkflow(path);
    return firingCrons(workflow.on, at, path).map((cron) =>
      // A scheduled run has an empty `inputs` context (no dispatch defaults).
      this.begin(path, { github: { ...github, event_name: 'schedule', event: { schedule: cron } } }, () => ({})),
    );
  }

  private callInputs(path: string, workflow: WorkflowFile, inputs: Record<string, unknown>, github: GithubContext = this.github): JsonObject {
    const declared = onWorkflowCall(workflow);
    const resolvedInputs: JsonObject = {};
    const baseContexts = { github: this.githubContext(github, ''), vars: this.options.vars ?? {}, secrets: this.options.secrets ?? {} };
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
    return resolvedInputs;
  }

  private begin(path: string, options: StartOptions, inputsOf: (workflow: WorkflowFile, github: GithubContext) => JsonObject): WorkflowRun {
    const github: GithubContext = { ...this.github, ...options.github };
    const workflow = this.loadWorkflow(path);
    const inputs = inputsOf(workflow, github);
    const run = new RunState(github, this.options.tempDir, ++this.runSequence);
    this.runStates.set(github.run_id, run);
    const now = Date.now();
    const record: MutableRunRecord = {
      runId: github.run_id,
      workflow: path,
      name: typeof workflow.name === 'string' && workflow.name ? workflow.name : path,
      event: github.event_name,
      headSha: github.sha,
      ref: github.ref,
      runNumber: github.run_number,
      runAttempt: github.run_attempt,
      ...(options.label !== undefined ? { label: options.label } : {}),
      status: 'queued',
      conclusion: null,
      createdAt: now,
      updatedAt: now,
    };
    this.runRecords.push(record);
    const update = (status: RunStatus, conclusion: RunConclusion | null = null) => Object.assign(record, { status, conclusion, updatedAt: Date.now() });
    const execution = (async (): Promise<WorkflowResult> => {
      const contexts = { github: this.githubContext(github, ''), inputs, vars: this.options.vars ?? {} };
      const spec = concurrencySpec(evaluateDeep(workflow.concurrency ?? null, contexts), `${path}: concurrency`);
      let lease: Lease | null = null;
      if (spec) {
        const ticket = this.concurrency.enter(spec, { name: `run ${github.run_id}`, cancel: () => run.cancel() });
        run.tickets.add(ticket);
        lease = await ticket.lease;
        run.tickets.delete(ticket);
        if (!lease) return { result: 'cancelled', jobs: {}, outputs: {}, steps: [], runId: github.run_id };
      }
      update('in_progress');
      try {
        return await this.execute(path, workflow, inputs, options.label, '', run, this.options.secrets ?? {});
      } finally {
        lease?.release();
      }
    })();
    const result = execution.then(
      (done) => {
        update('completed', done.result);
        return done;
      },
      (error: unknown) => {
        update('completed', 'failure');
        throw error;
      },
    );
    const handle: WorkflowRun = { runId: github.run_id, result, cancel: () => run.cancel() };
    this.options.onRun?.({ runId: github.run_id, workflow: path, event: github.event_name, handle });
    return handle;
  }

  private recordJob(record: JobRecord): void {
    this.jobRecords.push(record);
    this.options.onJob?.(record);
  }

  private async execute(path: string, workflow: WorkflowFile, resolvedInputs: JsonObject, label: string | undefined, chain: string, run: RunState, secrets: Record<string, string>): Promise<WorkflowResult> {
    const declared = onWorkflowCall(workflow);
    const baseContexts = { github: this.githubContext(run.github, ''), vars: this.options.vars ?? {}, secrets: { GITHUB_TOKEN: run.github.token, ...secrets } };
    const workflowEnv = this.evalEnv(workflow.env, { ...baseContexts, inputs: resolvedInputs });
    const jobs: Record<string, JobResult> = {};
    const steps: StepRecord[] = [];
    const needsContext: Record<string, { result: string; outputs: Record<string, string> }> = {};
    const ancestors = (id: string): string[] => needsOf(workflow.jobs[id]!).flatMap((n) => [n, ...ancestors(n)]);
    const finished = new Map<string, Promise<void>>();
    const runOne = async (jobId: string): Promise<void> => {
      const job = workflow.jobs[jobId]!;
      const needs = needsOf(job);
      await Promise.all(needs.map((n) => finished.get(n)));
      const needsCtx = Object.fromEntries(needs.map((n) => [n, needsContext[n]!]));
      const state: EvalState = {
        failed: ancestors(jobId).some((n) => needsContext[n]?.result === 'failure'),
        cancelled: run.cancelled,
        needNotSucceeded: needs.some((n) => needsContext[n]!.result !== 'success'),
      };
      const jobContexts = { ...baseContexts, inputs: resolvedInputs, needs: needsCtx, env: workflowEnv };
      const settle = (result: JobResult) => {
        jobs[jobId] = result;
        needsContext[jobId] = { result: result.result, outputs: result.outputs };
      };
      if (!evaluateCondition(job.if, jobContexts, state)) {
        settle({ id: jobId, result: run.cancelled ? 'cancelled' : 'skipped', outputs: {} });
        return;
      }
      const stillRuns = () => evaluateCondition(job.if, jobContexts, { ...state, cancelled: true });
      const legs = this.matrixLegs(job, jobContexts);
      const failFast = job.strategy?.matrix !== undefined && isTruthy(evaluateTemplate(job.strategy?.['fail-fast'] ?? true, jobContexts));
      const maxParallel = Math.max(1, Number(evaluateTemplate(job.strategy?.['max-parallel'] ?? legs.length, jobContexts)) || legs.length);
      let result: JobResult['result'] = 'success';
      let note: string | undefined;
      const outputs: Record<string, string> = {};
      const running = new Set<JobControl>();
      let failedFast = false;
      const runLeg = async (index: number, matrix: JsonObject | null): Promise<void> => {
        const jobName = `${chain}${jobId}${matrix ? ` (${Object.values(matrix).map((v) => (typeof v === 'object' ? stringify((v as JsonObject)?.id ?? '…') : stringify(v))).join(', ')})` : ''}`;
        let legResult: JobResult;
        if (failedFast) {
          legResult = { id: jobId, result: 'cancelled', outputs: {}, note: 'cancelled by fail-fast: another matrix leg failed' };
        } else {
          const strategy = { 'fail-fast': failFast, 'job-index': index, 'job-total': legs.length, 'max-parallel': maxParallel };
          const legContexts = { ...jobContexts, matrix: matrix ?? {}, strategy };
          const jobLabel = this.options.labelJob?.({ workflow: path, jobId, matrix, inputs: resolvedInputs }) ?? label ?? `${jobId}${matrix ? ` (${Object.values(matrix).map((v) => stringify(v)).join(', ')})` : ''}`;
          legResult = await this.inGroup(job, legContexts, run, jobName, stillRuns, async (control) => {
            running.add(control);
            try {
              if (job.uses) {
                const called = ourWorkflowPath(job.uses);
                if (!called) throw new Error(`${path}: job ${jobId} calls ${job.uses}, which this runner cannot run`);
                const withInputs: Record<string, unknown> = {};
                for (const [key, value] of Object.entries(job.with ?? {})) withInputs[key] = evaluateTemplate(value, legContexts, state);
                const calledWorkflow = this.loadWorkflow(called);
                // A called workflow sees only the secrets its caller passes (or all of them with `secrets: inherit`).
                const passed: Record<string, string> =
                  job.secrets === 'inherit'
                    ? (baseContexts.secrets as Record<string, string>)
                    : Object.fromEntries(Object.entries((job.secrets ?? {}) as Record<string, unknown>).map(([k, v]) => [k, evaluateString(v, legContexts, state)]));
                const inner = await this.execute(called, calledWorkflow, this.callInputs(called, calledWorkflow, withInputs, run.github), jobLabel, `${jobName} / `, run, passed);
                steps.push(...inner.steps);
                return { id: jobId, result: inner.result, outputs: inner.outputs };
              }
              const startedAt = Date.now();
              const done = await this.runJob(path, workflow, jobId, jobName, jobLabel, job, legContexts, workflowEnv, steps, state, run, control);
              this.recordJob({
                runId: run.github.run_id,
                workflow: path,
                jobId,
                job: jobName,
                label: jobLabel,
                matrix,
                inputs: resolvedInputs,
                startedAt,
                endedAt: Date.now(),
                result: done.result,
                ...(done.note ? { note: done.note } : {}),
              });
              return done;
            } finally {
              running.delete(control);
            }
          });
        }
        // A matrix job's outputs: every leg writes them, the last one to finish wins.
        Object.assign(outputs, legResult.outputs);
        note ??= legResult.note;
        if (legResult.result === 'failure' || legResult.result === 'cancelled') {
          result = result === 'failure' ? 'failure' : legResult.result;
          if (legResult.result === 'failure' && failFast && !failedFast) {
            // fail-fast (the default): the legs in progress are cancelled, the queued ones never start.
            failedFast = true;
            for (const other of running) other.cancel('fail-fast: another matrix leg failed');
          }
        }
      };
      // Legs run side by side, at most max-parallel at once, started in the matrix's order.
      let next = 0;
      const worker = async () => {
        while (next < legs.length) {
          const index = next++;
          await runLeg(index, legs[index]!);
        }
      };
      await Promise.all(Array.from({ length: Math.min(maxParallel, legs.length) }, worker));
      settle({ id: jobId, result, outputs, ...(note ? { note } : {}) });
    };
    for (const jobId of toposort(workflow.jobs)) finished.set(jobId, runOne(jobId));
    await Promise.all(finished.values());
    const results = Object.values(jobs).map((j) => j.result);
    const outputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(declared.outputs)) {
      outputs[name] = evaluateString(spec?.value, { ...baseContexts, inputs: resolvedInputs, jobs: needsContext });
    }
    const result = results.includes('failure') ? 'failure' : results.includes('cancelled') ? 'cancelled' : 'success';
    return { result, jobs, outputs, steps, runId: run.github.run_id };
  }

  /** Runs one job (leg) under its job-level concurrency group, with a JobControl registered in the run. */
  private async inGroup(
    job: WorkflowJob,
    contexts: Record<string, unknown>,
    run: RunState,
    jobName: string,
    stillRuns: () => boolean,
    body: (control: JobControl) => Promise<JobResult>,
  ): Promise<JobResult> {
    const signals = this.signals;
    const cutoffMs = Math.max(this.minutesMs(5), signals.termAfterMs + signals.killAfterMs + 1_000);
    const control = new JobControl(signals, cutoffMs);
    control.stillRuns = stillRuns;
    const spec = concurrencySpec(evaluateDeep(job.concurrency ?? null, contexts), `${jobName}: concurrency`);
    let lease: Lease | null = null;
    if (spec) {
      const ticket = this.concurrency.enter(spec, { name: `run ${run.github.run_id} / ${jobName}`, cancel: (reason) => control.cancel(reason) });
      run.tickets.add(ticket);
      lease = await ticket.lease;
      run.tickets.delete(ticket);
      if (!lease) return { id: jobName, result: 'cancelled', outputs: {}, note: `cancelled while pending in concurrency group ${spec.group}` };
    }
    run.jobs.add(control);
    // A run cancelled while this job waited in its group: the job's `if` decides at once.
    if (run.cancelled) control.runCancelled();
    try {
      return await body(control);
    } finally {
      run.jobs.delete(control);
      control.dispose();
      lease?.release();
    }
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

  /** An `env:` map: every key sees the enclosing levels (contexts.env), never its siblings. */
  private evalEnv(env: Record<string, unknown> | undefined, contexts: Record<string, unknown>, state?: EvalState): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(env ?? {})) out[key] = evaluateString(value, contexts, state);
    return out;
  }

  private githubContext(g: GithubContext, jobId: string, workspace = ''): JsonObject {
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
      workspace,
      job: jobId,
      event: g.event,
    };
  }

  /** GITHUB_* and RUNNER_* of a step: set last, so `env:` and GITHUB_ENV cannot override them. */
  private runnerEnv(where: JobEnvironment, stepId: string): Record<string, string> {
    const g = where.run.github;
    return {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: where.workspace,
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
      GITHUB_EVENT_PATH: where.run.eventPath,
      GITHUB_WORKFLOW: g.workflow,
      GITHUB_JOB: where.jobId,
      GITHUB_ACTION: stepId,
      GITHUB_SERVER_URL: g.server_url,
      GITHUB_API_URL: g.api_url,
      GITHUB_GRAPHQL_URL: `${g.api_url}/graphql`,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_TEMP: where.temp,
    };
  }

  private armedLoss(run: RunState, info: { job: string; label: string; id: string }): RunnerLoss | undefined {
    const at = this.losses.findIndex(
      (l) => (l.job === undefined || l.job === info.job) && (l.label === undefined || l.label === info.label) && (l.step === undefined || l.step === info.id) && (l.runId === undefined || l.runId === run.github.run_id),
    );
    return at < 0 ? undefined : this.losses.splice(at, 1)[0];
  }

  private async runJob(
    workflowPath: string,
    workflow: WorkflowFile,
    jobId: string,
    jobName: string,
    label: string,
    job: WorkflowJob,
    contexts: Record<string, unknown>,
    workflowEnv: Record<string, string>,
    records: StepRecord[],
    state: EvalState,
    run: RunState,
    control: JobControl,
  ): Promise<JobResult> {
    const dirs = run.jobDir(jobName);
    const where: JobEnvironment = { run, control, ...dirs, jobId, defaults: { ...workflow.defaults?.run, ...job.defaults?.run } };
    const jobState: EvalState = { failed: false, cancelled: control.cancelled };
    const githubCtx = this.githubContext(run.github, jobId, dirs.workspace);
    const envSpec = job.environment && typeof job.environment === 'object' ? (job.environment as { name?: unknown }).name : job.environment;
    const environment = envSpec === undefined ? '' : evaluateString(envSpec, contexts, jobState);
    const vars = { ...(contexts.vars as Record<string, string>), ...(this.options.environmentVars?.[environment] ?? {}) };
    const baseCtx = { ...contexts, vars, github: githubCtx, job: { status: 'success' }, runner: { os: 'Linux', arch: 'X64', temp: dirs.temp } };
    const jobEnv: Record<string, string> = { ...workflowEnv, ...this.evalEnv(job.env, { ...baseCtx, env: workflowEnv }) };
    const timeoutMinutes = Number(evaluateTemplate(job['timeout-minutes'] ?? 360, baseCtx) ?? 360);
    if (Number.isFinite(timeoutMinutes) && timeoutMinutes > 0) control.timeoutAfter(this.minutesMs(timeoutMinutes), timeoutMinutes);
    const stepsCtx: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
    const addedEnv: Record<string, string> = {};
    let stepCancelled = false;
    for (const [index, step] of (job.steps ?? []).entries()) {
      if (control.ended) break;
      jobState.cancelled = control.cancelled;
      const id = step.id ?? `#${index + 1}`;
      const env = { ...jobEnv, ...addedEnv };
      const ctx = { ...baseCtx, env, steps: stepsCtx, job: { status: jobState.cancelled ? 'cancelled' : jobState.failed ? 'failure' : 'success' } };
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
          signals: [],
          log: '',
          workspace: dirs.workspace,
          runId: run.github.run_id,
          ...partial,
          ...(control.lost ? { outcome: 'failure' as const, note: 'the runner was lost (SIGKILL); no further step runs' } : {}),
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
      control.currentSurvives = () => evaluateCondition(step.if, ctx, { ...jobState, cancelled: true });
      this.options.onStepStart?.({ job: jobName, label, id, name, uses });
      const loss = this.armedLoss(run, { job: jobName, label, id });
      if (loss) control.later(loss.afterMs ?? 0, () => control.lose());
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
        ({ done, addedEnv: stepAddedEnv } = await this.runAction(action, withInputs, stepEnv, where, id, step, ctx, record));
      } else if (step.run !== undefined) {
        const script = evaluateString(step.run, { ...ctx, env: stepEnv }, jobState);
        const decision = this.options.runStep?.({ job: jobName, id, name, run: script }) ?? true;
        if (decision !== true) {
          done = record({ outcome: 'success', note: typeof decision === 'string' ? decision : 'not run locally' });
        } else {
          ({ done, addedEnv: stepAddedEnv } = await this.runShell(script, stepEnv, where, id, step, { ...ctx, env: stepEnv }, record));
        }
      } else {
        const handled = this.builtin(uses, withInputs, where) ?? (await this.options.plumbing?.({ environment, uses, with: withInputs, env: stepEnv, id, job: jobName, workspace: dirs.workspace }));
        if (handled) {
          Object.assign(addedEnv, handled.env ?? {});
          done = record({ outcome: handled.outcome ?? 'success', outputs: handled.outputs ?? {}, note: handled.note });
        } else {
          done = record({ outcome: 'success', note: 'runner plumbing, skipped locally' });
        }
      }
      Object.assign(addedEnv, stepAddedEnv);
      if (done.outcome === 'cancelled') stepCancelled = true;
      this.markFailure(done, step, ctx, jobState);
    }
    if (control.lost) return { id: jobId, result: 'failure', outputs: {}, note: 'runner lost' };
    const outputs: Record<string, string> = {};
    const finalCtx = { ...baseCtx, env: { ...jobEnv, ...addedEnv }, steps: stepsCtx };
    for (const [name, value] of Object.entries(job.outputs ?? {})) outputs[name] = evaluateString(value, finalCtx, jobState);
    if (control.timedOut) return { id: jobId, result: 'failure', outputs, note: control.cancelReason };
    const failed = jobState.failed && !isTruthy(evaluateTemplate(job['continue-on-error'] ?? false, finalCtx));
    const cut = control.ended ? ' (cut off 5 minutes after the cancel)' : '';
    if (control.cancelled && !control.survived) return { id: jobId, result: 'cancelled', outputs, note: `cancelled: ${control.cancelReason}${cut}` };
    if (control.survived) return { id: jobId, result: failed ? 'failure' : stepCancelled || cut ? 'cancelled' : 'success', outputs, note: `kept running after the cancel (its if still held)${cut}` };
    return { id: jobId, result: failed ? 'failure' : 'success', outputs };
  }

  private markFailure(done: StepRecord, step: WorkflowStep, ctx: Record<string, unknown>, state: EvalState): void {
    if (done.outcome !== 'failure') return;
    const continueOnError = isTruthy(evaluateTemplate(step['continue-on-error'] ?? false, ctx, state));
    if (!continueOnError) state.failed = true;
  }

  /** checkout and the artifact actions, which the runner models itself (per-job workspaces, per-run artifacts). */
  private builtin(uses: string, withInputs: Record<string, string>, where: JobEnvironment): PlumbingResult | undefined {
    const name = uses.split('@')[0]!;
    if (name === 'actions/checkout') {
      const source = this.options.workspace ?? this.options.repoRoot;
      const target = resolve(where.workspace, withInputs.path || '.');
      const skip = this.options.workspace ? new Set<string>() : new Set(['.git', 'node_modules']);
      cpSync(source, target, { recursive: true, filter: (src) => !skip.has(relative(source, src).split('/')[0]!) });
      return { note: `checkout: ${source === this.options.repoRoot ? 'the repository' : source} → the job's fresh workspace` };
    }
    if (name === 'actions/upload-artifact') {
      const artifact = withInputs.name || 'artifact';
      const target = join(where.run.artifacts, artifact);
      if (existsSync(target)) {
        if (withInputs.overwrite !== 'true') return { note: `upload-artifact: an artifact named ${artifact} already exists in this run (409 Conflict)`, outcome: 'failure' };
        rmSync(target, { recursive: true, force: true });
      }
      const paths = (withInputs.path ?? '').split('\n').map((p) => p.trim()).filter(Boolean);
      const found = paths.map((p) => resolve(where.workspace, p)).filter((p) => existsSync(p));
      if (found.length === 0) {
        const mode = withInputs['if-no-files-found'] || 'warn';
        const text = `upload-artifact: no files found at ${paths.join(', ') || '(no path)'}`;
        return mode === 'error' ? { note: text, outcome: 'failure' } : { note: `${text}; nothing uploaded` };
      }
      mkdirSync(target, { recursive: true });
      for (const path of found) {
        if (statSync(path).isDirectory()) cpSync(path, target, { recursive: true });
        else cpSync(path, join(target, basename(path)));
      }
      return { note: `upload-artifact ${artifact} (${readdirSync(target).length} entries)` };
    }
    if (name === 'actions/download-artifact') return this.downloadArtifact(withInputs, where);
    return undefined;
  }

  /**
   * download-artifact v4 and later (v7 is pinned): with `github-token`, the artifacts of `run-id` (default this run) in
   * `repository` (default this one) through the API; without a token both are ignored and this run's
   * artifacts are read, as the action does. Messages are the action's (`Unable to download artifact(s): ...`).
   */
  private downloadArtifact(withInputs: Record<string, string>, where: JobEnvironment): PlumbingResult {
    const fail = (text: string, where = ''): PlumbingResult => ({ note: `download-artifact${where}: Unable to download artifact(s): ${text}`, outcome: 'failure' });
    const token = withInputs['github-token'] ?? '';
    const runId = withInputs['run-id'] || where.run.github.run_id;
    const repository = withInputs.repository || where.run.github.repository;
    let store = where.run.artifacts;
    let from = 'this run';
    if (token) {
      if (repository.toLowerCase() !== where.run.github.repository.toLowerCase()) return fail(`Not Found: repository ${repository} is not known to this runner (HTTP 404)`);
      const source = this.runStates.get(runId);
      if (!source) return fail(`Not Found: workflow run ${runId} is not known to this runner (HTTP 404)`);
      store = source.artifacts;
      from = runId === where.run.github.run_id ? 'this run' : `run ${runId}`;
    } else if (withInputs['run-id'] && withInputs['run-id'] !== where.run.github.run_id) {
      from = `this run (run-id ${withInputs['run-id']} is ignored without github-token)`;
    }
    const artifact = withInputs.name ?? '';
    const target = resolve(where.workspace, withInputs.path || '.');
    if (!artifact) {
      for (const each of readdirSync(store)) cpSync(join(store, each), join(target, each), { recursive: true });
      return { note: `download-artifact: every artifact of ${from} → ${relative(where.workspace, target) || '.'}` };
    }
    const source = join(store, artifact);
    if (!existsSync(source)) {
      return fail(`Artifact not found for name: ${artifact}. Please ensure that your artifact is not expired and the artifact was uploaded using a compatible version of toolkit/upload-artifact.`, ` (${from})`);
    }
    mkdirSync(target, { recursive: true });
    cpSync(source, target, { recursive: true });
    return { note: `download-artifact ${artifact} from ${from} → ${relative(where.workspace, target) || '.'}` };
  }

  /** The artifacts of a run (name, size, upload time), or undefined for a run id this runner never had. */
  artifactsOf(runId: string): { name: string; sizeInBytes: number; createdAt: number }[] | undefined {
    const run = this.runStates.get(runId);
    if (!run) return undefined;
    return readdirSync(run.artifacts).map((name) => ({ name, sizeInBytes: treeSize(join(run.artifacts, name)), createdAt: statSync(join(run.artifacts, name)).mtimeMs }));
  }

  private files(where: JobEnvironment, stepId: string): { output: string; summary: string; env: string; path: string; state: string; log: string } {
    const n = ++this.stepSequence;
    const base = join(where.files, `step-${String(n).padStart(3, '0')}-${safeName(stepId)}`);
    const files = { output: `${base}.output`, summary: `${base}.summary.md`, env: `${base}.env`, path: `${base}.path`, state: `${base}.state`, log: `${base}.log` };
    for (const file of Object.values(files)) writeFileSync(file, '');
    return files;
  }

  private async runAction(
    action: string,
    withInputs: Record<string, string>,
    stepEnv: Record<string, string>,
    where: JobEnvironment,
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
    const files = this.files(where, stepId);
    const env = {
      ...this.options.env,
      ...stepEnv,
      ...inputs,
      ...this.runnerEnv(where, stepId),
      GITHUB_ACTION_PATH: dirname(join(this.options.repoRoot, 'actions', action, 'action.yml')),
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STATE: files.state,
    };
    Object.assign(env, this.githubApiEnv(env));
    return this.finish(await this.exec(process.execPath, [meta.main], env, where.workspace, where.control, step, ctx), files, record);
  }

  private async runShell(
    script: string,
    stepEnv: Record<string, string>,
    where: JobEnvironment,
    stepId: string,
    step: WorkflowStep,
    ctx: Record<string, unknown>,
    record: (partial: Partial<StepRecord> & Pick<StepRecord, 'outcome'>) => StepRecord,
  ): Promise<Finished> {
    const files = this.files(where, stepId);
    const scriptFile = `${files.output}.sh`;
    writeFileSync(scriptFile, script);
    const env = {
      ...this.options.env,
      ...stepEnv,
      ...this.runnerEnv(where, stepId),
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STATE: files.state,
    };
    Object.assign(env, this.githubApiEnv(env));
    const workingDirectory = evaluateString(step['working-directory'] ?? where.defaults?.['working-directory'] ?? '', ctx);
    const cwd = workingDirectory ? resolve(where.workspace, workingDirectory) : where.workspace;
    const command = shellCommand(step.shell ?? where.defaults?.shell, scriptFile);
    if (!command) return { done: record({ outcome: 'failure', note: `shell ${step.shell ?? where.defaults?.shell} is not supported locally` }), addedEnv: {} };
    return this.finish(await this.exec(command[0], command[1], env, cwd, where.control, step, ctx), files, record);
  }

  /** Runs a step process under the job's control (cancel, timeout, runner loss). */
  private async exec(command: string, args: string[], env: Record<string, string>, cwd: string, control: JobControl, step: WorkflowStep, ctx: Record<string, unknown>): Promise<Executed> {
    const proc = new StepProcess(command, args, env, cwd);
    control.track(proc);
    const minutes = Number(evaluateTemplate(step['timeout-minutes'] ?? null, ctx));
    let timedOut = false;
    const timer =
      Number.isFinite(minutes) && minutes > 0
        ? setTimeout(() => {
            timedOut = true;
            proc.cancel(this.signals);
          }, this.minutesMs(minutes))
        : undefined;
    const result = await proc.done;
    if (timer) clearTimeout(timer);
    control.current = null;
    const cancelled = !timedOut && proc.signals.length > 0 && !control.lost;
    return { result, signals: proc.signals, timedOut, cancelled };
  }

  private finish(run: Executed, files: { output: string; summary: string; env: string; log: string }, record: (partial: Partial<StepRecord> & Pick<StepRecord, 'outcome'>) => StepRecord): Finished {
    const { result } = run;
    writeFileSync(files.log, result.log);
    const annotations = [...result.log.matchAll(/^::(error|warning)[^:]*::(.*)$/gm)].map((m) => `${m[1]}: ${decodeCommand(m[2]!)}`);
    let outputs: Record<string, string> = {};
    let addedEnv: Record<string, string> = {};
    let commandError: string | undefined;
    try {
      outputs = parseCommandFile(readFileSync(files.output, 'utf8'), 'output');
      addedEnv = parseCommandFile(readFileSync(files.env, 'utf8'), 'env');
    } catch (error) {
      commandError = (error as Error).message;
      annotations.push(`error: ${commandError}`);
    }
    const summary = readFileSync(files.summary, 'utf8');
    const outcome: StepOutcome = run.cancelled ? 'cancelled' : result.code === 0 && !commandError ? 'success' : 'failure';
    const note = run.timedOut ? 'timed out' : run.cancelled ? `cancelled (${run.signals.join(' → ')})` : commandError;
    const done = record({
      outcome,
      outputs,
      summary,
      annotations,
      exitCode: result.code,
      signals: run.signals,
      log: result.log.slice(-20_000),
      ...(note ? { note } : {}),
    });
    return { done, addedEnv: commandError ? {} : addedEnv };
  }
}

interface Executed {
  readonly result: SpawnResult;
  readonly signals: readonly string[];
  readonly timedOut: boolean;
  /** The runner signalled the step because its job was cancelled. */
  readonly cancelled: boolean;
}

interface Finished {
  readonly done: StepRecord;
  /** Variables the step wrote to GITHUB_ENV. */
  readonly addedEnv: Record<string, string>;
}

/** The command of a `run:` step: GitHub's default `bash -e {0}`, `bash` with pipefail, `sh`, or a `{0}` template. */
export function shellCommand(shell: string | undefined, file: string): [string, string[]] | undefined {
  if (shell === undefined) return ['bash', ['-e', file]];
  if (shell === 'bash') return ['bash', ['--noprofile', '--norc', '-eo', 'pipefail', file]];
  if (shell === 'sh') return ['sh', ['-e', file]];
  if (shell.includes('{0}')) {
    const [command, ...args] = shell.trim().split(/\s+/).map((part) => part.replace('{0}', file));
    return command ? [command, args] : undefined;
  }
  return undefined;
}

/** Evaluates the templates of a mapping's values (one level, as `concurrency:`), or of a single value. */
function evaluateDeep(value: unknown, contexts: Record<string, unknown>): Json {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateTemplate(v, contexts)]));
  }
  return evaluateTemplate(value, contexts);
}

function treeSize(path: string): number {
  const stat = statSync(path);
  return stat.isDirectory() ? readdirSync(path).reduce((sum, entry) => sum + treeSize(join(path, entry)), 0) : stat.size;
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

/** A fresh id for GITHUB_RUN_ID-like values. */
export function runId(): string {
  return String(Date.now()).slice(-10) + String(Math.floor(Math.random() * 100)).padStart(2, '0');
}
