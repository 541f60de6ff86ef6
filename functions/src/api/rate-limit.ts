/**
 * Per-key request rate limit: a token bucket per API key (capacity = the per-minute limit,
 * refilled continuously). It lives in the API process's memory, so with several API instances
 * (Lambda scales out) each enforces the limit on its own share of traffic: a burst guard, not a
 * bill. Billing limits are the durable monthly quota (usage events in S3).
 */
interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes one token; returns 0 when allowed, else the seconds until a token is available. */
  take(id: string, perMinute: number, now = Date.now()): number {
    if (perMinute <= 0) return 0;
    const rate = perMinute / 60_000;
    const b = this.buckets.get(id) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (this.buckets.size > 10_000) this.prune(now);
    this.buckets.set(id, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  private prune(now: number): void {
    for (const [k, b] of this.buckets) if (now - b.at > 120_000) this.buckets.delete(k);
  }
}
