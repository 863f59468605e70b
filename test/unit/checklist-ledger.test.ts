import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Answer } from '../../packages/core/src/checklist-comment.js';
import { bodyDigest, CHECKLIST_MARKER, observeChecklist, renderChecklistBody } from '../../packages/core/src/checklist-comment.js';
import type { Editor, Eligibility, Ledger, Revision } from '../../packages/core/src/checklist-ledger.js';
import {
  decodeLedger,
  editorsToJudge,
  encodeLedger,
  findBaseline,
  preliminaryEligibility,
  replayRevisions,
  settleWithoutHistory,
} from '../../packages/core/src/checklist-ledger.js';
import { DEFAULT_TEMPLATE } from '../../packages/core/src/checklist-template.js';

const template = DEFAULT_TEMPLATE;
const required = ['unit-tests', 'integration-tests', 'canary-tests', 'metrics-alarms', 'safe-to-deploy-now', 'dependencies-deployed', 'rollback-safe', 'no-alarms'];
const HEAD = 'c'.repeat(40);
const AUTHOR = 'dev';
const writers = new Set(['alice', 'bob']);
const judge = (editor: Editor): Eligibility => preliminaryEligibility(editor, AUTHOR) ?? (writers.has(editor.login) ? { eligible: true } : { eligible: false, reason: `@${editor.login} has read permission` });

const UNIT = 'Unit tests cover the new and changed behaviour.';

function render(answers: Record<string, Answer> = {}): string {
  return renderChecklistBody({ template, required, answers, notes: {}, headSha: HEAD });
}
const tick = (body: string, text: string) => body.replace(`- [ ] ${text}`, `- [x] ${text}`);
const person = (login: string, bot = false): Editor => ({ login, bot });

describe('checklist comment', () => {
  it('starts with the marker and renders every item unticked', () => {
    const body = render();
    expect(body.startsWith(CHECKLIST_MARKER)).toBe(true);
    const seen = observeChecklist(body, template);
    expect([...seen.values()].every((o) => o.status === 'intact' && !o.yes && !o.na)).toBe(true);
  });

  it('reads ticks, also from CRLF bodies written by the browser', () => {
    const body = tick(render(), UNIT).replace(/\n/g, '\r\n');
    expect(observeChecklist(body, template).get('unit-tests')).toEqual({ status: 'intact', yes: true, na: false });
    expect(bodyDigest(body)).toBe(bodyDigest(body.replace(/\r\n/g, '\n')));
  });

  it.each([
    ['changed text', (b: string) => b.replace(UNIT, 'Unit tests exist.'), 'changed'],
    ['strike-through', (b: string) => b.replace(UNIT, `~~${UNIT}~~`), 'struck'],
    ['<del>', (b: string) => b.replace(UNIT, `<del>${UNIT}</del>`), 'struck'],
    ['deleted line', (b: string) => b.replace(/^- \[ \] Unit tests.*\n/m, ''), 'deleted'],
    ['inside an HTML comment', (b: string) => b.replace(/^(- \[ \] Unit tests.*)$/m, '<!--\n$1\n-->'), 'hidden'],
    ['inside <details>', (b: string) => b.replace(/^(- \[ \] Unit tests.*)$/m, '<details>\n\n$1\n\n</details>\n'), 'hidden'],
    ['inside a code fence', (b: string) => b.replace(/^(- \[ \] Unit tests.*)$/m, '```\n$1\n```'), 'hidden'],
    ['in an HTML block', (b: string) => b.replace(/^(- \[ \] Unit tests.*)$/m, '<div>\n$1'), 'hidden'],
    ['indented into a code block', (b: string) => b.replace(/^(- \[ \] Unit tests.*)$/m, '    $1'), 'hidden'],
    ['quoted', (b: string) => b.replace(/^(- \[ \] Unit tests.*)$/m, '> $1'), 'hidden'],
    ['duplicated', (b: string) => b.replace(/^(- \[ \] Unit tests.*)$/m, '$1\n- [x] Unit tests cover the new and changed behaviour. <!-- item:unit-tests -->'), 'duplicated'],
  ])('detects tampering: %s', (_name, edit, kind) => {
    const observed = observeChecklist(edit(render()), template);
    expect(observed.get('unit-tests')).toEqual({ status: 'tampered', kind });
    // An HTML block runs to the next blank line, so it swallows the items after it too.
    expect(observed.get('integration-tests')?.status).toBe(_name === 'in an HTML block' ? 'tampered' : 'intact');
  });

  it('an opened HTML comment hides the lines up to the next -->, which the next item tag supplies', () => {
    const observed = observeChecklist(render().replace('### Monitoring', '<!--\n### Monitoring'), template);
    expect(observed.get('unit-tests')?.status).toBe('intact');
    expect(observed.get('metrics-alarms')).toEqual({ status: 'tampered', kind: 'hidden' });
    expect(observed.get('no-alarms')?.status).toBe('intact');
  });

  it('an HTML block runs to the next blank line (a closing </details> swallows the item below it)', () => {
    const observed = observeChecklist(render().replace(/^(- \[ \] Unit tests.*)$/m, '<details>\n\n$1\n\n</details>'), template);
    expect(observed.get('integration-tests')).toEqual({ status: 'tampered', kind: 'hidden' });
  });

  it('never reads anything from arbitrary text as intact ticks it did not render (property)', () => {
    fc.assert(
      fc.property(fc.string(), (noise) => {
        const observed = observeChecklist(`${noise}\n${render()}`, template);
        // Whatever comes before, a genuine rendering still reads as unticked or as tampered, never as ticked.
        return [...observed.values()].every((o) => o.status === 'tampered' || (!o.yes && !o.na));
      }),
    );
  });

  it('shows who answered and why a tick was removed', () => {
    const body = renderChecklistBody({
      template,
      required,
      answers: { 'unit-tests': { answer: 'yes', by: 'alice', at: '2026-11-26T08:01:00Z' } },
      notes: { 'rollback-safe': { text: 'The tick by @dev was removed: authors cannot answer.', at: '2026-11-26T08:02:00Z' } },
      headSha: HEAD,
    });
    expect(body).toContain('- [x] Unit tests cover the new and changed behaviour. <!-- item:unit-tests -->\n  - ✅ Answered by @alice on 2026-11-26 08:01 UTC');
    expect(body).toContain('  - ⚠️ The tick by @dev was removed: authors cannot answer. (2026-11-26 08:02 UTC)');
    expect(body).toContain('**Status: 1 of 8 required item(s) answered.**');
  });
});

