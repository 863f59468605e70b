// The function timeouts a bake must wait out: Lambda sends an invocation's metrics when it ends
// and stamps them with its start (monitoring-metrics.html), so data for the last "timeout" of a
// window is not there when the window ends. One GetFunctionConfiguration per function and region,
// of the candidate version (its own Timeout), paced by the Lambda limiter discipline.
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { MAX_FUNCTION_TIMEOUT_MS } from '../../core/src/bake.js';
import type { AwsClients } from './clients.js';
import { RegionLimiter } from './limiter.js';

export interface TimeoutTarget {
  readonly region: string;
  readonly function: string;
  /** The version whose Timeout counts (the candidate); null for $LATEST. */
  readonly version: string | null;
}

export interface FunctionTimeout {
  readonly region: string;
  readonly function: string;
  readonly version: string | null;
  /** The function's Timeout in ms; null when it could not be read (see `problem`). */
  readonly timeoutMs: number | null;
  /** Why it could not be read; the bake then assumes Lambda's maximum (15 minutes). */
  readonly problem: string | null;
}

export interface TimeoutReport {
  /** The longest timeout to wait out: unreadable ones count as Lambda's maximum. */
  readonly maxMs: number;
  readonly timeouts: readonly FunctionTimeout[];
}

function errorText(error: unknown): { name: string; text: string; status: number | undefined } {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? 'Error';
  return { name, text: `${name}: ${e?.message ?? String(error)}`, status: e?.$metadata?.httpStatusCode };
}

/** Thrown when a function of the deployment does not exist, or its configuration cannot be read for another reason than access. */
export class FunctionTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FunctionTimeoutError';
  }
}

/**
 * Reads the Timeout of every target (each function and region once). Access denied is reported
 * per target and counted as Lambda's maximum timeout (the bake waits longer, never less); a
 * function or version that does not exist, or any other failure, throws: the bake fails closed.
 */
export async function readFunctionTimeouts(clients: AwsClients, targets: readonly TimeoutTarget[], limiter = new RegionLimiter()): Promise<TimeoutReport> {
  const unique = new Map<string, TimeoutTarget>();
  for (const t of targets) unique.set(`${t.region}\u0000${t.function}\u0000${t.version ?? ''}`, t);
  const timeouts = await Promise.all(
    [...unique.values()].map(async (target): Promise<FunctionTimeout> => {
      try {
        const config = await limiter.run(target.region, () =>
          clients.lambda(target.region).send(new GetFunctionConfigurationCommand({ FunctionName: target.function, ...(target.version ? { Qualifier: target.version } : {}) })),
        );
        if (typeof config.Timeout !== 'number' || !(config.Timeout > 0)) {
          return { ...target, timeoutMs: null, problem: `GetFunctionConfiguration gave no Timeout` };
        }
        return { ...target, timeoutMs: config.Timeout * 1000, problem: null };
      } catch (error) {
        const { name, text, status } = errorText(error);
        const what = `${target.function}${target.version ? `:${target.version}` : ''} in ${target.region}`;
        if (/AccessDenied|NotAuthorized|Unauthorized/i.test(name) || status === 403) {
          return { ...target, timeoutMs: null, problem: `${text} (the role needs lambda:GetFunctionConfiguration on ${what})` };
        }
        if (name === 'ResourceNotFoundException' || status === 404) {
          throw new FunctionTimeoutError(`Lambda GetFunctionConfiguration: ${what} does not exist (${text}); the deployment names a function or version that is not there`);
        }
        throw new FunctionTimeoutError(`Lambda GetFunctionConfiguration of ${what} failed: ${text}`);
      }
    }),
  );
  const maxMs = Math.max(0, ...timeouts.map((t) => t.timeoutMs ?? MAX_FUNCTION_TIMEOUT_MS));
  return { maxMs, timeouts };
}
