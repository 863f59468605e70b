// The realistic local AWS in one call: moto, the fault proxy in realistic mode (quotas,
// DescribeAlarmHistory, PublishVersion reuse, Pending versions), the alarm evaluator and the
// history they share, on one RealisticModel. Point the code under test at `endpoint` (the proxy);
// write Lambda's metrics with `traffic()` (late, stamped at invocation start). Stop it with stop().
//
//   const world = await startRealisticWorld({ model: { timeScale: 60 } });
//   const clients = new AwsClients({ endpoint: world.endpoint, ... });
//   const live = world.traffic([spec]);
//   ...
//   await live.stop(); await world.stop();
import { AwsClients } from '../../aws/src/clients.js';
import { AlarmHistory } from './alarm-history.js';
import { startAlarmEvaluator, type AlarmEvaluator, type EvaluatorCredentials } from './alarm-evaluator.js';
import { startFaultProxy, type FaultProxy, type FaultProxyOptions, type FaultRule } from './fault-proxy.js';
import { startMoto, type MotoServer } from './moto.js';
import { realisticModel, type RealisticModel, type RealisticOptions } from './realistic.js';
import { startTraffic, type LiveTraffic, type TrafficSpec } from './traffic.js';

export interface RealisticWorldOptions {
  /** A model, or the options to make one (default: realisticModel()). */
  readonly model?: RealisticModel | RealisticOptions;
  /** Use this moto instead of starting one (the world then leaves it running on stop). */
  readonly motoEndpoint?: string;
  /** Fault rules for the proxy from the start. */
  readonly rules?: FaultRule[];
  /** Accounts and regions the evaluator watches from the start (callers seen at the proxy are added on their own). */
  readonly watch?: readonly { credentials: EvaluatorCredentials; regions: readonly string[]; account?: string }[];
  /** Run the evaluator on its timer (default true). */
  readonly evaluatorTimer?: boolean;
  /** Every alias write AWS accepted through the proxy (FaultProxyOptions.onAliasWrite). */
  readonly onAliasWrite?: FaultProxyOptions['onAliasWrite'];
}

export interface RealisticWorld {
  readonly model: RealisticModel;
  /** The fault proxy's endpoint: what the code under test talks to. */
  readonly endpoint: string;
  /** moto's own endpoint (for writes that are AWS's own: Lambda's metrics, fixtures). */
  readonly motoEndpoint: string;
  readonly proxy: FaultProxy;
  readonly history: AlarmHistory;
  readonly evaluator: AlarmEvaluator;
  /**
   * Starts Lambda's metrics for these aliases, written straight to moto (Lambda's own writes are
   * no API calls of yours), late and stamped at invocation start. `credentials` default to moto's
   * test account.
   */
  traffic(specs: readonly TrafficSpec[], options?: { tickMs?: number; credentials?: EvaluatorCredentials }): LiveTraffic;
  stop(): Promise<void>;
}

const TEST_KEYS = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };

export async function startRealisticWorld(options: RealisticWorldOptions = {}): Promise<RealisticWorld> {
  const model = options.model && 'local' in options.model ? options.model : realisticModel((options.model as RealisticOptions | undefined) ?? {});
  let moto: MotoServer | null = null;
  const motoEndpoint = options.motoEndpoint ?? (moto = await startMoto()).endpoint;
  const history = new AlarmHistory();
  const evaluator = startAlarmEvaluator({ endpoint: motoEndpoint, model, history, watch: options.watch, timer: options.evaluatorTimer });
  let proxy: FaultProxy;
  try {
    proxy = await startFaultProxy({
      target: motoEndpoint,
      rules: options.rules,
      ...(options.onAliasWrite ? { onAliasWrite: options.onAliasWrite } : {}),
      realistic: { model, history, onCaller: ({ accessKeyId, account, region }) => evaluator.watch({ accessKeyId }, [region], account) },
    });
  } catch (error) {
    await evaluator.stop();
    await moto?.stop();
    throw error;
  }
  const clientSets: AwsClients[] = [];
  const live: LiveTraffic[] = [];
  return {
    model,
    endpoint: proxy.endpoint,
    motoEndpoint,
    proxy,
    history,
    evaluator,
    traffic(specs, trafficOptions = {}) {
      const credentials = trafficOptions.credentials ?? TEST_KEYS;
      const clients = new AwsClients({
        endpoint: motoEndpoint,
        credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey ?? 'testing', sessionToken: credentials.sessionToken },
        caller: 'lambda-metrics',
      });
      clientSets.push(clients);
      const traffic = startTraffic(clients, specs, { tickMs: trafficOptions.tickMs ?? 1000, realistic: model });
      live.push(traffic);
      return traffic;
    },
    async stop() {
      await Promise.allSettled(live.map((t) => t.stop()));
      await evaluator.stop();
      await proxy.close();
      for (const c of clientSets) c.destroy();
      await moto?.stop();
    },
  };
}
