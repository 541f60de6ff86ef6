// Keys and usage records in a real local S3: keys are stored only as hashes and verified in
// constant time; usage counts accepted, voided and billable calls by day, engine and key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../local/s3-gate.js';
import { createKey, listKeys, revokeKey, verifyKey } from './keys.js';
import { ObjectStore } from './objects.js';
import { billedVideoSeconds, monthlyBillable, recordEvent, recordVideoSeconds, summarizeUsage, voidEvent, type UsageRef } from './usage.js';

const creds = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const pepper = 'k'.repeat(40);
let dir: string;
let s3: LocalS3;
let store: ObjectStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ps-core-'));
  s3 = await startLocalS3({ host: '127.0.0.1', port: 0, directory: dir, bucket: 'core-test', credentials: creds, maxPostBytes: 1000 });
  store = new ObjectStore({ bucket: 'core-test', region: 'us-east-1', endpoint: s3.url, credentials: creds });
});
afterAll(async () => {
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('keys', () => {
  it('stores only the HMAC of a key; verifies it; refuses a changed or revoked key', async () => {
    const { key, record } = await createKey(store, pepper, { tenant: 'acme', name: 'ci', quotaMonthly: 10 });
    expect(key).toMatch(/^psk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    const raw = await store.getBytes(`keys/${record.key_id}.json`);
    const storedText = new TextDecoder().decode(raw!.bytes);
    expect(storedText).not.toContain(key.slice('psk_'.length + 17)); // the secret part (it may itself contain '_')
    expect(JSON.parse(storedText).hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await verifyKey(store, pepper, key)).tenant).toBe('acme');
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    await expect(verifyKey(store, pepper, key.slice(0, -1) + last)).rejects.toMatchObject({ code: 'unauthorized', message: 'The API key is not valid.' });
    await expect(verifyKey(store, 'x'.repeat(40), key)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(verifyKey(store, pepper, 'psk_nope')).rejects.toMatchObject({ message: 'The API key is malformed.' });
    expect((await listKeys(store, 'acme')).map((k) => k.key_id)).toEqual([record.key_id]);
    await revokeKey(store, record.key_id);
    await expect(verifyKey(store, pepper, key)).rejects.toMatchObject({ message: expect.stringMatching(/revoked/) });
    expect(await revokeKey(store, 'nosuchkey0000000')).toBeNull();
  });

  it('refuses an invalid tenant id', async () => {
    await expect(createKey(store, pepper, { tenant: '../etc' })).rejects.toMatchObject({ code: 'invalid_option' });
  });
});

describe('usage', () => {
  const ref = (eventId: string, day: string, engine = 'lite', keyId = 'k1'): UsageRef => ({ tenant: 'bill', keyId, eventId, day, engine, kind: 'job' });

  it('counts each event once however often it is written; voids subtract; days, engines and keys split', async () => {
    await recordEvent(store, ref('job_a', '2026-10-31'));
    await recordEvent(store, ref('job_b', '2026-11-01'));
    await recordEvent(store, ref('job_b', '2026-11-01')); // a retry: same object
    await recordEvent(store, ref('job_c', '2026-11-01', 'sam3'));
    await recordEvent(store, ref('job_d', '2026-11-02', 'lite', 'k2'));
    await voidEvent(store, ref('job_c', '2026-11-01', 'sam3'), 'inference_unavailable');
    await voidEvent(store, ref('job_z', '2026-11-01'), 'job_timeout'); // its event was never written: voids nothing
    const rows = await summarizeUsage(store, 'bill', '2026-11-01', '2026-11-30');
    expect(rows).toEqual([
      { day: '2026-11-01', engine: 'lite', kind: 'job', accepted: 1, voided: 0, billable: 1, video_seconds: 0 },
      { day: '2026-11-01', engine: 'sam3', kind: 'job', accepted: 1, voided: 1, billable: 0, video_seconds: 0 },
      { day: '2026-11-02', engine: 'lite', kind: 'job', accepted: 1, voided: 0, billable: 1, video_seconds: 0 },
    ]);
    expect(await monthlyBillable(store, 'bill', '2026-11')).toBe(2);
    expect(await monthlyBillable(store, 'bill', '2026-11', 'k1')).toBe(1);
    expect(await monthlyBillable(store, 'bill', '2026-10')).toBe(1);
    expect(await summarizeUsage(store, 'someone-else', '2026-11-01', '2026-11-30')).toEqual([]);
  });
  it('video jobs: seconds billed once per job however often a retry records them; a void takes them back too', async () => {
    const day = '2026-12-01';
    for (const id of ['job_v1', 'job_v2', 'job_v3']) await recordEvent(store, ref(id, day));
    await recordVideoSeconds(store, ref('job_v1', day), billedVideoSeconds(12.2));
    await recordVideoSeconds(store, ref('job_v1', day), billedVideoSeconds(12.2)); // a retried attempt, same plan
    await recordVideoSeconds(store, ref('job_v2', day), billedVideoSeconds(0.4));
    await recordVideoSeconds(store, ref('job_v3', day), 30);
    await voidEvent(store, ref('job_v3', day), 'job_cancelled');
    const [row] = await summarizeUsage(store, 'bill', day, day);
    expect(row).toEqual({ day, engine: 'lite', kind: 'job', accepted: 3, voided: 1, billable: 2, video_seconds: 13 + 1 });
  });
});
