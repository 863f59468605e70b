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
import { createHash } from 'node:crypto';
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  type AliasConfiguration,
  type FunctionConfiguration,
  type UpdateFunctionCodeCommandInput,
} from '@aws-sdk/client-lambda';
import { decodeRecord, type DecodedRecord } from '../../core/src/deployment.js';
import { logSafe } from '../../core/src/log-safe.js';
import {
  checkRouting,
  checkVersionsCompatible,
  decide,
  describeAlias,
  provisionedConcurrencyWarning,
  routingMatches,
  type AliasConfig,
  type AliasState,
  type Intent,
  type VersionSettings,
} from '../../core/src/rollout.js';
import type { AwsClients } from './clients.js';
import { RegionLimiter, realSleep } from './limiter.js';

export { RegionLimiter } from './limiter.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export interface FunctionRef {
  readonly region: string;
  readonly functionName: string;
}

export interface AliasTarget extends FunctionRef {
  readonly alias: string;
}

export interface LambdaContext {
  readonly clients: AwsClients;
  readonly logger: Logger;
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly limiter: RegionLimiter;
  /** Extra attempts after a 409 ResourceConflictException (an update already in progress). */
  readonly conflictRetries: number;
  /** First wait after a 409; doubles each time. */
  readonly conflictDelayMs: number;
  /** Longest wait for a code update to finish, seconds. */
  readonly updateWaitSeconds: number;
  /** GitHub environment named in the command to finish by hand. */
  readonly environment: string;
  /** Called once per control-plane call (tests and benchmarks count them). */
  readonly onCall?: (region: string, operation: string) => void;
}

export interface LambdaContextOptions extends Partial<Omit<LambdaContext, 'clients'>> {
  readonly clients: AwsClients;
}

const silent: Logger = { info: () => {}, warn: () => {} };

export function lambdaContext(options: LambdaContextOptions): LambdaContext {
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

/** An alias as read from Lambda. */
export interface AliasView extends AliasState {
  readonly region: string;
  readonly functionName: string;
  readonly alias: string;
  readonly revision: string | null;
  readonly description: string;
}

export interface AliasChange {
  readonly target: AliasTarget;
  /** False when the alias already was in the intended state (nothing was written). */
  readonly wrote: boolean;
  /** What happened, for logs and summaries. */
  readonly transition: string;
  readonly before: AliasView | null;
  readonly after: AliasView;
}

export type CodeSource =
  | { readonly kind: 'zip'; readonly zipFile: Uint8Array }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string; readonly objectVersion?: string }
  | { readonly kind: 'image'; readonly imageUri: string };

export interface PublishedCandidate {
  readonly version: string;
  readonly codeSha256: string;
  /** True when a version published earlier for the same commit was reused. */
  readonly reused: boolean;
  /** Role and dead-letter target of that version, as Lambda answered (absent when it did not say). */
  readonly settings?: VersionSettings;
}

/** A function's versions as ListVersionsByFunction listed them. */
export interface PublishedVersions {
  /** Every entry, $LATEST included, in Lambda's order. */
  readonly configs: readonly FunctionConfiguration[];
  /** $LATEST's settings (null when the listing did not include it). */
  readonly latest: (VersionSettings & { readonly codeSha256: string | undefined }) | null;
  /** Published versions by number; a published version's settings never change. */
  readonly settings: Map<string, VersionSettings>;
}

/**
 * What the caller of a shift already knows, so the write path does not read it twice.
 * - `alias`: the alias as this run last read it (or null: it did not exist). Used only when it
 *   carries a RevisionId, or is null: the write is then guarded by that RevisionId (or by
 *   CreateAlias failing on an alias that now exists), so a change since the read fails with 412
 *   and is reported, never overwritten. The read-back after the write stays.
 * - `versions`: settings of published versions (immutable once published), for the same-role and
 *   dead-letter preflight; a version missing here is read with GetFunctionConfiguration.
 */
