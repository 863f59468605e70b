export const id = 464;
export const ids = [464];
export const modules = {

/***/ 4464:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  evaluateChecklist: () => (/* binding */ evaluateChecklist)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(8816);
;// CONCATENATED MODULE: ./packages/core/src/checklist-glob.ts
// Path globs for checklist items that apply only when certain files change (`when.paths`).
//
// The dialect is the one people write in CODEOWNERS-like files and workflow `paths:` filters:
//   `*`   any characters within one path segment      `src/*.ts`
//   `**`  any number of whole segments (also none)     `infra/**`, `**/migrations/**`
//   `?`   one character other than `/`
//   `[ab]`, `[a-z]`, `[!ab]` one character from (or not from) a set
//   `{a,b}` either alternative (no nesting)
//   a leading `!` excludes what it matches from the patterns before it.
// Paths are repository-relative with forward slashes, as the pull request files API returns them.
// A pattern without a slash matches at any depth (`*.sql` matches `db/001.sql`), like .gitignore.
//
// The changed paths come from the pull request, so its author chooses them. Matching therefore uses
// no regular expression (an interior `**` compiled to `(?:[^/]+/)*` backtracks polynomially on long
// paths): braces are expanded up front, a path is matched segment by segment with a table over
// (pattern segment, path segment), and one segment with the linear-space wildcard algorithm. The work
// is bounded by (pattern segments × path segments × segment length²), never exponential, and is
// counted in `steps` when a meter is passed.
class GlobError extends Error {
    constructor(message) {
        super(message);
        this.name = 'GlobError';
    }
}
/** At most this many brace combinations per pattern (`{a,b}{c,d}` is 4). */
const MAX_ALTERNATIVES = 256;
function normalizePattern(glob) {
    let pattern = glob.trim();
    if (pattern === '')
        throw new GlobError('empty path pattern');
    if (pattern.startsWith('/'))
        pattern = pattern.slice(1);
    else if (!pattern.includes('/'))
        pattern = `**/${pattern}`;
    if (pattern.endsWith('/'))
        pattern = `${pattern}**`;
    return pattern;
}
/** Splits `{a,b}` groups into every combination (no nesting), after checking brackets and braces are closed. */
function expandBraces(glob, pattern) {
    let results = [''];
    let i = 0;
    while (i < pattern.length) {
        const char = pattern[i];
        if (char === '[') {
            const close = pattern.indexOf(']', i + 2);
            if (close === -1)
                throw new GlobError(`"${glob}": \`[\` without a closing \`]\``);
            const text = pattern.slice(i, close + 1);
            results = results.map((prefix) => prefix + text);
            i = close + 1;
        }
        else if (char === '{') {
            const close = pattern.indexOf('}', i + 1);
            if (close === -1)
                throw new GlobError(`"${glob}": \`{\` without a closing \`}\``);
            const inner = pattern.slice(i + 1, close);
            if (inner.includes('{'))
                throw new GlobError(`"${glob}": nested \`{\` is not supported`);
            const options = inner.split(',');
            results = results.flatMap((prefix) => options.map((option) => prefix + option));
            if (results.length > MAX_ALTERNATIVES)
                throw new GlobError(`"${glob}": more than ${MAX_ALTERNATIVES} brace combinations`);
            i = close + 1;
        }
        else {
            results = results.map((prefix) => prefix + char);
            i += 1;
        }
    }
    return results;
}
function parseSegment(glob, text) {
    const tokens = [];
    let i = 0;
    while (i < text.length) {
        const char = text[i];
        if (char === '*') {
            if (text[i + 1] === '*')
                throw new GlobError(`"${glob}": \`**\` must stand alone between slashes (write \`dir/**/*.ts\`)`);
            tokens.push({ kind: 'star' });
            i += 1;
        }
        else if (char === '?') {
            tokens.push({ kind: 'any-char' });
            i += 1;
        }
        else if (char === '[') {
            const close = text.indexOf(']', i + 2);
            if (close === -1)
                throw new GlobError(`"${glob}": \`[\` without a closing \`]\``);
            let set = text.slice(i + 1, close);
            const negate = set.startsWith('!') || set.startsWith('^');
            if (negate)
                set = set.slice(1);
            const ranges = [];
            for (let k = 0; k < set.length; k += 1) {
                const from = set[k];
                if (set[k + 1] === '-' && k + 2 < set.length) {
                    ranges.push([from, set[k + 2]]);
                    k += 2;
                }
                else {
                    ranges.push([from, from]);
                }
            }
            tokens.push({ kind: 'set', negate, ranges });
            i = close + 1;
        }
        else {
            tokens.push({ kind: 'char', char });
            i += 1;
        }
    }
    return tokens;
}
/** Compiles one glob (without a leading `!`); throws GlobError naming the glob when it is malformed. */
function compileGlob(glob) {
    const pattern = normalizePattern(glob);
    const alternatives = expandBraces(glob, pattern).map((expanded) => {
        const parts = expanded.split('/');
        return parts.map((part, index) => {
            if (part === '**')
                return { kind: 'globstar', last: index === parts.length - 1 };
            return { kind: 'tokens', tokens: parseSegment(glob, part) };
        });
    });
    return { source: glob, alternatives };
}
function tokenMatches(token, char) {
    switch (token.kind) {
        case 'char':
            return token.char === char;
        case 'any-char':
            return true;
        case 'star':
            return true;
        case 'set': {
            const inSet = token.ranges.some(([from, to]) => char >= from && char <= to);
            return token.negate ? !inSet : inSet;
        }
    }
}
/** One segment against one path segment: the iterative wildcard algorithm (back to the last `*` only). */
function segmentMatches(tokens, text, meter) {
    let t = 0;
    let s = 0;
    let star = -1;
    let mark = 0;
    while (s < text.length) {
        meter.steps += 1;
        const token = tokens[t];
        if (token && token.kind === 'star') {
            star = t;
            mark = s;
            t += 1;
        }
        else if (token && tokenMatches(token, text[s])) {
            t += 1;
            s += 1;
        }
        else if (star >= 0) {
            t = star + 1;
            mark += 1;
            s = mark;
        }
        else {
            return false;
        }
    }
    while (t < tokens.length && tokens[t].kind === 'star')
        t += 1;
    return t === tokens.length;
}
/** A path (split into segments) against one brace-free alternative: a table over (pattern segment, path segment). */
function alternativeMatches(segments, parts, meter) {
    // reach[j]: the pattern's first i segments can match the path's first j segments.
    let reach = new Array(parts.length + 1).fill(false);
    reach[0] = true;
    for (const segment of segments) {
        const next = new Array(parts.length + 1).fill(false);
        if (segment.kind === 'globstar') {
            // Any number of whole segments (a trailing `**` at least one, as `dir/**` names what is inside dir).
            let open = false;
            for (let j = 0; j <= parts.length; j += 1) {
                meter.steps += 1;
                if (open)
                    next[j] = true;
                if (reach[j]) {
                    if (!segment.last)
                        next[j] = true;
                    open = true;
                }
            }
        }
        else {
            for (let j = 0; j < parts.length; j += 1) {
                meter.steps += 1;
                if (reach[j] && segmentMatches(segment.tokens, parts[j], meter))
                    next[j + 1] = true;
            }
        }
        reach = next;
        if (!reach.includes(true))
            return false;
    }
    return reach[parts.length] === true;
}
/** True when the path matches the compiled glob. */
function globMatches(glob, path, meter = { steps: 0 }) {
    const parts = path.split('/');
    return glob.alternatives.some((segments) => alternativeMatches(segments, parts, meter));
}
/** Checks a glob's syntax (the template schema calls it); throws GlobError when it is malformed. */
function validateGlob(glob) {
    compileGlob(glob);
}
/** A matcher for a list of globs: a path matches when the last pattern that decides it is not a `!` pattern. */
function compileGlobs(globs, meter = { steps: 0 }) {
    const rules = globs.map((glob) => {
        const negate = glob.trim().startsWith('!');
        return { negate, glob: compileGlob(negate ? glob.trim().slice(1) : glob) };
    });
    return (path) => {
        const normalized = path.replace(/^\.?\//, '');
        let matched = false;
        for (const rule of rules) {
            if (globMatches(rule.glob, normalized, meter))
                matched = !rule.negate;
        }
        return matched;
    };
}
/** True when any of the paths matches the globs. */
function anyPathMatches(globs, paths) {
    const matcher = compileGlobs(globs);
    return paths.some((path) => matcher(path));
}

;// CONCATENATED MODULE: ./packages/core/src/checklist-template.ts
// The review checklist template: which questions reviewers answer before a change merges.
//
// A repository describes its checklist in `.github/deploy-checklist.yml`:
//
//   version: 1
//   sections:
//     - id: rollout
//       title: Rollout
//       items:
//         - id: rollback-safe
//           text: The change is backward compatible and safe to roll back.
//         - id: schema-migration
//           text: The migration runs before the code that needs it is deployed.
//           when: { paths: ["db/migrations/**"] }   # required only when these files change
//         - id: dashboards
//           text: Dashboards show the new behaviour.
//           required: false                          # shown, never blocks
//           na: true                                 # reviewers may answer "not applicable"
//
// Without the file the built-in DEFAULT_TEMPLATE applies. A template that does not parse or
// does not fit the schema is refused with file:line:col and the path of the bad value.




const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const itemSchema = schemas/* object */.Ikc({
    id: schemas/* string */.YjP().regex(ID, 'an id is lower-case letters, digits and dashes (at most 63), such as "rollback-safe"'),
    text: schemas/* string */.YjP()
        .trim()
        .min(1, 'the question must not be empty')
        .max(300)
        .refine((text) => !/[\r\n]/.test(text), 'the question must fit on one line')
        .refine((text) => !/<!--|-->|~~|<\/?(?:del|s|strike)>/i.test(text), 'the question must not contain HTML comments or strike-through'),
    required: schemas/* boolean */.zMY().default(true),
    na: schemas/* boolean */.zMY().default(false),
    when: schemas/* object */.Ikc({
        paths: schemas/* array */.YOg(schemas/* string */.YjP().superRefine((glob, ctx) => {
            try {
                validateGlob(glob.startsWith('!') ? glob.slice(1) : glob);
            }
            catch (error) {
                ctx.addIssue({ code: 'custom', message: error instanceof GlobError ? error.message : String(error) });
            }
        }))
            .min(1, 'list at least one path pattern'),
    })
        .strict()
        .optional(),
})
    .strict();
const sectionSchema = schemas/* object */.Ikc({
    id: schemas/* string */.YjP().regex(ID, 'an id is lower-case letters, digits and dashes (at most 63), such as "testing"'),
    title: schemas/* string */.YjP().trim().min(1).max(100),
    items: schemas/* array */.YOg(itemSchema).min(1, 'a section needs at least one item'),
})
    .strict();
const checklistTemplateSchema = schemas/* object */.Ikc({
    version: schemas/* literal */.euz(1),
    title: schemas/* string */.YjP().trim().min(1).max(100).default('Deployment safety checklist'),
    sections: schemas/* array */.YOg(sectionSchema).min(1, 'a checklist needs at least one section'),
})
    .strict()
    .superRefine((template, ctx) => {
    const seen = new Map();
    template.sections.forEach((section, s) => {
        section.items.forEach((item, i) => {
            const where = `sections[${s}].items[${i}]`;
            const first = seen.get(item.id);
            if (first)
                ctx.addIssue({ code: 'custom', path: ['sections', s, 'items', i, 'id'], message: `item id "${item.id}" is already used at ${first}` });
            else
                seen.set(item.id, where);
        });
    });
});
/** The checklist every repository gets until it writes its own. */
const DEFAULT_TEMPLATE = checklistTemplateSchema.parse({
    version: 1,
    title: 'Deployment safety checklist',
    sections: [
        {
            id: 'testing',
            title: 'Testing',
            items: [
                { id: 'unit-tests', text: 'Unit tests cover the new and changed behaviour.' },
                { id: 'integration-tests', text: 'Integration tests exercise the change against real dependencies, not mocks.' },
                { id: 'canary-tests', text: 'Canary or synthetic tests are updated to exercise the new behaviour in every stage.', na: true },
            ],
        },
        {
            id: 'monitoring',
            title: 'Monitoring',
            items: [
                { id: 'metrics-alarms', text: 'Metrics, alarms and dashboards cover the new behaviour, so a bad deployment is caught and rolled back.' },
            ],
        },
        {
            id: 'rollout',
            title: 'Rollout',
            items: [
                { id: 'safe-to-deploy-now', text: 'It is safe to merge and deploy this change now; nothing else must ship first or with it.' },
                { id: 'dependencies-deployed', text: 'Every dependency of this change is already deployed in every region and stage.', na: true },
                { id: 'rollback-safe', text: 'The change is backward compatible and safe to roll back (data and messages written by the new version are read by the old one).' },
                { id: 'no-alarms', text: 'The change deploys without triggering any alarm (no expected error spikes, cold starts or capacity changes).' },
            ],
        },
    ],
});
class ChecklistTemplateError extends Error {
    problems;
    constructor(message, problems) {
        super(message);
        this.problems = problems;
        this.name = 'ChecklistTemplateError';
    }
}
function formatPath(path) {
    let out = '';
    for (const key of path)
        out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
    return out === '' ? '(document)' : out;
}
/**
 * Parses a checklist template. Every problem is reported as `file:line:col: path: message`;
 * the error lists all of them so one fix round is enough.
 */
function parseChecklistTemplate(text, file) {
    const lineCounter = new dist/* LineCounter */.HN();
    const document = (0,dist/* parseDocument */.Tp)(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const where = (offset) => {
        const { line, col } = lineCounter.linePos(offset);
        return `${file}:${line}:${col}`;
    };
    if (document.errors.length > 0) {
        const problems = document.errors.map((error) => `${where(error.pos[0])}: ${error.message.split('\n')[0]}`);
        throw new ChecklistTemplateError(`checklist template ${file} is not valid YAML:\n${problems.join('\n')}`, problems);
    }
    const result = checklistTemplateSchema.safeParse(document.toJS() ?? {});
    if (result.success)
        return result.data;
    const problems = result.error.issues.map((issue) => {
        // Point at the deepest node that exists on the issue's path (a missing key points at its parent map).
        const path = [...issue.path];
        let node = null;
        if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) {
            // Point at the unknown key itself, not at its value.
            const map = document.getIn(path, true);
            const key = issue.keys[0];
            path.push(key);
            if ((0,dist/* isMap */.jh)(map))
                node = map.items.find((pair) => (0,dist/* isScalar */.jn)(pair.key) && pair.key.value === key)?.key ?? null;
        }
        for (let depth = path.length; depth >= 0 && !node; depth -= 1) {
            const found = document.getIn(path.slice(0, depth), true);
            if (found && typeof found === 'object' && 'range' in found)
                node = found;
            else if (depth === 0)
                node = document.contents ?? null;
        }
        const offset = node?.range?.[0] ?? 0;
        return `${where(offset)}: ${formatPath(path)}: ${issue.message}`;
    });
    throw new ChecklistTemplateError(`checklist template ${file} does not fit the schema:\n${problems.join('\n')}`, problems);
}
/** A short, stable fingerprint of a template, kept in the ledger to notice a changed template. */
function templateDigest(template) {
    return (0,external_node_crypto_.createHash)('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 16);
}
function templateItems(template) {
    return template.sections.flatMap((section) => section.items);
}
/**
 * The items that must be answered for a change touching `changedPaths`:
 * required items without `when.paths`, and required items one of whose globs matches a changed path.
 */
function requiredItemIds(template, changedPaths) {
    return templateItems(template)
        .filter((item) => item.required && (!item.when || changedPaths.some(compileGlobs(item.when.paths))))
        .map((item) => item.id);
}
/** True when some item's requirement depends on the changed paths (only then the files are fetched). */
function needsChangedPaths(template) {
    return templateItems(template).some((item) => item.required && item.when);
}

// EXTERNAL MODULE: ./packages/core/src/checklist-marker.ts
var checklist_marker = __webpack_require__(8428);
;// CONCATENATED MODULE: ./packages/core/src/checklist-comment.ts
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




const NA_TEXT = 'Not applicable to this change';
/**
 * Hidden second line of the comment: the full head commit and the id of the action's write. Each write
 * that changes the body gets a new id, so every state the action ever wrote is told apart from the others.
 */
const STATE_MARKER = /^<!-- safe-deploy:state head=([0-9a-f]{40}) state=([0-9a-f]{16}) -->$/;
function stateMarkerLine(headSha, state) {
    return `<!-- safe-deploy:state head=${headSha} state=${state} -->`;
}
/** The head and write id a body carries (exactly one state line), or null. */
function readStateMarker(body) {
    const found = normalizeBody(body ?? '')
        .split('\n')
        .map((line) => STATE_MARKER.exec(line))
        .filter((match) => match !== null);
    if (found.length !== 1)
        return null;
    return { head: found[0][1], state: found[0][2] };
}
/** A fresh write id: a digest of what is written and of the id before it, so ids never repeat along a comment's life. */
function nextStateId(previous, seed) {
    return (0,external_node_crypto_.createHash)('sha256').update(`${previous ?? ''}\n${seed}`).digest('hex').slice(0, 16);
}
/**
 * True when `after` differs from `before` only in the `[ ]`/`[x]` marks of tagged box lines (what
 * clicking checkboxes does). Any other difference (text, lines added or removed, the state line) is false.
 */
function onlyBoxMarksDiffer(before, after) {
    const a = normalizeBody(before).replace(/\n+$/, '').split('\n');
    const b = normalizeBody(after).replace(/\n+$/, '').split('\n');
    if (a.length !== b.length)
        return false;
    for (let i = 0; i < a.length; i += 1) {
        const x = a[i];
        const y = b[i];
        if (x === y)
            continue;
        const bx = BOX_LINE.exec(x);
        const by = BOX_LINE.exec(y);
        if (!bx || !by)
            return false;
        const unmark = (line) => line.replace(/\[[ xX]\]/, '[ ]');
        if (unmark(x) !== unmark(y))
            return false;
    }
    return true;
}
/** Line endings as GitHub stores them after a browser edit (CRLF) are read as LF. */
function normalizeBody(body) {
    return body.replace(/\r\n?/g, '\n');
}
/** Fingerprint of a body, line endings normalised; the ledger keeps the one the action last wrote. */
function bodyDigest(body) {
    return (0,external_node_crypto_.createHash)('sha256').update(normalizeBody(body)).digest('hex').slice(0, 32);
}
function formatTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime()))
        return iso;
    return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
function itemLine(item, ticked) {
    return `- [${ticked ? 'x' : ' '}] ${item.text} <!-- item:${item.id} -->`;
}
function naLine(item, ticked) {
    return `  - [${ticked ? 'x' : ' '}] ${NA_TEXT} <!-- na:${item.id} -->`;
}
/** Status counts shown in the comment, the check run and the job summary. */
function checklistStatus(required, answers) {
    const missing = required.filter((id) => !answers[id]);
    return { answered: required.length - missing.length, total: required.length, missing, complete: missing.length === 0 };
}
function renderChecklistBody(input) {
    const { template, required, answers, notes } = input;
    const status = checklistStatus(required, answers);
    const lines = [
        checklist_marker/* CHECKLIST_MARKER */.I,
        ...(input.state ? [stateMarkerLine(input.headSha, input.state)] : []),
        `## ${template.title}`,
        '',
        `Reviewers: tick each item once you have checked it for this change (commit \`${input.headSha.slice(0, 7)}\`). ` +
            'A tick counts only when it comes from a reviewer with write access to the repository who neither opened the pull request nor pushed or committed its code; ' +
            'any other tick is removed again. The credited answers are recorded in the `deploy-safety-checklist` check run. ' +
            'Only tick boxes: an edit that also changes anything else, or is saved from an outdated copy of this comment, credits nothing. ' +
            'Editing an item\'s text, striking it through, hiding or deleting it withdraws its answer.',
        '',
        status.complete
            ? `**Status: complete.** All ${status.total} required item(s) are answered.`
            : `**Status: ${status.answered} of ${status.total} required item(s) answered.** Still open: ${status.missing.map((id) => `\`${id}\``).join(', ')}.`,
    ];
    const reset = input.reset;
    if (reset) {
        const head = `\`${input.headSha.slice(0, 7)}\``;
        if (reset.cause === 'push') {
            const earlier = /^[0-9a-f]{40}$/.test(reset.from) ? `\`${reset.from.slice(0, 7)}\`` : reset.from;
            lines.push('', `_New commits were pushed: the answers given for ${earlier} were cleared; answer again for ${head}._`);
        }
        else if (reset.cause === 'base') {
            lines.push('', `_The base branch changed from \`${reset.from}\` to \`${reset.to ?? '?'}\`: the answers given against \`${reset.from}\` were cleared; answer again for ${head} into \`${reset.to ?? '?'}\`._`);
        }
        else if (reset.cause === 'diff') {
            lines.push('', `_The changes of this pull request against its base are no longer the ones answered for (the base was \`${reset.from.slice(0, 7)}\`): the answers were cleared; answer again for ${head}._`);
        }
        else {
            lines.push('', `_The checklist template at the base changed (it was read at \`${reset.from.slice(0, 7)}\` before): the answers were cleared; answer again for ${head}._`);
        }
    }
    const requiredSet = new Set(required);
    for (const section of template.sections) {
        lines.push('', `### ${section.title}`);
        for (const item of section.items) {
            const answer = answers[item.id];
            lines.push(itemLine(item, answer?.answer === 'yes'));
            if (item.na)
                lines.push(naLine(item, answer?.answer === 'na'));
            if (answer) {
                lines.push(answer.answer === 'yes'
                    ? `  - ✅ Answered by @${answer.by} on ${formatTime(answer.at)}`
                    : `  - ➖ Answered "not applicable" by @${answer.by} on ${formatTime(answer.at)}`);
            }
            if (!requiredSet.has(item.id)) {
                lines.push(item.required ? '  - _Not required for this change: it touches none of the paths this item is about._' : '  - _Optional._');
            }
            else if (item.when) {
                lines.push(`  - _Required because this change touches ${item.when.paths.map((glob) => `\`${glob}\``).join(', ')}._`);
            }
            const note = notes[item.id];
            if (note)
                lines.push(`  - ⚠️ ${note.text} (${formatTime(note.at)})`);
        }
    }
    lines.push('');
    return lines.join('\n');
}
function describeTampering(kind) {
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
/**
 * CommonMark HTML blocks of types 1, 3, 4 and 5 run across blank lines until their own end marker
 * (https://spec.commonmark.org/0.31.2/#html-blocks); the other kinds end at a blank line.
 */
const RAW_HTML_BLOCKS = [
    { start: /^ {0,3}<(?:script|pre|style|textarea)(?:\s|>|$)/i, end: /<\/(?:script|pre|style|textarea)>/i },
    { start: /^ {0,3}<\?/, end: /\?>/ },
    { start: /^ {0,3}<![A-Za-z]/, end: />/ },
    { start: /^ {0,3}<!\[CDATA\[/, end: /\]\]>/ },
];
/** A line that turns the paragraph above it into a heading (`===`, or `---` indented into the list item). */
const SETEXT_UNDERLINE = /^(?:\s*=+|\s+-+)\s*$/;
/** Finds every tagged box line and whether a reader of the rendered comment could see it. */
function scanBoxes(body) {
    const found = new Map();
    let fence = null;
    let inComment = false;
    let inHtmlBlock = false;
    let rawEnd = null;
    let detailsDepth = 0;
    /** The box read on the previous line: a setext underline on this line makes it a heading, not a box. */
    let previousBox = null;
    for (const line of normalizeBody(body).split('\n')) {
        const hidden = fence !== null || inComment || inHtmlBlock || rawEnd !== null || detailsDepth > 0;
        if (previousBox && !hidden && SETEXT_UNDERLINE.test(line)) {
            const occurrence = previousBox.list[previousBox.index];
            previousBox.list[previousBox.index] = { ...occurrence, hidden: true };
        }
        previousBox = null;
        const box = BOX_LINE.exec(line);
        if (box) {
            const [, indent, mark, text, kind, id] = box;
            const key = `${kind}:${id}`;
            const list = found.get(key) ?? [];
            list.push({ indent, checked: mark !== ' ', text, hidden });
            found.set(key, list);
            previousBox = { list, index: list.length - 1 };
        }
        else if (/<!--\s*(?:item|na):/.test(line)) {
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
            if (close && close[1][0] === fence[0] && close[1].length >= fence.length && line.trim() === close[1])
                fence = null;
            continue;
        }
        if (rawEnd !== null) {
            if (rawEnd.test(line))
                rawEnd = null;
            continue;
        }
        let rest = line;
        if (inComment) {
            const end = rest.indexOf('-->');
            if (end === -1)
                continue;
            inComment = false;
            rest = rest.slice(end + 3);
        }
        const open = FENCE.exec(rest);
        if (open && !inHtmlBlock) {
            fence = open[1];
            continue;
        }
        if (!inHtmlBlock && !box && rest === line) {
            const raw = RAW_HTML_BLOCKS.find((kind) => kind.start.test(line));
            if (raw) {
                // The block ends on the line holding its end marker (which may be this one).
                const afterStart = line.replace(raw.start, '');
                if (!raw.end.test(afterStart))
                    rawEnd = raw.end;
                continue;
            }
        }
        const withoutComments = rest.replace(/<!--[\s\S]*?-->/g, '');
        if (withoutComments.includes('<!--'))
            inComment = true;
        const visible = withoutComments.split('<!--')[0] ?? '';
        detailsDepth = Math.max(0, detailsDepth + (visible.match(/<details[\s>]/gi)?.length ?? 0) - (visible.match(/<\/details\s*>/gi)?.length ?? 0));
        if (inHtmlBlock) {
            if (line.trim() === '')
                inHtmlBlock = false;
        }
        else if (HTML_BLOCK_START.test(visible) && !box) {
            inHtmlBlock = true;
        }
    }
    return found;
}
function judgeLine(occurrences, expectedText, expectedIndent) {
    if (!occurrences || occurrences.length === 0)
        return { kind: 'deleted' };
    if (occurrences.length > 1)
        return { kind: 'duplicated' };
    const only = occurrences[0];
    if (only.hidden)
        return { kind: 'hidden' };
    if (only.text.trimEnd() !== expectedText) {
        return { kind: only.text.replace(STRIKE, '').trim() === expectedText ? 'struck' : 'changed' };
    }
    if (only.indent !== expectedIndent)
        return { kind: 'hidden' };
    return { checked: only.checked };
}
/** What a comment body says about each item of the template. */
function observeChecklist(body, template) {
    const boxes = scanBoxes(body);
    const result = new Map();
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
        }
        else if (boxes.has(`na:${item.id}`)) {
            result.set(item.id, { status: 'tampered', kind: 'changed' });
            continue;
        }
        result.set(item.id, { status: 'intact', yes: main.checked, na });
    }
    return result;
}

;// CONCATENATED MODULE: ./packages/core/src/checklist-ledger.ts
// The ledger of credited answers and the rules that credit ticks to reviewers.
//
// The comment is only the surface people click on; anyone who can comment can also edit a body
// they can see through the API. What counts is the ledger, kept in the output of the
// `deploy-safety-checklist` check run on the head commit, which only the app that created it can
// change. Each evaluation replays the edits made to the comment since the body the action last
// wrote, one revision at a time, and credits a tick only to the editor who made it, when that
// editor is eligible. Everything else is removed from the comment again, with the reason.




const CHECK_RUN_NAME = 'deploy-safety-checklist';
/** 2: base, changed-path digest, write ids, pusher and commit people, answers tied to the item's text, several pull requests per run. */
const LEDGER_FORMAT = 2;
/** Fingerprint of an item's question: an answer counts only for the wording it was given to. */
function itemDigest(item) {
    return (0,external_node_crypto_.createHash)('sha256').update(`${item.id}\n${item.text}`).digest('hex').slice(0, 12);
}
/** Fingerprint of a pull request's changed paths (order-free). */
function pathsDigest(paths) {
    return (0,external_node_crypto_.createHash)('sha256').update([...paths].sort().join('\n')).digest('hex').slice(0, 16);
}
const answerSchema = schemas/* object */.Ikc({
    answer: schemas/* enum */.k5n(['yes', 'na']),
    by: schemas/* string */.YjP().min(1),
    at: schemas/* string */.YjP().min(1),
    /** itemDigest of the question answered. */
    item: schemas/* string */.YjP().min(1),
});
const noteSchema = schemas/* object */.Ikc({ text: schemas/* string */.YjP(), at: schemas/* string */.YjP() });
const resetSchema = schemas/* object */.Ikc({ cause: schemas/* enum */.k5n(['push', 'base', 'template', 'diff']), from: schemas/* string */.YjP(), to: schemas/* string */.YjP().optional() });
const ledgerSchema = schemas/* object */.Ikc({
    format: schemas/* literal */.euz(LEDGER_FORMAT),
    /** Pull request number: a ledger never travels to another pull request. */
    pr: schemas/* number */.aig().int().positive(),
    /** Head commit the answers are for. */
    head: schemas/* string */.YjP().min(7),
    /** Base branch and commit the answers are for (the template is read there; the diff is against it). */
    base: schemas/* object */.Ikc({ ref: schemas/* string */.YjP().min(1), sha: schemas/* string */.YjP().min(7) }),
    /** pathsDigest of the changed paths `required` was computed from (null: the template needs none). */
    paths: schemas/* string */.YjP().nullable(),
    /** Id of the sticky comment (the only comment whose edits are read). */
    commentId: schemas/* number */.aig().int().positive().nullable(),
    /** Login that wrote the comment (the token's identity). */
    bot: schemas/* string */.YjP().nullable(),
    /** Fingerprint of the template the `required` list was computed from. */
    template: schemas/* string */.YjP(),
    /** Items that must be answered for the paths this head changes. */
    required: schemas/* array */.YOg(schemas/* string */.YjP()),
    answers: schemas/* record */.g1P(schemas/* string */.YjP(), answerSchema),
    notes: schemas/* record */.g1P(schemas/* string */.YjP(), noteSchema),
    /** Digest of the body the action last wrote: the baseline the next edits are replayed from. */
    written: schemas/* string */.YjP().nullable(),
    /** Id of the action's last write, in the comment's state line: only revisions made on it are credited. */
    state: schemas/* string */.YjP().nullable(),
    /** Id of the write before it (an edit the last write overwrote was made on that one). */
    prior: schemas/* string */.YjP().nullable(),
    /** Why the answers were cleared when this ledger started. */
    reset: resetSchema.nullable(),
    /** GitHub's time of the write that started this ledger afresh: edits older than it belong to an earlier head. */
    started: schemas/* string */.YjP().nullable(),
    /** GitHub's time of the action's last write of the comment for this ledger. */
    writtenAt: schemas/* string */.YjP().nullable(),
    /** Who pushed this head (the `synchronize` sender), when known: they cannot answer for it. */
    pusher: schemas/* string */.YjP().nullable(),
    /** Authors and committers (GitHub logins) of the pull request's commits: they cannot answer either. */
    authors: schemas/* array */.YOg(schemas/* string */.YjP()),
    committers: schemas/* array */.YOg(schemas/* string */.YjP()),
});
const LEDGER_OPEN = '<!-- safe-deploy:ledger -->';
/** The machine-readable part of the check run output (a visible JSON block, so people can audit it). */
function encodeLedger(ledger) {
    return `${LEDGER_OPEN}\n\`\`\`json\n${JSON.stringify(ledger)}\n\`\`\``;
}
/** Several pull requests' ledgers in one check run (one per pull request that has this head). */
function encodeLedgers(ledgers) {
    return [...ledgers].sort((a, b) => a.pr - b.pr).map(encodeLedger).join('\n\n');
}
/** Every valid ledger in a check run output; a block that does not fit the schema is left out. */
function decodeLedgers(text) {
    if (!text)
        return [];
    const ledgers = [];
    const seen = new Set();
    for (const block of text.split(LEDGER_OPEN).slice(1)) {
        const match = /^\n```json\n([^\n]*)\n```/.exec(block);
        if (!match)
            continue;
        try {
            const parsed = ledgerSchema.safeParse(JSON.parse(match[1]));
            if (parsed.success && !seen.has(parsed.data.pr)) {
                seen.add(parsed.data.pr);
                ledgers.push(parsed.data);
            }
        }
        catch {
            // not JSON: not a ledger
        }
    }
    return ledgers;
}
function decodeLedger(text) {
    return decodeLedgers(text)[0] ?? null;
}
const same = (a, b) => a.toLowerCase().replace(/\[bot\]$/, '') === b.toLowerCase().replace(/\[bot\]$/, '');
/**
 * The checks that need no API call: whoever opened the pull request, pushed its head, or authored or
 * committed its commits never answers, and neither does a bot. Null means "ask GitHub".
 */
function preliminaryEligibility(editor, makers) {
    const people = typeof makers === 'string' ? { opener: makers } : makers;
    const who = `@${editor.login}`;
    if (same(editor.login, people.opener)) {
        return { eligible: false, reason: `${who} opened this pull request, and authors cannot answer their own checklist` };
    }
    if (people.pusher && same(editor.login, people.pusher)) {
        return { eligible: false, reason: `${who} pushed the head commit of this pull request, and whoever pushed the code cannot answer for it` };
    }
    if (people.authors?.some((login) => same(editor.login, login))) {
        return { eligible: false, reason: `${who} authored commits of this pull request, and authors cannot answer their own checklist` };
    }
    if (people.committers?.some((login) => same(editor.login, login))) {
        return { eligible: false, reason: `${who} committed commits of this pull request, and whoever committed the code cannot answer for it` };
    }
    if (editor.bot || /\[bot\]$/i.test(editor.login)) {
        return { eligible: false, reason: `${who} is a bot, and only people can answer` };
    }
    return null;
}
/** Answers still standing for these makers: an answer by someone who since pushed or committed is withdrawn. */
function withdrawMakers(answers, notes, makers, at) {
    const kept = {};
    const nextNotes = { ...notes };
    const log = [];
    for (const [item, answer] of Object.entries(answers)) {
        const verdict = preliminaryEligibility({ login: answer.by, bot: false }, makers);
        if (verdict && !verdict.eligible) {
            nextNotes[item] = { text: `The answer by @${answer.by} was withdrawn: ${verdict.reason}.`, at };
            log.push(`${item}: answer by @${answer.by} withdrawn: ${verdict.reason}`);
            continue;
        }
        kept[item] = answer;
    }
    return { answers: kept, notes: nextNotes, log };
}
function boxChanges(before, after) {
    const changes = [];
    for (const [item, next] of after) {
        if (next.status !== 'intact')
            continue;
        const prev = before.get(item);
        const prevYes = prev?.status === 'intact' ? prev.yes : false;
        const prevNa = prev?.status === 'intact' ? prev.na : false;
        if (prevYes !== next.yes)
            changes.push({ item, box: 'yes', ticked: next.yes });
        if (prevNa !== next.na)
            changes.push({ item, box: 'na', ticked: next.na });
    }
    return changes;
}
/** Logins whose eligibility matters for replaying these revisions (they ticked something). */
function editorsToJudge(template, revisions) {
    const editors = new Map();
    let previous = null;
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
function replayRevisions(input) {
    const answers = { ...input.answers };
    const notes = { ...input.notes };
    const log = [];
    const { template } = input;
    const items = new Map(templateItems(template).map((item) => [item.id, item]));
    const first = input.revisions[0];
    if (!first || first.body === null)
        return { answers, notes, log };
    let previous = observeChecklist(first.body, template);
    let previousBody = first.body;
    let gap = false;
    for (const revision of input.revisions.slice(1)) {
        if (revision.body === null) {
            gap = true;
            continue;
        }
        const current = observeChecklist(revision.body, template);
        const editor = gap ? null : revision.editor;
        const who = editor ? `@${editor.login}` : 'an edit whose author is unknown (its history was deleted)';
        // Made on the current state of the comment, and nothing but checkboxes changed?
        const onCurrent = input.state === undefined || readStateMarker(previousBody)?.state === input.state;
        const marksOnly = onlyBoxMarksDiffer(previousBody, revision.body);
        const creditable = onCurrent && marksOnly && readStateMarker(revision.body)?.state === readStateMarker(previousBody)?.state;
        const refusal = !onCurrent
            ? 'the edit was made on an outdated copy of the checklist (not the one the action last wrote), so none of its ticks counts'
            : 'the edit changed more than the checkboxes (or was saved from an outdated copy of the checklist), so none of its ticks counts';
        for (const [item, observation] of current) {
            if (observation.status !== 'tampered')
                continue;
            const before = previous.get(item);
            if (before?.status === 'tampered' && before.kind === observation.kind)
                continue; // already handled
            const kind = observation.kind;
            const had = answers[item];
            delete answers[item];
            notes[item] = {
                text: `${editor ? `@${editor.login}` : 'Someone'} ${describeTampering(kind)}${had ? `, so the answer by @${had.by} was withdrawn` : ''}. The item was restored; answer it again.`,
                at: revision.at,
            };
            log.push(`${item}: ${who} ${describeTampering(kind)}; ${had ? 'answer withdrawn' : 'nothing was answered'}`);
        }
        const changes = boxChanges(previous, current);
        const ticked = new Map();
        for (const change of changes) {
            if (!items.has(change.item))
                continue;
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
            const tick = ticks[0];
            if (!editor) {
                notes[item] = { text: `A tick was removed: it was made by ${who}, so nobody eligible can be credited with it.`, at: revision.at };
                log.push(`${item}: tick by ${who} not credited`);
                continue;
            }
            if (!creditable) {
                notes[item] = { text: `The tick by @${editor.login} was removed: ${refusal}. Tick it again on the current checklist.`, at: revision.at };
                log.push(`${item}: tick by @${editor.login} not credited: ${refusal}`);
                continue;
            }
            const verdict = input.judge(editor);
            if (verdict.eligible) {
                answers[item] = { answer: tick.box, by: editor.login, at: revision.at, item: itemDigest(items.get(item)) };
                delete notes[item];
                log.push(`${item}: credited to @${editor.login}${tick.box === 'na' ? ' (not applicable)' : ''}`);
            }
            else {
                notes[item] = { text: `The tick by @${editor.login} was removed: ${verdict.reason}.`, at: revision.at };
                log.push(`${item}: tick by @${editor.login} not credited: ${verdict.reason}`);
            }
        }
        previous = current;
        previousBody = revision.body;
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
function settleWithoutHistory(input) {
    const answers = { ...input.answers };
    const notes = { ...input.notes };
    const log = [];
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
        }
        else if (!answer && shown) {
            notes[item] = { text: `A tick was removed: nobody eligible can be credited with it, because ${input.reason}. Tick it again.`, at: input.at };
            log.push(`${item}: tick not credited (${input.reason})`);
        }
    }
    return { answers, notes, log };
}
/** Keeps only answers and notes for items of the template (an item removed from the template drops its answer). */
function pruneToTemplate(template, record) {
    const ids = new Set(templateItems(template).map((item) => item.id));
    return Object.fromEntries(Object.entries(record).filter(([id]) => ids.has(id)));
}
/** The answers that still stand for this template: its item exists AND its question reads as when it was answered (L7). */
function pruneAnswers(template, answers) {
    const items = new Map(templateItems(template).map((item) => [item.id, item]));
    return Object.fromEntries(Object.entries(answers).filter(([id, answer]) => {
        const item = items.get(id);
        return item !== undefined && answer.item === itemDigest(item);
    }));
}
/** Index of the newest revision whose body is the one the action last wrote (the replay baseline), or -1. */
function findBaseline(revisions, written) {
    if (!written)
        return -1;
    for (let i = revisions.length - 1; i >= 0; i -= 1) {
        const body = revisions[i].body;
        if (body !== null && bodyDigest(body) === written)
            return i;
    }
    return -1;
}

;// CONCATENATED MODULE: ./packages/github/src/checklist-api.ts


function checklist_api_status(error) {
    return typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : undefined;
}
/** Same login, ignoring case and the `[bot]` suffix REST adds and GraphQL leaves out. */
function sameLogin(a, b) {
    if (!a || !b)
        return false;
    const plain = (login) => login.toLowerCase().replace(/\[bot\]$/, '');
    return plain(a) === plain(b);
}
async function getPullRequest(octokit, repo, number) {
    const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
    return {
        number: data.number,
        state: data.state,
        author: data.user.login,
        headSha: data.head.sha,
        baseRef: data.base.ref,
        baseSha: data.base.sha,
        baseRepo: data.base.repo.full_name,
        headRepo: data.head.repo?.full_name ?? null,
    };
}
/**
 * This app's `deploy-safety-checklist` check runs on a commit, and the ledgers they hold. Only runs
 * created by `app` (the token's own app) are trusted: a check run cannot be edited by anyone but the
 * app that created it, which is what makes the ledger trustworthy.
 */
async function readChecklistRun(octokit, repo, sha, app) {
    const { data } = await octokit.rest.checks.listForRef({ ...repo, ref: sha, check_name: CHECK_RUN_NAME, filter: 'all', per_page: 100 });
    const runs = [...data.check_runs].filter((run) => !app || sameLogin(run.app?.slug ?? null, app)).sort((a, b) => b.id - a.id);
    const ledgers = new Map();
    for (const run of runs) {
        const slug = run.app?.slug ?? null;
        for (const ledger of decodeLedgers(run.output.text)) {
            // A ledger names the identity that wrote the comment; the run must come from that same app.
            if (ledger.bot && !sameLogin(slug, ledger.bot))
                continue;
            if (ledger.head !== sha || ledgers.has(ledger.pr))
                continue;
            ledgers.set(ledger.pr, ledger);
        }
    }
    const [newest, ...older] = runs;
    return {
        primary: newest ? { id: newest.id, conclusion: newest.conclusion ?? null, text: newest.output.text ?? null } : null,
        ledgers: [...ledgers.values()],
        others: older.map((run) => ({ id: run.id, conclusion: run.conclusion ?? null, title: run.output.title ?? null })),
    };
}
/** Open pull requests of this repository whose head is this commit (GET /repos/{o}/{r}/commits/{sha}/pulls, one page). */
async function listOpenPullsWithHead(octokit, repo, sha) {
    const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha, per_page: 100 });
    return data.filter((pull) => pull.state === 'open' && pull.head.sha === sha).map((pull) => pull.number);
}
/** GitHub logins of the authors and committers of the pull request's commits (100 per page, GitHub lists up to 250). */
async function listCommitPeople(octokit, repo, pr) {
    const authors = new Set();
    const committers = new Set();
    for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listCommits, { ...repo, pull_number: pr, per_page: 100 })) {
        for (const commit of page.data) {
            if (commit.author?.login)
                authors.add(commit.author.login);
            if (commit.committer?.login)
                committers.add(commit.committer.login);
        }
    }
    return { authors: [...authors], committers: [...committers] };
}
async function createCheckRun(octokit, repo, content) {
    // Not retried (a POST): a retry could leave two runs; readChecklistRun merges them if it ever happens.
    const { data } = await octokit.rest.checks.create({
        ...repo,
        name: CHECK_RUN_NAME,
        head_sha: content.headSha,
        status: 'completed',
        conclusion: content.conclusion,
        ...(content.detailsUrl ? { details_url: content.detailsUrl } : {}),
        output: { title: content.title, summary: content.summary, text: content.text },
    });
    return { id: data.id, app: data.app?.slug ?? null };
}
async function updateCheckRun(octokit, repo, id, content) {
    await octokit.rest.checks.update({
        ...repo,
        check_run_id: id,
        status: 'completed',
        conclusion: content.conclusion,
        ...(content.detailsUrl ? { details_url: content.detailsUrl } : {}),
        output: { title: content.title, summary: content.summary, text: content.text },
    });
}
function toComment(data) {
    return {
        id: data.id,
        nodeId: data.node_id,
        body: data.body ?? '',
        author: data.user?.login ?? '',
        authorIsBot: data.user?.type === 'Bot',
        updatedAt: data.updated_at,
        url: data.html_url,
    };
}
/** The comment with this id, or null when it was deleted. */
async function getComment(octokit, repo, id) {
    try {
        const { data } = await octokit.rest.issues.getComment({ ...repo, comment_id: id });
        return toComment(data);
    }
    catch (error) {
        if (checklist_api_status(error) === 404)
            return null;
        throw error;
    }
}
/**
 * Searches the pull request's comments (100 per page, every page) for the checklist comment:
 * it carries the marker AND was written by `identity`. Copies posted by anyone else are ignored.
 * When several qualify, the oldest (first listed) is the sticky one.
 */
