/**
 * The batch runner with a stand-in for the model: images are really decoded (so a corrupt file
 * really fails) and the real exporters write the files, but the "segmentation" is one fixed
 * rectangle per concept. Covers resume, --overwrite, failures, --json and atomic writes.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, encodeImage, exportOutputs } from '@promptseg/model';
import { encodeRle, maskArea, maskBox, PromptsegError, type Mask, type SegmentResult } from '@promptseg/shared';
import type { CliContext } from './context.js';
import { segmentCommand } from './commands/segment.js';
import type { Processor } from './processor.js';

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'promptseg-batch-'));
  mkdirSync(join(root, 'in'));
  for (const [name, fmt] of [['one.png', 'png'], ['two.jpg', 'jpeg'], ['three.webp', 'webp']] as const) {
    const data = new Uint8Array(64 * 48 * 3).map((_, i) => (i * 13) % 256);
    writeFileSync(join(root, 'in', name), await encodeImage({ width: 64, height: 48, channels: 3, data }, fmt));
  }
  writeFileSync(join(root, 'in', 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** One rectangle per comma-separated concept; counts the images it segmented. */
function fakeProcessor(calls: string[], fail?: PromptsegError): () => Promise<Processor> {
  return async () => ({
    async process(req) {
      if (fail) throw fail;
      const image = await decodeImage(req.bytes, { maxPixels: req.maxPixels });
      calls.push(req.path);
      const concepts = req.prompt.split(',').map((c) => c.trim());
      const masks: Mask[] = concepts.map((_, k) => {
        const data = new Uint8Array(image.width * image.height);
        for (let y = 5 + k * 10; y < 15 + k * 10; y++) for (let x = 5; x < 30; x++) data[y * image.width + x] = 1;
        return { width: image.width, height: image.height, data };
      });
      const result: SegmentResult = {
        image: { path: req.path, width: image.width, height: image.height },
        prompt: req.prompt,
        engine: 'lite',
        concepts: concepts.map((text) => ({ text, status: 'ok', label: text })),
        instances: masks.map((m, k) => ({ id: k + 1, label: concepts[k], concept: concepts[k], score: 0.9 - k * 0.1, box: maskBox(m), area: maskArea(m), rle: encodeRle(m) })),
        timings_ms: { total: 1 },
      };
      const outcome = { result, masks, image };
      return { result, files: await exportOutputs(outcome, req.formats, req.baseName) };
    },
  });
}

async function run(args: string[], make: () => Promise<Processor>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '', code = 0;
  const ctx: CliContext = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    setExitCode: (c) => (code = c),
  };
  const cmd = segmentCommand(ctx, make).exitOverride();
  await cmd.parseAsync(args, { from: 'user' });
  return { code, stdout, stderr };
}

const files = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')).sort() : []);

