// Checks for every workflow, starter template and action.yml of this repository.
//
// 1. GitHub's own validator, @actions/languageservice `validate()`, with a file provider so that a
//    job calling a reusable workflow is checked against the called workflow's inputs, and a step
//    using one of our actions (`$/actions/x`, `./actions/x`, `OWNER/safe-deploy/actions/x@v1`) against
//    that action.yml. Third-party actions resolve to the metadata of the exact commit we pin.
// 2. Our own rules (DESIGN.md, Workflows / Security), on the parsed YAML:
//    - own-action-inputs: a step using one of our actions passes only inputs its action.yml declares,
//      and every required one without a default;
//    - no-expression-in-run: no `${{` inside a `run:` script; values reach the shell through `env:`;
//    - job-permissions: every job declares `permissions:`;
//    - pinned: every action or reusable workflow outside this repository is pinned to a 40-hex commit;
//    - no-pr-target-checkout: no `pull_request_target` workflow checks out code;
//    - step-ids: every step has an `id:` (npm run demo replays deploy-stage.yml step by step);
//    - bash-syntax: every `run:` script parses (`bash -n`), so a stray quote cannot break a step;
//    - job-not-named-like-check: no job is named `deploy-safety-checklist`: a job's own check run takes
//      the job's name and passes whenever its steps pass, so it could satisfy branch protection in
//      place of the checklist's check run.
// Both return problems as `file:line:col rule: message`, so a planted error names where it is.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';

/** Repository root (tests run from it). */
export const REPO_ROOT = process.cwd();

/** Owner placeholder of the published repository in templates and docs (`OWNER/safe-deploy/...@v1`). */
export const OWN_REPOSITORY = 'OWNER/safe-deploy';

/** The check run the review-checklist action reports, which branch protection requires. */
export const CHECKLIST_CHECK_NAME = 'deploy-safety-checklist';

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly rule: string;
  readonly message: string;
}

export const formatProblem = (p: Problem): string => `${p.file}:${p.line}:${p.column} ${p.rule}: ${p.message}`;

/** Workflows, templates and action metadata files under `root`, relative paths. */
export function workflowFiles(root = REPO_ROOT): string[] {
  const files: string[] = [];
  for (const dir of ['.github/workflows', 'workflows-templates']) {
    const abs = join(root, dir);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs).sort()) if (/\.ya?ml$/.test(name)) files.push(`${dir}/${name}`);
  }
  return files;
}

export function actionFiles(root = REPO_ROOT): string[] {
  const abs = join(root, 'actions');
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .sort()
    .filter((name) => existsSync(join(abs, name, 'action.yml')))
    .map((name) => `actions/${name}/action.yml`);
}

// ---------------------------------------------------------------------------------------------
// Third-party actions: the commit we pin, the runtime its action.yml runs on, and the inputs it declares
// at that commit. A reference to any other commit does not resolve. Each commit is the one its tag points
// at (release notes list it as the tag's head commit, and independent repositories pin it with that
// tag); where the upstream action.yml of the tag was not readable, the input list is the previous
// major's and the release notes say which inputs changed (none that our workflows pass).

interface KnownAction {
  readonly tag: string;
  /** `runs.using` of the action at that commit (GitHub removed Node 20 from its runners on 2026-09-16). */
  readonly using: string;
  readonly inputs: Readonly<Record<string, { readonly required?: boolean; readonly default?: string }>>;
  readonly outputs: readonly string[];
}

