/**
 * The "Batch" tab: several images, one prompt. Each image is uploaded and run as its own job
 * (two at a time), with its own progress; finished ones stay finished when the batch is run again
 * with the same prompt (a rerun resumes). "Download all" zips every finished image in the formats
 * ticked (JSON, overlay, masks, cut-outs, .npy), named as the CLI names them, with the page's
 * threshold applied; an image where nothing passes is still in the ZIP as its JSON.
 */
import { zipSync, type Zippable } from 'fflate';
import type { SegmentResult } from '@promptseg/shared';
import type { ExportKind } from './export/names.js';
import type { ApiClient } from './api/client.js';
import { DEFAULT_MAX_UPLOAD_BYTES, REQUEST_THRESHOLD, SAMPLES } from './config.js';
import { buildExport, save } from './export/render.js';
import { runJob, uploadImage, type Uploaded } from './jobs.js';
import { pageError } from './i18n/errors.js';
import { t, tn } from './i18n/index.js';
import { baseName, checkDimensions, checkFile, formatBytes } from './input/validate.js';
import { passingBy } from './result/filter.js';
import { makeItems, type Item } from './result/items.js';
import { layerPixels, stageSize } from './result/layers.js';
import { $, h, setText, showError, toMessage } from './view/dom.js';

type State = 'waiting' | 'uploading' | 'queued' | 'running' | 'done' | 'failed';

interface Entry {
  file: File;
  /** Unique within the batch: the folder name in the ZIP. */
  base: string;
  state: State;
  prompt?: string;
  bitmap?: ImageBitmap;
  uploaded?: Uploaded;
  result?: SegmentResult;
  items?: Item[];
  /** Why it failed, worded in the current language. */
  error?: () => string;
  /** The browser could not decode it: not sent (it would fail on the service too). */
  unreadable?: boolean;
  card: HTMLLIElement;
  canvas: HTMLCanvasElement;
  label: HTMLElement;
}

const CONCURRENCY = 2;
const THUMB = 360;

export class BatchView {
  maxBytes = DEFAULT_MAX_UPLOAD_BYTES;
  maxPixels?: number;
  private entries: Entry[] = [];
  private running = false;
  private readonly el = {
    files: $<HTMLInputElement>('batch-files'),
    drop: $('batch-drop'),
    error: $('batch-error'),
    form: $<HTMLFormElement>('batch-form'),
    prompt: $<HTMLInputElement>('batch-prompt'),
    threshold: $<HTMLInputElement>('batch-threshold'),
    thresholdOut: $<HTMLOutputElement>('batch-threshold-out'),
    run: $<HTMLButtonElement>('batch-run'),
    zip: $<HTMLButtonElement>('batch-zip'),
    status: $('batch-status'),
    grid: $('batch-grid'),
  };

