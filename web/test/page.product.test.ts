// The page as a product, in Debian's chromium against local mode with one inference worker that
// holds every job 2 s after its claim (so a job is reliably `running` long enough to cancel):
// cancel stops billing (checked with /v1/usage), picking another image cancels too, the upload
// shows its bytes, the run its stages; keyboard and touch refinement; colours stable across
// runs, the session restored after a reload; exports identical to the CLI's files (names,
// decoded pixels, .npy bytes); axe-core finds no violation in the states visited.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { decode as decodePng } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../test/service-kit.js';
import { ensureBuilt } from '../scripts/ensure-built.mjs';
import * as kit from './kit.js';

const WEB = dirname(dirname(fileURLToPath(import.meta.url)));
const ROOT = dirname(WEB);
const ART = join(ROOT, 'test-artifacts', 'web');

let stack: TestStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(ART, { recursive: true });
  await ensureBuilt({ quiet: true });
  stack = await startTestStack({ webDir: join(WEB, 'dist'), concurrency: 1, workerEnv: { PROMPTSEG_FAULT_HOLD_MS: '2000', PROMPTSEG_FAULT_HOLD_ATTEMPTS: '1' } });
  browser = await kit.launch();
});
afterAll(async () => {
  await browser?.close();
  await stack?.teardown();
});

async function open(opts: Parameters<Browser['newPage']>[0] = {}): Promise<Page> {
  const p = await browser.newPage({ viewport: kit.DESKTOP, acceptDownloads: true, ...opts });
  p.on('pageerror', (e) => console.error('[page error]', e.message));
  await p.goto(`${stack.apiUrl}/`);
  await expect.poll(() => p.textContent('#key-state')).toContain('local dev key');
  return p;
}

async function sample(p: Page, name: string): Promise<void> {
  await p.click(`[data-sample="${name}"]`);
  await expect.poll(() => p.textContent('#file-info'), { timeout: 30_000 }).toContain('uploaded');
}

const stage = (p: Page) => p.getAttribute('#statusbar', 'data-stage');
const noAxe = async (p: Page, state: string) => expect(await kit.axeViolations(p), state).toEqual([]);

