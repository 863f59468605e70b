#!/usr/bin/env node
// Bundles every action (actions/<name>/src/index.ts) into dist/<name>/index.js with ncc, and the
// guardian's Lambda handler (packages/guardian/src/index.ts) into dist/guardian/index.js (ESM; the
// emitted dist/guardian/package.json says "type": "module", which the Node 24 Lambda runtime honours).
// `npm run build` builds all of them; `npm run build -- plan guardian` builds only those.
// Each dist/<name> folder is emptied first so a removed chunk never lingers in a commit.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// Bundles that are not actions: name -> entry.
const extra = { guardian: join('packages', 'guardian', 'src', 'index.ts') };
const entryOf = (name) => extra[name] ?? join('actions', name, 'src', 'index.ts');
const all = [...readdirSync(join(root, 'actions')).filter((name) => existsSync(join(root, 'actions', name, 'src', 'index.ts'))), ...Object.keys(extra)].sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`build: no action named ${unknown.join(', ')} (actions: ${all.join(', ')})`);
  process.exit(2);
}
const targets = wanted.length > 0 ? wanted : all;

function bundle(name) {
  const out = join(root, 'dist', name);
  rmSync(out, { recursive: true, force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'), 'build', entryOf(name), '-o', join('dist', name), '-m', '-q', '--license', 'licenses.txt', '--target', 'es2022'],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.on('exit', (code) => (code === 0 ? resolve(name) : reject(new Error(`ncc failed for ${name} (exit ${code})`))));
  });
}

// Two at a time: ncc is CPU bound and the machines have two cores.
const queue = [...targets];
const started = Date.now();
async function worker() {
  while (queue.length > 0) {
    const name = queue.shift();
    const t0 = Date.now();
    await bundle(name);
    console.log(`built dist/${name}/index.js in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
}
await Promise.all([worker(), worker()]);
console.log(`built ${targets.length} bundle(s) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
