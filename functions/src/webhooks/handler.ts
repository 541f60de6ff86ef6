/**
 * The Webhooks function's entry (AWS: a CronV2 every minute, sst.config.ts). Each run makes a
 * pass over the pending deliveries, and while any are still pending keeps passing every
 * POLL_MS until RUN_BUDGET_MS: a job that ends while deliveries are flowing is delivered within
 * seconds, a retry due in 30 s is not held to the next minute, and an idle service costs one
 * listing a minute. Overlapping runs are safe (every attempt is claimed by compare-and-swap).
 */
import { loadApiConfig, type ApiConfig } from '../config.js';
import { ObjectStore } from '../core/objects.js';
import { deliverDue, type DeliveryPass } from './deliver.js';

export const POLL_MS = 5_000;
export const RUN_BUDGET_MS = 50_000;

let deps: { store: ObjectStore; config: ApiConfig; log: (line: string) => void } | undefined;

export async function deliverHandler(): Promise<{ passes: number; attempted: number; delivered: number }> {
  deps ??= (() => {
    const config = loadApiConfig();
    return { store: new ObjectStore(config.storage), config, log: (line: string) => console.log(`[webhooks] ${line}`) };
  })();
  const started = Date.now();
  const total = { passes: 0, attempted: 0, delivered: 0 };
  for (;;) {
    const pass: DeliveryPass = await deliverDue(deps);
    total.passes++;
    total.attempted += pass.attempted;
    total.delivered += pass.delivered;
    // Attempts take up to the webhook timeout: stop early enough to finish inside the function's limit.
    if (pass.pending === 0 || Date.now() - started + POLL_MS + deps.config.webhooks.timeoutMs > RUN_BUDGET_MS) return total;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
