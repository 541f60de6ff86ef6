/**
 * `npm run bench:video`: segmentVideo with the lite engine on clips synthesised from horse.png
 * (not a test; numbers vary with the CPU and with whatever else runs on it — the load average is
 * printed before and after). Five measurements:
 *
 *  1. throughput: frames per second on a 640x480 clip, one horse walking (after warmup);
 *  2. memory over a long clip (600 frames by default), streamed (collectFrames: false, as the CLI
 *     runs): RSS and JS heap after the first frame, at the middle and at the end;
 *  3. time per extra track: the same short 640x480 clip with 1, 2 and 3 horses (apart), ms per
 *     frame, and the slope;
 *  4. fan-out: one 640x480 clip (PROMPTSEG_BENCH_VIDEO_FAN frames, default 48) through
 *     segmentVideoParallel with 1, 2 and 4 local worker processes: wall time and speed-up (each
 *     worker loads its own models, and on a 2-core machine 4 workers share 2 cores);
 *  5. the API: the same clip as one video job through local mode, planned as 1 and as 3 segments
 *     (the service's fan-out path), POST to succeeded, with the stitch and overlay render times.
 *
 *   PROMPTSEG_BENCH_VIDEO_FRAMES=600 PROMPTSEG_BENCH_VIDEO_SHORT=20 npm run bench:video
 *   PROMPTSEG_BENCH_VIDEO_ONLY=fanout npm run bench:video      # parts 4 and 5
 *   PROMPTSEG_BENCH_VIDEO_ONLY=api npm run bench:video         # part 5
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { segmentVideo, segmentVideoParallel, warmup } from '@promptseg/model';
import { horseSprite, synthesiseClip, type ClipObject, type Sprite } from '@promptseg/model/video-testing';
import { startTestStack } from '../service-kit.js';

const LONG = Math.max(10, Number(process.env.PROMPTSEG_BENCH_VIDEO_FRAMES) || 600);
const SHORT = Math.max(6, Number(process.env.PROMPTSEG_BENCH_VIDEO_SHORT) || 20);
const FAN = Math.max(16, Number(process.env.PROMPTSEG_BENCH_VIDEO_FAN) || 48);
/** `fanout`: parts 4 and 5; `api`: part 5 only. */
const ONLY = process.env.PROMPTSEG_BENCH_VIDEO_ONLY;
const W = 640, H = 480;
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
const mib = (b: number) => (b / 1024 ** 2).toFixed(0);

/** A horse walking across and back (a triangle wave), so it stays in the picture for any length. */
function walker(id: number, sprite: Sprite, y: number, speed: number, phase = 0): ClipObject {
  const span = W - sprite.width - 20;
  return {
    id,
    sprite,
    at: (f) => {
      const d = (phase + f * speed) % (2 * span);
      return [10 + (d < span ? d : 2 * span - d), y];
    },
  };
}

interface Timed {
  frames: number;
  /** ms per frame, each frame from its onFrame to the next. */
  perFrame: number[];
  totalMs: number;
  timings: Record<string, number>;
  tracks: number;
}

