/**
 * `promptseg segment <files | folders | globs ...> --prompt "..."`: flags are parsed and checked
 * here (every bad value is an invalid_option error naming the flag), then the batch runs.
 */
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  DEFAULT_POLYGON_TOLERANCE,
  POLYGON_TOLERANCE_MAX,
  ENGINE_CHOICES,
  MAX_PROMPT_CHARS,
  OUTPUT_FORMATS,
  PromptsegError,
  REFINE_LEVELS,
  SegmentOptionsSchema,
  THRESHOLD_MAX,
  THRESHOLD_MIN,
  type BoxPrompt,
  type OutputFormat,
  type SegmentOptionsInput,
  type VideoSampling,
  EXIT_SOME_INPUTS_FAILED,
  toPromptsegError,
} from '@promptseg/shared';
import type { CliContext } from '../context.js';
import { runBatch, type BatchSettings } from '../batch.js';
import { displayPath, expandInputs } from '../inputs.js';
import { createLocalProcessor, type Processor } from '../processor.js';
import { formatError } from '../report.js';
import { DEFAULT_CHUNK_FRAMES, parseVideoFormats, runVideo, videoInputs, type VideoSettings } from '../video.js';
import type { InputImage } from '../inputs.js';

export const DEFAULT_FORMATS: OutputFormat[] = ['json', 'overlay'];
export const DEFAULT_OUT = 'promptseg-out';
export const MAX_CONCURRENCY = 32;

export interface SegmentFlags {
  prompt: string;
  threshold?: string;
  refine?: string;
  topK?: string;
  engine?: string;
  out: string;
  format?: string;
  concurrency?: string;
  overwrite?: boolean;
  /** --no-clobber sets this false: refuse instead of replacing another prompt's outputs. */
  clobber?: boolean;
  json?: boolean;
  maxPixels?: string;
  /** --polygons: each instance's outline in the result JSON. */
  polygons?: boolean;
  polygonTolerance?: string;
  /** --box, repeatable: "x,y,w,h" or "x,y,w,h:neg" (pixels). */
  box?: string[];
  device?: string;
  /** --api URL --key KEY: run through the hosted (or local) service instead of this process. */
  api?: string;
  key?: string;
  /** Clips: sampling rate, time range (seconds), frame cap, frames per resumable chunk. */
  fps?: string;
  start?: string;
  end?: string;
  maxFrames?: string;
  chunk?: string;
  /** --video: a folder (of numbered frames) is one clip, not a batch of images. */
  video?: boolean;
  frameRate?: string;
}

function bad(flag: string, message: string, hint: string): PromptsegError {
  return new PromptsegError('invalid_option', `${flag}: ${message}`, hint);
}

export function parseFormats(value: string | undefined): OutputFormat[] {
  if (value === undefined) return [...DEFAULT_FORMATS];
  const parts = value.split(/[\s,]+/).map((p) => p.trim().toLowerCase()).filter(Boolean);
  if (parts.length === 1 && parts[0] === 'none') return [];
  if (parts.length === 1 && parts[0] === 'all') return [...OUTPUT_FORMATS];
  const unknown = parts.filter((p) => !(OUTPUT_FORMATS as readonly string[]).includes(p));
  if (unknown.length || parts.length === 0) {
    throw bad('--format', `unknown format ${unknown.map((u) => `"${u}"`).join(', ') || '(empty)'}.`, `Use a comma-separated list of ${OUTPUT_FORMATS.join(', ')} (or "all" / "none"), e.g. --format json,mask.`);
  }
  return OUTPUT_FORMATS.filter((f) => parts.includes(f));
}

/** "40000000", "4e7", "40M", "40MP" → 40000000. */
export function parsePixelCount(value: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*(m|mp)?\s*$/i.exec(value);
  const n = m ? Number(m[1]) * (m[2] ? 1e6 : 1) : NaN;
  if (!Number.isFinite(n) || n < 1) {
    throw bad(flag, `"${value}" is not a pixel count.`, 'Give a positive number of pixels, e.g. 40000000 or 40M.');
  }
  return Math.round(n);
}

function parseNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw bad(flag, `"${value}" is not a number.`, `Run \`promptseg segment --help\` to see what ${flag} accepts.`);
  return n;
}

