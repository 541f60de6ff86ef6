/**
 * A least-recently-used cache with a byte budget, for image embeddings keyed by image hash.
 * Concurrent requests for the same key share one computation (one encoder run per image even
 * when two prompts for it arrive together). A failed computation is not cached.
 */

export interface CacheStats {
  entries: number;
  bytes: number;
  budgetBytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

export class ByteLru<V extends { readonly bytes: number }> {
  private readonly map = new Map<string, V>(); // insertion order = recency order
  private readonly pending = new Map<string, Promise<V>>();
  private used = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(private budget: number) {}

  /** The cached value (refreshing its recency), computing it on a miss. `hit` says which. */
  async getOrCompute(key: string, compute: () => Promise<V>): Promise<{ value: V; hit: boolean }> {
    const cached = this.map.get(key);
    if (cached) {
      this.map.delete(key);
      this.map.set(key, cached);
      this.hits++;
      return { value: cached, hit: true };
    }
    const inflight = this.pending.get(key);
    if (inflight) {
      this.hits++;
      return { value: await inflight, hit: true };
    }
    this.misses++;
    const p = compute();
    this.pending.set(key, p);
    try {
      const value = await p;
      this.set(key, value);
      return { value, hit: false };
    } finally {
      this.pending.delete(key);
    }
  }

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  private set(key: string, value: V): void {
    const old = this.map.get(key);
    if (old) {
      this.used -= old.bytes;
      this.map.delete(key);
    }
    // A value larger than the whole budget is used once and not kept.
    if (value.bytes > this.budget) return;
    this.map.set(key, value);
    this.used += value.bytes;
    this.evict();
  }

  private evict(): void {
    for (const [k, v] of this.map) {
      if (this.used <= this.budget) break;
      this.map.delete(k);
      this.used -= v.bytes;
      this.evictions++;
    }
  }

  setBudget(bytes: number): void {
    this.budget = bytes;
    this.evict();
  }

  clear(): void {
    this.map.clear();
    this.used = 0;
  }

  stats(): CacheStats {
    return { entries: this.map.size, bytes: this.used, budgetBytes: this.budget, hits: this.hits, misses: this.misses, evictions: this.evictions };
  }
}
