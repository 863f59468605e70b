export const id = 663;
export const ids = [663];
export const modules = {

/***/ 5566:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   eT: () => (/* binding */ decodeRecord)
/* harmony export */ });
/* unused harmony exports ALIAS_DESCRIPTION_LIMIT, RECORD_FORMAT, DEPLOYMENT_STATES, IN_FLIGHT_STATES, RECORD_TOKEN, roundWeight, sameWeight, encodeRecord, deploymentTargetSchema, deploymentSchema, parseDeployment */
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9691);
// The deployment record and the `deployment` JSON handed between actions.
//
// Two shapes live here:
// - AliasRecord: the compact JSON kept in a Lambda alias Description (at most 256 characters).
//   It is written by the same UpdateAlias call that moves the traffic, so the split and the
//   knowledge of how to undo it always change together.
// - Deployment: the `deployment` output of wave-deploy, the input of bake-gate and rollback.

const ALIAS_DESCRIPTION_LIMIT = 256;
const RECORD_FORMAT = 1;
/**
 * Where a deployment stands on one alias.
 * - shifting: traffic is moving in steps; the candidate holds part of the traffic.
 * - baking:   the candidate holds its share of the wave and waits for the bake.
 * - promoted: the candidate holds all traffic; `stable` is still the rollback target.
 * - rolled-back: the alias is back on `stable`; `candidate` is the version that was refused.
 */
const DEPLOYMENT_STATES = ['shifting', 'baking', 'promoted', 'rolled-back'];
/** States a sentinel must keep watching: the candidate serves traffic and the bake is not over. */
const IN_FLIGHT_STATES = (/* unused pure expression or super */ null && (['shifting', 'baking']));
/** Characters of the record's commit (`g`) and run (`r`) fields. */
const RECORD_TOKEN = /^[0-9A-Za-z._-]*$/;
// Short keys keep the record well under the 256-character Description limit.
const wireRecord = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    sd: zod__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .euz(RECORD_FORMAT),
    s: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().regex(/^\d+$/),
    c: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().regex(/^\d+$/).nullable(),
    p: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().regex(/^\d+$/).nullable(),
    w: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().min(0).max(1),
    st: zod__WEBPACK_IMPORTED_MODULE_0__/* ["enum"] */ .k5n(DEPLOYMENT_STATES),
    // Commit and run id reach logs and summaries: only the characters a commit or run id can have
    // (a newline here could start a runner command such as `::stop-commands::`).
    g: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().max(40).regex(RECORD_TOKEN),
    r: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().max(24).regex(RECORD_TOKEN),
    t: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative(),
})
    .strict();
/**
 * Weights are kept to 5 decimals. The Lambda API documents AdditionalVersionWeights only as a double
 * between 0.0 and 1.0; every share safe-deploy writes comes from a percentage with at most 3 decimals
 * (5 decimals as a fraction), so rounding here never changes what was asked, and read-backs compare
 * within half a unit of the 5th decimal (`sameWeight`) in case Lambda stores the double differently.
 */
function roundWeight(weight) {
    return Math.round(weight * 100_000) / 100_000;
}
/** Two weights are the same share when they differ by at most half a unit of the 5th decimal. */
function sameWeight(a, b) {
    return Math.abs(a - b) <= 0.000005 + Number.EPSILON;
}
/** A commit or run id in the record's alphabet: any other character becomes `_`. */
function token(text) {
    return text.replace(/[^0-9A-Za-z._-]/g, '_');
}
function encodeRecord(record) {
    const wire = {
        sd: RECORD_FORMAT,
        s: record.stable,
        c: record.candidate,
        p: record.previous,
        w: roundWeight(record.weight),
        st: record.state,
        g: token(record.commit).slice(0, 12),
        r: token(record.run).slice(0, 24),
        t: Math.floor(record.at),
    };
    const text = JSON.stringify(wire);
    if (text.length > ALIAS_DESCRIPTION_LIMIT) {
        throw new Error(`deployment record is ${text.length} characters, above the alias description limit of ${ALIAS_DESCRIPTION_LIMIT}`);
    }
    return text;
}
/** Reads an alias description. A description that is not ours means "no record"; one that is ours but broken is reported. */
function decodeRecord(description) {
    const text = (description ?? '').trim();
    if (!text.startsWith('{') || !text.includes('"sd"'))
        return { kind: 'none' };
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (error) {
        return { kind: 'corrupt', reason: `not JSON: ${error.message}` };
    }
    const result = wireRecord.safeParse(parsed);
    if (!result.success) {
        return { kind: 'corrupt', reason: result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
    }
    const w = result.data;
    return {
        kind: 'record',
        record: { v: RECORD_FORMAT, stable: w.s, candidate: w.c, previous: w.p, weight: w.w, state: w.st, commit: w.g, run: w.r, at: w.t },
    };
}
/** One alias in one region, as wave-deploy left it. */
const deploymentTargetSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    region: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1),
    function: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1),
    alias: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1),
    /** Version a rollback returns to. */
    stable: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().regex(/^\d+$/),
    /** Version being deployed. */
    candidate: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().regex(/^\d+$/),
    /** Share of traffic on the candidate after the write, 0..1. */
    weight: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().min(0).max(1),
    /** Alias RevisionId after the write (guards the next write). */
    revision: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().nullable(),
    /** The record written into the alias description. */
    record: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().max(ALIAS_DESCRIPTION_LIMIT),
});
const deploymentSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    format: zod__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .euz(1),
    service: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1).optional(),
    stage: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1).optional(),
    wave: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1).optional(),
    alias: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1),
    commit: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(),
    run: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(),
    /** Share of traffic the wave put on the candidate, 0..1. */
    traffic: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().min(0).max(1),
    /** ISO time the wave finished moving traffic; bake windows start here. */
    shiftedAt: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(),
    /**
     * Seconds of the lease wave-deploy wrote into the deployment store (input `lease`); null: no
     * lease; absent: written by a version without leases. A watching bake-gate renews it for as long.
     */
    leaseSeconds: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative().nullable().optional(),
    targets: zod__WEBPACK_IMPORTED_MODULE_0__/* .array */ .YOg(deploymentTargetSchema).min(1),
});
/** Parses the `deployment` input of bake-gate and rollback; the error names the input. */
function parseDeployment(text, inputName = 'deployment') {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (error) {
        throw new Error(`input ${inputName}: not JSON (${error.message}); pass the \`deployment\` output of wave-deploy`);
    }
    const result = deploymentSchema.safeParse(parsed);
    if (!result.success) {
        const problems = result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
        throw new Error(`input ${inputName}: not a safe-deploy deployment (${problems})`);
    }
    return result.data;
}


