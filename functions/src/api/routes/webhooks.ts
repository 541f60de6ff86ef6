/**
 * The tenant's webhooks (README "Webhooks"): POST /v1/webhooks/secret (create or rotate the
 * signing secret, shown once), GET /v1/webhooks/deliveries (newest first, cursor pages),
 * GET /v1/webhooks/deliveries/{id}, POST /v1/webhooks/deliveries/{id}/redeliver. Deliveries
 * themselves are made by the deliverer (functions/src/webhooks), never by a request here.
 */
import type { Hono } from 'hono';
import { PromptsegError, WEBHOOK_DELIVERY_LIST_DEFAULT_LIMIT, WebhookDeliveryListQuerySchema, type WebhookDeliveryListResponse, type WebhookSecretResponse } from '@promptseg/shared';
import { rotateWebhookSecret } from '../../core/webhook-secret.js';
import { DELIVERY_INDEX_NAME, deliveryNotFound, deliveryView, listDeliveries, readDelivery, redeliver } from '../../core/webhooks.js';
import type { ApiDeps, ApiEnv } from '../context.js';
import { validationError } from '../errors.js';

export function registerWebhooks(app: Hono<ApiEnv>, deps: ApiDeps): void {
  app.post('/v1/webhooks/secret', async (c) => {
    const key = c.get('key');
    const out: WebhookSecretResponse = await rotateWebhookSecret(deps.store, deps.config.pepper, key.tenant);
    // The only time the secret leaves the server: keep it out of caches.
    return c.json(out, 201, { 'Cache-Control': 'no-store' });
  });

  app.get('/v1/webhooks/deliveries', async (c) => {
    const key = c.get('key');
    const parsed = WebhookDeliveryListQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw validationError(parsed.error, 'delivery list query');
    const { limit = WEBHOOK_DELIVERY_LIST_DEFAULT_LIMIT, cursor } = parsed.data;
    if (cursor !== undefined && !DELIVERY_INDEX_NAME.test(cursor)) {
      throw new PromptsegError('invalid_option', 'Invalid delivery list query: cursor is not a cursor this API returned.', 'Pass next_cursor of the previous page unchanged, or leave cursor out for the newest deliveries.');
    }
    const page = await listDeliveries(deps.store, key.tenant, { limit, after: cursor });
    const out: WebhookDeliveryListResponse = { deliveries: page.deliveries.map(deliveryView), next_cursor: page.next };
    return c.json(out);
  });

  app.get('/v1/webhooks/deliveries/:id', async (c) => {
    const id = c.req.param('id');
    const found = await readDelivery(deps.store, c.get('key').tenant, id);
    if (!found) throw deliveryNotFound(id);
    return c.json(deliveryView(found.value));
  });

  app.post('/v1/webhooks/deliveries/:id/redeliver', async (c) => {
    const key = c.get('key');
    const id = c.req.param('id');
    if (!(await readDelivery(deps.store, key.tenant, id))) throw deliveryNotFound(id);
    return c.json(deliveryView(await redeliver(deps.store, key.tenant, id)), 202);
  });
}
