// The local workflow runner's GitHub (workflow-runner.ts): a small REST API on 127.0.0.1 over the
// runner's own state, and a `gh` CLI shim that steps find first on their PATH, so workflow steps
// that call `gh` work locally. What it answers, with GitHub's response shapes and status codes:
// - GET  /repos/{owner}/{repo}/commits/{ref}: a commit the runner knows (the head_sha of a run, or
//   the runner's current `github.sha`), by full or abbreviated sha or by branch; `sha`, `url` and
//   `html_url` only. An unknown one is 422 `No commit found for SHA: <ref>`, as GitHub answers;
// - GET  /repos/{owner}/{repo}/actions/runs?head_sha=&event=&status=&branch=&per_page=&page=: the
//   run registry, newest first (`status` matches a status or a conclusion, as GitHub's filter does);
// - GET  /repos/{owner}/{repo}/actions/runs/{id} and .../runs/{id}/artifacts?name=: one run, its artifacts;
// - POST /repos/{owner}/{repo}/actions/workflows/{file}/dispatches `{ref, inputs}`: a
//   `workflow_dispatch` of the workflow file the runner maps that name to (204); an unknown file is
//   404, inputs GitHub would refuse are 422, a ref the runner never saw is 422 `No ref found for: <ref>`.
// Any other repository or path is 404 `Not Found`; a request without a token the runner handed out
// (`github.token` of a run) is 401. Permissions (`actions: write` for a dispatch) are not checked.
// The shim (`gh`, a node script) does `gh api <path>` (GET: the body on stdout; a non-2xx status
// prints the body too, `gh: <message> (HTTP <status>)` on stderr and exits 1, as gh does) and
// `gh workflow run <file> [--repo R] [--ref REF] [-f k=v ...]`; like gh it needs GH_TOKEN (exit 4
// without), and the repository from --repo or GH_REPO (there is no git remote to ask). `--jq` and
// every other command are refused: parse the JSON in the step instead.
import type { components } from '@octokit/openapi-types';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { RunRecord } from './workflow-runner.js';

type Schemas = components['schemas'];
// The fields the API gives, typed against GitHub's OpenAPI description (a run id the caller chose
// that is not a number stays a string).
type RunJson = Pick<Schemas['workflow-run'], 'name' | 'display_title' | 'head_branch' | 'head_sha' | 'path' | 'run_number' | 'run_attempt' | 'event' | 'status' | 'conclusion' | 'url' | 'html_url' | 'created_at' | 'updated_at' | 'run_started_at'> & {
  id: number | string;
};
type ArtifactJson = Pick<Schemas['artifact'], 'id' | 'name' | 'size_in_bytes' | 'url' | 'archive_download_url' | 'expired' | 'created_at' | 'updated_at'> & {
  workflow_run: { id: number | string; head_branch: string; head_sha: string };
};
type CommitJson = Pick<Schemas['commit'], 'sha' | 'url' | 'html_url'>;
type ErrorJson = Pick<Schemas['basic-error'], 'message' | 'documentation_url' | 'status'>;

/** Names the local API's URL in every step's environment (the shim reads it). */
export const GITHUB_API_ENV = 'SAFE_DEPLOY_GITHUB_API_URL';

/** An HTTP error of the API, with GitHub's message. */
export class GithubApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the API reads from and asks of the runner. */
export interface GithubApiHost {
  /** `owner/repo` of the runner's github context. */
  readonly repository: string;
  readonly serverUrl: string;
  readonly runs: readonly RunRecord[];
  /** The runner's current commit and ref (the head of that ref). */
  head(): { sha: string; ref: string };
  /** Tokens the runner handed to its runs (`github.token`). */
  tokens(): Set<string>;
  artifactsOf(runId: string): { name: string; sizeInBytes: number; createdAt: number }[] | undefined;
  /** The path GitHub shows for a run's workflow (`.github/workflows/<file>` when the runner maps a file name to it). */
  githubPath(workflow: string): string;
  /** Starts a workflow_dispatch of `file` (as GitHub names it) on `ref`; throws GithubApiError. */
  dispatch(file: string, ref: string | undefined, inputs: Record<string, string>): void;
}

