export const id = 831;
export const ids = [831];
export const modules = {

/***/ 6831:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ConfigError: () => (/* binding */ ConfigError),
/* harmony export */   formatProblem: () => (/* binding */ formatProblem),
/* harmony export */   formatProblems: () => (/* binding */ formatProblems),
/* harmony export */   loadConfigOrThrow: () => (/* binding */ loadConfigOrThrow),
/* harmony export */   loadConfigText: () => (/* binding */ loadConfigText)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4635);
/* harmony import */ var _planner_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8685);
/* harmony import */ var _units_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5294);
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
            if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(node))
                next = node.items.find((pair) => (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(pair.key) && String(pair.key.value) === String(key))?.value;
            else if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(node) && typeof key === 'number')
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
        if (exact && (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(node)) {
            const pair = node.items.find((item) => (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isPair */ .tO)(item) && (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(item.key) && String(item.key.value) === key);
            const range = pair && (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(pair.key) ? pair.key.range : undefined;
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
        return `expected ${issue.expected}, got ${(0,_config_js__WEBPACK_IMPORTED_MODULE_1__/* .describe */ .q0)(input)}`;
    return issue.message;
}
/** Every schema problem as file:line:col, one per zod issue (one per key for unknown keys). */
function schemaProblems(file, locator, issues) {
    const problems = [];
    for (const issue of issues) {
        const path = issue.path.filter((key) => typeof key !== 'symbol');
        if (issue.code === 'unrecognized_keys') {
            for (const key of issue.keys) {
                problems.push({ file, ...locator.keyAt(path, key), path: (0,_planner_js__WEBPACK_IMPORTED_MODULE_2__.formatPath)([...path, key]), message: (0,_config_js__WEBPACK_IMPORTED_MODULE_1__/* .unknownKeyMessage */ .VP)(key) });
            }
            continue;
        }
        problems.push({ file, ...locator.at(path), path: (0,_planner_js__WEBPACK_IMPORTED_MODULE_2__.formatPath)(path), message: messageOf(issue) });
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
            const key = `${(0,_planner_js__WEBPACK_IMPORTED_MODULE_2__.formatPath)(path)}:${bake.durationMs}`;
            if (bake.mode === 'watch' && bake.durationMs >= _config_js__WEBPACK_IMPORTED_MODULE_1__/* .HOSTED_JOB_LIMIT_MS */ .FD && !seen.has(key)) {
                seen.add(key);
                warnings.push({
                    file,
                    ...locator.at(path),
                    path: (0,_planner_js__WEBPACK_IMPORTED_MODULE_2__.formatPath)(path),
                    message: `a ${(0,_units_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(bake.durationMs)} watch bake outlasts a GitHub-hosted job (6h); use mode: verify with the environment's wait timer, or a self-hosted runner`,
                });
            }
        }
    });
    return warnings;
}
/** Parses and checks a config file's text. Never throws for bad input: every problem is returned. */
function loadConfigText(file, text) {
    const lines = new yaml__WEBPACK_IMPORTED_MODULE_0__/* .LineCounter */ .HN();
    const document = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parseDocument */ .Tp)(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
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
    const parsed = (0,_config_js__WEBPACK_IMPORTED_MODULE_1__/* .parseConfig */ .o4)(data);
    if (!parsed.ok) {
        const waveIssues = wavesOfSoundStages(data);
        const problems = [...schemaProblems(file, locator, parsed.issues), ...waveIssues.map((issue) => ({ file, ...locator.at(issue.path), path: (0,_planner_js__WEBPACK_IMPORTED_MODULE_2__.formatPath)(issue.path), message: issue.message }))];
        return { ok: false, problems: sortProblems(problems) };
    }
    const waveProblems = (0,_planner_js__WEBPACK_IMPORTED_MODULE_2__.checkWaves)(parsed.config).map((issue) => ({ file, ...locator.at(issue.path), path: (0,_planner_js__WEBPACK_IMPORTED_MODULE_2__.formatPath)(issue.path), message: issue.message }));
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
        const stage = _config_js__WEBPACK_IMPORTED_MODULE_1__/* .stageSchema */ .it.safeParse(raw);
        if (!stage.success || stage.data.waves === 'auto')
            return;
        for (const issue of (0,_planner_js__WEBPACK_IMPORTED_MODULE_2__.checkStageWaves)(stage.data, stage.data.waves))
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


/***/ })

};
