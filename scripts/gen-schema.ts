// Writes schema/safe-deploy.schema.json from the zod schema in packages/core/src/config.ts.
//   npm run schema            regenerate the file
//   npm run schema -- --check fail (exit 1) when the committed file is stale
// Editors pick it up through `# yaml-language-server: $schema=...` or a SchemaStore-style mapping.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { schemaText } from './schema-text.js';

const target = fileURLToPath(new URL('../schema/safe-deploy.schema.json', import.meta.url));
const text = schemaText();

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error('schema/safe-deploy.schema.json is stale; run `npm run schema` and commit it');
    process.exit(1);
  }
  console.log('schema/safe-deploy.schema.json is up to date');
} else {
  writeFileSync(target, text);
  console.log(`wrote schema/safe-deploy.schema.json (${text.length} bytes)`);
}