describe('batch over a folder', () => {
  it('finishes the good images, reports the corrupt one, summarises and exits 1', async () => {
    const out = join(root, 'out1');
    const calls: string[] = [];
    const r = await run([join(root, 'in'), '-p', 'cup, spoon', '--out', out, '--format', 'json,mask'], fakeProcessor(calls));
    expect(r.code).toBe(1);
    expect(calls.length).toBe(3);
    expect(files(out)).toEqual([
      'one.json', 'one.mask-1-cup.png', 'one.mask-2-spoon.png',
      'three.json', 'three.mask-1-cup.png', 'three.mask-2-spoon.png',
      'two.json', 'two.mask-1-cup.png', 'two.mask-2-spoon.png',
    ]);
    expect(r.stdout).toMatch(/4 image\(s\): 3 segmented, 0 skipped \(outputs exist\), 1 failed/);
    expect(r.stdout).toMatch(/broken\.jpg: The file starts like a JPEG image but its header is damaged/);
    expect(r.stdout).toMatch(/hint: The file is truncated or damaged/);
    // plain progress lines on stderr (not a terminal), one per image
    expect(r.stderr.match(/^\[\d\/4\] /gm)?.length).toBe(4);
    expect(r.stderr).toMatch(/ok {4}.*one\.png → cup 0\.90, spoon 0\.80/);
    // nothing half-written left behind
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('skips finished images on a rerun and redoes them with --overwrite', async () => {
    const out = join(root, 'out2');
    const first: string[] = [];
    await run([join(root, 'in'), '-p', 'cup, spoon', '--out', out], fakeProcessor(first));
    expect(first.length).toBe(3);
    const mtime = statSync(join(out, 'one.overlay.png')).mtimeMs;

    const again: string[] = [];
    const r2 = await run([join(root, 'in'), '-p', 'cup, spoon', '--out', out], fakeProcessor(again));
    expect(again).toEqual([]);
    expect(r2.stdout).toMatch(/3 skipped/);
    expect(r2.code).toBe(1); // the corrupt file still fails
    expect(statSync(join(out, 'one.overlay.png')).mtimeMs).toBe(mtime);

    // a deleted output makes that image unfinished: only it is redone
    rmSync(join(out, 'two.json'));
    const partial: string[] = [];
    await run([join(root, 'in'), '-p', 'cup, spoon', '--out', out], fakeProcessor(partial));
    expect(partial.map((p) => p.split('/').pop())).toEqual(['two.jpg']);
    expect(existsSync(join(out, 'two.json'))).toBe(true);

    // asking for a format not made before redoes the images
    const more: string[] = [];
    await run([join(root, 'in'), '-p', 'cup, spoon', '--out', out, '--format', 'json,overlay,npy'], fakeProcessor(more));
    expect(more.length).toBe(3);
    expect(existsSync(join(out, 'three.masks.npy'))).toBe(true);

    const over: string[] = [];
    const r3 = await run([join(root, 'in', 'one.png'), '-p', 'cup', '--out', out, '--overwrite', '--format', 'json,mask'], fakeProcessor(over));
    expect(over.length).toBe(1);
    expect(r3.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'one.json'), 'utf8'));
    expect(doc.prompt).toBe('cup');
    expect(files(out).filter((f) => f.startsWith('one.'))).toEqual(['one.json', 'one.mask-1-cup.png']); // old outputs of one.png removed
  });

  it('replaces an image\'s outputs on a rerun with another prompt, says so, and --no-clobber refuses instead', async () => {
    const out = join(root, 'out3');
    await run([join(root, 'in', 'one.png'), '-p', 'cup, spoon, fork', '--out', out, '--json', '--format', 'json,mask'], fakeProcessor([]));
    expect(files(out)).toEqual(['one.json', 'one.mask-1-cup.png', 'one.mask-2-spoon.png', 'one.mask-3-fork.png']);

    // the interactive loop: another prompt just works, prints the fresh result, removes stale per-instance files
    const calls: string[] = [];
    const r = await run([join(root, 'in', 'one.png'), '-p', 'dog', '--out', out, '--json', '--format', 'json,mask'], fakeProcessor(calls));
    expect(r.code).toBe(0);
    expect(calls.length).toBe(1);
    expect(JSON.parse(r.stdout).prompt).toBe('dog');
    expect(r.stderr).toMatch(/replaced .*one\.\* \(made with prompt "cup, spoon, fork"\)/);
    expect(files(out)).toEqual(['one.json', 'one.mask-1-dog.png']);
    expect(JSON.parse(readFileSync(join(out, 'one.json'), 'utf8')).prompt).toBe('dog');

    // other options with the same prompt replace too, and say which
    const t = await run([join(root, 'in', 'one.png'), '-p', 'dog', '--out', out, '--threshold', '0.3', '--format', 'json,mask'], fakeProcessor([]));
    expect(t.code).toBe(0);
    expect(t.stderr).toMatch(/replaced .*one\.\* \(made with prompt "dog" with other options\)/);

    // the same prompt and options again (no --json): skipped, nothing replaced
    const same: string[] = [];
    const s2 = await run([join(root, 'in', 'one.png'), '-p', 'dog', '--out', out, '--threshold', '0.3', '--format', 'json,mask'], fakeProcessor(same));
    expect([s2.code, same.length]).toEqual([0, 0]);
    expect(s2.stderr).not.toMatch(/replaced/);

    // --no-clobber keeps the old refusal
    const n = await run([join(root, 'in', 'one.png'), '-p', 'cat', '--out', out, '--json', '--no-clobber'], fakeProcessor([]));
    expect(n.code).toBe(6);
    expect(JSON.parse(n.stdout).error.code).toBe('conflict');
    expect(n.stderr).toMatch(/outputs made with another prompt or options \("dog"\)[\s\S]*hint: Drop --no-clobber/);
    expect(JSON.parse(readFileSync(join(out, 'one.json'), 'utf8')).prompt).toBe('dog');

    // --format none writes nothing and always runs
    const none: string[] = [];
    const z = await run([join(root, 'in', 'one.png'), '-p', 'cat', '--out', out, '--json', '--format', 'none'], fakeProcessor(none));
    expect([z.code, none.length, JSON.parse(z.stdout).prompt]).toEqual([0, 1, 'cat']);
  });

  it('replaces the outputs of a whole batch on a new prompt, and a rerun after an interrupted replacement redoes the image', async () => {
    const out = join(root, 'out7');
    await run([join(root, 'in'), '-p', 'cup, spoon', '--out', out, '--format', 'json,mask'], fakeProcessor([]));
    const calls: string[] = [];
    const r = await run([join(root, 'in'), '-p', 'plate', '--out', out, '--format', 'json,mask'], fakeProcessor(calls));
    expect(calls.length).toBe(3);
    expect(r.stderr.match(/replaced /g)?.length).toBe(3);
    expect(files(out)).toEqual(['one.json', 'one.mask-1-plate.png', 'three.json', 'three.mask-1-plate.png', 'two.json', 'two.mask-1-plate.png']);

    // simulate a crash in the middle of a replacement: the record says incomplete, a stale file is left
    const recPath = join(out, '.promptseg-done', 'one.json');
    const rec = JSON.parse(readFileSync(recPath, 'utf8'));
    writeFileSync(join(out, 'one.mask-2-bowl.png'), 'half a run');
    writeFileSync(recPath, JSON.stringify({ ...rec, files: [...rec.files, 'one.mask-2-bowl.png'], incomplete: true }));
    const again: string[] = [];
    await run([join(root, 'in'), '-p', 'plate', '--out', out, '--format', 'json,mask'], fakeProcessor(again));
    expect(again.map((p) => p.split('/').pop())).toEqual(['one.png']); // only the interrupted image is redone
    expect(files(out).filter((f) => f.startsWith('one.'))).toEqual(['one.json', 'one.mask-1-plate.png']);
    expect(JSON.parse(readFileSync(recPath, 'utf8')).incomplete).toBeUndefined();
  });

  it('stops the batch on an error that would hit every image', async () => {
    const out = join(root, 'out4');
    const err = new PromptsegError('engine_unavailable', 'The sam3 engine is not installed.', 'Run `promptseg models pull sam3` or use --engine lite.');
    const r = await run([join(root, 'in'), '-p', 'cup', '--out', out], fakeProcessor([], err));
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/sam3 engine is not installed[\s\S]*Stopping the batch/);
    expect(r.stdout).toMatch(/0 segmented.*not run/);
    expect(files(out)).toEqual([]);
  });

  it('stops the batch when the model cannot be loaded at all', async () => {
    const r = await run([join(root, 'in'), '-p', 'cup', '--out', join(root, 'out6')], async () => {
      throw new Error('cannot load the model');
    });
    expect(r.code).toBe(70);
    expect(r.stdout).toMatch(/4 image\(s\): 0 segmented, 0 skipped \(outputs exist\), 0 failed, 4 not run/);
    expect(r.stdout).toMatch(/stopped: Unexpected error: cannot load the model/);
  });

  it('reports a missing input beside the images that exist', async () => {
    const out = join(root, 'out5');
    const r = await run([join(root, 'in', 'one.png'), join(root, 'nope.png'), '-p', 'cup', '--out', out], fakeProcessor([]));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/2 image\(s\): 1 segmented, 0 skipped \(outputs exist\), 1 failed/);
    expect(r.stdout).toMatch(/nope\.png: no such file or folder/);
  });

  it('refuses an --out folder it cannot write, saying what to do', async () => {
    writeFileSync(join(root, 'a-file'), 'x');
    const out = join(root, 'a-file', 'out'); // a folder inside a regular file: never writable, even as root
    const r = await run([join(root, 'in'), '-p', 'cup', '--out', out], fakeProcessor([]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Cannot write .*a-file\/out\/.* \(ENOTDIR\)[\s\S]*hint: Choose an --out folder you can write to[\s\S]*Stopping the batch/);
  });
});