export interface Known {
  readonly alias?: AliasView | null;
  readonly versions?: ReadonlyMap<string, VersionSettings>;
  /** The deployment store watches the record's deployment (a promoted alias is verifying: rollout.ts DecideOptions). */
  readonly watched?: boolean;
}

/** The command a person runs to put a region back on a version. */
export function handCommand(ctx: Pick<LambdaContext, 'environment'>, region: string, version: string, reason = 'finish rollback by hand'): string {
  // Every value is single-quoted for the shell: people paste this line, and the environment and
  // reason are user text (`$(...)` inside double quotes would run on their machine).
  return `gh workflow run rollback.yml -f environment=${shellQuote(ctx.environment)} -f regions=${shellQuote(region)} -f version=${shellQuote(version)} -f reason=${shellQuote(reason)}`;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:,=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Failure on one function or alias: where, which rule, what the alias looks like now, and how to finish by hand. */
export class LambdaDeployError extends Error {
  constructor(
    readonly region: string,
    readonly functionName: string,
    readonly alias: string | null,
    readonly rule: string,
    readonly detail: string,
    readonly current: string,
    readonly command: string | null,
  ) {
    super(
      `${region} ${functionName}${alias ? `:${alias}` : ''}: ${rule}: ${detail}` +
        (alias ? `. Alias now: ${current}` : '') +
        (command ? `. To finish by hand: ${command}` : ''),
    );
    this.name = 'LambdaDeployError';
  }
}

function errorName(error: unknown): string {
  return (error as { name?: string })?.name ?? '';
}

/** True for an IAM refusal (Lambda: 403 AccessDeniedException; other services: AccessDenied). */
export function isAccessDenied(error: unknown): boolean {
  const name = errorName(error);
  return name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'AccessDeniedError';
}

/**
 * A call the role may not make. Named for the IAM action and the resource, so nobody reads it as
 * "not found" or a timeout: the fix is a permission, and iam/ says which policy carries it.
 */
export class AccessDeniedError extends Error {
  constructor(
    readonly action: string,
    readonly resource: string,
    readonly region: string,
    awsMessage: string,
  ) {
    super(`access denied: ${action} on ${resource} in ${region}; the role lacks this permission (see iam/ for the policy of this path): ${logSafe(awsMessage, 400)}`);
    this.name = 'AccessDeniedError';
  }
}

/** `orders-api`, `orders-api:live`, `orders-api:7`: the resource a Lambda call acts on, as IAM sees it. */
function resourceOf(functionName: string, qualifier?: string): string {
  return `function ${functionName}${qualifier ? `:${qualifier}` : ''}`;
}

/**
 * One control-plane call: paced by the region's limiter, counted, retried by the SDK. An access
 * denial becomes an AccessDeniedError naming the action and the resource.
 */
export async function call<T>(ctx: LambdaContext, region: string, operation: string, resource: string, run: () => Promise<T>): Promise<T> {
  try {
    return await ctx.limiter.run(region, () => {
      ctx.onCall?.(region, operation);
      return run();
    });
  } catch (error) {
    if (isAccessDenied(error) && !(error instanceof AccessDeniedError)) throw new AccessDeniedError(`lambda:${operation}`, resource, region, (error as Error).message ?? '');
    throw error;
  }
}

function sameTarget(view: AliasView, target: AliasTarget): boolean {
  return view.region === target.region && view.functionName === target.functionName && view.alias === target.alias;
}

function toView(target: AliasTarget, alias: AliasConfiguration): AliasView {
  const weights: Record<string, number> = { ...(alias.RoutingConfig?.AdditionalVersionWeights ?? {}) };
  const record: DecodedRecord = decodeRecord(alias.Description);
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
export async function readAlias(ctx: LambdaContext, target: AliasTarget): Promise<AliasView | null> {
  try {
    const alias = await call(ctx, target.region, 'GetAlias', resourceOf(target.functionName, target.alias), () =>
      ctx.clients.lambda(target.region).send(new GetAliasCommand({ FunctionName: target.functionName, Name: target.alias })),
    );
    return toView(target, alias);
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') {
      // The alias or the function is missing; a missing function surfaces on the write.
      return null;
    }
    throw error;
  }
}

function stableOf(view: AliasView | null): string {
  if (!view) return '<version>';
  if (view.record.kind === 'record') {
    const r = view.record.record;
    return r.stable;
  }
  return view.version || '<version>';
}

function fail(ctx: LambdaContext, target: AliasTarget, rule: string, detail: string, current: AliasView | null, version?: string): LambdaDeployError {
  return new LambdaDeployError(
    target.region,
    target.functionName,
    target.alias,
    rule,
    detail,
    describeAlias(current),
    handCommand(ctx, target.region, version ?? stableOf(current), `${rule} on ${target.functionName}`),
  );
}

function settingsOf(config: FunctionConfiguration, version: string): VersionSettings {
  return { version, role: config.Role, deadLetterTarget: config.DeadLetterConfig?.TargetArn };
}

async function versionSettings(ctx: LambdaContext, target: AliasTarget, version: string, known?: ReadonlyMap<string, VersionSettings>): Promise<VersionSettings> {
  const cached = known?.get(version);
  if (cached) return cached;
  const config = await call(ctx, target.region, 'GetFunctionConfiguration', resourceOf(target.functionName, version), () =>
    ctx.clients.lambda(target.region).send(new GetFunctionConfigurationCommand({ FunctionName: target.functionName, Qualifier: version })),
  );
  return { version, role: config.Role, deadLetterTarget: config.DeadLetterConfig?.TargetArn };
}

async function aliasProvisionedConcurrency(ctx: LambdaContext, target: AliasTarget): Promise<number> {
  try {
    const config = await call(ctx, target.region, 'GetProvisionedConcurrencyConfig', resourceOf(target.functionName, target.alias), () =>
      ctx.clients
        .lambda(target.region)
        .send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: target.functionName, Qualifier: target.alias })),
    );
    return config.RequestedProvisionedConcurrentExecutions ?? 0;
  } catch (error) {
    const name = errorName(error);
    // 404: no provisioned concurrency on the alias (emulators without the API answer a bare 404 too).
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (name === 'ProvisionedConcurrencyConfigNotFoundException' || name === 'ResourceNotFoundException' || status === 404) return 0;
    throw error;
  }
}

