/**
 * Helpers shared by the page's browser tests (Debian's chromium through playwright-core against
 * local mode): launching, reading the legend and the canvas, finding a pixel inside a mask,
 * downloads, the accessibility check (axe-core in the page), and the service's usage.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Download, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { decodeRle, type Instance } from '@promptseg/shared';

export const launch = (): Promise<Browser> => chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-background-networking'] });

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

export interface LegendRow {
  id: number;
  label: string;
  score: number;
  area: number;
  color: string;
}

/** Rows of the legend as the user sees them (group headings left out). */
export const legend = (page: Page): Promise<LegendRow[]> =>
  page.$$eval('#legend-body tr[data-index]', (rows) =>
    rows.map((r) => ({ id: Number(r.getAttribute('data-id')), label: r.getAttribute('data-label') ?? '', score: Number(r.getAttribute('data-score')), area: Number(r.getAttribute('data-area')), color: r.getAttribute('data-color') ?? '' })),
  );

/** Pixels of the stage canvas. */
export const canvasPixels = (page: Page): Promise<number[]> =>
  page.$eval('#canvas', (c) => {
    const cv = c as HTMLCanvasElement;
    return Array.from(cv.getContext('2d')?.getImageData(0, 0, cv.width, cv.height).data ?? []);
  });

export function differing(a: number[], b: number[]): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 30) n++;
  return n;
}

/** A pixel deep inside an instance's mask (full-image pixels), for hovering and clicking. */
export function insidePoint(inst: Instance): { x: number; y: number } {
  const m = decodeRle(inst.rle);
  const r = 4;
  let best = { x: -1, y: -1, d: -1 };
  const [bx, by, bw, bh] = inst.box;
  for (let y = by + r; y < by + bh - r; y += 2) {
    for (let x = bx + r; x < bx + bw - r; x += 2) {
      if (!m.data[y * m.width + x]) continue;
      let ok = true;
      for (let dy = -r; dy <= r && ok; dy += r) for (let dx = -r; dx <= r && ok; dx += r) ok = m.data[(y + dy) * m.width + x + dx] === 1;
      if (!ok) continue;
      const d = -Math.hypot(x - (bx + bw / 2), y - (by + bh / 2)); // nearest the box centre
      if (best.d === -1 || d > best.d) best = { x, y, d };
    }
  }
  expect(best.x, `no interior pixel in ${inst.label}`).toBeGreaterThanOrEqual(0);
  return best;
}

/** Client coordinates of an image pixel on the stage canvas. */
export async function onCanvas(page: Page, p: { x: number; y: number }, imageWidth: number): Promise<{ x: number; y: number }> {
  const box = await page.locator('#canvas').boundingBox();
  if (!box) throw new Error('canvas not laid out');
  const k = box.width / imageWidth;
  return { x: box.x + (p.x + 0.5) * k, y: box.y + (p.y + 0.5) * k };
}

export async function download(page: Page, dir: string, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = (await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), click()])) as [Download, void];
  const path = join(dir, dl.suggestedFilename());
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG checks in the page as it is now: the ids and targets of every violation (expected: none). */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** Whether an element lies entirely inside the viewport as it is now (no scrolling). */
export async function inView(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  });
}

/** The service's usage of the page's key (the local dev key), as the page would read it. */
export async function usage(page: Page): Promise<{ billable: number; accepted: number; voided: number }> {
  return page.evaluate(async () => {
    const key = (await (await fetch('/local/dev-key')).json()) as { key?: string; api_key?: string };
    const r = await fetch('/v1/usage', { headers: { Authorization: `Bearer ${key.key ?? key.api_key}` } });
    const b = (await r.json()) as { total_billable: number; days: { accepted: number; voided: number }[] };
    return { billable: b.total_billable, accepted: b.days.reduce((n, d) => n + d.accepted, 0), voided: b.days.reduce((n, d) => n + d.voided, 0) };
  });
}
