/**
 * The "Image" tab: one picture, a prompt, its masks. Owns the state of that tab and wires the
 * controls, the stage, the legend, refinement and exports together.
 */
import type { Instance, PointPrompt, RefineLevel, EngineChoice, SegmentResult } from '@promptseg/shared';
import type { ApiClient } from './api/client.js';
import type { JobView } from './api/types.js';
import { DEFAULT_MAX_UPLOAD_BYTES, REQUEST_THRESHOLD, SAMPLES } from './config.js';
import { buildExport, save } from './export/render.js';
import type { ExportKind } from './export/names.js';
import { uploadImage, runJob, runQuick, type Uploaded } from './jobs.js';
import { t, tn } from './i18n/index.js';
import { checkFile, formatBytes } from './input/validate.js';
import { promptParts, replacePart, withoutPart } from './prompt.js';
import { byScore, parseTopK, passingBy } from './result/filter.js';
import { makeItems, smallMask, type Item } from './result/items.js';
import { RefineHistory } from './refine/history.js';
import { $, h, setText, showError, toMessage } from './view/dom.js';
import { renderLegend } from './view/legend.js';
import { renderNotes } from './view/notes.js';
import { Stage } from './view/stage.js';

interface Picture {
  file: File;
  name: string;
  bitmap: ImageBitmap;
  upload?: Promise<Uploaded>;
  uploaded?: Uploaded;
}

export class SingleView {
  maxBytes = DEFAULT_MAX_UPLOAD_BYTES;
  private pic?: Picture;
  private result?: SegmentResult;
  private job?: JobView;
  private items: Item[] = [];
  private hidden = new Set<number>();
  private selected?: Item;
  private hovered?: Item;
  private histories = new Map<number, RefineHistory>();
  private run?: AbortController;
  private refining = false;
  private readonly stage: Stage;

  private readonly el = {
    file: $<HTMLInputElement>('file'),
    drop: $('drop'),
    info: $('file-info'),
    inputError: $('input-error'),
    samples: $('samples'),
    form: $<HTMLFormElement>('run-form'),
    prompt: $<HTMLInputElement>('prompt'),
    chips: $('chips'),
    engine: $<HTMLSelectElement>('engine'),
    refine: $<HTMLSelectElement>('refine'),
    threshold: $<HTMLInputElement>('threshold'),
    thresholdOut: $<HTMLOutputElement>('threshold-out'),
    topk: $<HTMLInputElement>('topk'),
    runBtn: $<HTMLButtonElement>('run'),
    status: $('status'),
    runError: $('run-error'),
    placeholder: $('placeholder'),
    tooltip: $('tooltip'),
    stageBox: $('stage'),
    compare: $<HTMLInputElement>('compare'),
    hold: $<HTMLButtonElement>('hold'),
    refineBar: $('refine-bar'),
    refineTarget: $('refine-target'),
    refineCount: $('refine-count'),
    undo: $<HTMLButtonElement>('undo'),
    reset: $<HTMLButtonElement>('reset'),
    deselect: $<HTMLButtonElement>('deselect'),
    timings: $('timings'),
    notes: $('notes'),
    legend: $<HTMLTableElement>('legend'),
    legendBody: $('legend-body'),
    export: $<HTMLFieldSetElement>('export'),
    exportScope: $<HTMLSelectElement>('export-scope'),
  };

  constructor(private readonly api: ApiClient) {
    this.stage = new Stage($<HTMLCanvasElement>('canvas'), {
      hover: (it, x, y) => this.hover(it, x, y),
      pick: (it) => (it ? this.select(it) : undefined),
      point: (p) => void this.addPoint(p),
    });
    this.wireInput();
    this.wireControls();
  }

  // ---------- input ----------