/**
 * Preflight reads for a weighted alias: both versions share role and dead-letter config. Provisioned
 * concurrency on the alias does not stop the shift (AWS allows routing on it); it is read to warn
 * about spillover and about the PC setting being locked while routing is in place.
 */
async function preflightVersions(ctx: LambdaContext, target: AliasTarget, current: AliasView | null, config: AliasConfig, known?: ReadonlyMap<string, VersionSettings>): Promise<void> {
  const extra = Object.keys(config.weights);
  if (extra.length === 0) return;
  const candidate = extra[0] as string;
  const [stable, cand, provisioned] = await Promise.all([
    versionSettings(ctx, target, config.functionVersion, known),
    versionSettings(ctx, target, candidate, known),
    aliasProvisionedConcurrency(ctx, target),
  ]);
  const problem = checkVersionsCompatible(stable, cand);
  if (problem) throw fail(ctx, target, problem.rule, `${problem.message}; nothing was written`, current);
  const warning = provisionedConcurrencyWarning(provisioned, config.weights[candidate] ?? 0);
  if (warning) ctx.logger.warn(`${target.region} ${target.functionName}:${target.alias}: ${warning}`);
}

function routingInput(weights: Readonly<Record<string, number>>) {
  return { AdditionalVersionWeights: { ...weights } };
}

