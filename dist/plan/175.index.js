export const id = 175;
export const ids = [175];
export const modules = {

/***/ 6175:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  formatProblem: () => (/* reexport */ formatProblem),
  planFromText: () => (/* binding */ planFromText),
  problemsMarkdown: () => (/* binding */ problemsMarkdown),
  summaryMarkdown: () => (/* binding */ summaryMarkdown)
});

// UNUSED EXPORTS: mermaid

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./packages/core/src/config.ts + 1 modules
var src_config = __webpack_require__(9939);
// EXTERNAL MODULE: ./packages/core/src/planner.ts
var planner = __webpack_require__(8685);
// EXTERNAL MODULE: ./packages/core/src/units.ts
var units = __webpack_require__(5294);
;// CONCATENATED MODULE: ./packages/core/src/config-loader.ts
// Loads the config text of a service and reports EVERY problem at once, each with the file, line,
// column and path in the document:
//
//   .github/safe-deploy.yml:14:7 stages[3].onebox.traffic: 25% is above the one-box limit of 10%
//
//   const result = loadConfigText('.github/safe-deploy.yml', text);
//   if (!result.ok) { console.error(formatProblems(result.problems)); ... }   // nothing is deployed
//   else use(result.config);                                                 // schema AND wave rules hold
//
// Pure: the caller reads the file. YAML syntax errors, schema errors (config.ts) and wave-rule
// errors (planner.ts checkWaves) are all collected; wave rules run only once the schema holds.