  private wireInput(): void {
    const { el } = this;
    el.file.addEventListener('change', () => {
      const f = el.file.files?.[0];
      if (f) void this.load(f);
      el.file.value = '';
    });
    for (const name of SAMPLES) {
      const b = h('button', { type: 'button', class: 'sample', 'aria-label': t('sample.use', { name }), 'data-sample': name }, h('img', { src: `samples/${name}`, alt: '', loading: 'lazy' }), h('span', {}, name.replace(/\.\w+$/, '')));
      b.addEventListener('click', () => void this.loadSample(name));
      el.samples.append(b);
    }
    const panel = $('panel-single');
    panel.addEventListener('dragover', (e) => {
      e.preventDefault();
      el.drop.classList.add('over');
    });
    panel.addEventListener('dragleave', (e) => {
      if (e.target === panel || !panel.contains(e.relatedTarget as Node | null)) el.drop.classList.remove('over');
    });
    panel.addEventListener('drop', (e) => {
      e.preventDefault();
      el.drop.classList.remove('over');
      const f = e.dataTransfer?.files[0];
      if (f) void this.load(f);
    });
  }

  async loadSample(name: string): Promise<void> {
    try {
      const res = await fetch(`samples/${name}`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const blob = await res.blob();
      await this.load(new File([blob], name, { type: blob.type }));
    } catch (e) {
      const reason = toMessage(e).message;
      showError(this.el.inputError, () => ({ message: t('sample.failed', { name, reason }), hint: t('sample.failed.hint') }));
    }
  }

  /** Any source (picker, drop, paste, sample) ends here. A bad file changes nothing else. */
  async load(file: File): Promise<void> {
    const max = this.maxBytes;
    const problem = checkFile(file, max);
    if (problem) return showError(this.el.inputError, () => checkFile(file, max) ?? problem);
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file); // applies EXIF orientation, like the service
    } catch {
      return showError(this.el.inputError, () => ({ message: t('file.unreadable', { name: file.name }), hint: t('file.unreadable.hint') }));
    }
    showError(this.el.inputError);
    this.run?.abort();
    const pic: Picture = { file, name: file.name, bitmap };
    this.pic = pic;
    this.clearResult();
    this.stage.setImage(bitmap);
    this.el.placeholder.hidden = true;
    this.renderInfo(pic);
    void this.ensureUpload(pic).catch(() => {}); // start now so Run only waits for the job
  }

  /** The picture's line under the picker (name, size), saying so once it is uploaded. */
  private renderInfo(pic: Picture): void {
    setText(this.el.info, () => t('file.info', { name: pic.name, width: pic.bitmap.width, height: pic.bitmap.height, size: formatBytes(pic.file.size) }) + (pic.uploaded ? t('file.uploaded') : ''));
  }

  private ensureUpload(pic: Picture): Promise<Uploaded> {
    if (!pic.upload) {
      this.setStatus(() => t('status.uploading'));
      pic.upload = uploadImage(this.api, pic.file).then(
        (u) => {
          pic.uploaded = u;
          if (this.pic === pic) {
            this.renderInfo(pic);
            if (!this.run) this.setStatus(() => t('status.ready'));
          }
          return u;
        },
        (e: unknown) => {
          pic.upload = undefined; // the next Run tries again
          if (this.pic === pic) {
            this.setStatus(() => '');
            showError(this.el.inputError, toMessage(e));
          }
          throw e;
        },
      );
    }
    return pic.upload;
  }

  // ---------- controls ----------

  private wireControls(): void {
    const { el } = this;
    el.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.runPrompt();
    });
    el.prompt.addEventListener('input', () => this.renderChips());
    el.threshold.addEventListener('input', () => {
      el.thresholdOut.value = Number(el.threshold.value).toFixed(2);
      this.refresh(); // no request: the result already holds everything down to 0.1
    });
    el.topk.addEventListener('input', () => this.refresh());
    el.compare.addEventListener('input', () => {
      this.stage.split = Number(el.compare.value) / 100;
      this.stage.draw();
    });
    const hold = (on: boolean) => {
      this.stage.original = on;
      el.hold.setAttribute('aria-pressed', String(on));
      this.stage.draw();
    };
    el.hold.addEventListener('pointerdown', () => hold(true));
    for (const ev of ['pointerup', 'pointerleave', 'pointercancel'] as const) el.hold.addEventListener(ev, () => hold(false));
    el.hold.addEventListener('keydown', (e) => {
      if (e.key === ' ' || e.key === 'Enter') {
        e.preventDefault();
        hold(true);
      }
    });
    el.hold.addEventListener('keyup', () => hold(false));
    el.undo.addEventListener('click', () => this.stepBack('undo'));
    el.reset.addEventListener('click', () => this.stepBack('reset'));
    el.deselect.addEventListener('click', () => this.select(undefined));
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.selected) this.select(undefined);
    });
    for (const b of el.export.querySelectorAll<HTMLButtonElement>('button[data-export]')) {
      b.addEventListener('click', () => void this.exportAs(b.dataset.export as ExportKind));
    }
  }

  private engines: { id: string; installed: boolean; hint?: string }[] = [];

  setEngines(options: { id: string; installed: boolean; hint?: string }[]): void {
    this.engines = options;
    const sel = this.el.engine;
    const current = sel.value;
    sel.replaceChildren();
    const hints: string[] = [];
    for (const o of options) {
      const opt = h('option', { value: o.id, disabled: !o.installed }, o.installed ? o.id : t('engine.notInstalled', { id: o.id }));
      sel.append(opt);
      // the service's own hint when it sent one (in its words), else the page's
      const hint = o.hint ?? (o.id === 'sam3' ? t('engine.sam3.hint') : undefined);
      if (!o.installed && hint) hints.push(hint);
    }
    sel.value = options.find((o) => o.id === current && o.installed)?.id ?? options.find((o) => o.installed)?.id ?? 'auto';
    $('engine-hint').textContent = hints.join(' '); // setEngines runs again on a language switch
  }

  /** A result proves its engine is installed (when the service does not list its engines). */
  private engineSeen(id: string): void {
    const e = this.engines.find((o) => o.id === id);
    if (e && !e.installed) this.setEngines(this.engines.map((o) => (o.id === id ? { id, installed: true } : o)));
  }

  private renderChips(): void {
    const { chips, prompt } = this.el;
    chips.replaceChildren();
    promptParts(prompt.value).forEach((part, i) => {
      const x = h('button', { type: 'button', class: 'chip-x', 'aria-label': t('chip.remove', { part }) }, '×');
      x.addEventListener('click', () => {
        prompt.value = withoutPart(prompt.value, i);
        this.renderChips();
        prompt.focus();
      });
      chips.append(h('li', { class: 'chip' }, h('span', {}, part), x));
    });
  }

  private settings() {
    return { threshold: Number(this.el.threshold.value), topK: parseTopK(this.el.topk.value) };
  }

  /** The status line, worded again on a language switch. */
  private setStatus(text: () => string): void {
    setText(this.el.status, text);
  }

  // ---------- running ----------

  async runPrompt(): Promise<void> {
    const { el } = this;
    showError(el.runError);
    const pic = this.pic;
    if (!pic) return showError(el.runError, () => ({ message: t('run.noImage'), hint: t('run.noImage.hint') }));
    const prompt = el.prompt.value.trim();
    if (!prompt) {
      el.prompt.focus();
      return showError(el.runError, () => ({ message: t('run.noPrompt'), hint: t('run.noPrompt.hint') }));
    }
    this.run?.abort();
    const ac = new AbortController();
    this.run = ac;
    el.runBtn.disabled = true;
    const t0 = performance.now();
    try {
      const up = await this.ensureUpload(pic);
      const { job, result } = await runJob(
        this.api,
        up.key,
        { prompt, threshold: REQUEST_THRESHOLD, refine: el.refine.value as RefineLevel, engine: el.engine.value as EngineChoice, outputs: ['json'] },
        (j) => {
          const seconds = ((performance.now() - t0) / 1000).toFixed(1);
          this.setStatus(() => (j.status === 'queued' ? t('status.queued') : j.status === 'running' ? t('status.running', { seconds }) : j.status));
        },
        ac.signal,
      );
      if (this.run !== ac || this.pic !== pic) return;
      this.job = job;
      this.applyResult(result, Math.round(performance.now() - t0));
    } catch (e) {
      if (ac.signal.aborted) return;
      this.setStatus(() => t('status.failed'));
      showError(el.runError, toMessage(e));
    } finally {
      if (this.run === ac) {
        this.run = undefined;
        el.runBtn.disabled = false;
      }
    }
  }

  private clearResult(): void {
    this.result = this.job = undefined;
    this.items = [];
    this.hidden.clear();
    this.histories.clear();
    this.selected = this.hovered = undefined;
    this.timings = undefined;
    this.renderTimings();
    showError(this.el.runError);
    this.refresh();
  }

  private applyResult(result: SegmentResult, roundTripMs: number): void {
    this.clearResult();
    this.result = result;
    this.engineSeen(result.engine);
    this.items = makeItems(result, this.stage.width, this.stage.height);
    const n = result.instances.length;
    this.setStatus(() => tn('status.done', n, { engine: result.engine }));
    this.timings = { roundTripMs, uploadMs: this.pic?.uploaded?.ms, job: this.job?.timings_ms ?? {}, stages: result.timings_ms };
    this.renderTimings();
    this.refresh();
  }

  private timings?: { roundTripMs: number; uploadMs?: number; job: Record<string, number | undefined>; stages: Record<string, number> };

  private renderTimings(): void {
    const tm = this.timings;
    if (!tm) return this.el.timings.replaceChildren();
    const head = [t('timings.total', { seconds: (tm.roundTripMs / 1000).toFixed(2) })];
    if (tm.uploadMs !== undefined) head.push(t('timings.upload', { ms: tm.uploadMs }));
    if (tm.job.queue !== undefined) head.push(t('timings.queue', { ms: Math.round(tm.job.queue) }));
    if (tm.job.run !== undefined) head.push(t('timings.run', { ms: Math.round(tm.job.run) }));
    const stages = Object.entries(tm.stages).map(([k, v]) => t('timings.stage', { name: k.replace(/_/g, ' '), ms: Math.round(v) }));
    this.el.timings.replaceChildren(
      h('strong', {}, t('timings.title')),
      head.join(' · '),
      stages.length ? h('details', {}, h('summary', {}, t('timings.stages')), stages.join(' · ')) : '',
    );
  }

  /** Everything this tab words itself, again in the current language (static markup and live texts are done by main). */
  relabel(): void {
    for (const b of this.el.samples.querySelectorAll<HTMLElement>('button[data-sample]')) b.setAttribute('aria-label', t('sample.use', { name: b.dataset.sample ?? '' }));
    this.renderChips();
    if (this.engines.length) this.setEngines(this.engines);
    this.renderTimings();
    this.el.tooltip.hidden = true; // re-made in the new language on the next hover
    this.refresh();
  }

  /** Items shown now: passing the threshold/top-K (computed on the original scores). */
  private passingItems(): Item[] {
    return passingBy(this.items, (it) => it.inst, this.settings());
  }

  private shownItems(): Item[] {
    return this.passingItems().filter((it) => !this.hidden.has(it.index));
  }

  /** Re-filters and redraws everything from state; cheap (no request, layers are cached). */
  refresh(): void {
    const passing = this.passingItems();
    if (this.selected && !passing.includes(this.selected)) this.selected = undefined;
    if (this.hovered && !passing.includes(this.hovered)) this.hovered = undefined;
    const shown = passing.filter((it) => !this.hidden.has(it.index));
    this.stage.visible = shown;
    this.stage.hovered = this.hovered;
    this.stage.selected = this.selected;
    this.stage.points = this.selected ? (this.histories.get(this.selected.index)?.points ?? []) : [];
    this.stage.draw();
    renderLegend(this.el.legend, this.el.legendBody, passing, this.hidden, this.selected, this.pic ? this.pic.bitmap.width * this.pic.bitmap.height : 0, {
      hover: (it) => this.hover(it),
      select: (it) => this.select(it === this.selected ? undefined : it),
      toggle: (it, on) => {
        if (on) this.hidden.delete(it.index);
        else this.hidden.add(it.index);
        this.refresh();
      },
    });
    renderNotes(this.el.notes, this.result, this.items.length - passing.length, (from, to) => {
      this.el.prompt.value = replacePart(this.el.prompt.value, from, to);
      this.renderChips();
      void this.runPrompt();
    });
    this.el.export.disabled = shown.length === 0;
    this.renderRefineBar();
  }

  private hover(it: Item | undefined, clientX?: number, clientY?: number): void {
    const changed = it !== this.hovered;
    this.hovered = it;
    if (changed) {
      this.stage.hovered = it;
      this.stage.draw();
      for (const row of this.el.legendBody.querySelectorAll('tr')) row.classList.toggle('hover', !!it && row.dataset.index === String(it.index));
    }
    const tip = this.el.tooltip;
    if (!it) {
      tip.hidden = true;
      return;
    }
    if (changed || tip.hidden) {
      const { inst } = it;
      tip.replaceChildren(
        h('strong', {}, inst.label),
        ` ${inst.score.toFixed(2)}`,
        h('br'),
        h('span', { class: 'small' }, t('tooltip.box', { x: inst.box[0], y: inst.box[1], width: inst.box[2], height: inst.box[3] })),
        ...whyLines(inst),
      );
    }
    tip.hidden = false;
    tip.style.left = tip.style.top = '0px'; // measure at full width, not squeezed at the old spot
    const box = this.el.stageBox.getBoundingClientRect();
    if (clientX === undefined || clientY === undefined) {
      // from the legend: put it at the instance's box
      const r = this.stage.canvas.getBoundingClientRect();
      const k = r.width / (this.pic?.bitmap.width ?? 1);
      clientX = r.left + (it.inst.box[0] + it.inst.box[2] / 2) * k;
      clientY = r.top + it.inst.box[1] * k;
    }
    const x = Math.min(clientX - box.left + 14, box.width - tip.offsetWidth - 4);
    const y = clientY - box.top + 14 + tip.offsetHeight > box.height ? clientY - box.top - tip.offsetHeight - 10 : clientY - box.top + 14;
    tip.style.left = `${Math.max(4, x)}px`;
    tip.style.top = `${Math.max(4, y)}px`;
  }

  select(it: Item | undefined): void {
    this.selected = it;
    if (it) this.el.exportScope.value = 'selected';
    else if (this.el.exportScope.value === 'selected') this.el.exportScope.value = 'all';
    this.refresh();
  }

  // ---------- click refinement ----------

  private renderRefineBar(): void {
    const it = this.selected;
    const { el } = this;
    el.refineBar.hidden = !it;
    if (!it) return;
    const hist = this.histories.get(it.index);
    el.refineTarget.textContent = t('refine.target', { label: it.inst.label, score: it.inst.score.toFixed(2) });
    const pts = hist?.points ?? [];
    el.refineCount.textContent = pts.length ? t('refine.count', { positive: pts.filter((p) => p.positive).length, negative: pts.filter((p) => !p.positive).length }) : '';
    el.undo.disabled = el.reset.disabled = !hist || hist.depth === 0 || this.refining;
  }

  /** Clicks made while a request is out are queued and sent together next: none is lost. */
  private queued: PointPrompt[] = [];

  private async addPoint(p: PointPrompt): Promise<void> {
    const it = this.selected;
    if (!it || !this.pic || !this.result) return;
    this.queued.push(p);
    const hist0 = this.histories.get(it.index);
    this.stage.points = [...(hist0?.points ?? []), ...this.queued]; // show the click at once
    this.stage.draw();
    if (this.refining) return;
    this.refining = true;
    this.renderRefineBar();
    showError(this.el.runError);
    try {
      while (this.queued.length && this.selected === it) await this.refineOnce(it, this.queued.splice(0));
    } catch (e) {
      this.setStatus(() => '');
      showError(this.el.runError, toMessage(e));
    } finally {
      this.queued = [];
      this.refining = false;
      this.refresh();
    }
  }

  private async refineOnce(it: Item, points: PointPrompt[]): Promise<void> {
    const pic = this.pic;
    const result = this.result;
    if (!pic || !result) return;
    let hist = this.histories.get(it.index);
    if (!hist) {
      hist = new RefineHistory(it.inst);
      this.histories.set(it.index, hist);
    }
    const req = hist.request(points);
    this.setStatus(() => t('status.refining'));
    const t0 = performance.now();
    const up = await this.ensureUpload(pic);
    const res = await runQuick(this.api, up.key, {
      prompt: it.inst.concept || it.inst.label,
      threshold: REQUEST_THRESHOLD,
      refine: this.el.refine.value as RefineLevel,
      engine: result.engine,
      points: req,
      outputs: ['json'],
    });
    if (this.pic !== pic) return;
    // The engines answer the clicked object (why.source "click refinement") next to the prompt's
    // own detections; fall back to the best one if an engine does not mark it.
    const best = res.instances.find((i) => i.why?.source === 'click refinement') ?? byScore(res.instances)[0];
    if (!best) throw { message: t('refine.none'), hint: t('refine.none.hint') };
    this.replace(it, hist.push(req.points, best));
    const n = req.points.length, ms = Math.round(performance.now() - t0);
    this.setStatus(() => t('status.refined', { n, ms }));
  }

  private replace(it: Item, inst: Item['inst']): void {
    it.inst = inst;
    it.small = smallMask(inst, this.stage.width, this.stage.height);
  }

  /** Undo: back one refinement step; reset: back to the mask the prompt made. */
  private stepBack(how: 'undo' | 'reset'): void {
    const it = this.selected;
    const hist = it && this.histories.get(it.index);
    if (!it || !hist || this.refining) return;
    this.replace(it, how === 'undo' ? hist.undo() : hist.reset());
    this.refresh();
  }

  // ---------- export ----------

  private async exportAs(kind: ExportKind): Promise<void> {
    if (!this.pic || !this.result) return;
    const single = this.el.exportScope.value === 'selected';
    if (single && !this.selected) {
      return showError(this.el.runError, () => ({ message: t('export.noSelection'), hint: t('export.noSelection.hint') }));
    }
    try {
      const items = single && this.selected ? [this.selected] : this.shownItems();
      save(await buildExport(kind, { name: this.pic.name, bitmap: this.pic.bitmap }, this.result, items, single));
    } catch (e) {
      showError(this.el.runError, toMessage(e));
    }
  }
}

/** The hover card's explanation: the word that matched (and the synonym or translation used), the detector and its confidence, colour share, rank, and how the score was formed. */
function whyLines(inst: Instance): (HTMLElement | string)[] {
  const why = inst.why;
  if (!why) return [];
  const line = (text: string) => [h('br'), h('span', { class: 'small why' }, text)];
  const out = [...line([t('why.matched', { word: why.matched }), why.via ? t('why.via', { via: why.via }) : ''].filter(Boolean).join(' · '))];
  out.push(...line(t('why.detector', { source: why.source, score: why.detector_score.toFixed(2) })));
  const extra = [why.color_match !== undefined ? t('why.color', { percent: Math.round(why.color_match * 100) }) : '', why.rank !== undefined ? t('why.rank', { rank: why.rank }) : ''].filter(Boolean);
  if (extra.length) out.push(...line(extra.join(' · ')));
  out.push(...line(t('why.formula', { formula: why.formula })));
  return out;
}
