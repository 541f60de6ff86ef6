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
  /** The size each entry is counted at (values may grow after they are cached: see refresh). */
  private readonly sizes = new Map<string, number>();
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

  /**
   * Re-reads the size of a cached value that grew after it was stored (an embedding that
   * gained per-image results such as poses), and evicts to stay within the budget — the
   * value itself included if it alone is now over budget. No-op for an absent key.
   */
  refresh(key: string): void {
    const value = this.map.get(key);
    if (!value) return;
    this.used += value.bytes - (this.sizes.get(key) ?? 0);
    this.sizes.set(key, value.bytes);
    if (value.bytes > this.budget) this.remove(key);
    this.evict();
  }

  private set(key: string, value: V): void {
    if (this.map.has(key)) this.remove(key);
    // A value larger than the whole budget is used once and not kept.
    if (value.bytes > this.budget) return;
    this.map.set(key, value);
    this.sizes.set(key, value.bytes);
    this.used += value.bytes;
    this.evict();
  }

  private remove(key: string): void {
    this.used -= this.sizes.get(key) ?? 0;
    this.map.delete(key);
    this.sizes.delete(key);
  }

  private evict(): void {
    for (const k of this.map.keys()) {
      if (this.used <= this.budget) break;
      this.remove(k);
      this.evictions++;
    }
  }

  setBudget(bytes: number): void {
    this.budget = bytes;
    this.evict();
  }

  clear(): void {
    this.map.clear();
    this.sizes.clear();
    this.used = 0;
  }

  stats(): CacheStats {
    return { entries: this.map.size, bytes: this.used, budgetBytes: this.budget, hits: this.hits, misses: this.misses, evictions: this.evictions };
  }
}