/***/ }),

/***/ 3663:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ nextSteps),
/* harmony export */   passedStage: () => (/* binding */ passedStage)
/* harmony export */ });
/* unused harmony export deploymentOf */
/* harmony import */ var _rollout_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4980);

const short = (commit) => commit.slice(0, 12);
const EPSILON = 0.000005;
function aliasesOf(state, wave) {
    return wave.regions.flatMap((region) => (state.regions[region]?.aliases ?? []).map((alias) => ({ region, alias })));
}
function entriesOf(state, wave) {
    return wave.regions.map((region) => state.regions[region]?.entry ?? null);
}
/** When the last alias write of the wave happened (its shift), ms. */
function shiftedAt(state, wave) {
    return Math.max(...aliasesOf(state, wave).map(({ alias }) => (alias.record?.at ?? 0) * 1000));
}
/**
 * A one-box whose last bake passed keeps its store entry, parked: no lease, rewritten when the bake
 * passed (so after the shift plus the bake), until the next wave's deploy takes it over. A wave
 * deployed with no lease at all has an entry written at the shift, which is not a pass.
 */
function parkedPass(state, wave, entry) {
    if (!entry || wave.traffic >= 1 - EPSILON || entry.wave !== wave.id || entry.lease !== null || entry.at === undefined)
        return false;
    return entry.at * 1000 >= shiftedAt(state, wave) + wave.bakeMs;
}
/** Every alias of the wave carries `commit` at the wave's share or more, and no store entry is left (or a parked pass): the wave's last bake passed. */
function passed(state, wave, commit) {
    const aliases = aliasesOf(state, wave);
    if (aliases.length === 0 || entriesOf(state, wave).some((e) => e !== null && !(parkedPass(state, wave, e) && e.commit === short(commit))))
        return false;
    return aliases.every(({ alias: { record } }) => record !== null && record.commit === short(commit) && (record.state === 'baking' || record.state === 'promoted') && record.weight >= wave.traffic - EPSILON);
}
/** The commit every alias of the wave has passed with, if there is one. */
function passedCommit(state, wave) {
    const first = aliasesOf(state, wave)[0]?.alias.record?.commit;
    return first && passed(state, wave, first) ? first : null;
}
/**
 * The release that has passed the whole stage (its last wave's bake passed: every alias on that
 * commit, no store entry), which the next stage's loop takes as its `candidate`; null when none.
 */
function passedStage(state) {
    const last = state.waves.at(-1);
    return last ? passedCommit(state, last) : null;
}
/**
 * No store entry, and every alias promoted (last bake passed), rolled back, or never deployed by
 * safe-deploy; an alias already holding `incoming` at a smaller share (the one-box of the same
 * region) counts as at rest for it.
 */