class Locator {
    document;
    lines;
    constructor(document, lines) {
        this.document = document;
        this.lines = lines;
    }
    position(offset) {
        const { line, col } = this.lines.linePos(offset);
        return { line, column: col };
    }
    /** The deepest node along `path` that exists, and whether it is the node itself. */
    walk(path) {
        let node = this.document.contents;
        for (let i = 0; i < path.length; i++) {
            const key = path[i];
            let next;
            if ((0,dist/* isMap */.jh)(node))
                next = node.items.find((pair) => (0,dist/* isScalar */.jn)(pair.key) && String(pair.key.value) === String(key))?.value;
            else if ((0,dist/* isSeq */.oP)(node) && typeof key === 'number')
                next = node.items[key];
            if (next === undefined || next === null)
                return { node: node ?? null, exact: false };
            node = next;
        }
        return { node: node ?? null, exact: true };
    }
    /** Where a value sits: the value itself, or the closest enclosing node when it is missing. */
    at(path) {
        const { node } = this.walk(path);
        return this.position(node?.range?.[0] ?? 0);
    }
    /** Where a key of a mapping sits (for unknown keys). */
    keyAt(path, key) {
        const { node, exact } = this.walk(path);
        if (exact && (0,dist/* isMap */.jh)(node)) {
            const pair = node.items.find((item) => (0,dist/* isPair */.tO)(item) && (0,dist/* isScalar */.jn)(item.key) && String(item.key.value) === key);
            const range = pair && (0,dist/* isScalar */.jn)(pair.key) ? pair.key.range : undefined;
            if (range)
                return this.position(range[0]);
        }
        return this.position(node?.range?.[0] ?? 0);
    }
}
function messageOf(issue) {
    const input = issue.input;
    if (issue.code === 'invalid_type' && input === undefined)
        return 'is required';
    if (issue.code === 'invalid_type' && !issue.message.startsWith('expected'))
        return `expected ${issue.expected}, got ${(0,src_config/* describe */.q0)(input)}`;
    return issue.message;
}
/** Every schema problem as file:line:col, one per zod issue (one per key for unknown keys). */
function schemaProblems(file, locator, issues) {
    const problems = [];
    for (const issue of issues) {
        const path = issue.path.filter((key) => typeof key !== 'symbol');
        if (issue.code === 'unrecognized_keys') {
            for (const key of issue.keys) {
                problems.push({ file, ...locator.keyAt(path, key), path: (0,planner/* formatPath */.jV)([...path, key]), message: (0,src_config/* unknownKeyMessage */.VP)(key) });
            }
            continue;
        }
        problems.push({ file, ...locator.at(path), path: (0,planner/* formatPath */.jV)(path), message: messageOf(issue) });
    }
    return problems;
}
/** Advice that does not stop a deploy: a `watch` bake longer than a GitHub-hosted job may run. */
function adviceFor(file, locator, config) {
    const warnings = [];
    config.stages.forEach((stage, s) => {
        const bakes = [
            [['stages', s, 'bake'], stage.bake.first],
            [['stages', s, 'bake'], stage.bake.rest],
        ];
        if (stage.onebox)
            bakes.push([['stages', s, 'onebox', 'bake'], stage.onebox.bake]);
        const seen = new Set();
        for (const [path, bake] of bakes) {
            const key = `${(0,planner/* formatPath */.jV)(path)}:${bake.durationMs}`;
            if (bake.mode === 'watch' && bake.durationMs >= src_config/* HOSTED_JOB_LIMIT_MS */.FD && !seen.has(key)) {
                seen.add(key);
                warnings.push({
                    file,
                    ...locator.at(path),
                    path: (0,planner/* formatPath */.jV)(path),
                    message: `a ${(0,units/* formatDuration */.a3)(bake.durationMs)} watch bake outlasts a GitHub-hosted job (6h); use mode: verify with the environment's wait timer, or a self-hosted runner`,
                });
            }
        }
    });
    return warnings;
}
/** Parses and checks a config file's text. Never throws for bad input: every problem is returned. */
function loadConfigText(file, text) {
    const lines = new dist/* LineCounter */.HN();
    const document = (0,dist/* parseDocument */.Tp)(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const locator = new Locator(document, lines);
    if (document.errors.length > 0) {
        return {
            ok: false,
            problems: document.errors.map((error) => {
                const { line, col } = lines.linePos(error.pos[0]);
                return { file, line, column: col, path: '(document)', message: `YAML: ${error.message.split('\n')[0]}` };
            }),
        };
    }
    if (document.contents === null || text.trim() === '') {
        return { ok: false, problems: [{ file, line: 1, column: 1, path: '(document)', message: 'the file is empty; it needs at least service, functions and stages' }] };
    }
    let data;
    try {
        data = document.toJS({ maxAliasCount: 1000 });
    }
    catch (error) {
        return { ok: false, problems: [{ file, line: 1, column: 1, path: '(document)', message: `YAML: ${error.message}` }] };
    }
    const parsed = (0,src_config/* parseConfig */.o4)(data);
    if (!parsed.ok) {
        const waveIssues = wavesOfSoundStages(data);
        const problems = [...schemaProblems(file, locator, parsed.issues), ...waveIssues.map((issue) => ({ file, ...locator.at(issue.path), path: (0,planner/* formatPath */.jV)(issue.path), message: issue.message }))];
        return { ok: false, problems: sortProblems(problems) };
    }
    const waveProblems = (0,planner/* checkWaves */.rU)(parsed.config).map((issue) => ({ file, ...locator.at(issue.path), path: (0,planner/* formatPath */.jV)(issue.path), message: issue.message }));
    if (waveProblems.length > 0)
        return { ok: false, problems: sortProblems(waveProblems) };
    return { ok: true, config: parsed.config, warnings: adviceFor(file, locator, parsed.config) };
}
/** Wave-rule problems of the stages that are sound on their own, so they are reported along with schema problems elsewhere. */
function wavesOfSoundStages(data) {
    const stages = data?.stages;
    if (!Array.isArray(stages))
        return [];
    const issues = [];
    stages.forEach((raw, index) => {
        const stage = src_config/* stageSchema */.it.safeParse(raw);
        if (!stage.success || stage.data.waves === 'auto')
            return;
        for (const issue of (0,planner/* checkStageWaves */.Zj)(stage.data, stage.data.waves))
            issues.push({ path: ['stages', index, ...issue.path], message: issue.message });
    });
    return issues;
}
function sortProblems(problems) {
    return problems.map((problem, i) => ({ problem, i })).sort((a, b) => a.problem.line - b.problem.line || a.problem.column - b.problem.column || a.i - b.i).map(({ problem }) => problem);
}
/** `file:line:col path: message`, the form editors and GitHub annotations link to. */
function formatProblem(problem) {
    return `${problem.file}:${problem.line}:${problem.column} ${problem.path}: ${problem.message}`;
}
/** One problem per line. */
function formatProblems(problems) {
    return problems.map(formatProblem).join('\n');
}
/** Loads the text and returns the Config, or throws an Error whose message lists every problem. */
function loadConfigOrThrow(file, text) {
    const result = loadConfigText(file, text);
    if (!result.ok)
        throw new ConfigError(result.problems);
    return result.config;
}
class ConfigError extends Error {
    problems;
    constructor(problems) {
        super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${problems[0]?.file ?? 'the config'}:\n${formatProblems(problems)}`);
        this.problems = problems;
        this.name = 'ConfigError';
    }
}

// EXTERNAL MODULE: ./packages/core/src/windows.ts
var src_windows = __webpack_require__(6564);
// EXTERNAL MODULE: ./packages/github/src/summary.ts
var summary = __webpack_require__(7669);
;// CONCATENATED MODULE: ./actions/plan/src/plan.ts
// What the plan action computes and prints, without any runner I/O (main.ts does that).
// Loaded lazily by main.ts, so the action reaches an input error before zod and yaml are parsed.






function planFromText(file, text) {
    const loaded = loadConfigText(file, text);
    if (!loaded.ok)
        return { ok: false, problems: loaded.problems };
    const waves = (0,planner/* planWaves */.Kc)(loaded.config);
    const json = waves.map(planner/* waveJson */.GJ);
    const stageWaves = {};
    for (const stage of loaded.config.stages)
        stageWaves[stage.name] = json.filter((wave) => wave.stage === stage.name);
    return {
        ok: true,
        config: loaded.config,
        waves,
        outputs: { stages: loaded.config.stages.map((stage) => stage.name), waves: json, stageWaves, config: (0,src_config/* configToJson */.iI)(loaded.config) },
        warnings: loaded.warnings,
    };
}

function bakeText(wave) {
    const { bake } = wave;
    return `${(0,units/* formatDuration */.a3)(bake.durationMs)}, ≥${bake.minInvocations.toLocaleString('en-US')} invocations${bake.mode === 'verify' ? ', verify' : ''}`;
}
function mermaidId(text) {
    return text.replace(/[^A-Za-z0-9]/g, '_');
}
/** Node id of a wave: its position keeps ids unique even if two stages' wave ids read alike. */
function waveNode(wave) {
    return `w${wave.index}_${mermaidId(wave.id)}`;
}
function mermaidLabel(lines) {
    return `"${lines.map((line) => line.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')).join('<br/>')}"`;
}
/** A left-to-right flowchart: one box per stage holding its waves, arrows in the order they run. */
function mermaid(config, waves) {
    const lines = ['```mermaid', 'flowchart LR'];
    config.stages.forEach((stage, index) => {
        lines.push(`  subgraph s${index}_${mermaidId(stage.name)}[${mermaidLabel([`${stage.name} (${stage.regions.length} region${stage.regions.length === 1 ? '' : 's'})`])}]`);
        lines.push('    direction LR');
        for (const wave of waves.filter((candidate) => candidate.stage === stage.name)) {
            const shape = wave.onebox ? ['([', '])'] : ['[', ']'];
            const label = mermaidLabel([wave.id, `${wave.regions.join(', ')} @ ${(0,units/* formatShare */.T1)(wave.traffic)}`, `bake ${bakeText(wave)}`]);
            lines.push(`    ${waveNode(wave)}${shape[0]}${label}${shape[1]}`);
        }
        lines.push('  end');
    });
    for (let i = 1; i < waves.length; i++) {
        const from = waves[i - 1];
        const to = waves[i];
        lines.push(`  ${waveNode(from)} --> ${waveNode(to)}`);
    }
    lines.push('```');
    return lines.join('\n');
}
/** The job summary of a good config: header, mermaid flowchart, wave table, alarms and windows. */
function summaryMarkdown(file, config, waves, warnings, nowMs) {
    const out = [];
    out.push(`## safe-deploy plan: ${config.service}`);
    out.push('');
    out.push(`\`${file}\`: ${config.stages.length} stages, ${waves.length} waves, functions ${config.functions.map((fn) => `\`${fn}\``).join(', ')} through alias \`${config.alias}\`.`);
    out.push('');
    out.push(mermaid(config, waves));
    out.push('');
    out.push('| # | stage | wave | regions | traffic | bake | min invocations | mode | max wait |');
    out.push('|---|---|---|---|---|---|---|---|---|');
    for (const wave of waves) {
        out.push(`| ${wave.index + 1} | ${(0,summary/* cellText */.Ie)(wave.stage)} | \`${wave.id}\` | ${(0,summary/* cellText */.Ie)(wave.regions.join(', '))} | ${(0,units/* formatShare */.T1)(wave.traffic)}${wave.onebox ? ' (one-box)' : ''} | ${(0,units/* formatDuration */.a3)(wave.bake.durationMs)} | ${wave.bake.minInvocations.toLocaleString('en-US')} | ${wave.bake.mode} | ${wave.bake.mode === 'watch' ? (0,units/* formatDuration */.a3)(wave.bake.maxWaitMs) : 'n/a'} |`);
    }
    out.push('');
    const tests = config.stages.filter((stage) => stage.tests);
    if (tests.length > 0) {
        out.push('**Stage tests:** ' + tests.map((stage) => `${stage.name}: \`${(0,summary/* cellText */.Ie)(stage.tests)}\``).join('; '));
        out.push('');
    }
    const { alarms, windows } = config;
    const list = (items) => (items.length === 0 ? '_none_' : items.map((item) => `\`${item}\``).join(', '));
    out.push('| alarms | |');
    out.push('|---|---|');
    out.push(`| block (must be OK before a stage starts) | ${list(alarms.block)} |`);
    out.push(`| rollback (watched during shift and bake) | ${list(alarms.rollback)} |`);
    const bounds = [
        alarms.onebox.errorRate !== undefined ? `error rate ≤ ${(0,units/* formatShare */.T1)(alarms.onebox.errorRate)}` : '',
        alarms.onebox.p99DurationMs !== undefined ? `p99 duration ≤ ${(0,units/* formatDuration */.a3)(alarms.onebox.p99DurationMs)}` : '',
    ].filter(Boolean);
    out.push(`| one-box canary bounds | ${bounds.length > 0 ? bounds.join(', ') : '_none_'} |`);
    out.push('');
    const state = (0,src_windows/* checkWindow */.pr)(windows, nowMs);
    out.push(`**Deploy windows** (${windows.timezone}): ${windows.allow.length === 0 ? 'any time' : windows.allow.map((window) => `\`${window.text}\``).join(', ')}; freezes: ${windows.freeze.length === 0 ? 'none' : windows.freeze.map((range) => `\`${range.text}\``).join(', ')}.`);
    out.push(`Now: ${state.open ? 'open' : 'closed'}, ${state.reason}.`);
    if (warnings.length > 0) {
        out.push('');
        out.push('**Warnings**');
        out.push('');
        for (const warning of warnings)
            out.push(`- ${(0,summary/* cellText */.Ie)(formatProblem(warning))}`);
    }
    out.push('');
    return out.join('\n');
}
/** The job summary of a broken config: every problem, and that nothing was planned. */
function problemsMarkdown(file, problems) {
    const out = [`## safe-deploy plan: \`${file}\` has ${problems.length} problem${problems.length === 1 ? '' : 's'}`, '', 'Nothing was planned or deployed. Fix these and push again:', ''];
    out.push('| line:col | path | problem |');
    out.push('|---|---|---|');
    for (const problem of problems)
        out.push(`| ${problem.line}:${problem.column} | \`${(0,summary/* cellText */.Ie)(problem.path)}\` | ${(0,summary/* cellText */.Ie)(problem.message)} |`);
    out.push('');
    return out.join('\n');
}


/***/ })

};
