// Preflight reads of functions and versions, for the checks wave-deploy and rollback make before
// their first write: does the function exist in this region, does this version exist and belong to
// it, which execution role and dead-letter target does it carry, and which triggers invoke it
// without the alias. Each read is one control-plane call paced by the same per-region limiter as
// every other Lambda call (see lambda.ts), and an access denial is reported as such.
import { GetFunctionConfigurationCommand, GetFunctionUrlConfigCommand, GetPolicyCommand, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { runsLatest, unqualifiedPermissions, type UnqualifiedTrigger } from '../../core/src/triggers.js';
import { call, type FunctionRef, type LambdaContext } from './lambda.js';

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

function isNotFound(error: unknown): boolean {
  return (error as { name?: string }).name === 'ResourceNotFoundException';
}

/**
 * Reads a function (its $LATEST) or one of its published versions. Null when the function, or
 * that version of it, does not exist; any other failure (access denied, throttling past the
 * SDK's retries) is thrown, so a preflight never mistakes "cannot read" for "absent".
 */
export async function readFunctionSettings(ctx: LambdaContext, ref: FunctionRef, version?: string): Promise<FunctionSettings | null> {
  try {
    const config = await call(ctx, ref.region, 'GetFunctionConfiguration', `function ${ref.functionName}${version ? `:${version}` : ''}`, () =>
      ctx.clients.lambda(ref.region).send(new GetFunctionConfigurationCommand({ FunctionName: ref.functionName, ...(version ? { Qualifier: version } : {}) })),
    );
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
    if (isNotFound(error)) return null;
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
export async function readUnqualifiedTriggers(ctx: LambdaContext, ref: FunctionRef): Promise<UnqualifiedTrigger[]> {
  const lambda = ctx.clients.lambda(ref.region);
  const resource = `function ${ref.functionName}`;
  const found: UnqualifiedTrigger[] = [];

  let marker: string | undefined;
  do {
    const page = await call(ctx, ref.region, 'ListEventSourceMappings', resource, () =>
      lambda.send(new ListEventSourceMappingsCommand({ FunctionName: ref.functionName, Marker: marker, MaxItems: 100 })),
    );
    for (const mapping of page.EventSourceMappings ?? []) {
      const functionArn = mapping.FunctionArn ?? ref.functionName;
      if (!runsLatest(functionArn)) continue;
      found.push({ kind: 'event-source-mapping', uuid: mapping.UUID ?? '?', sourceArn: mapping.EventSourceArn ?? '?', functionArn, state: mapping.State ?? '?' });
    }
    marker = page.NextMarker;
  } while (marker);

  try {
    const policy = await call(ctx, ref.region, 'GetPolicy', resource, () => lambda.send(new GetPolicyCommand({ FunctionName: ref.functionName })));
    if (policy.Policy) found.push(...unqualifiedPermissions(policy.Policy));
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }

  try {
    const url = await call(ctx, ref.region, 'GetFunctionUrlConfig', resource, () => lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: ref.functionName })));
    if (url.FunctionUrl && runsLatest(url.FunctionArn ?? ref.functionName)) found.push({ kind: 'function-url', url: url.FunctionUrl, authType: url.AuthType ?? '?' });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return found;
}
