/** Reads and validates a JSON request body against a zod schema, with typed errors. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { badJson, validationError } from './errors.js';

export async function parseBody<S extends z.ZodType>(c: Context, schema: S, what: string): Promise<z.output<S>> {
  let raw: unknown;
  const text = await c.req.text();
  try {
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch (e) {
    throw badJson(e instanceof Error ? e.message : String(e));
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw badJson('the body must be a JSON object');
  const r = schema.safeParse(raw);
  if (!r.success) throw validationError(r.error, what);
  return r.data;
}