const opt = {};
/** The `permission-*` inputs of actions/create-github-app-token (generated upstream from GitHub's app permissions). */
const APP_TOKEN_PERMISSIONS = [
  'actions', 'administration', 'checks', 'codespaces', 'contents', 'dependabot-secrets', 'deployments', 'email-addresses', 'environments',
  'followers', 'git-ssh-keys', 'gpg-keys', 'interaction-limits', 'issues', 'members', 'metadata', 'organization-administration',
  'organization-announcement-banners', 'organization-copilot-seat-management', 'organization-custom-org-roles', 'organization-custom-properties',
  'organization-custom-roles', 'organization-events', 'organization-hooks', 'organization-packages', 'organization-personal-access-token-requests',
  'organization-personal-access-tokens', 'organization-plan', 'organization-projects', 'organization-secrets', 'organization-self-hosted-runners',
  'organization-user-blocking', 'packages', 'pages', 'profile', 'pull-requests', 'repository-custom-properties', 'repository-hooks',
  'repository-projects', 'secret-scanning-alerts', 'secrets', 'security-events', 'single-file', 'starring', 'statuses', 'team-discussions',
  'vulnerability-alerts', 'workflows',
];
export const PINNED_ACTIONS: Readonly<Record<string, KnownAction>> = {
  // v5.0.0: "Update actions checkout to use node 24" is the release's change.
  'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8': {
    tag: 'v5.0.0',
    using: 'node24',
    inputs: Object.fromEntries(
      ['repository', 'ref', 'token', 'ssh-key', 'ssh-known-hosts', 'ssh-strict', 'ssh-user', 'persist-credentials', 'path', 'clean', 'filter', 'sparse-checkout', 'sparse-checkout-cone-mode', 'fetch-depth', 'fetch-tags', 'show-progress', 'lfs', 'submodules', 'set-safe-directory', 'github-server-url'].map((n) => [n, opt]),
    ),
    outputs: ['ref', 'commit'],
  },
  // v5.0.0: its breaking change is "Upgrade action to use node24".
  'actions/setup-node@a0853c24544627f65ddf259abe73b1d18a591444': {
    tag: 'v5.0.0',
    using: 'node24',
    inputs: Object.fromEntries(
      ['always-auth', 'node-version', 'node-version-file', 'architecture', 'check-latest', 'registry-url', 'scope', 'token', 'cache', 'package-manager-cache', 'cache-dependency-path', 'mirror', 'mirror-token'].map((n) => [n, opt]),
    ),
    outputs: ['cache-hit', 'node-version'],
  },
  // v6.0.0 (head commit b7c566a, "Merge pull request #745 … upload-artifact-v6-release"): the first
  // release that runs on node24 (v5 still defaulted to Node 20); inputs as in v4.
  'actions/upload-artifact@b7c566a772e6b6bfb58ed0dc250532a479d7789f': {
    tag: 'v6.0.0',
    using: 'node24',
    inputs: {
      name: { default: 'artifact' },
      path: { required: true },
      'if-no-files-found': { default: 'warn' },
      'retention-days': {},
      'compression-level': { default: '6' },
      overwrite: { default: 'false' },
      'include-hidden-files': { default: 'false' },
    },
    outputs: ['artifact-id', 'artifact-url', 'artifact-digest'],
  },
  // v7.0.0 (head commit 37930b1, "Merge pull request #452 … download-artifact-v7-release"): the first
  // release that runs on node24 (v6 still defaulted to Node 20); `run-id` and `github-token` unchanged since v5.
  'actions/download-artifact@37930b1c2abaa49bbe596cd826c3c89aef350131': {
    tag: 'v7.0.0',
    using: 'node24',
    inputs: Object.fromEntries(['name', 'artifact-ids', 'path', 'pattern', 'github-token', 'repository', 'run-id', 'merge-multiple'].map((n) => [n, opt])),
    outputs: ['download-path'],
  },
  // v3.2.0: the commit the tag points at, as several independent repositories pin and test it (one read it
  // from GitHub's API on 2026-09-15); `client-id` is the current input, `app-id` its deprecated form.
  // node24 since v3.0.0 ("feat!: node 24 support").
  'actions/create-github-app-token@bcd2ba49218906704ab6c1aa796996da409d3eb1': {
    tag: 'v3.2.0',
    using: 'node24',
    inputs: {
      ...Object.fromEntries(
        ['client-id', 'app-id', 'owner', 'repositories', 'skip-token-revoke', 'github-api-url', ...APP_TOKEN_PERMISSIONS.map((p) => `permission-${p}`)].map((n) => [n, opt]),
      ),
      'private-key': { required: true },
    },
    outputs: ['token', 'installation-id', 'app-slug'],
  },
  // v6.0.0 (2026-02-04): its one breaking change is "Update action to use node24". The inputs are
  // v5.0.0's: 5.1.x and 6.0.0 list only added features (a global timeout) and fixes, none that rename
  // or drop an input our workflows pass.
  'aws-actions/configure-aws-credentials@8df5847569e6427dd6c4fb1cf565c83acfa8afa7': {
    tag: 'v6.0.0',
    using: 'node24',
    inputs: {
      ...Object.fromEntries(
        ['audience', 'aws-access-key-id', 'aws-secret-access-key', 'aws-session-token', 'mask-aws-account-id', 'role-to-assume', 'web-identity-token-file', 'role-chaining', 'role-duration-seconds', 'role-session-name', 'role-external-id', 'role-skip-session-tagging', 'inline-session-policy', 'managed-session-policies', 'output-credentials', 'unset-current-credentials', 'disable-retry', 'retry-max-attempts', 'special-characters-workaround', 'use-existing-credentials', 'http-proxy', 'no-proxy'].map((n) => [n, opt]),
      ),
      'aws-region': { required: true },
    },
    outputs: ['aws-account-id', 'aws-access-key-id', 'aws-secret-access-key', 'aws-session-token', 'aws-expiration'],
  },
};

