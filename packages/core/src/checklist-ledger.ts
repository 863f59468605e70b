// The ledger of credited answers and the rules that credit ticks to reviewers.
//
// The comment is only the surface people click on; anyone who can comment can also edit a body
// they can see through the API. What counts is the ledger, kept in the output of the
// `deploy-safety-checklist` check run on the head commit, which only the app that created it can
// change. Each evaluation replays the edits made to the comment since the body the action last
// wrote, one revision at a time, and credits a tick only to the editor who made it, when that
// editor is eligible. Everything else is removed from the comment again, with the reason.
import { z } from 'zod';
import type { Answer, ItemObservation, Note, TamperKind } from './checklist-comment.js';
import { bodyDigest, describeTampering, observeChecklist } from './checklist-comment.js';
import type { ChecklistTemplate } from './checklist-template.js';
import { templateItems } from './checklist-template.js';

export const CHECK_RUN_NAME = 'deploy-safety-checklist';
export const LEDGER_FORMAT = 1;

const answerSchema = z.object({ answer: z.enum(['yes', 'na']), by: z.string().min(1), at: z.string().min(1) });
const noteSchema = z.object({ text: z.string(), at: z.string() });

export const ledgerSchema = z.object({
  format: z.literal(LEDGER_FORMAT),
  /** Pull request number: a ledger never travels to another pull request. */
  pr: z.number().int().positive(),
  /** Head commit the answers are for. */
  head: z.string().min(7),
  /** Id of the sticky comment (the only comment whose edits are read). */
  commentId: z.number().int().positive().nullable(),
  /** Login that wrote the comment (the token's identity). */
  bot: z.string().nullable(),
  /** Fingerprint of the template the `required` list was computed from. */
  template: z.string(),
  /** Items that must be answered for the paths this head changes. */
  required: z.array(z.string()),
  answers: z.record(z.string(), answerSchema),
  notes: z.record(z.string(), noteSchema),
  /** Digest of the body the action last wrote: the baseline the next edits are replayed from. */
  written: z.string().nullable(),
  /** Head whose answers were cleared when this head arrived. */
  resetFrom: z.string().nullable(),
  /** GitHub's time of the write that started this ledger afresh: edits older than it belong to an earlier head. */
  started: z.string().nullable().default(null),
});

export type Ledger = z.output<typeof ledgerSchema>;

const LEDGER_OPEN = '<!-- safe-deploy:ledger -->';

/** The machine-readable part of the check run output (a visible JSON block, so people can audit it). */
export function encodeLedger(ledger: Ledger): string {
  return `${LEDGER_OPEN}\n\`\`\`json\n${JSON.stringify(ledger)}\n\`\`\``;
}