function atRest(state, wave, incoming, takeover = () => false) {
    if (entriesOf(state, wave).some((e) => e !== null && !takeover(e)))
        return false;
    return aliasesOf(state, wave).every(({ alias }) => {
        if (alias.record === null)
            return Object.keys(alias.weights).length === 0;
        if (alias.record.commit === short(incoming) && alias.record.state !== 'rolled-back')
            return true;
        const phase = (0,_rollout_js__WEBPACK_IMPORTED_MODULE_0__/* .rolloutPhase */ .tm)(alias.record, false);
        return phase === 'at-rest' || phase === 'rolled-back';
    });
}
function refusedIn(state, wave, commit) {
    return aliasesOf(state, wave).some(({ alias: { record } }) => record?.state === 'rolled-back' && record.commit === short(commit));
}
/** The `deployment` JSON of an in-flight wave, as wave-deploy reported it, rebuilt from the aliases (for bake-gate verify). */
function deploymentOf(state, wave, entry, shiftedAtMs) {
    return {
        format: 1,
        service: state.service,
        stage: wave.stage,
        wave: wave.id,
        alias: state.alias,
        commit: entry.commit,
        run: entry.run,
        traffic: wave.traffic,
        shiftedAt: new Date(shiftedAtMs).toISOString(),
        leaseSeconds: entry.lease === null ? null : Math.max(0, entry.lease - Math.floor(shiftedAtMs / 1000)),
        targets: aliasesOf(state, wave).map(({ region, alias }) => ({
            region,
            function: alias.function,
            alias: state.alias,
            stable: alias.record?.stable ?? alias.version,
            candidate: alias.record?.candidate ?? alias.version,
            weight: alias.record?.weight ?? 1,
            revision: alias.revision,
            record: alias.description,
        })),
    };
}
function nextSteps(state) {
    const steps = [];
    const later = [];
    const busy = new Set();
    // 1. Waves in flight: resume a partial shift, wait for the bake, or verify it once it is due.
    for (const wave of state.waves) {
        const entries = entriesOf(state, wave);
        const mine = entries.filter((e) => e !== null && e.wave === wave.id);
        if (mine.length === 0)
            continue;
        // Its last bake passed: the wave after it takes the entry over with the release.
        if (mine.length === entries.length && mine.every((e) => parkedPass(state, wave, e)))
            continue;
        busy.add(wave.id);
        const commit = mine[0].commit;
        const base = { wave: wave.id, stage: wave.stage, commit };
        const corrupt = aliasesOf(state, wave).find(({ alias }) => alias.corrupt !== null);
        if (corrupt) {
            steps.push({ kind: 'blocked', ...base, reason: `${corrupt.region} ${corrupt.alias.function}: the alias record cannot be read (${corrupt.alias.corrupt}); fix or roll back by hand` });
            continue;
        }
        if (mine.some((e) => e.commit !== commit)) {
            steps.push({ kind: 'blocked', ...base, reason: `the regions of ${wave.id} hold store entries of different commits (${[...new Set(mine.map((e) => e.commit))].join(', ')})` });
            continue;
        }
        const covered = entries.every((e) => e !== null && e.wave === wave.id) && aliasesOf(state, wave).every(({ alias }) => alias.record?.commit === short(commit) && alias.record.weight >= wave.traffic - EPSILON && alias.record.state !== 'rolled-back');
        if (!covered) {
            if (state.window.open)
                steps.push({ kind: 'deploy', ...base, reason: `${wave.id} was left part-shifted for ${commit} (a lost runner?): deploy it again, which converges` });
            else {
                steps.push({ kind: 'hold', ...base, untilMs: state.window.nextOpenMs, reason: `${wave.id} is part-shifted for ${commit} and waits for the deploy window (${state.window.reason}); the guardian's lease rolls it back if it runs out` });
                if (state.window.nextOpenMs !== null)
                    later.push(state.window.nextOpenMs);
            }
            continue;
        }
        const shiftedAtMs = shiftedAt(state, wave);
        const dueMs = shiftedAtMs + wave.bakeMs + state.settleMs;
        if (state.nowMs < dueMs) {
            steps.push({ kind: 'wait', ...base, untilMs: dueMs, reason: `${wave.id} bakes ${commit} until ${new Date(dueMs).toISOString()}; the guardian watches it meanwhile` });
            later.push(dueMs);
        }
        else {
            steps.push({ kind: 'verify', ...base, deployment: deploymentOf(state, wave, mine[0], shiftedAtMs), reason: `${wave.id}'s bake of ${commit} is over: verify the whole window from alarm history, then end its lease` });
        }
    }
    // A store entry no wave of the loop claims (no wave id, or one the plan no longer has) holds its
    // regions: nothing moves there until a person looks (the guardian still watches it).
    const known = new Set(state.waves.map((w) => w.id));
    for (const wave of state.waves) {
        const stray = wave.regions.map((region) => ({ region, entry: state.regions[region]?.entry ?? null })).find(({ entry }) => entry !== null && (entry.wave === null || !known.has(entry.wave)));
        if (stray && !busy.has(wave.id)) {
            busy.add(wave.id);
            steps.push({ kind: 'blocked', wave: wave.id, stage: wave.stage, commit: stray.entry.commit, reason: `${stray.region} holds a store entry of ${stray.entry.wave ?? 'no wave'} (commit ${stray.entry.commit}), which is not a wave of this plan; let its bake end or roll it back by hand` });
        }
    }
    // 2. Waves at rest take the release that passed the wave before, in pipeline order.
    for (const [i, wave] of state.waves.entries()) {
        if (busy.has(wave.id))
            continue;
        const incoming = i === 0 ? state.candidate : passedCommit(state, state.waves[i - 1]);
        // A region in flight for another wave (the one-box and the first region share their aliases),
        // except the parked entry of the wave before, which this wave's deploy takes over.
        const previous = state.waves[i - 1];
        const takeover = (e) => e !== null && incoming !== null && previous !== undefined && e.commit === short(incoming) && parkedPass(state, previous, e);
        if (entriesOf(state, wave).some((e) => e !== null && !takeover(e)))
            continue;
        if (!incoming || passed(state, wave, incoming) || refusedIn(state, wave, incoming))
            continue;
        if (!atRest(state, wave, incoming, takeover))
            continue;
        const base = { wave: wave.id, stage: wave.stage, commit: short(incoming) };
        if (aliasesOf(state, wave).some(({ alias }) => alias.corrupt !== null)) {
            steps.push({ kind: 'blocked', ...base, reason: `an alias record of ${wave.id} cannot be read; fix or roll back by hand` });
            continue;
        }
        const from = i === 0 ? 'the stage before' : state.waves[i - 1].id;
        if (state.window.open) {
            steps.push({ kind: 'deploy', ...base, reason: `${wave.id} is at rest and ${short(incoming)} passed ${from}` });
        }
        else {
            steps.push({ kind: 'hold', ...base, untilMs: state.window.nextOpenMs, reason: `${wave.id} is due for ${short(incoming)} but waits: ${state.window.reason}` });
            if (state.window.nextOpenMs !== null)
                later.push(state.window.nextOpenMs);
        }
    }
    const order = new Map(state.waves.map((w, i) => [w.id, i]));
    steps.sort((a, b) => (order.get(a.wave) ?? 0) - (order.get(b.wave) ?? 0));
    return { steps, nextRunMs: later.length > 0 ? Math.min(...later) : null };
}


