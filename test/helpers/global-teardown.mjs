// Stops the shared moto and its recording proxy (global-setup.mjs). Before that, every AWS call an
// action made during the run is written to test-results/aws-calls.json and checked against the
// IAM policy of its path (iam/deployer.json for every action in a deploy job; iam/rollback.json for
// rollback alone; iam/watch.json for alarm-check and bake-gate; iam/guardian.json for the guardian's
// function, caller/guardian): a call the policy does not allow fails the run, naming the action and
// the resource.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  const recorder = globalThis.__safeDeployRecorder;
  let problems = [];
  if (recorder) {
    const { denied, POLICY_OF_CALLER, NARROW_POLICY_OF_CALLER } = await tsImport('./iam.ts', import.meta.url);
    const calls = recorder.calls.filter((c) => c.caller && c.caller in POLICY_OF_CALLER);
    const root = new URL('../../', import.meta.url).pathname;
    mkdirSync(`${root}test-results`, { recursive: true });
    writeFileSync(`${root}test-results/aws-calls.json`, `${JSON.stringify(calls, null, 1)}\n`);
    for (const caller of new Set(calls.map((c) => c.caller))) {
      const mine = calls.filter((c) => c.caller === caller);
      problems.push(...denied(POLICY_OF_CALLER[caller], mine).map((p) => `iam/${POLICY_OF_CALLER[caller]}.json does not allow ${p}`));
      const narrow = NARROW_POLICY_OF_CALLER[caller];
      if (narrow) problems.push(...denied(narrow, mine).map((p) => `iam/${narrow}.json does not allow ${p}`));
    }
    await recorder.close();
  }
  await globalThis.__safeDeployMoto?.stop();
  if (problems.length > 0) {
    throw new Error(`AWS calls made during the tests that the IAM policies under iam/ do not allow:\n${problems.join('\n')}`);
  }
}
