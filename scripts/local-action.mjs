#!/usr/bin/env node
// Runs one action's TypeScript source locally with @github/local-action (no build, no runner):
//   npm run local -- plan                 uses .env.example
//   npm run local -- plan my.env          uses another dotenv file (copy .env.example to .env; .env is ignored by git)
// local-action reads the INPUT_* variables from the dotenv file, stubs @actions/core and prints the
// outputs and the job summary. The action's `run` export in actions/<name>/src/main.ts is what it calls.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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
// The summary file must exist before the action appends to it (tmp/ is ignored by git).
const summary = /^GITHUB_STEP_SUMMARY=(.+)$/m.exec(readFileSync(join(root, envFile), 'utf8'))?.[1]?.trim();
if (summary) {
  const path = resolve(root, summary);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
}
// The entrypoint is resolved relative to the action directory.
const result = spawnSync('npx', ['local-action', join('actions', name), join('src', 'main.ts'), envFile], { cwd: root, stdio: 'inherit' });
if (summary) console.log(`job summary: ${summary}`);
process.exit(result.status ?? 1);
