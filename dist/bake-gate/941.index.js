export const id = 941;
export const ids = [941];
export const modules = {

/***/ 4941:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  LeaseKeeper: () => (/* binding */ LeaseKeeper)
});

// UNUSED EXPORTS: entryOf

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ssm/dist-cjs/index.js
var dist_cjs = __webpack_require__(4736);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
;// CONCATENATED MODULE: ./packages/core/src/guardian-entry.ts
// The guardian's store entry: what the guardian needs about a deployment beyond the alias record.
//
// The alias record (deployment.ts) says, per alias, which version is stable and which candidate is in
// flight. It cannot say which alarms watch the deployment, until when the pipeline promises to watch
// it itself (the lease), or which other aliases belong to the same deployment. That lives in one
// SSM Parameter Store parameter per deployment and region (packages/aws/src/deployment-store.ts),
// written by wave-deploy before its first shift, renewed by a watching bake-gate, deleted by the last
// bake of the wave. It exists without the guardian's stack, so a guardian installed later finds every
// deployment in flight. See docs/guardian.md for why Parameter Store and not tags.
//
// Pure: the encoding, the parameter name and the strict decoder. A value that does not decode is
// reported by its parameter name only; its text never reaches a log.

const ENTRY_FORMAT = 1;
/** Standard-tier parameters hold at most 4 KB (4096 characters). */
const ENTRY_VALUE_LIMIT = 4096;
/** Where entries live unless told otherwise (SAFE_DEPLOY_STORE_PATH for the guardian). */
const DEFAULT_STORE_PATH = '/safe-deploy';
/** Names that go into a parameter name or a log: Lambda function and alias names, service and stage names. */
const NAME = /^[A-Za-z0-9._-]{1,64}$/;
/** Commit and run ids: the same charset the alias record allows (F: record fields g/r). */
const TOKEN = /^[A-Za-z0-9._-]*$/;
/** Parameter Store paths: letters, digits, `._-` and `/`, never starting with aws or ssm. */
const PATH = /^(\/[A-Za-z0-9._-]+)+$/;
const alarmRef = schemas/* string */.YjP()
    .min(1)
    .max(262) // "prefix:" + a 255-character alarm name
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s), 'control characters are not allowed in an alarm reference');
const wireEntry = schemas/* object */.Ikc({
    sd: schemas/* literal */.euz(ENTRY_FORMAT),
    service: schemas/* string */.YjP().regex(NAME).nullable(),
    stage: schemas/* string */.YjP().regex(NAME).nullable(),
    wave: schemas/* string */.YjP().regex(NAME).nullable(),
    alias: schemas/* string */.YjP().regex(NAME),
    /** Functions of the deployment in this region. */
    functions: schemas/* array */.YOg(schemas/* string */.YjP().regex(NAME)).min(1).max(100),
    /** Every region of the deployment (this one included). */
    regions: schemas/* array */.YOg(schemas/* string */.YjP().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/)).min(1).max(40),
    /** Rollback alarms: names or `prefix:`. */
    alarms: schemas/* array */.YOg(alarmRef).max(100),
    commit: schemas/* string */.YjP().max(12).regex(TOKEN),
    run: schemas/* string */.YjP().max(24).regex(TOKEN),
    /** Unix seconds until which the pipeline watches the deployment itself; null: no lease. */
    lease: schemas/* number */.aig().int().nonnegative().nullable(),
    /** Unix seconds of the write. */
    at: schemas/* number */.aig().int().nonnegative(),
})
    .strict();