describe('--json', () => {
  it('prints exactly one JSON document for one image', async () => {
    const out = join(root, 'json1');
    const r = await run([join(root, 'in', 'two.jpg'), '-p', 'cup, spoon', '--out', out, '--json'], fakeProcessor([]));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.instances.map((i: { label: string }) => i.label)).toEqual(['cup', 'spoon']);
    expect(doc).toEqual(JSON.parse(readFileSync(join(out, 'two.json'), 'utf8')));
    // a rerun with one image and --json prints a fresh result (it runs again), still exactly one document
    const calls: string[] = [];
    const again = await run([join(root, 'in', 'two.jpg'), '-p', 'cup, spoon', '--out', out, '--json'], fakeProcessor(calls));
    expect(calls.length).toBe(1);
    expect(JSON.parse(again.stdout).instances).toEqual(doc.instances);
    // in a batch, --json prints the stored document of a finished image (resume)
    const batch = await run([join(root, 'in', 'two.jpg'), join(root, 'in', 'one.png'), '-p', 'cup, spoon', '--out', out, '--json'], fakeProcessor([]));
    const lines = batch.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.find((l) => l.image.path.endsWith('two.jpg'))).toEqual(JSON.parse(readFileSync(join(out, 'two.json'), 'utf8')));
  });

  it('prints the error as a JSON document for one failed image', async () => {
    const r = await run([join(root, 'in', 'broken.jpg'), '-p', 'cup', '--out', join(root, 'json2'), '--json'], fakeProcessor([]));
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'corrupt_image' });
    expect(r.stderr).toMatch(/error: .*broken\.jpg: The file starts like a JPEG/);
  });

  it('prints one line per image for a batch, the summary on stderr', async () => {
    const r = await run([join(root, 'in'), '-p', 'cup', '--out', join(root, 'json3'), '--json', '--format', 'none'], fakeProcessor([]));
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(4);
    expect(lines.filter((l) => l.error).map((l) => l.error.code)).toEqual(['corrupt_image']);
    expect(lines.filter((l) => l.instances).length).toBe(3);
    expect(r.stderr).toMatch(/3 segmented/);
    expect(files(join(root, 'json3'))).toEqual([]);
  });
});
