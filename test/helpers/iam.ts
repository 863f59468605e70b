// The IAM policies under iam/ checked against the AWS calls the actions really make.
//
// - `startRecorder(target)`: a transparent HTTP proxy that records, per request, the service, the
//   operation, the region, the `caller/<name>` of the SDK user agent and the resource the request
//   acts on (read from the REST path and its Qualifier), then forwards it unchanged.
// - `evaluate(policy, call)`: a small IAM evaluator, honest about what it covers: Allow statements
//   with Action and Resource (string or list, `*` and `?` wildcards, actions case-insensitive).
//   A policy that uses Deny, NotAction, NotResource or Condition is refused rather than half-read.
//
// How a Lambda request maps to an IAM resource (Lambda's "Function resource names"): a call with a
// Qualifier (query, or the version/alias in the path) is authorized against the qualified ARN
// `function:NAME:QUALIFIER`; alias calls (GetAlias, UpdateAlias, CreateAlias) and the rest against
// the unqualified `function:NAME`; ListEventSourceMappings has no resource-level permission (`*`).
// CloudWatch's DescribeAlarms, DescribeAlarmHistory and GetMetricData are evaluated against `*`
// (composite alarms and prefix listings need it; GetMetricData has no resource type).
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { callerOf, operationOf, regionOf, serviceOf } from '../../packages/local/src/fault-proxy.js';

export const ACCOUNT_ID = '123456789012';
const ROOT = new URL('../..', import.meta.url).pathname;

export type PolicyName = 'deployer' | 'rollback' | 'watch' | 'guardian';

/** The IAM policy each path's role carries (iam/*.json); the guardian's function runs with iam/guardian.json (guardian/template.yml's role). */
export const POLICY_OF_CALLER: Readonly<Record<string, PolicyName>> = {
  'wave-deploy': 'deployer',
  'bake-gate': 'deployer',
  'alarm-check': 'deployer',
  rollback: 'deployer',
  guardian: 'guardian',
  // The sentinel runs the guardian's sweep under the stage environment's deploy role.
  sentinel: 'deployer',
  // mode next: reads the stage's aliases, function timeouts and store entries under the stage's role.
  plan: 'deployer',
};

/** Paths that also run under a narrower role: rollback alone (rollback.json), and the read-only watchers (watch.json). */
export const NARROW_POLICY_OF_CALLER: Readonly<Record<string, 'rollback' | 'watch'>> = {
  rollback: 'rollback',
  'alarm-check': 'watch',
  'bake-gate': 'watch',
  plan: 'watch',
};

export interface RecordedCall {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly caller: string | null;
  readonly method: string;
  readonly path: string;
  readonly qualifier: string | null;
}

/** Lambda REST routes the fault proxy does not name (it reports them as `METHOD /path`). */
const EXTRA_LAMBDA_ROUTES: Array<[string, RegExp, string]> = [
  ['GET', /^\/[\d-]+\/event-source-mappings\/?$/, 'ListEventSourceMappings'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/policy$/, 'GetPolicy'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/url$/, 'GetFunctionUrlConfig'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/urls$/, 'ListFunctionUrlConfigs'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/concurrency$/, 'GetFunctionConcurrency'],
];

export function operationName(method: string, url: string, headers: IncomingMessage['headers']): string {
  const known = operationOf(method, url, headers);
  if (!known.startsWith(`${method} `)) return known;
  const path = decodeURIComponent(url.split('?')[0] ?? '');
  for (const [m, pattern, name] of EXTRA_LAMBDA_ROUTES) if (m === method && pattern.test(path)) return name;
  return known;
}

/** The IAM action of a recorded call: `lambda:GetAlias`, `cloudwatch:DescribeAlarms`. */
export function actionOf(call: Pick<RecordedCall, 'service' | 'operation'>): string {
  const prefix = call.service === 'monitoring' ? 'cloudwatch' : call.service;
  return `${prefix}:${call.operation}`;
}

/**
 * SSM and EventBridge speak JSON: the parameter (Name) or path (Path) of an SSM call, and the bus of
 * a PutEvents (`event-bus/NAME`, from the first entry's EventBusName, default `default`), are in the
 * body, recorded as `path`.
 */
function bodyPathOf(service: string, chunks: readonly Buffer[]): string | null {
  if (service !== 'ssm' && service !== 'events') return null;
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Name?: unknown; Path?: unknown; Entries?: { EventBusName?: unknown }[] };
    if (service === 'events') {
      const bus = body.Entries?.[0]?.EventBusName;
      return `event-bus/${typeof bus === 'string' && bus !== '' ? bus.replace(/^arn:[^:]+:events:[^:]+:\d+:event-bus\//, '') : 'default'}`;
    }
    const name = typeof body.Name === 'string' ? body.Name : typeof body.Path === 'string' ? body.Path : null;
    return name;
  } catch {
    return null;
  }
}

