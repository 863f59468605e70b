// Starts one moto server for the whole run and a recording proxy in front of it; the proxy's URL
// reaches every test worker through SAFE_DEPLOY_MOTO_ENDPOINT, so every AWS call any suite makes
// against the shared moto is recorded (service, operation, region, the SDK user agent's
// `caller/<action>`, the resource). global-teardown.mjs writes that record to
// test-results/aws-calls.json and fails the run when an action made a call its IAM policy under
// iam/ does not allow (test/helpers/iam.ts). Tests that must not share state create resources with
// unique names (see test/helpers/aws.ts) or start a private server with startMoto().
// Plain JavaScript: jest loads global setup outside its module mapper, so the TypeScript
// launcher is imported through tsx.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  if (process.env.SAFE_DEPLOY_MOTO_ENDPOINT) return; // an outer runner already started one
  const { startMoto } = await tsImport('../../packages/local/src/moto.ts', import.meta.url);
  const { startRecorder } = await tsImport('./iam.ts', import.meta.url);
  const moto = await startMoto();
  const recorder = await startRecorder(moto.endpoint);
  process.env.SAFE_DEPLOY_MOTO_ENDPOINT = recorder.endpoint;
  globalThis.__safeDeployMoto = moto;
  globalThis.__safeDeployRecorder = recorder;
}