async function findChecklistComment(octokit, repo, pr, identity) {
    let ignored = 0;
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { ...repo, issue_number: pr, per_page: 100 })) {
        for (const data of page.data) {
            if (!(0,checklist_marker/* hasChecklistMarker */.h)(data.body))
                continue;
            if (sameLogin(data.user?.login, identity.login) && (data.user?.type === 'Bot') === identity.bot)
                return { comment: toComment(data), ignored };
            ignored += 1;
        }
    }
    return { comment: null, ignored };
}
async function createComment(octokit, repo, pr, body) {
    const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: pr, body });
    return toComment(data);
}
async function updateComment(octokit, repo, id, body) {
    const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: id, body });
    return toComment(data);
}
/** The user's effective permission on the repository (`role_name` distinguishes maintain and triage). */
async function getPermission(octokit, repo, login) {
    try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
        const role = (data.role_name ?? '').toLowerCase();
        if (role === 'admin' || role === 'maintain' || role === 'write' || role === 'triage' || role === 'read')
            return role;
        const permission = data.permission.toLowerCase();
        if (permission === 'admin' || permission === 'write' || permission === 'read')
            return permission;
        return 'none';
    }
    catch (error) {
        // 404: not a collaborator (or no such user).
        if (checklist_api_status(error) === 404)
            return 'none';
        throw error;
    }
}
/** Whether the user is an active member of `org/team`; `unreadable` when the token may not read teams. */
async function teamMembership(octokit, org, team, login) {
    try {
        const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: team, username: login });
        return data.state === 'active' ? 'member' : 'not-member';
    }
    catch (error) {
        const code = checklist_api_status(error);
        if (code === 404)
            return 'not-member';
        if (code === 401 || code === 403)
            return 'unreadable';
        throw error;
    }
}
/** Every path the pull request changes (renamed files count under both names); up to GitHub's 3000 files. */
async function listChangedPaths(octokit, repo, pr) {
    const paths = new Set();
    for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, { ...repo, pull_number: pr, per_page: 100 })) {
        for (const file of page.data) {
            paths.add(file.filename);
            if (file.previous_filename)
                paths.add(file.previous_filename);
        }
    }
    return [...paths];
}
/** GraphQL at the runner's GITHUB_GRAPHQL_URL when given (octokit otherwise derives it from the REST base URL). */
function graphqlAt(octokit, graphqlUrl) {
    return graphqlUrl ? octokit.graphql.defaults({ url: graphqlUrl }) : octokit.graphql;
}
/** A text file at a commit, or null when it does not exist there. */
async function getFileAtRef(octokit, repo, path, ref) {
    try {
        const { data } = await octokit.rest.repos.getContent({ ...repo, path: path.replace(/^\.?\//, ''), ref });
        if (Array.isArray(data) || data.type !== 'file')
            throw new Error(`${path} at ${ref.slice(0, 7)} is a ${Array.isArray(data) ? 'directory' : data.type}, not a file`);
        return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
    }
    catch (error) {
        if (checklist_api_status(error) === 404)
            return null;
        throw error;
    }
}
const HISTORY_QUERY = `query($id: ID!) {
  node(id: $id) {
    ... on IssueComment {
      userContentEdits(first: 100) {
        totalCount
        nodes { editedAt deletedAt diff editor { __typename login } }
      }
    }
  }
}`;
/**
 * The comment's edit history, oldest first: each revision's full body and its editor. GitHub lists
 * the newest 100 edits first; a deleted revision has no body. `complete` is false when older edits
 * exist beyond this page.
 */
async function getCommentHistory(octokit, nodeId, graphqlUrl) {
    const data = await graphqlAt(octokit, graphqlUrl)(HISTORY_QUERY, { id: nodeId });
    const nodes = data.node?.userContentEdits?.nodes ?? [];
    const total = data.node?.userContentEdits?.totalCount ?? 0;
    const revisions = nodes
        .filter((node) => node !== null)
        .map((node) => ({
        body: node.deletedAt ? null : node.diff,
        editor: node.editor ? { login: node.editor.login, bot: node.editor.__typename === 'Bot' } : null,
        at: node.editedAt,
    }))
        .reverse() // newest first from GitHub; ties in time keep GitHub's order
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return { revisions, complete: nodes.length >= total };
}
/** The login of the token's identity (GITHUB_TOKEN: github-actions[bot]), through GraphQL `viewer`. */
async function getViewerLogin(octokit, graphqlUrl) {
    const data = await graphqlAt(octokit, graphqlUrl)('query { viewer { __typename login } }');
    return { login: data.viewer.login, bot: data.viewer.__typename === 'Bot' };
}

;// CONCATENATED MODULE: ./packages/github/src/summary.ts
// Building blocks for job summaries and failure messages that a person reads at 3 a.m.:
// markdown tables, mermaid flowcharts, and the one command that finishes a rollback by hand.
// Pure string builders: the action entry hands the result to core.summary or a log line.
/**
 * Escapes text for one line of a markdown table cell: a backslash first (else `\|` in the text would
 * end the cell), then pipes, which split cells; newlines, which end rows, become spaces.
 */
function cellText(text) {
    return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
/** Escapes a value for a markdown table cell (empty shows as —); newlines become `<br>`. */
function cell(value) {
    const text = value === null || value === undefined || value === '' ? '—' : String(value);
    return cellText(text.replace(/\r?\n/g, '<br>'));
}
/** A GitHub-flavoured markdown table. Rows shorter than the header are padded with dashes. */
function markdownTable(header, rows) {
    const line = (cells) => `| ${header.map((_, i) => cell(cells[i])).join(' | ')} |`;
    return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}
const STATUS_MARK = { done: '✅', running: '⏳', failed: '❌', pending: '⬜', skipped: '⏭️' };
const STATUS_STYLE = {
    done: 'fill:#d4f8d4,stroke:#2da44e',
    running: 'fill:#fff5b1,stroke:#bf8700',
    failed: 'fill:#ffd7d5,stroke:#cf222e',
    pending: 'fill:#f6f8fa,stroke:#8c959f,stroke-dasharray: 4 3',
    skipped: 'fill:#f6f8fa,stroke:#8c959f',
};
function statusMark(status) {
    return STATUS_MARK[status];
}
/** Text safe inside a quoted mermaid label. */
function mermaidText(text) {
    return text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
}
function mermaidId(id) {
    return id.replace(/[^A-Za-z0-9_]/g, '_');
}
/**
 * A left-to-right mermaid flowchart: each node shows its status mark and is coloured by status,
 * so a reader sees at a glance how far a rollout got. Returned as a fenced ```mermaid block.
 */
function mermaidFlow(nodes, edges, direction = 'LR') {
    const lines = [`flowchart ${direction}`];
    const groups = new Map();
    const loose = [];
    for (const node of nodes) {
        if (node.group)
            groups.set(node.group, [...(groups.get(node.group) ?? []), node]);
        else
            loose.push(node);
    }
    const nodeLine = (node, indent) => `${indent}${mermaidId(node.id)}["${[`${STATUS_MARK[node.status]} ${node.label[0] ?? ''}`, ...node.label.slice(1)].map(mermaidText).join('<br/>')}"]:::${node.status}`;
    for (const node of loose)
        lines.push(nodeLine(node, '  '));
    let index = 0;
    for (const [group, members] of groups) {
        lines.push(`  subgraph g${index++}["${mermaidText(group)}"]`);
        for (const node of members)
            lines.push(nodeLine(node, '    '));
        lines.push('  end');
    }
    for (const edge of edges) {
        lines.push(`  ${mermaidId(edge.from)} -->${edge.label ? `|"${mermaidText(edge.label)}"|` : ''} ${mermaidId(edge.to)}`);
    }
    const used = new Set(nodes.map((n) => n.status));
    for (const status of Object.keys(STATUS_STYLE)) {
        if (used.has(status))
            lines.push(`  classDef ${status} ${STATUS_STYLE[status]}`);
    }
    return ['```mermaid', ...lines, '```'].join('\n');
}
/** Quotes a value for a POSIX shell when it needs it. */
function shellQuote(value) {
    return /^[A-Za-z0-9_./:,=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
/** The one command that finishes a rollback by hand through the rollback workflow. */
function handRollbackCommand(spec) {
    return [
        'gh workflow run rollback.yml',
        `-f environment=${shellQuote(spec.environment)}`,
        `-f regions=${shellQuote(spec.regions.join(','))}`,
        `-f version=${shellQuote(spec.version)}`,
        `-f reason=${shellQuote(spec.reason)}`,
    ].join(' ');
}
/**
 * The one command that puts every listed alias back on its version. The rollback workflow takes
 * one version per run: when all aliases go back to the same version it is named, otherwise
 * `previous` lets each alias return to the stable version recorded on it. Regions keep their order.
 */
function handRollbackFor(targets, common) {
    const regions = [...new Set(targets.map((t) => t.region))];
    const versions = [...new Set(targets.map((t) => t.version))];
    const version = versions.length === 1 ? versions[0] : 'previous';
    return handRollbackCommand({ ...common, regions, version });
}

;// CONCATENATED MODULE: ./packages/github/src/checklist-evaluate.ts





function ignoredRun(reason) {
    return { status: 'ignored', reason, complete: false, missing: [], commentId: null, commentUrl: null, headSha: null, rows: [], events: [], source: 'none', templateSource: 'none' };
}
/** How many times the comment may change under a run before it gives up writing (the next run evaluates). */
const WRITE_ATTEMPTS = 3;
async function evaluateChecklist(options) {
    const { octokit, repo, trigger } = options;
    const events = [];
    const now = options.now().toISOString();
    // 1. The pull request as it is now: a payload can be stale (a queued or re-run event), and comment events carry none of it.
    const pr = await getPullRequest(octokit, repo, trigger.pr);
    if (trigger.headSha !== null && (trigger.headSha !== pr.headSha || (trigger.baseRef !== null && trigger.baseRef !== pr.baseRef))) {
        return ignoredRun(`this event is about head ${trigger.headSha.slice(0, 7)} into ${trigger.baseRef ?? '?'}, but pull request #${pr.number} is now at head ${pr.headSha.slice(0, 7)} into ${pr.baseRef}; ` +
            'the run for the current state evaluates it (a stale payload, such as a re-run of an old run, is never evaluated)');
    }
    if (pr.state !== 'open')
        return ignoredRun(`pull request #${pr.number} is ${pr.state}`);
    // The template as the base commit has it: edits to it in this pull request count from the next one on.
    const { template, source: templateSource } = await loadTemplate(options, pr.baseSha);
    const evaluation = await evaluateWith({ ...options, template }, { pr, now, events });
    return { ...evaluation, templateSource };
}
async function loadTemplate(options, baseSha) {
    const text = await getFileAtRef(options.octokit, options.repo, options.checklistPath, baseSha);
    if (text === null) {
        if (options.checklistExplicit)
            throw new Error(`input "checklist": ${options.checklistPath} does not exist at the base commit ${baseSha.slice(0, 7)}`);
        return { template: DEFAULT_TEMPLATE, source: `built-in default (no ${options.checklistPath} at ${baseSha.slice(0, 7)})` };
    }
    return { template: parseChecklistTemplate(text, options.checklistPath), source: `${options.checklistPath} at ${baseSha.slice(0, 7)}` };
}
function freshLedger(pr, previous, keepAnswers, reset, pusher) {
    return {
        format: LEDGER_FORMAT,
        pr: pr.number,
        head: pr.headSha,
        base: { ref: pr.baseRef, sha: pr.baseSha },
        paths: null,
        commentId: previous?.commentId ?? null,
        bot: previous?.bot ?? null,
        template: '',
        required: [],
        answers: keepAnswers && previous ? previous.answers : {},
        notes: keepAnswers && previous ? previous.notes : {},
        written: keepAnswers && previous ? previous.written : null,
        state: previous?.state ?? null,
        prior: previous?.prior ?? null,
        reset,
        started: keepAnswers && previous ? previous.started : null,
        writtenAt: previous?.writtenAt ?? null,
        pusher,
        authors: [],
        committers: [],
    };
}
/** Clears a ledger's answers for the same head (another base, template or diff): edits before this point are never replayed. */
function cleared(ledger, reset) {
    return { ...ledger, answers: {}, notes: {}, written: null, started: null, reset };
}
async function evaluateWith(options, context) {
    const { octokit, repo, trigger, template, log } = options;
    const { pr, now, events } = context;
    const headSha = pr.headSha;
    // 2. Who this token is: only check runs of its app and comments of its account are trusted. (Any
    //    workflow can write check runs and comments as github-actions; a dedicated app's cannot be forged.)
    //    Unknown identity fails the run: guessing would trust what another workflow wrote.
    const identity = await identityOf(options);
    const app = identity.bot ? identity.login.replace(/\[bot\]$/i, '') : null;
    // 3. The ledger of this head, or a fresh one. A push always starts afresh, also back to a head that
    //    has a ledger from before (F7); only a re-delivered synchronize (this head's ledger is newer than
    //    the previous head's) continues it.
    const run = await readChecklistRun(octokit, repo, headSha, app);
    const stored = run.ledgers.find((entry) => entry.pr === pr.number) ?? null;
    let ledger;
    let resetting = false;
    let fresh = false;
    let carried = null;
    if (trigger.before !== null) {
        const before = trigger.before;
        carried = (await readChecklistRun(octokit, repo, before, app)).ledgers.find((entry) => entry.pr === pr.number) ?? null;
        const redelivered = stored !== null && carried !== null && Date.parse(stored.writtenAt ?? '') > Date.parse(carried.writtenAt ?? '');
        if (stored && redelivered) {
            ledger = stored;
        }
        else {
            if (stored)
                log(`head ${headSha.slice(0, 7)} was answered before; a push back to it starts afresh (older answers and edits are not replayed)`);
            // reset-on-push: false carries answers over to the new head, never to another base branch.
            const keep = carried !== null && !options.resetOnPush && carried.base.ref === pr.baseRef;
            resetting = !keep;
            fresh = true;
            ledger = freshLedger(pr, carried ?? stored, keep, keep ? null : { cause: 'push', from: carried?.head ?? before }, trigger.pusher);
            if (carried)
                log(keep ? `new head ${headSha.slice(0, 7)}: answers for ${carried.head.slice(0, 7)} carried over (reset-on-push: false)` : `new head ${headSha.slice(0, 7)}: answers for ${carried.head.slice(0, 7)} are cleared (reset-on-push)`);
        }
    }
    else if (stored) {
        ledger = stored;
    }
    else {
        fresh = true;
        ledger = freshLedger(pr, null, false, null, null);
    }
    // 4. The sticky comment: by its recorded id, else by marker AND the token's identity.
    let comment = null;
    if (ledger.commentId) {
        comment = await getComment(octokit, repo, ledger.commentId);
        if (comment && !sameLogin(comment.author, identity.login))
            comment = null;
        if (!comment)
            log(`the recorded checklist comment ${ledger.commentId} no longer exists (or was not written by @${identity.login})`);
    }
    if (!comment) {
        const found = await findChecklistComment(octokit, repo, pr.number, identity);
        comment = found.comment;
        if (found.ignored > 0)
            log(`ignored ${found.ignored} comment(s) that copy the checklist marker but were not written by @${identity.login}`);
        if (comment) {
            ledger = { ...ledger, commentId: comment.id, bot: comment.author };
            log(`found the checklist comment ${comment.id} by its marker and author @${comment.author}`);
        }
    }
    if (fresh && !carried && comment && !resetting) {
        // A head without a ledger whose predecessor's ledger is unknown (a missed synchronize): nothing
        // can be replayed, so it starts like any new head, from a clean checklist.
        resetting = true;
        ledger = { ...ledger, answers: {}, notes: {}, written: null, started: null, reset: { cause: 'push', from: 'earlier commits' } };
        log(`new head ${headSha.slice(0, 7)} without a ledger: the checklist starts afresh`);
    }
    if (trigger.commentId !== null && comment && trigger.commentId !== comment.id) {
        return ignoredRun(`comment ${trigger.commentId} is not the checklist comment (that is ${comment.id}); it is ignored`);
    }
    if (trigger.commentId !== null && !comment && trigger.edit) {
        return ignoredRun(`comment ${trigger.commentId} is not a checklist comment written by this action; it is ignored`);
    }
    // 5. The base and what it requires. Another base branch clears the answers (F1); another base commit
    //    re-reads what is required, and clears them when the template or the changed paths differ.
    if (!fresh && ledger.base.ref !== pr.baseRef) {
        resetting = true;
        log(`the base branch changed from ${ledger.base.ref} to ${pr.baseRef}: the answers are cleared`);
        ledger = cleared(ledger, { cause: 'base', from: ledger.base.ref, to: pr.baseRef });
        ledger = { ...ledger, template: '' };
    }
    const digest = templateDigest(template);
    if (ledger.template !== digest || ledger.base.sha !== pr.baseSha) {
        const paths = needsChangedPaths(template) ? await listChangedPaths(octokit, repo, pr.number) : null;
        const pd = paths ? pathsDigest(paths) : null;
        if (!fresh && !resetting && ledger.template !== '' && ledger.template !== digest) {
            resetting = true;
            log(`the checklist template at the base changed (${ledger.base.sha.slice(0, 7)} → ${pr.baseSha.slice(0, 7)}): the answers are cleared`);
            ledger = cleared(ledger, { cause: 'template', from: ledger.base.sha });
        }
        else if (!fresh && !resetting && ledger.paths !== null && pd !== null && ledger.paths !== pd) {
            resetting = true;
            log(`the changed paths against ${pr.baseRef} are not the ones answered for: the answers are cleared`);
            ledger = cleared(ledger, { cause: 'diff', from: ledger.base.sha });
        }
        ledger = { ...ledger, template: digest, required: requiredItemIds(template, paths ?? []), paths: pd, base: { ref: pr.baseRef, sha: pr.baseSha } };
    }
    // 6. Who made the change: the commit list is read once per head and base (F3).
    if (fresh || (resetting && ledger.reset?.cause === 'base')) {
        const people = await listCommitPeople(octokit, repo, pr.number);
        ledger = { ...ledger, authors: people.authors, committers: people.committers };
    }
    const makers = { opener: pr.author, pusher: ledger.pusher, authors: ledger.authors, committers: ledger.committers };
    // 7. Replay the edits made since the action last wrote the comment, write, and re-read just before
    //    writing: a change made meanwhile is evaluated too instead of being written over (F5).
    let settled = null;
    let body = '';
    let wrote = false;
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt += 1) {
        settled = await settle({ options, comment, ledger, makers, resetting, now });
        body = renderChecklistBody({ template, required: ledger.required, answers: settled.answers, notes: settled.notes, headSha, reset: ledger.reset, state: ledger.state });
        if (comment && normalizeBody(comment.body) === normalizeBody(body))
            break;
        const state = nextStateId(ledger.state, `${headSha}\n${now}\n${attempt}\n${body}`);
        body = renderChecklistBody({ template, required: ledger.required, answers: settled.answers, notes: settled.notes, headSha, reset: ledger.reset, state });
        if (comment && !resetting) {
            const again = await getComment(octokit, repo, comment.id);
            if (again && normalizeBody(again.body) !== normalizeBody(comment.body)) {
                comment = again;
                log(`the checklist comment changed while this run worked (attempt ${attempt}); evaluating it again`);
                if (attempt === WRITE_ATTEMPTS) {
                    return ignoredRun(`the checklist comment kept changing while this run worked (${WRITE_ATTEMPTS} times); the runs of those edits evaluate it`);
                }
                continue;
            }
            if (!again)
                comment = null;
        }
        if (!comment) {
            comment = await createComment(octokit, repo, pr.number, body);
            log(`created the checklist comment ${comment.id}`);
        }
        else {
            comment = await updateComment(octokit, repo, comment.id, body);
            log(`updated the checklist comment ${comment.id}`);
        }
        ledger = { ...ledger, prior: ledger.state, state };
        wrote = true;
        break;
    }
    const { answers, notes, source } = settled;
    events.push(...settled.log);
    ledger = {
        ...ledger,
        commentId: comment.id,
        bot: comment.author,
        answers,
        notes,
        written: bodyDigest(body),
        started: ledger.started ?? comment.updatedAt,
        writtenAt: wrote ? comment.updatedAt : (ledger.writtenAt ?? comment.updatedAt),
    };
    const commentUrl = comment.url;
    // 8. The commit's one check run: this pull request's ledger beside every other open pull request's
    //    with the same head; green only when each of them is answered (F2).
    const status = checklistStatus(ledger.required, answers);
    const conclusion = await writeCheckRun({ options, run, ledger, commentUrl, complete: status.complete, events });
    return {
        status: 'evaluated',
        complete: status.complete,
        missing: status.missing,
        commentId: comment.id,
        commentUrl,
        headSha,
        rows: rowsOf(template, ledger),
        events,
        source,
        conclusion,
    };
}
/** The answers after the edits made to `comment` since the action last wrote it. */
async function settle(input) {
    const { options, comment, ledger, makers, resetting, now } = input;
    const { template, trigger } = options;
    const withdrawn = withdrawMakers(pruneAnswers(template, ledger.answers), pruneToTemplate(template, ledger.notes), makers, now);
    let answers = withdrawn.answers;
    let notes = withdrawn.notes;
    const log = [...withdrawn.log];
    let source = 'none';
    if (comment && !resetting && bodyDigest(comment.body) !== ledger.written) {
        // The last write is a pure function of the ledger; re-rendered, it stands in for a history entry GitHub may omit.
        const rendered = renderChecklistBody({ template, required: ledger.required, answers: ledger.answers, notes: ledger.notes, headSha: ledger.head, reset: ledger.reset, state: ledger.state });
        const baseline = ledger.written !== null && bodyDigest(rendered) === ledger.written ? rendered : null;
        const result = await replay({ options, comment, ledger: { ...ledger, answers, notes }, makers, now, baseline });
        answers = result.answers;
        notes = result.notes;
        source = result.source;
        log.push(...result.log);
    }
    else if (comment &&
        !resetting &&
        trigger.edit &&
        trigger.edit.commentId === comment.id &&
        normalizeBody(trigger.edit.body) !== normalizeBody(comment.body) &&
        !(ledger.started && Date.parse(trigger.edit.at) < Date.parse(ledger.started))) {
        // The comment is as this action last wrote it, yet the edit this event reports is not in it: a run
        // that overlapped the edit wrote over it. The event still says who changed what, so apply it now
        // if it was made on the write before the last one; on each item a decision newer than the edit wins.
        const edit = trigger.edit;
        const revisions = [
            { body: edit.from, editor: null, at: edit.at },
            { body: edit.body, editor: edit.editor, at: edit.at },
        ];
        const result = replayRevisions({ template, answers, notes, revisions, judge: await judgeFor(options, revisions, makers), state: ledger.prior });
        for (const item of templateItems(template)) {
            const decided = Math.max(Date.parse(answers[item.id]?.at ?? '') || 0, Date.parse(notes[item.id]?.at ?? '') || 0);
            if (decided <= Date.parse(edit.at))
                continue;
            if (answers[item.id])
                result.answers[item.id] = answers[item.id];
            else
                delete result.answers[item.id];
            if (notes[item.id])
                result.notes[item.id] = notes[item.id];
            else
                delete result.notes[item.id];
        }
        answers = result.answers;
        notes = result.notes;
        source = `edited event (sender @${edit.editor.login}), applied after an overlapping write`;
        log.push(...result.log);
    }
    return { answers, notes, source, log };
}
async function identityOf(options) {
    try {
        return await getViewerLogin(options.octokit, options.graphqlUrl);
    }
    catch (error) {
        throw new Error(`could not read the token's identity through GraphQL viewer (${error.message}); the run stops rather than guess it, ` +
            'because only check runs and comments of that identity may be trusted. Re-run the job when GitHub answers again.');
    }
}
async function replay(input) {
    const { options, comment, ledger, makers, now } = input;
    const { template } = options;
    const edit = options.trigger.edit;
    let revisions = null;
    let source;
    if (edit &&
        edit.commentId === comment.id &&
        ledger.written !== null &&
        bodyDigest(edit.from) === ledger.written &&
        normalizeBody(edit.body) === normalizeBody(comment.body)) {
        // The event describes the only edit since the action wrote the comment.
        revisions = [
            { body: edit.from, editor: null, at: edit.at },
            { body: edit.body, editor: edit.editor, at: edit.at },
        ];
        source = `edited event (sender @${edit.editor.login})`;
    }
    else {
        const { revisions: history, complete } = await getCommentHistory(options.octokit, comment.nodeId, options.graphqlUrl);
        let start = findBaseline(history, ledger.written);
        let chain = start >= 0 ? history.slice(start) : [];
        if (start < 0 && complete && history.every((revision) => revision.body !== null) && input.baseline !== null) {
            // GitHub may leave the created version out of the history: when the whole history is there and
            // none of it is the action's last write, that write was the creation, re-rendered from the ledger.
            chain = [{ body: input.baseline, editor: null, at: comment.updatedAt }, ...history];
            start = 0;
        }
        const last = chain[chain.length - 1];
        if (last && last.body !== null && normalizeBody(last.body) !== normalizeBody(comment.body) && edit && edit.commentId === comment.id) {
            // The history lags behind the comment; the event explains the newest edit.
            if (normalizeBody(edit.from) === normalizeBody(last.body) && normalizeBody(edit.body) === normalizeBody(comment.body)) {
                chain = [...chain, { body: edit.body, editor: edit.editor, at: edit.at }];
            }
        }
        const newest = chain[chain.length - 1];
        if (start >= 0 && newest && newest.body !== null && normalizeBody(newest.body) === normalizeBody(comment.body)) {
            revisions = chain;
            source = `edit history (${revisions.length - 1} edit(s) since the action last wrote the comment)`;
        }
        else {
            source = 'edit history unavailable';
            const reason = ledger.written === null
                ? 'this action has no record of the comment it wrote'
                : start < 0
                    ? "the comment's edit history no longer holds the version this action wrote"
                    : "the comment's edit history does not reach its current text";
            const settled = settleWithoutHistory({ template, body: comment.body, answers: ledger.answers, notes: ledger.notes, reason, at: now });
            return { ...settled, source };
        }
    }
    const result = replayRevisions({ template, answers: ledger.answers, notes: ledger.notes, revisions, judge: await judgeFor(options, revisions, makers), state: ledger.state });
    return { ...result, source };
}
/** Asks GitHub about every editor who ticked something in these revisions (once each), and returns the verdicts. */
async function judgeFor(options, revisions, makers) {
    const verdicts = new Map();
    for (const editor of editorsToJudge(options.template, revisions)) {
        verdicts.set(editor.login.toLowerCase(), await eligibility(options, editor, makers));
    }
    return (editor) => verdicts.get(editor.login.toLowerCase()) ?? preliminaryEligibility(editor, makers) ?? { eligible: false, reason: `@${editor.login} could not be checked` };
}
const WRITE = new Set(['admin', 'maintain', 'write']);
async function eligibility(options, editor, makers) {
    const early = preliminaryEligibility(editor, makers);
    if (early)
        return early;
    const permission = await getPermission(options.octokit, options.repo, editor.login);
    if (WRITE.has(permission))
        return { eligible: true };
    const answers = [];
    for (const { org, team } of options.teams) {
        const answer = await teamMembership(options.octokit, org, team, editor.login);
        if (answer === 'member')
            return { eligible: true };
        answers.push(answer);
    }
    const teams = options.teams.map(({ org, team }) => `${org}/${team}`);
    const repoName = `${options.repo.owner}/${options.repo.repo}`;
    let reason = `@${editor.login} has ${permission === 'none' ? 'no' : permission} permission on ${repoName}; answers need write, maintain or admin permission`;
    if (teams.length > 0)
        reason += ` or membership of ${teams.join(', ')}`;
    if (answers.includes('unreadable'))
        reason += ' (the token cannot read team membership; give the action a token with members:read)';
    return { eligible: false, reason };
}
function rowsOf(template, ledger) {
    const required = new Set(ledger.required);
    return template.sections.flatMap((section) => section.items.map((item) => ({
        id: item.id,
        section: section.title,
        text: item.text,
        required: required.has(item.id),
        answer: ledger.answers[item.id] ?? null,
        note: ledger.notes[item.id] ?? null,
    })));
}
async function writeCheckRun(input) {
    const { options, run, ledger, commentUrl, complete } = input;
    const { octokit, repo, template } = options;
    let others = run.ledgers.filter((entry) => entry.pr !== ledger.pr);
    let unevaluated = [];
    if (complete && others.every((entry) => checklistStatus(entry.required, entry.answers).complete)) {
        // About to turn the commit green: every open pull request with this head must be answered too.
        // A ledger of another pull request leaves the run only when that pull request is closed or has moved on.
        const kept = [];
        for (const entry of others) {
            const other = await getPullRequest(octokit, repo, entry.pr);
            if (other.state === 'open' && other.headSha === ledger.head)
                kept.push(entry);
            else
                input.events.push(`#${entry.pr} is ${other.state === 'open' ? `now at ${other.headSha.slice(0, 7)}` : other.state}: its ledger leaves this commit's check run`);
        }
        others = kept;
        const open = await listOpenPullsWithHead(octokit, repo, ledger.head);
        unevaluated = open.filter((number) => number !== ledger.pr && !others.some((entry) => entry.pr === number));
    }
    const ledgers = [ledger, ...others];
    const incomplete = ledgers.filter((entry) => !checklistStatus(entry.required, entry.answers).complete).map((entry) => entry.pr);
    const conclusion = incomplete.length === 0 && unevaluated.length === 0 ? 'success' : 'action_required';
    const status = checklistStatus(ledger.required, ledger.answers);
    let title = status.complete ? `All ${status.total} required item(s) answered` : `${status.answered} of ${status.total} required item(s) answered`;
    if (ledgers.length > 1 || unevaluated.length > 0) {
        title =
            conclusion === 'success'
                ? `All required items answered in each of #${ledgers.map((entry) => entry.pr).sort((a, b) => a - b).join(', #')}`
                : `Open in ${[...incomplete, ...unevaluated].sort((a, b) => a - b).map((n) => `#${n}`).join(', ')} (this commit is the head of ${ledgers.length + unevaluated.length} pull requests)`;
    }
    const content = {
        headSha: ledger.head,
        conclusion,
        title,
        summary: checkRunSummary(template, ledger, commentUrl, others, unevaluated),
        text: encodeLedgers(ledgers),
        detailsUrl: commentUrl,
    };
    if (others.length > 0 || unevaluated.length > 0) {
        input.events.push(`this commit is the head of ${ledgers.length + unevaluated.length} open pull requests; the check is ${conclusion} (${incomplete.length + unevaluated.length} not answered)`);
    }
    let primary = run.primary?.id ?? null;
    if (primary === null) {
        primary = (await createCheckRun(octokit, repo, content)).id;
    }
    else if (run.primary.text !== content.text || run.primary.conclusion !== conclusion) {
        await updateCheckRun(octokit, repo, primary, content);
    }
    for (const other of run.others) {
        // An older run of this app on the same commit must not say anything else than the one that holds the ledgers.
        const superseded = `Superseded by check run ${primary}: ${title}`;
        if (other.conclusion === conclusion && other.title === superseded)
            continue;
        await updateCheckRun(octokit, repo, other.id, { ...content, title: superseded, text: '' });
    }
    return conclusion;
}
function checkRunSummary(template, ledger, commentUrl, others = [], unevaluated = []) {
    const shared = [];
    if (others.length > 0 || unevaluated.length > 0) {
        shared.push(`This commit is the head of several open pull requests: #${[ledger.pr, ...others.map((entry) => entry.pr), ...unevaluated].sort((a, b) => a - b).join(', #')}. ` +
            'Branch protection reads one check per commit, so it is green only when every one of them is answered.', '', '| Pull request | Base | Answered |', '|---|---|---|');
        for (const entry of [ledger, ...others].sort((a, b) => a.pr - b.pr)) {
            const s = checklistStatus(entry.required, entry.answers);
            shared.push(`| #${entry.pr} | \`${cellText(entry.base.ref)}\` | ${s.complete ? '✅' : '❌'} ${s.answered} of ${s.total} |`);
        }
        for (const number of unevaluated)
            shared.push(`| #${number} | | ❌ not evaluated yet (no run of the checklist for it) |`);
        shared.push('', `### #${ledger.pr}`, '');
    }
    return [...shared, singleSummary(template, ledger, commentUrl)].join('\n');
}
function singleSummary(template, ledger, commentUrl) {
    const status = checklistStatus(ledger.required, ledger.answers);
    const lines = [
        status.complete
            ? `Every required item is answered by an eligible reviewer for \`${ledger.head.slice(0, 7)}\`.`
            : `Still open for \`${ledger.head.slice(0, 7)}\`: ${status.missing.map((id) => `\`${id}\``).join(', ')}. Answer them in [the checklist comment](${commentUrl}).`,
        '',
        '| Item | Required | Answer | By | When |',
        '|---|---|---|---|---|',
    ];
    for (const row of rowsOf(template, ledger)) {
        const answer = row.answer ? (row.answer.answer === 'yes' ? '✅ yes' : '➖ not applicable') : row.required ? '❌ open' : '—';
        lines.push(`| ${cellText(row.text)} (\`${row.id}\`) | ${row.required ? 'yes' : 'no'} | ${answer} | ${row.answer ? `@${row.answer.by}` : ''} | ${row.answer ? formatTime(row.answer.at) : ''} |`);
    }
    lines.push('', `${templateItems(template).length} item(s) in the template; answers are credited only to reviewers with write access who neither opened the pull request nor pushed or committed its code.`);
    return lines.join('\n');
}


/***/ })

};