/***/ }),

/***/ 4980:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   tm: () => (/* binding */ rolloutPhase)
/* harmony export */ });
/* unused harmony exports RoutingRuleError, describeRouting, describeAlias, formatWeight, checkRouting, expectedRouting, routingMatches, detectDrift, decide, checkVersionsCompatible, provisionedConcurrencyWarning, describePhase, phaseTransition, lastBakeAction, lastBakeTransition, waveStepTransition, unvettedVersion */
/* harmony import */ var _deployment_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5566);
// The rollout state machine: the one place that decides how a Lambda alias moves.
//
// Pure: it is given what an alias looks like now (its version, routing weights and the
// deployment record decoded from its Description) and what the caller wants (shift traffic to
// a candidate, promote it, roll back), and it answers with the next alias configuration, a
// "nothing to do" (the alias already is where it should be, so a re-run writes nothing), or a
// refusal naming the rule that stops it. packages/aws carries the answer out in one UpdateAlias.
//
// Alias and record agree in exactly these shapes (S = record.stable, C = record.candidate):
//
//   state        FunctionVersion   AdditionalVersionWeights
//   shifting     S                 {C: w} with 0 < w < 1, or {} when w = 0
//   baking       S                 {C: w} with 0 < w < 1
//   promoted     C                 {}
//   rolled-back  S                 {}
//
// Any other combination means somebody changed the alias behind our back (infrastructure
// code, a console click): a shift or promote stops and reports both states.
//
// Transitions (the version serving all traffic is "serving"):
//
//   (no alias)      --shift C-->      promoted C (the first deployment creates the alias on C)
//   (no record)     adopted: serving = FunctionVersion, treated as rolled-back/promoted at rest
//   at rest         --shift C,w-->    baking/shifting {stable: serving, candidate: C, previous: old stable}
//   shifting/baking --shift C,w'-->   same candidate, new weight (w' = 1 promotes)
//   shifting/baking --shift D-->      refused: another candidate is in flight
//   shifting/baking --promote-->      promoted C
//   any             --rollback-->     rolled-back: FunctionVersion = target, no routing
//
// "At rest" is promoted (serving = C) or rolled-back (serving = S).


const VERSION = /^\d+$/;
class RoutingRuleError extends Error {
    rule;
    constructor(rule, message) {
        super(message);
        this.rule = rule;
        this.name = 'RoutingRuleError';
    }
}
/** Routing in words: `version 3` or `version 3 +7 at 10%`. */
function describeRouting(version, weights) {
    const extra = Object.entries(weights)
        .map(([v, w]) => ` +${logSafe(v, 40)} at ${formatWeight(w)}`)
        .join(',');
    return `version ${version}${extra}`;
}
/**
 * A short human form of an alias: its routing, plus the record when there is one. Everything in it
 * came from Lambda (the alias, its Description), so every piece goes through logSafe: the result
 * can be logged as it is.
 */
