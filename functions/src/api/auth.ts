/**
 * Bearer API keys: verify (hash + constant-time compare, see core/keys.ts), then the per-key
 * rate limit. Sets `key` (tenant, limits) on the context for the routes.
 */
import type { MiddlewareHandler } from 'hono';
import { PromptsegError } from '@promptseg/shared';
import { verifyKey } from '../core/keys.js';
import type { ApiDeps, ApiEnv } from './context.js';

export function authMiddleware(deps: ApiDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      throw new PromptsegError('unauthorized', header ? 'The Authorization header is not "Bearer <key>".' : 'No API key was sent.', 'Send "Authorization: Bearer psk_…" with a key from `promptseg keys create` (local mode prints a dev key on start).');
    }
    const key = await verifyKey(deps.store, deps.config.pepper, m[1]);
    const perMin = key.rate_limit_per_min ?? deps.config.defaultRateLimitPerMin;
    const wait = deps.limiter.take(key.key_id, perMin);
    if (wait > 0) {
      throw new PromptsegError('rate_limited', `Too many requests: this key allows ${perMin} per minute.`, `Wait ${wait} s (see Retry-After) and poll less often.`, { retry_after_s: wait, limit_per_min: perMin });
    }
    c.set('key', key);
    await next();
  };
}