const FLAG_OF: Record<string, string> = { threshold: '--threshold', refine: '--refine', topK: '--top-k', engine: '--engine' };

/** The segmentation options of the flags, checked by the same schema as the API. */
export function parseSegmentOptions(flags: Pick<SegmentFlags, 'threshold' | 'refine' | 'topK' | 'engine'>): SegmentOptionsInput {
  const input: SegmentOptionsInput = {
    threshold: parseNumber(flags.threshold, '--threshold'),
    refine: flags.refine as SegmentOptionsInput['refine'],
    topK: parseNumber(flags.topK, '--top-k'),
    engine: flags.engine as SegmentOptionsInput['engine'],
  };
  const parsed = SegmentOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = FLAG_OF[String(issue.path[0])] ?? 'option';
    throw bad(flag, issue.message + '.', `Run \`promptseg segment --help\` to see what ${flag} accepts.`);
  }
  const { threshold, refine, topK, engine } = parsed.data;
  return topK === undefined ? { threshold, refine, engine } : { threshold, refine, topK, engine };
}

export function parsePrompt(prompt: string): string {
  const p = prompt.trim();
  if (!p) throw new PromptsegError('invalid_prompt', 'The prompt is empty.', 'Say what to cut out, e.g. --prompt "person, dog" or --prompt "red car".');
  if (p.length > MAX_PROMPT_CHARS) {
    throw new PromptsegError('invalid_prompt', `The prompt is ${p.length} characters long; the limit is ${MAX_PROMPT_CHARS}.`, 'Name fewer, shorter concepts.');
  }
  return p;
}

/** `--box x,y,w,h[:neg]` (COCO xywh, pixels of the upright image; ":neg" = exclude objects like it). */
export function parseBox(value: string): BoxPrompt {
  const m = /^\s*([^:]+?)\s*(?::\s*(neg|negative|pos|positive)\s*)?$/i.exec(value);
  const nums = m ? m[1].split(',').map((v) => Number(v.trim())) : [];
  if (!m || nums.length !== 4 || nums.some((v) => !Number.isFinite(v)) || nums[2] <= 0 || nums[3] <= 0) {
    throw bad('--box', `"${value}" is not a box.`, 'Write x,y,w,h in pixels (top-left corner, width, height), e.g. --box 40,60,120,90; add :neg to exclude objects like it.');
  }
  return { box: [nums[0], nums[1], nums[2], nums[3]], negative: /^neg/i.test(m[2] ?? '') };
}

function boxOption(values: string[] | undefined): { boxes?: BoxPrompt[] } {
  return values?.length ? { boxes: values.map(parseBox) } : {};
}

export function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) {
    throw bad('--concurrency', `"${value}" is not a whole number from 1 to ${MAX_CONCURRENCY}.`, 'Use 1 (the default) or 2: the model already uses every core for one image.');
  }
  return n;
}

export function parseTolerance(value: string | undefined): number {
  const n = parseNumber(value, '--polygon-tolerance') ?? DEFAULT_POLYGON_TOLERANCE;
  if (n < 0 || n > POLYGON_TOLERANCE_MAX) {
    throw bad('--polygon-tolerance', `${n} is outside 0–${POLYGON_TOLERANCE_MAX} pixels.`, `Use 0 for the exact pixel outline, ${DEFAULT_POLYGON_TOLERANCE} (the default) or more for fewer points.`);
  }
  return n;
}

export function settingsFromFlags(flags: SegmentFlags, env: NodeJS.ProcessEnv, cwd: string): BatchSettings {
  const outDir = resolve(cwd, flags.out);
  const maxPixelsText = flags.maxPixels ?? env.PROMPTSEG_MAX_PIXELS;
  return {
    prompt: parsePrompt(flags.prompt),
    options: { ...parseSegmentOptions(flags), ...boxOption(flags.box) },
    formats: parseFormats(flags.format),
    polygons: flags.polygons === true,
    tolerance: parseTolerance(flags.polygonTolerance),
    outDir,
    outDisplay: displayPath(outDir, cwd) + '/',
    concurrency: parseConcurrency(flags.concurrency),
    overwrite: flags.overwrite === true,
    noClobber: flags.clobber === false,
    json: flags.json === true,
    maxPixels: maxPixelsText === undefined ? undefined : parsePixelCount(maxPixelsText, flags.maxPixels !== undefined ? '--max-pixels' : 'PROMPTSEG_MAX_PIXELS'),
  };
}