export interface GithubApi {
  readonly url: string;
  /** Directory holding the `gh` shim (put first on PATH). */
  readonly shimDir: string;
  stop(): Promise<void>;
}

const isoTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const numericId = (id: string): number | string => (/^\d+$/.test(id) ? Number(id) : id);

/** The sha a ref names among the runner's commits: a full or abbreviated (7+) sha, a branch or a full ref. */
export function resolveCommit(host: Pick<GithubApiHost, 'runs' | 'head'>, ref: string): string | undefined {
  const known = [host.head(), ...[...host.runs].reverse().map((r) => ({ sha: r.headSha, ref: r.ref }))];
  const lower = ref.toLowerCase();
  if (/^[0-9a-f]{7,40}$/.test(lower)) {
    const shas = new Set(known.map((k) => k.sha.toLowerCase()).filter((sha) => sha.startsWith(lower)));
    if (shas.size === 1) return [...shas][0];
  }
  const full = ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
  return known.find((k) => k.ref === full || k.ref === `refs/tags/${ref}`)?.sha;
}

function runJson(host: GithubApiHost, base: string, run: RunRecord): RunJson {
  const [owner, repo] = host.repository.split('/');
  return {
    id: numericId(run.runId),
    name: run.name,
    display_title: run.name,
    head_branch: run.ref.replace(/^refs\/(heads|tags)\//, ''),
    head_sha: run.headSha,
    path: host.githubPath(run.workflow),
    run_number: Number(run.runNumber) || 0,
    run_attempt: Number(run.runAttempt) || 1,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    url: `${base}/repos/${owner}/${repo}/actions/runs/${run.runId}`,
    html_url: `${host.serverUrl}/${owner}/${repo}/actions/runs/${run.runId}`,
    created_at: isoTime(run.createdAt),
    updated_at: isoTime(run.updatedAt),
    run_started_at: isoTime(run.createdAt),
  };
}

function route(host: GithubApiHost, base: string, method: string, url: URL, body: unknown, artifactIds: Map<string, number>): { status: number; json?: unknown } {
  const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(url.pathname);
  if (!match || `${match[1]}/${match[2]}`.toLowerCase() !== host.repository.toLowerCase()) throw new GithubApiError(404, 'Not Found');
  const rest = decodeURIComponent(match[3]!);
  const [owner, repo] = host.repository.split('/');
  const q = url.searchParams;
  if (method === 'GET' && rest.startsWith('/commits/')) {
    const ref = rest.slice('/commits/'.length);
    const sha = resolveCommit(host, ref);
    if (!sha) throw new GithubApiError(422, `No commit found for SHA: ${ref}`);
    const commit: CommitJson = { sha, url: `${base}/repos/${owner}/${repo}/commits/${sha}`, html_url: `${host.serverUrl}/${owner}/${repo}/commit/${sha}` };
    return { status: 200, json: commit };
  }
  if (method === 'GET' && rest === '/actions/runs') {
    const filtered = [...host.runs]
      .filter((r) => !q.get('head_sha') || r.headSha === q.get('head_sha'))
      .filter((r) => !q.get('event') || r.event === q.get('event'))
      .filter((r) => !q.get('branch') || r.ref.replace(/^refs\/heads\//, '') === q.get('branch'))
      .filter((r) => !q.get('status') || r.status === q.get('status') || r.conclusion === q.get('status'))
      .sort((a, b) => b.createdAt - a.createdAt || host.runs.indexOf(b) - host.runs.indexOf(a));
    const perPage = Math.min(100, Math.max(1, Number(q.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(q.get('page') ?? 1) || 1);
    return { status: 200, json: { total_count: filtered.length, workflow_runs: filtered.slice((page - 1) * perPage, page * perPage).map((r) => runJson(host, base, r)) } };
  }
  const runMatch = /^\/actions\/runs\/([^/]+)(\/artifacts)?$/.exec(rest);
  if (method === 'GET' && runMatch) {
    const run = [...host.runs].reverse().find((r) => r.runId === runMatch[1]);
    const artifacts = host.artifactsOf(runMatch[1]!);
    if (!run || !artifacts) throw new GithubApiError(404, 'Not Found');
    if (!runMatch[2]) return { status: 200, json: runJson(host, base, run) };
    const listed = artifacts
      .filter((a) => !q.get('name') || a.name === q.get('name'))
      .map((a): ArtifactJson => {
        const key = `${run.runId}/${a.name}`;
        if (!artifactIds.has(key)) artifactIds.set(key, artifactIds.size + 1);
        const id = artifactIds.get(key)!;
        return {
          id,
          name: a.name,
          size_in_bytes: a.sizeInBytes,
          url: `${base}/repos/${owner}/${repo}/actions/artifacts/${id}`,
          archive_download_url: `${base}/repos/${owner}/${repo}/actions/artifacts/${id}/zip`,
          expired: false,
          created_at: isoTime(a.createdAt),
          updated_at: isoTime(a.createdAt),
          workflow_run: { id: numericId(run.runId), head_branch: run.ref.replace(/^refs\/(heads|tags)\//, ''), head_sha: run.headSha },
        };
      });
    return { status: 200, json: { total_count: listed.length, artifacts: listed } };
  }
  const dispatchMatch = /^\/actions\/workflows\/([^/]+)\/dispatches$/.exec(rest);
  if (method === 'POST' && dispatchMatch) {
    const request = (body ?? {}) as { ref?: unknown; inputs?: unknown };
    const inputs = request.inputs && typeof request.inputs === 'object' ? (request.inputs as Record<string, unknown>) : {};
    host.dispatch(dispatchMatch[1]!, typeof request.ref === 'string' ? request.ref : undefined, Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, String(v)])));
    return { status: 204 };
  }
  throw new GithubApiError(404, 'Not Found');
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new GithubApiError(400, 'Problems parsing JSON');
  }
}

/** Starts the API on 127.0.0.1 (a free port) and writes the `gh` shim into `dir`. */
export async function startGithubApi(host: GithubApiHost, dir: string): Promise<GithubApi> {
  const shimDir = join(dir, 'bin');
  mkdirSync(shimDir, { recursive: true });
  writeFileSync(join(shimDir, 'gh'), `#!${process.execPath}\n${GH_SHIM}`);
  chmodSync(join(shimDir, 'gh'), 0o755);
  const artifactIds = new Map<string, number>();
  let base = '';
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const send = (status: number, json?: unknown) => {
      response.writeHead(status, json === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' });
      response.end(json === undefined ? undefined : JSON.stringify(json));
    };
    void (async () => {
      try {
        const auth = /^(?:token|bearer)\s+(.+)$/i.exec(request.headers.authorization ?? '');
        if (!auth) throw new GithubApiError(401, 'Requires authentication');
        if (!host.tokens().has(auth[1]!.trim())) throw new GithubApiError(401, 'Bad credentials');
        const body = await readBody(request);
        const done = route(host, base, request.method ?? 'GET', new URL(request.url ?? '/', base), body, artifactIds);
        send(done.status, done.json);
      } catch (error) {
        const status = error instanceof GithubApiError ? error.status : 500;
        const json: ErrorJson = { message: (error as Error).message, documentation_url: 'https://docs.github.com/rest', status: String(status) };
        send(status, json);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    shimDir,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The `gh` shim (CommonJS, run by the runner's node): see the header. */
const GH_SHIM = String.raw`'use strict';
// gh as far as safe-deploy's workflows use it, against the local runner's GitHub API (packages/local/src/workflow-github.ts).
const api = process.env.${GITHUB_API_ENV} || '';
const say = (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n');
const die = (text, code = 1) => { say(text); process.exit(code); };
const args = process.argv.slice(2);
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(api)) die('gh (local shim): ${GITHUB_API_ENV} must name the local runner\'s API on 127.0.0.1');
const token = process.env.GH_TOKEN || process.env.GITHUB_TOKEN || '';
if (!token) die('gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable. Example:\n  env:\n    GH_TOKEN: $' + '{{ github.token }}', 4);
const headers = { authorization: 'token ' + token, accept: 'application/vnd.github+json' };
const noRepo = () => die('failed to run git: fatal: not a git repository (or any of the parent directories): .git');

function flags(list, known) {
  const found = { _: [] };
  for (let i = 0; i < list.length; i++) {
    const arg = list[i];
    if (!arg.startsWith('-')) { found._.push(arg); continue; }
    const [flag, inline] = arg.includes('=') && arg.startsWith('--') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const name = known[flag];
    if (!name) die('unknown flag: ' + flag + '\n\n(gh local shim: only ' + Object.keys(known).join(', ') + ')');
    const value = inline !== undefined ? inline : list[++i];
    if (value === undefined) die('flag needs an argument: ' + flag);
    (found[name] = found[name] || []).push(value);
  }
  return found;
}

async function ghApi(list) {
  const f = flags(list, { '-X': 'method', '--method': 'method', '-H': 'header', '--header': 'header', '--jq': 'jq', '-q': 'jq' });
  if (f.jq) die('gh (local shim): --jq is not modelled; print the JSON and pick the fields in the step');
  const method = (f.method || ['GET']).at(-1).toUpperCase();
  if (method !== 'GET') die('gh (local shim): gh api ' + method + ' is not modelled, only GET');
  if (f._.length !== 1) die('accepts 1 arg(s), received ' + f._.length);
  let path = f._[0].replace(/^\//, '');
  if (path.includes('{owner}') || path.includes('{repo}')) {
    const repo = process.env.GH_REPO || noRepo();
    const [owner, name] = repo.split('/');
    path = path.replaceAll('{owner}', owner).replaceAll('{repo}', name);
  }
  const response = await fetch(api + '/' + path, { headers });
  const text = await response.text();
  process.stdout.write(text);
  if (response.status >= 300) {
    let message = '';
    try { message = JSON.parse(text).message || ''; } catch {}
    die(message ? 'gh: ' + message + ' (HTTP ' + response.status + ')' : 'gh: HTTP ' + response.status);
  }
}

async function workflowRun(list) {
  const f = flags(list, { '--repo': 'repo', '-R': 'repo', '--ref': 'ref', '-r': 'ref', '-f': 'field', '--raw-field': 'field', '-F': 'field', '--field': 'field' });
  if (f._.length !== 1) die('accepts 1 arg(s), received ' + f._.length);
  const file = f._[0];
  const repo = (f.repo || []).at(-1) || process.env.GH_REPO || noRepo();
  const inputs = {};
  for (const field of f.field || []) {
    const at = field.indexOf('=');
    if (at < 1) die('field "' + field + '" requires a value separated by an \'=\' sign');
    inputs[field.slice(0, at)] = field.slice(at + 1);
  }
  const body = { inputs };
  if (f.ref) body.ref = f.ref.at(-1);
  const url = api + '/repos/' + repo + '/actions/workflows/' + encodeURIComponent(file) + '/dispatches';
  const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status === 404) die('could not find any workflows named ' + file);
  if (response.status >= 300) {
    let message = '';
    try { message = JSON.parse(await response.text()).message || ''; } catch {}
    die('could not create workflow dispatch event: HTTP ' + response.status + ': ' + message + ' (' + url + ')');
  }
}

(async () => {
  if (args[0] === 'api') return ghApi(args.slice(1));
  if (args[0] === 'workflow' && args[1] === 'run') return workflowRun(args.slice(2));
  die('gh (local shim): only "gh api" (GET) and "gh workflow run" are modelled, not "gh ' + args.join(' ') + '"');
})().catch((error) => die('gh (local shim): ' + error.message));
`;
