import * as core from '@actions/core';

export async function run(): Promise<void> {
  try {
    const config = core.getInput('config', { required: true });
    core.setOutput('config', config);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