function positive(value: string | undefined, flag: string, whole = false): number | undefined {
  const n = parseNumber(value, flag);
  if (n === undefined) return undefined;
  if (n < 0 || (flag !== '--start' && n === 0) || (whole && !Number.isInteger(n))) {
    throw bad(flag, `${value} is not ${whole ? 'a whole number above 0' : flag === '--start' ? 'a time of 0 or more seconds' : 'a number above 0'}.`, `Run \`promptseg segment --help\` to see what ${flag} accepts.`);
  }
  return n;
}

/** Settings of a clip run (`promptseg segment clip.mp4 ...`). */
export function videoSettingsFromFlags(flags: SegmentFlags, cwd: string): VideoSettings {
  if (flags.box?.length) throw bad('--box', 'box prompts are for images, not clips.', 'Describe the object with --prompt instead.');
  const outDir = resolve(cwd, flags.out);
  const sampling: VideoSampling = {};
  const fps = positive(flags.fps, '--fps'), start = positive(flags.start, '--start'), end = positive(flags.end, '--end'), maxFrames = positive(flags.maxFrames, '--max-frames', true);
  if (fps !== undefined) sampling.fps = fps;
  if (start !== undefined) sampling.start = start;
  if (end !== undefined) sampling.end = end;
  if (maxFrames !== undefined) sampling.max_frames = maxFrames;
  if (start !== undefined && end !== undefined && end <= start) throw bad('--end', `${end} s is not after --start ${start} s.`, 'Give a time range with --end after --start, in seconds.');
  const frameRate = positive(flags.frameRate, '--frame-rate');
  return {
    prompt: parsePrompt(flags.prompt),
    options: parseSegmentOptions(flags),
    sampling,
    formats: parseVideoFormats(flags.format),
    outDir,
    outDisplay: displayPath(outDir, cwd) + '/',
    overwrite: flags.overwrite === true,
    json: flags.json === true,
    chunk: positive(flags.chunk, '--chunk', true) ?? DEFAULT_CHUNK_FRAMES,
    ...(frameRate !== undefined ? { frameRate } : {}),
  };
}

/** Clips one after the other; with several, a failing clip is reported and the rest still run. With `api`, each clip is a video job of the service. */
async function runClips(ctx: CliContext, clips: InputImage[], settings: VideoSettings, api?: { url: string; key: string }): Promise<number> {
  let one = (clip: InputImage) => runVideo(ctx, clip, settings);
  if (api) {
    const [{ PromptsegClient }, { runVideoViaApi }] = await Promise.all([import('@promptseg/client'), import('../api-video.js')]);
    const client = new PromptsegClient({ baseUrl: api.url, apiKey: api.key });
    one = (clip) => runVideoViaApi(ctx, client, clip, settings);
  }
  if (clips.length === 1) {
    await one(clips[0]);
    return 0;
  }
  let failed = 0;
  for (const clip of clips) {
    try {
      await one(clip);
    } catch (e) {
      failed++;
      ctx.stderr.write(`${clip.display}: ${formatError(toPromptsegError(e))}\n`);
    }
  }
  return failed ? EXIT_SOME_INPUTS_FAILED : 0;
}