export function decodeLedger(text: string | null | undefined): Ledger | null {
  if (!text) return null;
  const start = text.indexOf(LEDGER_OPEN);
  if (start === -1) return null;
  const match = /```json\n([^\n]*)\n```/.exec(text.slice(start));
  if (!match) return null;
  try {
    const parsed = ledgerSchema.safeParse(JSON.parse(match[1] as string));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Who may answer, as far as the pure rules can tell without asking GitHub. */
export interface Editor {
  readonly login: string;
  readonly bot: boolean;
}

export type Eligibility = { readonly eligible: true } | { readonly eligible: false; readonly reason: string };

/** The checks that need no API call: the author and bots never answer. Null means "ask GitHub". */
export function preliminaryEligibility(editor: Editor, prAuthor: string): Eligibility | null {
  if (editor.login.toLowerCase() === prAuthor.toLowerCase()) {
    return { eligible: false, reason: `@${editor.login} opened this pull request, and authors cannot answer their own checklist` };
  }
  if (editor.bot || /\[bot\]$/i.test(editor.login)) {
    return { eligible: false, reason: `@${editor.login} is a bot, and only people can answer` };
  }
  return null;
}

/** One state of the comment body in its edit history. */
export interface Revision {
  /** Null when the revision was deleted from the history. */
  readonly body: string | null;
  /** Who produced this revision (null when GitHub no longer knows, e.g. a deleted account). */
  readonly editor: Editor | null;
  readonly at: string;
}

export interface ReplayResult {
  readonly answers: Record<string, Answer>;
  readonly notes: Record<string, Note>;
  /** Human-readable account of what happened, one line per credited or refused change. */
  readonly log: string[];
}

type BoxChange = { readonly item: string; readonly box: 'yes' | 'na'; readonly ticked: boolean };

function boxChanges(before: Map<string, ItemObservation>, after: Map<string, ItemObservation>): BoxChange[] {
  const changes: BoxChange[] = [];
  for (const [item, next] of after) {
    if (next.status !== 'intact') continue;
    const prev = before.get(item);
    const prevYes = prev?.status === 'intact' ? prev.yes : false;
    const prevNa = prev?.status === 'intact' ? prev.na : false;
    if (prevYes !== next.yes) changes.push({ item, box: 'yes', ticked: next.yes });
    if (prevNa !== next.na) changes.push({ item, box: 'na', ticked: next.na });
  }
  return changes;
}

/** Logins whose eligibility matters for replaying these revisions (they ticked something). */
export function editorsToJudge(template: ChecklistTemplate, revisions: readonly Revision[]): Editor[] {
  const editors = new Map<string, Editor>();
  let previous: Map<string, ItemObservation> | null = null;
  for (const revision of revisions) {
    if (revision.body === null) {
      previous = null;
      continue;
    }
    const current = observeChecklist(revision.body, template);
    if (previous && revision.editor && boxChanges(previous, current).some((change) => change.ticked)) {
      editors.set(revision.editor.login.toLowerCase(), revision.editor);
    }
    previous = current;
  }
  return [...editors.values()];
}

/**
 * Replays edits onto the ledger's answers.
 *
 * `revisions[0]` is the baseline (the body the action last wrote); each later revision is one edit,
 * made by its editor. A deleted revision breaks the chain: changes across the gap cannot be
 * credited to anyone. Rules, per item:
 * - an edit that changes, strikes, hides, duplicates or deletes the item withdraws its answer;
 * - a tick is credited to the editor when `judge` finds them eligible, otherwise it is refused;
 * - removing a tick withdraws the answer, whoever does it (failing closed).
 */
export function replayRevisions(input: {
  readonly template: ChecklistTemplate;
  readonly answers: Readonly<Record<string, Answer>>;
  readonly notes: Readonly<Record<string, Note>>;
  readonly revisions: readonly Revision[];
  readonly judge: (editor: Editor) => Eligibility;
}): ReplayResult {
  const answers: Record<string, Answer> = { ...input.answers };
  const notes: Record<string, Note> = { ...input.notes };
  const log: string[] = [];
  const { template } = input;
  const knownItems = new Set(templateItems(template).map((item) => item.id));
  const first = input.revisions[0];
  if (!first || first.body === null) return { answers, notes, log };

  let previous = observeChecklist(first.body, template);
  let gap = false;
  for (const revision of input.revisions.slice(1)) {
    if (revision.body === null) {
      gap = true;
      continue;
    }
    const current = observeChecklist(revision.body, template);
    const editor = gap ? null : revision.editor;
    const who = editor ? `@${editor.login}` : 'an edit whose author is unknown (its history was deleted)';

    for (const [item, observation] of current) {
      if (observation.status !== 'tampered') continue;
      const before = previous.get(item);
      if (before?.status === 'tampered' && before.kind === observation.kind) continue; // already handled
      const kind: TamperKind = observation.kind;
      const had = answers[item];
      delete answers[item];
      notes[item] = {
        text: `${editor ? `@${editor.login}` : 'Someone'} ${describeTampering(kind)}${had ? `, so the answer by @${had.by} was withdrawn` : ''}. The item was restored; answer it again.`,
        at: revision.at,
      };
      log.push(`${item}: ${who} ${describeTampering(kind)}; ${had ? 'answer withdrawn' : 'nothing was answered'}`);
    }

    const changes = boxChanges(previous, current);
    const ticked = new Map<string, BoxChange[]>();
    for (const change of changes) {
      if (!knownItems.has(change.item)) continue;
      if (!change.ticked) {
        const had = answers[change.item];
        if (had && had.answer === change.box) {
          delete answers[change.item];
          notes[change.item] = { text: `${editor ? `@${editor.login}` : 'An edit whose author is unknown'} removed the answer by @${had.by}.`, at: revision.at };
          log.push(`${change.item}: ${who} removed the answer by @${had.by}`);
        }
        continue;
      }
      ticked.set(change.item, [...(ticked.get(change.item) ?? []), change]);
    }
    for (const [item, ticks] of ticked) {
      if (ticks.length > 1) {
        notes[item] = { text: `${who} ticked both the item and "not applicable"; tick only one.`, at: revision.at };
        log.push(`${item}: ${who} ticked both boxes; not credited`);
        continue;
      }
      const tick = ticks[0]!;
      if (!editor) {
        notes[item] = { text: `A tick was removed: it was made by ${who}, so nobody eligible can be credited with it.`, at: revision.at };
        log.push(`${item}: tick by ${who} not credited`);
        continue;
      }
      const verdict = input.judge(editor);
      if (verdict.eligible) {
        answers[item] = { answer: tick.box, by: editor.login, at: revision.at };
        delete notes[item];
        log.push(`${item}: credited to @${editor.login}${tick.box === 'na' ? ' (not applicable)' : ''}`);
      } else {
        notes[item] = { text: `The tick by @${editor.login} was removed: ${verdict.reason}.`, at: revision.at };
        log.push(`${item}: tick by @${editor.login} not credited: ${verdict.reason}`);
      }
    }
    previous = current;
    gap = false;
  }
  return { answers, notes, log };
}

/**
 * Settles a body whose edits cannot be replayed (the body the action last wrote is no longer in the
 * edit history, or GitHub would not return the history). Nobody can be credited, so:
 * a tick the answers do not explain is removed, an answer whose tick is gone is withdrawn, and a
 * tampered item loses its answer. `reason` says why no history was available.
 */
export function settleWithoutHistory(input: {
  readonly template: ChecklistTemplate;
  readonly body: string;
  readonly answers: Readonly<Record<string, Answer>>;
  readonly notes: Readonly<Record<string, Note>>;
  readonly reason: string;
  readonly at: string;
}): ReplayResult {
  const answers: Record<string, Answer> = { ...input.answers };
  const notes: Record<string, Note> = { ...input.notes };
  const log: string[] = [];
  for (const [item, observation] of observeChecklist(input.body, input.template)) {
    const answer = answers[item];
    if (observation.status === 'tampered') {
      delete answers[item];
      notes[item] = {
        text: `Someone ${describeTampering(observation.kind)}${answer ? `, so the answer by @${answer.by} was withdrawn` : ''}. The item was restored; answer it again.`,
        at: input.at,
      };
      log.push(`${item}: ${describeTampering(observation.kind)} by an unknown editor (${input.reason})`);
      continue;
    }
    const shown = observation.yes ? 'yes' : observation.na ? 'na' : null;
    if (answer && shown !== answer.answer) {
      delete answers[item];
      notes[item] = { text: `The answer by @${answer.by} was removed from the comment by an edit whose author is unknown (${input.reason}); answer it again.`, at: input.at };
      log.push(`${item}: answer by @${answer.by} withdrawn (${input.reason})`);
    } else if (!answer && shown) {
      notes[item] = { text: `A tick was removed: nobody eligible can be credited with it, because ${input.reason}. Tick it again.`, at: input.at };
      log.push(`${item}: tick not credited (${input.reason})`);
    }
  }
  return { answers, notes, log };
}

/** Keeps only answers and notes for items of the template (an item removed from the template drops its answer). */
export function pruneToTemplate<T>(template: ChecklistTemplate, record: Readonly<Record<string, T>>): Record<string, T> {
  const ids = new Set(templateItems(template).map((item) => item.id));
  return Object.fromEntries(Object.entries(record).filter(([id]) => ids.has(id)));
}

/** Index of the newest revision whose body is the one the action last wrote (the replay baseline), or -1. */
export function findBaseline(revisions: readonly Revision[], written: string | null): number {
  if (!written) return -1;
  for (let i = revisions.length - 1; i >= 0; i -= 1) {
    const body = revisions[i]!.body;
    if (body !== null && bodyDigest(body) === written) return i;
  }
  return -1;
}
