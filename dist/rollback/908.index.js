export const id = 908;
export const ids = [908];
export const modules = {

/***/ 3908:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  rollBack: () => (/* binding */ rollBack)
});

// UNUSED EXPORTS: rollBackGuarded

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudwatch/dist-cjs/index.js
var dist_cjs = __webpack_require__(4085);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-lambda/dist-cjs/index.js
var client_lambda_dist_cjs = __webpack_require__(1696);
;// CONCATENATED MODULE: ./packages/aws/src/clients.ts
// One Lambda and one CloudWatch client per region, reused for the life of the process.
// Retries are the SDK's own (standard mode); endpoints follow AWS_ENDPOINT_URL through the SDK.


const USER_AGENT = ['safe-deploy', '1.0.0'];
class AwsClients {
    options;
    lambdas = new Map();
    cloudwatches = new Map();
    others = new Map();
    constructor(options = {}) {
        this.options = options;
    }
    /** The settings every client gets: region, standard retries, user agent with the caller, endpoint, credentials. */
    config(region) {
        return {
            region,
            retryMode: 'standard',
            maxAttempts: this.options.maxAttempts ?? 5,
            customUserAgent: [[USER_AGENT[0], USER_AGENT[1]], ...(this.options.caller ? [['caller', this.options.caller]] : [])],
            ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
            ...(this.options.credentials ? { credentials: { ...this.options.credentials } } : {}),
        };
    }
    lambda(region) {
        let client = this.lambdas.get(region);
        if (!client) {
            client = new client_lambda_dist_cjs/* LambdaClient */.Nox(this.config(region));
            this.lambdas.set(region, client);
        }
        return client;
    }
    cloudwatch(region) {
        let client = this.cloudwatches.get(region);
        if (!client) {
            client = new dist_cjs/* CloudWatchClient */.WBn(this.config(region));
            this.cloudwatches.set(region, client);
        }
        return client;
    }
    /**
     * A client of another service (SSM for the deployment store, EventBridge for the guardian), made by
     * `make` with the same settings, kept per service and region and destroyed with the others. The
     * SDK package is imported by the adapter that needs it, so bundles that never call it stay small.
     */
    other(service, region, make) {
        const key = `${service} ${region}`;
        let client = this.others.get(key);
        if (!client) {
            client = make(this.config(region));
            this.others.set(key, client);
        }
        return client;
    }
    destroy() {
        for (const client of [...this.lambdas.values(), ...this.cloudwatches.values(), ...this.others.values()])
            client.destroy();
        this.lambdas.clear();
        this.cloudwatches.clear();
        this.others.clear();
    }
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ssm/dist-cjs/index.js
var client_ssm_dist_cjs = __webpack_require__(4736);
// EXTERNAL MODULE: ./packages/core/src/guardian-entry.ts
var guardian_entry = __webpack_require__(2411);
;// CONCATENATED MODULE: ./packages/aws/src/limiter.ts
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
 *     the entry with a later lease (or none: `until` null parks a one-box whose last bake passed),
 *     only when the stored one is the same deployment (commit and run).
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
        path: (0,guardian_entry/* checkStorePath */.vG)(options.path ?? guardian_entry/* DEFAULT_STORE_PATH */.QA),
        limiter: options.limiter ?? new RegionLimiter({ ratePerSecond: STORE_CALLS_PER_SECOND, concurrency: STORE_CALLS_PER_SECOND, sleep: options.sleep ?? realSleep, now: options.now }),
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
    return ctx.clients.other('ssm', region, (config) => new client_ssm_dist_cjs/* SSMClient */.jBj(config));
}
async function deployment_store_call(ctx, region, operation, parameter, send) {
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
async function deployment_store_writeDeployment(ctx, region, entry) {
    const name = entryName(ctx.path, entry);
    const value = encodeEntry(entry);
    const answer = await deployment_store_call(ctx, region, 'PutParameter', name, () => ssm(ctx, region).send(new PutParameterCommand({
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
async function deployment_store_readDeployment(ctx, region, entry) {
    const name = (0,guardian_entry/* entryName */.MB)(ctx.path, entry);
    try {
        const answer = await deployment_store_call(ctx, region, 'GetParameter', name, () => ssm(ctx, region).send(new client_ssm_dist_cjs/* GetParameterCommand */.lhy({ Name: name })));
        const decoded = (0,guardian_entry/* decodeEntry */.LP)(answer.Parameter?.Value);
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
/**
 * Moves the lease of the deployment to `until` (unix seconds; null clears it: the entry stays watched
 * on its alarms and never expires), only when the stored entry is this deployment.
 */
async function renewLease(ctx, region, entry, until) {
    const stored = await deployment_store_readDeployment(ctx, region, entry);
    if (!stored)
        return 'missing';
    if (!stored.ok || !sameDeployment(stored.entry, entry))
        return 'other-deployment';
    await deployment_store_writeDeployment(ctx, region, { ...stored.entry, lease: until === null ? null : Math.floor(until), at: Math.floor(Date.now() / 1000) });
    return 'renewed';
}
/** Deletes the deployment's entry (its last bake in the region passed), only when it is this deployment. */
async function endLease(ctx, region, entry) {
    const stored = await deployment_store_readDeployment(ctx, region, entry);
    if (!stored)
        return 'missing';
    if (!stored.ok || !sameDeployment(stored.entry, entry))
        return 'other-deployment';
    const name = (0,guardian_entry/* entryName */.MB)(ctx.path, entry);
    try {
        await deployment_store_call(ctx, region, 'DeleteParameter', name, () => ssm(ctx, region).send(new client_ssm_dist_cjs/* DeleteParameterCommand */.Obs({ Name: name })));
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
        const page = await deployment_store_call(ctx, region, 'GetParametersByPath', ctx.path, () => ssm(ctx, region).send(new client_ssm_dist_cjs/* GetParametersByPathCommand */.o_y({ Path: ctx.path, Recursive: true, MaxResults: 10, NextToken: token })));
        parameters.push(...(page.Parameters ?? []));
        token = page.NextToken;
    } while (token);
    return parameters
        .map((p) => {
        const name = p.Name ?? '';
        const decoded = (0,guardian_entry/* decodeEntry */.LP)(p.Value);
        return decoded.ok ? { name, ok: true, entry: decoded.entry } : { name, ok: false, problem: decoded.problem };
    })
        .sort((a, b) => a.name.localeCompare(b.name));
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./packages/core/src/deployment.ts
var deployment = __webpack_require__(5566);
// EXTERNAL MODULE: ./packages/core/src/log-safe.ts
var log_safe = __webpack_require__(5745);
// EXTERNAL MODULE: ./packages/core/src/rollout.ts
var rollout = __webpack_require__(4980);
;// CONCATENATED MODULE: ./packages/aws/src/lambda.ts
/**
 * Lambda adapter: publishes candidate versions and moves aliases, one AWS call per function here.
 *
 * API (every function takes a LambdaContext from `lambdaContext({ clients })` first):
 * - `publishCandidate(ctx, { region, functionName }, { code?, commit, run })`
 *     → `{ version, codeSha256, reused }`. Updates $LATEST from a zip (bytes), an S3 object or an
 *     image URI, waits for the update (GetFunction polled with the context's clock; an access
 *     denial fails at once), publishes guarded by CodeSha256 with the description
 *     `safe-deploy commit=<sha> run=<id> code=<CodeSha256>`, and waits for the version to be
 *     `Active`. A re-run for the same commit reuses that version only when its CodeSha256 equals
 *     the code given (zip: before any write; S3/image: after updating $LATEST). PublishVersion
 *     handing back an existing version is `code-unchanged`. No `code` publishes what $LATEST holds.
 *     `versions` (a `listVersions` answer) spares the listing when the caller already has it.
 * - `listVersions(ctx, { region, functionName })` → `PublishedVersions | null` (null: no such
 *     function): every version with its role and dead-letter target, from ListVersionsByFunction.
 * - `readAlias(ctx, target)` → `AliasView | null` (null: the alias does not exist).
 *     `target` is `{ region, functionName, alias }`.
 * - `shiftTraffic(ctx, target, { candidate, weight, commit, run, state? })` → `AliasChange`.
 *     weight 0..1 on the candidate; 1 promotes; creates the alias on the first deployment.
 *     `known` (`{ alias, versions }`): what the caller already read, so the write path does not
 *     read it again (see `Known`).
 * - `promote(ctx, target, { candidate?, commit, run })` → `AliasChange`.
 * - `rollbackAlias(ctx, target, { to: 'previous' | '<version>', run, commit? })` → `AliasChange`;
 *     idempotent: `wrote` is false when the alias already was there.
 * - `forEachTarget(targets, fn, { maxRegions? })` → outcomes in input order, `{ target, ok, value | error }`;
 *     regions in parallel, calls paced per region by the context's RegionLimiter (< 10 calls/s/region).
 * - `handCommand(ctx, region, version, reason)` → the `gh workflow run rollback.yml ...` line.
 *
 * Every alias change is ONE UpdateAlias (or CreateAlias) setting FunctionVersion, RoutingConfig
 * and Description (the deployment record) together, guarded by RevisionId, decided by
 * packages/core/src/rollout.ts, then read back and compared. 412 → re-read and throw
 * LambdaDeployError with both states (never retried); 409 → wait and retry a bounded number of
 * times; throttling and 5xx → the SDK's standard retries; 403 AccessDenied → AccessDeniedError
 * naming the IAM action and the resource. Errors are LambdaDeployError: region, function, alias,
 * rule, the alias's current state and the one command to finish by hand.
 */







const silent = { info: () => { }, warn: () => { } };
function lambdaContext(options) {
    const sleep = options.sleep ?? realSleep;
    const now = options.now ?? Date.now;
    return {
        clients: options.clients,
        logger: options.logger ?? silent,
        sleep,
        now,
        limiter: options.limiter ?? new RegionLimiter({ sleep, now }),
        conflictRetries: options.conflictRetries ?? 4,
        conflictDelayMs: options.conflictDelayMs ?? 1000,
        updateWaitSeconds: options.updateWaitSeconds ?? 300,
        environment: options.environment ?? '<environment>',
        onCall: options.onCall,
    };
}
/** The command a person runs to put a region back on a version. */
function handCommand(ctx, region, version, reason = 'finish rollback by hand') {
    // Every value is single-quoted for the shell: people paste this line, and the environment and
    // reason are user text (`$(...)` inside double quotes would run on their machine).
    return `gh workflow run rollback.yml -f environment=${shellQuote(ctx.environment)} -f regions=${shellQuote(region)} -f version=${shellQuote(version)} -f reason=${shellQuote(reason)}`;
}
function shellQuote(value) {
    return /^[A-Za-z0-9_./:,=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
/** Failure on one function or alias: where, which rule, what the alias looks like now, and how to finish by hand. */
class LambdaDeployError extends Error {
    region;
    functionName;
    alias;
    rule;
    detail;
    current;
    command;
    constructor(region, functionName, alias, rule, detail, current, command) {
        super(`${region} ${functionName}${alias ? `:${alias}` : ''}: ${rule}: ${detail}` +
            (alias ? `. Alias now: ${current}` : '') +
            (command ? `. To finish by hand: ${command}` : ''));
        this.region = region;
        this.functionName = functionName;
        this.alias = alias;
        this.rule = rule;
        this.detail = detail;
        this.current = current;
        this.command = command;
        this.name = 'LambdaDeployError';
    }
}
function errorName(error) {
    return error?.name ?? '';
}
/** True for an IAM refusal (Lambda: 403 AccessDeniedException; other services: AccessDenied). */
function isAccessDenied(error) {
    const name = errorName(error);
    return name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'AccessDeniedError';
}
/**
 * A call the role may not make. Named for the IAM action and the resource, so nobody reads it as
 * "not found" or a timeout: the fix is a permission, and iam/ says which policy carries it.
 */
class AccessDeniedError extends Error {
    action;
    resource;
    region;
    constructor(action, resource, region, awsMessage) {
        super(`access denied: ${action} on ${resource} in ${region}; the role lacks this permission (see iam/ for the policy of this path): ${(0,log_safe/* logSafe */.sN)(awsMessage, 400)}`);
        this.action = action;
        this.resource = resource;
        this.region = region;
        this.name = 'AccessDeniedError';
    }
}
/** `orders-api`, `orders-api:live`, `orders-api:7`: the resource a Lambda call acts on, as IAM sees it. */
function resourceOf(functionName, qualifier) {
    return `function ${functionName}${qualifier ? `:${qualifier}` : ''}`;
}
/**
 * One control-plane call: paced by the region's limiter, counted, retried by the SDK. An access
 * denial becomes an AccessDeniedError naming the action and the resource.
 */
async function lambda_call(ctx, region, operation, resource, run) {
    try {
        return await ctx.limiter.run(region, () => {
            ctx.onCall?.(region, operation);
            return run();
        });
    }
    catch (error) {
        if (isAccessDenied(error) && !(error instanceof AccessDeniedError))
            throw new AccessDeniedError(`lambda:${operation}`, resource, region, error.message ?? '');
        throw error;
    }
}
function sameTarget(view, target) {
    return view.region === target.region && view.functionName === target.functionName && view.alias === target.alias;
}
function toView(target, alias) {
    const weights = { ...(alias.RoutingConfig?.AdditionalVersionWeights ?? {}) };
    const record = (0,deployment/* decodeRecord */.eT)(alias.Description);
    return {
        region: target.region,
        functionName: target.functionName,
        alias: target.alias,
        version: alias.FunctionVersion ?? '',
        weights,
        revision: alias.RevisionId ?? null,
        description: alias.Description ?? '',
        record,
    };
}
/** Reads the alias: version, weights, RevisionId and record. Null when it does not exist. */
async function readAlias(ctx, target) {
    try {
        const alias = await lambda_call(ctx, target.region, 'GetAlias', resourceOf(target.functionName, target.alias), () => ctx.clients.lambda(target.region).send(new client_lambda_dist_cjs/* GetAliasCommand */.MES({ FunctionName: target.functionName, Name: target.alias })));
        return toView(target, alias);
    }
    catch (error) {
        if (errorName(error) === 'ResourceNotFoundException') {
            // The alias or the function is missing; a missing function surfaces on the write.
            return null;
        }
        throw error;
    }
}
function stableOf(view) {
    if (!view)
        return '<version>';
    if (view.record.kind === 'record') {
        const r = view.record.record;
        return r.stable;
    }
    return view.version || '<version>';
}
function fail(ctx, target, rule, detail, current, version) {
    return new LambdaDeployError(target.region, target.functionName, target.alias, rule, detail, (0,rollout/* describeAlias */.IN)(current), handCommand(ctx, target.region, version ?? stableOf(current), `${rule} on ${target.functionName}`));
}
function settingsOf(config, version) {
    return { version, role: config.Role, deadLetterTarget: config.DeadLetterConfig?.TargetArn };
}
async function versionSettings(ctx, target, version, known) {
    const cached = known?.get(version);
    if (cached)
        return cached;
    const config = await lambda_call(ctx, target.region, 'GetFunctionConfiguration', resourceOf(target.functionName, version), () => ctx.clients.lambda(target.region).send(new client_lambda_dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: target.functionName, Qualifier: version })));
    return { version, role: config.Role, deadLetterTarget: config.DeadLetterConfig?.TargetArn };
}
async function aliasProvisionedConcurrency(ctx, target) {
    try {
        const config = await lambda_call(ctx, target.region, 'GetProvisionedConcurrencyConfig', resourceOf(target.functionName, target.alias), () => ctx.clients
            .lambda(target.region)
            .send(new client_lambda_dist_cjs/* GetProvisionedConcurrencyConfigCommand */.D96({ FunctionName: target.functionName, Qualifier: target.alias })));
        return config.RequestedProvisionedConcurrentExecutions ?? 0;
    }
    catch (error) {
        const name = errorName(error);
        // 404: no provisioned concurrency on the alias (emulators without the API answer a bare 404 too).
        const status = error.$metadata?.httpStatusCode;
        if (name === 'ProvisionedConcurrencyConfigNotFoundException' || name === 'ResourceNotFoundException' || status === 404)
            return 0;
        throw error;
    }
}
/**
 * Preflight reads for a weighted alias: both versions share role and dead-letter config. Provisioned
 * concurrency on the alias does not stop the shift (AWS allows routing on it); it is read to warn
 * about spillover and about the PC setting being locked while routing is in place.
 */
async function preflightVersions(ctx, target, current, config, known) {
    const extra = Object.keys(config.weights);
    if (extra.length === 0)
        return;
    const candidate = extra[0];
    const [stable, cand, provisioned] = await Promise.all([
        versionSettings(ctx, target, config.functionVersion, known),
        versionSettings(ctx, target, candidate, known),
        aliasProvisionedConcurrency(ctx, target),
    ]);
    const problem = (0,rollout/* checkVersionsCompatible */.OS)(stable, cand);
    if (problem)
        throw fail(ctx, target, problem.rule, `${problem.message}; nothing was written`, current);
    const warning = (0,rollout/* provisionedConcurrencyWarning */.A1)(provisioned, config.weights[candidate] ?? 0);
    if (warning)
        ctx.logger.warn(`${target.region} ${target.functionName}:${target.alias}: ${warning}`);
}
function routingInput(weights) {
    return { AdditionalVersionWeights: { ...weights } };
}
/** Applies one intent to one alias: read, decide, preflight, one guarded write, read back. */
async function applyIntent(ctx, target, intent, known = {}) {
    const guarded = known.alias === null || (known.alias !== undefined && known.alias.revision !== null && sameTarget(known.alias, target));
    const before = guarded ? known.alias : await readAlias(ctx, target);
    const decision = (0,rollout/* decide */.LD)(before, intent, {
        now: ctx.now() / 1000,
        ...(known.watched ? { watched: true } : {}),
        logger: { info: (message) => ctx.logger.info(`${target.region} ${target.functionName}:${target.alias}: ${message}`) },
    });
    if (decision.kind === 'refuse') {
        throw fail(ctx, target, decision.rule, `${decision.message}; nothing was written`, before);
    }
    if (decision.kind === 'noop') {
        return { target, wrote: false, transition: decision.reason, before, after: before };
    }
    const { config } = decision;
    const routing = (0,rollout/* checkRouting */.lR)(config.functionVersion, config.weights);
    if (routing)
        throw fail(ctx, target, routing.rule, `${routing.message}; nothing was written`, before);
    await preflightVersions(ctx, target, before, config, known.versions);
    const lambda = ctx.clients.lambda(target.region);
    for (let attempt = 0;; attempt += 1) {
        try {
            if (decision.create) {
                await lambda_call(ctx, target.region, 'CreateAlias', resourceOf(target.functionName, target.alias), () => lambda.send(new client_lambda_dist_cjs/* CreateAliasCommand */.W_e({
                    FunctionName: target.functionName,
                    Name: target.alias,
                    FunctionVersion: config.functionVersion,
                    Description: config.description,
                    ...(Object.keys(config.weights).length > 0 ? { RoutingConfig: routingInput(config.weights) } : {}),
                })));
            }
            else {
                await lambda_call(ctx, target.region, 'UpdateAlias', resourceOf(target.functionName, target.alias), () => lambda.send(new client_lambda_dist_cjs/* UpdateAliasCommand */.lqC({
                    FunctionName: target.functionName,
                    Name: target.alias,
                    FunctionVersion: config.functionVersion,
                    RoutingConfig: routingInput(config.weights),
                    Description: config.description,
                    ...(before?.revision ? { RevisionId: before.revision } : {}),
                })));
            }
            break;
        }
        catch (error) {
            const name = errorName(error);
            // CreateAlias that meets an alias created since our read: Lambda answers 409
            // ResourceConflictException. Its wording is not documented (moto says "Alias already
            // exists"), so the alias is read again instead of matching the message: if it exists now,
            // someone else created it (or our own lost write did); if not, the 409 was an update in progress.
            const raced = decision.create && name === 'ResourceConflictException' ? await readAlias(ctx, target).catch(() => null) : null;
            if (name === 'PreconditionFailedException' || raced) {
                const now = raced ?? (await readAlias(ctx, target).catch(() => null));
                if (now && (0,rollout/* routingMatches */.qr)(now, config.functionVersion, config.weights) && now.description === config.description) {
                    // Our own write landed and its answer was lost; the SDK's retry then met the new RevisionId.
                    ctx.logger.info(`${target.region} ${target.functionName}:${target.alias}: ${decision.transition} done (the write landed before a lost answer)`);
                    return { target, wrote: true, transition: decision.transition, before, after: now };
                }
                throw fail(ctx, target, 'alias-changed-concurrently', `the alias changed between our read and our write (RevisionId ${before?.revision ?? 'none'}); nothing was written. Read before: ${(0,rollout/* describeAlias */.IN)(before)}. Read now: ${(0,rollout/* describeAlias */.IN)(now)}`, now);
            }
            if (name === 'ResourceConflictException' && attempt < ctx.conflictRetries) {
                const wait = ctx.conflictDelayMs * 2 ** attempt;
                ctx.logger.warn(`${target.region} ${target.functionName}:${target.alias}: update in progress (409), retrying in ${wait} ms (${attempt + 1}/${ctx.conflictRetries})`);
                await ctx.sleep(wait);
                continue;
            }
            const current = await readAlias(ctx, target).catch(() => before);
            if (error instanceof AccessDeniedError)
                throw fail(ctx, target, 'access-denied', `${decision.transition} failed: ${error.message}`, current);
            throw fail(ctx, target, name === 'ResourceConflictException' ? 'update-in-progress' : 'write-failed', `${decision.transition} failed: ${(0,log_safe/* logSafe */.sN)(error.message, 400)}`, current);
        }
    }
    const after = await readAlias(ctx, target);
    if (!after || !(0,rollout/* routingMatches */.qr)(after, config.functionVersion, config.weights) || after.description !== config.description) {
        throw fail(ctx, target, 'read-back-mismatch', `after ${decision.transition} the alias reads ${(0,rollout/* describeAlias */.IN)(after)}, expected ${(0,rollout/* describeAlias */.IN)({ version: config.functionVersion, weights: config.weights, record: { kind: 'record', record: config.record } })}`, after);
    }
    ctx.logger.info(`${target.region} ${target.functionName}:${target.alias}: ${decision.transition} done (${(0,rollout/* describeAlias */.IN)(after)})`);
    return { target, wrote: true, transition: decision.transition, before, after };
}
function shiftTraffic(ctx, target, options) {
    const { known, ...intent } = options;
    return applyIntent(ctx, target, { kind: 'shift', ...intent }, known);
}
function promote(ctx, target, options) {
    return applyIntent(ctx, target, { kind: 'promote', ...options });
}
function rollbackAlias(ctx, target, options) {
    const { known, ...intent } = options;
    return applyIntent(ctx, target, { kind: 'rollback', ...intent }, known);
}
// ---------------------------------------------------------------- publishing
const DESCRIPTION_PREFIX = 'safe-deploy';
/**
 * The description of a published version: commit, run id and, when known, the code's CodeSha256
 * (so a person can tell from the console which build a version holds; reuse itself compares the
 * version's CodeSha256 as Lambda computed it, never this text).
 */
function versionDescription(commit, run, codeSha256) {
    return `${DESCRIPTION_PREFIX} commit=${commit} run=${run}${codeSha256 ? ` code=${codeSha256}` : ''}`.slice(0, 256);
}
function commitOfDescription(description) {
    const match = /^safe-deploy commit=(\S+)/.exec(description ?? '');
    return match ? match[1] : null;
}
/** Lambda's CodeSha256 of a zip deployment package: base64 of its SHA-256. */
function zipCodeSha256(zip) {
    return createHash('sha256').update(zip).digest('base64');
}
async function listVersionPages(ctx, ref) {
    let marker;
    const configs = [];
    do {
        const page = await lambda_call(ctx, ref.region, 'ListVersionsByFunction', resourceOf(ref.functionName), () => ctx.clients.lambda(ref.region).send(new ListVersionsByFunctionCommand({ FunctionName: ref.functionName, Marker: marker, MaxItems: 50 })));
        configs.push(...(page.Versions ?? []));
        marker = page.NextMarker;
    } while (marker);
    return configs;
}
function versionsOf(configs) {
    const settings = new Map();
    let latest = null;
    for (const config of configs) {
        if (config.Version === '$LATEST')
            latest = { ...settingsOf(config, '$LATEST'), codeSha256: config.CodeSha256 };
        else if (config.Version)
            settings.set(config.Version, settingsOf(config, config.Version));
    }
    return { configs, latest, settings };
}
/**
 * Every version of a function (all pages of ListVersionsByFunction), with role and dead-letter
 * target. Null when the function does not exist; any other failure is thrown.
 */
async function listVersions(ctx, ref) {
    try {
        return versionsOf(await listVersionPages(ctx, ref));
    }
    catch (error) {
        if (errorName(error) === 'ResourceNotFoundException')
            return null;
        throw error;
    }
}
function findPublishedIn(configs, commit) {
    let found = null;
    for (const version of configs) {
        if (version.Version && version.Version !== '$LATEST' && commitOfDescription(version.Description) === commit) {
            if (!found || Number(version.Version) > Number(found.Version))
                found = version;
        }
    }
    return found;
}
function highestVersion(configs) {
    return configs.reduce((max, c) => (c.Version && /^\d+$/.test(c.Version) ? Math.max(max, Number(c.Version)) : max), 0);
}
function functionError(ctx, ref, rule, detail) {
    return new LambdaDeployError(ref.region, ref.functionName, null, rule, detail, '', null);
}
/**
 * Polls GetFunction (its own 100 requests/s quota, so outside the control-plane pacing, as the
 * SDK's waiters are) with the context's clock until `done` says the configuration is ready, or
 * throws. Unlike the SDK waiters, which retry on every exception, an access denial fails at once,
 * naming lambda:GetFunction, and a missing function is reported as such; other errors (throttling
 * beyond the SDK's retries, 5xx) are retried until the deadline like a pending state.
 */
async function pollFunction(ctx, ref, qualifier, what, done) {
    const deadline = ctx.now() + ctx.updateWaitSeconds * 1000;
    let delay = 1000;
    let last = 'no answer yet';
    for (;;) {
        try {
            const answer = await ctx.clients.lambda(ref.region).send(new GetFunctionCommand({ FunctionName: ref.functionName, ...(qualifier ? { Qualifier: qualifier } : {}) }));
            const config = answer.Configuration ?? {};
            const verdict = done(config);
            if (verdict?.ok)
                return config;
            if (verdict && !verdict.ok)
                throw functionError(ctx, ref, qualifier ? 'version-failed' : 'code-update-failed', verdict.error);
            last = `State ${config.State ?? '?'}, LastUpdateStatus ${config.LastUpdateStatus ?? '?'}`;
        }
        catch (error) {
            if (error instanceof LambdaDeployError)
                throw error;
            if (isAccessDenied(error))
                throw new AccessDeniedError('lambda:GetFunction', resourceOf(ref.functionName, qualifier), ref.region, error.message ?? '');
            if (errorName(error) === 'ResourceNotFoundException')
                throw functionError(ctx, ref, 'not-found', `${resourceOf(ref.functionName, qualifier)} does not exist while waiting for ${what}`);
            last = logSafe(`${errorName(error)}: ${error.message}`, 300);
        }
        if (ctx.now() >= deadline) {
            throw functionError(ctx, ref, qualifier ? 'version-not-active' : 'code-update-failed', `${what} did not finish within ${ctx.updateWaitSeconds}s (last read: ${last})`);
        }
        await ctx.sleep(Math.min(delay, Math.max(1, deadline - ctx.now())));
        delay = Math.min(delay * 2, 10_000);
    }
}
/** Waits for a code update of $LATEST to finish (LastUpdateStatus Successful); Failed stops with its reason. */
function waitForCodeUpdate(ctx, ref) {
    return pollFunction(ctx, ref, undefined, 'the code update', (config) => {
        const status = config.LastUpdateStatus;
        if (status === undefined || status === 'Successful')
            return { ok: true };
        if (status === 'Failed')
            return { ok: false, error: `the code update ended Failed: ${logSafe(config.LastUpdateStatusReasonCode ?? '', 80)} ${logSafe(config.LastUpdateStatusReason ?? '', 300)}`.trim() };
        return null;
    });
}
/**
 * Waits until a published version is `Active` before any traffic reaches it: a version can start
 * `Pending` (SnapStart, VPC, images), and invoking it then fails (SnapStartNotReadyException) with
 * errors that count as neither Invocations nor Errors, so no bake would see them. `Failed` (or
 * `Inactive`) stops with Lambda's reason.
 */
function waitForActive(ctx, ref, version) {
    return pollFunction(ctx, ref, version, `version ${version} to become Active`, (config) => {
        if (config.State === 'Active')
            return { ok: true };
        if (config.State === 'Failed' || config.State === 'Inactive') {
            return { ok: false, error: `version ${version} is ${config.State}: ${logSafe(config.StateReasonCode ?? '', 80)} ${logSafe(config.StateReason ?? '', 300)}; no traffic was moved to it`.trim() };
        }
        return null;
    });
}
/** The version a published or listed configuration names, once it is Active. */
async function activeCandidate(ctx, ref, config, reused, codeSha256) {
    const version = config.Version;
    if (config.State !== undefined && config.State !== 'Active') {
        ctx.logger.info(`${ref.region} ${ref.functionName}: version ${version} is ${logSafe(config.State, 20)}; waiting for Active before any traffic moves`);
        await waitForActive(ctx, ref, version);
    }
    return { version, codeSha256: config.CodeSha256 ?? codeSha256, reused, ...(config.Role ? { settings: settingsOf(config, version) } : {}) };
}
/**
 * Publishes the candidate version for a commit, or reuses the one a previous run published.
 *
 * Reuse (a re-run of the same commit) needs more than the description, which anybody who may
 * publish a version can write: the version's CodeSha256, as Lambda computed it, must equal the code
 * given. For a zip that is known before any write (base64 of its SHA-256), so a matching version is
 * reused without touching the function. For an S3 object or an image it is known only once Lambda
 * has the code, so $LATEST is updated first and its CodeSha256 compared. A version of this commit
 * with other code is never reused: a new version is published and the log says why.
 *
 * PublishVersion hands back the existing version when code and configuration did not change since
 * it was published. That is detected (a version number not above the highest before the call, or a
 * description other than the one sent) and refused as `code-unchanged` unless it is this commit's own
 * version with this code (a re-run): it is never deployed as a new candidate.
 */
async function publishCandidate(ctx, ref, options) {
    if (!options.commit)
        throw functionError(ctx, ref, 'missing-commit', 'a commit is needed to label the published version');
    const lambda = ctx.clients.lambda(ref.region);
    const configs = options.versions?.configs ?? (await listVersionPages(ctx, ref));
    const highest = highestVersion(configs);
    const existing = findPublishedIn(configs, options.commit);
    const where = `${ref.region} ${ref.functionName}`;
    let warned = false;
    const reuseIfSame = async (codeSha256) => {
        if (!existing?.Version || !codeSha256)
            return null;
        if (existing.CodeSha256 === codeSha256) {
            ctx.logger.info(`${where}: reusing version ${existing.Version} published for commit ${options.commit} (same CodeSha256 ${logSafe(codeSha256, 64)})`);
            return activeCandidate(ctx, ref, existing, true, codeSha256);
        }
        if (warned)
            return null;
        warned = true;
        ctx.logger.warn(`${where}: version ${existing.Version} carries commit ${options.commit} in its description, but its code (CodeSha256 ${logSafe(existing.CodeSha256 ?? 'unknown', 64)}) is not the code given (${logSafe(codeSha256, 64)}): not reused, a new version is published`);
        return null;
    };
    if (options.code?.kind === 'zip') {
        const reused = await reuseIfSame(zipCodeSha256(options.code.zipFile));
        if (reused)
            return reused;
    }
    let codeSha256;
    let revision;
    if (options.code) {
        const input = { FunctionName: ref.functionName, Publish: false };
        if (options.code.kind === 'zip')
            input.ZipFile = options.code.zipFile;
        else if (options.code.kind === 's3')
            Object.assign(input, { S3Bucket: options.code.bucket, S3Key: options.code.key, S3ObjectVersion: options.code.objectVersion });
        else
            input.ImageUri = options.code.imageUri;
        const updated = await lambda_call(ctx, ref.region, 'UpdateFunctionCode', resourceOf(ref.functionName), () => lambda.send(new UpdateFunctionCodeCommand(input)));
        codeSha256 = updated.CodeSha256;
        revision = updated.RevisionId;
        const waited = await waitForCodeUpdate(ctx, ref);
        revision = waited.RevisionId ?? revision;
        codeSha256 = waited.CodeSha256 ?? codeSha256;
        if (options.code.kind !== 'zip') {
            const reused = await reuseIfSame(codeSha256);
            if (reused)
                return reused;
        }
    }
    else {
        // No code given: the candidate is what $LATEST holds. The listing already says its CodeSha256,
        // so a re-run reuses this commit's version without another read when the code is the same.
        const listed = options.versions?.latest?.codeSha256 ?? configs.find((c) => c.Version === '$LATEST')?.CodeSha256;
        if (listed) {
            const reused = await reuseIfSame(listed);
            if (reused)
                return reused;
        }
        const latest = await lambda_call(ctx, ref.region, 'GetFunctionConfiguration', resourceOf(ref.functionName), () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: ref.functionName })));
        codeSha256 = latest.CodeSha256;
        revision = latest.RevisionId;
        if (codeSha256 !== listed) {
            const reused = await reuseIfSame(codeSha256);
            if (reused)
                return reused;
        }
    }
    const description = versionDescription(options.commit, options.run, codeSha256);
    let published;
    try {
        published = await lambda_call(ctx, ref.region, 'PublishVersion', resourceOf(ref.functionName), () => lambda.send(new PublishVersionCommand({
            FunctionName: ref.functionName,
            CodeSha256: codeSha256,
            Description: description,
            ...(revision ? { RevisionId: revision } : {}),
        })));
    }
    catch (error) {
        if (error instanceof AccessDeniedError)
            throw error;
        // A CodeSha256 that no longer matches $LATEST: AWS answers InvalidParameterValueException
        // ("CodeSHA256 (…) is different from current CodeSHA256 in $LATEST"); a stale RevisionId is 412.
        if (errorName(error) === 'PreconditionFailedException' || /CodeSha256/i.test(String(error.message))) {
            throw functionError(ctx, ref, 'code-changed-concurrently', `$LATEST changed after our update (CodeSha256 ${logSafe(codeSha256 ?? '', 64)}); nothing was published: ${logSafe(error.message, 300)}`);
        }
        throw functionError(ctx, ref, 'publish-failed', logSafe(error.message, 400));
    }
    if (!published.Version || published.Version === '$LATEST') {
        throw functionError(ctx, ref, 'publish-failed', `PublishVersion returned no version number`);
    }
    if (Number(published.Version) <= highest || published.Description !== description) {
        // Lambda published nothing: code and configuration equal an existing version, which it returned.
        if (commitOfDescription(published.Description) === options.commit && published.CodeSha256 === codeSha256) {
            ctx.logger.info(`${where}: PublishVersion returned version ${published.Version}, already published for commit ${options.commit} with the same code; reusing it`);
            return activeCandidate(ctx, ref, published, true, codeSha256 ?? '');
        }
        throw functionError(ctx, ref, 'code-unchanged', `code unchanged: no new version. PublishVersion returned the existing version ${published.Version} ("${logSafe(published.Description ?? '', 120)}", CodeSha256 ${logSafe(published.CodeSha256 ?? '', 64)}) because the code and configuration equal it, so it is not deployed as a new candidate and no alias was changed. Build code that differs, or redeploy a known version with the \`version\` input`);
    }
    ctx.logger.info(`${where}: published version ${published.Version} (CodeSha256 ${logSafe(published.CodeSha256 ?? '', 64)})`);
    return activeCandidate(ctx, ref, published, false, codeSha256 ?? '');
}
/**
 * Runs `fn` for every target: regions in parallel (at most `maxRegions` at once), the targets of
 * one region together, their calls paced by the context's per-region limiter. Never rejects:
 * every target gets an outcome, in input order, so a rollback reaches every region even when
 * one fails.
 */
async function forEachTarget(targets, fn, options = {}) {
    const byRegion = new Map();
    targets.forEach((target, index) => {
        const list = byRegion.get(target.region) ?? [];
        list.push(index);
        byRegion.set(target.region, list);
    });
    const outcomes = new Array(targets.length);
    const regions = [...byRegion.values()];
    const width = Math.max(1, Math.min(options.maxRegions ?? regions.length, regions.length));
    let next = 0;
    async function worker() {
        while (next < regions.length) {
            const indexes = regions[next++];
            await Promise.all(indexes.map(async (index) => {
                const target = targets[index];
                try {
                    outcomes[index] = { target, ok: true, value: await fn(target) };
                }
                catch (error) {
                    outcomes[index] = { target, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
                }
            }));
        }
    }
    await Promise.all(Array.from({ length: width }, () => worker()));
    return outcomes;
}

;// CONCATENATED MODULE: ./packages/aws/src/function-reads.ts
// Preflight reads of functions and versions, for the checks wave-deploy and rollback make before
// their first write: does the function exist in this region, does this version exist and belong to
// it, which execution role and dead-letter target does it carry, and which triggers invoke it
// without the alias. Each read is one control-plane call paced by the same per-region limiter as
// every other Lambda call (see lambda.ts), and an access denial is reported as such.



function function_reads_isNotFound(error) {
    return error.name === 'ResourceNotFoundException';
}
/**
 * Reads a function (its $LATEST) or one of its published versions. Null when the function, or
 * that version of it, does not exist; any other failure (access denied, throttling past the
 * SDK's retries) is thrown, so a preflight never mistakes "cannot read" for "absent".
 */
async function readFunctionSettings(ctx, ref, version) {
    try {
        const config = await lambda_call(ctx, ref.region, 'GetFunctionConfiguration', `function ${ref.functionName}${version ? `:${version}` : ''}`, () => ctx.clients.lambda(ref.region).send(new client_lambda_dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: ref.functionName, ...(version ? { Qualifier: version } : {}) })));
        return {
            region: ref.region,
            functionName: ref.functionName,
            version: config.Version ?? version ?? '$LATEST',
            role: config.Role,
            deadLetterTarget: config.DeadLetterConfig?.TargetArn,
            description: config.Description ?? '',
            codeSha256: config.CodeSha256,
        };
    }
    catch (error) {
        if (function_reads_isNotFound(error))
            return null;
        throw error;
    }
}
/**
 * Every trigger that invokes the function without a qualifier (or as `$LATEST`), so it would run the
 * candidate's code the moment $LATEST is updated, whatever the alias weights say. Three reads per
 * function, each paced:
 * - ListEventSourceMappings(FunctionName = the function), all pages; a mapping counts when its
 *   FunctionArn has no qualifier or `$LATEST` (the filter by name may or may not list mappings on
 *   qualified ARNs too; those on the alias or a version are left out here either way);
 * - GetPolicy on the unqualified function: the statements whose Resource is the unqualified ARN (or
 *   `:$LATEST`); ResourceNotFoundException means there is no policy;
 * - GetFunctionUrlConfig without a qualifier: a function URL on the unqualified function invokes
 *   $LATEST (a URL's qualifier can only be an alias, so there is no `$LATEST` URL);
 *   ResourceNotFoundException means there is none.
 * Callers that invoke the unqualified name through their own IAM permissions (another function,
 * a script) leave no trace in any of these and cannot be found from here (docs/wave-deploy.md).
 */
async function readUnqualifiedTriggers(ctx, ref) {
    const lambda = ctx.clients.lambda(ref.region);
    const resource = `function ${ref.functionName}`;
    const found = [];
    let marker;
    do {
        const page = await call(ctx, ref.region, 'ListEventSourceMappings', resource, () => lambda.send(new ListEventSourceMappingsCommand({ FunctionName: ref.functionName, Marker: marker, MaxItems: 100 })));
        for (const mapping of page.EventSourceMappings ?? []) {
            const functionArn = mapping.FunctionArn ?? ref.functionName;
            if (!runsLatest(functionArn))
                continue;
            found.push({ kind: 'event-source-mapping', uuid: mapping.UUID ?? '?', sourceArn: mapping.EventSourceArn ?? '?', functionArn, state: mapping.State ?? '?' });
        }
        marker = page.NextMarker;
    } while (marker);
    try {
        const policy = await call(ctx, ref.region, 'GetPolicy', resource, () => lambda.send(new GetPolicyCommand({ FunctionName: ref.functionName })));
        if (policy.Policy)
            found.push(...unqualifiedPermissions(policy.Policy));
    }
    catch (error) {
        if (!function_reads_isNotFound(error))
            throw error;
    }
    try {
        const url = await call(ctx, ref.region, 'GetFunctionUrlConfig', resource, () => lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: ref.functionName })));
        if (url.FunctionUrl && runsLatest(url.FunctionArn ?? ref.functionName))
            found.push({ kind: 'function-url', url: url.FunctionUrl, authType: url.AuthType ?? '?' });
    }
    catch (error) {
        if (!function_reads_isNotFound(error))
            throw error;
    }
    return found;
}

;// CONCATENATED MODULE: ./packages/core/src/guardian.ts


/** Longest reason a rollback carries (in its log line and its notification). */
const REASON_MAX = 400;
/** Alarms named in one reason; the rest are counted. */
const REASON_ALARMS = 3;
function asState(value) {
    return value === 'OK' || value === 'ALARM' || value === 'INSUFFICIENT_DATA' ? value : null;
}
function guardian_text(value) {
    return typeof value === 'string' && value !== '' ? value : null;
}
/**
 * Reads an EventBridge event: "CloudWatch Alarm State Change" from aws.cloudwatch (metric and
 * composite alarms share the shape: detail.alarmName, detail.state.value, detail.previousState.value)
 * or "Scheduled Event" from aws.events (the sweep). Anything else is ignored, with the reason.
 * `defaultRegion` (the function's own region) is used when the event names none.
 */
function parseTrigger(event, defaultRegion) {
    const e = (event ?? {});
    const region = guardian_text(e.region) ?? defaultRegion;
    const source = guardian_text(e.source);
    const detailType = guardian_text(e['detail-type']);
    const eventId = guardian_text(e.id);
    const time = guardian_text(e.time);
    if (!region)
        return { kind: 'ignored', region: null, why: 'the event names no region and the function knows none (AWS_REGION)' };
    if (source === 'aws.events' && detailType === 'Scheduled Event')
        return { kind: 'sweep', region, time, eventId };
    if (source === 'aws.cloudwatch' && detailType === 'CloudWatch Alarm State Change') {
        const detail = (e.detail ?? {});
        const alarm = guardian_text(detail.alarmName);
        const state = asState(detail.state?.value);
        if (!alarm || !state)
            return { kind: 'ignored', region, why: 'alarm state change without detail.alarmName or detail.state.value' };
        const previous = asState(detail.previousState?.value);
        return { kind: 'alarm', region, alarm, state, previous, time, eventId };
    }
    return { kind: 'ignored', region, why: `not an alarm state change or the sweep schedule (source ${logSafe(source ?? 'none', 80)}, detail-type ${logSafe(detailType ?? 'none', 80)})` };
}
/** Parses SAFE_DEPLOY_STOP_ALARMS: alarm names or `prefix:`, separated by commas or newlines. */
function parseStopAlarms(value) {
    return parseAlarmRefs((value ?? '').split(/[\n,]/), 'SAFE_DEPLOY_STOP_ALARMS');
}
/** True when `name` is one of the references (an exact name, or starts with a prefix). */
function refMatches(refs, name) {
    return refs.names.includes(name) || refs.prefixes.some((p) => name.startsWith(p));
}
/** References of a store entry's `alarms`; an unusable reference is dropped and reported. */
function entryAlarmRefs(entry) {
    const names = [];
    const prefixes = [];
    const problems = [];
    for (const item of entry.alarms) {
        try {
            const refs = parseAlarmRefs([item], 'alarms');
            names.push(...refs.names);
            prefixes.push(...refs.prefixes);
        }
        catch {
            problems.push(`unusable alarm reference ${logSafe(item, 80)}`);
        }
    }
    return { refs: { names, prefixes }, problems };
}
/** Every alarm reference the sweep reads in a region: the stop-the-line alarms and every entry's. */
function alarmsToRead(stop, entries) {
    const names = new Set(stop.names);
    const prefixes = new Set(stop.prefixes);
    for (const entry of entries) {
        const { refs } = entryAlarmRefs(entry);
        refs.names.forEach((n) => names.add(n));
        refs.prefixes.forEach((p) => prefixes.add(p));
    }
    return { names: [...names], prefixes: [...prefixes] };
}
function stopTheLineVerdict(region, stop, alarms, missing) {
    const firing = alarms.filter((a) => a.state === 'ALARM' && refMatches(stop, a.name));
    if (stop.names.length + stop.prefixes.length === 0) {
        return { region, stopped: false, firing: [], missing: [], message: `no stop-the-line alarms configured for ${region}` };
    }
    if (firing.length > 0) {
        return { region, stopped: true, firing, missing, message: `stop-the-line in ${region}: ${alarmList(firing)} in ALARM; nothing starts there until it clears` };
    }
    if (missing.length > 0) {
        return {
            region,
            stopped: true,
            firing,
            missing,
            message: `stop-the-line alarm not found in ${region}: ${missing.map((m) => logSafe(m, 80)).slice(0, REASON_ALARMS).join(', ')}${missing.length > REASON_ALARMS ? ` and ${missing.length - REASON_ALARMS} more` : ''}; nothing starts unwatched`,
        };
    }
    return { region, stopped: false, firing, missing, message: `no stop-the-line alarm in ALARM in ${region}` };
}
function alarmList(alarms) {
    const named = alarms.slice(0, REASON_ALARMS).map((a) => logSafe(a.name, 120));
    return named.join(', ') + (alarms.length > REASON_ALARMS ? ` and ${alarms.length - REASON_ALARMS} more` : '');
}
function safeRecordProblem(reason) {
    // decodeRecord's reason can quote the description (JSON.parse messages do); keep field names only.
    if (reason.startsWith('not JSON'))
        return 'not JSON';
    const fields = reason
        .split('; ')
        .map((p) => p.split(':')[0]?.trim() ?? '')
        .filter((f) => /^[A-Za-z0-9_.()]+$/.test(f));
    return fields.length > 0 ? `invalid ${[...new Set(fields)].join(', ')}` : 'invalid';
}
/** Whether the guardian watches this alias for this entry, and why (pure, used again after a race). */
function watchOf(entry, alias) {
    if (alias.error !== undefined)
        return { kind: 'unreadable', why: `the alias cannot be read (${(0,log_safe/* logSafe */.sN)(alias.error, 200)})` };
    if (!alias.state)
        return { kind: 'unreadable', why: 'the alias does not exist' };
    const record = alias.state.record;
    if (record.kind === 'corrupt')
        return { kind: 'unreadable', why: `the alias record cannot be read (${safeRecordProblem(record.reason)})` };
    if (record.kind === 'none')
        return { kind: 'at-rest', why: 'the alias carries no safe-deploy record' };
    const r = record.record;
    if (r.commit !== entry.commit)
        return { kind: 'at-rest', why: `the record names commit ${(0,log_safe/* logSafe */.sN)(r.commit || 'none', 40)}, not this deployment's ${(0,log_safe/* logSafe */.sN)(entry.commit, 40)}` };
    if (r.state === 'rolled-back')
        return { kind: 'at-rest', why: `already rolled back to ${r.stable}` };
    if (r.candidate === null || r.candidate === r.stable)
        return { kind: 'at-rest', why: `no candidate besides the stable version ${r.stable}` };
    return { kind: 'in-flight', stable: r.stable, candidate: r.candidate, state: r.state };
}
/**
 * True when every alias of the entry (in the region of `aliases`) is at rest for it: rolled back,
 * carrying another commit's record, or no record at all. Its deployment is over, so the entry can
 * go (a rollback's last step). An alias not among `aliases`, unreadable, or still in flight keeps it.
 */
function entryAtRest(entry, aliases) {
    return entry.functions.every((fn) => {
        const alias = aliases.find((a) => a.function === fn && a.alias === entry.alias);
        return alias !== undefined && watchOf(entry, alias).kind === 'at-rest';
    });
}
function refOf(name, entry) {
    return { entry: name, service: entry.service, stage: entry.stage, wave: entry.wave, commit: entry.commit, run: entry.run };
}
function cut(reason) {
    return logSafe(reason, REASON_MAX);
}
function alarmReason(kind, alarms, region) {
    const first = alarms[0];
    const since = first.updatedAt ? ` since ${first.updatedAt}` : '';
    const why = first.reason ? `: ${logSafe(first.reason, 160)}` : '';
    return `${kind}${alarms.length > 1 ? 's' : ''} ${alarmList(alarms)} in ALARM in ${region}${since}${why}`;
}
/** Alarms of the trigger's region confirmed in ALARM that this evaluation may act on. */
function confirmedFiring(input) {
    const { trigger } = input;
    return input.alarms.filter((a) => a.state === 'ALARM' && a.region === trigger.region && (trigger.kind === 'sweep' || a.name === trigger.alarm));
}
/** Why an entry's deployment must go back now (stop-the-line first, then its own alarm, then its lease), or null. */
function causeOf(input, entry, firing) {
    const region = input.trigger.region;
    const stopFiring = firing.filter((a) => refMatches(input.stop, a.name));
    if (stopFiring.length > 0)
        return { cause: 'stop-the-line', reason: cut(alarmReason('stop-the-line alarm', stopFiring, region)) };
    const { refs } = entryAlarmRefs(entry);
    const own = firing.filter((a) => refMatches(refs, a.name));
    if (own.length > 0)
        return { cause: 'rollback-alarm', reason: cut(alarmReason('rollback alarm', own, region)) };
    if (input.trigger.kind === 'sweep' && entry.lease !== null && entry.lease <= input.now) {
        const ago = Math.max(0, Math.floor(input.now - entry.lease));
        return { cause: 'lease-expired', reason: cut(`lease expired at ${new Date(entry.lease * 1000).toISOString()} (${ago} s ago): the pipeline stopped watching run ${entry.run || '-'}`) };
    }
    return null;
}
/**
 * The entries whose aliases must be read: those with a cause to roll back. An entry with none is
 * decided without reading its aliases (the sweep stays cheap: no GetAlias while nothing fires).
 */
function entriesToRead(input) {
    const firing = confirmedFiring(input);
    return input.entries.flatMap((l) => (l.ok && causeOf(input, l.entry, firing) ? [{ name: l.name, entry: l.entry }] : []));
}
/** Decides every alias of the region. Never throws on bad data: it is reported and skipped. */
function decideGuardian(input) {
    const region = input.trigger.region;
    const firing = confirmedFiring(input);
    const decisions = [];
    const notes = [];
    // An alias named by two entries is decided once, for the entry whose commit its record names.
    const decided = new Set();
    const aliasOf = (fn, alias) => input.aliases.find((a) => a.region === region && a.function === fn && a.alias === alias) ?? { region, function: fn, alias, state: null };
    for (const listed of input.entries) {
        if (!listed.ok) {
            decisions.push({
                region,
                function: null,
                alias: null,
                deployment: null,
                action: 'report',
                transition: 'unreadable store entry',
                cause: null,
                reason: cut(`store entry ${listed.name} cannot be read (${listed.problem}); its deployment is not watched here until wave-deploy rewrites it`),
                to: null,
                candidate: null,
            });
            continue;
        }
        const entry = listed.entry;
        const deployment = refOf(listed.name, entry);
        for (const p of entryAlarmRefs(entry).problems)
            notes.push(cut(`${listed.name}: ${p}`));
        const why = causeOf(input, entry, firing);
        if (!why) {
            const lease = entry.lease === null ? 'no lease' : `lease until ${new Date(entry.lease * 1000).toISOString()}`;
            decisions.push({
                region,
                function: null,
                alias: entry.alias,
                deployment,
                action: 'watch',
                transition: 'watched -> watched',
                cause: null,
                reason: cut(`${entry.functions.length} function(s); no alarm of it in ALARM; ${lease}`),
                to: null,
                candidate: null,
            });
            continue;
        }
        for (const fn of entry.functions) {
            const alias = aliasOf(fn, entry.alias);
            const key = `${fn}:${entry.alias}`;
            if (decided.has(key))
                continue;
            const watch = watchOf(entry, alias);
            const base = { region, function: fn, alias: entry.alias, deployment };
            if (watch.kind === 'unreadable') {
                decisions.push({ ...base, action: 'report', transition: 'unreadable alias', cause: why.cause, reason: cut(`${watch.why}; skipped, every other alias is still decided`), to: null, candidate: null });
                decided.add(key);
                continue;
            }
            if (watch.kind === 'at-rest') {
                // Another entry naming the same alias may still own it; an at-rest verdict never hides that one.
                const owned = input.entries.some((e) => e !== listed && e.ok && e.entry.alias === entry.alias && e.entry.functions.includes(fn) && watchOf(e.entry, alias).kind === 'in-flight');
                if (!owned) {
                    decisions.push({ ...base, action: 'skip', transition: 'at rest', cause: why.cause, reason: cut(watch.why), to: null, candidate: null });
                    decided.add(key);
                }
                continue;
            }
            decided.add(key);
            decisions.push({ ...base, to: watch.stable, candidate: watch.candidate, action: 'rollback', transition: `${watch.state} -> rolling-back`, cause: why.cause, reason: why.reason });
        }
    }
    return { decisions, rollbacks: decisions.filter((d) => d.action === 'rollback'), notes };
}

;// CONCATENATED MODULE: ./packages/deploy/src/text.ts
// Errors as one log-safe text: AWS messages can carry anything (control characters, runner commands).

/** Error names that add nothing in front of their message. */
const PLAIN = new Set(['Error', 'LambdaDeployError', 'AccessDeniedError']);
/** The error's message, prefixed with its name when the name says more (`ThrottlingException: Rate exceeded`). */
function text_errorText(error, max = 4000) {
    const e = error;
    const text = e?.message ? (e.name && !e.message.startsWith(e.name) && !PLAIN.has(e.name) ? `${e.name}: ${e.message}` : e.message) : String(error);
    return (0,log_safe/* logSafe */.sN)(text, max);
}
/** The error's message alone, log-safe. */
function messageText(error, max = 4000) {
    const e = error;
    return (0,log_safe/* logSafe */.sN)(e?.message ?? String(error), max);
}

;// CONCATENATED MODULE: ./packages/deploy/src/store.ts
// The deployment store entry over a deployment's life, for every entry point:
//   wave-deploy  reads it in the preflight (is a promoted alias still verifying?) and writes it
//                before the first shift in each region (`writeEntries`);
//   bake-gate    renews it while it watches and, when the wave's last bake passes, ends it (100%)
//                or parks it (a share below 100%: watched on its alarms, no lease) (lease.ts);
//   rollback     and the guardian remove the entry of a deployment whose every alias is back at
//                rest (`retireAtRest`, `retireAfterRollback`), so the sweep stops reading it.
// The encoding and the decision of what is at rest are pure (core guardian-entry.ts, guardian.ts).




/** The store entry of the deployment in one region: what the guardian needs beyond the alias records. */
function entryFor(source, region, nowMs) {
    return {
        service: source.service ?? null,
        stage: source.stage ?? null,
        wave: source.wave ?? null,
        alias: source.alias,
        functions: [...source.functions],
        regions: [...source.regions],
        alarms: [...source.alarms],
        commit: source.commit,
        run: source.run,
        lease: source.leaseMs === null || source.leaseMs === undefined ? null : Math.floor((nowMs + source.leaseMs) / 1000),
        at: Math.floor(nowMs / 1000),
    };
}
/** The entry each region's store holds under the wave's name now (null: none). A read that fails throws. */
async function readEntries(store, source) {
    const key = { alias: source.alias, service: source.service ?? null, functions: source.functions };
    const read = await Promise.all(source.regions.map(async (region) => [region, await readDeployment(store, region, key)]));
    return new Map(read);
}
/** True when the stored entry watches this alias for the deployment its record names (the record is then in flight, a promoted one verifying). */
function watchesRecord(listed, functionName, alias, record) {
    if (!listed?.ok || !record)
        return false;
    const entry = listed.entry;
    return entry.alias === alias && entry.functions.includes(functionName) && entry.commit === record.commit.slice(0, 12);
}
/** Writes the entry in each of `regions`; returns one line per region whose write failed. */
async function writeEntries(store, source, regions, now, logger) {
    const written = await Promise.all(regions.map(async (region) => {
        try {
            const entry = entryFor(source, region, now());
            const answer = await writeDeployment(store, region, entry);
            logger.info(`deployment store: ${answer.name} in ${region} written (version ${answer.version}, ${entry.lease === null ? 'no lease' : `lease until ${new Date(entry.lease * 1000).toISOString()}`})`);
            return null;
        }
        catch (error) {
            return `${region}: ${errorText(error)}`;
        }
    }));
    return written.filter((w) => w !== null);
}
/**
 * Deletes each entry whose every alias is at rest for it (core `entryAtRest`), each delete guarded
 * by a read that finds the same deployment (commit and run): an entry a newer deploy rewrote is kept.
 */
async function retireAtRest(store, region, entries, aliases) {
    const retired = [];
    const gone = [];
    const problems = [];
    for (const { name, entry } of entries.filter((e) => entryAtRest(e.entry, aliases))) {
        try {
            const answer = await endLease(store, region, entry);
            if (answer === 'ended') {
                retired.push(name);
                gone.push(entry);
            }
        }
        catch (error) {
            problems.push(`store entry ${name} in ${region} not removed: ${text_errorText(error, 1000)}`);
        }
    }
    return { retired, entries: gone, problems };
}
function asReadAlias(region, fn, alias, view) {
    return { region, function: fn, alias, state: view ? { version: view.version, weights: view.weights, record: view.record } : null };
}
/**
 * After a rollback in one region: the store entries naming a rolled-back alias (listed under the
 * store path) whose every alias is now at rest are removed. The entry's aliases the rollback did not
 * touch are read first (one GetAlias each), so an entry of which one function is still in flight stays.
 */
async function retireAfterRollback(store, ctx, region, after) {
    const mine = after.filter((a) => a.region === region);
    if (mine.length === 0)
        return { retired: [], entries: [], problems: [] };
    let listed;
    try {
        listed = await listInFlight(store, region);
    }
    catch (error) {
        return { retired: [], entries: [], problems: [`store entries in ${region} not read, none removed: ${text_errorText(error, 1000)}`] };
    }
    const entries = listed.flatMap((l) => (l.ok && mine.some((a) => a.alias === l.entry.alias && l.entry.functions.includes(a.function)) ? [{ name: l.name, entry: l.entry }] : []));
    if (entries.length === 0)
        return { retired: [], entries: [], problems: [] };
    const known = new Map(mine.map((a) => [`${a.function}:${a.alias}`, asReadAlias(region, a.function, a.alias, a.view)]));
    const missing = [...new Set(entries.flatMap(({ entry }) => entry.functions.map((fn) => `${fn}:${entry.alias}`)))].filter((k) => !known.has(k));
    const reads = await forEachTarget(missing.map((k) => ({ region, key: k })), ({ key }) => {
        const [functionName, alias] = key.split(':');
        return readAlias(ctx, { region, functionName, alias });
    });
    for (const r of reads) {
        const [fn, alias] = r.target.key.split(':');
        known.set(r.target.key, r.ok ? asReadAlias(region, fn, alias, r.value) : { ...asReadAlias(region, fn, alias, null), error: text_errorText(r.error, 300) });
    }
    return retireAtRest(store, region, entries, [...known.values()]);
}

;// CONCATENATED MODULE: ./packages/deploy/src/rollback.ts
// Rollback of a set of aliases, for every entry point: the rollback action (`rollBack`: preflight
// reads, one guarded write per alias, read back, store entries of rolled-back deployments removed)
// and the guardian (`rollBackGuarded` per alias, with its race handling).
//
// `rollBackGuarded` is the one guarded write: UpdateAlias with the RevisionId of the read the caller
// decided on (packages/aws/src/lambda.ts rollbackAlias, decided by the rollout state machine). When
// the pipeline writes between that read and the write (HTTP 412), a caller that gives `recheck`
// gets the alias read again and judged again, up to `attempts` times: nothing is overwritten unseen.







function rawMessage(error) {
    const e = error;
    return e?.message ?? String(error);
}
/** Rolls one alias back, guarded by the RevisionId of `known`; see the header for races. */
async function rollBackGuarded(ctx, target, options) {
    const steps = [];
    const limit = Math.max(1, options.attempts ?? 1);
    const before = options.known;
    let view = options.known;
    for (let attempt = 1;; attempt += 1) {
        const judged = options.recheck?.(view) ?? { go: true };
        if (!judged.go) {
            steps.push(`attempt ${attempt}: no longer in flight (${judged.why}); nothing to write`);
            return { outcome: judged.failed ? 'failed' : 'already', attempts: attempt, before, after: view, afterRead: attempt > 1, error: judged.failed ? judged.why : null, steps };
        }
        try {
            const change = await rollbackAlias(ctx, target, { to: options.to, run: options.run, ...(options.commit ? { commit: options.commit } : {}), known: { alias: view } });
            return { outcome: change.wrote ? 'rolled-back' : 'already', attempts: attempt, before, after: change.after, afterRead: change.wrote, error: null, steps };
        }
        catch (error) {
            if (options.recheck && error instanceof LambdaDeployError && error.rule === 'alias-changed-concurrently' && attempt < limit) {
                steps.push(`attempt ${attempt}: the alias changed between our read and our write (412); reading it again and deciding again`);
                try {
                    view = await readAlias(ctx, target);
                }
                catch (readError) {
                    return { outcome: 'failed', attempts: attempt, before, after: view, afterRead: false, error: `cannot read the alias again: ${rawMessage(readError)}`, steps };
                }
                continue;
            }
            const after = await readAlias(ctx, target).then((v) => ({ view: v, read: true }), () => ({ view, read: false }));
            return { outcome: 'failed', attempts: attempt, before, after: after.view, afterRead: after.read, error: rawMessage(error), steps };
        }
    }
}
function recordOf(view) {
    return view?.record.kind === 'record' ? view.record.record : null;
}
/** 1. Preflight: reads only. Every problem is collected; nothing is written if there is one. */
async function preflight(ctx, order, aliases, now) {
    const explicit = order.to === 'previous' ? null : order.to.version;
    const checks = await forEachTarget(aliases, async (a) => {
        const t = a.target;
        const ref = { region: t.region, functionName: t.functionName };
        const source = order.deployment ? 'deployment' : 'functions';
        if (!(await readFunctionSettings(ctx, ref)))
            return [`input ${source}: function ${t.functionName} does not exist in ${t.region}`];
        a.before = await readAlias(ctx, t);
        if (!a.before)
            return [`input ${source}: alias ${t.alias} of ${t.functionName} does not exist in ${t.region}; there is nothing to roll back`];
        const record = recordOf(a.before);
        if (order.onlyCommit && record?.commit !== order.onlyCommit.slice(0, 12)) {
            a.skipped = `record names commit ${record?.commit || 'none'}, not ${order.onlyCommit.slice(0, 12)}: left as it is`;
            a.to = a.before.version;
            return [];
        }
        if (explicit && !(await readFunctionSettings(ctx, ref, explicit))) {
            return [`input to: version ${explicit} does not exist for function ${t.functionName} in ${t.region}; versions are numbered per function, so a number taken from another function or region does not carry over`];
        }
        const unvetted = explicit && order.confirmUnvetted !== explicit ? (0,rollout/* unvettedVersion */.os)(record, a.before.version, explicit) : null;
        if (unvetted)
            return [`input to: ${t.region} ${t.functionName}:${t.alias}: ${unvetted}; moving all traffic to it skips every bake, so repeat ${explicit} in input confirm-unvetted to do it anyway`];
        const recorded = order.targets.find((x) => x.region === t.region && x.function === t.functionName && x.alias === t.alias)?.recordedStable;
        const to = explicit ?? recorded ?? 'previous';
        const decision = (0,rollout/* decide */.LD)(a.before, { kind: 'rollback', to, run: order.run, ...(order.commit ? { commit: order.commit } : {}) }, { now: now() / 1000 });
        if (decision.kind === 'refuse')
            return [`${t.region} ${t.functionName}:${t.alias}: ${decision.rule}: ${decision.message}. Alias now: ${(0,rollout/* describeAlias */.IN)(a.before)}`];
        a.to = decision.kind === 'write' ? decision.config.functionVersion : to === 'previous' ? (record?.stable ?? a.before.version) : to;
        return [];
    }, { maxRegions: order.maxParallel });
    return checks.flatMap((c) => (c.ok ? c.value : [`${c.target.target.region} ${c.target.target.functionName}: cannot read before rolling back: ${messageText(c.error)}`]));
}
/** 3. Read back: every alias compared with its target. */
async function readBack(ctx, order, aliases, read) {
    await forEachTarget(aliases, async (a) => {
        try {
            // An alias written (or failed) in step 2 was read right after; read the others now.
            if (!read.has(a))
                a.after = await readAlias(ctx, a.target);
        }
        catch (error) {
            a.error = a.error ?? `cannot read the alias back: ${messageText(error)}`;
            return;
        }
        if (a.skipped || a.error)
            return;
        if (!a.after || !(0,rollout/* routingMatches */.qr)(a.after, a.to, {})) {
            a.error = `read back ${(0,rollout/* describeAlias */.IN)(a.after)}, expected version ${a.to} with no routing`;
        }
    }, { maxRegions: order.maxParallel });
}
/**
 * Puts the aliases back: preflight (reads only; nothing written on any problem), one guarded write
 * per alias that is not already at its target (all regions in parallel, a failure in one never
 * stops the others), every alias read back and compared, then the store entries whose deployment is
 * now wholly at rest removed (the guardian stops reading them). A verifying alias (promoted, its
 * last bake not passed) goes back to the stable version its record kept.
 */
async function rollBack(order, logger, now = Date.now) {
    const clients = new AwsClients({ caller: 'rollback' });
    const ctx = lambdaContext({ clients, logger, environment: order.environment });
    const aliases = order.targets.map((t) => ({
        region: t.region,
        target: { region: t.region, functionName: t.function, alias: t.alias },
        to: null,
        before: null,
        after: null,
        wrote: false,
        skipped: null,
        error: null,
    }));
    try {
        const problems = await preflight(ctx, order, aliases, now);
        if (problems.length > 0) {
            for (const a of aliases)
                a.after = a.before;
            return { outcome: 'refused', aliases, message: `refused before any write:\n${problems.join('\n')}\nNothing was written.` };
        }
        // 2. Writes. The preflight's read decides each write; its RevisionId guards it.
        const read = new Set();
        const writes = await forEachTarget(aliases.filter((a) => !a.skipped), async (a) => {
            const done = await rollBackGuarded(ctx, a.target, { to: a.to, run: order.run, ...(order.commit ? { commit: order.commit } : {}), known: a.before });
            a.wrote = done.outcome === 'rolled-back';
            a.after = done.after;
            if (done.afterRead)
                read.add(a);
            if (done.error)
                a.error = messageText(done.error);
            return done;
        }, { maxRegions: order.maxParallel });
        for (const w of writes)
            if (!w.ok)
                w.target.error = messageText(w.error);
        await readBack(ctx, order, aliases, read);
        // 4. The store: a deployment whose every alias is back at rest has nothing left to watch.
        const store = storeContext({ clients, ...(order.storePath ? { path: order.storePath } : {}) });
        const settled = aliases.filter((a) => !a.error);
        const retiring = await Promise.all([...new Set(settled.map((a) => a.region))].map((region) => retireAfterRollback(store, ctx, region, settled.map((a) => ({ region: a.region, function: a.target.functionName, alias: a.target.alias, view: a.after })))));
        const retired = retiring.flatMap((r) => r.retired);
        const notes = retiring.flatMap((r) => r.problems);
        // Each alias written, with the phase it left: a promoted alias whose entry was still there was verifying.
        for (const a of aliases.filter((x) => x.wrote)) {
            const before = recordOf(a.before);
            const watched = retiring.some((r) => r.entries.some((e) => e.alias === a.target.alias && e.functions.includes(a.target.functionName) && e.commit === before?.commit.slice(0, 12)));
            logger.info(`transition ${a.region} ${a.target.functionName}:${a.target.alias}: ${(0,rollout/* phaseTransition */.P0)(before, watched, recordOf(a.after), false, 'rollback')}`);
        }
        for (const name of retired)
            logger.info(`deployment store: ${name} removed (its deployment is rolled back; the guardian stops reading it)`);
        for (const note of notes)
            logger.warn(note);
        const failed = aliases.filter((a) => a.error);
        if (failed.length > 0) {
            return { outcome: 'failed', aliases, message: failed.map((a) => `${a.target.region} ${a.target.functionName}:${a.target.alias}: ${a.error}`).join('\n'), retired, notes };
        }
        return { outcome: 'rolled-back', aliases, message: null, retired, notes };
    }
    catch (error) {
        return { outcome: 'failed', aliases, message: messageText(error) };
    }
    finally {
        clients.destroy();
    }
}


/***/ })

};
