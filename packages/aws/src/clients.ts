// One Lambda and one CloudWatch client per region, reused for the life of the process.
// Retries are the SDK's own (standard mode); endpoints follow AWS_ENDPOINT_URL through the SDK.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';

export const USER_AGENT = ['safe-deploy', '1.0.0'] as const;

export interface ClientOptions {
  /**
   * The action or component making the calls (`wave-deploy`, `rollback`, ...). It goes into the SDK's
   * user agent as `caller/<name>`, so a recording proxy (and CloudTrail's userAgent field) can tell
   * which path made each call: the IAM policies under iam/ are checked against exactly that.
   */
  readonly caller?: string;
  /** Attempts per call including the first (SDK standard retry mode). */
  readonly maxAttempts?: number;
  /** Endpoint for every client (tests, the fault proxy); by default the SDK follows AWS_ENDPOINT_URL. */
  readonly endpoint?: string;
  /** Static credentials (tests against moto); by default the SDK's credential chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

export class AwsClients {
  private readonly lambdas = new Map<string, LambdaClient>();
  private readonly cloudwatches = new Map<string, CloudWatchClient>();
  private readonly others = new Map<string, { destroy(): void }>();

  constructor(private readonly options: ClientOptions = {}) {}

  /** The settings every client gets: region, standard retries, user agent with the caller, endpoint, credentials. */
  config(region: string) {
    return {
      region,
      retryMode: 'standard',
      maxAttempts: this.options.maxAttempts ?? 5,
      customUserAgent: [[USER_AGENT[0], USER_AGENT[1]], ...(this.options.caller ? [['caller', this.options.caller]] : [])] as [string, string][],
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
      ...(this.options.credentials ? { credentials: { ...this.options.credentials } } : {}),
    };
  }

  lambda(region: string): LambdaClient {
    let client = this.lambdas.get(region);
    if (!client) {
      client = new LambdaClient(this.config(region));
      this.lambdas.set(region, client);
    }
    return client;
  }

  cloudwatch(region: string): CloudWatchClient {
    let client = this.cloudwatches.get(region);
    if (!client) {
      client = new CloudWatchClient(this.config(region));
      this.cloudwatches.set(region, client);
    }
    return client;
  }

  /**
   * A client of another service (SSM for the deployment store, EventBridge for the guardian), made by
   * `make` with the same settings, kept per service and region and destroyed with the others. The
   * SDK package is imported by the adapter that needs it, so bundles that never call it stay small.
   */
  other<T extends { destroy(): void }>(service: string, region: string, make: (config: ReturnType<AwsClients['config']>) => T): T {
    const key = `${service} ${region}`;
    let client = this.others.get(key) as T | undefined;
    if (!client) {
      client = make(this.config(region));
      this.others.set(key, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of [...this.lambdas.values(), ...this.cloudwatches.values(), ...this.others.values()]) client.destroy();
    this.lambdas.clear();
    this.cloudwatches.clear();
    this.others.clear();
  }
}
