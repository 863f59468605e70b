export const id = 753;
export const ids = [753];
export const modules = {

/***/ 8753:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  rollBack: () => (/* binding */ rollBack)
});

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
    constructor(options = {}) {
        this.options = options;
    }
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
    destroy() {
        for (const client of [...this.lambdas.values(), ...this.cloudwatches.values()])
            client.destroy();
        this.lambdas.clear();
        this.cloudwatches.clear();
    }
}

;// CONCATENATED MODULE: ./packages/aws/src/function-reads.ts
// Preflight reads of functions and versions, for the checks wave-deploy and rollback make before
// their first write: does the function exist in this region, does this version exist and belong to
// it, which execution role and dead-letter target does it carry. One GetFunctionConfiguration per
// question, paced by the same per-region limiter as every other Lambda call (see lambda.ts).

/**
 * Reads a function (its $LATEST) or one of its published versions. Null when the function, or
 * that version of it, does not exist; any other failure (access denied, throttling past the
 * SDK's retries) is thrown, so a preflight never mistakes "cannot read" for "absent".
 */
async function readFunctionSettings(ctx, ref, version) {
    try {
        const config = await ctx.limiter.run(ref.region, () => {
            ctx.onCall?.(ref.region, 'GetFunctionConfiguration');
            return ctx.clients
                .lambda(ref.region)
                .send(new client_lambda_dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: ref.functionName, ...(version ? { Qualifier: version } : {}) }));
        });
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
        if (error.name === 'ResourceNotFoundException')
            return null;
        throw error;
    }
}

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
 *     image URI, waits with `waitUntilFunctionUpdatedV2`, publishes guarded by CodeSha256 with the
 *     description `safe-deploy commit=<sha> run=<id>`. A re-run for the same commit finds that
 *     version (ListVersionsByFunction) and reuses it without touching the function. No `code`
 *     publishes what $LATEST holds.
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
 * times; throttling and 5xx → the SDK's standard retries. Errors are LambdaDeployError: region,
 * function, alias, rule, the alias's current state and the one command to finish by hand.
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
/** One control-plane call: paced by the region's limiter, counted, retried by the SDK. */
async function call(ctx, region, operation, run) {
    return ctx.limiter.run(region, () => {
        ctx.onCall?.(region, operation);
        return run();
    });
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
        const alias = await call(ctx, target.region, 'GetAlias', () => ctx.clients.lambda(target.region).send(new client_lambda_dist_cjs/* GetAliasCommand */.MES({ FunctionName: target.functionName, Name: target.alias })));
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
    const config = await call(ctx, target.region, 'GetFunctionConfiguration', () => ctx.clients.lambda(target.region).send(new client_lambda_dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: target.functionName, Qualifier: version })));
    return { version, role: config.Role, deadLetterTarget: config.DeadLetterConfig?.TargetArn };
}
async function aliasProvisionedConcurrency(ctx, target) {
    try {
        const config = await call(ctx, target.region, 'GetProvisionedConcurrencyConfig', () => ctx.clients
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
/** Preflight reads for a weighted alias: both versions share role and dead-letter config; no provisioned concurrency. */
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
    const problem = (0,rollout/* checkVersionsCompatible */.OS)(stable, cand, provisioned);
    if (problem)
        throw fail(ctx, target, problem.rule, `${problem.message}; nothing was written`, current);
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
                await call(ctx, target.region, 'CreateAlias', () => lambda.send(new client_lambda_dist_cjs/* CreateAliasCommand */.W_e({
                    FunctionName: target.functionName,
                    Name: target.alias,
                    FunctionVersion: config.functionVersion,
                    Description: config.description,
                    ...(Object.keys(config.weights).length > 0 ? { RoutingConfig: routingInput(config.weights) } : {}),
                })));
            }
            else {
                await call(ctx, target.region, 'UpdateAlias', () => lambda.send(new client_lambda_dist_cjs/* UpdateAliasCommand */.lqC({
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
            if (name === 'PreconditionFailedException' || (decision.create && name === 'ResourceConflictException' && /exist/i.test(String(error.message)))) {
                const now = await readAlias(ctx, target).catch(() => null);
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
            throw fail(ctx, target, name === 'ResourceConflictException' ? 'update-in-progress' : 'write-failed', `${decision.transition} failed: ${error.message}`, current);
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
/** The description of a published version: commit and run id. */
function versionDescription(commit, run) {
    return `${DESCRIPTION_PREFIX} commit=${commit} run=${run}`.slice(0, 256);
}
function commitOfDescription(description) {
    const match = /^safe-deploy commit=(\S+)/.exec(description ?? '');
    return match ? match[1] : null;
}
async function listVersionPages(ctx, ref) {
    let marker;
    const configs = [];
    do {
        const page = await call(ctx, ref.region, 'ListVersionsByFunction', () => ctx.clients.lambda(ref.region).send(new ListVersionsByFunctionCommand({ FunctionName: ref.functionName, Marker: marker, MaxItems: 50 })));
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
function functionError(ctx, ref, rule, detail) {
    return new LambdaDeployError(ref.region, ref.functionName, null, rule, detail, '', null);
}
/** Publishes the candidate version for a commit, or reuses the one a previous run published. */
async function publishCandidate(ctx, ref, options) {
    if (!options.commit)
        throw functionError(ctx, ref, 'missing-commit', 'a commit is needed to label the published version');
    const lambda = ctx.clients.lambda(ref.region);
    const existing = findPublishedIn(options.versions?.configs ?? (await listVersionPages(ctx, ref)), options.commit);
    if (existing?.Version) {
        ctx.logger.info(`${ref.region} ${ref.functionName}: reusing version ${existing.Version} published for commit ${options.commit}`);
        return { version: existing.Version, codeSha256: existing.CodeSha256 ?? '', reused: true, ...(existing.Role ? { settings: settingsOf(existing, existing.Version) } : {}) };
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
        const updated = await call(ctx, ref.region, 'UpdateFunctionCode', () => lambda.send(new UpdateFunctionCodeCommand(input)));
        codeSha256 = updated.CodeSha256;
        revision = updated.RevisionId;
        const waited = await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: ctx.updateWaitSeconds, minDelay: 1, maxDelay: 10 }, { FunctionName: ref.functionName }).catch((error) => {
            throw functionError(ctx, ref, 'code-update-failed', `the code update did not finish: ${error.message}`);
        });
        const status = waited.reason?.Configuration?.LastUpdateStatus;
        if (status && status !== 'Successful') {
            throw functionError(ctx, ref, 'code-update-failed', `the code update ended ${status}: ${waited.reason?.Configuration?.LastUpdateStatusReason ?? ''}`);
        }
        revision = waited.reason?.Configuration?.RevisionId ?? revision;
    }
    else {
        const latest = await call(ctx, ref.region, 'GetFunctionConfiguration', () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: ref.functionName })));
        codeSha256 = latest.CodeSha256;
        revision = latest.RevisionId;
    }
    try {
        const published = await call(ctx, ref.region, 'PublishVersion', () => lambda.send(new PublishVersionCommand({
            FunctionName: ref.functionName,
            CodeSha256: codeSha256,
            Description: versionDescription(options.commit, options.run),
            ...(revision ? { RevisionId: revision } : {}),
        })));
        if (!published.Version || published.Version === '$LATEST') {
            throw functionError(ctx, ref, 'publish-failed', `PublishVersion returned no version number`);
        }
        ctx.logger.info(`${ref.region} ${ref.functionName}: published version ${published.Version} (CodeSha256 ${published.CodeSha256})`);
        return {
            version: published.Version,
            codeSha256: published.CodeSha256 ?? codeSha256 ?? '',
            reused: false,
            ...(published.Role ? { settings: settingsOf(published, published.Version) } : {}),
        };
    }
    catch (error) {
        if (error instanceof LambdaDeployError)
            throw error;
        if (errorName(error) === 'PreconditionFailedException' || /CodeSha256/i.test(String(error.message))) {
            throw functionError(ctx, ref, 'code-changed-concurrently', `$LATEST changed after our update (CodeSha256 ${codeSha256}); nothing was published: ${error.message}`);
        }
        throw functionError(ctx, ref, 'publish-failed', error.message);
    }
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

;// CONCATENATED MODULE: ./actions/rollback/src/rollback.ts
// The rollback itself: preflight reads, one guarded write per alias that is not already at its
// target (all regions in parallel), then every alias read back and compared.
// Loaded with a dynamic import after the inputs are valid, because it pulls in the AWS SDK.




function errorText(error) {
    const e = error;
    return e?.message ?? String(error);
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
