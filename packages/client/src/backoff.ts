/**
 * Waiting between tries: exponential backoff with jitter (so many clients that failed together do
 * not retry together), Retry-After as the service sends it, and sleeps that end when aborted.
 */

export interface Backoff {
  /** First delay (ms). */
  firstMs: number;
  /** Growth per try. */
  factor: number;
  /** Cap (ms). */
  maxMs: number;
  /** Share of the delay left to chance: 0.2 → between 80 % and 100 % of it. */
  jitter: number;
}

/** Polling a job: quick at first (a warm job on a small image takes well under a second), then slower. */
export const POLL_BACKOFF: Backoff = { firstMs: 250, factor: 1.6, maxMs: 5000, jitter: 0.2 };
/** Retrying a request after a network error, a 429 without Retry-After or a 502/503/504. */
export const RETRY_BACKOFF: Backoff = { firstMs: 500, factor: 2, maxMs: 8000, jitter: 0.5 };

/** Delay before try number `attempt` (0-based); `random` in [0, 1). */
export function backoffDelay(attempt: number, b: Backoff, random: () => number = Math.random): number {
  const full = Math.min(b.maxMs, b.firstMs * b.factor ** attempt);
  return Math.round(full * (1 - b.jitter * random()));
}

/** Retry-After in ms (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const s = Number(header);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const t = Date.parse(header);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

/** The abort reason as the error to throw (what fetch throws when aborted). */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Resolves after `ms`, or rejects with the abort reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
