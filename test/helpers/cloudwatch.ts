// CloudWatch test helpers: alarms (created, set to a state), Lambda metrics written the way the
// traffic simulator writes them, and one-box deployments on moto with versions published here, so
// bake-gate tests do not depend on wave-deploy.
import { UpdateAliasCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../../packages/aws/src/clients.js';
import type { Deployment } from '../../packages/core/src/deployment.js';
import { encodeRecord } from '../../packages/core/src/deployment.js';
import { putErrorAlarm, setAlarmState, trafficForDeployment, writeTraffic, type TrafficSpec } from '../../packages/local/src/traffic.js';
import { createAlias, createFunctions, createRole, motoEndpoint, publishVersion, rawLambda, uniqueName } from './aws.js';

export { setAlarmState, writeTraffic };

/** Creates an Errors alarm per region and sets it to `state` (moto leaves new alarms in INSUFFICIENT_DATA). */
export async function createAlarms(
  clients: AwsClients,
  regions: readonly string[],
  name: string,
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' = 'OK',
): Promise<void> {
  await Promise.all(regions.map((region) => putErrorAlarm(clients, region, name, { function: 'any', alias: 'live' }, state)));
}

export interface OneBox {
  readonly deployment: Deployment;
  readonly specs: TrafficSpec[];
}

/**
 * Functions in every region with a stable and a candidate version published on moto and an alias
 * routing `weight` to the candidate, plus the matching `deployment` JSON (as wave-deploy would
 * write it) and traffic specs for the simulator.
 */
export async function oneBox(options: {
  regions: readonly string[];
  functions?: number;
  alias?: string;
  weight?: number;
  perMinute?: number;
  candidateErrorRate?: number;
  shiftedAt?: Date;
  endpoint?: string;
  /** Function timeout in seconds, set before the versions are published (moto's default is 3). */
  timeoutSeconds?: number;
}): Promise<OneBox> {
  const endpoint = options.endpoint ?? motoEndpoint();
  const alias = options.alias ?? 'live';
  const weight = options.weight ?? 0.1;
  const role = await createRole(endpoint);
  const names = Array.from({ length: options.functions ?? 1 }, () => uniqueName('sd-bake'));
  const targets: Deployment['targets'] = [];
  for (const name of names) {
    const fns = await createFunctions({ regions: options.regions, name, role, endpoint });
    for (const fn of fns) {
      if (options.timeoutSeconds !== undefined) {
        const lambda = rawLambda(fn.region, endpoint);
        try {
          await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: options.timeoutSeconds }));
        } finally {
          lambda.destroy();
        }
      }
      const stable = await publishVersion(fn, 'stable', 'stable', endpoint);
      const candidate = await publishVersion(fn, 'candidate', 'candidate', endpoint);
      await createAlias(fn, alias, stable, { endpoint });
      const record = encodeRecord({ v: 1, stable, candidate, previous: null, weight, state: 'baking', commit: 'abc123def456', run: '42', at: Math.floor(Date.now() / 1000) });
      const lambda = rawLambda(fn.region, endpoint);
      try {
        await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: stable, Description: record, RoutingConfig: { AdditionalVersionWeights: { [candidate]: weight } } }));
      } finally {
        lambda.destroy();
      }
      targets.push({ region: fn.region, function: name, alias, stable, candidate, weight, revision: null, record });
    }
  }
  const deployment: Deployment = {
    format: 1,
    service: 'orders',
    stage: 'gamma',
    wave: 'onebox',
    alias,
    commit: 'abc123def4567890',
    run: '42',
    traffic: weight,
    shiftedAt: (options.shiftedAt ?? new Date()).toISOString(),
    targets,
  };
  const specs = trafficForDeployment(deployment, { perMinute: options.perMinute ?? 1200, candidateErrorRate: options.candidateErrorRate ?? 0 });
  return { deployment, specs };
}
