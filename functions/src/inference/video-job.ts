/**
 * Video jobs, fanned out over the inference function itself (README "Video over the API"):
 *
 *   job event ─▶ coordinator: probe the clip, plan segments by time (with a lead-in overlap),
 *                bill its seconds, send one `video_segment` event per other segment, run the
 *                first missing segment itself
 *   segment event ─▶ claim the segment, segmentVideo() over its time range, write its document
 *   the segment that completes the set ─▶ stitch (tracks matched by mask IoU on the overlaps),
 *                render the overlay / cut-out, write the outputs, complete the job
 *
 * No invocation waits for another, so each stays within one segment's work (Lambda's timeout
 * bounds an invocation, not a job). While any segment runs, its heartbeat renews the job's lease
 * and its progress; if every worker dies, the lease runs out and the sweeper retries the job: the
 * new attempt reuses the stored plan and every finished segment (a rerun resumes). A segment
 * whose worker died (its claim's lease ran out) is sent again by the next segment that finishes.
 * Without a segment function (PROMPTSEG_SEGMENT_FUNCTION empty off Lambda) the coordinator runs
 * every segment itself, one after another.
 *
 * Objects (core/jobs.ts videoKey): `segment-<i>.json` (its document), `segment-<i>.claim` (who
 * runs it, lease), `partial-<k>.json` (the first k segments stitched), `finish-<attempt>.claim`.
 */
import { mkdir, rename, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPromptsegError, jobRequestOptions, PromptsegError, toPromptsegError, videoOutputName, type VideoResult, type VideoSampling } from '@promptseg/shared';
import { motChallengeText, planClip, renderVideoFiles, segmentCount, segmentSampling, segmentVideo, stitchSegments, youtubeVisResults, type VideoSegment } from '@promptseg/model';
import { Dispatcher, type InferenceResponse, type SegmentEvent } from '../core/dispatch.js';
import { attemptPrefix, readJob, updateJob, videoKey, type JobRecord, type StoredOutput, type StoredSegment, type VideoJobState } from '../core/jobs.js';
import { completeJob, failJob } from '../core/lifecycle.js';
import type { ObjectStore } from '../core/objects.js';
import { billedVideoSeconds, recordVideoSeconds } from '../core/usage.js';
import type { RunDeps } from './run-job.js';

/** A segment claim's lease: renewed every HEARTBEAT_MS while its worker lives. */
export const SEGMENT_LEASE_MS = 60_000;
export const HEARTBEAT_MS = 2_000;

interface SegmentClaim {
  owner: string;
  attempt: number;
  lease_until: number;
  done?: boolean;
}

const CLIP_EXTENSION: Record<string, string> = { 'video/mp4': '.mp4', 'video/webm': '.webm', 'video/quicktime': '.mov', 'image/gif': '.gif' };

const sampling = (job: JobRecord): VideoSampling => job.request.video ?? {};
const toSegment = (s: StoredSegment): VideoSegment => ({ ...s, end: s.end ?? Infinity });

