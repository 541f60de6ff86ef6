/**
 * `promptseg segment clip.mp4`: flags, refusals, and a real run of the command killed with
 * SIGKILL mid-clip and rerun: it resumes from the finished chunks and writes every output,
 * read back by the independent reader (numpy + ffmpeg) against the clip's ground truth.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegBinary, ffprobeBinary } from '@promptseg/model';
import { horseSprite, synthesiseClip, VIDEO_OUTPUTS_READER, writeTruthFiles, type ClipTruth } from '@promptseg/model/video-testing';
import { PromptsegError } from '@promptseg/shared';
import { main } from './main.js';
import { parseVideoFormats, VIDEO_WORK_DIR, videoInputs } from './video.js';
import { videoSettingsFromFlags } from './commands/segment.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../bin/promptseg.mjs');
const run = promisify(execFile);
const W = 320, H = 240, N = 10;
let dir: string;
let truth: ClipTruth;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptseg-cli-video-'));
  const horse = await horseSprite(110);
  truth = await synthesiseClip(dir, 'clip', { width: W, height: H, frames: N, fps: 10, format: 'mp4', objects: [{ id: 1, sprite: horse, at: (f) => [10 + 15 * f, 60] }] });
  await writeTruthFiles(join(dir, 'truth'), truth, W, H);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capture() {
  let out = '', err = '';
  return { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, get out() { return out; }, get err() { return err; } };
}

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof PromptsegError ? `${e.code}: ${e.message}` : String(e);
  }
  return 'no error';
};

describe('clip flags', () => {
  it('--format for a clip: the video formats, "all" and "none"', () => {
    expect(parseVideoFormats(undefined)).toEqual(['json', 'overlay']);
    expect(parseVideoFormats('mot, youtube-vis,JSON')).toEqual(['json', 'youtube_vis', 'mot']);
    expect(parseVideoFormats('all')).toEqual(['json', 'overlay', 'mask', 'cutout', 'youtube_vis', 'mot']);
    expect(parseVideoFormats('none')).toEqual([]);
    expect(code(() => parseVideoFormats('json,npy'))).toBe('invalid_option: --format: unknown format for a video "npy".');
  });

  it('sampling flags are checked, naming the flag', () => {
    const base = { prompt: 'horse', out: 'o' };
    expect(videoSettingsFromFlags({ ...base, fps: '5', start: '1.5', end: '4', maxFrames: '20', chunk: '8' }, '/tmp')).toMatchObject({ sampling: { fps: 5, start: 1.5, end: 4, max_frames: 20 }, chunk: 8, formats: ['json', 'overlay'] });
    expect(code(() => videoSettingsFromFlags({ ...base, fps: '0' }, '/tmp'))).toMatch(/^invalid_option: --fps/);
    expect(code(() => videoSettingsFromFlags({ ...base, maxFrames: '2.5' }, '/tmp'))).toMatch(/^invalid_option: --max-frames/);
    expect(code(() => videoSettingsFromFlags({ ...base, start: '3', end: '2' }, '/tmp'))).toMatch(/^invalid_option: --end/);
    expect(code(() => videoSettingsFromFlags({ ...base, box: ['1,2,3,4'] }, '/tmp'))).toMatch(/^invalid_option: --box/);
  });
});

describe('which inputs are clips', () => {
  it('video files and animated GIFs are clips; a still GIF and a folder are images unless --video', async () => {
    const horse = await horseSprite(60);
    const objects = [{ id: 1, sprite: horse, at: (f: number): [number, number] => [5 + 5 * f, 5] }];
    const anim = await synthesiseClip(dir, 'anim', { width: 96, height: 64, frames: 3, fps: 10, format: 'gif', objects });
    const still = await synthesiseClip(dir, 'still', { width: 96, height: 64, frames: 1, fps: 10, format: 'gif', objects });
    const folder = join(dir, 'anim-frames');
    expect((await videoInputs([truth.path], dir, false))?.map((c) => c.stem)).toEqual(['clip']);
    expect((await videoInputs([anim.path], dir, false))?.map((c) => c.stem)).toEqual(['anim']);
    expect(await videoInputs([still.path], dir, false)).toBeUndefined();
    expect(await videoInputs([folder], dir, false)).toBeUndefined();
    expect((await videoInputs([folder], dir, true))?.map((c) => c.display)).toEqual(['anim-frames']);
    await expect(videoInputs([join(dir, 'gone.mp4')], dir, false)).rejects.toMatchObject({ code: 'file_not_found' });
  });
});

describe('refused clips (exit codes as for images)', () => {
  it('a truncated clip: exit 3, corrupt_video with a hint; a clip over the limit: exit 3, video_too_long', async () => {
    const cut = join(dir, 'cut.mp4');
    await copyFile(truth.path, cut);
    await truncate(cut, Math.floor((await stat(cut)).size / 2));
    const c = capture();
    expect(await main(['node', 'promptseg', 'segment', cut, '-p', 'horse', '--out', join(dir, 'o1')], c)).toBe(3);
    expect(c.err).toMatch(/cut\.mp4 is not a readable video/);
    expect(c.err).toMatch(/hint: .*complete/);
    const l = capture();
    expect(await main(['node', 'promptseg', 'segment', truth.path, '-p', 'horse', '--out', join(dir, 'o2')], { ...l, env: { ...process.env, PROMPTSEG_VIDEO_MAX_FRAMES: '4' } })).toBe(3);
    expect(l.err).toMatch(/10 frames\) to process; the limit is .* 4 frames/);
    expect(l.err).toMatch(/hint: .*--start\/--end/);
  });

  it('clips and images in one command are refused', async () => {
    const c = capture();
    const png = join(dir, 'clip-frames', 'frame_0001.png');
    expect(await main(['node', 'promptseg', 'segment', truth.path, png, '-p', 'horse', '--out', join(dir, 'o3')], c)).toBe(2);
    expect(c.err).toMatch(/is a video but/);
  });
});

describe('resume after kill -9', () => {
  const out = () => join(dir, 'out');
  const args = () => [BIN, 'segment', truth.path, '-p', 'horse', '--format', 'all', '--chunk', '3', '--out', out()];
  let rerun: { stdout: string; stderr: string };

  beforeAll(async () => {
    // 1. the command is killed (SIGKILL: no handler runs) once two chunks (6 frames) are finished
    const child = spawn(process.execPath, args(), { stdio: ['ignore', 'ignore', 'pipe'] });
    let firstErr = '';
    child.stderr.on('data', (b) => (firstErr += b));
    const marker = join(out(), VIDEO_WORK_DIR, 'clip', 'chunk-000001', 'done.json');
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    for (let i = 0; i < 1200; i++) {
      if (await stat(marker).then(() => true, () => false)) break;
      if (child.exitCode !== null) throw new Error(`the first run ended before it could be killed: ${firstErr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    await exited;
    // 2. the same command again
    rerun = await run(process.execPath, args(), { maxBuffer: 1 << 24 });
  }, 300_000);

  it('the rerun resumes after the finished chunks instead of starting over', () => {
    expect(rerun.stderr).toMatch(/resuming after frame (6|9) \((2|3) finished chunks kept/);
    expect(rerun.stderr).not.toMatch(/ 3\/10 frames/);
    expect(rerun.stderr).toMatch(/10 frames, 1 track \(#1 horse 1-9\)/);
  });

  it('every output is whole and matches the clip: document, YouTube-VIS, MOT, overlay, cut-out, mask sequence', async () => {
    const { stdout } = await run('python3', [VIDEO_OUTPUTS_READER, out(), 'clip', join(dir, 'truth'), ffmpegBinary(), ffprobeBinary()], { maxBuffer: 1 << 24 });
    const r = JSON.parse(stdout);
    expect(r.json.frames).toBe(N);
    expect(r.json.times).toEqual([...Array(N).keys()].map((i) => i / 10));
    expect(r.json.tracks).toEqual([{ track_id: 1, label: 'horse', concept: 'horse', score: expect.any(Number), first_frame: 1, last_frame: 9 }]);
    expect(r.json.min_iou).toBeGreaterThan(0.8);
    expect(r.youtube_vis.entries).toEqual([{ category_id: 1, score: expect.any(Number), frames: 9 }]);
    expect(r.youtube_vis.min_iou).toBeGreaterThan(0.8);
    expect(r.mot).toMatchObject({ lines: 9, frames: [2, 3, 4, 5, 6, 7, 8, 9, 10], ids: [1] });
    expect(r.overlay).toMatchObject({ codec: 'h264', width: W, height: H, frames: N });
    expect(r.cutout).toMatchObject({ codec: 'vp9', alpha_mode: '1', frames: N });
    expect(r.masks['1']).toMatchObject({ folder: '1-horse', first: '000001.png', last: '000009.png', count: 9, values: [0, 255], truth: 1 });
    expect(r.masks['1'].min_iou).toBeGreaterThan(0.8);
    // nothing half-written or left over
    const names = await readdir(out());
    expect(names.filter((n) => n.endsWith('.tmp') || n.includes('.tmp.'))).toEqual([]);
    expect(names).not.toContain(VIDEO_WORK_DIR);
  });

  it('a third run finds the clip finished and skips it; --json prints the stored document', async () => {
    const again = await run(process.execPath, [...args(), '--json'], { maxBuffer: 1 << 24 });
    expect(again.stderr).toMatch(/finished earlier/);
    const doc = JSON.parse(again.stdout);
    expect(doc.frames).toHaveLength(N);
    expect(doc).toEqual(JSON.parse(await readFile(join(out(), 'clip.json'), 'utf8')));
  }, 60_000);
});
