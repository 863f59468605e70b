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
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

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
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstreamFor = (region: string): URL => new URL(typeof options.target === 'string' ? options.target : options.target(region));
  let latency = options.latencyMs ?? 0;
  let rules: ActiveRule[] = (options.rules ?? []).map((rule) => ({ rule, seen: 0 }));
  const log: ProxyRequestLog[] = [];

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
    const { delay, fault } = choose(operation, region);
    const entry: ProxyRequestLog = { service: serviceOf(req.headers), operation, region, caller: callerOf(req.headers), fault: fault?.kind ?? null, at: Date.now() };
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
    const target = upstreamFor(region);
    const forwardedAt = performance.now();
    const upstream = httpRequest(
      { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        answer.once('end', () => (entry.upstreamMs = performance.now() - forwardedAt));
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
