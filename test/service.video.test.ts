// Video jobs end to end on 127.0.0.1 through the real AWS SDK clients: a clip uploaded with its
// own presigned policy, a job fanned out by its coordinator over segment invocations of the
// local Lambda endpoint (8 frames per segment here, so a 24-frame clip is 3 segments), progress
// and a partial document while it runs, tracks stitched across the boundaries, the outputs
// (document, overlay MP4, YouTube-VIS, MOT) readable, seconds billed once, and everything that
// cannot run refused before billing or failed with a clear error.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRle, type JobView, type VideoResult } from '@promptseg/shared';
import { ffprobeBinary } from '@promptseg/model';
import { horseSprite, iou, synthesiseClip, type ClipTruth } from '@promptseg/model/video-testing';
import { main } from '../packages/cli/src/main.js';
import { startTestStack, type Client, type TestStack } from './service-kit.js';

const run = promisify(execFile);
const FRAMES = 24;
let stack: TestStack;
let dir: string;
let truth: ClipTruth;
let clip: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ps-video-'));
  const a = await horseSprite(100), b = await horseSprite(90, true);
  truth = await synthesiseClip(dir, 'two', {
    width: 320, height: 240, frames: FRAMES, fps: 10, format: 'mp4',
    objects: [
      { id: 1, sprite: a, at: (f) => [5 + 6 * f, 20] },
      { id: 2, sprite: b, at: (f) => (f < 14 ? [210 - 4 * f, 140] : null) },
    ],
  });
  clip = new Uint8Array(await readFile(truth.path));
  stack = await startTestStack({ env: { PROMPTSEG_VIDEO_SEGMENT_FRAMES: '8', PROMPTSEG_VIDEO_MAX_FRAMES: '40', PROMPTSEG_MAX_VIDEO_UPLOAD_BYTES: String(2 * 1024 * 1024) } });
}, 180_000);
afterAll(async () => {
  await stack?.teardown();
  await rm(dir, { recursive: true, force: true });
});

async function usage(api: Client) {
  const r = await api.request<{ total_billable: number; total_video_seconds: number }>('GET', '/v1/usage');
  expect(r.status).toBe(200);
  return { billable: r.body.total_billable, seconds: r.body.total_video_seconds };
}

