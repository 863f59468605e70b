// A small HTTP proxy in front of moto that injects the failures real AWS produces:
// throttling (in each protocol's own error shape), 500/503 bursts, connection resets and added
// latency, on a schedule the caller chooses (per operation, per region, by request count).
// Point an SDK client at `proxy.endpoint` instead of moto's.
//
// Error shapes (what the SDK parses):
// - Lambda (REST-JSON): HTTP 429, header `x-amzn-ErrorType: TooManyRequestsException`,
//   body `{"Reason":"CallerRateLimitExceeded","Type":"User","message":"Rate exceeded"}` (Retry-After optional).
//   5xx: `x-amzn-ErrorType: ServiceException`, body `{"Type":"Service","message":...}`.
// - JSON-target protocols (CloudWatch's AWS JSON 1.0, query-compatible): HTTP 400,
//   `x-amzn-query-error: Throttling;Sender`, body `{"__type":"Throttling","message":"Rate exceeded"}`.
//
// In realistic mode (`realistic: { model, history }`, see realistic.ts and docs/realistic-aws.md) it
// also plays the parts of AWS that moto lacks:
// - per-account, per-region API quotas as wall-clock token buckets, answered with the throttling
//   errors above and logged with fault 'throttle';
// - DescribeAlarmHistory, answered from the history the alarm evaluator records (and
//   SetAlarmState calls made through the proxy, as CloudWatch records those too);
// - PublishVersion as Lambda does it: the latest version again when $LATEST's code and
//   configuration did not change since it was published, and InvalidParameterValueException when
//   a CodeSha256 given does not match $LATEST's;
// - versions that read `State: Pending` (`StateReasonCode: Creating`) for the model's activation
//   delay after they were published, then `Active`.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { historyData, historySummary, type AlarmState } from './alarm-evaluation.js';
import { CloudWatchRequestError, type AlarmHistory, type HistoryQuery } from './alarm-history.js';
import { UNPACED_OPERATIONS, type QuotaRule, type RealisticModel } from './realistic.js';

export type Fault =
  /** Throttling; `retryAfterSeconds` adds a Retry-After header (which the SDK honours). */
  | { readonly kind: 'throttle'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'status'; readonly status: 500 | 502 | 503 | 504 }
  /** Closes the connection before answering (the SDK sees ECONNRESET). */
  | { readonly kind: 'reset' }
  /** Forwards the request, lets moto act on it, then drops the answer (a write that happened but was not acknowledged). */
  | { readonly kind: 'reset-after-forward' }
  | { readonly kind: 'delay'; readonly ms: number }
  /** Any AWS error by code, in the protocol's own shape (e.g. 403 `ExpiredTokenException` when credentials expire). */
  | { readonly kind: 'error'; readonly status: number; readonly code: string; readonly message: string };

export interface FaultRule {
  /** Operation name (`UpdateAlias`, `GetAlias`, `DescribeAlarms`, ...), a pattern, or every operation when absent. */
  readonly operation?: string | RegExp;
  /** Region from the request signature; every region when absent. */
  readonly region?: string | RegExp;
  /** Let this many matching requests through before the fault starts (default 0). */
  readonly after?: number;
  /** Number of matching requests that get the fault (default: all of them). */
  readonly times?: number;
  readonly fault: Fault;
}

export interface ProxyRequestLog {
  /** The SigV4 signing name: `lambda`, `monitoring` (CloudWatch), `iam`, `sts`, `s3`, ... */
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  /** The `caller/<name>` the client put in its user agent (see AwsClients `caller`), or null. */
  readonly caller: string | null;
  readonly fault: Fault['kind'] | null;
  readonly at: number;
  /** Milliseconds the upstream (moto) took to answer, once it has (forwarded requests only). */
  upstreamMs?: number;
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly port: number;
  /** Adds a rule; returns a function that removes it. */
  addRule(rule: FaultRule): () => void;
  clearRules(): void;
  /** Latency added to every request, milliseconds. */
  setLatency(ms: number): void;
  /** Every request seen, in order. */
  readonly log: readonly ProxyRequestLog[];
  /** Requests seen for an operation (optionally only those that reached moto). */
  count(operation: string, options?: { forwarded?: boolean }): number;
  resetLog(): void;
  close(): Promise<void>;
}

interface ActiveRule {
  readonly rule: FaultRule;
  seen: number;
}

