// The sticky checklist comment: how it is written, and what a (possibly edited) copy of it says.
//
// Every answerable box sits on a line of its own that ends in a hidden tag naming the item:
//
//   - [x] The change is backward compatible and safe to roll back. <!-- item:rollback-safe -->
//     - [ ] Not applicable to this change <!-- na:rollback-safe -->
//     - ✅ Answered by @alice on 2026-11-26 07:00 UTC
//
// Reading a body back, an item counts as intact only when its line appears exactly once, with the
// text the action wrote, visible (not inside an HTML comment, HTML block, <details> or code fence).
// Any other shape is tampering, and the item's answer is withdrawn: the action fails closed.
import { createHash } from 'node:crypto';
import type { ChecklistItem, ChecklistTemplate } from './checklist-template.js';
import { templateItems } from './checklist-template.js';
import { CHECKLIST_MARKER } from './checklist-marker.js';

export { CHECKLIST_MARKER, hasChecklistMarker } from './checklist-marker.js';
export const NA_TEXT = 'Not applicable to this change';

export type AnswerKind = 'yes' | 'na';

export interface Answer {
  readonly answer: AnswerKind;
  /** Login of the eligible reviewer credited with the tick. */
  readonly by: string;
  /** ISO time of the edit that made the tick. */
  readonly at: string;
}

export interface Note {
  readonly text: string;
  readonly at: string;
}

export interface RenderInput {
  readonly template: ChecklistTemplate;
  /** Ids of the items that must be answered for this change. */
  readonly required: readonly string[];
  readonly answers: Readonly<Record<string, Answer>>;
  readonly notes: Readonly<Record<string, Note>>;
  readonly headSha: string;
  /** Head commit whose answers were discarded when this head arrived, if any. */
  readonly resetFrom?: string | null;
}

/** Line endings as GitHub stores them after a browser edit (CRLF) are read as LF. */
export function normalizeBody(body: string): string {
  return body.replace(/\r\n?/g, '\n');
}

