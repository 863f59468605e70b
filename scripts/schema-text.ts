// The exact text of schema/safe-deploy.schema.json, shared by scripts/gen-schema.ts and the staleness test.
import { configJsonSchema } from '../packages/core/src/config.js';

export function schemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
