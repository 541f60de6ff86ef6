// The local S3 store refuses what AWS S3 refuses: uploads outside their presigned policy or
// signature, expired URLs, anonymous requests; and it honours conditional writes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore } from '../core/objects.js';
import { startLocalS3, type LocalS3 } from './s3-gate.js';

const creds = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
let s3: LocalS3;
let store: ObjectStore;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ps-gate-'));
  s3 = await startLocalS3({ host: '127.0.0.1', port: 0, directory: dir, bucket: 'gate-test', credentials: creds, maxPostBytes: 10_000 });
  store = new ObjectStore({ bucket: 'gate-test', region: 'us-east-1', endpoint: s3.url, credentials: creds });
});
afterAll(async () => {
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

function form(fields: Record<string, string>, file: Uint8Array, fileType = 'application/octet-stream'): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', new Blob([new Uint8Array(file)], { type: fileType }));
  return fd;
}

describe('presigned POST policy', () => {
  it('accepts a file inside the policy and stores it with its content type', async () => {
    const p = await store.presignPost('uploads/t/a', 'image/png', 100, 60);
    const r = await fetch(p.url, { method: 'POST', body: form(p.fields, new Uint8Array(50)) });
    expect(r.status).toBe(204);
    expect(await store.head('uploads/t/a')).toMatchObject({ size: 50, contentType: 'image/png' });
  });

  it('refuses a file over the content-length-range with EntityTooLarge, storing nothing', async () => {
    const p = await store.presignPost('uploads/t/big', 'image/png', 100, 60);
    const r = await fetch(p.url, { method: 'POST', body: form(p.fields, new Uint8Array(101)) });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('<Code>EntityTooLarge</Code>');
    expect(await store.head('uploads/t/big')).toBeNull();
  });

  it('refuses an empty file (EntityTooSmall)', async () => {
    const p = await store.presignPost('uploads/t/empty', 'image/png', 100, 60);
    const r = await fetch(p.url, { method: 'POST', body: form(p.fields, new Uint8Array(0)) });
    expect(await r.text()).toContain('EntityTooSmall');
  });

  it('refuses another Content-Type, another key, an extra field and a forged signature', async () => {
    const p = await store.presignPost('uploads/t/b', 'image/png', 100, 60);
    const cases: Record<string, string>[] = [
      { ...p.fields, 'Content-Type': 'text/plain' },
      { ...p.fields, key: 'uploads/other/b' },
      { ...p.fields, 'x-amz-meta-evil': '1' },
      { ...p.fields, 'X-Amz-Signature': '0'.repeat(64) },
    ];
    for (const fields of cases) {
      const r = await fetch(p.url, { method: 'POST', body: form(fields, new Uint8Array(10)) });
      expect(r.status).toBe(403);
    }
    expect(await store.head('uploads/t/b')).toBeNull();
    expect(await store.head('uploads/other/b')).toBeNull();
  });

  it('refuses an expired policy', async () => {
    const p = await store.presignPost('uploads/t/c', 'image/png', 100, 1);
    await new Promise((r) => setTimeout(r, 1200));
    const r = await fetch(p.url, { method: 'POST', body: form(p.fields, new Uint8Array(10)) });
    expect(r.status).toBe(403);
    expect(await r.text()).toContain('Policy expired');
  });
});

describe('presigned PUT signature', () => {
  it('accepts the signed type and length, refuses any other', async () => {
    const p = await store.presignPut('uploads/t/p', 'image/jpeg', 20, 60);
    const wrongType = await fetch(p.url, { method: 'PUT', body: new Uint8Array(20), headers: { 'Content-Type': 'text/plain' } });
    expect(wrongType.status).toBe(403);
    expect(await wrongType.text()).toContain('SignatureDoesNotMatch');
    const wrongSize = await fetch(p.url, { method: 'PUT', body: new Uint8Array(21), headers: { 'Content-Type': 'image/jpeg' } });
    expect(wrongSize.status).toBe(403);
    expect(await store.head('uploads/t/p')).toBeNull();
    const ok = await fetch(p.url, { method: 'PUT', body: new Uint8Array(20), headers: p.headers });
    expect(ok.status).toBe(200);
    expect(await store.head('uploads/t/p')).toMatchObject({ size: 20, contentType: 'image/jpeg' });
  });

  it('refuses a tampered key and an expired URL', async () => {
    const p = await store.presignPut('uploads/t/q', 'image/jpeg', 5, 1);
    const tampered = await fetch(p.url.replace('/uploads/t/q', '/uploads/t/z'), { method: 'PUT', body: new Uint8Array(5), headers: p.headers });
    expect(tampered.status).toBe(403);
    await new Promise((r) => setTimeout(r, 1200));
    const late = await fetch(p.url, { method: 'PUT', body: new Uint8Array(5), headers: p.headers });
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('expired');
  });

  it('presigned GET works and anonymous requests are refused', async () => {
    await store.putBytes('x/y', new Uint8Array([1, 2, 3]), 'application/octet-stream');
    const url = await store.presignGet('x/y', 60, 'y.bin');
    const r = await fetch(url);
    expect(r.status).toBe(200);
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect((await fetch(`${s3.url}/gate-test/x/y`)).status).toBe(403);
  });
});

describe('conditional writes', () => {
  it('If-None-Match: * creates once; If-Match needs the current ETag', async () => {
    expect(await store.putJson('c/1', { v: 1 }, { ifNoneMatch: true })).not.toBeNull();
    expect(await store.putJson('c/1', { v: 2 }, { ifNoneMatch: true })).toBeNull();
    const cur = await store.getJson<{ v: number }>('c/1');
    expect(cur?.value.v).toBe(1);
    expect(await store.putJson('c/1', { v: 3 }, { ifMatch: '"deadbeef"' })).toBeNull();
    expect(await store.putJson('c/1', { v: 3 }, { ifMatch: cur!.etag })).not.toBeNull();
    expect((await store.getJson<{ v: number }>('c/1'))?.value.v).toBe(3);
  });

  it('concurrent creates of one key: exactly one wins', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.putJson('c/race', { i }, { ifNoneMatch: true })));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });
});

describe('atomic writes', () => {
  it('a reader never sees half of a concurrent write (s3rver alone writes in place)', async () => {
    const size = 512 * 1024;
    await store.putBytes('atomic/x', new Uint8Array(size).fill(1), 'application/octet-stream');
    const writes = Array.from({ length: 6 }, (_, i) => store.putBytes('atomic/x', new Uint8Array(size).fill(i + 2), 'application/octet-stream'));
    const reads = Array.from({ length: 12 }, () => store.getBytes('atomic/x'));
    await Promise.all(writes);
    for (const r of await Promise.all(reads)) {
      expect(r?.bytes.length).toBe(size);
      expect(new Set(r?.bytes).size).toBe(1);
    }
  });
});