/** `$/actions/x`, `./actions/x`, `OWNER/safe-deploy/actions/x@ref` → `actions/x`; anything else → undefined. */
export function ownActionPath(uses: string): string | undefined {
  const local = /^(?:\$|\.)\/(actions\/[A-Za-z0-9_-]+)\/?$/.exec(uses);
  if (local) return local[1];
  const remote = new RegExp(`^${OWN_REPOSITORY}/(actions/[A-Za-z0-9_-]+)@[^@]+$`).exec(uses);
  return remote ? remote[1] : undefined;
}

/** `$/.github/workflows/x.yml`, `./.github/...`, `OWNER/safe-deploy/.github/workflows/x.yml@ref` → the path. */
export function ownWorkflowPath(uses: string): string | undefined {
  const local = /^(?:\$|\.)\/(\.github\/workflows\/[^/@]+\.ya?ml)$/.exec(uses);
  if (local) return local[1];
  const remote = new RegExp(`^${OWN_REPOSITORY}/(\\.github/workflows/[^/@]+\\.ya?ml)@[^@]+$`).exec(uses);
  return remote ? remote[1] : undefined;
}

// ---------------------------------------------------------------------------------------------
// 1. @actions/languageservice

interface ActionRef {
  owner: string;
  name: string;
  ref: string;
  path?: string;
}

/** The validation config: files and action metadata come from `root`, third-party actions from PINNED_ACTIONS. */
export function validationConfig(root = REPO_ROOT) {
  const [ownOwner, ownName] = OWN_REPOSITORY.split('/');
  return {
    fileProvider: {
      async getFileContent(ref: { path: string; owner?: string; repository?: string; version?: string }) {
        if (ref.repository !== undefined && (ref.owner !== ownOwner || ref.repository !== ownName)) {
          throw new Error(`not available offline: ${ref.owner}/${ref.repository}/${ref.path}@${ref.version}`);
        }
        const file = join(root, ref.path);
        return { name: file, content: readFileSync(file, 'utf8') };
      },
    },
    actionsMetadataProvider: {
      async fetchActionMetadata(action: ActionRef) {
        const id = `${action.owner}/${action.name}`;
        if (id === OWN_REPOSITORY && action.path) {
          const file = join(root, action.path, 'action.yml');
          if (!existsSync(file)) return undefined;
          return parseDocument(readFileSync(file, 'utf8')).toJS() as { name: string; description: string };
        }
        const known = PINNED_ACTIONS[`${id}@${action.ref}`];
        if (!known || action.path) return undefined;
        return {
          name: id,
          description: `${id} ${known.tag}`,
          inputs: Object.fromEntries(Object.entries(known.inputs).map(([name, spec]) => [name, { description: name, ...spec }])),
          outputs: Object.fromEntries(known.outputs.map((name) => [name, { description: name }])),
        };
      },
    },
  };
}