/** The clip on local disk (Lambda: /tmp), downloaded once per container and job. */
async function localClip(store: ObjectStore, job: JobRecord): Promise<string> {
  const dir = join(tmpdir(), 'promptseg-video');
  const path = join(dir, `${job.tenant}-${job.job_id}${CLIP_EXTENSION[job.input.content_type] ?? '.mp4'}`);
  const have = await stat(path).catch(() => null);
  if (have?.size === job.input.bytes) return path;
  const obj = await store.getBytes(job.input.key);
  if (!obj) throw new PromptsegError('not_found', 'The uploaded clip no longer exists.', 'Uploads are deleted after a day; upload the clip again and create a new job.');
  await mkdir(dir, { recursive: true });
  // own temp name, then rename: two segments of one container never see a half-written clip
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.part`;
  await writeFile(tmp, obj.bytes);
  await rename(tmp, path);
  return path;
}

function dispatcherFor(deps: RunDeps): Dispatcher | undefined {
  const v = deps.config.video;
  if (!v.segmentFunction) return undefined;
  return new Dispatcher({ functionName: v.segmentFunction, region: v.region, endpoint: v.lambdaEndpoint, credentials: v.credentials });
}

/** Plans the clip the first time; later attempts reuse the stored plan. */
async function ensurePlan(deps: RunDeps, job: JobRecord, clip: string, owner: string): Promise<VideoJobState> {
  if (job.video) return job.video;
  const v = deps.config.video;
  const plan = await planClip(clip, sampling(job), { segments: (frames) => segmentCount(frames, v.segmentFrames, v.maxSegments), limits: { maxSeconds: v.maxSeconds, maxFrames: v.maxFrames }, path: 'the clip' });
  const state: VideoJobState = {
    width: plan.info.width,
    height: plan.info.height,
    frames_total: plan.frames,
    rate: plan.rate,
    seconds: billedVideoSeconds(plan.spanS),
    segments: plan.segments.map((s) => ({ ...s, end: Number.isFinite(s.end) ? s.end : null })),
    done: plan.segments.map(() => 0),
    finished: [],
  };
  const after = await updateJob(deps.store, job.tenant, job.job_id, (j) => (j.video || j.status !== 'running' || j.lease_owner !== owner ? null : { ...j, video: state }));
  if (!after.video) throw new PromptsegError('job_cancelled', 'The job ended while its clip was being planned.', 'Nothing was billed for it.');
  return after.video;
}

/** The coordinator (the job's own invocation, after its claim): plan, bill, fan out, run a segment. */
export async function startVideoJob(deps: RunDeps, job: JobRecord, owner: string): Promise<InferenceResponse> {
  const clip = await localClip(deps.store, job);
  const state = await ensurePlan(deps, job, clip, owner);
  await recordVideoSeconds(deps.store, job.billing, state.seconds);
  const missing = state.segments.map((s) => s.index).filter((i) => !state.finished.includes(i));
  const dispatcher = dispatcherFor(deps);
  if (dispatcher) {
    // Every missing segment but the first gets its own invocation; a failed send is not fatal:
    // the next finishing segment (or the lease's retry) sends it again.
    await Promise.all(
      missing.slice(1).map((segment) =>
        dispatcher.dispatchSegment({ type: 'video_segment', tenant: job.tenant, job_id: job.job_id, attempt: job.attempt, segment }).catch((e: unknown) => console.warn(`[video] ${job.job_id}: segment ${segment} not sent (${e instanceof Error ? e.message : String(e)}); it is sent again later`)),
      ),
    );
  }
  return work(deps, job, clip, missing.slice(0, 1), !dispatcher);
}

/** A segment event: run that segment if nobody else does. */
export async function runSegmentEvent(deps: RunDeps, ev: SegmentEvent): Promise<InferenceResponse> {
  const cur = await readJob(deps.store, ev.tenant, ev.job_id);
  if (!cur) return { job_id: ev.job_id, status: 'failed', ran: false, skipped: 'finished' };
  const job = cur.value;
  if (job.status !== 'running' || !job.video || job.attempt !== ev.attempt) {
    return { job_id: job.job_id, status: job.status, ran: false, skipped: job.status === 'cancelled' ? 'cancelled' : job.status === 'running' ? 'in_progress' : 'finished' };
  }
  if (!job.video.segments[ev.segment]) throw new PromptsegError('bad_request', `Job ${job.job_id} has no segment ${ev.segment}.`, 'Segment events come from the job\'s coordinator.');
  try {
    const clip = await localClip(deps.store, job);
    return await work(deps, job, clip, [ev.segment], false);
  } catch (e) {
    return failVideo(deps, job, e);
  }
}

/**
 * Runs the given segments (or, with `all`, every segment it can claim), then finishes the job if
 * the set is complete. Returns how the job stands.
 */
async function work(deps: RunDeps, job: JobRecord, clip: string, wanted: number[], all: boolean): Promise<InferenceResponse> {
  let ran = false;
  for (;;) {
    const cur = (await readJob(deps.store, job.tenant, job.job_id))?.value;
    if (!cur || cur.status !== 'running' || !cur.video) return { job_id: job.job_id, status: cur?.status ?? 'failed', ran, ...(cur?.status === 'cancelled' ? { skipped: 'cancelled' as const } : {}) };
    const state = cur.video;
    const candidates = all ? state.segments.map((s) => s.index).filter((i) => !state.finished.includes(i)) : wanted.filter((i) => !state.finished.includes(i));
    let claimed: { index: number; claim: SegmentClaim; etag: string } | null = null;
    for (const i of candidates) {
      claimed = await claimSegment(deps.store, cur, i);
      if (claimed) break;
    }
    if (!claimed) break;
    const outcome = await runSegment(deps, cur, clip, claimed);
    ran = true;
    if (outcome === 'cancelled') return { job_id: job.job_id, status: 'cancelled', ran, skipped: 'cancelled' };
    wanted = wanted.filter((i) => i !== claimed!.index);
    if (!all && !wanted.length) break;
  }
  return advance(deps, job, clip, ran);
}

async function claimSegment(store: ObjectStore, job: JobRecord, index: number): Promise<{ index: number; claim: SegmentClaim; etag: string } | null> {
  const key = videoKey(job.tenant, job.job_id, `segment-${index}.claim`);
  const claim: SegmentClaim = { owner: Math.random().toString(36).slice(2), attempt: job.attempt, lease_until: Date.now() + SEGMENT_LEASE_MS };
  const existing = await store.getJson<SegmentClaim>(key);
  // A claim of an earlier attempt is stale even inside its lease: a new attempt starts only after
  // the job's lease ran out, i.e. no worker of the earlier one beat for a whole job timeout.
  if (existing && (existing.value.done || (existing.value.lease_until > Date.now() && existing.value.attempt >= job.attempt))) return null;
  const put = existing ? await store.putJson(key, claim, { ifMatch: existing.etag }) : await store.putJson(key, claim, { ifNoneMatch: true });
  return put ? { index, claim, etag: put.etag } : null;
}

/** One segment through segmentVideo, with a heartbeat; 'cancelled' when its owner cancelled the job. */
async function runSegment(deps: RunDeps, job: JobRecord, clip: string, c: { index: number; claim: SegmentClaim; etag: string }): Promise<'done' | 'cancelled'> {
  const { store } = deps;
  const state = job.video!;
  const seg = toSegment(state.segments[c.index]);
  const claimKey = videoKey(job.tenant, job.job_id, `segment-${c.index}.claim`);
  const abort = new AbortController();
  let framesDone = 0;
  let etag = c.etag;
  let cancelled = false;
  let beating: Promise<void> | null = null;
  // Renews the segment's claim and the job's lease, reports progress, and notices a cancel.
  const beat = async () => {
    const claim = { ...c.claim, lease_until: Date.now() + SEGMENT_LEASE_MS };
    const put = await store.putJson(claimKey, claim, { ifMatch: etag }).catch(() => null);
    if (put) etag = put.etag;
    const after = await updateJob(store, job.tenant, job.job_id, (j) => {
      if (j.status !== 'running' || !j.video) return null;
      const done = [...j.video.done];
      done[c.index] = Math.max(done[c.index] ?? 0, framesDone);
      return { ...j, video: { ...j.video, done }, ...(j.attempt === c.claim.attempt ? { lease_until: Date.now() + deps.config.jobTimeoutMs } : {}) };
    }).catch(() => null);
    if (after && after.status === 'cancelled') {
      cancelled = true;
      abort.abort(new PromptsegError('job_cancelled', 'The job was cancelled.', 'Nothing was billed for it.'));
    }
  };
  const timer = setInterval(() => {
    beating ??= beat().finally(() => (beating = null));
  }, HEARTBEAT_MS);
  try {
    const { boxes: _b, points: _p, ...image } = jobRequestOptions(job.request);
    const { result } = await segmentVideo(clip, job.request.prompt, {
      ...image,
      ...segmentSampling(seg, c.index === state.segments.length - 1, sampling(job)),
      limits: { maxSeconds: deps.config.video.maxSeconds, maxFrames: deps.config.video.maxFrames },
      collectFrames: true,
      signal: abort.signal,
      onFrame: (o) => void (framesDone = Math.max(0, o.progress.frames_done - seg.leadIn)),
    });
    clearInterval(timer);
    await beating;
    if (cancelled) return 'cancelled';
    await store.putJson(videoKey(job.tenant, job.job_id, `segment-${c.index}.json`), result);
    await store.putJson(claimKey, { ...c.claim, done: true }).catch(() => undefined);
    await updateJob(store, job.tenant, job.job_id, (j) => {
      if (!j.video || j.video.finished.includes(c.index)) return null;
      const done = [...j.video.done];
      done[c.index] = seg.frames;
      return { ...j, video: { ...j.video, done, finished: [...j.video.finished, c.index].sort((a, b) => a - b) } };
    });
    return 'done';
  } catch (e) {
    if (cancelled || (isPromptsegError(e) && e.code === 'job_cancelled')) return 'cancelled';
    throw e;
  } finally {
    clearInterval(timer);
    if (cancelled) await store.delete(claimKey).catch(() => undefined);
  }
}

/** After a segment: write the stitched prefix, send segments whose worker died, finish a complete set. */
async function advance(deps: RunDeps, job: JobRecord, clip: string, ran: boolean): Promise<InferenceResponse> {
  const { store } = deps;
  const cur = (await readJob(store, job.tenant, job.job_id))?.value;
  if (!cur || cur.status !== 'running' || !cur.video) return { job_id: job.job_id, status: cur?.status ?? 'failed', ran };
  const state = cur.video;
  const n = state.segments.length;
  if (state.finished.length === n) {
    const won = await store.putJson(videoKey(cur.tenant, cur.job_id, `finish-${cur.attempt}.claim`), { at: Date.now() }, { ifNoneMatch: true });
    if (!won) return { job_id: cur.job_id, status: 'running', ran, skipped: 'in_progress' };
    return finishVideo(deps, cur, clip);
  }
  let prefix = 0;
  while (prefix < n && state.finished.includes(prefix)) prefix++;
  if (prefix > 0 && prefix > (state.partial?.segments ?? 0)) await writePartial(store, cur, prefix);
  const dispatcher = dispatcherFor(deps);
  if (dispatcher) {
    for (const s of state.segments) {
      if (state.finished.includes(s.index)) continue;
      const claim = await store.getJson<SegmentClaim>(videoKey(cur.tenant, cur.job_id, `segment-${s.index}.claim`));
      if (claim && !claim.value.done && claim.value.lease_until < Date.now()) {
        console.warn(`[video] ${cur.job_id}: segment ${s.index}'s worker stopped; sending it again`);
        await dispatcher.dispatchSegment({ type: 'video_segment', tenant: cur.tenant, job_id: cur.job_id, attempt: cur.attempt, segment: s.index }).catch(() => undefined);
      }
    }
  }
  return { job_id: cur.job_id, status: 'running', ran };
}