describe('crediting ticks', () => {
  const base = render();
  const revision = (body: string | null, editor: Editor | null, at: string): Revision => ({ body, editor, at });

  it('credits an eligible reviewer and refuses the author and read-only users', () => {
    let body = tick(base, UNIT);
    const r1 = revision(body, person('alice'), '2026-11-26T08:01:00Z');
    body = tick(body, 'Integration tests');
    const r2 = revision(body, person(AUTHOR), '2026-11-26T08:02:00Z');
    body = tick(body, 'It is safe to merge');
    const r3 = revision(body, person('reader'), '2026-11-26T08:03:00Z');
    const result = replayRevisions({ template, answers: {}, notes: {}, revisions: [revision(base, null, 't0'), r1, r2, r3], judge });
    expect(result.answers).toEqual({ 'unit-tests': { answer: 'yes', by: 'alice', at: '2026-11-26T08:01:00Z' } });
    expect(result.notes['integration-tests']?.text).toContain('@dev opened this pull request');
    expect(result.notes['safe-to-deploy-now']?.text).toContain('@reader has read permission');
  });

  it('does not credit a bot', () => {
    const result = replayRevisions({ template, answers: {}, notes: {}, revisions: [revision(base, null, 't0'), revision(tick(base, UNIT), person('renovate[bot]', true), 't1')], judge });
    expect(result.answers).toEqual({});
    expect(result.notes['unit-tests']?.text).toContain('is a bot');
  });

  it('credits "not applicable" and refuses both boxes at once', () => {
    const na = base.replace('- [ ] Not applicable to this change <!-- na:canary-tests -->', '- [x] Not applicable to this change <!-- na:canary-tests -->');
    const ok = replayRevisions({ template, answers: {}, notes: {}, revisions: [revision(base, null, 't0'), revision(na, person('bob'), 't1')], judge });
    expect(ok.answers['canary-tests']).toEqual({ answer: 'na', by: 'bob', at: 't1' });
    const both = replayRevisions({ template, answers: {}, notes: {}, revisions: [revision(base, null, 't0'), revision(tick(na, 'Canary or synthetic'), person('bob'), 't1')], judge });
    expect(both.answers['canary-tests']).toBeUndefined();
  });

  it('withdraws an answer when its tick is removed or its item is tampered with', () => {
    const answered = render({ 'unit-tests': { answer: 'yes', by: 'alice', at: 't0' }, 'rollback-safe': { answer: 'yes', by: 'bob', at: 't0' } });
    const answers = { 'unit-tests': { answer: 'yes', by: 'alice', at: 't0' }, 'rollback-safe': { answer: 'yes', by: 'bob', at: 't0' } } as const;
    const unticked = answered.replace(`- [x] ${UNIT}`, `- [ ] ${UNIT}`);
    const struck = unticked.replace(/The change is backward compatible and safe to roll back \(([^)]*)\)\./, (m) => `~~${m}~~`);
    const result = replayRevisions({
      template,
      answers,
      notes: {},
      revisions: [revision(answered, null, 't0'), revision(unticked, person('reader'), 't1'), revision(struck, person(AUTHOR), 't2')],
      judge,
    });
    expect(result.answers).toEqual({});
    expect(result.notes['unit-tests']?.text).toBe('@reader removed the answer by @alice.');
    expect(result.notes['rollback-safe']?.text).toContain('@dev struck this item through, so the answer by @bob was withdrawn');
  });

  it('credits nobody across a deleted revision', () => {
    const r1 = revision(null, person('alice'), 't1');
    const r2 = revision(tick(tick(base, UNIT), 'Integration tests'), person('bob'), 't2');
    const result = replayRevisions({ template, answers: {}, notes: {}, revisions: [revision(base, null, 't0'), r1, r2], judge });
    expect(result.answers).toEqual({});
    expect(result.notes['unit-tests']?.text).toContain('nobody eligible can be credited');
  });

  it('asks only about editors who ticked something', () => {
    const revisions = [revision(base, null, 't0'), revision(tick(base, UNIT), person('alice'), 't1'), revision(tick(base, UNIT).replace('## ', '## x'), person('carol'), 't2')];
    expect(editorsToJudge(template, revisions).map((e) => e.login)).toEqual(['alice']);
  });

  it('finds the baseline: the newest revision equal to the body the action wrote', () => {
    const revisions = [revision(base, null, 't0'), revision(tick(base, UNIT), person('alice'), 't1'), revision(base.replace(/\n/g, '\r\n'), person('alice'), 't2')];
    expect(findBaseline(revisions, bodyDigest(base))).toBe(2);
    expect(findBaseline(revisions, 'nope')).toBe(-1);
  });

  it('without history, removes unexplained ticks and withdraws answers whose tick is gone', () => {
    const answers = { 'rollback-safe': { answer: 'yes', by: 'bob', at: 't0' } } as const;
    const result = settleWithoutHistory({ template, body: tick(base, UNIT), answers, notes: {}, reason: 'the edit history is gone', at: 't9' });
    expect(result.answers).toEqual({});
    expect(result.notes['unit-tests']?.text).toContain('nobody eligible can be credited with it, because the edit history is gone');
    expect(result.notes['rollback-safe']?.text).toContain('answer by @bob was removed');
  });
});