const LAMBDA_ROUTES: Array<[string, RegExp, string]> = [
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/policy$/, 'GetPolicy'],
  ['POST', /^\/[\d-]+\/functions\/[^/]+\/policy$/, 'AddPermission'],
  ['DELETE', /^\/[\d-]+\/functions\/[^/]+\/policy\/[^/]+$/, 'RemovePermission'],
  ['GET', /^\/[\d-]+\/event-source-mappings\/?$/, 'ListEventSourceMappings'],
  ['POST', /^\/[\d-]+\/event-source-mappings\/?$/, 'CreateEventSourceMapping'],
  ['GET', /^\/[\d-]+\/event-source-mappings\/[^/]+$/, 'GetEventSourceMapping'],
  ['PUT', /^\/[\d-]+\/event-source-mappings\/[^/]+$/, 'UpdateEventSourceMapping'],
  ['DELETE', /^\/[\d-]+\/event-source-mappings\/[^/]+$/, 'DeleteEventSourceMapping'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/urls$/, 'ListFunctionUrlConfigs'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/url$/, 'GetFunctionUrlConfig'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/event-invoke-config\/list$/, 'ListFunctionEventInvokeConfigs'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/event-invoke-config$/, 'GetFunctionEventInvokeConfig'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/concurrency$/, 'GetFunctionConcurrency'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/aliases\/[^/]+$/, 'GetAlias'],
  ['PUT', /^\/[\d-]+\/functions\/[^/]+\/aliases\/[^/]+$/, 'UpdateAlias'],
  ['DELETE', /^\/[\d-]+\/functions\/[^/]+\/aliases\/[^/]+$/, 'DeleteAlias'],
  ['POST', /^\/[\d-]+\/functions\/[^/]+\/aliases$/, 'CreateAlias'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/aliases$/, 'ListAliases'],
  ['POST', /^\/[\d-]+\/functions\/[^/]+\/versions$/, 'PublishVersion'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/versions$/, 'ListVersionsByFunction'],
  ['PUT', /^\/[\d-]+\/functions\/[^/]+\/code$/, 'UpdateFunctionCode'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/configuration$/, 'GetFunctionConfiguration'],
  ['PUT', /^\/[\d-]+\/functions\/[^/]+\/configuration$/, 'UpdateFunctionConfiguration'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/provisioned-concurrency$/, 'GetProvisionedConcurrencyConfig'],
  ['POST', /^\/[\d-]+\/functions\/[^/]+\/invocations$/, 'Invoke'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+$/, 'GetFunction'],
  ['DELETE', /^\/[\d-]+\/functions\/[^/]+$/, 'DeleteFunction'],
  ['POST', /^\/[\d-]+\/functions\/?$/, 'CreateFunction'],
  ['GET', /^\/[\d-]+\/functions\/?$/, 'ListFunctions'],
];

/** The AWS operation of a request: X-Amz-Target for JSON protocols, method and path for Lambda's REST-JSON. */
export function operationOf(method: string, url: string, headers: IncomingMessage['headers']): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) return target.slice(target.lastIndexOf('.') + 1);
  const path = decodeURIComponent(url.split('?')[0] ?? '');
  if (method === 'GET' && /^\/[\d-]+\/functions\/[^/]+\/provisioned-concurrency$/.test(path) && /[?&]List=ALL(?:&|$)/.test(url)) return 'ListProvisionedConcurrencyConfigs';
  for (const [m, pattern, name] of LAMBDA_ROUTES) if (m === method && pattern.test(path)) return name;
  return `${method} ${path}`;
}

/** The region from the SigV4 credential scope (`Credential=AKID/date/region/service/aws4_request`). */
export function regionOf(headers: IncomingMessage['headers']): string {
  const auth = headers.authorization;
  const match = typeof auth === 'string' ? /Credential=[^/]+\/\d+\/([^/]+)\//.exec(auth) : null;
  return match ? (match[1] as string) : 'unknown';
}

/** The service signing name from the SigV4 credential scope (`lambda`, `monitoring`, ...). */
export function serviceOf(headers: IncomingMessage['headers']): string {
  const auth = headers.authorization;
  const match = typeof auth === 'string' ? /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//.exec(auth) : null;
  return match ? (match[1] as string) : 'unknown';
}

