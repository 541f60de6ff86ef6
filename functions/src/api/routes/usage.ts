/** GET /v1/usage?from=YYYY-MM-DD&to=YYYY-MM-DD: the caller's metered calls by day and engine. */
import type { Hono } from 'hono';
import { PromptsegError, UsageQuerySchema, type UsageResponse } from '@promptseg/shared';
import { monthlyBillable, summarizeUsage, utcDay, utcMonth } from '../../core/usage.js';
import type { ApiDeps, ApiEnv } from '../context.js';
import { validationError } from '../errors.js';

export function registerUsage(app: Hono<ApiEnv>, deps: ApiDeps): void {
  app.get('/v1/usage', async (c) => {
    const key = c.get('key');
    const q = UsageQuerySchema.safeParse(c.req.query());
    if (!q.success) throw validationError(q.error, 'usage query');
    const now = Date.now();
    const from = q.data.from ?? `${utcMonth(now)}-01`;
    const to = q.data.to ?? utcDay(now);
    if (from > to) throw new PromptsegError('invalid_option', `Invalid usage query: from (${from}) is after to (${to}).`, 'Give from <= to.');
    const days = await summarizeUsage(deps.store, key.tenant, from, to);
    const month = utcMonth(now);
    const body: UsageResponse = {
      tenant: key.tenant,
      from,
      to,
      total_billable: days.reduce((n, d) => n + d.billable, 0),
      total_video_seconds: days.reduce((n, d) => n + d.video_seconds, 0),
      days,
      quota: { month, used: await monthlyBillable(deps.store, key.tenant, month, key.key_id), limit: key.quota_monthly ?? deps.config.defaultQuotaMonthly },
    };
    return c.json(body);
  });
}
