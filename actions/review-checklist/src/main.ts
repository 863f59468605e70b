// review-checklist: keeps the deployment-safety checklist comment on a pull request, credits ticks
// only to eligible reviewers, and records the answers in the `deploy-safety-checklist` check run.
//
// Everything that can be checked without GitHub is checked first (inputs, event), and octokit is
// imported only after that, so a mistake costs a fraction of a second to report. The template is
// read through the API at the pull request's base commit, so a pull request cannot weaken its own
// checklist and the workflow needs no checkout at all.
import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { logSafe } from '../../../packages/core/src/log-safe.js';
import { parseList } from '../../../packages/core/src/units.js';
import type { Evaluation } from '../../../packages/github/src/checklist-evaluate.js';
import { readTrigger } from '../../../packages/github/src/checklist-trigger.js';

const DEFAULT_PATH = '.github/deploy-checklist.yml';
const TEAM = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9][A-Za-z0-9._-]*)$/;

export interface Inputs {
  readonly checklist: string;
  readonly token: string;
  readonly teams: { org: string; team: string }[];
  readonly resetOnPush: boolean;
}

export function readInputs(): Inputs {
  const token = core.getInput('token');
  if (!token) throw new Error('input "token" is empty: pass a token that can write pull request comments and check runs (the default `${{ github.token }}` with permissions pull-requests: write, issues: write, checks: write)');
  core.setSecret(token);
  const teams = parseList(core.getInput('answerers')).map((entry) => {
    const match = TEAM.exec(entry.replace(/^@/, ''));
    if (!match) throw new Error(`input "answerers": "${entry}" is not a team; write org/team-slug, for example my-org/release-reviewers`);
    return { org: match[1] as string, team: match[2] as string };
  });
  const reset = (core.getInput('reset-on-push') || 'true').trim().toLowerCase();
  if (reset !== 'true' && reset !== 'false') throw new Error(`input "reset-on-push" must be true or false, not "${reset}"`);
  const checklist = (core.getInput('checklist') || DEFAULT_PATH).trim().replace(/^\.\//, '');
  if (checklist.startsWith('/') || checklist.split('/').includes('..') || checklist === '') {
    throw new Error(`input "checklist": "${checklist}" must be a path inside the repository, such as ${DEFAULT_PATH}`);
  }
  return { checklist, token, teams, resetOnPush: reset === 'true' };
}

function readEvent(): { name: string; payload: unknown; owner: string; repo: string } {
  const name = process.env.GITHUB_EVENT_NAME;
  const path = process.env.GITHUB_EVENT_PATH;
  const repository = process.env.GITHUB_REPOSITORY ?? '';
  if (!name || !path) throw new Error('GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: review-checklist runs inside a GitHub Actions workflow');
  const [owner, repo] = repository.split('/');
  if (!owner || !repo) throw new Error(`GITHUB_REPOSITORY "${repository}" is not owner/name`);
  return { name, payload: JSON.parse(readFileSync(path, 'utf8')), owner, repo };
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

async function writeSummary(evaluation: Evaluation, templateSource: string, requests: number): Promise<void> {
  const summary = core.summary.addHeading('Deployment safety checklist', 2);
  summary.addRaw(
    evaluation.complete
      ? `**Complete**: every required item is answered for \`${(evaluation.headSha ?? '').slice(0, 7)}\`.`
      : `**Incomplete**: ${evaluation.missing.length} required item(s) open for \`${(evaluation.headSha ?? '').slice(0, 7)}\`: ${evaluation.missing.map((id) => `\`${id}\``).join(', ')}.`,
    true,
  );
  summary.addTable([
    [
      { data: 'Section', header: true },
      { data: 'Item', header: true },
      { data: 'Required', header: true },
      { data: 'Answer', header: true },
      { data: 'Note', header: true },
    ],
    ...evaluation.rows.map((row) => [
      row.section,
      `${row.text} (${row.id})`,
      row.required ? 'yes' : 'no',
      row.answer ? `${row.answer.answer === 'yes' ? 'yes' : 'not applicable'} — @${row.answer.by}, ${formatTime(row.answer.at)}` : row.required ? 'open' : '—',
      row.note?.text ?? '',
    ]),
  ]);
  if (evaluation.conclusion) {
    summary.addRaw(`Check run \`deploy-safety-checklist\` on this commit: **${evaluation.conclusion}**${evaluation.complete && evaluation.conclusion !== 'success' ? ' (another open pull request with this head is not answered yet; see the check run)' : ''}.`, true);
  }
  if (evaluation.events.length > 0) summary.addRaw('**This run:**', true).addList(evaluation.events);
  summary.addRaw(
    `Template: ${templateSource}. Edits read from: ${evaluation.source}. GitHub API requests: ${requests}.` +
      (evaluation.commentUrl ? ` [Checklist comment](${evaluation.commentUrl}).` : ''),
    true,
  );
  await summary.write();
}

