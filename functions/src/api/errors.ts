/**
 * Every API error is `{error: {code, message, hint}}` with the HTTP status from the one table in
 * packages/shared (HTTP_STATUS). Anything thrown that is not a PromptsegError becomes `internal`.
 */
import type { Context } from 'hono';
import { PromptsegError, toPromptsegError, type ErrorBody } from '@promptseg/shared';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

export function errorResponse(c: Context, e: unknown): Response {
  const err = toPromptsegError(e);
  if (err.code === 'internal') console.error('[api] internal error:', e);
  const headers: Record<string, string> = {};
  const retryAfter = err.details?.retry_after_s;
  if (typeof retryAfter === 'number') headers['Retry-After'] = String(retryAfter);
  return c.json({ error: err.toJSON() }, err.httpStatus as ContentfulStatusCode, headers);
}

const HINTS: Record<string, string> = {
  invalid_prompt: 'Name what to cut out, separated by commas, e.g. "person, dog, blue shirt" (at most 32 concepts, 2000 characters).',
  unknown_engine: 'Use engine "lite" (built in), "sam3" (open vocabulary, needs its model files) or "auto".',
  invalid_option: 'Fix the field named in the message; GET /v1/openapi.json describes every field.',
  invalid_webhook_url: 'Give an https URL of a public host, e.g. "https://example.com/hooks/promptseg" (README "Webhooks").',
};

/** The first zod issue as a typed error; all issues go in details. */
export function validationError(err: z.ZodError, what: string): PromptsegError {
  const issues = err.issues.map((i) => ({ path: i.path.join('.'), message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message }));
  const first = err.issues[0];
  const field = String(first?.path[0] ?? '');
  const code = field === 'prompt' ? 'invalid_prompt' : field === 'engine' ? 'unknown_engine' : field === 'webhook' ? 'invalid_webhook_url' : 'invalid_option';
  const where = issues[0]?.path ? `${issues[0].path}: ` : '';
  return new PromptsegError(code, `Invalid ${what}: ${where}${issues[0]?.message ?? 'invalid value'}.`, HINTS[code], { issues });
}

export function badJson(detail: string): PromptsegError {
  return new PromptsegError('bad_request', `The request body is not valid JSON (${detail}).`, 'Send a JSON object with Content-Type: application/json (NaN and Infinity are not JSON numbers).');
}

export type { ErrorBody };
