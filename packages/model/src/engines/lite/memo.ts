/**
 * Per-image analyses that the lite engine computes on first need (detections, poses, faces,
 * hands, the colour grid of `fine`) and keeps with the image's embedding. They are a pure
 * function of the image, so memoising them keeps the embedding logically immutable; the memo
 * also adds up what they weigh, so the embedding cache's byte budget sees them.
 */

export interface MemoRun<T> {
  value: T;
  /** Model-session milliseconds the computation spent (0 for plain JS work). */
  ms: number;
}

export interface MemoGot<T> {
  value: T;
  /** Session milliseconds spent by this call (0 when it found the value computed or in flight). */
  ms: number;
  /** Wall milliseconds this call waited for a computation it started (0 when it found it done). */
  wallMs: number;
  /** True when this call started the computation. */
  ran: boolean;
}

export class ImageMemo {
  private readonly entries = new Map<string, Promise<unknown>>();
  private readonly sizes = new Map<string, number>();
  private total = 0;

  /** Bytes held by the values computed so far (estimated, see approxBytes). */
  get bytes(): number {
    return this.total;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /**
   * The value under `key`, computing it once. Concurrent callers share one computation; a
   * failed one is forgotten so the next call retries it.
   */
  async once<T>(key: string, run: () => Promise<MemoRun<T>>, sizeOf: (value: T) => number = approxBytes): Promise<MemoGot<T>> {
    const existing = this.entries.get(key) as Promise<T> | undefined;
    if (existing) return { value: await existing, ms: 0, wallMs: 0, ran: false };
    const t = performance.now();
    const started = run();
    const value = started.then((r) => r.value);
    this.entries.set(key, value);
    value.catch(() => this.entries.delete(key));
    const r = await started;
    if (this.entries.get(key) === value && !this.sizes.has(key)) {
      const size = sizeOf(r.value);
      this.sizes.set(key, size);
      this.total += size;
    }
    return { value: r.value, ms: r.ms, wallMs: performance.now() - t, ran: true };
  }
}

/**
 * Rough heap size of plain data (typed arrays, arrays, objects of numbers and strings), for
 * the cache budget: exact for typed arrays, a few dozen bytes of overhead per object.
 */
export function approxBytes(v: unknown, depth = 0): number {
  if (v === null || v === undefined) return 8;
  if (typeof v === 'number' || typeof v === 'boolean') return 8;
  if (typeof v === 'string') return 16 + 2 * v.length;
  if (ArrayBuffer.isView(v)) return 64 + v.byteLength;
  if (depth > 8) return 64;
  if (Array.isArray(v)) return 32 + v.reduce<number>((a, x) => a + 8 + approxBytes(x, depth + 1), 0);
  if (typeof v === 'object') return 32 + Object.values(v).reduce<number>((a, x) => a + 16 + approxBytes(x, depth + 1), 0);
  return 16;
}