/** The `caller/<name>` entry of the SDK user agent (x-amz-user-agent or user-agent), or null. */
export function callerOf(headers: IncomingMessage['headers']): string | null {
  for (const header of [headers['x-amz-user-agent'], headers['user-agent']]) {
    const match = typeof header === 'string' ? /(?:^|\s)caller\/([A-Za-z0-9._-]+)/.exec(header) : null;
    if (match) return match[1] as string;
  }
  return null;
}

function matches(pattern: string | RegExp | undefined, value: string): boolean {
  if (pattern === undefined) return true;
  return typeof pattern === 'string' ? pattern === value : pattern.test(value);
}

function sendError(req: IncomingMessage, res: ServerResponse, fault: Extract<Fault, { kind: 'throttle' | 'status' }>): void {
  const json = typeof req.headers['x-amz-target'] === 'string';
  const requestId = `fault-${Math.random().toString(16).slice(2, 10)}`;
  if (fault.kind === 'throttle') {
    if (json) {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId, 'x-amzn-query-error': 'Throttling;Sender' });
      res.end(JSON.stringify({ __type: 'Throttling', message: 'Rate exceeded' }));
    } else {
      res.writeHead(429, {
        'content-type': 'application/json',
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': 'TooManyRequestsException',
        ...(fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {}),
      });
      res.end(JSON.stringify({ Reason: 'CallerRateLimitExceeded', Type: 'User', message: 'Rate exceeded' }));
    }
    return;
  }
  const message = fault.status === 503 ? 'Service Unavailable' : 'Internal failure injected by the fault proxy';
  if (json) {
    res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId, 'x-amzn-query-error': 'ServiceUnavailable;Receiver' });
    res.end(JSON.stringify({ __type: 'ServiceUnavailable', message }));
  } else {
    res.writeHead(fault.status, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': 'ServiceException' });
    res.end(JSON.stringify({ Type: 'Service', message }));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface FaultProxyOptions {
  /** Upstream endpoint, or one per region (a moto per region models AWS's independent regional endpoints). */
  readonly target: string | ((region: string) => string);
  /** Latency added to every request, milliseconds. */
  readonly latencyMs?: number;
  readonly rules?: FaultRule[];
  readonly port?: number;
  /** Realistic mode: AWS's quotas, DescribeAlarmHistory, PublishVersion reuse and Pending versions (see the header). */
  readonly realistic?: {
    readonly model: RealisticModel;
    readonly history: AlarmHistory;
    /** Called once per access key and region seen (the world hands them to the alarm evaluator). */
    readonly onCaller?: (caller: { accessKeyId: string; account: string; region: string }) => void;
  };
  /**
   * Called for every alias write (CreateAlias, UpdateAlias) that AWS accepted: forwarded with no
   * fault before it and answered 2xx upstream, even when an injected `reset-after-forward` then
   * hides the answer from the caller. `alias` is the AliasConfiguration AWS answered with.
   */
  readonly onAliasWrite?: (write: AliasWrite) => void;
}

/** An alias write AWS accepted, as the fault proxy saw it. */
export interface AliasWrite {
  /** Wall-clock ms when the request reached the proxy. */
  readonly at: number;
  readonly region: string;
  readonly operation: 'CreateAlias' | 'UpdateAlias';
  readonly caller: string | null;
  /** The response body: AliasArn, Name, FunctionVersion, RoutingConfig, RevisionId, Description. */
  readonly alias: {
    readonly AliasArn?: string;
    readonly Name?: string;
    readonly FunctionVersion?: string;
    readonly RoutingConfig?: { readonly AdditionalVersionWeights?: Record<string, number> };
    readonly Description?: string;
  };
}

interface Buffered {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Fields of a function configuration that make a new version when they change (Description does not: see docs/realistic-aws.md). */
const VERSIONED_FIELDS = ['CodeSha256', 'Runtime', 'Handler', 'Role', 'MemorySize', 'Timeout', 'Environment', 'DeadLetterConfig', 'TracingConfig', 'Layers', 'VpcConfig', 'EphemeralStorage', 'Architectures', 'KMSKeyArn', 'ImageConfigResponse', 'FileSystemConfigs', 'SnapStart', 'LoggingConfig', 'PackageType'] as const;

function versionedShape(config: Record<string, unknown>): string {
  const pick = (field: string): unknown => {
    const value = config[field];
    if (field === 'Layers' && Array.isArray(value)) return value.map((l: { Arn?: string }) => l.Arn ?? l);
    if (field === 'VpcConfig' && value && typeof value === 'object') {
      const v = value as { SubnetIds?: string[]; SecurityGroupIds?: string[] };
      return { SubnetIds: [...(v.SubnetIds ?? [])].sort(), SecurityGroupIds: [...(v.SecurityGroupIds ?? [])].sort() };
    }
    if (field === 'Environment' && value && typeof value === 'object') return (value as { Variables?: unknown }).Variables ?? {};
    return value ?? null;
  };
  return JSON.stringify(VERSIONED_FIELDS.map((f) => [f, pick(f)]));
}

/** A token bucket in wall-clock time. */
class Bucket {
  private tokens: number;
  private last = performance.now();
  constructor(private readonly rule: QuotaRule) {
    this.tokens = rule.burst ?? rule.perSecond;
  }
  take(): boolean {
    const t = performance.now();
    const burst = this.rule.burst ?? this.rule.perSecond;
    this.tokens = Math.min(burst, this.tokens + ((t - this.last) / 1000) * this.rule.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The quota rule of an operation: the one naming it, else its service's `*` rule. */
export function quotaFor(quotas: Readonly<Record<string, QuotaRule>>, service: string, operation: string): [string, QuotaRule] | null {
  if (UNPACED_OPERATIONS.has(operation)) return null;
  const entries = Object.entries(quotas).filter(([, r]) => r.service === service);
  const named = entries.find(([, r]) => r.operations !== '*' && r.operations.includes(operation));
  if (named) return named;
  // Lambda's shared control-plane bucket covers its REST operations; unknown paths (`GET /...`) too.
  return entries.find(([, r]) => r.operations === '*') ?? null;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstreamFor = (region: string): URL => new URL(typeof options.target === 'string' ? options.target : options.target(region));
  let latency = options.latencyMs ?? 0;
  let rules: ActiveRule[] = (options.rules ?? []).map((rule) => ({ rule, seen: 0 }));
  const log: ProxyRequestLog[] = [];
  const realistic = options.realistic ?? null;
  const buckets = new Map<string, Bucket>();
  const accounts = new Map<string, Promise<string>>();
  /** Published versions that are Pending until the time given (wall clock), by FunctionArn. */
  const pendingUntil = new Map<string, number>();
  const seenCallers = new Set<string>();

  /** A request of the proxy's own to moto, signed like the caller's (moto reads the account from the access key). */
  function motoCall(region: string, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer | string = ''): Promise<Buffered> {
    const target = upstreamFor(region);
    return new Promise((resolve, reject) => {
      const out = httpRequest({ hostname: target.hostname, port: target.port, method, path, headers: { ...headers, host: target.host, 'content-length': String(Buffer.byteLength(body)) } }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
        answer.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });
  }

  /** The caller's account (STS GetCallerIdentity on moto with the caller's access key), cached per key. */
  function accountOf(headers: IncomingHttpHeaders): Promise<string> {
    const auth = typeof headers.authorization === 'string' ? headers.authorization : '';
    const key = /Credential=([^/]+)\//.exec(auth)?.[1] ?? 'anonymous';
    let found = accounts.get(key);
    if (!found) {
      const stsAuth = auth.replace(/(Credential=[^/]+\/\d+\/)([^/]+)\/[^/]+\//, '$1us-east-1/sts/');
      found = motoCall('us-east-1', 'POST', '/', { authorization: stsAuth, 'content-type': 'application/x-www-form-urlencoded' }, 'Action=GetCallerIdentity&Version=2011-06-15').then(
        (answer) => /<Account>(\d+)<\/Account>/.exec(answer.body.toString())?.[1] ?? key,
        () => key,
      );
      accounts.set(key, found);
    }
    return found;
  }

  async function throttledByQuota(service: string, operation: string, region: string, headers: IncomingHttpHeaders): Promise<boolean> {
    if (!realistic || realistic.model.quotas === false) return false;
    const found = quotaFor(realistic.model.quotas, service, operation);
    if (!found) return false;
    const [name, rule] = found;
    const key = `${await accountOf(headers)}/${region}/${name}`;
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = new Bucket(rule)));
    return !bucket.take();
  }

  function sendJson(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  }

  function requestId(): string {
    return `local-${Math.random().toString(16).slice(2, 10)}`;
  }

  /** Pending until its activation time, Active after: applied to every configuration an answer carries. */
  function withState(config: Record<string, unknown>): Record<string, unknown> {
    const arn = typeof config.FunctionArn === 'string' ? config.FunctionArn : '';
    const until = pendingUntil.get(arn);
    if (until === undefined) return config;
    if (Date.now() < until) return { ...config, State: 'Pending', StateReason: 'The function is being created.', StateReasonCode: 'Creating' };
    pendingUntil.delete(arn);
    const { StateReason: _reason, StateReasonCode: _code, ...rest } = config;
    return { ...rest, State: 'Active' };
  }

  function rewriteStates(operation: string, text: string): string {
    const json = JSON.parse(text) as Record<string, unknown>;
    if (operation === 'GetFunction' && json.Configuration && typeof json.Configuration === 'object') json.Configuration = withState(json.Configuration as Record<string, unknown>);
    else if (operation === 'ListVersionsByFunction' && Array.isArray(json.Versions)) json.Versions = (json.Versions as Record<string, unknown>[]).map(withState);
    else return JSON.stringify(withState(json));
    return JSON.stringify(json);
  }

  async function listVersions(region: string, fnPath: string, headers: IncomingHttpHeaders): Promise<Record<string, unknown>[] | null> {
    const versions: Record<string, unknown>[] = [];
    let marker: string | undefined;
    do {
      const answer = await motoCall(region, 'GET', `${fnPath}/versions${marker ? `?Marker=${encodeURIComponent(marker)}` : ''}`, headers);
      if (answer.status !== 200) return null;
      const page = JSON.parse(answer.body.toString()) as { Versions?: Record<string, unknown>[]; NextMarker?: string };
      versions.push(...(page.Versions ?? []));
      marker = page.NextMarker ?? undefined;
    } while (marker);
    return versions;
  }

  /** PublishVersion as Lambda answers it (API_PublishVersion.html); null to forward the request unchanged. */
  async function publishVersion(req: IncomingMessage, res: ServerResponse, region: string, body: Buffer): Promise<boolean> {
    const path = (req.url ?? '').split('?')[0]!;
    const fnPath = path.replace(/\/versions$/, '');
    const headers = { authorization: req.headers.authorization ?? '', 'x-amz-date': String(req.headers['x-amz-date'] ?? ''), 'content-type': 'application/json' };
    const latestAnswer = await motoCall(region, 'GET', `${fnPath}/configuration`, headers);
    if (latestAnswer.status !== 200) return false;
    const latest = JSON.parse(latestAnswer.body.toString()) as Record<string, unknown>;
    let input: { CodeSha256?: string; RevisionId?: string } = {};
    try {
      input = body.length > 0 ? (JSON.parse(body.toString()) as { CodeSha256?: string; RevisionId?: string }) : {};
    } catch {
      return false;
    }
    // A stale RevisionId is moto's to refuse (PreconditionFailedException).
    if (input.RevisionId !== undefined && input.RevisionId !== latest.RevisionId) return false;
    if (input.CodeSha256 !== undefined && input.CodeSha256 !== latest.CodeSha256) {
      sendJson(res, 400, { 'content-type': 'application/json', 'x-amzn-requestid': requestId(), 'x-amzn-errortype': 'InvalidParameterValueException' }, {
        Type: 'User',
        message: `CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST. Please try again with the CodeSHA256 in $LATEST.`,
      });
      return true;
    }
    const versions = await listVersions(region, fnPath, headers);
    if (versions === null) return false;
    const published = versions.filter((v) => typeof v.Version === 'string' && /^\d+$/.test(v.Version));
    const last = published.sort((a, b) => Number(a.Version) - Number(b.Version)).at(-1);
    if (last && versionedShape(last) === versionedShape(latest)) {
      // "Lambda doesn't publish a version if the function's configuration and code haven't changed since the last version."
      sendJson(res, 201, { 'content-type': 'application/json', 'x-amzn-requestid': requestId() }, withState(last));
      return true;
    }
    const answer = await motoCall(region, 'POST', req.url ?? path, { ...headers, ...(req.headers['content-type'] ? { 'content-type': String(req.headers['content-type']) } : {}) }, body);
    if (answer.status === 201 || answer.status === 200) {
      const created = JSON.parse(answer.body.toString()) as Record<string, unknown>;
      if (typeof created.FunctionArn === 'string') pendingUntil.set(created.FunctionArn, Date.now() + realistic!.model.versionActivationMs);
      sendJson(res, answer.status, { 'content-type': 'application/json', 'x-amzn-requestid': String(answer.headers['x-amzn-requestid'] ?? requestId()) }, withState(created));
      return true;
    }
    sendJson(res, answer.status, Object.fromEntries(Object.entries(answer.headers).filter(([k]) => k !== 'content-length' && k !== 'transfer-encoding').map(([k, v]) => [k, String(v)])), answer.body.toString());
    return true;
  }

  /**
   * SetAlarmState through the proxy (a person or a test setting a state by hand): CloudWatch records
   * a StateUpdate for it as for any evaluation, so the history does too when the state changes.
   */
  async function setAlarmState(req: IncomingMessage, res: ServerResponse, region: string, body: Buffer): Promise<void> {
    const input = JSON.parse(body.toString() || '{}') as { AlarmName?: string; StateValue?: string; StateReason?: string; StateReasonData?: string };
    const headers = { authorization: req.headers.authorization ?? '', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.DescribeAlarms' };
    const before = await motoCall(region, 'POST', '/', headers, JSON.stringify({ AlarmNames: [input.AlarmName ?? ''], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    const found = before.status === 200 ? (JSON.parse(before.body.toString()) as { MetricAlarms?: { StateValue?: string; StateReason?: string }[]; CompositeAlarms?: { StateValue?: string; StateReason?: string }[] }) : {};
    const metric = found.MetricAlarms?.[0];
    const composite = found.CompositeAlarms?.[0];
    const old = metric ?? composite;
    const answer = await motoCall(region, 'POST', req.url ?? '/', req.headers, body);
    const passHeaders = Object.fromEntries(Object.entries(answer.headers).filter(([k]) => k !== 'content-length' && k !== 'transfer-encoding').map(([k, v]) => [k, String(v)]));
    if (answer.status === 200 && old && input.AlarmName && input.StateValue && old.StateValue !== input.StateValue) {
      const from = old.StateValue as AlarmState;
      const to = input.StateValue as AlarmState;
      let reasonData: unknown;
      try {
        reasonData = input.StateReasonData ? JSON.parse(input.StateReasonData) : undefined;
      } catch {
        reasonData = undefined;
      }
      realistic!.history.record(await accountOf(req.headers), region, {
        AlarmName: input.AlarmName,
        AlarmType: metric ? 'MetricAlarm' : 'CompositeAlarm',
        Timestamp: new Date(),
        HistoryItemType: 'StateUpdate',
        HistorySummary: historySummary(from, to),
        HistoryData: historyData({ state: from, reason: old.StateReason ?? '' }, { state: to, reason: input.StateReason ?? '', reasonData }),
      });
    }
    sendJson(res, answer.status, passHeaders, answer.body.toString());
  }

  async function describeAlarmHistory(req: IncomingMessage, res: ServerResponse, region: string, body: Buffer): Promise<void> {
    const json = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId() };
    try {
      const query = (body.length > 0 ? JSON.parse(body.toString()) : {}) as HistoryQuery;
      const result = realistic!.history.query(await accountOf(req.headers), region, query);
      sendJson(res, 200, json, {
        AlarmHistoryItems: result.AlarmHistoryItems.map((i) => ({ ...i, Timestamp: i.Timestamp.getTime() / 1000 })),
        ...(result.NextToken ? { NextToken: result.NextToken } : {}),
      });
    } catch (error) {
      const code = error instanceof CloudWatchRequestError ? error.code : 'InvalidParameterValue';
      sendJson(res, 400, { ...json, 'x-amzn-query-error': `${code};Sender` }, { __type: code, message: (error as Error).message });
    }
  }

  function choose(operation: string, region: string): { delay: number; fault: Fault | null } {
    let delay = latency;
    let fault: Fault | null = null;
    for (const active of rules) {
      if (!matches(active.rule.operation, operation) || !matches(active.rule.region, region)) continue;
      const index = active.seen++;
      const after = active.rule.after ?? 0;
      const times = active.rule.times ?? Infinity;
      if (index < after || index >= after + times) continue;
      if (active.rule.fault.kind === 'delay') delay += active.rule.fault.ms;
      else if (!fault) fault = active.rule.fault;
    }
    return { delay, fault };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const operation = operationOf(req.method ?? 'GET', req.url ?? '/', req.headers);
    const region = regionOf(req.headers);
    const service = serviceOf(req.headers);
    const at = Date.now();
    const chosen = choose(operation, region);
    const delay = chosen.delay;
    let fault = chosen.fault;
    // AWS's quotas count the requests that reach it: those an injected fault stops never do.
    if (!fault && (await throttledByQuota(service, operation, region, req.headers))) fault = { kind: 'throttle' };
    if (realistic?.onCaller && region !== 'unknown') {
      const accessKeyId = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
      if (accessKeyId && !seenCallers.has(`${accessKeyId}/${region}`)) {
        seenCallers.add(`${accessKeyId}/${region}`);
        realistic.onCaller({ accessKeyId, account: await accountOf(req.headers), region });
      }
    }
    const entry: ProxyRequestLog = { service, operation, region, caller: callerOf(req.headers), fault: fault?.kind ?? null, at };
    log.push(entry);
    if (delay > 0) await sleep(delay);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'error') {
      const json = typeof req.headers['x-amz-target'] === 'string';
      const requestId = `fault-${Math.random().toString(16).slice(2, 10)}`;
      if (json) {
        res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId, 'x-amzn-query-error': `${fault.code};Sender` });
        res.end(JSON.stringify({ __type: fault.code, message: fault.message }));
      } else {
        res.writeHead(fault.status, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': fault.code });
        res.end(JSON.stringify({ Type: 'User', message: fault.message }));
      }
      return;
    }
    if (fault?.kind === 'throttle' || fault?.kind === 'status') {
      sendError(req, res, fault);
      return;
    }
    if (realistic && fault === null) {
      if (service === 'monitoring' && operation === 'DescribeAlarmHistory') {
        await describeAlarmHistory(req, res, region, body);
        return;
      }
      if (service === 'monitoring' && operation === 'SetAlarmState' && typeof req.headers['x-amz-target'] === 'string') {
        const forwardedAt = performance.now();
        await setAlarmState(req, res, region, body);
        entry.upstreamMs = performance.now() - forwardedAt;
        return;
      }
      if (service === 'lambda' && operation === 'PublishVersion') {
        const forwardedAt = performance.now();
        if (await publishVersion(req, res, region, body)) {
          entry.upstreamMs = performance.now() - forwardedAt;
          return;
        }
      }
      if (service === 'lambda' && (operation === 'GetFunctionConfiguration' || operation === 'GetFunction' || operation === 'ListVersionsByFunction') && pendingUntil.size > 0) {
        const forwardedAt = performance.now();
        const answer = await motoCall(region, req.method ?? 'GET', req.url ?? '/', req.headers, body);
        entry.upstreamMs = performance.now() - forwardedAt;
        const headers = Object.fromEntries(Object.entries(answer.headers).filter(([k]) => k !== 'content-length' && k !== 'transfer-encoding').map(([k, v]) => [k, String(v)]));
        sendJson(res, answer.status, headers, answer.status === 200 ? rewriteStates(operation, answer.body.toString()) : answer.body.toString());
        return;
      }
    }
    const target = upstreamFor(region);
    const forwardedAt = performance.now();
    const upstream = httpRequest(
      { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        answer.once('end', () => (entry.upstreamMs = performance.now() - forwardedAt));
        const status = answer.statusCode ?? 0;
        if (options.onAliasWrite && service === 'lambda' && (operation === 'CreateAlias' || operation === 'UpdateAlias') && status >= 200 && status < 300) {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.once('end', () => {
            try {
              options.onAliasWrite!({ at, region, operation, caller: entry.caller, alias: JSON.parse(Buffer.concat(parts).toString('utf8')) as AliasWrite['alias'] });
            } catch {
              // an answer that is not JSON is not an alias configuration: nothing to report
            }
          });
        }
        if (fault?.kind === 'reset-after-forward') {
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`fault proxy: upstream failed: ${error.message}`);
    });
    upstream.end(body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`fault proxy: ${error.message}`);
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    log,
    addRule(rule) {
      const active = { rule, seen: 0 };
      rules.push(active);
      return () => {
        rules = rules.filter((r) => r !== active);
      };
    },
    clearRules() {
      rules = [];
    },
    setLatency(ms) {
      latency = ms;
    },
    count(operation, opts = {}) {
      return log.filter((entry) => entry.operation === operation && (!opts.forwarded || entry.fault === null || entry.fault === 'delay' || entry.fault === 'reset-after-forward')).length;
    },
    resetLog() {
      log.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