describe('the page as a product', () => {
  it('upload progress and run stages; Cancel and a new image cancel the job and it is not billed', { timeout: 180_000 }, async () => {
    page = await open();
    // Stages as they happen (a MutationObserver in the page), and the upload throttled so the byte progress is visible.
    await page.evaluate(() => {
      const seen: string[] = ((window as unknown as { stages: string[] }).stages = []);
      const bar = document.getElementById('statusbar')!;
      new MutationObserver(() => seen.at(-1) !== bar.dataset.stage && seen.push(bar.dataset.stage ?? '')).observe(bar, { attributes: true });
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 200 * 1024 });
    await page.click('[data-sample="astronaut.png"]');
    await expect.poll(() => page.isVisible('#progress'), { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => Number(await page.$eval('#progress', (e) => (e as HTMLProgressElement).value)), { timeout: 10_000 }).toBeGreaterThan(0);
    const [value, max] = await page.$eval('#progress', (e) => [(e as HTMLProgressElement).value, (e as HTMLProgressElement).max]);
    expect(max).toBe(readFileSync(join(WEB, 'public/samples/astronaut.png')).length);
    expect(value).toBeLessThan(max); // caught mid-way
    expect(await page.textContent('#status')).toMatch(/^Uploading… [\d.]+ (B|KB) of 773 KB$/);
    await page.screenshot({ path: join(ART, 'p1-uploading.png') });
    await expect.poll(() => page.textContent('#file-info'), { timeout: 30_000 }).toContain('uploaded');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    // Run, then Cancel while it runs: the job ends cancelled on the service, unbilled.
    const u0 = await kit.usage(page);
    const cancels: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/cancel') && cancels.push(r.url()));
    await page.click('#run');
    await expect.poll(() => stage(page), { timeout: 20_000 }).toBe('running');
    expect(await page.isVisible('#cancel')).toBe(true);
    expect(await kit.inView(page, '#cancel')).toBe(true);
    await noAxe(page, 'running');
    await page.screenshot({ path: join(ART, 'p2-running.png') });
    await page.click('#cancel');
    expect(await page.textContent('#status')).toBe('Cancelled — not billed.');
    expect(await page.isDisabled('#run')).toBe(false);
    await expect.poll(() => cancels.length).toBe(1);
    await expect.poll(() => kit.usage(page), { timeout: 10_000 }).toEqual({ billable: u0.billable, accepted: u0.accepted + 1, voided: u0.voided + 1 });
    await page.screenshot({ path: join(ART, 'p3-cancelled.png') });

    // Picking another image mid-run cancels that job the same way.
    await page.click('#run');
    await expect.poll(() => stage(page), { timeout: 20_000 }).toBe('running');
    await page.click('[data-sample="chelsea.png"]');
    await expect.poll(() => cancels.length).toBe(2);
    await expect.poll(() => kit.usage(page), { timeout: 10_000 }).toEqual({ billable: u0.billable, accepted: u0.accepted + 2, voided: u0.voided + 2 });

    // A run to the end goes through the stages the user reads, and is billed once.
    await expect.poll(() => page.textContent('#file-info'), { timeout: 30_000 }).toContain('uploaded');
    await page.click('#run');
    await page.waitForSelector('#legend-body tr[data-index]', { timeout: 60_000 });
    const stages = await page.evaluate(() => (window as unknown as { stages: string[] }).stages);
    expect(stages).toEqual(expect.arrayContaining(['uploading', 'queued', 'running', 'fetching', 'idle']));
    expect(stages.lastIndexOf('running')).toBeGreaterThan(stages.lastIndexOf('queued'));
    expect(stages.lastIndexOf('fetching')).toBeGreaterThan(stages.lastIndexOf('running'));
    expect((await kit.usage(page)).billable).toBe(u0.billable + 1);
    await page.close();
  });

  it('keyboard refinement, colours stable across runs', { timeout: 180_000 }, async () => {
    page = await open();
    await sample(page, 'chelsea.png');
    expect(await page.inputValue('#prompt')).toBe('cat');
    await page.click('#run');
    await page.waitForSelector('#legend-body tr[data-index]', { timeout: 60_000 });
    const first = await kit.legend(page);
    // the same run again: every instance keeps its colour (keyed by its id)
    await page.click('#run');
    await expect.poll(() => page.isDisabled('#run'), { timeout: 5000 }).toBe(true);
    await expect.poll(() => page.isDisabled('#run'), { timeout: 60_000 }).toBe(false);
    const second = await kit.legend(page);
    expect(second.map((r) => [r.id, r.color])).toEqual(first.map((r) => [r.id, r.color]));

    // A reload brings the session back: image, prompt and result (no new job), and the recent runs.
    await page.reload();
    await expect.poll(() => page.textContent('#status'), { timeout: 20_000 }).toContain('Restored your last session.');
    expect(await page.textContent('#file-info')).toContain('chelsea.png · 451×300');
    expect(await page.inputValue('#prompt')).toBe('cat');
    expect((await kit.legend(page)).map((r) => [r.id, r.color])).toEqual(first.map((r) => [r.id, r.color]));
    expect(await page.$$eval('#history-list button', (bs) => bs.map((b) => b.textContent))).toEqual(['chelsea.png · “cat”', 'chelsea.png · “cat”']);

    // Keyboard: focus the image, the cursor starts in the middle (on the cat); Enter selects, + and − add points.
    await page.focus('#canvas');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.isVisible('#refine-bar')).toBe(true);
    expect(await page.textContent('#refine-target')).toContain('cat 1');
    const seg = page.waitForResponse((r) => r.url().endsWith('/v1/segment'), { timeout: 60_000 });
    await page.keyboard.press('+');
    const body = (await (await seg).request().postDataJSON()) as { points: { points: { positive: boolean }[] } };
    expect(body.points.points.map((p) => p.positive)).toEqual([true]);
    await expect.poll(() => page.textContent('#status'), { timeout: 30_000 }).toContain('Refined with 1 point');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowUp');
    const seg2 = page.waitForResponse((r) => r.url().endsWith('/v1/segment'), { timeout: 60_000 });
    await page.keyboard.press('-');
    const body2 = (await (await seg2).request().postDataJSON()) as { points: { points: { positive: boolean }[] } };
    expect(body2.points.points.map((p) => p.positive)).toEqual([true, false]);
    await expect.poll(() => page.textContent('#status'), { timeout: 30_000 }).toContain('Refined with 2 point');
    await noAxe(page, 'selected, refined by keyboard');
    await page.screenshot({ path: join(ART, 'p4-keyboard.png') });
    await page.keyboard.press('Escape');
    expect(await page.isVisible('#refine-bar')).toBe(false);
    await page.close();
  });

  it('touch: the Remove toggle makes a tap a negative point', { timeout: 120_000 }, async () => {
    page = await open({ viewport: kit.PHONE, hasTouch: true, isMobile: true });
    await sample(page, 'chelsea.png');
    await page.tap('#run');
    await page.waitForSelector('#legend-body tr[data-index]', { timeout: 60_000 });
    await page.tap('#legend-body tr[data-index] button.pick');
    await page.tap('#mode-remove');
    expect(await page.getAttribute('#mode-remove', 'aria-pressed')).toBe('true');
    const box = (await page.locator('#canvas').boundingBox())!;
    await page.evaluate(() => document.getElementById('canvas')?.scrollIntoView({ block: 'start' }));
    const b = (await page.locator('#canvas').boundingBox())!;
    const seg = page.waitForResponse((r) => r.url().endsWith('/v1/segment'), { timeout: 60_000 });
    await page.touchscreen.tap(b.x + b.width / 2, b.y + Math.min(b.height, box.height) * 0.3);
    const body = (await (await seg).request().postDataJSON()) as { points: { points: { positive: boolean }[] } };
    expect(body.points.points.map((p) => p.positive)).toEqual([false]);
    await expect.poll(() => page.textContent('#status'), { timeout: 30_000 }).toContain('Refined with 1 point');
    await noAxe(page, 'phone, touch refinement');
    await page.screenshot({ path: join(ART, 'p5-touch.png') });
    await page.close();
  });

  it('exports the same files as the CLI: names, mask and cut-out pixels, .npy bytes', { timeout: 180_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'ps-cli-'));
    try {
      // The CLI, locally, on the same image with the same settings as the page's request (threshold 0.1, lite).
      execFileSync(process.execPath, [join(ROOT, 'packages/cli/bin/promptseg.mjs'), 'segment', join(WEB, 'public/samples/coffee.png'), '-p', 'cup', '-t', '0.1', '-e', 'lite', '-o', out, '-f', 'json,mask,cutout,npy'], { stdio: 'pipe', timeout: 120_000 });
      const cliFiles = readdirSync(out).filter((n) => !n.startsWith('.')).sort(); // .promptseg-done is the CLI's resume marker
      const cli = JSON.parse(readFileSync(join(out, 'coffee.json'), 'utf8')) as { instances: { id: number; label: string }[] };
      expect(cli.instances.length).toBeGreaterThan(0);

      page = await open();
      await sample(page, 'coffee.png');
      await page.fill('#threshold', '0.1');
      await page.click('#run');
      await page.waitForSelector('#legend-body tr[data-index]', { timeout: 60_000 });
      const rows = await kit.legend(page);
      expect(rows.map((r) => r.id).sort()).toEqual(cli.instances.map((i) => i.id).sort());
      const dl = (sel: string) => kit.download(page, ART, () => page.click(sel));
      const pagesFiles: string[] = [];
      const npy = await dl('button[data-export="npy"]');
      pagesFiles.push(npy.name);
      expect(npy.bytes.equals(readFileSync(join(out, 'coffee.masks.npy')))).toBe(true); // byte for byte
      const union = await dl('button[data-export="cutout"]');
      pagesFiles.push(union.name);
      const samePixels = (a: Buffer, b: Buffer) => {
        const x = decodePng(new Uint8Array(a)), y = decodePng(new Uint8Array(b));
        expect([x.width, x.height, x.channels, x.depth]).toEqual([y.width, y.height, y.channels, y.depth]);
        expect(Buffer.from(x.data.buffer, x.data.byteOffset, x.data.byteLength).equals(Buffer.from(y.data.buffer, y.data.byteOffset, y.data.byteLength))).toBe(true);
      };
      samePixels(union.bytes, readFileSync(join(out, union.name)));
      for (const r of rows) {
        await page.click(`#legend-body tr[data-id="${r.id}"] button.pick`);
        expect(await page.inputValue('#export-scope')).toBe('selected');
        for (const kind of ['mask', 'cutout']) {
          const f = await dl(`button[data-export="${kind}"]`);
          pagesFiles.push(f.name);
          expect(cliFiles).toContain(f.name); // the CLI's name, numbered with the JSON id
          samePixels(f.bytes, readFileSync(join(out, f.name)));
        }
        await page.keyboard.press('Escape');
      }
      pagesFiles.push((await dl('button[data-export="json"]')).name);
      expect(pagesFiles.sort()).toEqual(cliFiles); // every file the CLI wrote, the page gave the same name
      await page.close();
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
