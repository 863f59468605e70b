export default async function globalTeardown() {
  await globalThis.__safeDeployMoto?.stop();
}
