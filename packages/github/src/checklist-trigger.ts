// Reads the event the workflow run was started by and decides, before any GitHub call, whether
// there is a checklist to evaluate. Kept apart from the evaluation (and free of zod, yaml and
// octokit) so the action answers "nothing to do" in the time node takes to start.
import type { IssueCommentDeletedEvent, IssueCommentEditedEvent, PullRequestEvent, PullRequestReviewSubmittedEvent } from '@octokit/webhooks-types';
import type { Editor } from '../../core/src/checklist-ledger.js';
import { hasChecklistMarker } from '../../core/src/checklist-marker.js';

function sameLogin(a: string, b: string): boolean {
  const plain = (login: string) => login.toLowerCase().replace(/\[bot\]$/, '');
  return plain(a) === plain(b);
}

/** What the event asks for, decided before any GitHub call. */
export type Trigger =
  | {
      readonly kind: 'evaluate';
      readonly pr: number;
      /** Known from the payload for pull request events; fetched for comment events. */
      readonly author: string | null;
      readonly headSha: string | null;
      /** Base commit: the checklist template is read there, so a pull request cannot weaken its own checklist. */
      readonly baseSha: string | null;
      /** Base branch the payload names (pull request events); a payload that no longer matches the pull request is stale. */
      readonly baseRef: string | null;
      /** Previous head for `synchronize` (its ledger carries the comment id). */
      readonly before: string | null;
      /** Who pushed the new head (the `synchronize` sender): they cannot answer for it. */
      readonly pusher: string | null;
      /** The edit this event reports, when it is an edit of a checklist comment. */
      readonly edit: { readonly commentId: number; readonly from: string; readonly body: string; readonly editor: Editor; readonly at: string } | null;
      readonly commentId: number | null;
    }
  | { readonly kind: 'ignore'; readonly reason: string };

const PR_ACTIONS = new Set(['opened', 'synchronize', 'reopened', 'edited', 'ready_for_review']);

/**
 * Under `pull_request` and `pull_request_review`, a pull request from a fork gets a read-only token:
 * such runs step aside, and the `pull_request_target` and `issue_comment` runs (base repository's
 * token, no pull request code involved) keep the checklist.
 */
function fromFork(pull: { head: { repo: { full_name: string } | null }; base: { repo: { full_name: string } } }): boolean {
  return pull.head.repo?.full_name !== pull.base.repo.full_name;
}

const FORK_REASON =
  'the pull request comes from a fork, and this event gives it a read-only token; the pull_request_target and issue_comment runs keep its checklist';

/** Decides from the event alone whether there is anything to evaluate (copies by people cost no API call). */
export function readTrigger(eventName: string, payload: unknown): Trigger {
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const event = payload as PullRequestEvent;
    if (!PR_ACTIONS.has(event.action)) return { kind: 'ignore', reason: `pull request action "${event.action}" needs no evaluation` };
    if (eventName === 'pull_request' && fromFork(event.pull_request)) return { kind: 'ignore', reason: FORK_REASON };
    const before = event.action === 'synchronize' ? event.before : null;
    const pusher = event.action === 'synchronize' ? (event.sender?.login ?? null) : null;
    const pull = event.pull_request;
    return { kind: 'evaluate', pr: event.number, author: pull.user.login, headSha: pull.head.sha, baseSha: pull.base.sha, baseRef: pull.base.ref, before, pusher, edit: null, commentId: null };
  }
  if (eventName === 'pull_request_review') {
    const event = payload as PullRequestReviewSubmittedEvent;
    if (event.action !== 'submitted') return { kind: 'ignore', reason: `review action "${event.action}" needs no evaluation` };
    if (fromFork(event.pull_request)) return { kind: 'ignore', reason: FORK_REASON };
    const pull = event.pull_request;
    return { kind: 'evaluate', pr: pull.number, author: pull.user.login, headSha: pull.head.sha, baseSha: pull.base.sha, baseRef: pull.base.ref, before: null, pusher: null, edit: null, commentId: null };
  }
  if (eventName === 'issue_comment') {
    const event = payload as IssueCommentEditedEvent | IssueCommentDeletedEvent | { action: string; issue: IssueCommentEditedEvent['issue']; comment: IssueCommentEditedEvent['comment'] };
    if (event.action !== 'edited' && event.action !== 'deleted') return { kind: 'ignore', reason: `comment action "${event.action}" needs no evaluation` };
    if (!event.issue.pull_request) return { kind: 'ignore', reason: `#${event.issue.number} is an issue, not a pull request` };
    const comment = event.comment;
    const from = event.action === 'edited' ? ((event as IssueCommentEditedEvent).changes.body?.from ?? null) : null;
    if (!hasChecklistMarker(comment.body) && !hasChecklistMarker(from)) return { kind: 'ignore', reason: `comment ${comment.id} is not a checklist comment` };
    if (comment.user.type !== 'Bot') {
      return { kind: 'ignore', reason: `comment ${comment.id} copies the checklist marker but was posted by @${comment.user.login}, not by the action; it is ignored` };
    }
    const sender = (event as IssueCommentEditedEvent).sender;
    if (event.action === 'edited' && sender && sameLogin(sender.login, comment.user.login)) {
      return { kind: 'ignore', reason: `comment ${comment.id} was edited by its author @${comment.user.login} (this action); nothing to credit` };
    }
    const edit =
      event.action === 'edited' && from !== null && sender
        ? { commentId: comment.id, from, body: comment.body, editor: { login: sender.login, bot: sender.type === 'Bot' }, at: comment.updated_at }
        : null;
    return { kind: 'evaluate', pr: event.issue.number, author: event.issue.user.login, headSha: null, baseSha: null, baseRef: null, before: null, pusher: null, edit, commentId: comment.id };
  }
  return { kind: 'ignore', reason: `event "${eventName}" is not one review-checklist handles (pull_request, pull_request_target, issue_comment, pull_request_review)` };
}