describe('ledger in the check run output', () => {
  it('round-trips and refuses anything that does not fit', () => {
    const ledger: Ledger = {
      format: 1,
      pr: 7,
      head: HEAD,
      commentId: 1000,
      bot: 'github-actions[bot]',
      template: 'abc',
      required: ['unit-tests'],
      answers: { 'unit-tests': { answer: 'yes', by: 'alice', at: 't' } },
      notes: {},
      written: 'd',
      resetFrom: null,
      started: '2026-11-26T08:00:00Z',
    };
    const text = `Some prose\n${encodeLedger(ledger)}`;
    expect(decodeLedger(text)).toEqual(ledger);
    expect(decodeLedger(text.replace('"pr":7', '"pr":"7"'))).toBeNull();
    expect(decodeLedger('no ledger here')).toBeNull();
  });
});

describe('crediting, for any sequence of edits (property)', () => {
  const people = [person('alice'), person('bob'), person(AUTHOR), person('reader'), person('ci[bot]', true)];
  const items = ['unit-tests', 'integration-tests', 'rollback-safe'] as const;
  const lineOf: Record<(typeof items)[number], RegExp> = {
    'unit-tests': /^- \[[ x]\] (Unit tests.*)$/m,
    'integration-tests': /^- \[[ x]\] (Integration tests.*)$/m,
    'rollback-safe': /^- \[[ x]\] (The change is backward compatible.*)$/m,
  };
  const edit = fc.record({
    who: fc.integer({ min: 0, max: people.length - 1 }),
    item: fc.constantFrom(...items),
    action: fc.constantFrom('tick', 'untick', 'reword', 'strike', 'hide', 'delete'),
  });

  it('credits only eligible editors, and only for items they ticked themselves', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
        let body = render();
        const revisions: Revision[] = [{ body, editor: null, at: '2026-11-26T08:00:00Z' }];
        const tickedBy = new Map<string, Set<string>>();
        edits.forEach((step, i) => {
          const editor = people[step.who]!;
          const pattern = lineOf[step.item];
          const line = pattern.exec(body)?.[0];
          if (line) {
            if (step.action === 'tick') body = body.replace(line, line.replace('- [ ]', '- [x]'));
            if (step.action === 'untick') body = body.replace(line, line.replace('- [x]', '- [ ]'));
            if (step.action === 'reword') body = body.replace(line, line.replace(' tests', ' checks'));
            if (step.action === 'strike') body = body.replace(line, line.replace(pattern, (_m, text: string) => `${line.slice(0, 6)}~~${text.replace(/ <!--.*/, '')}~~${text.slice(text.indexOf(' <!--'))}`));
            if (step.action === 'hide') body = body.replace(line, `<!--\n${line}`);
            if (step.action === 'delete') body = body.replace(`${line}\n`, '');
            if (step.action === 'tick') tickedBy.set(step.item, new Set([...(tickedBy.get(step.item) ?? []), editor.login]));
          }
          revisions.push({ body, editor, at: `2026-11-26T08:${String(i + 1).padStart(2, '0')}:00Z` });
        });
        const result = replayRevisions({ template, answers: {}, notes: {}, revisions, judge });
        const finalView = observeChecklist(body, template);
        for (const [item, answer] of Object.entries(result.answers)) {
          if (!writers.has(answer.by)) return false; // never the author, a reader or a bot
          if (!tickedBy.get(item)?.has(answer.by)) return false; // only someone who ticked it
          const seen = finalView.get(item);
          if (seen?.status !== 'intact' || !seen.yes) return false; // and it still stands, untampered
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