function describeAlias(state) {
    if (!state)
        return 'no alias';
    return logSafe(describeAliasRaw(state), 1000);
}
function describeAliasRaw(state) {
    const routing = describeRouting(logSafe(state.version, 40), state.weights);
    switch (state.record.kind) {
        case 'record': {
            const r = state.record.record;
            return `${routing}; record ${r.state} stable=${r.stable} candidate=${r.candidate ?? '-'} weight=${formatWeight(r.weight)} commit=${r.commit || '-'} run=${r.run || '-'}`;
        }
        case 'corrupt':
            return `${routing}; record unreadable (${logSafe(state.record.reason, 300)})`;
        default:
            return `${routing}; no record`;
    }
}
function formatWeight(weight) {
    return `${roundWeight(weight * 100)}%`;
}
/**
 * Routing rules Lambda enforces (and the emulator does not): checked before any call.
 * Returns null when the configuration is allowed, else the broken rule.
 */
function checkRouting(functionVersion, weights) {
    const versions = [functionVersion, ...Object.keys(weights)];
    if (versions.some((v) => v === '$LATEST')) {
        return { rule: 'no-latest', message: 'an alias with routing must point at published versions, never $LATEST' };
    }
    const bad = versions.find((v) => !VERSION.test(v));
    if (bad !== undefined)
        return { rule: 'numeric-version', message: `"${bad}" is not a published version number` };
    const extra = Object.entries(weights);
    if (extra.length > 1) {
        return { rule: 'one-extra-version', message: `an alias routes to at most one extra version, got ${extra.map(([v]) => v).join(', ')}` };
    }
    const [entry] = extra;
    if (entry) {
        const [version, weight] = entry;
        if (!(Number.isFinite(weight) && weight > 0 && weight < 1)) {
            return { rule: 'weight-range', message: `the extra version's weight must lie strictly between 0 and 1, got ${weight}` };
        }
        if (version === functionVersion) {
            return { rule: 'candidate-differs', message: `the candidate ${version} is the version the alias already serves` };
        }
    }
    return null;
}
/** What the alias routing should be for a record, by the table at the top of this file. */
function expectedRouting(record) {
    switch (record.state) {
        case 'promoted':
            return { functionVersion: record.candidate ?? record.stable, weights: {} };
        case 'rolled-back':
            return { functionVersion: record.stable, weights: {} };
        default:
            return {
                functionVersion: record.stable,
                weights: record.candidate && record.weight > 0 && record.weight < 1 ? { [record.candidate]: roundWeight(record.weight) } : {},
            };
    }
}
function sameWeights(a, b) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => b[k] !== undefined && sameWeight(b[k], a[k]));
}
/** True when the alias routes exactly as the configuration says. */
function routingMatches(state, functionVersion, weights) {
    return state.version === functionVersion && sameWeights(state.weights, weights);
}
/** Null when the alias routes as its record says; otherwise what disagrees. */
function detectDrift(state) {
    if (state.record.kind !== 'record')
        return null;
    const expected = expectedRouting(state.record.record);
    if (routingMatches(state, expected.functionVersion, expected.weights))
        return null;
    const want = describeRouting(expected.functionVersion, expected.weights);
    const have = describeRouting(state.version, state.weights);
    return `the record (${state.record.record.state}) says the alias should route ${want}, but it routes ${have}`;
}
/** The version serving all traffic when the alias is at rest, or null while a candidate is in flight. */
function atRest(state) {
    if (state.record.kind !== 'record') {
        return Object.keys(state.weights).length === 0 ? { serving: state.version, stable: null } : null;
    }
    const r = state.record.record;
    if (r.state === 'promoted')
        return { serving: r.candidate ?? r.stable, stable: r.stable };
    if (r.state === 'rolled-back')
        return { serving: r.stable, stable: r.stable };
    if (r.weight === 0 && r.state === 'shifting')
        return { serving: r.stable, stable: r.stable };
    return null;
}
function sameRecordMeaning(a, b) {
    return a.stable === b.stable && a.candidate === b.candidate && a.state === b.state && sameWeight(a.weight, b.weight);
}
function refuse(rule, message) {
    return { kind: 'refuse', rule, message };
}
function write(options, current, transition, functionVersion, weights, record) {
    const routing = checkRouting(functionVersion, weights);
    if (routing)
        return refuse(routing.rule, routing.message);
    const config = { functionVersion, weights, record, description: encodeRecord(record) };
    if (current && routingMatches(current, functionVersion, weights) && current.record.kind === 'record' && sameRecordMeaning(current.record.record, record)) {
        const reason = `already ${describeAlias(current)}; nothing to write`;
        options.logger?.info(`${transition}: ${reason}`);
        return { kind: 'noop', reason };
    }
    options.logger?.info(`${transition}: ${describeAlias(current)} -> ${describeAlias({ version: functionVersion, weights, record: { kind: 'record', record } })}`);
    return { kind: 'write', create: current === null, transition, config };
}
/** Decides the next alias configuration for an intent. `current` is null when the alias does not exist yet. */
function decide(current, intent, options) {
    const at = Math.floor(options.now);
    if (intent.kind === 'rollback')
        return decideRollback(current, intent, at, options);
    const candidate = intent.kind === 'shift' ? intent.candidate : intent.candidate;
    if (candidate !== undefined) {
        if (candidate === '$LATEST')
            return refuse('no-latest', 'the candidate must be a published version, never $LATEST');
        if (!VERSION.test(candidate))
            return refuse('numeric-version', `candidate "${candidate}" is not a published version number`);
    }
    if (intent.kind === 'shift' && !(Number.isFinite(intent.weight) && intent.weight >= 0 && intent.weight <= 1)) {
        return refuse('weight-range', `traffic share must be between 0% and 100%, got ${intent.weight}`);
    }
    // First deployment: nothing serves through the alias yet, so it is created on the candidate.
    if (current === null) {
        if (intent.kind === 'promote' && candidate === undefined)
            return refuse('nothing-to-promote', 'the alias does not exist and no candidate was given');
        const version = candidate;
        const record = { v: 1, stable: version, candidate: version, previous: null, weight: 1, state: 'promoted', commit: intent.commit, run: intent.run, at };
        return write(options, null, 'create alias (first deployment)', version, {}, record);
    }
    if (current.record.kind === 'corrupt') {
        return refuse('corrupt-record', `the alias description looks like a safe-deploy record but cannot be read (${current.record.reason}); roll back to an explicit version to rewrite it`);
    }
    const broken = checkRouting(current.version, current.weights);
    if (broken) {
        return refuse(broken.rule, `the alias routes ${describeRouting(current.version, current.weights)}, which cannot be deployed from: ${broken.message}; roll back to an explicit published version first`);
    }
    const drift = detectDrift(current);
    if (drift)
        return refuse('changed-behind-our-back', `the alias was changed outside safe-deploy: ${drift}`);
    const rest = atRest(current);
    const record = current.record.kind === 'record' ? current.record.record : null;
    if (intent.kind === 'promote') {
        const target = candidate ?? record?.candidate ?? undefined;
        if (rest && record?.state === 'promoted' && (candidate === undefined || candidate === record.candidate)) {
            return write(options, current, 'promote', rest.serving, {}, { ...record, commit: intent.commit, run: intent.run, at });
        }
        const inFlight = record !== null && (record.state === 'shifting' || record.state === 'baking') && record.candidate !== null;
        if (!inFlight || !record || !target) {
            return refuse('nothing-to-promote', `no candidate is in flight on the alias (${describeAlias(current)})`);
        }
        if (target !== record.candidate) {
            return refuse('another-candidate-in-flight', `asked to promote ${target}, but the candidate in flight is ${record.candidate}`);
        }
        return write(options, current, 'promote', target, {}, { ...record, weight: 1, state: 'promoted', commit: intent.commit, run: intent.run, at });
    }
    // shift
    if (record && rolloutPhase(record, options.watched === true) === 'verifying' && intent.candidate !== record.candidate) {
        return refuse('release-verifying', `candidate ${record.candidate} of commit ${record.commit || '-'} is verifying (promoted, stable ${record.stable} kept until the wave's last bake passes); a wave takes a new release only at rest: let its last bake pass (bake-gate final) or roll it back before deploying ${intent.candidate}`);
    }
    const weight = roundWeight(intent.weight);
    const base = rest
        ? { stable: rest.serving, previous: rest.serving === record?.stable ? (record?.previous ?? null) : (record?.stable ?? null) }
        : record
            ? { stable: record.stable, previous: record.previous }
            : null;
    if (!base) {
        return refuse('changed-behind-our-back', `the alias has routing but no safe-deploy record (${describeAlias(current)}); remove the routing or roll back to an explicit version first`);
    }
    if (!rest && record && intent.candidate === record.stable) {
        return refuse('candidate-differs', `the candidate ${intent.candidate} is the stable version of the alias (candidate ${record.candidate} is in flight)`);
    }
    if (!rest && record && record.candidate !== intent.candidate) {
        return refuse('another-candidate-in-flight', `candidate ${record.candidate} is in flight (${record.state} at ${formatWeight(record.weight)}); promote or roll it back before deploying ${intent.candidate}`);
    }
    if (rest && intent.candidate === rest.serving) {
        // Re-run after a promote, or deploying what already serves: nothing moves.
        const reason = `version ${intent.candidate} already serves all traffic (${describeAlias(current)}); nothing to write`;
        options.logger?.info(`shift: ${reason}`);
        return { kind: 'noop', reason };
    }
    if (intent.candidate === base.stable) {
        return refuse('candidate-differs', `the candidate ${intent.candidate} is the stable version of the alias`);
    }
    if (weight === 1) {
        const next = { v: 1, stable: base.stable, candidate: intent.candidate, previous: base.previous, weight: 1, state: 'promoted', commit: intent.commit, run: intent.run, at };
        return write(options, current, `shift ${intent.candidate} to 100% (promote)`, intent.candidate, {}, next);
    }
    if (weight === 0) {
        if (rest) {
            const reason = `traffic 0%: the alias stays on ${rest.serving} (publish only)`;
            options.logger?.info(`shift: ${reason}`);
            return { kind: 'noop', reason };
        }
        const next = { v: 1, stable: base.stable, candidate: intent.candidate, previous: base.previous, weight: 0, state: 'shifting', commit: intent.commit, run: intent.run, at };
        return write(options, current, `shift ${intent.candidate} to 0%`, base.stable, {}, next);
    }
    const next = {
        v: 1,
        stable: base.stable,
        candidate: intent.candidate,
        previous: base.previous,
        weight,
        state: intent.state ?? 'baking',
        commit: intent.commit,
        run: intent.run,
        at,
    };
    return write(options, current, `shift ${intent.candidate} to ${formatWeight(weight)}`, base.stable, { [intent.candidate]: weight }, next);
}
function decideRollback(current, intent, at, options) {
    if (current === null)
        return refuse('nothing-to-roll-back', 'the alias does not exist');
    const explicit = intent.to !== 'previous';
    if (explicit) {
        if (intent.to === '$LATEST')
            return refuse('no-latest', 'a rollback target must be a published version, never $LATEST');
        if (!VERSION.test(intent.to))
            return refuse('numeric-version', `rollback target "${intent.to}" is not a published version number`);
    }
    const record = current.record.kind === 'record' ? current.record.record : null;
    if (!explicit) {
        if (current.record.kind === 'corrupt') {
            return refuse('corrupt-record', `the alias record cannot be read (${current.record.reason}), so "previous" is unknown; roll back to an explicit version`);
        }
        const drift = detectDrift(current);
        if (drift) {
            return refuse('changed-behind-our-back', `the alias was changed outside safe-deploy, so its recorded stable version may be stale: ${drift}; roll back to an explicit version`);
        }
    }
    // Without a record the alias is adopted: its FunctionVersion is the stable one.
    const target = explicit ? intent.to : (record?.stable ?? current.version);
    // The version being refused: whatever else served traffic.
    const served = [current.version, ...Object.keys(current.weights)].filter((v) => v !== target && VERSION.test(v));
    const refused = served[served.length - 1] ?? (record?.candidate !== target ? (record?.candidate ?? null) : null);
    const previous = record && record.stable !== target ? record.stable : (record?.previous ?? null);
    if (routingMatches(current, target, {})) {
        const settled = current.record.kind === 'none' || (record !== null && (record.state === 'promoted' || record.state === 'rolled-back') && atRest(current)?.serving === target);
        if (settled) {
            const reason = `already on ${target} with no routing and no deployment in flight; nothing to write`;
            options.logger?.info(`rollback: ${reason}`);
            return { kind: 'noop', reason };
        }
    }
    const next = {
        v: 1,
        stable: target,
        candidate: refused,
        previous,
        weight: 0,
        state: 'rolled-back',
        commit: intent.commit ?? record?.commit ?? '',
        run: intent.run,
        at,
    };
    return write(options, current, `rollback to ${target}`, target, {}, next);
}
/**
 * Checks Lambda's rules for a weighted alias that depend on the versions themselves: the same
 * execution role and the same dead-letter config. (Provisioned concurrency is no such rule: see
 * `provisionedConcurrencyWarning`.)
 */
