export const id = 753;
export const ids = [753];
export const modules = {

/***/ 8753:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  rollBack: () => (/* binding */ rollBack)
});

// EXTERNAL MODULE: ./packages/core/src/log-safe.ts
var log_safe = __webpack_require__(5745);
// EXTERNAL MODULE: ./packages/core/src/rollout.ts
var rollout = __webpack_require__(4980);
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./packages/core/src/deployment.ts + 18 modules
var deployment = __webpack_require__(4572);
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
        super(`access denied: ${action} on ${resource} in ${region}; the role lacks this permission (see iam/ for the policy of this path): ${(0,log_safe/* logSafe */.s)(awsMessage, 400)}`);
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
            throw fail(ctx, target, name === 'ResourceConflictException' ? 'update-in-progress' : 'write-failed', `${decision.transition} failed: ${(0,log_safe/* logSafe */.s)(error.message, 400)}`, current);
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



function isNotFound(error) {
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
        if (isNotFound(error))
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
        if (!isNotFound(error))
            throw error;
    }
    try {
        const url = await call(ctx, ref.region, 'GetFunctionUrlConfig', resource, () => lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: ref.functionName })));
        if (url.FunctionUrl && runsLatest(url.FunctionArn ?? ref.functionName))
            found.push({ kind: 'function-url', url: url.FunctionUrl, authType: url.AuthType ?? '?' });
    }
    catch (error) {
        if (!isNotFound(error))
            throw error;
    }
    return found;
}

;// CONCATENATED MODULE: ./actions/rollback/src/rollback.ts
// The rollback itself: preflight reads, one guarded write per alias that is not already at its
// target (all regions in parallel), then every alias read back and compared.
// Loaded with a dynamic import after the inputs are valid, because it pulls in the AWS SDK.





/** An error as one log-safe text (AWS messages can carry anything). */
function errorText(error) {
    const e = error;
    return (0,log_safe/* logSafe */.s)(e?.message ?? String(error), 4000);
}
function recordOf(view) {
    return view?.record.kind === 'record' ? view.record.record : null;
}
async function rollBack(request, logger, now = Date.now) {
    const clients = new AwsClients({ caller: 'rollback' });
    const ctx = lambdaContext({ clients, logger, environment: request.environment });
    const aliases = request.targets.map((t) => ({
        region: t.region,
        target: { region: t.region, functionName: t.function, alias: t.alias },
        to: null,
        before: null,
        after: null,
        wrote: false,
        skipped: null,
        error: null,
    }));
    const explicit = request.to === 'previous' ? null : request.to.version;
    try {
        // 1. Preflight: reads only. Every problem is collected; nothing is written if there is one.
        const checks = await forEachTarget(aliases, async (a) => {
            const t = a.target;
            const ref = { region: t.region, functionName: t.functionName };
            const source = request.deployment ? 'deployment' : 'functions';
            if (!(await readFunctionSettings(ctx, ref)))
                return [`input ${source}: function ${t.functionName} does not exist in ${t.region}`];
            a.before = await readAlias(ctx, t);
            if (!a.before)
                return [`input ${source}: alias ${t.alias} of ${t.functionName} does not exist in ${t.region}; there is nothing to roll back`];
            const record = recordOf(a.before);
            if (request.onlyCommit && record?.commit !== request.onlyCommit.slice(0, 12)) {
                a.skipped = `record names commit ${record?.commit || 'none'}, not ${request.onlyCommit.slice(0, 12)}: left as it is`;
                a.to = a.before.version;
                return [];
            }
            if (explicit) {
                if (!(await readFunctionSettings(ctx, ref, explicit))) {
                    return [`input to: version ${explicit} does not exist for function ${t.functionName} in ${t.region}; versions are numbered per function, so a number taken from another function or region does not carry over`];
                }
            }
            const recorded = request.targets.find((x) => x.region === t.region && x.function === t.functionName && x.alias === t.alias)?.recordedStable;
            const to = explicit ?? recorded ?? 'previous';
            const decision = (0,rollout/* decide */.LD)(a.before, { kind: 'rollback', to, run: request.run, ...(request.commit ? { commit: request.commit } : {}) }, { now: now() / 1000 });
            if (decision.kind === 'refuse')
                return [`${t.region} ${t.functionName}:${t.alias}: ${decision.rule}: ${decision.message}. Alias now: ${(0,rollout/* describeAlias */.IN)(a.before)}`];
            a.to = decision.kind === 'write' ? decision.config.functionVersion : to === 'previous' ? (record?.stable ?? a.before.version) : to;
            return [];
        }, { maxRegions: request.maxParallel });
        const problems = checks.flatMap((c) => (c.ok ? c.value : [`${c.target.target.region} ${c.target.target.functionName}: cannot read before rolling back: ${errorText(c.error)}`]));
        if (problems.length > 0) {
            for (const a of aliases)
                a.after = a.before;
            return { outcome: 'refused', aliases, message: `refused before any write:\n${problems.join('\n')}\nNothing was written.` };
        }
        // 2. Writes: every region in parallel; a failure in one never stops the others.
        const writes = await forEachTarget(aliases.filter((a) => !a.skipped), async (a) => {
            // The preflight's read decides the write; its RevisionId guards it, so a change since fails instead of being overwritten.
            const change = await rollbackAlias(ctx, a.target, { to: a.to, run: request.run, ...(request.commit ? { commit: request.commit } : {}), known: { alias: a.before } });
            a.wrote = change.wrote;
            a.after = change.after;
            return change;
        }, { maxRegions: request.maxParallel });
        for (const w of writes)
            if (!w.ok)
                w.target.error = errorText(w.error);
        // 3. Every alias as read back, compared with its target.
        await forEachTarget(aliases, async (a) => {
            try {
                // An alias written in step 2 was read back right after its write (lambda.ts); read the others now.
                if (!a.wrote)
                    a.after = await readAlias(ctx, a.target);
            }
            catch (error) {
                a.error = a.error ?? `cannot read the alias back: ${errorText(error)}`;
                return;
            }
            if (a.skipped || a.error)
                return;
            if (!a.after || !(0,rollout/* routingMatches */.qr)(a.after, a.to, {})) {
                a.error = `read back ${(0,rollout/* describeAlias */.IN)(a.after)}, expected version ${a.to} with no routing`;
            }
        }, { maxRegions: request.maxParallel });
        const failed = aliases.filter((a) => a.error);
        if (failed.length > 0) {
            return { outcome: 'failed', aliases, message: failed.map((a) => `${a.target.region} ${a.target.functionName}:${a.target.alias}: ${a.error}`).join('\n') };
        }
        return { outcome: 'rolled-back', aliases, message: null };
    }
    catch (error) {
        return { outcome: 'failed', aliases, message: errorText(error) };
    }
    finally {
        clients.destroy();
    }
}


/***/ })

};
