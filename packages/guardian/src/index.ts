// The guardian's Lambda entry (dist/guardian/index.js, export `handler`): thin. It reads its
// environment, makes the clients (caller `guardian`), runs one evaluation and prints one JSON line
// per decision. Environment:
//   SAFE_DEPLOY_STOP_ALARMS  stop-the-line alarms, names or `prefix:`, separated by commas or newlines
//   SAFE_DEPLOY_EVENT_BUS    bus for the rollback notifications (name or ARN; default `default`; `none` sends none)
//   SAFE_DEPLOY_STORE_PATH   Parameter Store path of the deployment store (default /safe-deploy)
//   AWS_REGION               set by Lambda: the region it watches when an event names none
// A rollback that fails makes the invocation fail (Lambda retries the event; the Errors metric of the
// function shows it); a bad record or store entry is reported and does not.
import { AwsClients } from '../../aws/src/clients.js';
import { logSafe } from '../../core/src/log-safe.js';
import { DEFAULT_STORE_PATH, checkStorePath } from '../../core/src/guardian-entry.js';
import { parseStopAlarms } from '../../core/src/guardian.js';
import { runGuardian, type GuardianResult, type GuardianSettings } from './guardian.js';

export { stopTheLine, type StopTheLineVerdict } from './stop-the-line.js';
export { runGuardian, type GuardianResult } from './guardian.js';

/** Reads the guardian's environment; an error names the variable. */
export function readSettings(env: Readonly<Record<string, string | undefined>> = process.env): GuardianSettings {
  const bus = (env.SAFE_DEPLOY_EVENT_BUS ?? '').trim();
  return {
    stop: parseStopAlarms(env.SAFE_DEPLOY_STOP_ALARMS),
    eventBus: bus === '' ? 'default' : bus.toLowerCase() === 'none' ? null : bus,
    storePath: checkStorePath((env.SAFE_DEPLOY_STORE_PATH ?? '').trim() || DEFAULT_STORE_PATH, 'SAFE_DEPLOY_STORE_PATH'),
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || null,
  };
}

export interface LambdaContextLike {
  readonly awsRequestId?: string;
}

export async function handler(event: unknown, _context?: LambdaContextLike): Promise<GuardianResult> {
  const settings = readSettings();
  const clients = new AwsClients({ caller: 'guardian' });
  try {
    const result = await runGuardian(event, { settings, clients, log: (line) => console.log(JSON.stringify(line)) });
    const failed = result.rollbacks.filter((r) => r.outcome === 'failed');
    if (failed.length > 0) {
      throw new Error(`guardian: ${failed.length} rollback(s) failed: ${failed.map((r) => logSafe(`${r.decision.region} ${r.decision.function}:${r.decision.alias}: ${r.error}`)).join('; ')}`);
    }
    return result;
  } finally {
    clients.destroy();
  }
}