/** Fingerprint of a body, line endings normalised; the ledger keeps the one the action last wrote. */
export function bodyDigest(body: string): string {
  return createHash('sha256').update(normalizeBody(body)).digest('hex').slice(0, 32);
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function itemLine(item: ChecklistItem, ticked: boolean): string {
  return `- [${ticked ? 'x' : ' '}] ${item.text} <!-- item:${item.id} -->`;
}

function naLine(item: ChecklistItem, ticked: boolean): string {
  return `  - [${ticked ? 'x' : ' '}] ${NA_TEXT} <!-- na:${item.id} -->`;
}

/** Status counts shown in the comment, the check run and the job summary. */
export function checklistStatus(required: readonly string[], answers: Readonly<Record<string, Answer>>) {
  const missing = required.filter((id) => !answers[id]);
  return { answered: required.length - missing.length, total: required.length, missing, complete: missing.length === 0 };
}

export function renderChecklistBody(input: RenderInput): string {
  const { template, required, answers, notes } = input;
  const status = checklistStatus(required, answers);
  const lines: string[] = [
    CHECKLIST_MARKER,
    `## ${template.title}`,
    '',
    `Reviewers: tick each item once you have checked it for this change (commit \`${input.headSha.slice(0, 7)}\`). ` +
      'A tick counts only when it comes from a reviewer with write access to the repository who did not open the pull request; ' +
      'any other tick is removed again. The credited answers are recorded in the `deploy-safety-checklist` check run. ' +
      'Editing an item\'s text, striking it through, hiding or deleting it withdraws its answer.',
    '',
    status.complete
      ? `**Status: complete.** All ${status.total} required item(s) are answered.`
      : `**Status: ${status.answered} of ${status.total} required item(s) answered.** Still open: ${status.missing.map((id) => `\`${id}\``).join(', ')}.`,
  ];
  if (input.resetFrom) {
    const earlier = /^[0-9a-f]{40}$/.test(input.resetFrom) ? `\`${input.resetFrom.slice(0, 7)}\`` : input.resetFrom;
    lines.push('', `_New commits were pushed: the answers given for ${earlier} were cleared; answer again for \`${input.headSha.slice(0, 7)}\`._`);
  }
  const requiredSet = new Set(required);
  for (const section of template.sections) {
    lines.push('', `### ${section.title}`);
    for (const item of section.items) {
      const answer = answers[item.id];
      lines.push(itemLine(item, answer?.answer === 'yes'));
      if (item.na) lines.push(naLine(item, answer?.answer === 'na'));
      if (answer) {
        lines.push(
          answer.answer === 'yes'
            ? `  - ✅ Answered by @${answer.by} on ${formatTime(answer.at)}`
            : `  - ➖ Answered "not applicable" by @${answer.by} on ${formatTime(answer.at)}`,
        );
      }
      if (!requiredSet.has(item.id)) {
        lines.push(item.required ? '  - _Not required for this change: it touches none of the paths this item is about._' : '  - _Optional._');
      } else if (item.when) {
        lines.push(`  - _Required because this change touches ${item.when.paths.map((glob) => `\`${glob}\``).join(', ')}._`);
      }
      const note = notes[item.id];
      if (note) lines.push(`  - ⚠️ ${note.text} (${formatTime(note.at)})`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

export type TamperKind = 'changed' | 'struck' | 'hidden' | 'deleted' | 'duplicated';

export type ItemObservation =
  | { readonly status: 'intact'; readonly yes: boolean; readonly na: boolean }
  | { readonly status: 'tampered'; readonly kind: TamperKind };

export function describeTampering(kind: TamperKind): string {
  switch (kind) {
    case 'changed':
      return 'changed the text of this item';
    case 'struck':
      return 'struck this item through';
    case 'hidden':
      return 'hid this item';
    case 'deleted':
      return 'deleted this item';
    case 'duplicated':
      return 'added a copy of this item';
  }
}

const BOX_LINE = /^(\s*)[-*+] \[([ xX])\] (.*?) ?<!-- (item|na):([a-z0-9-]+) -->\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HTML_BLOCK_START = /^ {0,3}<\/?[a-zA-Z]/;
const STRIKE = /~~|<\/?(?:del|s|strike)(?:\s[^>]*)?>/gi;

interface Occurrence {
  readonly indent: string;
  readonly checked: boolean;
  readonly text: string;
  readonly hidden: boolean;
}

/** Finds every tagged box line and whether a reader of the rendered comment could see it. */
function scanBoxes(body: string): Map<string, Occurrence[]> {
  const found = new Map<string, Occurrence[]>();
  let fence: string | null = null;
  let inComment = false;
  let inHtmlBlock = false;
  let detailsDepth = 0;
  for (const line of normalizeBody(body).split('\n')) {
    const hidden = fence !== null || inComment || inHtmlBlock || detailsDepth > 0;
    const box = BOX_LINE.exec(line);
    if (box) {
      const [, indent, mark, text, kind, id] = box as unknown as [string, string, string, string, string, string];
      const key = `${kind}:${id}`;
      const list = found.get(key) ?? [];
      list.push({ indent, checked: mark !== ' ', text, hidden });
      found.set(key, list);
    } else if (/<!--\s*(?:item|na):/.test(line)) {
      // A tag on a line of any other shape (quoted, indented as code, inside a table): the item is not a box a reader sees.
      const tag = /<!--\s*(item|na):([a-z0-9-]+)\s*-->/.exec(line);
      if (tag) {
        const key = `${tag[1]}:${tag[2]}`;
        const list = found.get(key) ?? [];
        list.push({ indent: '', checked: false, text: line, hidden: true });
        found.set(key, list);
      }
    }

    // Update the state for the next line.
    if (fence !== null) {
      const close = FENCE.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length && line.trim() === close[1]) fence = null;
      continue;
    }
    let rest = line;
    if (inComment) {
      const end = rest.indexOf('-->');
      if (end === -1) continue;
      inComment = false;
      rest = rest.slice(end + 3);
    }
    const open = FENCE.exec(rest);
    if (open && !inHtmlBlock) {
      fence = open[1]!;
      continue;
    }
    const withoutComments = rest.replace(/<!--[\s\S]*?-->/g, '');
    if (withoutComments.includes('<!--')) inComment = true;
    const visible = withoutComments.split('<!--')[0] ?? '';
    detailsDepth = Math.max(0, detailsDepth + (visible.match(/<details[\s>]/gi)?.length ?? 0) - (visible.match(/<\/details\s*>/gi)?.length ?? 0));
    if (inHtmlBlock) {
      if (line.trim() === '') inHtmlBlock = false;
    } else if (HTML_BLOCK_START.test(visible) && !box) {
      inHtmlBlock = true;
    }
  }
  return found;
}

function judgeLine(occurrences: Occurrence[] | undefined, expectedText: string, expectedIndent: string): { kind: TamperKind } | { checked: boolean } {
  if (!occurrences || occurrences.length === 0) return { kind: 'deleted' };
  if (occurrences.length > 1) return { kind: 'duplicated' };
  const only = occurrences[0]!;
  if (only.hidden) return { kind: 'hidden' };
  if (only.text.trimEnd() !== expectedText) {
    return { kind: only.text.replace(STRIKE, '').trim() === expectedText ? 'struck' : 'changed' };
  }
  if (only.indent !== expectedIndent) return { kind: 'hidden' };
  return { checked: only.checked };
}

/** What a comment body says about each item of the template. */
export function observeChecklist(body: string, template: ChecklistTemplate): Map<string, ItemObservation> {
  const boxes = scanBoxes(body);
  const result = new Map<string, ItemObservation>();
  for (const item of templateItems(template)) {
    const main = judgeLine(boxes.get(`item:${item.id}`), item.text, '');
    if ('kind' in main) {
      result.set(item.id, { status: 'tampered', kind: main.kind });
      continue;
    }
    let na = false;
    if (item.na) {
      const box = judgeLine(boxes.get(`na:${item.id}`), NA_TEXT, '  ');
      if ('kind' in box) {
        result.set(item.id, { status: 'tampered', kind: box.kind });
        continue;
      }
      na = box.checked;
    } else if (boxes.has(`na:${item.id}`)) {
      result.set(item.id, { status: 'tampered', kind: 'changed' });
      continue;
    }
    result.set(item.id, { status: 'intact', yes: main.checked, na });
  }
  return result;
}