/** Applies one intent to one alias: read, decide, preflight, one guarded write, read back. */
export async function applyIntent(ctx: LambdaContext, target: AliasTarget, intent: Intent, known: Known = {}): Promise<AliasChange> {
  const guarded = known.alias === null || (known.alias !== undefined && known.alias.revision !== null && sameTarget(known.alias, target));
  const before = guarded ? (known.alias as AliasView | null) : await readAlias(ctx, target);
  const decision = decide(before, intent, {
    now: ctx.now() / 1000,
    ...(known.watched ? { watched: true } : {}),
    logger: { info: (message) => ctx.logger.info(`${target.region} ${target.functionName}:${target.alias}: ${message}`) },
  });
  if (decision.kind === 'refuse') {
    throw fail(ctx, target, decision.rule, `${decision.message}; nothing was written`, before);
  }
  if (decision.kind === 'noop') {
    return { target, wrote: false, transition: decision.reason, before, after: before as AliasView };
  }
  const { config } = decision;
  const routing = checkRouting(config.functionVersion, config.weights);
  if (routing) throw fail(ctx, target, routing.rule, `${routing.message}; nothing was written`, before);
  await preflightVersions(ctx, target, before, config, known.versions);

  const lambda = ctx.clients.lambda(target.region);
  for (let attempt = 0; ; attempt += 1) {
    try {
      if (decision.create) {
        await call(ctx, target.region, 'CreateAlias', resourceOf(target.functionName, target.alias), () =>
          lambda.send(
            new CreateAliasCommand({
              FunctionName: target.functionName,
              Name: target.alias,
              FunctionVersion: config.functionVersion,
              Description: config.description,
              ...(Object.keys(config.weights).length > 0 ? { RoutingConfig: routingInput(config.weights) } : {}),
            }),
          ),
        );
      } else {
        await call(ctx, target.region, 'UpdateAlias', resourceOf(target.functionName, target.alias), () =>
          lambda.send(
            new UpdateAliasCommand({
              FunctionName: target.functionName,
              Name: target.alias,
              FunctionVersion: config.functionVersion,
              RoutingConfig: routingInput(config.weights),
              Description: config.description,
              ...(before?.revision ? { RevisionId: before.revision } : {}),
            }),
          ),
        );
      }
      break;
    } catch (error) {
      const name = errorName(error);
      // CreateAlias that meets an alias created since our read: Lambda answers 409
      // ResourceConflictException. Its wording is not documented (moto says "Alias already
      // exists"), so the alias is read again instead of matching the message: if it exists now,
      // someone else created it (or our own lost write did); if not, the 409 was an update in progress.
      const raced = decision.create && name === 'ResourceConflictException' ? await readAlias(ctx, target).catch(() => null) : null;
      if (name === 'PreconditionFailedException' || raced) {
        const now = raced ?? (await readAlias(ctx, target).catch(() => null));
        if (now && routingMatches(now, config.functionVersion, config.weights) && now.description === config.description) {
          // Our own write landed and its answer was lost; the SDK's retry then met the new RevisionId.
          ctx.logger.info(`${target.region} ${target.functionName}:${target.alias}: ${decision.transition} done (the write landed before a lost answer)`);
          return { target, wrote: true, transition: decision.transition, before, after: now };
        }
        throw fail(
          ctx,
          target,
          'alias-changed-concurrently',
          `the alias changed between our read and our write (RevisionId ${before?.revision ?? 'none'}); nothing was written. Read before: ${describeAlias(before)}. Read now: ${describeAlias(now)}`,
          now,
        );
      }
      if (name === 'ResourceConflictException' && attempt < ctx.conflictRetries) {
        const wait = ctx.conflictDelayMs * 2 ** attempt;
        ctx.logger.warn(`${target.region} ${target.functionName}:${target.alias}: update in progress (409), retrying in ${wait} ms (${attempt + 1}/${ctx.conflictRetries})`);
        await ctx.sleep(wait);
        continue;
      }
      const current = await readAlias(ctx, target).catch(() => before);
      if (error instanceof AccessDeniedError) throw fail(ctx, target, 'access-denied', `${decision.transition} failed: ${error.message}`, current);
      throw fail(ctx, target, name === 'ResourceConflictException' ? 'update-in-progress' : 'write-failed', `${decision.transition} failed: ${logSafe((error as Error).message, 400)}`, current);
    }
  }

  const after = await readAlias(ctx, target);
  if (!after || !routingMatches(after, config.functionVersion, config.weights) || after.description !== config.description) {
    throw fail(
      ctx,
      target,
      'read-back-mismatch',
      `after ${decision.transition} the alias reads ${describeAlias(after)}, expected ${describeAlias({ version: config.functionVersion, weights: config.weights, record: { kind: 'record', record: config.record } })}`,
      after,
    );
  }
  ctx.logger.info(`${target.region} ${target.functionName}:${target.alias}: ${decision.transition} done (${describeAlias(after)})`);
  return { target, wrote: true, transition: decision.transition, before, after };
}

