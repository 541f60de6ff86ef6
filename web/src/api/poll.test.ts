import { describe, expect, it } from 'vitest';
import { backoffDelay, poll } from './poll.js';

describe('backoff', () => {
  it('grows and caps', () => {
    const d = [0, 1, 2, 3, 10].map((a) => backoffDelay(a));
    expect(d[0]).toBe(200);
    expect(d[1]).toBe(300);
    expect(d[2]).toBeGreaterThan(d[1]);
    expect(d[4]).toBe(2000);
  });
});

describe('poll', () => {
  it('reports each state and sleeps longer each time until done', async () => {
    const states = ['queued', 'running', 'running', 'succeeded'];
    const seen: string[] = [];
    const slept: number[] = [];
    const out = await poll({
      read: async () => states.shift() ?? 'succeeded',
      done: (s) => s === 'succeeded' || s === 'failed',
      onUpdate: (s) => seen.push(s),
      sleep: async (ms) => void slept.push(ms),
    });
    expect(out).toBe('succeeded');
    expect(seen).toEqual(['queued', 'running', 'running', 'succeeded']);
    expect(slept).toEqual([200, 300, 450]);
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    const p = poll({ read: async () => 'running', done: () => false, sleep: async () => ac.abort(), signal: ac.signal });
    await expect(p).rejects.toThrow();
  });
});
