// Starts one moto server for the whole run; its URL reaches every test worker through
// SAFE_DEPLOY_MOTO_ENDPOINT. Tests that must not share state create resources with unique
// names (see test/helpers/aws.ts) or start a private server with startMoto().
// Plain JavaScript: jest loads global setup outside its module mapper, so the TypeScript
// launcher is imported through tsx.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  if (process.env.SAFE_DEPLOY_MOTO_ENDPOINT) return; // an outer runner already started one
  const { startMoto } = await tsImport('../../packages/local/src/moto.ts', import.meta.url);
  const moto = await startMoto();
  process.env.SAFE_DEPLOY_MOTO_ENDPOINT = moto.endpoint;
  globalThis.__safeDeployMoto = moto;
}
