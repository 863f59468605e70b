// A private copy of the action bundles in dist/, taken once before a long run (campaign, tests) so a
// build of dist/ that happens meanwhile cannot change the code under test half way.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const PIPELINE_BUNDLES = ['alarm-check', 'bake-gate', 'rollback', 'wave-deploy'] as const;

/** Copies `source` to `target` until every named bundle is there; a build writing dist/ right now gets a few seconds. */
export async function snapshotBundles(source: string, target: string, actions: readonly string[] = PIPELINE_BUNDLES, tries = 60): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    rmSync(target, { recursive: true, force: true });
    cpSync(source, target, { recursive: true });
    if (actions.every((a) => existsSync(join(target, a, 'index.js')))) return;
    if (attempt >= tries) throw new Error(`${source} lacks a bundle of ${actions.join(', ')}: run npm run build`);
    await new Promise((r) => setTimeout(r, 3000));
  }
}