async function nothingToDo(reason: string): Promise<void> {
  core.info(`Nothing to do: ${logSafe(reason, 2000)}.`);
  core.setOutput('evaluated', 'false');
  await core.summary.addHeading('Deployment safety checklist', 2).addRaw(`Nothing to do: ${reason}.`, true).write();
}

export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const event = readEvent();
    const trigger = readTrigger(event.name, event.payload);
    if (trigger.kind === 'ignore') {
      await nothingToDo(trigger.reason);
      return;
    }

    // Only now load octokit (a few hundred milliseconds) and the adapter that uses it.
    const { getOctokit } = await import('@actions/github');
    const { evaluateChecklist } = await import('../../../packages/github/src/checklist-evaluate.js');
    const octokit = getOctokit(inputs.token);
    let requests = 0;
    octokit.hook.before('request', () => {
      requests += 1;
    });
    octokit.hook.wrap('request', async (request, options) => {
      // Reads and in-place updates are safe to repeat; a create (POST) is not, except GraphQL queries.
      const repeatable = options.method !== 'POST' || String(options.url).endsWith('/graphql');
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await request(options);
        } catch (error) {
          const status = typeof error === 'object' && error !== null && 'status' in error ? Number((error as { status: unknown }).status) : 0;
          const transient = status >= 500 || status === 429;
          if (!repeatable || !transient || attempt >= 3) throw error;
          core.info(`GitHub answered ${status} to ${options.method} ${String(options.url)}; retrying (attempt ${attempt + 1} of 3)`);
          await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** (attempt - 1)));
        }
      }
    });
    const evaluation = await evaluateChecklist({
      octokit,
      repo: { owner: event.owner, repo: event.repo },
      trigger,
      checklistPath: inputs.checklist,
      checklistExplicit: inputs.checklist !== DEFAULT_PATH,
      teams: inputs.teams,
      resetOnPush: inputs.resetOnPush,
      graphqlUrl: process.env.GITHUB_GRAPHQL_URL || undefined,
      now: () => new Date(),
      log: (line) => core.info(logSafe(line, 2000)),
    });
    core.info(`GitHub API requests: ${requests}`);
    if (evaluation.status === 'ignored') {
      await nothingToDo(evaluation.reason ?? 'the event needs no evaluation');
      return;
    }
    core.info(`Checklist template: ${evaluation.templateSource}.`);
    for (const line of evaluation.events) core.info(logSafe(line, 2000));
    core.info(evaluation.complete ? 'Checklist complete.' : `Checklist incomplete; open: ${evaluation.missing.join(', ')}`);
    if (evaluation.conclusion) core.info(`Check run on ${(evaluation.headSha ?? '').slice(0, 7)}: ${evaluation.conclusion}`);
    core.setOutput('complete', String(evaluation.complete));
    core.setOutput('missing', JSON.stringify(evaluation.missing));
    core.setOutput('comment-id', String(evaluation.commentId ?? ''));
    core.setOutput('evaluated', 'true');
    await writeSummary(evaluation, evaluation.templateSource, requests);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const status = typeof error === 'object' && error !== null && 'status' in error ? Number((error as { status: unknown }).status) : 0;
    if (status === 401 || status === 403) {
      core.setFailed(
        `${message} (HTTP ${status}). The token needs pull-requests: write, issues: write, checks: write and contents: read. ` +
          'A pull request from a fork gets a read-only GITHUB_TOKEN under pull_request: run this action on pull_request_target ' +
          '(without checking out the pull request) and issue_comment instead; see docs/review-checklist.md.',
      );
      return;
    }
    core.setFailed(message);
  }
}
