/**
 * @promptseg/client — the promptseg API, typed from its OpenAPI document (wire.gen.ts), for
 * browsers and Node 20. Only fetch and Web Crypto; no Node modules. Pages that do not verify
 * webhooks import '@promptseg/client/core' and leave standardwebhooks out of their bundle.
 */
export * from './core.js';
export { verifyWebhook, WebhookVerificationError, type WebhookHeaders } from './webhooks.js';
