import { describe, expect, it } from 'vitest';
import { ByteLru } from './cache.js';

const val = (bytes: number, tag = '') => ({ bytes, tag });

describe('embedding cache (LRU with a byte budget)', () => {
  it('computes once, then hits', async () => {
    const c = new ByteLru<{ bytes: number; tag: string }>(100);
    let runs = 0;
    const compute = async () => { runs++; return val(10, 'a'); };
    expect((await c.getOrCompute('a', compute)).hit).toBe(false);
    expect((await c.getOrCompute('a', compute)).hit).toBe(true);
    expect(runs).toBe(1);
    expect(c.stats()).toMatchObject({ entries: 1, bytes: 10, hits: 1, misses: 1 });
  });

  it('evicts the least recently used entries past the budget', async () => {
    const c = new ByteLru<{ bytes: number; tag: string }>(25);
    await c.getOrCompute('a', async () => val(10));
    await c.getOrCompute('b', async () => val(10));
    await c.getOrCompute('a', async () => val(10)); // a is now the most recent
    await c.getOrCompute('c', async () => val(10)); // over budget: b goes
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBeDefined();
    expect(c.stats()).toMatchObject({ entries: 2, bytes: 20, evictions: 1 });
    c.setBudget(10);
    expect(c.stats().entries).toBe(1);
  });

  it('shares one computation between concurrent requests and does not cache failures', async () => {
    const c = new ByteLru<{ bytes: number; tag: string }>(100);
    let runs = 0;
    const slow = () => new Promise<{ bytes: number; tag: string }>((r) => { runs++; setTimeout(() => r(val(5)), 20); });
    const [x, y] = await Promise.all([c.getOrCompute('k', slow), c.getOrCompute('k', slow)]);
    expect(runs).toBe(1);
    expect(x.value).toBe(y.value);
    await expect(c.getOrCompute('bad', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(c.get('bad')).toBeUndefined();
  });

  it('does not keep a value larger than the whole budget', async () => {
    const c = new ByteLru<{ bytes: number; tag: string }>(10);
    await c.getOrCompute('big', async () => val(50));
    expect(c.stats().entries).toBe(0);
  });

  it('counts what a cached value gains later (refresh), evicting to stay within the budget', async () => {
    const c = new ByteLru<{ bytes: number; tag: string }>(100);
    const a = val(30, 'a');
    await c.getOrCompute('a', async () => a);
    await c.getOrCompute('b', async () => val(30, 'b'));
    expect(c.stats().bytes).toBe(60);
    a.bytes = 50; // e.g. poses and faces added to an embedding after it was cached
    c.refresh('a');
    expect(c.stats()).toMatchObject({ entries: 2, bytes: 80 });
    a.bytes = 80;
    c.refresh('a'); // 110 > 100: the least recently used (a) goes
    expect(c.stats()).toMatchObject({ entries: 1, bytes: 30, evictions: 1 });
    expect(c.get('a')).toBeUndefined();
    c.refresh('gone'); // absent keys are ignored
    expect(c.stats().bytes).toBe(30);
  });
});