const EXAMPLES = `
Examples:
  $ promptseg segment web/public/samples/coffee.png --prompt "cup, spoon"
  $ promptseg segment photo.jpg -p "blue shirt" --json > result.json
  $ promptseg segment photos/ "more/**/*.jpg" -p "person, dog" --format json,cutout,mask --out masks/
  $ promptseg segment photos/ -p "red car" --refine fine --top-k 1 --overwrite
  $ promptseg segment clip.mp4 -p "person, dog" --format json,overlay,mot --fps 5 --end 20

Outputs (in --out, named after each image): NAME.json, NAME.overlay.png, NAME.masks.npy,
NAME.geojson, NAME.cutout.png (all instances), NAME.cutout-I-LABEL.png and NAME.mask-I-LABEL.png
per instance; over the whole run: instances.json (coco), yolo/ (yolo), labelstudio.json.
Clips (MP4, MOV, WebM, MKV, animated GIF; a folder of numbered frames with --video): NAME.json,
NAME.overlay.mp4, NAME.masks/ID-LABEL/NNNNNN.png (mask), NAME.cutout.webm (VP9 with alpha),
NAME.youtube_vis.json, NAME.mot.txt; finished chunks of frames are kept, so a rerun resumes.
A rerun skips images whose outputs are all there (--overwrite redoes them); a rerun with another
prompt or options replaces that image's outputs (--no-clobber refuses instead).
Exit codes: 0 ok, 1 some images of a batch failed, 2 bad option or prompt, 3 bad image,
4 engine or model unavailable, 5 file not found, 7 disk full, 70 internal error, 130 interrupted.`;

/** --api/--key (or $PROMPTSEG_API/$PROMPTSEG_KEY), checked; undefined without --api. */
function apiFromFlags(flags: SegmentFlags, env: NodeJS.ProcessEnv): { url: string; key: string } | undefined {
  const url = flags.api ?? env.PROMPTSEG_API;
  if (!url) return undefined;
  const key = flags.key ?? env.PROMPTSEG_KEY;
  if (!key) throw bad('--key', 'an API key is required with --api.', 'Pass --key psk_… (or set PROMPTSEG_KEY); local mode prints a dev key when it starts.');
  if (!/^https?:\/\/[^/]+/.test(url)) throw bad('--api', `"${url}" is not an http(s) URL.`, 'Give the service base URL, e.g. --api http://127.0.0.1:7860.');
  return { url, key };
}

/** The API client's processor (api-client.ts) for images with --api. */
async function apiProcessorFromFlags(flags: SegmentFlags, env: NodeJS.ProcessEnv): Promise<(() => Promise<Processor>) | undefined> {
  const api = apiFromFlags(flags, env);
  if (!api) return undefined;
  const { createApiProcessor } = await import('../api-client.js');
  return async () => createApiProcessor({ baseUrl: api.url, key: api.key });
}

/**
 * With `--engine auto` the user did not pick the engine, so say which one ran and why, on
 * stderr (stdout stays the --json document): one line, repeated only if it changes in a batch.
 */
export function announcingEngine(make: () => Promise<Processor>, stderr: CliContext['stderr']): () => Promise<Processor> {
  return async () => {
    const inner = await make();
    let last: string | undefined;
    return {
      async process(req) {
        const out = await inner.process(req);
        const { engine, engine_reason: reason } = out.result;
        const line = `engine: ${engine}${reason ? ` (${reason})` : ''}`;
        if (line !== last) stderr.write(`${line}\n`);
        last = line;
        return out;
      },
    };
  };
}

