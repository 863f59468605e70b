// The deploy window of the safe-deploy config, as a check the bake policy calls before it
// starts and before it declares `baked` (so nothing is promoted outside the window).
import { readFile } from 'node:fs/promises';
import type { WindowCheck } from '../../../packages/core/src/bake.js';
import { loadConfigOrThrow } from '../../../packages/core/src/config-loader.js';
import { checkWindow } from '../../../packages/core/src/windows.js';

export async function loadWindowCheck(path: string): Promise<WindowCheck> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`input config: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const config = loadConfigOrThrow(path, text);
  return (now: Date) => {
    const verdict = checkWindow(config.windows, now.getTime());
    return { open: verdict.open, reason: verdict.reason };
  };
}
