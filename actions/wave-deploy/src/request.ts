// Reads and checks every wave-deploy input before anything touches AWS.
// What can be decided from the inputs alone is decided here (shares, steps, code source, names,
// regions); what needs AWS (functions exist, versions exist) is checked by the preflight reads
// in main.ts, still before the first write.
import { existsSync, statSync } from 'node:fs';
import type { CodeSource } from '../../../packages/deploy/src/wave.js';
import { parseStopAlarms } from '../../../packages/core/src/guardian.js';
import { isRegion, unknownRegionMessage } from '../../../packages/core/src/regions.js';
import { UNQUALIFIED_TRIGGERS, type UnqualifiedTriggers } from '../../../packages/core/src/triggers.js';
import {
  InputError,
  checkVersionOwner,
  isFunctionName,
  parseVersionRef,
  readDuration,
  readChoice,
  readInteger,
  readList,
  readStorePath,
  readShare,
  readShares,
  readString,
  type InputSource,
} from '../../../packages/github/src/inputs.js';

/** The largest share a one-box may take (Amazon: a one-box serves at most 10% of a region). */
export const ONE_BOX_MAX_SHARE = 0.1;

export type { CodeSource };

export type TargetSource =
  | { readonly kind: 'config'; readonly config: string; readonly stage: string; readonly wave: string; readonly alias: string | undefined }
  | { readonly kind: 'explicit'; readonly functions: readonly string[]; readonly regions: readonly string[]; readonly alias: string };

export interface WaveRequest {
  readonly targets: TargetSource;
  readonly code: CodeSource;
  /** Final share for the candidate; undefined means "the wave's share from the config". */
  readonly traffic: number | undefined;
  /** Shares to move through in order (the last one is the final share); empty for one move. */
  readonly steps: readonly number[];
  readonly stepWaitMs: number;
  /** Rollback alarm references; undefined means "the config's rollback alarms". */
  readonly alarms: readonly string[] | undefined;
  readonly maxParallel: number;
  readonly commit: string;
  readonly run: string;
  /** GitHub environment named in the hand-rollback command. */
  readonly environment: string;
  /**
   * What to do when a trigger invokes a function without the alias and the wave would leave the
   * candidate below 100%: `refuse` (nothing is written) or `allow` (warn and go on). Undefined:
   * the config's `unqualified-triggers`, else refuse.
   */
  readonly unqualifiedTriggers: UnqualifiedTriggers | undefined;
  /**
   * How long the deployment is leased to the pipeline, in ms (input `lease`, default 30m; `none` or
   * `0`: no lease). Written into the deployment store before the first shift; the guardian rolls
   * the deployment back once the lease runs out unrenewed (a watching bake-gate renews it).
   */
  readonly leaseMs: number | null;
  /** SAFE_DEPLOY_STOP_ALARMS: while one fires in a region, nothing starts there. */
  readonly stopAlarms: string;
  /** SAFE_DEPLOY_STORE_PATH: Parameter Store path of the deployment store (default /safe-deploy). */
  readonly storePath: string | undefined;
}

/** The lease when the input is empty: a watching bake renews it every lease/3. */
export const DEFAULT_LEASE_MS = 30 * 60_000;
/** Shortest lease: the guardian's sweep runs every minute, a renewal needs headroom over that. */
export const MIN_LEASE_MS = 3 * 60_000;

/** Reads `lease`: a duration (at least 3m), or `none`/`0` for no lease; empty means 30m. */
export function readLease(source: InputSource): number | null {
  const text = source('lease').trim().toLowerCase();
  if (text === 'none' || text === '0' || text === '0s') return null;
  const ms = readDuration(source, 'lease', DEFAULT_LEASE_MS);
  if (ms < MIN_LEASE_MS) {
    throw new InputError('lease', `${source('lease').trim()} is shorter than 3m; the guardian sweeps every minute and a watching bake renews every lease/3, so a shorter lease would expire under a live runner (use none for no lease)`);
  }
  return ms;
}