export interface ShiftOptions {
  readonly candidate: string;
  /** Share of traffic for the candidate, 0..1; 1 promotes. */
  readonly weight: number;
  readonly commit: string;
  readonly run: string;
  readonly state?: 'shifting' | 'baking';
  /** What the caller already read (see `Known`). */
  readonly known?: Known;
}

export function shiftTraffic(ctx: LambdaContext, target: AliasTarget, options: ShiftOptions): Promise<AliasChange> {
  const { known, ...intent } = options;
  return applyIntent(ctx, target, { kind: 'shift', ...intent }, known);
}

export function promote(ctx: LambdaContext, target: AliasTarget, options: { candidate?: string; commit: string; run: string }): Promise<AliasChange> {
  return applyIntent(ctx, target, { kind: 'promote', ...options });
}

export interface RollbackOptions {
  /** `previous` (the recorded stable version) or a published version number. */
  readonly to: 'previous' | string;
  readonly run: string;
  readonly commit?: string;
  /** What the caller already read (see `Known`). */
  readonly known?: Known;
}

export function rollbackAlias(ctx: LambdaContext, target: AliasTarget, options: RollbackOptions): Promise<AliasChange> {
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
export function versionDescription(commit: string, run: string, codeSha256?: string): string {
  return `${DESCRIPTION_PREFIX} commit=${commit} run=${run}${codeSha256 ? ` code=${codeSha256}` : ''}`.slice(0, 256);
}

export function commitOfDescription(description: string | undefined): string | null {
  const match = /^safe-deploy commit=(\S+)/.exec(description ?? '');
  return match ? (match[1] as string) : null;
}

/** Lambda's CodeSha256 of a zip deployment package: base64 of its SHA-256. */
export function zipCodeSha256(zip: Uint8Array): string {
  return createHash('sha256').update(zip).digest('base64');
}

async function listVersionPages(ctx: LambdaContext, ref: FunctionRef): Promise<FunctionConfiguration[]> {
  let marker: string | undefined;
  const configs: FunctionConfiguration[] = [];
  do {
    const page = await call(ctx, ref.region, 'ListVersionsByFunction', resourceOf(ref.functionName), () =>
      ctx.clients.lambda(ref.region).send(new ListVersionsByFunctionCommand({ FunctionName: ref.functionName, Marker: marker, MaxItems: 50 })),
    );
    configs.push(...(page.Versions ?? []));
    marker = page.NextMarker;
  } while (marker);
  return configs;
}

function versionsOf(configs: readonly FunctionConfiguration[]): PublishedVersions {
  const settings = new Map<string, VersionSettings>();
  let latest: PublishedVersions['latest'] = null;
  for (const config of configs) {
    if (config.Version === '$LATEST') latest = { ...settingsOf(config, '$LATEST'), codeSha256: config.CodeSha256 };
    else if (config.Version) settings.set(config.Version, settingsOf(config, config.Version));
  }
  return { configs, latest, settings };
}

/**
 * Every version of a function (all pages of ListVersionsByFunction), with role and dead-letter
 * target. Null when the function does not exist; any other failure is thrown.
 */
export async function listVersions(ctx: LambdaContext, ref: FunctionRef): Promise<PublishedVersions | null> {
  try {
    return versionsOf(await listVersionPages(ctx, ref));
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return null;
    throw error;
  }
}

function findPublishedIn(configs: readonly FunctionConfiguration[], commit: string): FunctionConfiguration | null {
  let found: FunctionConfiguration | null = null;
  for (const version of configs) {
    if (version.Version && version.Version !== '$LATEST' && commitOfDescription(version.Description) === commit) {
      if (!found || Number(version.Version) > Number(found.Version)) found = version;
    }
  }
  return found;
}

function highestVersion(configs: readonly FunctionConfiguration[]): number {
  return configs.reduce((max, c) => (c.Version && /^\d+$/.test(c.Version) ? Math.max(max, Number(c.Version)) : max), 0);
}

function functionError(ctx: LambdaContext, ref: FunctionRef, rule: string, detail: string): LambdaDeployError {
  return new LambdaDeployError(ref.region, ref.functionName, null, rule, detail, '', null);
}

/**
 * Polls GetFunction (its own 100 requests/s quota, so outside the control-plane pacing, as the
 * SDK's waiters are) with the context's clock until `done` says the configuration is ready, or
 * throws. Unlike the SDK waiters, which retry on every exception, an access denial fails at once,
 * naming lambda:GetFunction, and a missing function is reported as such; other errors (throttling
 * beyond the SDK's retries, 5xx) are retried until the deadline like a pending state.
 */
async function pollFunction(
  ctx: LambdaContext,
  ref: FunctionRef,
  qualifier: string | undefined,
  what: string,
  done: (config: FunctionConfiguration) => { readonly ok: true } | { readonly ok: false; readonly error: string } | null,
): Promise<FunctionConfiguration> {
  const deadline = ctx.now() + ctx.updateWaitSeconds * 1000;
  let delay = 1000;
  let last = 'no answer yet';
  for (;;) {
    try {
      const answer = await ctx.clients.lambda(ref.region).send(new GetFunctionCommand({ FunctionName: ref.functionName, ...(qualifier ? { Qualifier: qualifier } : {}) }));
      const config = answer.Configuration ?? {};
      const verdict = done(config);
      if (verdict?.ok) return config;
      if (verdict && !verdict.ok) throw functionError(ctx, ref, qualifier ? 'version-failed' : 'code-update-failed', verdict.error);
      last = `State ${config.State ?? '?'}, LastUpdateStatus ${config.LastUpdateStatus ?? '?'}`;
    } catch (error) {
      if (error instanceof LambdaDeployError) throw error;
      if (isAccessDenied(error)) throw new AccessDeniedError('lambda:GetFunction', resourceOf(ref.functionName, qualifier), ref.region, (error as Error).message ?? '');
      if (errorName(error) === 'ResourceNotFoundException') throw functionError(ctx, ref, 'not-found', `${resourceOf(ref.functionName, qualifier)} does not exist while waiting for ${what}`);
      last = logSafe(`${errorName(error)}: ${(error as Error).message}`, 300);
    }
    if (ctx.now() >= deadline) {
      throw functionError(ctx, ref, qualifier ? 'version-not-active' : 'code-update-failed', `${what} did not finish within ${ctx.updateWaitSeconds}s (last read: ${last})`);
    }
    await ctx.sleep(Math.min(delay, Math.max(1, deadline - ctx.now())));
    delay = Math.min(delay * 2, 10_000);
  }
}

/** Waits for a code update of $LATEST to finish (LastUpdateStatus Successful); Failed stops with its reason. */
function waitForCodeUpdate(ctx: LambdaContext, ref: FunctionRef): Promise<FunctionConfiguration> {
  return pollFunction(ctx, ref, undefined, 'the code update', (config) => {
    const status = config.LastUpdateStatus;
    if (status === undefined || status === 'Successful') return { ok: true };
    if (status === 'Failed') return { ok: false, error: `the code update ended Failed: ${logSafe(config.LastUpdateStatusReasonCode ?? '', 80)} ${logSafe(config.LastUpdateStatusReason ?? '', 300)}`.trim() };
    return null;
  });
}

/**
 * Waits until a published version is `Active` before any traffic reaches it: a version can start
 * `Pending` (SnapStart, VPC, images), and invoking it then fails (SnapStartNotReadyException) with
 * errors that count as neither Invocations nor Errors, so no bake would see them. `Failed` (or
 * `Inactive`) stops with Lambda's reason.
 */
function waitForActive(ctx: LambdaContext, ref: FunctionRef, version: string): Promise<FunctionConfiguration> {
  return pollFunction(ctx, ref, version, `version ${version} to become Active`, (config) => {
    if (config.State === 'Active') return { ok: true };
    if (config.State === 'Failed' || config.State === 'Inactive') {
      return { ok: false, error: `version ${version} is ${config.State}: ${logSafe(config.StateReasonCode ?? '', 80)} ${logSafe(config.StateReason ?? '', 300)}; no traffic was moved to it`.trim() };
    }
    return null;
  });
}

/** The version a published or listed configuration names, once it is Active. */
async function activeCandidate(ctx: LambdaContext, ref: FunctionRef, config: FunctionConfiguration, reused: boolean, codeSha256: string): Promise<PublishedCandidate> {
  const version = config.Version as string;
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
export async function publishCandidate(
  ctx: LambdaContext,
  ref: FunctionRef,
  options: { readonly code?: CodeSource; readonly commit: string; readonly run: string; readonly versions?: PublishedVersions },
): Promise<PublishedCandidate> {
  if (!options.commit) throw functionError(ctx, ref, 'missing-commit', 'a commit is needed to label the published version');
  const lambda = ctx.clients.lambda(ref.region);
  const configs = options.versions?.configs ?? (await listVersionPages(ctx, ref));
  const highest = highestVersion(configs);
  const existing = findPublishedIn(configs, options.commit);
  const where = `${ref.region} ${ref.functionName}`;
  let warned = false;
  const reuseIfSame = async (codeSha256: string | undefined): Promise<PublishedCandidate | null> => {
    if (!existing?.Version || !codeSha256) return null;
    if (existing.CodeSha256 === codeSha256) {
      ctx.logger.info(`${where}: reusing version ${existing.Version} published for commit ${options.commit} (same CodeSha256 ${logSafe(codeSha256, 64)})`);
      return activeCandidate(ctx, ref, existing, true, codeSha256);
    }
    if (warned) return null;
    warned = true;
    ctx.logger.warn(
      `${where}: version ${existing.Version} carries commit ${options.commit} in its description, but its code (CodeSha256 ${logSafe(existing.CodeSha256 ?? 'unknown', 64)}) is not the code given (${logSafe(codeSha256, 64)}): not reused, a new version is published`,
    );
    return null;
  };

  if (options.code?.kind === 'zip') {
    const reused = await reuseIfSame(zipCodeSha256(options.code.zipFile));
    if (reused) return reused;
  }

  let codeSha256: string | undefined;
  let revision: string | undefined;
  if (options.code) {
    const input: UpdateFunctionCodeCommandInput = { FunctionName: ref.functionName, Publish: false };
    if (options.code.kind === 'zip') input.ZipFile = options.code.zipFile;
    else if (options.code.kind === 's3') Object.assign(input, { S3Bucket: options.code.bucket, S3Key: options.code.key, S3ObjectVersion: options.code.objectVersion });
    else input.ImageUri = options.code.imageUri;
    const updated = await call(ctx, ref.region, 'UpdateFunctionCode', resourceOf(ref.functionName), () => lambda.send(new UpdateFunctionCodeCommand(input)));
    codeSha256 = updated.CodeSha256;
    revision = updated.RevisionId;
    const waited = await waitForCodeUpdate(ctx, ref);
    revision = waited.RevisionId ?? revision;
    codeSha256 = waited.CodeSha256 ?? codeSha256;
    if (options.code.kind !== 'zip') {
      const reused = await reuseIfSame(codeSha256);
      if (reused) return reused;
    }
  } else {
    // No code given: the candidate is what $LATEST holds. The listing already says its CodeSha256,
    // so a re-run reuses this commit's version without another read when the code is the same.
    const listed = options.versions?.latest?.codeSha256 ?? configs.find((c) => c.Version === '$LATEST')?.CodeSha256;
    if (listed) {
      const reused = await reuseIfSame(listed);
      if (reused) return reused;
    }
    const latest = await call(ctx, ref.region, 'GetFunctionConfiguration', resourceOf(ref.functionName), () =>
      lambda.send(new GetFunctionConfigurationCommand({ FunctionName: ref.functionName })),
    );
    codeSha256 = latest.CodeSha256;
    revision = latest.RevisionId;
    if (codeSha256 !== listed) {
      const reused = await reuseIfSame(codeSha256);
      if (reused) return reused;
    }
  }

  const description = versionDescription(options.commit, options.run, codeSha256);
  let published: FunctionConfiguration;
  try {
    published = await call(ctx, ref.region, 'PublishVersion', resourceOf(ref.functionName), () =>
      lambda.send(
        new PublishVersionCommand({
          FunctionName: ref.functionName,
          CodeSha256: codeSha256,
          Description: description,
          ...(revision ? { RevisionId: revision } : {}),
        }),
      ),
    );
  } catch (error) {
    if (error instanceof AccessDeniedError) throw error;
    // A CodeSha256 that no longer matches $LATEST: AWS answers InvalidParameterValueException
    // ("CodeSHA256 (…) is different from current CodeSHA256 in $LATEST"); a stale RevisionId is 412.
    if (errorName(error) === 'PreconditionFailedException' || /CodeSha256/i.test(String((error as Error).message))) {
      throw functionError(ctx, ref, 'code-changed-concurrently', `$LATEST changed after our update (CodeSha256 ${logSafe(codeSha256 ?? '', 64)}); nothing was published: ${logSafe((error as Error).message, 300)}`);
    }
    throw functionError(ctx, ref, 'publish-failed', logSafe((error as Error).message, 400));
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
    throw functionError(
      ctx,
      ref,
      'code-unchanged',
      `code unchanged: no new version. PublishVersion returned the existing version ${published.Version} ("${logSafe(published.Description ?? '', 120)}", CodeSha256 ${logSafe(published.CodeSha256 ?? '', 64)}) because the code and configuration equal it, so it is not deployed as a new candidate and no alias was changed. Build code that differs, or redeploy a known version with the \`version\` input`,
    );
  }
  ctx.logger.info(`${where}: published version ${published.Version} (CodeSha256 ${logSafe(published.CodeSha256 ?? '', 64)})`);
  return activeCandidate(ctx, ref, published, false, codeSha256 ?? '');
}

// ---------------------------------------------------------------- parallel

export type Outcome<T, R> = { readonly target: T; readonly ok: true; readonly value: R } | { readonly target: T; readonly ok: false; readonly error: Error };

/**
 * Runs `fn` for every target: regions in parallel (at most `maxRegions` at once), the targets of
 * one region together, their calls paced by the context's per-region limiter. Never rejects:
 * every target gets an outcome, in input order, so a rollback reaches every region even when
 * one fails.
 */
export async function forEachTarget<T extends { readonly region: string }, R>(
  targets: readonly T[],
  fn: (target: T) => Promise<R>,
  options: { readonly maxRegions?: number } = {},
): Promise<Outcome<T, R>[]> {
  const byRegion = new Map<string, number[]>();
  targets.forEach((target, index) => {
    const list = byRegion.get(target.region) ?? [];
    list.push(index);
    byRegion.set(target.region, list);
  });
  const outcomes: Outcome<T, R>[] = new Array(targets.length);
  const regions = [...byRegion.values()];
  const width = Math.max(1, Math.min(options.maxRegions ?? regions.length, regions.length));
  let next = 0;
  async function worker(): Promise<void> {
    while (next < regions.length) {
      const indexes = regions[next++] as number[];
      await Promise.all(
        indexes.map(async (index) => {
          const target = targets[index] as T;
          try {
            outcomes[index] = { target, ok: true, value: await fn(target) };
          } catch (error) {
            outcomes[index] = { target, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
          }
        }),
      );
    }
  }
  await Promise.all(Array.from({ length: width }, () => worker()));
  return outcomes;
}