async function readSegments(store: ObjectStore, job: JobRecord, count: number): Promise<{ segment: VideoSegment; result: VideoResult }[]> {
  const state = job.video!;
  return Promise.all(
    state.segments.slice(0, count).map(async (s) => {
      const doc = await store.getJson<VideoResult>(videoKey(job.tenant, job.job_id, `segment-${s.index}.json`));
      if (!doc) throw new PromptsegError('internal', `Segment ${s.index} of the clip is marked done but its document is missing.`, 'Retry the job.');
      return { segment: toSegment(s), result: doc.value };
    }),
  );
}

async function writePartial(store: ObjectStore, job: JobRecord, segments: number): Promise<void> {
  const doc = stitchSegments(await readSegments(store, job, segments), job.video!.rate);
  const key = videoKey(job.tenant, job.job_id, `partial-${segments}.json`);
  await store.putJson(key, doc);
  await updateJob(store, job.tenant, job.job_id, (j) => {
    if (!j.video || (j.video.partial?.segments ?? 0) >= segments) return null;
    return { ...j, video: { ...j.video, partial: { key, frames: doc.frames.length, tracks: doc.tracks.length, segments } } };
  }).catch(() => undefined);
}

/** Stitch, render, write the outputs under the attempt's prefix, then complete the job (its record last). */
async function finishVideo(deps: RunDeps, job: JobRecord, clip: string): Promise<InferenceResponse> {
  const { store } = deps;
  const owner = job.lease_owner!;
  try {
    const t0 = performance.now();
    const result = stitchSegments(await readSegments(store, job, job.video!.segments.length), job.video!.rate);
    const tStitch = performance.now();
    const prefix = attemptPrefix(job.tenant, job.job_id, job.attempt);
    const outputs: StoredOutput[] = [];
    const put = async (format: StoredOutput['format'], bytes: Uint8Array, contentType: string) => {
      const name = videoOutputName(format as Parameters<typeof videoOutputName>[0], job.job_id);
      const key = `${prefix}${name}`;
      await store.putBytes(key, bytes, contentType);
      outputs.push({ format, name, key, content_type: contentType, bytes: bytes.length });
    };
    const formats = new Set(job.request.outputs);
    const pixels = [...formats].filter((f): f is 'overlay' | 'cutout' => f === 'overlay' || f === 'cutout');
    if (pixels.length) {
      const dir = join(tmpdir(), 'promptseg-video', `${job.job_id}-render-${job.attempt}`);
      await mkdir(dir, { recursive: true });
      try {
        const paths = Object.fromEntries(pixels.map((f) => [f, join(dir, videoOutputName(f, 'out'))]));
        await renderVideoFiles(clip, result, paths, { sampling: sampling(job) });
        for (const f of pixels) await put(f, new Uint8Array(await readFile(paths[f]!)), f === 'overlay' ? 'video/mp4' : 'video/webm');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    const tRender = performance.now();
    if (formats.has('youtube_vis')) await put('youtube_vis', new TextEncoder().encode(JSON.stringify(youtubeVisResults(result)) + '\n'), 'application/json');
    if (formats.has('mot')) await put('mot', new TextEncoder().encode(motChallengeText(result.frames)), 'text/plain');
    const timings: Record<string, number> = {};
    for (const [k, v] of Object.entries(result.timings_ms)) timings[`segment_${k}`] = v;
    timings.stitch = round(tStitch - t0);
    timings.render = round(tRender - tStitch);
    result.timings_ms = { ...result.timings_ms, stitch: timings.stitch, render: timings.render };
    // The whole document is a download (it can be megabytes of RLE); the record points at its summary, which GET embeds.
    await put('json', new TextEncoder().encode(JSON.stringify(result) + '\n'), 'application/json');
    const { frames: _frames, ...summary } = result;
    const resultKey = `${prefix}result.json`;
    await store.putBytes(resultKey, new TextEncoder().encode(JSON.stringify({ ...summary, frames_in_download: result.frames.length }) + '\n'), 'application/json');
    const applied = await completeJob(store, job.tenant, job.job_id, owner, { result_key: resultKey, outputs, engine: result.engine, timings_ms: timings });
    if (!applied) {
      await Promise.all([...outputs.map((o) => o.key), resultKey].map((k) => store.delete(k).catch(() => undefined)));
      const now = (await readJob(store, job.tenant, job.job_id))?.value;
      return { job_id: job.job_id, status: now?.status ?? 'failed', ran: true, ...(now?.status === 'cancelled' ? { skipped: 'cancelled' as const } : {}) };
    }
    await rm(clip, { force: true }).catch(() => undefined);
    return { job_id: job.job_id, status: 'succeeded', ran: true };
  } catch (e) {
    return failVideo(deps, job, e);
  }
}

/** A segment or the finish failed: the job fails with that error (unbilled when it is our fault). */
async function failVideo(deps: RunDeps, job: JobRecord, e: unknown): Promise<InferenceResponse> {
  const err = toPromptsegError(e);
  if (!isPromptsegError(e)) console.error(`[video] ${job.job_id}: unexpected error`, e);
  const cur = (await readJob(deps.store, job.tenant, job.job_id))?.value;
  const after = cur?.lease_owner ? await failJob(deps.store, job.tenant, job.job_id, err.toJSON(), cur.lease_owner) : cur;
  return { job_id: job.job_id, status: after?.status ?? 'failed', ran: true, error: err.toJSON() };
}

const round = (v: number) => Math.round(v * 10) / 10;