/** Polls a job, keeping every view it saw. */
async function watch(api: Client, id: string, timeoutMs = 240_000): Promise<JobView[]> {
  const seen: JobView[] = [];
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await api.getJob(id);
    expect(r.status).toBe(200);
    seen.push(r.body);
    if (['succeeded', 'failed', 'cancelled'].includes(r.body.status)) return seen;
    if (Date.now() > end) throw new Error(`job ${id} still ${r.body.status}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

/** Track id of `doc` that best covers ground-truth object `gt` on frame f. */
function idOf(doc: VideoResult, f: number, gt: number): number | undefined {
  const m = truth.masks[f].get(gt);
  if (!m) return undefined;
  let best: { id?: number; v: number } = { v: 0.3 };
  for (const inst of doc.frames[f].instances) {
    const v = iou(decodeRle(inst.rle), m);
    if (v > best.v) best = { id: inst.track_id, v };
  }
  return best.id;
}

describe('video jobs over the API, fanned out over the local Lambda endpoint', () => {
  it('runs a clip in 3 segments with progress and a partial document, stitches one id per horse, writes readable outputs, bills its seconds once', { timeout: 300_000 }, async () => {
    const api = stack.client(await stack.newKey({ tenant: 'video' }));
    const p = await api.presign('video/mp4');
    expect(p.status).toBe(201);
    expect(p.body.max_bytes).toBe(2 * 1024 * 1024); // the clip limit, not the image one
    const key = await api.uploadOk(clip, 'video/mp4');
    const body = { upload_key: key, prompt: 'horse', engine: 'lite', outputs: ['json', 'overlay', 'youtube_vis', 'mot'] };
    const created = await api.createJob(body, { 'Idempotency-Key': 'clip-1' });
    expect(created.status).toBe(202);
    const seen = await watch(api, created.body.job_id);
    const job = seen.at(-1)!;
    expect(job.error, JSON.stringify(job.error)).toBeUndefined();
    expect(job).toMatchObject({ status: 'succeeded', kind: 'video', progress: { frames_done: FRAMES, frames_total: FRAMES, segments_done: 3, segments_total: 3 } });

    // Progress only goes forward, and the stitched first segment was there to read before the end.
    const done = seen.filter((v) => v.progress).map((v) => v.progress!.frames_done);
    expect(done).toEqual([...done].sort((x, y) => x - y));
    const partialView = seen.find((v) => v.partial);
    expect(partialView, 'a partial document while running').toBeDefined();
    const partial = (await (await fetch(partialView!.partial!.url)).json()) as VideoResult;
    expect(partial.frames.length).toBe(partialView!.partial!.frames);
    expect(partial.frames.length).toBeGreaterThanOrEqual(8);
    expect(partial.frames.length).toBeLessThan(FRAMES);

    // The embedded result is the summary; the whole document is the json download.
    expect(job.result).toMatchObject({ video: { width: 320, height: 240, fps: 10, frames: FRAMES }, frames_in_download: FRAMES });
    expect((job.result as Record<string, unknown>).frames).toBeUndefined();
    const byFormat = new Map(job.downloads!.map((d) => [d.format, d]));
    expect([...byFormat.keys()].sort()).toEqual(['json', 'mot', 'overlay', 'youtube_vis']);
    const doc = (await (await fetch(byFormat.get('json')!.url)).json()) as VideoResult;
    expect(doc.frames.map((f) => f.index)).toEqual([...Array(FRAMES).keys()]);
    doc.frames.forEach((f, i) => expect(f.time_s).toBeCloseTo(i / 10, 2));
    // One id per horse through both segment boundaries (frames 8 and 16), masks on the truth.
    for (const gt of [1, 2]) {
      const ids = new Set<number>();
      const ious: number[] = [];
      for (let f = 2; f < FRAMES; f++) {
        const id = idOf(doc, f, gt);
        if (id === undefined) continue;
        ids.add(id);
        ious.push(iou(decodeRle(doc.frames[f].instances.find((i) => i.track_id === id)!.rle), truth.masks[f].get(gt)!));
      }
      expect(ids.size, `horse ${gt}: one id`).toBe(1);
      expect(ious.reduce((a, b) => a + b, 0) / ious.length, `horse ${gt}: mean IoU`).toBeGreaterThan(0.8);
    }
    expect(doc.tracks.map((t) => t.label)).toEqual(['horse', 'horse']);

    // YouTube-VIS: one entry per track, a segmentation (or null) per frame; MOT: 10 fields a line, frames from 1.
    const vis = (await (await fetch(byFormat.get('youtube_vis')!.url)).json()) as { segmentations: unknown[] }[];
    expect(vis.length).toBe(doc.tracks.length);
    for (const v of vis) expect(v.segmentations.length).toBe(FRAMES);
    const mot = (await (await fetch(byFormat.get('mot')!.url)).text()).trim().split('\n');
    expect(mot.length).toBe(doc.frames.reduce((n, f) => n + f.instances.length, 0));
    for (const line of mot) expect(line.split(',').length).toBe(10);
    // MOT counts frames from 1: the first line is the first frame with an instance, plus one
    expect(Math.min(...mot.map((l) => Number(l.split(',')[0])))).toBe(doc.frames.findIndex((f) => f.instances.length > 0) + 1);
    // The overlay is a playable H.264 MP4 of every frame.
    const overlay = join(dir, 'overlay.mp4');
    await writeFile(overlay, new Uint8Array(await (await fetch(byFormat.get('overlay')!.url)).arrayBuffer()));
    const { stdout } = await run(ffprobeBinary(), ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'json', overlay]);
    expect(JSON.parse(stdout).streams[0]).toMatchObject({ codec_name: 'h264', width: 320, height: 240, nb_read_frames: String(FRAMES) });

    // 2.4 s of video: 3 seconds billed, once, however often the request is replayed.
    expect(await usage(api)).toEqual({ billable: 1, seconds: 3 });
    const replay = await api.createJob(body, { 'Idempotency-Key': 'clip-1' });
    expect(replay.body.job_id).toBe(created.body.job_id);
    expect(await usage(api)).toEqual({ billable: 1, seconds: 3 });
  });

  it('the CLI sends a clip with --api: progress on stderr, the outputs written locally, a rerun skips it, --overwrite reattaches to the same job (billed once)', { timeout: 300_000 }, async () => {
    const key = await stack.newKey({ tenant: 'video-cli' });
    const api = stack.client(key);
    const out = join(dir, 'cli-out');
    const cli = async (...extra: string[]) => {
      let stdout = '', stderr = '';
      const code = await main(['node', 'promptseg', 'segment', truth.path, '-p', 'horse', '--engine', 'lite', '--format', 'json,overlay,mot', '--out', out, '--api', stack.apiUrl, '--key', key, ...extra], {
        stdout: { write: (t: string) => void (stdout += t) },
        stderr: { write: (t: string) => void (stderr += t) },
        env: {},
      });
      return { code, stdout, stderr };
    };
    const first = await cli('--json');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/two\.mp4: \d+\/24 frames, \d\/3 parts/);
    const doc = JSON.parse(first.stdout) as VideoResult;
    expect(doc.frames.length).toBe(FRAMES);
    expect(JSON.parse(await readFile(join(out, 'two.json'), 'utf8')).tracks.length).toBe(doc.tracks.length);
    expect((await readFile(join(out, 'two.mot.txt'), 'utf8')).trim().split('\n').length).toBeGreaterThan(FRAMES);
    expect((await readFile(join(out, 'two.overlay.mp4'))).subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(await usage(api)).toEqual({ billable: 1, seconds: 3 });

    const again = await cli();
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/finished earlier .* skipped/);
    // --overwrite writes the files again from the same job: the same Idempotency-Key, no new bill.
    const redo = await cli('--overwrite');
    expect(redo.code, redo.stderr).toBe(0);
    expect(redo.stderr.match(/job (job_[a-z2-7]+)/)?.[1]).toBe(first.stderr.match(/job (job_[a-z2-7]+)/)?.[1]);
    expect(await usage(api)).toEqual({ billable: 1, seconds: 3 });
    // per-track PNG folders are a local output: refused with a clear message
    const masks = await cli('--format', 'mask');
    expect(masks.code).toBe(2);
    expect(masks.stderr).toMatch(/mask/);
  });

  it('refuses before billing what a clip cannot do: sync, image outputs, box prompts, a file that is not a clip, an upload over the clip limit', { timeout: 60_000 }, async () => {
    const api = stack.client(await stack.newKey({ tenant: 'video-refuse' }));
    const key = await api.uploadOk(clip, 'video/mp4');
    const sync = await api.request<{ error: { code: string; hint: string } }>('POST', '/v1/segment', { upload_key: key, prompt: 'horse' });
    expect(sync.status).toBe(400);
    expect(sync.body.error.hint).toMatch(/POST \/v1\/jobs/);
    const npy = await api.createJob({ upload_key: key, prompt: 'horse', outputs: ['npy'] });
    expect(npy.status).toBe(400);
    expect(npy.body.error.message).toMatch(/npy is for images/);
    const boxes = await api.createJob({ upload_key: key, prompt: 'horse', boxes: [{ x: 1, y: 1, w: 50, h: 50 }] });
    expect(boxes.status).toBe(400);
    const text = await api.uploadOk(new TextEncoder().encode('this is not a video at all, just some words'), 'video/mp4');
    const bad = await api.createJob({ upload_key: text, prompt: 'horse' });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'corrupt_video' });
    const big = await api.presign('video/mp4', { method: 'PUT', size: 3 * 1024 * 1024 });
    expect(big.status).toBe(413);
    // An image with clip sampling, and clip outputs on an image, are refused too.
    const png = await api.uploadOk(new Uint8Array(await readFile(new URL('../web/public/samples/horse.png', import.meta.url))), 'image/png');
    expect((await api.createJob({ upload_key: png, prompt: 'horse', video: { fps: 2 } })).status).toBe(400);
    expect((await api.createJob({ upload_key: png, prompt: 'horse', outputs: ['mot'] })).status).toBe(400);
    expect(await usage(api)).toEqual({ billable: 0, seconds: 0 });
  });

  it('fails a clip over the frame limit before any segment runs, and a truncated clip with corrupt_video; neither bills seconds', { timeout: 120_000 }, async () => {
    const api = stack.client(await stack.newKey({ tenant: 'video-fail' }));
    const key = await api.uploadOk(clip, 'video/mp4');
    // 20 fps over 2.4 s = 48 sampled frames; the limit here is 40.
    const long = (await api.createJob({ upload_key: key, prompt: 'horse', video: { fps: 20 } })).body.job_id;
    const failed = (await watch(api, long)).at(-1)!;
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'video_too_long' } });
    expect(failed.error!.hint).toMatch(/start|end|fps/);
    const segments: string[] = [];
    for await (const o of stack.store.list(`jobs/video-fail/${long}/video/`)) segments.push(o.key);
    expect(segments).toEqual([]);

    const cut = await api.uploadOk(clip.slice(0, 1500), 'video/mp4');
    const trunc = (await api.createJob({ upload_key: cut, prompt: 'horse' })).body.job_id;
    const t = (await watch(api, trunc)).at(-1)!;
    expect(t).toMatchObject({ status: 'failed', error: { code: 'corrupt_video' } });
    expect((await usage(api)).seconds).toBe(0);
  });

  it('cancels a running clip: cancelled, its seconds not billed', { timeout: 120_000 }, async () => {
    const api = stack.client(await stack.newKey({ tenant: 'video-cancel' }));
    const key = await api.uploadOk(clip, 'video/mp4');
    const id = (await api.createJob({ upload_key: key, prompt: 'horse' })).body.job_id;
    const end = Date.now() + 60_000;
    while ((await api.getJob(id)).body.progress === undefined && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    const c = await api.cancelJob(id);
    expect(c.body).toMatchObject({ status: 'cancelled', billable: false });
    expect(await usage(api)).toEqual({ billable: 0, seconds: 0 });
    // The workers notice at their next heartbeat and stop; the job stays cancelled.
    await new Promise((r) => setTimeout(r, 5000));
    expect((await api.getJob(id)).body.status).toBe('cancelled');
  });
});

describe('a video job whose worker dies mid-clip', () => {
  let faulty: TestStack;
  beforeAll(async () => {
    // A shorter lease than the default (local mode also stops an invocation running past it, as
    // Lambda's timeout would; 90 s leaves room on a loaded CI machine), so the sweeper retries
    // after the kill; a third attempt as headroom; 8 frames a segment: 3 segments.
    faulty = await startTestStack({ env: { PROMPTSEG_VIDEO_SEGMENT_FRAMES: '8', PROMPTSEG_JOB_TIMEOUT_S: '90', PROMPTSEG_JOB_MAX_ATTEMPTS: '3' } });
  }, 180_000);
  afterAll(async () => faulty?.teardown());

  it('resumes on its next attempt: finished segments are kept (not run again), the job succeeds, billed once', { timeout: 600_000 }, async () => {
    const api = faulty.client(await faulty.newKey({ tenant: 'video-kill' }));
    const key = await api.uploadOk(clip, 'video/mp4');
    const id = (await api.createJob({ upload_key: key, prompt: 'horse', outputs: ['json'] })).body.job_id;
    const end = Date.now() + 120_000;
    while (((await api.getJob(id)).body.progress?.segments_done ?? 0) < 1) {
      if (Date.now() > end) throw new Error(`no segment finished: ${JSON.stringify((await api.getJob(id)).body)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const kept = new Map<string, string>();
    for await (const o of faulty.store.list(`jobs/video-kill/${id}/video/segment-`)) if (o.key.endsWith('.json')) kept.set(o.key, (await faulty.store.head(o.key))!.etag!);
    expect(kept.size).toBeGreaterThanOrEqual(1);
    faulty.pool.kill(); // every invocation in flight dies, as a crashed container
    const job = (await watch(api, id, 480_000)).at(-1)!;
    expect(job.error, JSON.stringify(job.error)).toBeUndefined();
    expect(job).toMatchObject({ status: 'succeeded', progress: { frames_done: FRAMES, segments_total: 3, segments_done: 3 } });
    expect(job.attempts).toBeGreaterThanOrEqual(2);
    for (const [k, etag] of kept) expect((await faulty.store.head(k))!.etag, `${k} kept from attempt 1`).toBe(etag);
    const doc = (await (await fetch(job.downloads!.find((d) => d.format === 'json')!.url)).json()) as VideoResult;
    expect(doc.frames.length).toBe(FRAMES);
    expect(await usage(api)).toEqual({ billable: 1, seconds: 3 });
  });
});