/** Diagnostics of GitHub's validator for one file (relative to root). */
export async function languageServiceProblems(relPath: string, root = REPO_ROOT): Promise<Problem[]> {
  const { validate } = await import('@actions/languageservice');
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  // The validator caches parsed documents by URI; planted copies reuse URIs, so start afresh.
  const { clearCache } = await import('@actions/languageservice/utils/workflow-cache');
  clearCache();
  const text = readFileSync(join(root, relPath), 'utf8');
  // The validator decides between workflow and action by the path: templates are workflows too.
  const uriPath = relPath.startsWith('workflows-templates/') ? `.github/workflows/${relPath.slice('workflows-templates/'.length)}` : relPath;
  const doc = TextDocument.create(`file://${join(root, uriPath)}`, 'yaml', 1, text);
  const diagnostics = await validate(doc, validationConfig(root) as never);
  return diagnostics.map((d) => ({
    file: relPath,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    rule: `languageservice${d.severity === 1 || d.severity === undefined ? '' : `(severity ${d.severity})`}`,
    message: typeof d.message === 'string' ? d.message : d.message.value,
  }));
}

// ---------------------------------------------------------------------------------------------
// 2. Our rules, on the YAML tree (with positions).

interface Located {
  readonly node: Node | null | undefined;
}

function get(map: unknown, key: string): Node | undefined {
  if (!isMap(map)) return undefined;
  const pair = (map as YAMLMap).items.find((p: Pair) => isScalar(p.key) && p.key.value === key);
  return pair?.value as Node | undefined;
}

function has(map: unknown, key: string): boolean {
  return isMap(map) && (map as YAMLMap).items.some((p: Pair) => isScalar(p.key) && p.key.value === key);
}

function keys(map: unknown): string[] {
  return isMap(map) ? (map as YAMLMap).items.map((p: Pair) => String(isScalar(p.key) ? p.key.value : p.key)) : [];
}

function scalar(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}

const ACTION_INPUT_CACHE = new Map<string, Record<string, { required?: boolean; default?: unknown }>>();

function ownActionInputs(root: string, actionPath: string): Record<string, { required?: boolean; default?: unknown }> | undefined {
  const file = join(root, actionPath, 'action.yml');
  if (!existsSync(file)) return undefined;
  const key = `${file}:${readFileSync(file, 'utf8')}`;
  let inputs = ACTION_INPUT_CACHE.get(key);
  if (!inputs) {
    const meta = parseDocument(readFileSync(file, 'utf8')).toJS() as { inputs?: Record<string, { required?: boolean; default?: unknown }> };
    inputs = meta.inputs ?? {};
    ACTION_INPUT_CACHE.set(key, inputs);
  }
  return inputs;
}