/** `processor` is replaceable so other modes (e.g. a client of the hosted API) reuse the batch runner. */
export function segmentCommand(ctx: CliContext, makeProcessor: () => Promise<Processor> = createLocalProcessor): Command {
  return new Command('segment')
    .description('Cut out the objects a prompt names, in one image or a whole batch')
    .argument('<inputs...>', 'image files, folders (searched recursively) or quoted globs such as "photos/**/*.jpg"')
    .requiredOption('-p, --prompt <text>', 'what to cut out: concepts separated by commas, e.g. "person, dog, blue shirt"')
    .option('-t, --threshold <number>', `minimum score an instance needs, ${THRESHOLD_MIN} to ${THRESHOLD_MAX} (default: 0.5)`)
    .addOption(new Option('-r, --refine <level>', 'mask quality: fast, standard or fine (default: standard)').choices([...REFINE_LEVELS]))
    .option('-k, --top-k <n>', 'keep at most this many instances per concept (default: all)')
    .addOption(new Option('-e, --engine <name>', 'lite, sam3, or auto = sam3 when installed, else lite (default: auto)').choices([...ENGINE_CHOICES]))
    .option('-o, --out <dir>', 'folder for the output files', DEFAULT_OUT)
    .option('-f, --format <list>', `outputs to write, comma-separated: ${OUTPUT_FORMATS.join(', ')}, "all" or "none" (default: ${DEFAULT_FORMATS.join(',')})`)
    .option('--polygons', 'add each instance\'s outline (polygons: outer rings and holes, pixel coordinates) to the result JSON')
    .option('--polygon-tolerance <px>', `simplification of polygons, GeoJSON and YOLO outlines in pixels; 0 = exact (default: ${DEFAULT_POLYGON_TOLERANCE})`)
    .option('-c, --concurrency <n>', 'images processed at the same time (default: 1)')
    .option('--overwrite', 'redo images whose outputs already exist (default: skip them, so a rerun resumes)')
    .option('--no-clobber', 'refuse (exit 6, conflict) instead of replacing outputs made with another prompt or options')
    .option('--json', 'print the result JSON on stdout (one document; one line per image for a batch); logs go to stderr')
    .option('--max-pixels <n>', 'refuse images with more pixels than this, e.g. 40000000 or 40M (default: 40M, or $PROMPTSEG_MAX_PIXELS)')
    .option('--box <x,y,w,h[:neg]>', 'box prompt in pixels, repeatable: "find objects like this one" (sam3); :neg excludes (sam3 only)', (v: string, prev: string[] = []) => [...prev, v])
    .addOption(new Option('--device <name>', 'where sam3 runs: cpu, cuda, or auto = CUDA when available (default: cpu, or $PROMPTSEG_DEVICE)').choices(['cpu', 'cuda', 'auto']))
    .option('--api <url>', 'run through the promptseg API at this URL instead of locally, e.g. http://127.0.0.1:7860 (or $PROMPTSEG_API)')
    .option('--key <key>', 'API key for --api (or $PROMPTSEG_KEY)')
    .option('--fps <n>', 'clips: frames per second to sample (default: every frame)')
    .option('--start <s>', 'clips: start time in seconds (default: 0)')
    .option('--end <s>', 'clips: end time in seconds, exclusive (default: the end of the clip)')
    .option('--max-frames <n>', 'clips: at most this many sampled frames')
    .option('--chunk <frames>', `clips: frames per resumable chunk kept on disk (default: ${DEFAULT_CHUNK_FRAMES})`)
    .option('--video', 'a folder given is one clip of numbered frames (frame_0001.png, …), not a batch of images')
    .option('--frame-rate <fps>', `clips: frame rate of a folder of numbered frames (default: 25)`)
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], flags: SegmentFlags) => {
      const clips = await videoInputs(inputs, process.cwd(), flags.video === true);
      if (clips) {
        const { configureSam3 } = await import('@promptseg/model');
        const device = (flags.device ?? ctx.env.PROMPTSEG_DEVICE) as 'cpu' | 'cuda' | 'auto' | undefined;
        configureSam3({ device, home: ctx.env.PROMPTSEG_HOME, modelDir: ctx.env.PROMPTSEG_SAM3_DIR, onNotice: (m) => ctx.stderr.write(`${m}\n`) });
        ctx.setExitCode(await runClips(ctx, clips, videoSettingsFromFlags(flags, process.cwd()), apiFromFlags(flags, ctx.env)));
        return;
      }
      const settings = settingsFromFlags(flags, ctx.env, process.cwd());
      const processor = (await apiProcessorFromFlags(flags, ctx.env)) ?? makeProcessor;
      if (processor === createLocalProcessor) {
        // sam3 settings for this process; it tells what runs (and a CUDA -> CPU fallback) on stderr.
        const { configureSam3 } = await import('@promptseg/model');
        const device = (flags.device ?? ctx.env.PROMPTSEG_DEVICE) as 'cpu' | 'cuda' | 'auto' | undefined;
        configureSam3({ device, home: ctx.env.PROMPTSEG_HOME, modelDir: ctx.env.PROMPTSEG_SAM3_DIR, onNotice: (m) => ctx.stderr.write(`${m}\n`) });
      }
      const { images, missing } = await expandInputs(inputs, process.cwd());
      const run = settings.options.engine === 'auto' ? announcingEngine(processor, ctx.stderr) : processor;
      const summary = await runBatch(ctx, images, missing, settings, run);
      ctx.setExitCode(summary.exitCode);
    });
}
