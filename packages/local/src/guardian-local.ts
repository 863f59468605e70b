// The guardian installed in one local account: what the CloudFormation stack (guardian/template.yml)
// does on AWS, for the demo. EventBridge's part is played here:
//   - every alarm state change of the account's regions (the realistic AWS's alarm evaluator records
//     them) is delivered as a "CloudWatch Alarm State Change" event, within `deliverEveryMs`;
//   - every region gets the sweep's "Scheduled Event" every `sweepEveryMs` (one production minute,
//     scaled: the rule's rate(1 minute)).
// Each event is one invocation of the guardian's own runGuardian with the settings readSettings
// takes from the function's environment (store path, stop-the-line alarms, bus) and clients of the
// account (caller `guardian`), one region at a time as Lambda would run one function per region.
// Every invocation that rolled something back (or failed to) is reported to `onRun`.
import { AwsClients } from '../../aws/src/clients.js';
import { alarmStateChangeEvent, sweepEvent } from '../../core/src/guardian-events.js';
import { readSettings, runGuardian, type GuardianResult } from '../../guardian/src/index.js';
import type { StateChange } from './alarm-evaluator.js';
import type { Credentials } from './provision.js';

export interface LocalGuardianOptions {
  /** Where the guardian's calls go (the realistic AWS's proxy, like the bundles' calls). */
  readonly endpoint: string;
  /** The account's credentials the guardian acts with. */
  readonly credentials: Credentials;
  readonly account: string;
  readonly regions: readonly string[];
  /** The guardian function's environment (SAFE_DEPLOY_STORE_PATH, SAFE_DEPLOY_STOP_ALARMS, SAFE_DEPLOY_EVENT_BUS). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Alarm state changes so far (the evaluator's list, read as it grows); none in the instant world. */
  readonly changes: () => readonly StateChange[];
  readonly sweepEveryMs: number;
  /** How often new alarm state changes are delivered (EventBridge's delivery delay). */
  readonly deliverEveryMs?: number;
  readonly onRun?: (run: LocalGuardianRun) => void;
}

export interface LocalGuardianRun {
  /** When the invocation ended (ms since the epoch). */
  readonly at: number;
  readonly durationMs: number;
  readonly region: string;
  /** `alarm <name> -> ALARM` or `sweep`. */
  readonly trigger: string;
  readonly result: GuardianResult | null;
  readonly error: string | null;
}

export class LocalGuardian {
  private readonly clients: AwsClients;
  private readonly queues = new Map<string, Promise<void>>();
  private readonly sweepQueued = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private delivered = 0;
  private stopped = false;
  private invocations = 0;
  /** Every invocation that rolled back or failed to, in order. */
  readonly runs: LocalGuardianRun[] = [];

  constructor(private readonly options: LocalGuardianOptions) {
    this.clients = new AwsClients({ caller: 'guardian', endpoint: options.endpoint, credentials: options.credentials });
    // Only changes from now on are events for this guardian (it was just installed).
    this.delivered = options.changes().length;
  }

  start(): void {
    this.timers.push(setInterval(() => this.deliver(), this.options.deliverEveryMs ?? 200));
    this.timers.push(setInterval(() => this.options.regions.forEach((region) => this.sweep(region)), this.options.sweepEveryMs));
  }

  /** Invocations so far (events and sweeps). */
  count(): number {
    return this.invocations;
  }

  private deliver(): void {
    const all = this.options.changes();
    for (const change of all.slice(this.delivered)) {
      if (change.account !== this.options.account || !this.options.regions.includes(change.region)) continue;
      const event = alarmStateChangeEvent({
        region: change.region,
        account: change.account,
        alarmName: change.alarmName,
        state: change.to,
        previous: change.from,
        reason: change.reason,
        time: new Date(change.at).toISOString(),
        id: `local-${change.region}-${change.at}-${change.alarmName}`,
      });
      this.invoke(change.region, `alarm ${change.alarmName} -> ${change.to}`, event);
    }
    this.delivered = all.length;
  }

  private sweep(region: string): void {
    // A sweep still waiting behind the last one adds nothing: the rule's next tick comes anyway.
    if (this.sweepQueued.has(region)) return;
    this.sweepQueued.add(region);
    this.invoke(region, 'sweep', sweepEvent(region, `local-sweep-${region}-${Date.now()}`, new Date().toISOString(), this.options.account), () => this.sweepQueued.delete(region));
  }

  private invoke(region: string, trigger: string, event: Record<string, unknown>, started?: () => void): void {
    const previous = this.queues.get(region) ?? Promise.resolve();
    const next = previous.then(async () => {
      started?.();
      if (this.stopped) return;
      this.invocations += 1;
      const t0 = Date.now();
      let result: GuardianResult | null = null;
      let error: string | null = null;
      try {
        const settings = readSettings({ ...this.options.env, AWS_REGION: region });
        result = await runGuardian(event, { settings, clients: this.clients, log: () => undefined });
      } catch (e) {
        error = (e as Error).message;
      }
      if (error !== null || (result && result.rollbacks.length > 0)) {
        const run: LocalGuardianRun = { at: Date.now(), durationMs: Date.now() - t0, region, trigger, result, error };
        this.runs.push(run);
        this.options.onRun?.(run);
      }
    });
    this.queues.set(region, next);
  }

  /** Waits until `check` holds on the runs so far, or `timeoutMs` passes; returns whether it held. */
  async waitFor(check: (runs: readonly LocalGuardianRun[]) => boolean, timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!check(this.runs)) {
      if (Date.now() > until) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await Promise.all(this.queues.values());
    this.clients.destroy();
  }
}