function checkVersionsCompatible(stable, candidate) {
    if ((stable.role ?? '') !== (candidate.role ?? '')) {
        return {
            rule: 'same-execution-role',
            message: `versions ${stable.version} and ${candidate.version} have different execution roles (${stable.role ?? 'none'} vs ${candidate.role ?? 'none'}); Lambda cannot split traffic between them`,
        };
    }
    if ((stable.deadLetterTarget ?? '') !== (candidate.deadLetterTarget ?? '')) {
        return {
            rule: 'same-dead-letter-config',
            message: `versions ${stable.version} and ${candidate.version} have different dead-letter targets (${stable.deadLetterTarget ?? 'none'} vs ${candidate.deadLetterTarget ?? 'none'}); Lambda cannot split traffic between them`,
        };
    }
    return null;
}
/**
 * Provisioned concurrency on an alias that is about to route a share to a candidate. AWS allows it
 * ("You can add a routing configuration to an alias that has provisioned concurrency"); what it
 * refuses is changing the alias's provisioned concurrency while the routing is in place. So the
 * shift goes ahead, and the warning says what to watch: the candidate's share may run on
 * on-demand environments (cold starts, `ProvisionedConcurrencySpilloverInvocations`), and the
 * provisioned-concurrency setting must not be changed until the alias is promoted or rolled back.
 * Null when there is nothing to say.
 */
