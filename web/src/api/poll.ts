/**
 * Polling with back-off: quick at first (a warm job on a small image finishes in well under a
 * second), then slower, capped. (A 429 while polling is waited out inside @promptseg/client, by its Retry-After.)
 */
import { t } from '../i18n/index.js';

export interface Backoff {
  firstMs: number;
  factor: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { firstMs: 200, factor: 1.5, maxMs: 2000 };

/** Delay before poll number `attempt` (0-based). */
export function backoffDelay(attempt: number, b: Backoff = DEFAULT_BACKOFF): number {
  return Math.min(b.maxMs, Math.round(b.firstMs * b.factor ** attempt));
}

export interface PollHooks<T> {
  /** One status read. */
  read: () => Promise<T>;
  /** True when `value` is final (succeeded or failed). */
  done: (value: T) => boolean;
  /** Called after each read (e.g. to show queued/running). */
  onUpdate?: (value: T) => void;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  backoff?: Backoff;
  /** Give up after this long (the service marks stuck jobs failed well before). */
  timeoutMs?: number;
}

export class PollTimeout extends Error {}

export async function poll<T>(h: PollHooks<T>): Promise<T> {
  const sleep = h.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    h.signal?.throwIfAborted();
    const v = await h.read();
    h.onUpdate?.(v);
    if (h.done(v)) return v;
    if (h.timeoutMs !== undefined && Date.now() - started > h.timeoutMs) {
      throw new PollTimeout(t('poll.timeout', { seconds: Math.round(h.timeoutMs / 1000) }));
    }
    await sleep(backoffDelay(attempt, h.backoff));
  }
}