  constructor(private readonly api: ApiClient) {
    const { el } = this;
    el.files.addEventListener('change', () => {
      this.add([...(el.files.files ?? [])]);
      el.files.value = '';
    });
    const panel = $('panel-batch');
    panel.addEventListener('dragover', (e) => {
      e.preventDefault();
      el.drop.classList.add('over');
    });
    panel.addEventListener('dragleave', () => el.drop.classList.remove('over'));
    panel.addEventListener('drop', (e) => {
      e.preventDefault();
      el.drop.classList.remove('over');
      this.add([...(e.dataTransfer?.files ?? [])]);
    });
    el.zip.addEventListener('click', () => {
      el.zip.disabled = true;
      this.zipAll().then(
        (blob) => save({ name: 'promptseg-batch.zip', blob }),
        (e: unknown) => showError(el.error, toMessage(e)),
      ).finally(() => (el.zip.disabled = false));
    });
    $('batch-samples').addEventListener('click', () => void this.addSamples());
    $('batch-clear').addEventListener('click', () => {
      if (this.running) return;
      this.entries = [];
      el.grid.replaceChildren();
      el.zip.disabled = true;
      setText(el.status, () => '');
      showError(el.error);
    });
    el.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.runAll();
    });
    el.threshold.addEventListener('input', () => {
      el.thresholdOut.value = Number(el.threshold.value).toFixed(2);
      for (const en of this.entries) this.drawThumb(en);
    });
  }

  /** What is not static markup or a live text: the thumbnails' names. */
  relabel(): void {
    for (const en of this.entries) en.canvas.setAttribute('aria-label', t('batch.thumb', { name: en.file.name }));
  }

  private async addSamples(): Promise<void> {
    const files: File[] = [];
    for (const name of SAMPLES) {
      try {
        // An error page (404, 500) must not become a "sample" that then fails as an image.
        const res = await fetch(`samples/${name}`);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const blob = await res.blob();
        files.push(new File([blob], name, { type: blob.type }));
      } catch (e) {
        const reason = toMessage(e).message;
        showError(this.el.error, () => ({ message: t('sample.failed', { name, reason }), hint: t('sample.failed.hint') }));
        return;
      }
    }
    this.add(files);
  }

  add(files: File[]): void {
    const refused: File[] = [];
    const max = this.maxBytes;
    for (const file of files) {
      if (checkFile(file, max)) {
        refused.push(file);
        continue;
      }
      let base = baseName(file.name);
      for (let n = 2; this.entries.some((e) => e.base === base); n++) base = `${baseName(file.name)}-${n}`;
      const canvas = h('canvas', { class: 'thumb', role: 'img', 'aria-label': t('batch.thumb', { name: file.name }) });
      const label = h('p', { class: 'small state' });
      const card = h('li', { class: 'card', 'data-name': file.name }, canvas, h('p', { class: 'name' }, `${file.name} · ${formatBytes(file.size)}`), label);
      const entry: Entry = { file, base, state: 'waiting', card, canvas, label };
      this.entries.push(entry);
      this.el.grid.append(card);
      this.renderLabel(entry);
      void createImageBitmap(file).then(
        (b) => {
          entry.bitmap = b;
          const dims = checkDimensions(file.name, b.width, b.height, this.maxPixels);
          if (dims) {
            entry.unreadable = true; // not sent: the service would refuse it
            this.setState(entry, 'failed', () => checkDimensions(file.name, b.width, b.height, this.maxPixels)?.message ?? dims.message);
          }
          this.drawThumb(entry);
        },
        () => {
          entry.unreadable = true;
          this.setState(entry, 'failed', () => t('batch.unreadable'));
        },
      );
    }
    const problems = () => refused.map((f) => checkFile(f, max)).flatMap((p) => (p ? [`${p.message} ${p.hint}`] : []));
    showError(this.el.error, refused.length ? () => ({ message: t('batch.skipped', { n: refused.length }), hint: problems().join(' ') }) : undefined);
  }

  private setState(en: Entry, state: State, detail?: () => string): void {
    en.state = state;
    en.error = state === 'failed' ? detail : undefined;
    en.card.dataset.state = state;
    this.renderLabel(en);
    this.renderSummary();
  }

  private renderLabel(en: Entry): void {
    setText(en.label, () => {
      const state = t(`batch.state.${en.state}`);
      if (en.state === 'done') {
        const shown = this.shown(en);
        const labels = [...new Set(shown.map((i) => i.inst.label))].join(', ');
        return tn('batch.done', shown.length, { labels: labels ? t('batch.labels', { labels }) : '' });
      }
      return en.error ? t('batch.failedWith', { state, error: en.error() }) : t('batch.progress', { state });
    });
  }

  private renderSummary(): void {
    const done = this.entries.filter((e) => e.state === 'done').length;
    const failed = this.entries.filter((e) => e.state === 'failed').length;
    const total = this.entries.length;
    setText(this.el.status, () => t('batch.summary', { done, total, failed: failed ? t('batch.summary.failed', { n: failed }) : '' }));
    this.el.zip.disabled = done === 0 || this.running;
  }

  /** Items at thumbnail size, decoded once per result. */
  private items(en: Entry): Item[] {
    if (!en.result || !en.bitmap) return [];
    if (!en.items) {
      const s = stageSize(en.bitmap.width, en.bitmap.height, THUMB);
      en.items = makeItems(en.result, s.width, s.height);
    }
    return en.items;
  }

  private shown(en: Entry): Item[] {
    return passingBy(this.items(en), (i) => i.inst, { threshold: Number(this.el.threshold.value) });
  }

  private drawThumb(en: Entry): void {
    if (!en.bitmap) return;
    const s = stageSize(en.bitmap.width, en.bitmap.height, THUMB);
    const c = en.canvas;
    c.width = s.width;
    c.height = s.height;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.drawImage(en.bitmap, 0, 0, s.width, s.height);
    const items = this.shown(en);
    if (items.length) {
      const layer = document.createElement('canvas');
      layer.width = s.width;
      layer.height = s.height;
      const lctx = layer.getContext('2d');
      for (const it of [...items].reverse()) {
        lctx?.putImageData(new ImageData(layerPixels(it.small, s.width, s.height, it.color, 110), s.width, s.height), 0, 0);
        ctx.drawImage(layer, 0, 0);
      }
    }
    if (en.state === 'done') this.renderLabel(en);
  }

  async runAll(): Promise<void> {
    const prompt = this.el.prompt.value.trim();
    if (!prompt) return showError(this.el.error, () => ({ message: t('run.noPrompt'), hint: t('batch.noPrompt.hint') }));
    if (!this.entries.length) return showError(this.el.error, () => ({ message: t('batch.noImages'), hint: t('batch.noImages.hint') }));
    if (this.running) return;
    showError(this.el.error);
    this.running = true;
    this.el.run.disabled = true;
    this.el.zip.disabled = true;
    // a rerun with the same prompt keeps what is done; a new prompt runs everything again
    const todo = this.entries.filter((e) => !e.unreadable && !(e.state === 'done' && e.prompt === prompt));
    for (const e of todo) this.setState(e, 'waiting');
    let next = 0;
    const worker = async () => {
      while (next < todo.length) await this.runOne(todo[next++], prompt);
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));
    this.running = false;
    this.el.run.disabled = false;
    this.renderSummary();
  }

  private async runOne(en: Entry, prompt: string): Promise<void> {
    try {
      if (!en.uploaded) {
        this.setState(en, 'uploading');
        en.uploaded = await uploadImage(this.api, en.file);
      }
      this.setState(en, 'queued');
      const { result } = await runJob(this.api, en.uploaded.key, { prompt, threshold: REQUEST_THRESHOLD, outputs: ['json'] }, (j) => {
        if (j.status === 'queued' || j.status === 'running') this.setState(en, j.status);
      });
      en.result = result;
      en.items = undefined;
      en.prompt = prompt;
      this.setState(en, 'done');
      this.drawThumb(en);
    } catch (e) {
      const m = pageError(e);
      this.setState(en, 'failed', () => `${m().message}${m().hint ? ' ' + m().hint : ''}`);
    }
  }

  /** The formats ticked under "In the ZIP". */
  private zipFormats(): ExportKind[] {
    return [...document.querySelectorAll<HTMLInputElement>('input[name="zip-format"]:checked')].map((i) => i.value as ExportKind);
  }

  /**
   * Everything finished, zipped, one folder per image, files named as the CLI names them:
   * <image>.json (always when ticked, also for an image where nothing passes), .overlay.png,
   * .masks.npy, .mask-<id>-<label>.png and .cutout-<id>-<label>.png per shown instance.
   */
  async zipAll(): Promise<Blob> {
    const formats = this.zipFormats();
    const files: Zippable = {};
    for (const en of this.entries) {
      if (en.state !== 'done' || !en.result || !en.bitmap) continue;
      const items = this.shown(en);
      const pic = { name: `${en.base}.png`, bitmap: en.bitmap }; // export names start with the unique base
      const folder: Zippable = {};
      // PNGs are compressed already: store them; deflate the JSON and the .npy
      const put = async (f: { name: string; blob: Blob }) => {
        folder[f.name] = [new Uint8Array(await f.blob.arrayBuffer()), { level: f.name.endsWith('.png') ? 0 : 6 }];
      };
      if (formats.includes('json')) await put(await buildExport('json', { ...pic, name: en.file.name }, en.result, items, false).then((f) => ({ ...f, name: `${en.base}.json` })));
      if (items.length) {
        if (formats.includes('overlay')) await put(await buildExport('overlay', pic, en.result, items, false));
        if (formats.includes('npy')) await put(await buildExport('npy', pic, en.result, items, false));
        for (const it of [...items].sort((a, b) => a.index - b.index)) {
          if (formats.includes('mask')) await put(await buildExport('mask', pic, en.result, [it], true));
          if (formats.includes('cutout')) await put(await buildExport('cutout', pic, en.result, [it], true));
        }
      }
      if (Object.keys(folder).length) files[en.base] = folder;
    }
    return new Blob([zipSync(files)], { type: 'application/zip' });
  }
}