async function timedRun(path: string, memory?: (frame: number) => void): Promise<Timed> {
  const perFrame: number[] = [];
  let last = performance.now();
  const t0 = last;
  const { result } = await segmentVideo(path, 'horse', {
    engine: 'lite',
    collectFrames: false,
    onFrame: (o) => {
      const now = performance.now();
      perFrame.push(now - last);
      last = now;
      memory?.(o.frame.index);
    },
  });
  return { frames: result.video.frames, perFrame, totalMs: performance.now() - t0, timings: result.timings_ms, tracks: result.tracks.length };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  console.log(`video bench (lite) — ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, Node ${process.version}, load average ${load()}`);
  const dir = await mkdtemp(join(tmpdir(), 'promptseg-bench-video-'));
  try {
    const w = await warmup('lite');
    console.log(`warmup (sessions created, every model run once): ${w.ms.toFixed(0)} ms`);
    const horse = await horseSprite(180);
    const small = await horseSprite(150);

    if (ONLY !== 'fanout' && ONLY !== 'api') await partsOneToThree(dir, horse, small);
    if (ONLY !== 'api') await fanOut(dir, horse);
    await overApi(dir, horse);
    console.log(`\nload average after: ${load()} (other processes on the CPU inflate every number)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * 5. the same clip as one video job through local mode's API (upload, job, poll), planned as 1
 * segment and as 3 (the Lambda fan-out path: coordinator + segment invocations of the local Invoke
 * endpoint, 2 at a time), with the stitch and the overlay render from the job's timings.
 */
async function overApi(dir: string, horse: Sprite): Promise<void> {
  const clip = await synthesiseClip(dir, 'api', { width: W, height: H, frames: FAN, fps: 25, format: 'mp4', keepMasks: false, objects: [walker(1, horse, 140, 9)] });
  const bytes = new Uint8Array(await readFile(clip.path));
  console.log(`\n5. one video job through the API (local mode, lite), ${W}x${H}, ${FAN} frames, outputs json + overlay:`);
  let base = 0;
  for (const perSegment of [FAN, Math.ceil(FAN / 3)]) {
    const stack = await startTestStack({ env: { PROMPTSEG_VIDEO_SEGMENT_FRAMES: String(perSegment) } });
    try {
      const api = stack.client(await stack.newKey({ tenant: 'bench' }));
      const key = await api.uploadOk(bytes, 'video/mp4');
      const t0 = performance.now();
      const id = (await api.createJob({ upload_key: key, prompt: 'horse', engine: 'lite', outputs: ['json', 'overlay'] })).body.job_id;
      const job = await api.waitJob(id, 1_200_000);
      const ms = performance.now() - t0;
      if (!base) base = ms;
      const t = job.timings_ms;
      console.log(`   ${job.progress?.segments_total ?? '?'} segment(s): ${(ms / 1000).toFixed(1)} s from POST to succeeded, ${(FAN / (ms / 1000)).toFixed(2)} frames/s, speed-up ${(base / ms).toFixed(2)}x, stitch ${t.stitch} ms, overlay render ${((t.render ?? 0) / 1000).toFixed(1)} s, status ${job.status}, load average ${load()}`);
    } finally {
      await stack.teardown();
    }
  }
}

/** 4. the same clip over 1, 2 and 4 local worker processes. */
async function fanOut(dir: string, horse: Sprite): Promise<void> {
  const clip = await synthesiseClip(dir, 'fan', { width: W, height: H, frames: FAN, fps: 25, format: 'mp4', keepMasks: false, objects: [walker(1, horse, 140, 9)] });
  console.log(`\n4. fan-out, ${W}x${H}, ${FAN} frames, 1 horse (overlap 4 frames per later segment):`);
  let base = 0;
  for (const workers of [1, 2, 4]) {
    const t0 = performance.now();
    const { result } = await segmentVideoParallel(clip.path, 'horse', { engine: 'lite', workers });
    const ms = performance.now() - t0;
    if (workers === 1) base = ms;
    console.log(`   ${workers} worker${workers > 1 ? 's' : ' '}: ${(ms / 1000).toFixed(1)} s wall, ${(result.video.frames / (ms / 1000)).toFixed(2)} frames/s, speed-up ${(base / ms).toFixed(2)}x, tracks ${result.tracks.length}, load average ${load()}`);
  }
}

async function partsOneToThree(dir: string, horse: Sprite, small: Sprite): Promise<void> {
  {
    // 1. throughput
    const one = await synthesiseClip(dir, 'one', { width: W, height: H, frames: SHORT, fps: 25, format: 'mp4', keepMasks: false, objects: [walker(1, horse, 140, 9)] });
    const r1 = await timedRun(one.path);
    const steady = r1.perFrame.slice(2);
    console.log(`\n1. throughput, ${W}x${H}, ${r1.frames} frames, 1 horse: ${(r1.frames / (r1.totalMs / 1000)).toFixed(2)} frames/s overall, ${(1000 / median(steady)).toFixed(2)} frames/s steady (median ${median(steady).toFixed(0)} ms/frame after the first two); tracks ${r1.tracks}`);
    const stages = ['decode_video', 'encode', 'detect', 'detect_zoom_out', 'detect_tiles', 'decode_masks', 'postprocess', 'track'];
    console.log(`   ms per frame by stage: ${stages.map((k) => `${k} ${((r1.timings[k] ?? 0) / r1.frames).toFixed(0)}`).join(', ')}`);

    // 2. memory over a long clip
    const long = await synthesiseClip(dir, 'long', { width: W, height: H, frames: LONG, fps: 25, format: 'mp4', keepMasks: false, objects: [walker(1, horse, 140, 7)] });
    global.gc?.();
    const marks = new Map<number, { rss: number; heap: number; external: number }>();
    const at = new Set([0, Math.floor(LONG / 4), Math.floor(LONG / 2), Math.floor((3 * LONG) / 4), LONG - 1]);
    let peakRss = 0;
    const rLong = await timedRun(long.path, (f) => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      if (at.has(f)) marks.set(f, { rss: m.rss, heap: m.heapUsed, external: m.external + m.arrayBuffers });
      if (f % 100 === 99) console.error(`   … ${f + 1}/${LONG} frames, load average ${load()}`);
    });
    console.log(`\n2. memory, ${W}x${H}, ${rLong.frames} frames streamed (${(rLong.totalMs / 1000).toFixed(0)} s, ${(rLong.frames / (rLong.totalMs / 1000)).toFixed(2)} frames/s), tracks ${rLong.tracks}:`);
    console.log('   frame     rss MiB   heap MiB   external+buffers MiB');
    for (const [f, m] of [...marks].sort((a, b) => a[0] - b[0])) console.log(`   ${String(f + 1).padStart(5)}   ${mib(m.rss).padStart(9)}   ${mib(m.heap).padStart(8)}   ${mib(m.external).padStart(8)}`);
    const first = marks.get(0)!, end = marks.get(LONG - 1)!;
    console.log(`   growth first -> last frame: rss ${mib(end.rss - first.rss)} MiB, heap ${mib(end.heap - first.heap)} MiB; peak rss ${mib(peakRss)} MiB`);

    // 3. time per extra track
    console.log(`\n3. time per extra track, ${W}x${H}, ${SHORT} frames:`);
    const perK: [number, number][] = [];
    for (const k of [1, 2, 3]) {
      const objs = [walker(1, small, 10, 9), walker(2, small, 170, 9, 200), walker(3, small, 330, 9, 400)].slice(0, k);
      const clip = await synthesiseClip(dir, `k${k}`, { width: W, height: H, frames: SHORT, fps: 25, format: 'mp4', keepMasks: false, objects: objs });
      const r = await timedRun(clip.path);
      const ms = median(r.perFrame.slice(2));
      perK.push([k, ms]);
      console.log(`   ${k} horse${k > 1 ? 's' : ' '}: ${ms.toFixed(0)} ms/frame (median after the first two), tracks ${r.tracks}, keyframes' detection ${(((r.timings.detect ?? 0) + (r.timings.detect_tiles ?? 0) + (r.timings.detect_zoom_out ?? 0)) / r.frames).toFixed(0)} ms/frame, mask decoding ${((r.timings.decode_masks ?? 0) / r.frames).toFixed(0)} ms/frame`);
    }
    const slope = (perK[2][1] - perK[0][1]) / 2;
    console.log(`   => about ${slope.toFixed(0)} ms per extra track per frame`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