function provisionedConcurrencyWarning(provisioned, weight) {
    if (!(provisioned > 0) || !(weight > 0 && weight < 1))
        return null;
    return (`the alias has ${provisioned} provisioned concurrency; Lambda allows routing ${formatWeight(weight)} to the candidate on it, ` +
        `but requests beyond what is provisioned for each version spill over to on-demand environments (cold starts; watch ProvisionedConcurrencySpilloverInvocations), ` +
        `and the alias's provisioned concurrency cannot be changed until it is promoted or rolled back (no routing)`);
}
function rolloutPhase(record, watched) {
    if (!record)
        return 'adopted';
    if (record.state === 'promoted')
        return watched && record.candidate !== null && record.candidate !== record.stable ? 'verifying' : 'at-rest';
    return record.state;
}
/** One phase in words, with what it keeps: `verifying (promoted 2, stable 1 kept)`, `baking (2 at 10%, stable 1)`. */
function describePhase(record, watched) {
    const phase = rolloutPhase(record, watched);
    if (!record)
        return 'adopted (no safe-deploy record)';
    switch (phase) {
        case 'verifying':
            return `verifying (promoted ${record.candidate}, stable ${record.stable} kept)`;
        case 'baking':
        case 'shifting':
            return `${phase} (${record.candidate} at ${formatWeight(record.weight)}, stable ${record.stable})`;
        case 'rolled-back':
            return `rolled-back (on ${record.stable})`;
        default:
            return `at-rest (on ${record.candidate ?? record.stable})`;
    }
}
/** The logged transition of one alias between two records (each with whether its deployment is watched). */
function phaseTransition(before, beforeWatched, after, afterWatched, why = '') {
    return `${describePhase(before, beforeWatched)} -> ${describePhase(after, afterWatched)}${why ? ` (${why})` : ''}`;
}
function lastBakeAction(record) {
    const phase = rolloutPhase(record, true);
    return phase === 'baking' || phase === 'shifting' ? 'park' : 'end';
}
/** The logged transition when the wave's last bake passes (the record is not rewritten; the entry's deletion or parking is the transition). */
function lastBakeTransition(record) {
    if (!record)
        return 'adopted -> adopted (no safe-deploy record)';
    if (lastBakeAction(record) === 'park') {
        return `${describePhase(record, true)} -> ${rolloutPhase(record, true)}, parked (last bake of the wave passed; the guardian keeps watching its alarms with no lease until the next wave's deploy takes the entry over or a rollback removes it)`;
    }
    const phase = rolloutPhase(record, true);
    if (phase === 'verifying')
        return `${describePhase(record, true)} -> at-rest (last bake passed, lease ended)`;
    return `${phase} -> ${phase}`;
}
const WAVE_NEXT = {
    preflight: ['publish', 'stopped'],
    publish: ['lease', 'done', 'stopped'],
    lease: ['shift', 'promote', 'stopped'],
    shift: ['shift', 'promote', 'read-back', 'stopped'],
    promote: ['read-back', 'stopped'],
    'read-back': ['done', 'stopped'],
    done: [],
    stopped: [],
};
/** The logged line of a wave moving from one step to the next; throws on a move the table does not allow (a bug, never input). */
function waveStepTransition(from, to, detail = '') {
    if (!WAVE_NEXT[from].includes(to))
        throw new Error(`wave step ${from} cannot be followed by ${to}`);
    return `wave step: ${from} -> ${to}${detail ? ` (${detail})` : ''}`;
}
/**
 * Whether a manual rollback may put an alias on an explicit `version` without a confirmation: the
 * alias record names it as its stable or previous version, or as the candidate it promoted. Any
 * other version either was refused (the record's rolled-back candidate) or never held all the
 * traffic through safe-deploy; moving 100% to it skips every bake and alarm gate, so it is named as
 * such and needs the caller to repeat the number. Returns null when the version is vetted.
 */
function unvettedVersion(record, serving, version) {
    if (record === null) {
        if (version === serving)
            return null;
        return `version ${version} was never promoted here: the alias has no safe-deploy record and serves ${serving}`;
    }
    if (version === record.stable || version === record.previous)
        return null;
    if (record.state === 'promoted' && version === record.candidate)
        return null;
    if (record.state === 'rolled-back' && version === record.candidate) {
        return `version ${version} was refused: the record shows it rolled back (stable ${record.stable})`;
    }
    return `version ${version} was never promoted here: the record names stable ${record.stable}${record.previous ? `, previous ${record.previous}` : ''}${record.candidate ? ` and candidate ${record.candidate} (${record.state})` : ''}`;
}


/***/ })

};
