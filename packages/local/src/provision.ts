// Provisions a sample service on moto the way its infrastructure code would in real AWS:
// one AWS account per stage (alpha, beta, gamma and prod never share a function, as with
// separate accounts in production), in each account a deployer role (what the workflow's
// configure-aws-credentials step assumes through OIDC), the functions' execution role, every
// function in every region of the stage with version 1 published and the alias on it, and the
// stage's CloudWatch alarms.
//
// moto maps the credentials returned by STS AssumeRole to the role's account, so a bundle that
// runs with those credentials only sees its own stage's resources, exactly as on GitHub.
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  LambdaClient,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  type AliasConfiguration,
  type Runtime,
} from '@aws-sdk/client-lambda';

// Lambda code packages are built in memory by the zip writer shared with the tests.
export { zipFiles } from './zip.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/** Environment variables a bundle needs to act with these credentials against the emulator. */
export function credentialsEnv(endpoint: string, credentials: Credentials, region: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Account id of the n-th stage (0-based): 100000000001, 100000000002, ... */
export function stageAccountId(index: number): string {
  return String(100_000_000_001 + index);
}

export function deployerRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/safe-deploy-deployer`;
}

/**
 * STS AssumeRole against the emulator. moto does not check signatures, so a plain form POST
 * with a credential scope naming STS is enough; it answers with keys bound to the role's account.
 */
export async function assumeRole(endpoint: string, roleArn: string, sessionName: string): Promise<Credentials> {
  const body = new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: '3600' });
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0',
    },
    body,
  });
  const text = await response.text();
  const field = (name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(text)?.[1];
  const accessKeyId = field('AccessKeyId');
  const secretAccessKey = field('SecretAccessKey');
  const sessionToken = field('SessionToken');
  if (!response.ok || !accessKeyId || !secretAccessKey || !sessionToken) {
    throw new Error(`AssumeRole ${roleArn} failed on ${endpoint}: HTTP ${response.status} ${text.slice(0, 300)}`);
  }
  return { accessKeyId, secretAccessKey, sessionToken };
}

// ------------------------------------------------------------------------------------------

export interface StageToProvision {
  readonly name: string;
  readonly environment: string;
  readonly regions: readonly string[];
}

export interface ProvisionRequest {
  readonly endpoint: string;
  readonly service: string;
  readonly alias: string;
  readonly functions: readonly string[];
  readonly stages: readonly StageToProvision[];
  /** Concrete alarm names to create in every region of every stage. */
  readonly alarms: readonly string[];
  /** Code of version 1 (the release already in production before the demo). */
  readonly code: Buffer;
  readonly runtime?: string;
  readonly handler?: string;
  /**
   * The functions' Timeout in seconds (default 10). The realistic mode passes 1: a bake waits for
   * the longest function timeout in local seconds, and Lambda's minimum is 1 s.
   */
  readonly functionTimeoutSeconds?: number;
}

export interface ProvisionedStage extends StageToProvision {
  readonly accountId: string;
  /** The role the workflow assumes for this environment (OIDC in real life). */
  readonly deployerRoleArn: string;
  readonly executionRoleArn: string;
  readonly credentials: Credentials;
}

export function lambdaClient(endpoint: string, credentials: Credentials, region: string): LambdaClient {
  return new LambdaClient({ region, endpoint, credentials, maxAttempts: 5 });
}

export function cloudwatchClient(endpoint: string, credentials: Credentials, region: string): CloudWatchClient {
  return new CloudWatchClient({ region, endpoint, credentials, maxAttempts: 5 });
}

/** Creates (or finds) everything the stages need; safe to run twice against the same emulator. */
export async function provision(request: ProvisionRequest): Promise<ProvisionedStage[]> {
  return Promise.all(request.stages.map((_, index) => provisionStage(request, index)));
}

/** Provisions the `index`-th stage of the request in its own account (stageAccountId(index)). */
export async function provisionStage(request: ProvisionRequest, index: number): Promise<ProvisionedStage> {
  const stage = request.stages[index];
  if (!stage) throw new Error(`no stage ${index} in the provisioning request`);
  const accountId = stageAccountId(index);
  const roleArn = deployerRoleArn(accountId);
  const credentials = await assumeRole(request.endpoint, roleArn, `provision-${stage.name}`);
  const iam = new IAMClient({ region: 'us-east-1', endpoint: request.endpoint, credentials });
  let executionRoleArn: string;
  try {
    executionRoleArn = await ensureRole(iam, `${request.service}-lambda`, 'lambda.amazonaws.com');
    await ensureRole(iam, 'safe-deploy-deployer', 'token.actions.githubusercontent.com');
  } finally {
    iam.destroy();
  }
  await Promise.all(
    stage.regions.map(async (region) => {
      const lambda = lambdaClient(request.endpoint, credentials, region);
      const cloudwatch = cloudwatchClient(request.endpoint, credentials, region);
      try {
        await Promise.all([...request.functions.map((name) => ensureFunction(lambda, name, executionRoleArn, request)), ensureAlarms(cloudwatch, request)]);
      } finally {
        lambda.destroy();
        cloudwatch.destroy();
      }
    }),
  );
  return { ...stage, accountId, deployerRoleArn: roleArn, executionRoleArn, credentials };
}

async function ensureRole(iam: IAMClient, name: string, principal: string): Promise<string> {
  try {
    const found = await iam.send(new GetRoleCommand({ RoleName: name }));
    if (found.Role?.Arn) return found.Role.Arn;
  } catch (error) {
    if ((error as Error).name !== 'NoSuchEntityException' && (error as Error).name !== 'NoSuchEntity') throw error;
  }
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: principal }, Action: 'sts:AssumeRole' }],
  };
  const created = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(policy) }));
  return created.Role!.Arn!;
}

async function ensureFunction(lambda: LambdaClient, name: string, roleArn: string, request: ProvisionRequest): Promise<void> {
  try {
    await lambda.send(new GetAliasCommand({ FunctionName: name, Name: request.alias }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  let version = '1';
  try {
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: (request.runtime ?? 'nodejs22.x') as Runtime,
        Handler: request.handler ?? 'handler.handler',
        Role: roleArn,
        Code: { ZipFile: request.code },
        Publish: true,
        Description: `${request.service}: ${name}`,
        Timeout: request.functionTimeoutSeconds ?? 10,
        MemorySize: 256,
      }),
    );
    version = created.Version ?? '1';
  } catch (error) {
    if ((error as Error).name !== 'ResourceConflictException') throw error;
  }
  await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: request.alias, FunctionVersion: version, Description: 'managed by safe-deploy' }));
}

async function ensureAlarms(cloudwatch: CloudWatchClient, request: ProvisionRequest): Promise<void> {
  if (request.alarms.length === 0) return;
  const existing = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [...request.alarms] }));
  const have = new Set((existing.MetricAlarms ?? []).map((a) => a.AlarmName));
  for (const name of request.alarms) {
    if (have.has(name)) continue;
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        AlarmDescription: `${request.service}: errors of the service (set by the simulator's instant rule, or evaluated by the realistic mode's alarm evaluator)`,
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: request.functions[0]! }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        // Errors has data points only when the function is invoked: a quiet minute is not an
        // outage (AWS's advice for metrics that report only on an event, alarms-and-missing-data.html).
        TreatMissingData: 'notBreaching',
      }),
    );
    // moto starts alarms in INSUFFICIENT_DATA and never evaluates them; a healthy service's alarms are OK.
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'OK', StateReason: 'provisioned: the service is healthy' }));
  }
}

export interface AliasState {
  readonly stage: string;
  readonly accountId: string;
  readonly region: string;
  readonly function: string;
  readonly alias: string;
  readonly version: string;
  /** Extra version and its weight, when the alias splits traffic. */
  readonly additional: { readonly version: string; readonly weight: number } | null;
  readonly description: string;
  /** Every published version of the function (without $LATEST). */
  readonly published: readonly string[];
  /** CodeSha256 of each published version. */
  readonly codeSha: Readonly<Record<string, string>>;
}

/** Reads every alias of every function in every region of every stage. */
export async function readAliases(endpoint: string, stages: readonly ProvisionedStage[], functions: readonly string[]): Promise<AliasState[]> {
  const rows = await Promise.all(
    stages.flatMap((stage) =>
      stage.regions.map(async (region) => {
        const lambda = lambdaClient(endpoint, stage.credentials, region);
        try {
          const out: AliasState[] = [];
          for (const fn of functions) {
            const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn }));
            const list = (versions.Versions ?? []).filter((v) => v.Version && v.Version !== '$LATEST');
            const published = list.map((v) => v.Version!);
            const codeSha = Object.fromEntries(list.map((v) => [v.Version!, v.CodeSha256 ?? '']));
            const aliases = await lambda.send(new ListAliasesCommand({ FunctionName: fn }));
            for (const alias of aliases.Aliases ?? []) out.push(toState(stage, region, fn, alias, published, codeSha));
          }
          return out;
        } finally {
          lambda.destroy();
        }
      }),
    ),
  );
  return rows.flat();
}

function toState(stage: ProvisionedStage, region: string, fn: string, alias: AliasConfiguration, published: string[], codeSha: Record<string, string>): AliasState {
  const weights = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {});
  const extra = weights[0];
  return {
    stage: stage.name,
    accountId: stage.accountId,
    region,
    function: fn,
    alias: alias.Name ?? '',
    version: alias.FunctionVersion ?? '',
    additional: extra ? { version: extra[0], weight: extra[1] } : null,
    description: alias.Description ?? '',
    published,
    codeSha,
  };
}
