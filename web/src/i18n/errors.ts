/**
 * Errors from the service, worded by the page: the service's messages speak to developers and
 * operators (CLI flags, environment variables, install commands), so an error whose `code` the
 * page knows is shown in the page's own words, in the page's language; an unknown code keeps
 * the service's text. The code is the contract (packages/shared/src/errors.ts).
 */
import type { ErrorText } from '../view/dom.js';
import { toMessage } from '../view/dom.js';
import { t, type Key } from './index.js';

/** Codes the page words itself: `err.<code>` and `err.<code>.hint` in strings.ts. */
export const PAGE_WORDED = [
  'image_too_large', 'image_too_small', 'unsupported_image', 'corrupt_image', 'payload_too_large',
  'engine_unavailable', 'model_missing', 'model_invalid', 'quota_exceeded', 'rate_limited', 'unauthorized',
  'inference_unavailable', 'storage_unavailable', 'job_timeout', 'internal', 'job_cancelled',
] as const;

/** A function, so showError() re-words it on a language switch. */
export function pageError(e: unknown): () => ErrorText {
  const code = e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
  if ((PAGE_WORDED as readonly string[]).includes(code)) return () => ({ message: t(`err.${code}` as Key), hint: t(`err.${code}.hint` as Key) });
  const m = toMessage(e);
  return () => m;
}