const ALIAS_NAME = /^(?!^[0-9]+$)[A-Za-z0-9_-]{1,128}$/;

export function checkAlias(input: string, alias: string): string {
  if (alias === '$LATEST' || !ALIAS_NAME.test(alias)) {
    throw new InputError(input, `"${alias}" is not an alias name (letters, digits, - and _, not only digits, not $LATEST)`);
  }
  return alias;
}

export function checkRegions(input: string, regions: readonly string[]): readonly string[] {
  for (const region of regions) {
    if (!isRegion(region)) throw new InputError(input, unknownRegionMessage(region));
  }
  return regions;
}

export function checkFunctions(input: string, functions: readonly string[]): readonly string[] {
  for (const name of functions) {
    if (!isFunctionName(name)) {
      throw new InputError(input, `"${name}" is not a Lambda function name (1 to 64 letters, digits, - and _); give the name, not an ARN`);
    }
  }
  return functions;
}

function readCode(source: InputSource): CodeSource {
  const zip = readString(source, 'zip-file');
  const bucket = readString(source, 's3-bucket');
  const key = readString(source, 's3-key');
  const image = readString(source, 'image-uri');
  const version = readString(source, 'version');
  const given = [zip && 'zip-file', (bucket || key) && 's3-bucket/s3-key', image && 'image-uri', version && 'version'].filter(Boolean) as string[];
  if (given.length > 1) {
    throw new InputError(given[1] === 's3-bucket/s3-key' ? 's3-bucket' : (given[1] as string), `give one code source, not ${given.join(' and ')}`);
  }
  if (zip) {
    if (!existsSync(zip) || !statSync(zip).isFile()) throw new InputError('zip-file', `${zip} does not exist or is not a file`);
    return { kind: 'zip', path: zip };
  }
  if (bucket || key) {
    if (!bucket) throw new InputError('s3-bucket', `is required with s3-key (${key})`);
    if (!key) throw new InputError('s3-key', `is required with s3-bucket (${bucket})`);
    return { kind: 's3', bucket, key };
  }
  if (image) {
    if (!/^\S+\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/\S+(:\S+|@sha256:[0-9a-f]{64})$/.test(image)) {
      throw new InputError('image-uri', `"${image}" is not an Amazon ECR image URI (ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY:TAG or @sha256:DIGEST)`);
    }
    return { kind: 'image', uri: image };
  }
  if (version) return { kind: 'version', ref: parseVersionRef('version', version) };
  return { kind: 'none' };
}

function readTargets(source: InputSource): TargetSource {
  const config = readString(source, 'config');
  const stage = readString(source, 'stage');
  const wave = readString(source, 'wave');
  const functionsText = source('functions').trim();
  const regionsText = source('regions').trim();
  const aliasText = readString(source, 'alias');
  const explicit = functionsText !== '' || regionsText !== '';
  if (config && explicit) {
    throw new InputError(functionsText ? 'functions' : 'regions', 'give either config + stage + wave, or functions + regions, not both');
  }
  if (config || stage || wave) {
    if (!config) throw new InputError('config', `is required with ${stage ? 'stage' : 'wave'}; give the path of the safe-deploy config (for example .github/safe-deploy.yml)`);
    if (!stage) throw new InputError('stage', 'is required with config; name the stage to deploy (for example gamma or prod)');
    if (!wave) throw new InputError('wave', "is required with config; pass a wave id from the plan action's `waves` output (for example prod-onebox)");
    return { kind: 'config', config, stage, wave, alias: aliasText ? checkAlias('alias', aliasText) : undefined };
  }
  if (!explicit) {
    throw new InputError('functions', 'no targets: give functions + regions (+ alias), or config + stage + wave');
  }
  const functions = checkFunctions('functions', readList(source, 'functions', { required: true, hint: 'name at least one Lambda function' }));
  const regions = checkRegions('regions', readList(source, 'regions', { required: true, hint: 'name at least one AWS region' }));
  return { kind: 'explicit', functions, regions, alias: checkAlias('alias', aliasText || 'live') };
}

