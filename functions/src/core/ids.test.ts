// Ids are unguessable and well-formed; an Idempotency-Key maps to one job id per tenant.
import { describe, expect, it } from 'vitest';
import { hmacHex, idempotentId, randomId } from './ids.js';
import { JOB_ID_PATTERN } from './jobs.js';

describe('ids', () => {
  it('random job ids match the job id pattern and do not repeat', () => {
    const ids = Array.from({ length: 2000 }, () => randomId('job'));
    expect(ids.every((id) => JOB_ID_PATTERN.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('an Idempotency-Key gives the same job id for one tenant, another for another tenant or secret', async () => {
    const a = await idempotentId('job', 's'.repeat(40), 'acme', 'order-1');
    expect(JOB_ID_PATTERN.test(a)).toBe(true);
    expect(await idempotentId('job', 's'.repeat(40), 'acme', 'order-1')).toBe(a);
    expect(await idempotentId('job', 's'.repeat(40), 'other', 'order-1')).not.toBe(a);
    expect(await idempotentId('job', 't'.repeat(40), 'acme', 'order-1')).not.toBe(a);
  });

  it('HMAC-SHA256 matches the RFC 4231 test vector', async () => {
    expect(await hmacHex('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
});
