// The committed wire types are what the API's OpenAPI document generates now: a schema change
// without `npm run gen:client` fails here (and so in CI), naming the command that fixes it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WIRE_FILE, defaultDocument, generateWire } from '../scripts/gen-wire.js';

describe('wire.gen.ts', () => {
  it('equals what the current OpenAPI document generates (else run `npm run gen:client` and commit it)', async () => {
    const committed = readFileSync(WIRE_FILE, 'utf8');
    const fresh = await generateWire();
    expect(committed === fresh, 'packages/client/src/wire.gen.ts is stale: run `npm run gen:client` and commit it').toBe(true);
  });

  it('changes when the document does (the check can fail)', async () => {
    const doc = defaultDocument() as { components: { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> } };
    doc.components.schemas.JobAccepted.properties.webhook_url = { type: 'string' };
    const changed = await generateWire(doc);
    expect(changed).toContain('webhook_url?: string');
    expect(changed).not.toBe(readFileSync(WIRE_FILE, 'utf8'));
  });
});
