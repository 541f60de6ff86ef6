import { describe, expect, it } from 'vitest';
import { approxBytes, ImageMemo } from './memo.js';

describe('per-image memo of the lite engine', () => {
  it('computes each key once, shares a computation in flight, and adds up what the values weigh', async () => {
    const memo = new ImageMemo();
    let runs = 0;
    const run = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 10));
      return { value: new Float32Array(1000), ms: 5 };
    };
    const [a, b] = await Promise.all([memo.once('grid', run), memo.once('grid', run)]);
    expect(runs).toBe(1);
    expect(a.value).toBe(b.value);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    expect(a.ms + b.ms).toBe(5); // session time is reported once, by the call that ran it
    expect(memo.bytes).toBeGreaterThanOrEqual(4000);
    const again = await memo.once('grid', run);
    expect(again).toMatchObject({ ran: false, ms: 0 });
    expect(runs).toBe(1);
    await memo.once('poses', async () => ({ value: [{ score: 0.9, box: [1, 2, 3, 4] }], ms: 1 }));
    expect(memo.bytes).toBeGreaterThan(4000);
  });

  it('forgets a failed computation so the next call retries it', async () => {
    const memo = new ImageMemo();
    await expect(memo.once('faces', async () => { throw new Error('model failed'); })).rejects.toThrow('model failed');
    expect(memo.has('faces')).toBe(false);
    expect(memo.bytes).toBe(0);
    expect((await memo.once('faces', async () => ({ value: [], ms: 0 }))).ran).toBe(true);
  });

  it('estimates sizes: typed arrays exactly, plain data roughly', () => {
    expect(approxBytes(new Uint8Array(1 << 20))).toBeGreaterThanOrEqual(1 << 20);
    expect(approxBytes({ a: 1, b: [1, 2, 3], c: 'xy' })).toBeGreaterThan(0);
  });
});