/** The key of a deployment in the store: the service when the config names one, else its first function. */
function entryKey(entry) {
    return entry.service ?? [...entry.functions].sort()[0] ?? '';
}
/** Checks a store path (`/safe-deploy`, `/safe-deploy/team-a`); the error names the setting. */
function checkStorePath(path, setting = 'store path') {
    const trimmed = path.replace(/\/+$/, '');
    if (!PATH.test(trimmed))
        throw new Error(`${setting}: "${path}" is not a Parameter Store path (/name or /name/name, letters, digits, . _ -)`);
    if (/^\/(aws|ssm)/i.test(trimmed))
        throw new Error(`${setting}: "${path}" starts with aws or ssm, which Parameter Store reserves`);
    return trimmed;
}
/** The parameter holding a deployment in one region: `<path>/<alias>/<key>`. */
function entryName(path, entry) {
    return `${checkStorePath(path)}/${entry.alias}/${entryKey(entry)}`;
}
/** The value written into the parameter; throws naming the field when the entry is not valid. */
function encodeEntry(entry) {
    const wire = {
        sd: ENTRY_FORMAT,
        service: entry.service,
        stage: entry.stage,
        wave: entry.wave,
        alias: entry.alias,
        functions: [...entry.functions],
        regions: [...entry.regions],
        alarms: [...entry.alarms],
        commit: entry.commit.slice(0, 12),
        run: entry.run.slice(0, 24),
        lease: entry.lease === null ? null : Math.floor(entry.lease),
        at: Math.floor(entry.at),
    };
    const result = wireEntry.safeParse(wire);
    if (!result.success) {
        throw new Error(`deployment store entry: ${result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    }
    const text = JSON.stringify(result.data);
    if (text.length > ENTRY_VALUE_LIMIT) {
        throw new Error(`deployment store entry is ${text.length} characters, above the ${ENTRY_VALUE_LIMIT} a standard parameter holds (too many functions or alarms)`);
    }
    return text;
}
/**
 * Reads a parameter value strictly. The problem names only fields of the format (never the text),
 * so it can be logged as it is.
 */
function guardian_entry_decodeEntry(value) {
    let parsed;
    try {
        parsed = JSON.parse(value ?? '');
    }
    catch {
        return { ok: false, problem: 'not JSON' };
    }
    const result = wireEntry.safeParse(parsed);
    if (!result.success) {
        const fields = [...new Set(result.error.issues.map((i) => (i.code === 'unrecognized_keys' ? 'unknown field' : i.path.map(String).join('.') || '(root)')))];
        return { ok: false, problem: `invalid ${fields.join(', ')}` };
    }
    const w = result.data;
    return {
        ok: true,
        entry: {
            service: w.service,
            stage: w.stage,
            wave: w.wave,
            alias: w.alias,
            functions: w.functions,
            regions: w.regions,
            alarms: w.alarms,
            commit: w.commit,
            run: w.run,
            lease: w.lease,
            at: w.at,
        },
    };
}

// EXTERNAL MODULE: ./packages/aws/src/limiter.ts
var limiter = __webpack_require__(5865);
;// CONCATENATED MODULE: ./packages/aws/src/deployment-store.ts
/**
 * The deployment store: one SSM Parameter Store parameter (standard tier, String) per deployment
 * and region, `<path>/<alias>/<service or first function>`, holding what the guardian needs beyond
 * the alias record (packages/core/src/guardian-entry.ts): functions, regions, alias, stage, rollback
 * alarms, lease, commit and run. Same account and region as the aliases; no stack needed.
 *
 * API (every function takes a StoreContext from `storeContext({ clients })` first):
 * - `writeDeployment(ctx, region, entry)` → `{ name, version }`: PutParameter (Overwrite), before
 *     wave-deploy's first shift in the region.
 * - `renewLease(ctx, region, entry, until)` → `'renewed' | 'missing' | 'other-deployment'`: rewrites
 *     the entry with a later lease, only when the stored one is the same deployment (commit and run).
 * - `endLease(ctx, region, entry)` → `'ended' | 'missing' | 'other-deployment'`: deletes the entry
 *     (the wave's last bake passed), only when it is the same deployment.
 * - `listInFlight(ctx, region)` → every entry under the path (GetParametersByPath, recursive, all
 *     pages), decoded strictly; a value that does not decode is listed by name with its problem.
 *
 * Calls are paced per region (a RegionLimiter of their own, 3 calls per second: Parameter Store's
 * default throughput is shared by every GetParameter(s)/PutParameter of the account and region) and
 * retried by the SDK's standard retry mode (AwsClients). Failures become StoreError, naming region,
 * operation and parameter.
 */



/** Store calls per region and counting window: well under Parameter Store's default throughput. */
const STORE_CALLS_PER_SECOND = 3;
function storeContext(options) {
    return {
        clients: options.clients,
        path: checkStorePath(options.path ?? DEFAULT_STORE_PATH),
        limiter: options.limiter ?? new limiter/* RegionLimiter */.lX({ ratePerSecond: STORE_CALLS_PER_SECOND, concurrency: STORE_CALLS_PER_SECOND, sleep: options.sleep ?? limiter/* realSleep */.uk, now: options.now }),
        onCall: options.onCall,
    };
}
class StoreError extends Error {
    region;
    operation;
    parameter;
    constructor(region, operation, parameter, cause) {
        const error = cause;
        const name = error?.name ?? 'Error';
        const hint = /AccessDenied|NotAuthorized/i.test(name) || error?.$metadata?.httpStatusCode === 403
            ? ` (the role needs ssm:${operation} on ${parameter})`
            : /Throttl|TooManyRequests|RateExceeded/i.test(name)
                ? ' (throttled past the SDK retries; Parameter Store throughput is shared by the account and region)'
                : '';
        super(`Parameter Store ${operation} of ${parameter} in ${region} failed: ${name}: ${error?.message ?? String(cause)}${hint}`);
        this.region = region;
        this.operation = operation;
        this.parameter = parameter;
        this.name = 'StoreError';
    }
}
function ssm(ctx, region) {
    return ctx.clients.other('ssm', region, (config) => new dist_cjs/* SSMClient */.jBj(config));
}
async function call(ctx, region, operation, parameter, send) {
    return ctx.limiter.run(region, async () => {
        ctx.onCall?.(region, operation);
        try {
            return await send();
        }
        catch (error) {
            throw new StoreError(region, operation, parameter, error);
        }
    });
}
function isNotFound(error) {
    return error instanceof StoreError && /ParameterNotFound/.test(error.message);
}
/** Writes (or overwrites) the deployment's entry in one region. */
async function writeDeployment(ctx, region, entry) {
    const name = entryName(ctx.path, entry);
    const value = encodeEntry(entry);
    const answer = await call(ctx, region, 'PutParameter', name, () => ssm(ctx, region).send(new dist_cjs/* PutParameterCommand */.ihh({
        Name: name,
        Value: value,
        Type: 'String',
        Tier: 'Standard',
        Overwrite: true,
        Description: `safe-deploy deployment ${entry.service ?? entry.functions[0]} ${entry.stage ?? ''} commit ${entry.commit}`.trim().slice(0, 1024),
    })));
    return { name, version: answer.Version ?? 0 };
}
/** The entry stored under the deployment's name in one region (null: none). */
async function readDeployment(ctx, region, entry) {
    const name = entryName(ctx.path, entry);
    try {
        const answer = await call(ctx, region, 'GetParameter', name, () => ssm(ctx, region).send(new dist_cjs/* GetParameterCommand */.lhy({ Name: name })));
        const decoded = guardian_entry_decodeEntry(answer.Parameter?.Value);
        return decoded.ok ? { name, ok: true, entry: decoded.entry } : { name, ok: false, problem: decoded.problem };
    }
    catch (error) {
        if (isNotFound(error))
            return null;
        throw error;
    }
}
function sameDeployment(a, b) {
    return a.commit === b.commit.slice(0, 12) && a.run === b.run.slice(0, 24) && a.alias === b.alias;
}
/** Moves the lease of the deployment to `until` (unix seconds), only when the stored entry is this deployment. */
async function renewLease(ctx, region, entry, until) {
    const stored = await readDeployment(ctx, region, entry);
    if (!stored)
        return 'missing';
    if (!stored.ok || !sameDeployment(stored.entry, entry))
        return 'other-deployment';
    await writeDeployment(ctx, region, { ...stored.entry, lease: Math.floor(until), at: Math.floor(Date.now() / 1000) });
    return 'renewed';
}
/** Deletes the deployment's entry (its last bake in the region passed), only when it is this deployment. */
async function endLease(ctx, region, entry) {
    const stored = await readDeployment(ctx, region, entry);
    if (!stored)
        return 'missing';
    if (!stored.ok || !sameDeployment(stored.entry, entry))
        return 'other-deployment';
    const name = entryName(ctx.path, entry);
    try {
        await call(ctx, region, 'DeleteParameter', name, () => ssm(ctx, region).send(new dist_cjs/* DeleteParameterCommand */.Obs({ Name: name })));
    }
    catch (error) {
        if (isNotFound(error))
            return 'missing';
        throw error;
    }
    return 'ended';
}
/** Every entry under the store path in one region, decoded; unreadable ones listed by name and problem. */
async function listInFlight(ctx, region) {
    const parameters = [];
    let token;
    do {
        const page = await call(ctx, region, 'GetParametersByPath', ctx.path, () => ssm(ctx, region).send(new GetParametersByPathCommand({ Path: ctx.path, Recursive: true, MaxResults: 10, NextToken: token })));
        parameters.push(...(page.Parameters ?? []));
        token = page.NextToken;
    } while (token);
    return parameters
        .map((p) => {
        const name = p.Name ?? '';
        const decoded = decodeEntry(p.Value);
        return decoded.ok ? { name, ok: true, entry: decoded.entry } : { name, ok: false, problem: decoded.problem };
    })
        .sort((a, b) => a.name.localeCompare(b.name));
}

// EXTERNAL MODULE: ./packages/core/src/deployment.ts
var deployment = __webpack_require__(5566);
;// CONCATENATED MODULE: ./packages/core/src/rollout.ts
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
    return `${(0,deployment/* roundWeight */.H2)(weight * 100)}%`;
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
/** The logged transition when the wave's last bake passes and its lease ends (the record is not rewritten). */
function lastBakeTransition(record) {
    const phase = rolloutPhase(record, true);
    if (!record)
        return 'adopted -> adopted (no safe-deploy record)';
    switch (phase) {
        case 'verifying':
            return `verifying (promoted ${record.candidate}, stable ${record.stable} kept) -> at-rest (last bake passed, lease ended)`;
        case 'baking':
        case 'shifting':
            return `${phase} (${record.candidate} at ${formatWeight(record.weight)}, stable ${record.stable}) -> ${phase}, unwatched by the guardian (last bake of the wave passed, lease ended; the next wave or a rollback moves it)`;
        default:
            return `${phase} -> ${phase}`;
    }
}

// EXTERNAL MODULE: ./packages/core/src/log-safe.ts
var log_safe = __webpack_require__(5745);
;// CONCATENATED MODULE: ./actions/bake-gate/src/lease.ts




/** The deployment's store entry in one region, as far as the deployment JSON tells it (the store check compares alias, commit and run). */
function entryOf(deployment, region, lease, nowMs) {
    const functions = [...new Set(deployment.targets.filter((t) => t.region === region).map((t) => t.function))];
    return {
        service: deployment.service ?? null,
        stage: deployment.stage ?? null,
        wave: deployment.wave ?? null,
        alias: deployment.alias,
        functions,
        regions: [...new Set(deployment.targets.map((t) => t.region))],
        alarms: [],
        commit: deployment.commit,
        run: deployment.run,
        lease,
        at: Math.floor(nowMs / 1000),
    };
}
class LeaseKeeper {
    deployment;
    logger;
    now;
    store;
    regions;
    lastRenewal;
    constructor(clients, deployment, logger, now, storePath) {
        this.deployment = deployment;
        this.logger = logger;
        this.now = now;
        this.store = storeContext({ clients, ...(storePath ? { path: storePath } : {}) });
        this.regions = [...new Set(deployment.targets.map((t) => t.region))];
        // wave-deploy wrote the lease when it shifted: the first renewal is due a third of a lease later.
        const shifted = Date.parse(deployment.shiftedAt);
        this.lastRenewal = Number.isNaN(shifted) ? now() : Math.min(shifted, now());
    }
    /** Milliseconds of the lease; null when the deployment has none. */
    get leaseMs() {
        const s = this.deployment.leaseSeconds;
        return s === undefined || s === null || s <= 0 ? null : s * 1000;
    }
    /** Renews the lease in every region when a third of it passed since the last renewal. */
    async renewIfDue() {
        const lease = this.leaseMs;
        if (lease === null)
            return;
        const at = this.now();
        if (at - this.lastRenewal < lease / 3)
            return;
        this.lastRenewal = at;
        const until = Math.floor((at + lease) / 1000);
        await Promise.all(this.regions.map(async (region) => {
            try {
                const answer = await renewLease(this.store, region, entryOf(this.deployment, region, until, at), until);
                if (answer === 'renewed')
                    this.logger.info(`lease renewed in ${region} until ${new Date(until * 1000).toISOString()}`);
                else
                    this.logger.warn(`lease not renewed in ${region}: ${answer === 'missing' ? 'the deployment store holds no entry for this deployment' : 'the store entry belongs to another deployment (a newer run took over)'}`);
            }
            catch (error) {
                this.logger.warn(`lease not renewed in ${region}: ${(0,log_safe/* logSafe */.s)(error.message, 1000)}; the guardian rolls back when it runs out`);
            }
        }));
    }
    /** Ends the lease in every region (the wave's last bake passed). Returns the regions where it failed, with why. */
    async end() {
        const at = this.now();
        const failed = [];
        await Promise.all(this.regions.map(async (region) => {
            try {
                const answer = await endLease(this.store, region, entryOf(this.deployment, region, null, at));
                if (answer === 'ended') {
                    for (const t of this.deployment.targets.filter((x) => x.region === region)) {
                        const decoded = (0,deployment/* decodeRecord */.eT)(t.record);
                        this.logger.info((0,log_safe/* logSafe */.s)(`transition ${region} ${t.function}:${t.alias}: ${lastBakeTransition(decoded.kind === 'record' ? decoded.record : null)}`, 1000));
                    }
                }
                this.logger.info(answer === 'ended'
                    ? `lease ended in ${region}: the deployment store entry is deleted, the aliases are at rest`
                    : answer === 'missing'
                        ? `lease in ${region}: no store entry for this deployment (nothing to end)`
                        : `lease in ${region}: the store entry belongs to another deployment; left alone`);
            }
            catch (error) {
                failed.push(`${region}: ${(0,log_safe/* logSafe */.s)(error.message, 1000)}`);
            }
        }));
        return failed;
    }
}


/***/ }),

/***/ 5865:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   lX: () => (/* binding */ RegionLimiter),
/* harmony export */   uk: () => (/* binding */ realSleep)
/* harmony export */ });
/* unused harmony export MAX_CALLS_PER_SECOND */
// Per-region pacing of Lambda control-plane calls.
//
// Lambda shares about 15 control-plane requests per second per region between everything in
// the account (REFERENCE.md); safe-deploy keeps itself under 10 so the team's other tools
// still get through. Each region has its own budget, so regions run fully in parallel and
// only the functions inside one region queue behind each other.
//
// A call counts from the moment it starts until one window after it has answered. A request
// reaches AWS somewhere between those two moments, however long signing, a busy event loop or
// the network held it, so no window of that length ever sees more than `ratePerSecond` of them
// arrive: of any calls arriving within one window, the last to start found all the others still
// counted. (Counting only from the start would let a delayed batch bunch up with the next one.)
const MAX_CALLS_PER_SECOND = 9;
const realSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
class RegionLimiter {
    regions = new Map();
    ratePerSecond;
    concurrency;
    windowMs;
    now;
    sleep;
    constructor(options = {}) {
        const rate = options.ratePerSecond ?? 8;
        if (!(rate > 0 && rate <= MAX_CALLS_PER_SECOND)) {
            throw new Error(`ratePerSecond must be between 1 and ${MAX_CALLS_PER_SECOND} (Lambda shares ~15 control-plane calls/s per region), got ${rate}`);
        }
        this.ratePerSecond = rate;
        this.concurrency = Math.max(1, options.concurrency ?? 8);
        this.windowMs = Math.max(1000, options.windowMs ?? 1200);
        this.now = options.now ?? Date.now;
        this.sleep = options.sleep ?? realSleep;
    }
    slot(region) {
        let slot = this.regions.get(region);
        if (!slot) {
            slot = { counted: [], active: 0, waiting: [], answered: [] };
            this.regions.set(region, slot);
        }
        return slot;
    }
    /** Runs one control-plane call in `region` within the region's concurrency and rate. */
    async run(region, call) {
        const slot = this.slot(region);
        if (slot.active >= this.concurrency) {
            await new Promise((resolve) => slot.waiting.push(resolve));
        }
        else {
            slot.active += 1;
        }
        let entry = null;
        try {
            for (;;) {
                const now = this.now();
                for (let i = slot.counted.length - 1; i >= 0; i -= 1) {
                    const ended = slot.counted[i].endedAt;
                    if (ended !== null && ended <= now - this.windowMs)
                        slot.counted.splice(i, 1);
                }
                if (slot.counted.length < this.ratePerSecond) {
                    entry = { endedAt: null };
                    slot.counted.push(entry);
                    break;
                }
                const ends = slot.counted.map((c) => c.endedAt).filter((t) => t !== null);
                if (ends.length > 0)
                    await this.sleep(Math.max(1, Math.min(...ends) + this.windowMs - now));
                else
                    await new Promise((resolve) => slot.answered.push(resolve)); // all in flight: wait for one to answer
            }
            return await call();
        }
        finally {
            if (entry)
                entry.endedAt = this.now();
            for (const wake of slot.answered.splice(0))
                wake();
            const next = slot.waiting.shift();
            if (next)
                next(); // hand the slot over without releasing it
            else
                slot.active -= 1;
        }
    }
}


/***/ })

};
