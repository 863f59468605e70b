// Preflight reads of functions and versions, for the checks wave-deploy and rollback make before
// their first write: does the function exist in this region, does this version exist and belong to
// it, which execution role and dead-letter target does it carry. One GetFunctionConfiguration per
// question, paced by the same per-region limiter as every other Lambda call (see lambda.ts).
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import type { FunctionRef, LambdaContext } from './lambda.js';

export interface FunctionSettings {
  readonly region: string;
  readonly functionName: string;
  /** `$LATEST` when read without a qualifier, else the version number. */
  readonly version: string;
  readonly role: string | undefined;
  readonly deadLetterTarget: string | undefined;
  readonly description: string;
  readonly codeSha256: string | undefined;
}

/**
 * Reads a function (its $LATEST) or one of its published versions. Null when the function, or
 * that version of it, does not exist; any other failure (access denied, throttling past the
 * SDK's retries) is thrown, so a preflight never mistakes "cannot read" for "absent".
 */
export async function readFunctionSettings(ctx: LambdaContext, ref: FunctionRef, version?: string): Promise<FunctionSettings | null> {
  try {
    const config = await ctx.limiter.run(ref.region, () => {
      ctx.onCall?.(ref.region, 'GetFunctionConfiguration');
      return ctx.clients
        .lambda(ref.region)
        .send(new GetFunctionConfigurationCommand({ FunctionName: ref.functionName, ...(version ? { Qualifier: version } : {}) }));
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
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return null;
    throw error;
  }
}