/** Our own rules for one workflow or template file (relative to root). */
export function ruleProblems(relPath: string, root = REPO_ROOT): Problem[] {
  const text = readFileSync(join(root, relPath), 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const problems: Problem[] = [];
  const at = (where: Located['node'], rule: string, message: string) => {
    const offset = where?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(offset);
    problems.push({ file: relPath, line: pos.line, column: pos.col, rule, message });
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problems.push({ file: relPath, line: e.linePos?.[0]?.line ?? 1, column: e.linePos?.[0]?.col ?? 1, rule: 'yaml', message: e.message });
    return problems;
  }
  const root_ = doc.contents;
  const on = get(root_, 'on');
  const events = isMap(on) ? keys(on) : isSeq(on) ? on.items.map((i) => scalar(i) ?? '') : [scalar(on) ?? ''];
  const prTarget = events.includes('pull_request_target');

  const jobs = get(root_, 'jobs');
  if (!isMap(jobs)) {
    at(root_, 'yaml', 'no jobs');
    return problems;
  }
  for (const pair of (jobs as YAMLMap).items) {
    const jobId = String(scalar(pair.key));
    const job = pair.value as Node;
    if (!has(job, 'permissions')) at(pair.key as Node, 'job-permissions', `job ${jobId} declares no permissions:`);
    const jobName = scalar(get(job, 'name')) ?? jobId;
    if (jobName.trim() === CHECKLIST_CHECK_NAME) {
      at(get(job, 'name') ?? (pair.key as Node), 'job-not-named-like-check', `job ${jobId} is named ${CHECKLIST_CHECK_NAME}: its own check run would pass whatever the checklist says`);
    }

    const jobUses = scalar(get(job, 'uses'));
    if (jobUses !== undefined) checkPinned(jobUses, get(job, 'uses'), `job ${jobId}`);

    const steps = get(job, 'steps');
    if (!isSeq(steps)) continue;
    steps.items.forEach((step, index) => {
      const label = `job ${jobId} step ${scalar(get(step, 'id')) ?? index + 1}`;
      if (!has(step, 'id')) at(step as Node, 'step-ids', `${label} has no id: (the demo and the summaries refer to steps by id)`);
      const run = get(step, 'run');
      const runText = scalar(run);
      if (runText !== undefined) {
        const syntax = spawnSync('bash', ['-n'], { input: runText, encoding: 'utf8' });
        if (syntax.status !== 0) at(run, 'bash-syntax', `${label}: ${syntax.stderr.trim().replace(/^bash: /, '')}`);
      }
      if (runText !== undefined && runText.includes('${{')) {
        at(run, 'no-expression-in-run', `${label}: \`\${{ }}\` inside run:; pass the value through env: and use "$NAME"`);
      }
      const usesNode = get(step, 'uses');
      const uses = scalar(usesNode);
      if (uses === undefined) return;
      checkPinned(uses, usesNode, label);
      if (prTarget && uses.startsWith('actions/checkout@')) {
        at(usesNode, 'no-pr-target-checkout', `${label}: checks out code in a pull_request_target workflow`);
      }
      const actionPath = ownActionPath(uses);
      if (!actionPath) return;
      const inputs = ownActionInputs(root, actionPath);
      if (!inputs) {
        at(usesNode, 'own-action-inputs', `${label}: ${uses} has no ${actionPath}/action.yml`);
        return;
      }
      const withNode = get(step, 'with');
      const given = keys(withNode);
      for (const name of given) {
        if (!(name in inputs)) {
          const keyNode = isMap(withNode) ? (withNode as YAMLMap).items.find((p: Pair) => scalar(p.key) === name)?.key : withNode;
          at(keyNode as Node, 'own-action-inputs', `${label}: ${actionPath} has no input "${name}" (inputs: ${Object.keys(inputs).join(', ')})`);
        }
      }
      for (const [name, spec] of Object.entries(inputs)) {
        if (spec.required && spec.default === undefined && !given.includes(name)) {
          at(usesNode, 'own-action-inputs', `${label}: ${actionPath} requires input "${name}"`);
        }
      }
    });
  }
  return problems;

  function checkPinned(uses: string, node: Node | undefined, label: string) {
    if (uses.startsWith('$/') || uses.startsWith('./') || uses.startsWith('docker://')) return;
    if (ownActionPath(uses) || ownWorkflowPath(uses)) return; // this repository, at the release tag the caller picks
    if (!/@[0-9a-f]{40}$/.test(uses)) {
      at(node, 'pinned', `${label}: ${uses} is not pinned to a full commit SHA`);
      return;
    }
    const known = PINNED_ACTIONS[uses];
    if (!known) return; // GitHub's validator reports a commit nobody checked ("Unable to resolve action")
    const comment = isScalar(node) ? node.comment?.trim() : undefined;
    if (comment !== known.tag) at(node, 'pinned-tag', `${label}: ${uses} is ${known.tag}; say so in the comment after it ("# ${known.tag}"), not ${comment === undefined ? 'nothing' : `"# ${comment}"`}`);
  }
}

/** Every problem of one workflow or template: GitHub's validator plus our rules. */
export async function workflowProblems(relPath: string, root = REPO_ROOT): Promise<Problem[]> {
  return [...(await languageServiceProblems(relPath, root)), ...ruleProblems(relPath, root)];
}

export const rel = (abs: string, root = REPO_ROOT) => relative(root, abs);