/** Checks a final share and its steps; returns the steps to take (at least the final share). */
export function checkShares(traffic: number | undefined, steps: readonly number[], oneBox: boolean): { traffic: number | undefined; steps: number[] } {
  let final = traffic;
  if (steps.length > 0) {
    for (let i = 1; i < steps.length; i++) {
      if ((steps[i] as number) <= (steps[i - 1] as number)) {
        throw new InputError('steps', `shares must grow step by step, but ${pct(steps[i] as number)} follows ${pct(steps[i - 1] as number)}`);
      }
    }
    if (steps[0] === 0) throw new InputError('steps', '0% is not a step; use traffic: 0% to publish without moving traffic');
    const last = steps[steps.length - 1] as number;
    if (final === undefined) final = last;
    else if (last !== final) throw new InputError('steps', `the last step (${pct(last)}) must equal traffic (${pct(final)})`);
  }
  if (final !== undefined && final > 0 && final < 1) {
    if (final > ONE_BOX_MAX_SHARE) {
      throw new InputError(
        steps.length > 0 ? 'steps' : 'traffic',
        `${pct(final)} is above the one-box limit of ${pct(ONE_BOX_MAX_SHARE)}: a wave either keeps the candidate on a one-box share (at most 10% of a region) or promotes it to 100%${oneBox ? '' : '; use steps (for example 10%,50%,100%) to pass through larger shares on the way to 100%'}`,
      );
    }
  }
  return { traffic: final, steps: steps.length > 0 ? [...steps] : final === undefined ? [] : [final] };
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100_000) / 1000}%`;
}

function readStopAlarms(env: NodeJS.ProcessEnv): string {
  const text = env.SAFE_DEPLOY_STOP_ALARMS ?? '';
  try {
    parseStopAlarms(text);
  } catch (error) {
    throw new Error(`environment SAFE_DEPLOY_STOP_ALARMS: ${(error as Error).message}`);
  }
  return text;
}

/** Reads every input. Throws an InputError naming the first bad input. */
export function readWaveRequest(source: InputSource, env: NodeJS.ProcessEnv = process.env): WaveRequest {
  const targets = readTargets(source);
  const code = readCode(source);
  if (code.kind === 'version' && targets.kind === 'explicit') checkVersionOwner('version', code.ref, targets.functions);
  const shares = checkShares(readShare(source, 'traffic'), readShares(source, 'steps'), false);
  if (targets.kind === 'explicit' && shares.traffic === undefined) {
    throw new InputError('traffic', 'is required with explicit functions + regions: 10% for a one-box, 100% to promote, 0% to publish only');
  }
  const stepWaitMs = readDuration(source, 'step-wait', 0);
  const alarmsText = source('alarms').trim();
  const commit = readString(source, 'commit') || env.GITHUB_SHA || '';
  if (commit === '') throw new InputError('commit', 'is required outside GitHub Actions (no GITHUB_SHA): name the commit being deployed');
  if (!/^[0-9a-zA-Z._-]{1,64}$/.test(commit)) throw new InputError('commit', `"${commit}" is not a commit id`);
  const environment = readString(source, 'environment') || (targets.kind === 'config' ? targets.stage : '') || env.SAFE_DEPLOY_ENVIRONMENT || 'production';
  return {
    targets,
    code,
    traffic: shares.traffic,
    steps: shares.steps,
    stepWaitMs,
    alarms: alarmsText === '' ? undefined : readList(source, 'alarms'),
    maxParallel: readInteger(source, 'max-parallel', 8, { min: 1, max: 50 }),
    unqualifiedTriggers: source('unqualified-triggers').trim() === '' ? undefined : readChoice(source, 'unqualified-triggers', UNQUALIFIED_TRIGGERS, 'refuse'),
    leaseMs: readLease(source),
    stopAlarms: readStopAlarms(env),
    storePath: readStorePath(env),
    commit,
    run: env.GITHUB_RUN_ID ? `${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `.${env.GITHUB_RUN_ATTEMPT}` : ''}` : 'local',
    environment,
  };
}