/** The IAM resource a recorded call is authorized against (see the header). */
export function resourceOf(call: RecordedCall): string {
  // Parameter Store: arn:aws:ssm:REGION:ACCOUNT:parameter/NAME-WITHOUT-LEADING-SLASH.
  if (call.service === 'ssm') return call.path.startsWith('/') ? `arn:aws:ssm:${call.region}:${ACCOUNT_ID}:parameter${call.path}` : '*';
  if (call.service === 'events') return call.path.startsWith('event-bus/') ? `arn:aws:events:${call.region}:${ACCOUNT_ID}:${call.path}` : '*';
  if (call.service !== 'lambda') return '*';
  if (call.operation === 'ListEventSourceMappings') return '*';
  const match = /\/functions\/([^/]+)(?:\/([^/]+)(?:\/([^/]+))?)?/.exec(call.path);
  if (!match) return '*';
  const name = decodeURIComponent(match[1] as string).replace(/^arn:[^:]+:lambda:[^:]+:\d+:function:/, '');
  const [fn, pathQualifier] = name.split(':');
  const qualifier = pathQualifier ?? call.qualifier;
  const base = `arn:aws:lambda:${call.region}:${ACCOUNT_ID}:function:${fn}`;
  const aliasCall = match[2] === 'aliases';
  return qualifier && !aliasCall ? `${base}:${qualifier}` : base;
}

export interface Recorder {
  readonly endpoint: string;
  readonly calls: RecordedCall[];
  close(): Promise<void>;
}

/** A transparent recording proxy in front of `target` (moto, or another proxy). */
export async function startRecorder(target: string): Promise<Recorder> {
  const upstream = new URL(target);
  const calls: RecordedCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const method = req.method ?? 'GET';
      const query = new URLSearchParams(url.split('?')[1] ?? '');
      if (!url.startsWith('/moto-api')) {
        calls.push({
          service: serviceOf(req.headers),
          operation: operationName(method, url, req.headers),
          region: regionOf(req.headers),
          caller: callerOf(req.headers),
          method,
          path: bodyPathOf(serviceOf(req.headers), chunks) ?? decodeURIComponent(url.split('?')[0] ?? ''),
          qualifier: query.get('Qualifier'),
        });
      }
      const forward = httpRequest(
        { hostname: upstream.hostname, port: upstream.port, method, path: url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', (error) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`recorder: upstream failed: ${error.message}`);
      });
      forward.end(Buffer.concat(chunks));
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: ReadonlyArray<Record<string, unknown>>;
}

export function loadPolicy(name: PolicyName): PolicyDocument {
  return JSON.parse(readFileSync(`${ROOT}iam/${name}.json`, 'utf8')) as PolicyDocument;
}

/** The policy with its placeholders filled in (only `${AccountId}`, `${Region}`, `${FunctionPrefix}` exist). */
export function instantiate(policy: PolicyDocument, values: { AccountId: string; Region: string; FunctionPrefix: string }): PolicyDocument {
  const text = JSON.stringify(policy).replace(/\$\{(\w+)\}/g, (whole, key: string) => {
    if (!(key in values)) throw new Error(`unknown placeholder ${whole}`);
    return values[key as keyof typeof values];
  });
  return JSON.parse(text) as PolicyDocument;
}

function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, ignoreCase ? 'i' : '');
  return regex.test(value);
}

function asList(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** True when an Allow statement of the policy covers the action on the resource. */
export function allows(policy: PolicyDocument, action: string, resource: string): boolean {
  if (policy.Version !== '2012-10-17') throw new Error(`policy Version must be 2012-10-17, got ${policy.Version}`);
  return policy.Statement.some((statement) => {
    for (const key of ['NotAction', 'NotResource', 'Condition', 'NotPrincipal', 'Principal']) {
      if (key in statement) throw new Error(`this evaluator does not read ${key} (statement ${String(statement.Sid)})`);
    }
    if (statement.Effect !== 'Allow') throw new Error(`this evaluator reads Allow statements only (statement ${String(statement.Sid)} is ${String(statement.Effect)})`);
    const actionOk = asList(statement.Action).some((pattern) => wildcard(pattern, action, true));
    const resourceOk = asList(statement.Resource).some((pattern) => wildcard(pattern, resource, false));
    return actionOk && resourceOk;
  });
}

/** The calls of `caller` that the policy does not allow, as `action on resource` lines. */
export function denied(policy: PolicyName | PolicyDocument, calls: readonly RecordedCall[], functionPrefix = ''): string[] {
  const document = typeof policy === 'string' ? loadPolicy(policy) : policy;
  const problems = new Set<string>();
  for (const call of calls) {
    const instance = instantiate(document, { AccountId: ACCOUNT_ID, Region: call.region, FunctionPrefix: functionPrefix });
    const action = actionOf(call);
    const resource = resourceOf(call);
    if (!allows(instance, action, resource)) problems.add(`${call.caller ?? '?'}: ${action} on ${resource}`);
  }
  return [...problems];
}
