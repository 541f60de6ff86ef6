/** What the API's routes share: configuration, the object store, the dispatcher and the limiter. */
import type { ApiConfig } from '../config.js';
import type { Dispatcher } from '../core/dispatch.js';
import type { KeyRecord } from '../core/keys.js';
import type { ObjectStore } from '../core/objects.js';
import type { ResolveHost } from '../core/webhook-url.js';
import type { RateLimiter } from './rate-limit.js';

export interface ApiDeps {
  config: ApiConfig;
  store: ObjectStore;
  dispatcher: Pick<Dispatcher, 'dispatch' | 'run'>;
  limiter: RateLimiter;
  version: string;
  /** Name resolution for webhook URL checks, where the runtime has it (Node: webhooks/dns.ts); without it IP literals and names are checked, and the deliverer checks resolved addresses. */
  resolveHost?: ResolveHost;
}

/** Hono context variables set by the auth middleware. */
export type ApiEnv = { Variables: { key: KeyRecord } };

export const UPLOAD_ID_PATTERN = /^upl_[a-z2-7]{26}$/;
export const uploadKeyOf = (tenant: string, uploadId: string) => `uploads/${tenant}/${uploadId}`;
