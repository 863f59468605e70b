import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { schemaText } from '../../scripts/schema-text.js';
import { KNOWN_KEYS } from '../../packages/core/src/config.js';

describe('schema/safe-deploy.schema.json', () => {
  it('is what `npm run schema` generates from the zod schema (run it and commit when this fails)', () => {
    expect(readFileSync('schema/safe-deploy.schema.json', 'utf8')).toBe(schemaText());
  });

  it('describes the keys editors complete, with defaults and the region list', () => {
    const schema = JSON.parse(schemaText());
    expect(schema.required).toEqual(['service', 'functions', 'stages']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.alias.default).toBe('live');
    const stage = schema.properties.stages.items;
    expect(Object.keys(stage.properties)).toEqual(['name', 'environment', 'regions', 'tests', 'onebox', 'bake', 'waves', 'max-wave-size']);
    expect(stage.properties.regions.items.enum).toEqual(expect.arrayContaining(['us-east-1', 'cn-north-1', 'us-gov-west-1', 'us-isob-east-1']));
    expect(stage.properties.onebox.properties.traffic.pattern).toBeDefined();
    expect(Object.keys(schema.properties.windows.properties)).toEqual(['timezone', 'allow', 'freeze']);
  });

  it('names every key of the file in KNOWN_KEYS (used for did-you-mean hints)', () => {
    const keys = new Set<string>();
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node && typeof node === 'object') {
        const properties = (node as { properties?: Record<string, unknown> }).properties;
        if (properties) Object.keys(properties).forEach((key) => keys.add(key));
        Object.values(node).forEach(visit);
      }
    };
    visit(JSON.parse(schemaText()));
    expect([...keys].sort()).toEqual([...KNOWN_KEYS].sort());
  });
});
