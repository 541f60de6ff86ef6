/**
 * @promptseg/client/core — everything but webhook verification, for pages: verifyWebhook pulls in
 * `standardwebhooks` (a CommonJS bundle, ~22 KB minified) that only a receiving server needs.
 */
export { PromptsegClient, newIdempotencyKey, type CreateOptions, type ListOptions, type PromptsegClientOptions, type SegmentOptions, type UploadData, type UploadOptions, type WaitOptions } from './client.js';
export { PromptsegApiError, isPromptsegApiError, jobError, type ApiErrorInit } from './errors.js';
export { POLL_BACKOFF, RETRY_BACKOFF, backoffDelay, retryAfterMs, type Backoff } from './backoff.js';
export { fetchSender, sniffContentType, type SendOptions, type StorageRequest, type UploadSender } from './upload.js';
export { FINAL_STATUSES, isFinal } from './types.js';
export type * from './types.js';
export type { components, paths, operations } from './wire.gen.js';
