#!/usr/bin/env node
// Runs one action's TypeScript source locally with @github/local-action (no build, no runner):
//   npm run local -- plan                 uses .env.example
//   npm run local -- plan my.env          uses another dotenv file (copy .env.example to .env; .env is ignored by git)
// local-action reads the INPUT_* variables from the dotenv file, stubs @actions/core and prints the
// outputs and the job summary. The action's `run` export in actions/<name>/src/main.ts is what it calls.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const [name, envFile = '.env.example'] = process.argv.slice(2);
const actions = readdirSync(join(root, 'actions')).filter((entry) => existsSync(join(root, 'actions', entry, 'src', 'main.ts')));
if (!name || !actions.includes(name)) {
  console.error(`usage: npm run local -- <action> [dotenv file]   (actions: ${actions.join(', ')})`);
  process.exit(2);
}
if (!existsSync(join(root, envFile))) {
  console.error(`no dotenv file ${envFile}; copy .env.example and set the INPUT_* variables of ${name}`);
  process.exit(2);
}
// The entrypoint is resolved relative to the action directory.
const result = spawnSync('npx', ['local-action', join('actions', name), join('src', 'main.ts'), envFile], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
