// API conventions against local mode (real servers on 127.0.0.1, the real AWS SDK clients):
// GET /v1/jobs (newest first, cursor pages, tenant-scoped), refusing before billing what the
// reported engines cannot run, and the 431 / 413 answers for oversized headers and bodies.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeImage } from '@promptseg/model';
import type { JobSummary } from '@promptseg/shared';
import { readFileSync } from 'node:fs';
import { decodeRle, maskIoU, type JobView } from '@promptseg/shared';
import { startTestStack, type Answer, type Client, type ErrorAnswer, type TestStack } from './service-kit.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.teardown());

const png = async (w: number, h: number) => new Uint8Array(await encodeImage({ width: w, height: h, channels: 3, data: new Uint8Array(w * h * 3).map((_, i) => (i * 31) % 251) }, 'png'));
const billable = async (api: Client) => (await api.request<{ total_billable: number }>('GET', '/v1/usage')).body.total_billable;

interface Page {
  jobs: JobSummary[];
  next_cursor: string | null;
}
async function allPages(api: Client, query: string, limit: number): Promise<{ pages: Page[]; jobs: JobSummary[] }> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const r: Answer<Page> = await api.request<Page>('GET', `/v1/jobs?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    pages.push(r.body);
    cursor = r.body.next_cursor;
  } while (cursor && pages.length < 50);
  return { pages, jobs: pages.flatMap((p) => p.jobs) };
}

describe('GET /v1/jobs', () => {
  it('lists 25 jobs of two tenants: newest first, pages cover each exactly once, no tenant sees the other', async () => {
    const a = stack.client(await stack.newKey({ tenant: 'list-a' }));
    const b = stack.client(await stack.newKey({ tenant: 'list-b' }));
    // 1x1 images fail fast in the inference function (image_too_small); three real ones succeed
    const tinyA = await a.uploadOk(await png(1, 1), 'image/png');
    const tinyB = await b.uploadOk(await png(1, 1), 'image/png');
    const smallA = await a.uploadOk(await png(48, 48), 'image/png');
    const created: Record<string, string[]> = { a: [], b: [] };
    for (let i = 0; i < 25; i++) {
      const [api, who] = i % 5 < 3 ? [a, 'a'] : [b, 'b']; // 15 for a, 10 for b, interleaved
      const upload = who === 'a' ? (i < 5 ? smallA : tinyA) : tinyB;
      const r = await api.createJob({ upload_key: upload, prompt: 'cat', engine: 'lite' });
      expect(r.status).toBe(202);
      created[who].push(r.body.job_id);
    }
    for (const id of created.a) await a.waitJob(id);
    for (const id of created.b) await b.waitJob(id);

    const listA = await allPages(a, '', 4);
    expect(listA.pages.map((p) => p.jobs.length)).toEqual([4, 4, 4, 3]);
    expect(listA.pages.at(-1)?.next_cursor).toBeNull();
    expect(listA.jobs.map((j) => j.job_id).sort()).toEqual([...created.a].sort()); // each once, none of b's
    const times = listA.jobs.map((j) => Date.parse(j.created_at));
    expect(times).toEqual([...times].sort((x, y) => y - x)); // newest first
    expect(listA.jobs[0].job_id).toBe(created.a.at(-1)); // the last one created comes first
    expect(listA.jobs[0]).not.toHaveProperty('result');
    expect(listA.jobs[0].status_url).toBe(`${stack.apiUrl}/v1/jobs/${listA.jobs[0].job_id}`);

    const listB = await allPages(b, '', 100);
    expect(listB.pages.length).toBe(1);
    expect(listB.jobs.map((j) => j.job_id).sort()).toEqual([...created.b].sort());

    // status filter: the states come from the shared schema; pages still partition the matches
    const ok = await allPages(a, '&status=succeeded', 2);
    const succeeded = ok.jobs.map((j) => j.job_id);
    expect(ok.jobs.every((j) => j.status === 'succeeded')).toBe(true);
    expect(succeeded.length).toBe(new Set(succeeded).size);
    const failed = await allPages(a, '&status=failed,queued', 5);
    expect(failed.jobs.every((j) => j.status === 'failed')).toBe(true);
    expect([...succeeded, ...failed.jobs.map((j) => j.job_id)].sort()).toEqual([...created.a].sort());
    expect(failed.jobs[0].error?.code).toBe('image_too_small');

    // a cursor is tenant-scoped too: a's cursor on b's key lists b's jobs after that point, never a's
    const leak = await b.request<Page>('GET', `/v1/jobs?cursor=${encodeURIComponent(listA.pages[0].next_cursor!)}`);
    expect(leak.body.jobs.every((j) => created.b.includes(j.job_id))).toBe(true);
  });

  it('refuses bad queries with the field named', async () => {
    const api = stack.client(await stack.newKey());
    const bad = async (q: string) => (await api.request<ErrorAnswer>('GET', `/v1/jobs?${q}`)).body.error;
    expect(await bad('status=done')).toMatchObject({ code: 'invalid_option', message: expect.stringMatching(/status must be among queued, running, succeeded, failed/) });
    expect(await bad('limit=0')).toMatchObject({ message: expect.stringMatching(/limit must be between 1 and 100/) });
    expect(await bad('limit=ten')).toMatchObject({ message: expect.stringMatching(/limit must be a whole number/) });
    expect(await bad('cursor=abc')).toMatchObject({ message: expect.stringMatching(/cursor is not a cursor/) });
    expect(await bad('page=2')).toMatchObject({ message: expect.stringMatching(/unknown field\(s\): page/) });
    expect((await api.request<Page>('GET', '/v1/jobs')).body).toEqual({ jobs: [], next_cursor: null });
    expect((await fetch(`${stack.apiUrl}/v1/jobs`)).status).toBe(401);
  });
});

describe('refusing what cannot run, before billing', () => {
  it('an engine the service reports as not installed: 409 with the hint, no job, not billed', async () => {
    const api = stack.client(await stack.newKey());
    const key = await api.uploadOk(await png(48, 48), 'image/png');
    const health = (await (await fetch(`${stack.apiUrl}/v1/health`)).json()) as { engines: { id: string; installed: boolean; prompts?: object }[] };
    expect(health.engines.find((e) => e.id === 'sam3')?.installed).toBe(false);
    expect(health.engines.find((e) => e.id === 'lite')).toEqual({ id: 'lite', installed: true, prompts: { boxes: true, negative_boxes: false, points: true } });

    const before = await billable(api);
    const r = await api.createJob({ upload_key: key, prompt: 'squirrel', engine: 'sam3' });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'engine_unavailable', message: 'The sam3 engine is not installed on this service.', hint: expect.stringMatching(/promptseg models pull sam3/) });
    const sync = await api.request<ErrorAnswer>('POST', '/v1/segment', { upload_key: key, prompt: 'squirrel', engine: 'sam3' });
    expect(sync.status).toBe(409);
    // boxes the chosen engine cannot use: lite takes no negative boxes
    const neg = await api.createJob({ upload_key: key, prompt: 'cat', engine: 'lite', boxes: [{ box: [1, 1, 10, 10], negative: true }] });
    expect(neg.status).toBe(400);
    expect(neg.body.error).toMatchObject({ code: 'invalid_option', message: expect.stringMatching(/lite engine takes only positive boxes; boxes\[0\] is negative/) });
    expect(await billable(api)).toBe(before);
    expect((await api.request<Page>('GET', '/v1/jobs')).body.jobs).toEqual([]);
    // what it can run is accepted and billed as before
    const ok = await api.createJob({ upload_key: key, prompt: 'cat', engine: 'lite', boxes: [{ box: [1, 1, 10, 10] }] });
    expect(ok.status).toBe(202);
    expect(await billable(api)).toBe(before + 1);
  });
});

/** A raw HTTP/1.1 request, so header and body sizes are exactly what the test sends. */
function raw(opts: { path: string; headers: Record<string, string | number>; body?: Buffer; chunked?: boolean }): Promise<{ status: number; body: string; connection?: string }> {
  const url = new URL(stack.apiUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: opts.path, method: opts.body ? 'POST' : 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    if (opts.body) {
      // in 64 KiB pieces, as a client streaming a large upload would
      const send = (i: number) => {
        if (i >= opts.body!.length) return req.end();
        if (req.write(opts.body!.subarray(i, i + 65536))) setImmediate(() => send(i + 65536));
        else req.once('drain', () => send(i + 65536));
      };
      send(0);
      req.on('error', () => undefined);
    } else {
      req.end();
    }
  });
}

describe('oversized requests', () => {
  it('a header block over the limit gets 431 with the error document (the API\'s check, and Node\'s parser beyond it)', async () => {
    const key = await stack.newKey();
    for (const size of [20_000, 40_000]) {
      const r = await raw({ path: '/v1/usage', headers: { Authorization: `Bearer ${key}`, 'X-Padding': 'x'.repeat(size) } });
      expect(r.status, `${size}`).toBe(431);
      expect(JSON.parse(r.body).error).toMatchObject({ code: 'request_headers_too_large', hint: expect.stringMatching(/fewer or shorter headers/) });
    }
    const fine = await raw({ path: '/v1/usage', headers: { Authorization: `Bearer ${key}`, 'X-Padding': 'x'.repeat(8_000) } });
    expect(fine.status).toBe(200);
  });

  it('a body over the limit gets 413 before the connection closes, with a length or chunked', async () => {
    const key = await stack.newKey();
    const big = Buffer.alloc(4 * 1024 * 1024, 0x20);
    const sized = await raw({ path: '/v1/jobs', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'Content-Length': big.length }, body: big });
    expect(sized.status).toBe(413);
    expect(JSON.parse(sized.body).error.code).toBe('payload_too_large');
    expect(sized.connection).toBe('close');
    const chunked = await raw({ path: '/v1/jobs', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, body: big });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe('payload_too_large');
  });
});

describe('outputs of a job in the new formats', () => {
  it('polygons in the result, GeoJSON, COCO, YOLO and Label Studio files listed with presigned downloads', async () => {
    const api = stack.client(await stack.newKey());
    const horse = new Uint8Array(readFileSync(new URL('../web/public/samples/horse.png', import.meta.url)));
    const key = await api.uploadOk(horse, 'image/png');
    const created = await api.createJob({ upload_key: key, prompt: 'horse', engine: 'lite', polygons: true, polygon_tolerance: 0.5, outputs: ['json', 'geojson', 'coco', 'yolo', 'labelstudio'] });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const job: JobView = await api.waitJob(created.body.job_id);
    expect(job.status).toBe('succeeded');
    const result = job.result as { image: { width: number; height: number }; instances: { label: string; rle: { size: [number, number]; counts: string }; polygons: [number, number][][][] }[] };
    expect(result.instances.length).toBeGreaterThan(0);
    const id = job.job_id;
    expect(job.downloads?.map((d) => [d.format, d.name]).sort()).toEqual([
      ['coco', 'instances.json'], ['geojson', `${id}.geojson`], ['labelstudio', 'labelstudio-config.xml'], ['labelstudio', 'labelstudio.json'], ['yolo', 'yolo/data.yaml'], ['yolo', `yolo/labels/${id}.txt`],
    ].sort());
    const get = async (name: string) => {
      const d = job.downloads!.find((x) => x.name === name)!;
      const r = await fetch(d.url);
      expect(r.status).toBe(200);
      return r.text();
    };
    const coco = JSON.parse(await get('instances.json'));
    expect(coco.images).toEqual([{ id: 1, file_name: `${id}.png`, width: result.image.width, height: result.image.height }]);
    expect(coco.annotations.map((a: { segmentation: unknown }) => a.segmentation)).toEqual(result.instances.map((i) => i.rle));
    const geo = JSON.parse(await get(`${id}.geojson`));
    expect(geo.features.map((f: { geometry: { coordinates: unknown } }) => f.geometry.coordinates)).toEqual(result.instances.map((i) => i.polygons));
    const lines = (await get(`yolo/labels/${id}.txt`)).trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(result.instances.length);
    for (const line of lines) expect(line.split(' ').slice(1).every((v) => Number(v) >= 0 && Number(v) <= 1)).toBe(true);
    expect(await get('yolo/data.yaml')).toContain('0: "horse"');
    const ls = JSON.parse(await get('labelstudio.json'));
    expect(ls[0].predictions[0].result[0].value.brushlabels).toEqual(['horse']);
    // the polygons in the result trace the mask
    const mask = decodeRle(result.instances[0].rle);
    const { rasterizePolygons } = await import('../packages/model/src/export/testing.js');
    expect(maskIoU(rasterizePolygons(result.instances[0].polygons, mask.width, mask.height), mask)).toBeGreaterThanOrEqual(0.97);
  });

  it('refuses a polygon tolerance out of range', async () => {
    const api = stack.client(await stack.newKey());
    const key = await api.uploadOk(await png(48, 48), 'image/png');
    const r = await api.createJob({ upload_key: key, prompt: 'cat', polygon_tolerance: 50 });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/polygon_tolerance must be between 0 and 20/);
  });
});
