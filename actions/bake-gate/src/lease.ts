// The deployment's lease as bake-gate keeps it: renewed while the bake watches, ended when the
// wave's last bake passes. Loaded after the inputs are valid (it pulls in the SSM client).
//
// Renewals are spaced lease/3 apart, never once per poll: Parameter Store's PutParameter throughput
// is shared by the account and region. A renewal that fails is a warning, not a bake failure: the
// lease then runs out and the guardian rolls back, which is the safe side.
import type { AwsClients } from '../../../packages/aws/src/clients.js';
import { endLease, renewLease, storeContext, type StoreContext } from '../../../packages/aws/src/deployment-store.js';
import { decodeRecord, type Deployment } from '../../../packages/core/src/deployment.js';
import { lastBakeTransition } from '../../../packages/core/src/rollout.js';
import type { DeploymentEntry } from '../../../packages/core/src/guardian-entry.js';
import { logSafe } from '../../../packages/core/src/log-safe.js';

export interface LeaseLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** The deployment's store entry in one region, as far as the deployment JSON tells it (the store check compares alias, commit and run). */
export function entryOf(deployment: Deployment, region: string, lease: number | null, nowMs: number): DeploymentEntry {
  const functions = [...new Set(deployment.targets.filter((t) => t.region === region).map((t) => t.function))];
  return {
    service: deployment.service ?? null,
    stage: deployment.stage ?? null,
    wave: deployment.wave ?? null,
    alias: deployment.alias,
    functions,
    regions: [...new Set(deployment.targets.map((t) => t.region))],
    alarms: [],
    commit: deployment.commit,
    run: deployment.run,
    lease,
    at: Math.floor(nowMs / 1000),
  };
}

export class LeaseKeeper {
  private readonly store: StoreContext;
  private readonly regions: string[];
  private lastRenewal: number;

  constructor(
    clients: AwsClients,
    private readonly deployment: Deployment,
    private readonly logger: LeaseLogger,
    private readonly now: () => number,
    storePath?: string,
  ) {
    this.store = storeContext({ clients, ...(storePath ? { path: storePath } : {}) });
    this.regions = [...new Set(deployment.targets.map((t) => t.region))];
    // wave-deploy wrote the lease when it shifted: the first renewal is due a third of a lease later.
    const shifted = Date.parse(deployment.shiftedAt);
    this.lastRenewal = Number.isNaN(shifted) ? now() : Math.min(shifted, now());
  }

  /** Milliseconds of the lease; null when the deployment has none. */
  get leaseMs(): number | null {
    const s = this.deployment.leaseSeconds;
    return s === undefined || s === null || s <= 0 ? null : s * 1000;
  }

  /** Renews the lease in every region when a third of it passed since the last renewal. */
  async renewIfDue(): Promise<void> {
    const lease = this.leaseMs;
    if (lease === null) return;
    const at = this.now();
    if (at - this.lastRenewal < lease / 3) return;
    this.lastRenewal = at;
    const until = Math.floor((at + lease) / 1000);
    await Promise.all(
      this.regions.map(async (region) => {
        try {
          const answer = await renewLease(this.store, region, entryOf(this.deployment, region, until, at), until);
          if (answer === 'renewed') this.logger.info(`lease renewed in ${region} until ${new Date(until * 1000).toISOString()}`);
          else this.logger.warn(`lease not renewed in ${region}: ${answer === 'missing' ? 'the deployment store holds no entry for this deployment' : 'the store entry belongs to another deployment (a newer run took over)'}`);
        } catch (error) {
          this.logger.warn(`lease not renewed in ${region}: ${logSafe((error as Error).message, 1000)}; the guardian rolls back when it runs out`);
        }
      }),
    );
  }

  /** Ends the lease in every region (the wave's last bake passed). Returns the regions where it failed, with why. */
  async end(): Promise<string[]> {
    const at = this.now();
    const failed: string[] = [];
    await Promise.all(
      this.regions.map(async (region) => {
        try {
          const answer = await endLease(this.store, region, entryOf(this.deployment, region, null, at));
          if (answer === 'ended') {
            for (const t of this.deployment.targets.filter((x) => x.region === region)) {
              const decoded = decodeRecord(t.record);
              this.logger.info(logSafe(`transition ${region} ${t.function}:${t.alias}: ${lastBakeTransition(decoded.kind === 'record' ? decoded.record : null)}`, 1000));
            }
          }
          this.logger.info(
            answer === 'ended'
              ? `lease ended in ${region}: the deployment store entry is deleted, the aliases are at rest`
              : answer === 'missing'
                ? `lease in ${region}: no store entry for this deployment (nothing to end)`
                : `lease in ${region}: the store entry belongs to another deployment; left alone`,
          );
        } catch (error) {
          failed.push(`${region}: ${logSafe((error as Error).message, 1000)}`);
        }
      }),
    );
    return failed;
  }
}
