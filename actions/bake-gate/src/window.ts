// The safe-deploy config as bake-gate uses it: its deploy window, as a check the bake policy calls
// before it starts and before it declares `baked` (so nothing is promoted outside the window), and
// its `judge:` section (the false-positive rate and the minimum effect of the judge).
import { readFile } from 'node:fs/promises';
import type { WindowCheck } from '../../../packages/core/src/bake.js';
import { loadConfigOrThrow } from '../../../packages/core/src/config-loader.js';
import type { Judge } from '../../../packages/core/src/config.js';
import { checkWindow } from '../../../packages/core/src/windows.js';

export async function loadBakeConfig(path: string): Promise<{ window: WindowCheck; judge: Judge | undefined }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`input config: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const config = loadConfigOrThrow(path, text);
  return {
    window: (now: Date) => {
      const verdict = checkWindow(config.windows, now.getTime());
      return { open: verdict.open, reason: verdict.reason };
    },
    judge: config.judge,
  };
}

export async function loadWindowCheck(path: string): Promise<WindowCheck> {
  return (await loadBakeConfig(path)).window;
}
