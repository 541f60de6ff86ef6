/**
 * `promptseg segment clip.mp4 -p "…" --api URL --key KEY`: the clip as one video job of the
 * service (README "Video over the API"): presigned upload → job → progress on stderr (frames done
 * of the total, parts done) → the job's downloads written under the local output names, each
 * atomically.
 *
 * Resume: the job's id is recorded (`.promptseg-done/<name>.video.json`) as soon as the service
 * accepts it, keyed by the clip's bytes and the request, so a rerun after an interruption (Ctrl-C,
 * kill -9, a lost connection) reattaches to the same job — still running or finished — instead of
 * uploading and billing again; `--overwrite` fetches the files again from that job; a rerun after
 * everything was written skips the clip.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { PromptsegClient, Job } from '@promptseg/client';
import { PromptsegError, videoOutputName, type VideoOutputFormat, type VideoResult } from '@promptseg/shared';
import { toCliError } from './api-client.js';
import type { CliContext } from './context.js';
import type { InputImage } from './inputs.js';
import { DONE_DIR, writeFileAtomic } from './outputs.js';
import type { VideoRunOutcome, VideoSettings } from './video.js';

/** Clip types the service takes, by extension (an animated GIF is sent with `video`). */
const CONTENT_TYPES: Record<string, string> = { '.mp4': 'video/mp4', '.m4v': 'video/mp4', '.mov': 'video/quicktime', '.webm': 'video/webm', '.gif': 'image/gif' };

/** `.promptseg-done/<name>.video.json` of a clip sent with --api: its job, then its files. */
interface ApiVideoRecord {
  version: 1;
  /** The clip's bytes and the request, hashed: another prompt or option is another job. */
  key: string;
  job_id: string;
  files?: string[];
  finished_at?: string;
}

/** Longest wait for one clip (a 10-minute clip at ~1 frame/s per segment, fanned out, is well inside). */
const CLIP_TIMEOUT_MS = 60 * 60_000;

export async function runVideoViaApi(ctx: CliContext, client: PromptsegClient, input: InputImage, s: VideoSettings): Promise<VideoRunOutcome> {
  if (s.formats.includes('mask')) {
    throw new PromptsegError('invalid_option', 'With --api, a clip\'s outputs are json, overlay, cutout, youtube_vis and mot (per-track PNG folders are made by local runs).', 'Drop "mask" from --format (the masks are the RLE in the JSON and the alpha of the cut-out), or run without --api.');
  }
  if ((await stat(input.file)).isDirectory()) {
    throw new PromptsegError('invalid_option', `${input.display} is a folder of frames; the service takes a clip file.`, 'Encode the frames first (ffmpeg -framerate 25 -i %06d.png clip.mp4) or run without --api.');
  }
  const contentType = CONTENT_TYPES[extname(input.file).toLowerCase()];
  if (!contentType) throw new PromptsegError('unsupported_image', `${input.display}: the service takes MP4, MOV, WebM and GIF clips.`, 'Convert it (ffmpeg -i in.ext out.mp4) or run without --api.');
  const bytes = new Uint8Array(await readFile(input.file));
  const formats = s.formats.length ? s.formats : (['json'] as VideoOutputFormat[]);
  const body = {
    prompt: s.prompt,
    threshold: s.options.threshold,
    refine: s.options.refine,
    engine: s.options.engine,
    ...(s.options.topK !== undefined ? { top_k: s.options.topK } : {}),
    outputs: [...new Set<VideoOutputFormat>(['json', ...formats])],
    video: s.sampling,
  };
  const key = createHash('sha256').update(bytes).update(JSON.stringify(body)).digest('hex').slice(0, 40);
  const base = input.stem;
  const recordPath = join(s.outDir, DONE_DIR, `${base}.video.json`);
  // Written when the job is created, completed with the files when they are all written.
  const record = await readFile(recordPath, 'utf8').then((t) => JSON.parse(t) as ApiVideoRecord, () => undefined);
  const same = record?.key === key;
  if (same && record.files && !s.overwrite && (await Promise.all(record.files.map((f) => stat(join(s.outDir, f)).then(() => true, () => false)))).every(Boolean)) {
    ctx.stderr.write(`${input.display}: finished earlier (${record.files.length} outputs in ${s.outDisplay}); skipped — --overwrite redoes it\n`);
    if (s.json && formats.includes('json')) ctx.stdout.write(await readFile(join(s.outDir, videoOutputName('json', base)), 'utf8'));
    return { status: 'skipped', files: record.files };
  }
  try {
    // The job of an earlier run of this command, if it can still give the result: reattach to it
    // (no second upload, no second bill). A failed or cancelled one, or one gone, is run again.
    let jobId: string | undefined;
    if (same) {
      const prior = await client.getJob(record.job_id).catch(() => undefined);
      if (prior && prior.status !== 'failed' && prior.status !== 'cancelled') {
        jobId = prior.job_id;
        ctx.stderr.write(`${input.display}: continuing with job ${jobId} (${prior.status}) from an earlier run\n`);
      }
    }
    if (!jobId) {
      const up = await client.upload(bytes, { contentType });
      // One key per upload and request: the client's own retries of this call land on the same job.
      const accepted = await client.createJob({ ...body, upload_key: up.upload_key } as never, { idempotencyKey: `cli-video-${createHash('sha256').update(up.upload_key).update(key).digest('hex').slice(0, 40)}` });
      jobId = accepted.job_id;
      await mkdir(join(s.outDir, DONE_DIR), { recursive: true });
      await writeFileAtomic(recordPath, JSON.stringify({ version: 1, key, job_id: jobId } satisfies ApiVideoRecord));
    }
    let shown = '';
    const job: Job = await client.waitForJob(jobId, {
      timeoutMs: CLIP_TIMEOUT_MS,
      onUpdate: (j) => {
        const p = j.progress;
        const line = p ? `${p.frames_done}/${p.frames_total} frames, ${p.segments_done}/${p.segments_total} parts` : j.status;
        if (line !== shown) ctx.stderr.write(`${input.display}: ${line} (job ${j.job_id})\n`);
        shown = line;
      },
    });
    if (job.status !== 'succeeded') {
      const e = job.error;
      throw new PromptsegError((e?.code ?? 'internal') as PromptsegError['code'], `${input.display}: ${e?.message ?? `the job ended ${job.status}`}`, e?.hint ?? 'Run the same command again.');
    }
    await mkdir(s.outDir, { recursive: true });
    const files: string[] = [];
    let doc: VideoResult | undefined;
    for (const format of formats) {
      const d = job.downloads?.find((x) => x.format === format);
      if (!d) throw new PromptsegError('internal', `The service did not return the ${format} output of job ${job.job_id}.`, 'Run the same command again; report it if it repeats.');
      const data = await client.download(d);
      const name = videoOutputName(format, base);
      await writeFileAtomic(join(s.outDir, name), data);
      files.push(name);
      if (format === 'json') doc = JSON.parse(new TextDecoder().decode(data)) as VideoResult;
    }
    await writeFileAtomic(recordPath, JSON.stringify({ version: 1, key, job_id: job.job_id, files, finished_at: new Date().toISOString() } satisfies ApiVideoRecord));
    ctx.stderr.write(`${input.display}: ${doc ? `${doc.tracks.length} tracks over ${doc.frames.length} frames; ` : ''}${files.length} outputs in ${s.outDisplay} (job ${job.job_id})\n`);
    if (s.json && doc) ctx.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return { status: 'ok', files, ...(doc ? { result: doc } : {}) };
  } catch (e) {
    throw toCliError(e);
  }
}
