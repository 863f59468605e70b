// Reads where a service's releases stand, for the control loop (packages/core/src/next-step.ts): in
// every region of the loop's waves, the alias of each function (record, routing, RevisionId) and the
// guardian's store entry of the service (present while a wave is in flight there). Reads only.
import type { AliasSnapshot, RegionSnapshot } from '../../core/src/next-step.js';
import { AwsClients } from './clients.js';
import { readDeployment, storeContext, type StoreContext } from './deployment-store.js';
import { forEachTarget, lambdaContext, readAlias, type LambdaContext, type Logger } from './lambda.js';

export interface ReleaseStateRequest {
  readonly service: string | null;
  readonly alias: string;
  readonly functions: readonly string[];
  readonly regions: readonly string[];
  /** Parameter Store path of the guardian's store (default /safe-deploy). */
  readonly storePath?: string;
}

export interface ReleaseStateContext {
  readonly lambda: LambdaContext;
  readonly store: StoreContext;
}

export function releaseStateContext(options: { clients?: AwsClients; logger?: Logger; storePath?: string } = {}): ReleaseStateContext {
  const clients = options.clients ?? new AwsClients({ caller: 'plan' });
  return { lambda: lambdaContext({ clients, ...(options.logger ? { logger: options.logger } : {}) }), store: storeContext({ clients, ...(options.storePath ? { path: options.storePath } : {}) }) };
}

/** Every region's snapshot; a read that fails throws (the loop never decides on a partial picture). */
export async function readReleaseState(ctx: ReleaseStateContext, request: ReleaseStateRequest): Promise<Record<string, RegionSnapshot>> {
  const regions = [...new Set(request.regions)];
  const results = await forEachTarget(
    regions.map((region) => ({ region })),
    async ({ region }): Promise<RegionSnapshot> => {
      const aliases: AliasSnapshot[] = [];
      for (const fn of request.functions) {
        const view = await readAlias(ctx.lambda, { region, functionName: fn, alias: request.alias });
        if (!view) throw new Error(`alias ${request.alias} of ${fn} does not exist in ${region}`);
        aliases.push({
          function: fn,
          version: view.version,
          weights: view.weights,
          revision: view.revision,
          description: view.description,
          record: view.record.kind === 'record' ? view.record.record : null,
          corrupt: view.record.kind === 'corrupt' ? view.record.reason : null,
        });
      }
      const stored = await readDeployment(ctx.store, region, { service: request.service, alias: request.alias, functions: request.functions });
      if (stored && !stored.ok) throw new Error(`the guardian's store entry ${stored.name} in ${region} cannot be read: ${stored.problem}`);
      const entry = stored?.ok ? { wave: stored.entry.wave, commit: stored.entry.commit, run: stored.entry.run, lease: stored.entry.lease, at: stored.entry.at } : null;
      return { region, aliases, entry };
    },
  );
  const out: Record<string, RegionSnapshot> = {};
  for (const r of results) {
    if (!r.ok) throw new Error(`${r.target.region}: cannot read the release state: ${r.error instanceof Error ? r.error.message : String(r.error)}`);
    out[r.target.region] = r.value;
  }
  return out;
}
