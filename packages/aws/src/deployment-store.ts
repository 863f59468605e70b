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
import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
  SSMClient,
  type Parameter,
} from '@aws-sdk/client-ssm';
import {
  DEFAULT_STORE_PATH,
  checkStorePath,
  decodeEntry,
  encodeEntry,
  entryName,
  type DeploymentEntry,
} from '../../core/src/guardian-entry.js';
import type { ListedEntry } from '../../core/src/guardian.js';
import type { AwsClients } from './clients.js';
import { RegionLimiter, realSleep } from './limiter.js';

export interface StoreContext {
  readonly clients: AwsClients;
  /** Parameter Store path every entry lives under (default /safe-deploy). */
  readonly path: string;
  readonly limiter: RegionLimiter;
  /** Called once per call (tests count them). */
  readonly onCall?: (region: string, operation: string) => void;
}

export interface StoreContextOptions {
  readonly clients: AwsClients;
  readonly path?: string;
  readonly limiter?: RegionLimiter;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly onCall?: (region: string, operation: string) => void;
}

/** Store calls per region and counting window: well under Parameter Store's default throughput. */
export const STORE_CALLS_PER_SECOND = 3;

export function storeContext(options: StoreContextOptions): StoreContext {
  return {
    clients: options.clients,
    path: checkStorePath(options.path ?? DEFAULT_STORE_PATH),
    limiter: options.limiter ?? new RegionLimiter({ ratePerSecond: STORE_CALLS_PER_SECOND, concurrency: STORE_CALLS_PER_SECOND, sleep: options.sleep ?? realSleep, now: options.now }),
    onCall: options.onCall,
  };
}

export class StoreError extends Error {
  constructor(
    readonly region: string,
    readonly operation: string,
    readonly parameter: string,
    cause: unknown,
  ) {
    const error = cause as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const name = error?.name ?? 'Error';
    const hint =
      /AccessDenied|NotAuthorized/i.test(name) || error?.$metadata?.httpStatusCode === 403
        ? ` (the role needs ssm:${operation} on ${parameter})`
        : /Throttl|TooManyRequests|RateExceeded/i.test(name)
          ? ' (throttled past the SDK retries; Parameter Store throughput is shared by the account and region)'
          : '';
    super(`Parameter Store ${operation} of ${parameter} in ${region} failed: ${name}: ${error?.message ?? String(cause)}${hint}`);
    this.name = 'StoreError';
  }
}

function ssm(ctx: StoreContext, region: string): SSMClient {
  return ctx.clients.other('ssm', region, (config) => new SSMClient(config));
}

async function call<T>(ctx: StoreContext, region: string, operation: string, parameter: string, send: () => Promise<T>): Promise<T> {
  return ctx.limiter.run(region, async () => {
    ctx.onCall?.(region, operation);
    try {
      return await send();
    } catch (error) {
      throw new StoreError(region, operation, parameter, error);
    }
  });
}

function isNotFound(error: unknown): boolean {
  return error instanceof StoreError && /ParameterNotFound/.test(error.message);
}

/** Writes (or overwrites) the deployment's entry in one region. */
export async function writeDeployment(ctx: StoreContext, region: string, entry: DeploymentEntry): Promise<{ name: string; version: number }> {
  const name = entryName(ctx.path, entry);
  const value = encodeEntry(entry);
  const answer = await call(ctx, region, 'PutParameter', name, () =>
    ssm(ctx, region).send(
      new PutParameterCommand({
        Name: name,
        Value: value,
        Type: 'String',
        Tier: 'Standard',
        Overwrite: true,
        Description: `safe-deploy deployment ${entry.service ?? entry.functions[0]} ${entry.stage ?? ''} commit ${entry.commit}`.trim().slice(0, 1024),
      }),
    ),
  );
  return { name, version: answer.Version ?? 0 };
}

/** The entry stored under the deployment's name in one region (null: none). */
export async function readDeployment(ctx: StoreContext, region: string, entry: Pick<DeploymentEntry, 'alias' | 'service' | 'functions'>): Promise<ListedEntry | null> {
  const name = entryName(ctx.path, entry);
  try {
    const answer = await call(ctx, region, 'GetParameter', name, () => ssm(ctx, region).send(new GetParameterCommand({ Name: name })));
    const decoded = decodeEntry(answer.Parameter?.Value);
    return decoded.ok ? { name, ok: true, entry: decoded.entry } : { name, ok: false, problem: decoded.problem };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

function sameDeployment(a: DeploymentEntry, b: DeploymentEntry): boolean {
  return a.commit === b.commit.slice(0, 12) && a.run === b.run.slice(0, 24) && a.alias === b.alias;
}

/**
 * Moves the lease of the deployment to `until` (unix seconds; null clears it: the entry stays watched
 * on its alarms and never expires), only when the stored entry is this deployment.
 */
export async function renewLease(ctx: StoreContext, region: string, entry: DeploymentEntry, until: number | null): Promise<'renewed' | 'missing' | 'other-deployment'> {
  const stored = await readDeployment(ctx, region, entry);
  if (!stored) return 'missing';
  if (!stored.ok || !sameDeployment(stored.entry, entry)) return 'other-deployment';
  await writeDeployment(ctx, region, { ...stored.entry, lease: until === null ? null : Math.floor(until), at: Math.floor(Date.now() / 1000) });
  return 'renewed';
}

/** Deletes the deployment's entry (its last bake in the region passed), only when it is this deployment. */
export async function endLease(ctx: StoreContext, region: string, entry: DeploymentEntry): Promise<'ended' | 'missing' | 'other-deployment'> {
  const stored = await readDeployment(ctx, region, entry);
  if (!stored) return 'missing';
  if (!stored.ok || !sameDeployment(stored.entry, entry)) return 'other-deployment';
  const name = entryName(ctx.path, entry);
  try {
    await call(ctx, region, 'DeleteParameter', name, () => ssm(ctx, region).send(new DeleteParameterCommand({ Name: name })));
  } catch (error) {
    if (isNotFound(error)) return 'missing';
    throw error;
  }
  return 'ended';
}

/** Every entry under the store path in one region, decoded; unreadable ones listed by name and problem. */
export async function listInFlight(ctx: StoreContext, region: string): Promise<ListedEntry[]> {
  const parameters: Parameter[] = [];
  let token: string | undefined;
  do {
    const page = await call(ctx, region, 'GetParametersByPath', ctx.path, () =>
      ssm(ctx, region).send(new GetParametersByPathCommand({ Path: ctx.path, Recursive: true, MaxResults: 10, NextToken: token })),
    );
    parameters.push(...(page.Parameters ?? []));
    token = page.NextToken;
  } while (token);
  return parameters
    .map((p): ListedEntry => {
      const name = p.Name ?? '';
      const decoded = decodeEntry(p.Value);
      return decoded.ok ? { name, ok: true, entry: decoded.entry } : { name, ok: false, problem: decoded.problem };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
