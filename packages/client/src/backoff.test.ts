import { describe, expect, it } from 'vitest';
import { POLL_BACKOFF, RETRY_BACKOFF, backoffDelay, retryAfterMs, sleep } from './backoff.js';

describe('backoffDelay', () => {
  it('grows by the factor up to the cap; jitter only shortens, by at most its share', () => {
    const top = [0, 1, 2, 3, 20].map((a) => backoffDelay(a, POLL_BACKOFF, () => 0));
    expect(top).toEqual([250, 400, 640, 1024, 5000]);
    for (let a = 0; a < 12; a++) {
      const full = backoffDelay(a, RETRY_BACKOFF, () => 0);
      const least = backoffDelay(a, RETRY_BACKOFF, () => 0.999999);
      expect(least).toBeGreaterThanOrEqual(Math.floor(full * 0.5));
      expect(least).toBeLessThan(full);
    }
  });

  it('spreads clients that failed together', () => {
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(3, RETRY_BACKOFF)));
    expect(seen.size).toBeGreaterThan(10);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds or an HTTP date, and nothing else', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('sleep', () => {
  it('ends early with the abort reason', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const p = sleep(10_000, ac.signal);
    setTimeout(() => ac.abort(new Error('stop')), 20);
    await expect(p).rejects.toThrow('stop');
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
