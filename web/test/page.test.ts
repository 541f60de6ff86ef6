// The web page end to end, in a real browser (Debian's chromium via playwright-core) against
// local mode (real S3 gate + s3rver, Lambda Invoke endpoint, inference worker, API) started with
// the service's test helper. One user session, step by step, with a screenshot of each step in
// test-artifacts/web/ (look at them: they are the check a test cannot make). A second session
// switches the page to 中文, runs a Chinese prompt, and switches back.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { unzipSync } from 'fflate';
import { decode as decodePng, encode as encodePng } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '@promptseg/model';
import type { SegmentResult } from '@promptseg/shared';
import { startTestStack, type TestStack } from '../../test/service-kit.js';
import { ensureBuilt } from '../scripts/ensure-built.mjs';
import * as kit from './kit.js';

const WEB = dirname(dirname(fileURLToPath(import.meta.url)));
const ROOT = dirname(WEB);
const ART = join(ROOT, 'test-artifacts', 'web');
/** Committed once as documentation (README "The web page"); rewritten only on request. */
const DOCS_SHOT = join(WEB, 'docs-screenshot.jpg');
const DOCS_SHOT_PHONE = join(WEB, 'docs-screenshot-phone.jpg');
const LIMIT = 1_000_000;

let stack: TestStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(ART, { recursive: true });
  await ensureBuilt({ quiet: true });
  // A 1 MB upload limit (the samples are smaller) so the too-large check is cheap to exercise.
  stack = await startTestStack({ webDir: join(WEB, 'dist'), env: { PROMPTSEG_MAX_UPLOAD_BYTES: String(LIMIT) } });
  browser = await kit.launch();
  page = await browser.newPage({ viewport: kit.DESKTOP, acceptDownloads: true });
  page.on('pageerror', (e) => console.error('[page error]', e.message));
});

afterAll(async () => {
  await browser?.close();
  await stack?.teardown();
});

const shot = (name: string) => page.screenshot({ path: join(ART, `${name}.png`) });
const legend = () => kit.legend(page);
const canvasPixels = () => kit.canvasPixels(page);
const differing = kit.differing;
const insidePoint = kit.insidePoint;
const onCanvas = (p: { x: number; y: number }, w: number) => kit.onCanvas(page, p, w);
const download = (click: () => Promise<void>) => kit.download(page, ART, click);
const noAxeViolations = async (state: string) => expect(await kit.axeViolations(page), state).toEqual([]);
const SAMPLES = join(WEB, 'public', 'samples');

