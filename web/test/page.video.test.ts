// The Video tab in Debian's chromium against local mode: a clip generated from horse.png (two
// horses on known paths) is uploaded, its job's progress shown, then played with the tracks'
// masks over it — frame step, timeline, a track highlighted on every frame, the downloads — in
// English and 中文. Screenshot: test-artifacts/web/video-1366.png.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horseSprite, synthesiseClip, type ClipTruth } from '@promptseg/model/video-testing';
import { startTestStack, type TestStack } from '../../test/service-kit.js';
import { ensureBuilt } from '../scripts/ensure-built.mjs';
import * as kit from './kit.js';

const WEB = dirname(dirname(fileURLToPath(import.meta.url)));
const ART = join(dirname(WEB), 'test-artifacts', 'web');
const FRAMES = 16;

let stack: TestStack;
let browser: Browser;
let dir: string;
let truth: ClipTruth;

beforeAll(async () => {
  mkdirSync(ART, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'ps-page-video-'));
  const a = await horseSprite(100), b = await horseSprite(90, true);
  truth = await synthesiseClip(dir, 'horses', {
    width: 320, height: 240, frames: FRAMES, fps: 10, format: 'mp4',
    objects: [
      { id: 1, sprite: a, at: (f) => [5 + 6 * f, 20] },
      { id: 2, sprite: b, at: (f) => [210 - 4 * f, 140] },
    ],
  });
  await ensureBuilt({ quiet: true });
  stack = await startTestStack({ webDir: join(WEB, 'dist'), env: { PROMPTSEG_VIDEO_SEGMENT_FRAMES: '8' } });
  browser = await kit.launch();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await stack?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

/** RGBA of the overlay canvas at a clip pixel (the canvas has the clip's own size). */
const overlayAt = (p: Page, x: number, y: number) =>
  p.$eval('#video-canvas', (c, [px, py]) => Array.from((c as HTMLCanvasElement).getContext('2d')!.getImageData(px, py, 1, 1).data), [x, y]);

/** A pixel well inside ground-truth object `id` on frame f. */
function inside(f: number, id: number): [number, number] {
  const m = truth.masks[f].get(id)!;
  let sx = 0, sy = 0, n = 0;
  for (let y = 0; y < m.height; y++) for (let x = 0; x < m.width; x++) if (m.data[y * m.width + x]) { sx += x; sy += y; n++; }
  let best: [number, number] = [Math.round(sx / n), Math.round(sy / n)];
  // the centroid of a horse can fall between its legs: take the nearest pixel inside the mask
  if (!m.data[best[1] * m.width + best[0]]) {
    let d = Infinity;
    for (let y = 0; y < m.height; y++) for (let x = 0; x < m.width; x++) if (m.data[y * m.width + x]) { const e = Math.hypot(x - best[0], y - best[1]); if (e < d) { d = e; best = [x, y]; } }
  }
  return best;
}

describe('the Video tab', () => {
  it('uploads a clip, shows progress, plays it with tracked masks: frame step, timeline, highlight, downloads, 中文', { timeout: 300_000 }, async () => {
    const page = await browser.newPage({ viewport: kit.DESKTOP, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${stack.apiUrl}/`);
    await expect.poll(() => page.textContent('#key-state')).toContain('local dev key');
    await page.click('#tab-video');
    expect(await page.isVisible('#panel-video')).toBe(true);

    // Nothing chosen: a clear message, nothing sent.
    await page.fill('#video-prompt', 'horse');
    await page.click('#video-run');
    expect(await page.textContent('#video-error')).toContain('Choose a clip first');

    await page.setInputFiles('#video-file', truth.path);
    expect(await page.textContent('#video-file-info')).toContain('horses.mp4');
    await page.click('#video-run');
    const statuses = new Set<string>();
    await expect
      .poll(async () => {
        const s = (await page.textContent('#video-status')) ?? '';
        statuses.add(s.replace(/\d+/g, 'N'));
        const err = await page.textContent('#video-error');
        if (err) throw new Error(`the page shows an error: ${err}`);
        return s;
      }, { timeout: 240_000, interval: 200 })
      .toMatch(/^Done: 2 tracks over 16 frames/);
    expect([...statuses].some((s) => s.startsWith('Segmenting: N of N frames')), [...statuses].join(' | ')).toBe(true);

    // The track list: one row per horse, with its span in seconds.
    const tracks = await page.$$eval('#video-tracks button', (bs) => bs.map((b) => ({ id: Number(b.getAttribute('data-track')), text: b.textContent ?? '', pressed: b.getAttribute('aria-pressed') })));
    expect(tracks.map((t) => t.text.replace(/\s+/g, ' '))).toEqual([expect.stringMatching(/^#1 horse.*s – .*s$/), expect.stringMatching(/^#2 horse/)]);
    expect(await page.textContent('#video-frame')).toBe('frame 1 / 16 · 0.00 s');

    // Step to frame 6: the label, the timeline and the overlay follow; both horses are tinted there.
    for (let i = 0; i < 5; i++) await page.click('#video-next');
    expect(await page.textContent('#video-frame')).toBe('frame 6 / 16 · 0.50 s');
    expect(await page.inputValue('#video-timeline')).toBe('5');
    const [x1, y1] = inside(5, 1), [x2, y2] = inside(5, 2);
    const before1 = await overlayAt(page, x1, y1), before2 = await overlayAt(page, x2, y2);
    expect(before1[3], 'horse 1 tinted').toBeGreaterThan(60);
    expect(before2[3], 'horse 2 tinted').toBeGreaterThan(60);
    expect(await overlayAt(page, 2, 230)).toEqual([0, 0, 0, 0]); // background: nothing drawn

    // Which track covers horse 2? Highlight it: it gets stronger, the other fades, on every frame.
    let id2 = -1, strongest = -1;
    for (const t of tracks) {
      await page.click(`#video-tracks button[data-track="${t.id}"]`);
      const a = (await overlayAt(page, x2, y2))[3];
      if (a > strongest) [strongest, id2] = [a, t.id];
      await page.click(`#video-tracks button[data-track="${t.id}"]`); // off again
    }
    const other = tracks.find((t) => t.id !== id2)!.id;
    await page.click(`#video-tracks button[data-track="${id2}"]`);
    expect(await page.getAttribute(`#video-tracks button[data-track="${id2}"]`, 'aria-pressed')).toBe('true');
    const hi2 = await overlayAt(page, x2, y2), lo1 = await overlayAt(page, x1, y1);
    expect(hi2[3]).toBeGreaterThan(before2[3]);
    expect(lo1[3]).toBeLessThan(before1[3] / 2);
    await page.fill('#video-timeline', '10');
    await page.dispatchEvent('#video-timeline', 'input');
    expect(await page.textContent('#video-frame')).toBe('frame 11 / 16 · 1.00 s');
    const [x2b, y2b] = inside(10, 2);
    expect((await overlayAt(page, x2b, y2b))[3], 'still highlighted on frame 11').toBeGreaterThan(150);
    await page.click(`#video-tracks button[data-track="${id2}"]`); // toggles off
    expect(await page.getAttribute(`#video-tracks button[data-track="${other}"]`, 'aria-pressed')).toBe('false');

    // The player has the clip; Play plays it and the overlay follows to the end.
    await page.fill('#video-timeline', '0');
    await page.dispatchEvent('#video-timeline', 'input');
    expect(await page.$eval('#video-player', (v) => Math.round((v as HTMLVideoElement).duration * 10) / 10)).toBeCloseTo(1.6, 1);
    await page.click('#video-play');
    await expect.poll(() => page.textContent('#video-play')).toBe('Pause');
    await expect.poll(() => page.$eval('#video-player', (v) => (v as HTMLVideoElement).ended), { timeout: 15_000 }).toBe(true);
    expect(await page.textContent('#video-play')).toBe('Play');
    expect(Number(await page.inputValue('#video-timeline'))).toBeGreaterThanOrEqual(FRAMES - 2);

    // Downloads: the document, the overlay MP4, YouTube-VIS and MOT, each a real file.
    expect(await page.$$eval('#video-downloads a', (as) => as.map((a) => a.getAttribute('data-format')).sort())).toEqual(['json', 'mot', 'overlay', 'youtube_vis']);
    const mot = await kit.download(page, dir, () => page.click('#video-downloads a[data-format="mot"]'));
    expect(mot.bytes.toString('utf8').trim().split('\n').length).toBeGreaterThan(FRAMES);
    const doc = await kit.download(page, dir, () => page.click('#video-downloads a[data-format="json"]'));
    expect(JSON.parse(doc.bytes.toString('utf8')).frames.length).toBe(FRAMES);

    await page.click('#video-next');
    await page.screenshot({ path: join(ART, 'video-1366.png'), fullPage: true });
    expect(await kit.axeViolations(page), 'video tab').toEqual([]);

    // 中文: the tab's own words follow the switch.
    await page.click('.lang button[data-lang="zh"]');
    expect(await page.textContent('#tab-video')).toBe('视频');
    expect(await page.textContent('#video-play')).toBe('播放');
    expect(await page.textContent('#video-frame')).toMatch(/^第 \d+ \/ 16 帧/);
    await page.click('.lang button[data-lang="en"]');
    expect(errors).toEqual([]);
    await page.close();
  });
});