describe('the web page against local mode', () => {
  it('upload → prompt → masks → hover → threshold → refine → export → failed job → batch ZIP → bad files → paste/drop → phone', { timeout: 300_000 }, async () => {
    // Every request the page makes, to check where the bytes went.
    const requests: { method: string; url: string }[] = [];
    page.on('request', (r) => requests.push({ method: r.method(), url: r.url() }));
    const jobResults: SegmentResult[] = [];
    page.on('response', async (r) => {
      if (r.request().method() === 'GET' && /\/v1\/jobs\//.test(r.url()) && r.ok()) {
        const body = (await r.json().catch(() => null)) as { status?: string; result?: SegmentResult } | null;
        if (body?.status === 'succeeded' && body.result) jobResults.push(body.result);
      }
    });

    // 1. The page opens with local mode's dev key filled in.
    await page.goto(`${stack.apiUrl}/`);
    await expect.poll(() => page.textContent('#key-state')).toContain('local dev key');
    expect(await kit.inView(page, '#run')).toBe(true); // Run is in view without scrolling
    await noAxeViolations('open');
    await shot('01-open');

    // 2. A sample goes to the local S3 through the presigned POST (not through the API).
    const presigned = page.waitForResponse((r) => r.url().endsWith('/v1/uploads') && r.request().method() === 'POST');
    await page.click('[data-sample="astronaut.png"]');
    const upload = (await (await presigned).json()) as { upload_key: string; url: string; method: string };
    expect(upload.url.startsWith(stack.s3Url)).toBe(true);
    await expect.poll(() => page.textContent('#file-info'), { timeout: 20_000 }).toContain('uploaded');
    expect(await page.textContent('#file-info')).toContain('512×512');
    expect(await page.inputValue('#prompt')).toBe('person, face, flag'); // a sample fills a prompt that works on it
    const s3Posts = () => requests.filter((r) => r.url.startsWith(stack.s3Url) && r.method === upload.method);
    expect(s3Posts()).toHaveLength(1);
    const stored = await stack.store.head(upload.upload_key);
    expect(stored?.size).toBe(readFileSync(join(SAMPLES, 'astronaut.png')).length);
    expect(requests.some((r) => r.url.startsWith(stack.apiUrl) && r.method === 'PUT')).toBe(false);
    await shot('02-uploaded');

    // 3. A prompt (Enter runs it) → masks drawn, legend lists the labels.
    await page.fill('#prompt', 'person, face, shirt');
    expect(await page.$$eval('#chips .chip span', (s) => s.map((e) => e.textContent))).toEqual(['person', 'face', 'shirt']);
    await page.press('#prompt', 'Enter');
    await page.waitForSelector('#legend-body tr', { timeout: 60_000 });
    await page.fill('#threshold', '0.1'); // everything the job returned (it asked for >= 0.1)
    const result = jobResults.at(-1);
    if (!result) throw new Error('no succeeded job seen');
    const rows = await legend();
    expect(rows.map((r) => r.label).sort()).toEqual(result.instances.map((i) => i.label).sort());
    expect(rows.map((r) => r.label)).toEqual(expect.arrayContaining(['person', 'face']));
    // grouped by concept, best first within each group, numbered per label ("person 1")
    for (const label of new Set(rows.map((r) => r.label))) {
      const scores = rows.filter((r) => r.label === label).map((r) => r.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
    expect(await page.textContent(`#legend-body tr[data-id="${rows[0].id}"] button.pick`)).toContain(`${rows[0].label} 1`);
    // the status counts what is drawn
    expect(await page.textContent('#status')).toMatch(new RegExp(`^${rows.length} shown`));
    const withMasks = await canvasPixels();
    await page.fill('#compare', '0'); // the compare slider all the way: the original
    const original = await canvasPixels();
    await page.fill('#compare', '100');
    const covered = differing(withMasks, original);
    expect(covered).toBeGreaterThan(0.1 * 512 * 512); // the person alone covers about half
    expect(await kit.inView(page, '#status')).toBe(true); // where the eye is after Run
    expect(await kit.inView(page, '#run')).toBe(true);
    await noAxeViolations('masks');
    await shot('03-masks');

    // 4. Hover on the face shows its label and score.
    const face = result.instances.find((i) => i.label === 'face');
    if (!face) throw new Error('no face instance');
    const fp = await onCanvas(insidePoint(face), 512);
    await page.mouse.move(fp.x, fp.y);
    await expect.poll(() => page.isVisible('#tooltip')).toBe(true);
    const tip = (await page.textContent('#tooltip')) ?? '';
    expect(tip).toContain('face');
    expect(tip).toContain(face.score.toFixed(2));
    expect(tip).not.toMatch(/centernet|score =/); // no jargon in the card
    await shot('04-hover');
    if (!existsSync(DOCS_SHOT) || process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      writeFileSync(DOCS_SHOT, await page.screenshot({ type: 'jpeg', quality: 60 }));
    }
    await page.mouse.move(2, 2);

    // 5. The threshold slider hides low-score instances at once, without a request.
    const scores = result.instances.map((i) => i.score).sort((a, b) => a - b);
    const cut = Math.ceil((scores[0] + 1e-6) / 0.05) * 0.05;
    expect(cut, `scores ${scores.join(', ')} leave no threshold between them`).toBeLessThanOrEqual(scores.at(-1) ?? 0);
    const before = requests.length;
    await page.fill('#threshold', cut.toFixed(2));
    const kept = await legend();
    expect(kept.map((r) => r.label).sort()).toEqual(result.instances.filter((i) => i.score >= cut - 1e-9).map((i) => i.label).sort());
    expect(kept.length).toBeLessThan(rows.length);
    // honest status: what is shown, what the threshold hides and its best score, and a way to show them
    const hiddenScores = result.instances.filter((i) => i.score < cut - 1e-9).map((i) => i.score);
    const statusText = (await page.textContent('#status')) ?? '';
    expect(statusText).toContain(`${kept.length} shown · ${hiddenScores.length} more below the threshold (best ${Math.max(...hiddenScores).toFixed(2)})`);
    expect(requests.length).toBe(before);
    expect(differing(await canvasPixels(), withMasks)).toBeGreaterThan(0);
    await shot('05-threshold');
    await page.click('#show-below'); // one click: the threshold drops just enough to show the best hidden one
    const afterShow = await legend();
    expect(afterShow.length).toBeGreaterThan(kept.length);
    expect(afterShow.map((r) => r.score)).toContain(Math.max(...hiddenScores));
    expect(await page.textContent('#status')).toMatch(new RegExp(`^${afterShow.length} shown`));
    await page.fill('#threshold', '0.1');

    // 6. Click refinement: select the person, add a positive and a negative point; the mask
    //    changes each time; undo goes back one step, reset to the detection.
    await page.click('#legend-body tr[data-label="person"] button.pick');
    await expect.poll(() => page.isVisible('#refine-bar')).toBe(true);
    const areaOf = async () => (await legend()).find((r) => r.label === 'person')?.area ?? -1;
    const area0 = await areaOf();
    const person = result.instances.find((i) => i.label === 'person');
    if (!person) throw new Error('no person instance');
    const pos = await onCanvas({ x: person.box[0] + person.box[2] / 2, y: person.box[1] + person.box[3] * 0.6 }, 512);
    await page.click('#mode-add'); // the Add toggle: every click on the image is a point
    expect(await page.getAttribute('#mode-add', 'aria-pressed')).toBe('true');
    const seg1 = page.waitForResponse((r) => r.url().endsWith('/v1/segment'), { timeout: 60_000 });
    await page.mouse.click(pos.x, pos.y);
    const body1 = (await (await seg1).request().postDataJSON()) as { upload_key: string; points: { points: { positive: boolean }[] } };
    expect(body1.upload_key).toBe(upload.upload_key);
    expect(body1.points.points).toEqual([expect.objectContaining({ positive: true })]);
    await expect.poll(() => page.textContent('#status')).toContain('Refined with 1 point');
    const area1 = await areaOf();
    const neg = await onCanvas(insidePoint(face), 512); // the face is not "person" here: take it out
    const seg2 = page.waitForResponse((r) => r.url().endsWith('/v1/segment'), { timeout: 60_000 });
    await page.mouse.click(neg.x, neg.y, { button: 'right' });
    const body2 = (await (await seg2).request().postDataJSON()) as { points: { points: { positive: boolean }[] } };
    expect(body2.points.points.map((p) => p.positive)).toEqual([true, false]);
    await expect.poll(() => page.textContent('#status')).toContain('Refined with 2 point');
    const area2 = await areaOf();
    expect(area2).not.toBe(area0);
    expect(new Set([area0, area1, area2]).size).toBeGreaterThan(1);
    await shot('06-refined');
    await page.click('#undo');
    expect(await areaOf()).toBe(area1);
    await page.click('#reset');
    expect(await areaOf()).toBe(area0);
    // redo one point so the export below is of a refined mask
    const seg3 = page.waitForResponse((r) => r.url().endsWith('/v1/segment'), { timeout: 60_000 });
    await page.mouse.click(neg.x, neg.y, { button: 'right' });
    await seg3;
    await expect.poll(() => page.textContent('#status')).toContain('Refined with 1 point');
    const areaExport = await areaOf();
    expect(s3Posts()).toHaveLength(1); // new jobs and refinements reuse the uploaded image
    await page.click('#mode-add'); // back to the click rule

    // 7. Exports of the selected (refined) person: the cut-out has transparent background pixels
    //    and exactly the mask's pixels opaque; the other formats carry the same mask.
    expect(await page.inputValue('#export-scope')).toBe('selected');
    const cut1 = await download(() => page.click('button[data-export="cutout"]'));
    expect(cut1.name).toBe(`astronaut.cutout-${person.id}-person.png`); // the JSON id, as the CLI names it
    const img = await decodeImage(new Uint8Array(cut1.bytes));
    expect([img.width, img.height]).toEqual([512, 512]);
    if (!img.alpha) throw new Error('cut-out has no alpha channel');
    let transparent = 0, opaque = 0;
    for (const a of img.alpha) {
      if (a === 0) transparent++;
      else if (a === 255) opaque++;
    }
    expect(transparent).toBeGreaterThan(0);
    expect(opaque).toBe(areaExport);
    const npy = await download(() => page.click('button[data-export="npy"]'));
    expect(npy.name).toBe(`astronaut.mask-${person.id}-person.npy`);
    expect(npy.bytes.subarray(0, 128).toString('latin1')).toContain("'shape': (512, 512)");
    expect(npy.bytes.subarray(128).reduce((a, b) => a + b, 0)).toBe(areaExport);
    const json = await download(() => page.click('button[data-export="json"]'));
    const doc = JSON.parse(json.bytes.toString('utf8')) as SegmentResult;
    expect(doc.instances).toHaveLength(1);
    expect(doc.image.path).toBe('astronaut.png');
    const maskFile = await download(() => page.click('button[data-export="mask"]'));
    const maskPng = decodePng(new Uint8Array(maskFile.bytes));
    expect([maskPng.channels, maskPng.depth, maskPng.width]).toEqual([1, 8, 512]); // 8-bit single channel, like the CLI's
    expect(Array.from(maskPng.data).filter((v) => v === 255).length).toBe(areaExport);
    expect(doc.instances[0].area).toBe(areaExport);
    await page.selectOption('#export-scope', 'all');
    const overlay = await download(() => page.click('button[data-export="overlay"]'));
    expect(overlay.name).toBe('astronaut.overlay.png');
    await shot('07-exported');

    // 8. A job that fails shows its error (sam3 has no model files here: enable the disabled
    //    option as a user of a misconfigured service might get it) and keeps the last result.
    expect(await page.$eval('#engine option[value="sam3"]', (o) => (o as HTMLOptionElement).disabled)).toBe(true);
    expect(await page.textContent('#engine-hint')).toContain('Open vocabulary (SAM 3) is not enabled on this server.');
    expect(await page.isVisible('#engine-hint details')).toBe(false); // operators' text folded away
    await page.click('#advanced summary');
    await page.$eval('#engine option[value="sam3"]', (o) => ((o as HTMLOptionElement).disabled = false));
    await page.selectOption('#engine', 'sam3');
    await page.click('#run');
    await expect.poll(() => page.isVisible('#run-error'), { timeout: 30_000 }).toBe(true);
    // the service's error (code engine_unavailable) in the page's words: no CLI flag, no install command
    expect(await page.textContent('#run-error')).toContain('This engine cannot run on this server.');
    expect(await page.textContent('#run-error')).not.toMatch(/--engine|npm|README/);
    expect(await page.textContent('#status')).toContain('Failed. The previous result was cleared.');
    expect(await legend()).toEqual([]); // nothing on screen belongs to another run
    expect(differing(await canvasPixels(), original)).toBe(0);
    await shot('08-failed-job');
    await page.selectOption('#engine', 'auto');
    await page.click('#run');
    await expect.poll(async () => (await legend()).length, { timeout: 60_000 }).toBe(rows.length);
    await page.click('#advanced summary'); // folded again

    // 9. Batch: two images, one prompt, progress per image, a ZIP with both results.
    await page.click('#tab-batch');
    // a plain grey picture: nothing to find — it must still be in the ZIP, as its JSON
    const grey = Buffer.from(encodePng({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(128), channels: 3, depth: 8 }));
    await page.setInputFiles('#batch-files', [
      { name: 'coffee.png', mimeType: 'image/png', buffer: readFileSync(join(SAMPLES, 'coffee.png')) },
      { name: 'chelsea.png', mimeType: 'image/png', buffer: readFileSync(join(SAMPLES, 'chelsea.png')) },
      { name: 'grey.png', mimeType: 'image/png', buffer: grey },
    ]);
    await page.check('input[name="zip-format"][value="mask"]');
    await page.check('input[name="zip-format"][value="npy"]');
    await page.fill('#batch-prompt', 'cup, cat');
    await page.click('#batch-run');
    await expect.poll(() => page.$$eval('#batch-grid .card', (cs) => cs.map((c) => c.getAttribute('data-state'))), { timeout: 90_000 }).toEqual(['done', 'done', 'done']);
    await shot('09-batch');
    const zip = await download(() => page.click('#batch-zip'));
    const files = unzipSync(new Uint8Array(zip.bytes));
    const names = Object.keys(files);
    expect(names).toEqual(expect.arrayContaining(['coffee/coffee.json', 'coffee/coffee.overlay.png', 'chelsea/chelsea.json', 'chelsea/chelsea.overlay.png']));
    const labels = (f: string) => (JSON.parse(new TextDecoder().decode(files[f])) as SegmentResult).instances.map((i) => i.label);
    expect(labels('coffee/coffee.json')).toContain('cup');
    expect(labels('chelsea/chelsea.json')).toContain('cat');
    expect(names.some((n) => /^coffee\/coffee\.cutout-\d+-cup\.png$/.test(n))).toBe(true);
    expect(names.some((n) => /^chelsea\/chelsea\.cutout-\d+-cat\.png$/.test(n))).toBe(true);
    expect(names.some((n) => /^coffee\/coffee\.mask-\d+-cup\.png$/.test(n))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['coffee/coffee.masks.npy', 'grey/grey.json']));
    const greyDoc = JSON.parse(new TextDecoder().decode(files['grey/grey.json'])) as SegmentResult;
    expect(greyDoc.instances).toEqual([]);
    expect(greyDoc.image.path).toBe('grey.png'); // the JSON names its image
    expect(names.filter((n) => n.startsWith('grey/') && !n.endsWith('/'))).toEqual(['grey/grey.json']); // no image files for an empty result
    // A sample the server answers with an error page is reported, not added as a broken image.
    await page.route('**/samples/rocket.jpg', (route) => route.fulfill({ status: 404, body: 'not found' }));
    const cardsBefore = (await page.$$('#batch-grid .card')).length;
    await page.click('#batch-samples');
    await expect.poll(() => page.textContent('#batch-error')).toContain('rocket.jpg');
    expect((await page.$$('#batch-grid .card')).length).toBe(cardsBefore);
    await page.unroute('**/samples/rocket.jpg');

    // 10. Unsupported files: a clear error, and the current image and result stay.
    await page.click('#tab-single');
    await page.setInputFiles('#file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') });
    await expect.poll(() => page.isVisible('#input-error')).toBe(true);
    expect(await page.textContent('#input-error')).toContain('notes.txt');
    expect(await page.textContent('#input-error')).toMatch(/PNG/);
    expect(await page.textContent('#file-info')).toContain('astronaut.png');
    expect((await legend()).length).toBe(rows.length);
    await page.setInputFiles('#file', { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('plain text pretending to be a PNG') });
    await expect.poll(() => page.textContent('#input-error')).toContain('could not be read as an image');
    const uploadsBefore = requests.filter((r) => r.url.endsWith('/v1/uploads')).length;
    await page.setInputFiles('#file', { name: 'big.png', mimeType: 'image/png', buffer: Buffer.alloc(LIMIT + 200_000, 1) });
    await expect.poll(() => page.textContent('#input-error')).toContain('above the upload limit of 977 KB'); // from GET /v1/health
    expect(requests.filter((r) => r.url.endsWith('/v1/uploads')).length).toBe(uploadsBefore);
    await shot('10-bad-file');

    // 11. Paste and drag-and-drop load an image too.
    await page.evaluate(async () => {
      const blob = await (await fetch('samples/horse.png')).blob();
      const dt = new DataTransfer();
      dt.items.add(new File([blob], 'pasted.png', { type: 'image/png' }));
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
    });
    await expect.poll(() => page.textContent('#file-info')).toContain('pasted.png · 400×328');
    await page.evaluate(async () => {
      const blob = await (await fetch('samples/chelsea.png')).blob();
      const dt = new DataTransfer();
      dt.items.add(new File([blob], 'dropped.png', { type: 'image/png' }));
      document.getElementById('drop')?.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => page.textContent('#file-info')).toContain('dropped.png · 451×300');
    expect(await page.isHidden('#input-error')).toBe(true);
    await expect.poll(() => page.textContent('#file-info'), { timeout: 20_000 }).toContain('uploaded');
    await shot('11-pasted-dropped');

    // 12. Phone-sized viewport: one column, nothing wider than the screen.
    await page.setViewportSize(kit.PHONE);
    await page.fill('#prompt', 'cat');
    await page.click('#run');
    await page.waitForSelector('#legend-body tr[data-label="cat"]', { timeout: 60_000 });
    expect(await page.textContent('#status')).toMatch(/^\d+ shown/);
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await kit.inView(page, '#run')).toBe(true); // pinned at the bottom of the screen
    expect(await page.$eval('.top', (e) => e.getBoundingClientRect().height)).toBeLessThan(70); // the header is one row
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    expect(await kit.inView(page, '#run')).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await noAxeViolations('phone');
    await page.screenshot({ path: join(ART, '12-phone.png'), fullPage: true });
    if (!existsSync(DOCS_SHOT_PHONE) || process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      writeFileSync(DOCS_SHOT_PHONE, await page.screenshot({ type: 'jpeg', quality: 60 }));
    }
  });

  it('English / 中文: the switch rewords the page, is remembered, and a Chinese prompt runs', { timeout: 120_000 }, async () => {
    page = await browser.newPage({ viewport: kit.DESKTOP, locale: 'en-US' }); // fresh storage
    page.on('pageerror', (e) => console.error('[page error]', e.message));
    const jobResults: SegmentResult[] = [];
    page.on('response', async (r) => {
      if (r.request().method() === 'GET' && /\/v1\/jobs\//.test(r.url()) && r.ok()) {
        const body = (await r.json().catch(() => null)) as { status?: string; result?: SegmentResult } | null;
        if (body?.status === 'succeeded' && body.result) jobResults.push(body.result);
      }
    });
    const text = async (sel: string) => ((await page.textContent(sel)) ?? '').trim();
    const htmlLang = () => page.evaluate(() => document.documentElement.lang);

    // 1. An English browser starts in English; the switch is a labelled group of two toggles.
    await page.goto(`${stack.apiUrl}/`);
    await expect.poll(() => page.textContent('#key-state')).toContain('local dev key');
    expect(await htmlLang()).toBe('en');
    expect(await text('#run')).toBe('Run');
    expect(await page.getAttribute('.lang button[data-lang="en"]', 'aria-pressed')).toBe('true');
    const groupName = await page.$eval('.lang', (g) => document.getElementById(g.getAttribute('aria-labelledby') ?? '')?.textContent);
    expect(groupName).toBe('Language');

    // 2. A page-made error, then 中文: static text, attributes, title, <html lang> and the error change.
    await page.click('[data-sample="chelsea.png"]');
    await expect.poll(() => page.textContent('#file-info'), { timeout: 20_000 }).toContain('uploaded');
    await page.fill('#prompt', ''); // the sample filled in "cat"
    await page.click('#run');
    await expect.poll(() => page.textContent('#run-error')).toContain('Type what to cut out first.');
    await page.click('.lang button[data-lang="zh"]');
    expect(await htmlLang()).toBe('zh-CN');
    expect(await page.getAttribute('.lang button[data-lang="zh"]', 'aria-pressed')).toBe('true');
    expect(await text('#run')).toBe('运行');
    expect(await text('#tab-single')).toBe('单张图片');
    expect(await text('#tab-batch')).toBe('批量');
    expect(await text('label[for="engine"]')).toBe('引擎');
    expect(await text('#legend caption')).toBe('实例（按得分排序）');
    expect(await page.getAttribute('#prompt', 'placeholder')).toBe('人，狗，蓝色衬衫');
    expect(await page.title()).toBe('promptseg — 输入要抠出的内容');
    expect(await text('#run-error')).toContain('请先输入要抠出的内容。');
    expect(await text('#file-info')).toContain('已上传');
    expect(await text('#key-state')).toBe('（本地开发密钥）');
    expect(await page.evaluate(() => localStorage.getItem('promptseg.lang'))).toBe('zh');

    // 3. Remembered across a reload.
    await page.reload();
    expect(await htmlLang()).toBe('zh-CN');
    expect(await text('#run')).toBe('运行');
    await expect.poll(() => page.textContent('#key-state')).toContain('本地开发密钥');

    // 4. A Chinese prompt through local mode: the legend lists the cat, the notes and the hover
    //    card say (in Chinese) which word matched and the translation used.
    await page.click('[data-sample="chelsea.png"]');
    await expect.poll(() => page.textContent('#file-info'), { timeout: 20_000 }).toContain('已上传');
    await page.fill('#prompt', '猫');
    expect(await page.$$eval('#chips .chip span', (s) => s.map((e) => e.textContent))).toEqual(['猫']);
    await page.press('#prompt', 'Enter');
    await page.waitForSelector('#legend-body tr', { timeout: 60_000 });
    const result = jobResults.at(-1);
    if (!result) throw new Error('no succeeded job seen');
    expect(result.concepts).toEqual([expect.objectContaining({ text: '猫', status: 'ok', label: 'cat' })]);
    const rows = await legend();
    expect(rows.map((r) => r.label)).toContain('cat');
    expect(await text('#legend-body tr[data-label="cat"] button.pick')).toContain('(猫)');
    expect(await text('#status')).toMatch(/^显示 \d+ 个/);
    expect(await text('#notes')).toContain('查找的是：猫 → cat');
    expect(await text('#timings')).toContain('耗时：');
    await noAxeViolations('zh result');
    const cat = result.instances.find((i) => i.label === 'cat');
    if (!cat) throw new Error('no cat instance');
    const p = await onCanvas(insidePoint(cat), 451);
    await page.mouse.move(p.x, p.y);
    await expect.poll(() => page.isVisible('#tooltip')).toBe(true);
    const tip = await text('#tooltip');
    expect(tip).toContain('匹配“猫”');
    expect(tip).toContain('经由 猫 → cat');
    expect(tip).toContain(cat.score.toFixed(2));
    await shot('13-zh');

    // 5. Back to English: what is on screen is reworded, the result stays.
    await page.mouse.move(2, 2);
    await page.click('.lang button[data-lang="en"]');
    expect(await htmlLang()).toBe('en');
    expect(await text('#run')).toBe('Run');
    expect(await text('#status')).toMatch(/^\d+ shown/);
    expect(await text('#notes')).toContain('Looked for: 猫 → cat');
    expect((await legend()).map((r) => r.label)).toEqual(rows.map((r) => r.label));
    expect(await page.evaluate(() => localStorage.getItem('promptseg.lang'))).toBe('en');
    await shot('14-back-to-en');
  });
});
