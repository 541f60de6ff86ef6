/**
 * The "Image" tab: one picture, a prompt, its masks. Owns the state of that tab and wires the
 * controls, the stage, the legend, refinement and exports together.
 *
 * A run goes through stages the status bar names: uploading (with a byte progress bar), queued,
 * running, fetching the result. Cancel — or picking another image — cancels the job on the
 * service (POST /v1/jobs/{id}/cancel: not billed) and stops polling. A failed run clears the old
 * result, so nothing on screen belongs to another run.
 *
 * Clicks on the image (the rule, README "The web page"): with nothing selected a click selects
 * the smallest mask under it; with one selected, a click selects the smallest mask under it that
 * is neither the selection nor a part of it — and where there is none, it is a refinement point
 * (positive; right-click or Alt+click negative). The Add / Remove toggle makes every click a
 * point. Shift+click, or the "Also under this point" buttons, cycle through overlapping masks.
 */
import type { Instance, PointPrompt, RefineLevel, EngineChoice, SegmentResult } from '@promptseg/shared';
import { ApiError, type ApiClient } from './api/client.js';
import type { JobView } from './api/types.js';
import { DEFAULT_MAX_UPLOAD_BYTES, REQUEST_THRESHOLD, SAMPLES } from './config.js';
import { buildExport, save } from './export/render.js';
import type { ExportKind } from './export/names.js';
import { uploadImage, runJob, runQuick, type Uploaded } from './jobs.js';
import { pageError } from './i18n/errors.js';
import { t, tn } from './i18n/index.js';
import { checkDimensions, checkFile, formatBytes } from './input/validate.js';
import { promptParts, replacePart, withoutPart } from './prompt.js';
import { byScore, hiddenBy, parseTopK, passingBy, thresholdToShow } from './result/filter.js';
import { clickTarget, itemName, itemsAt, makeItems, nextAt, smallMask, type Item } from './result/items.js';
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
  /** Bytes sent so far while uploading. */
  sent?: number;
}

type RunStage = 'idle' | 'uploading' | 'queued' | 'running' | 'fetching' | 'cancelling';

interface Run {
  ac: AbortController;
  jobId?: string;
  stage: RunStage;
}

/** A prompt that works on each bundled sample (clicking a sample fills it in). */
export const SAMPLE_PROMPTS: Record<(typeof SAMPLES)[number], string> = {
  'coffee.png': 'cup',
  'astronaut.png': 'person, face, flag',
  'chelsea.png': 'cat',
  'rocket.jpg': 'rocket',
  'horse.png': 'horse',
};

export class SingleView {
  maxBytes = DEFAULT_MAX_UPLOAD_BYTES;
  /** From GET /v1/health once the inference function reported it. */
  maxPixels?: number;
  private pic?: Picture;
  private result?: SegmentResult;
  private job?: JobView;
  private items: Item[] = [];
  private hidden = new Set<number>();
  private selected?: Item;
  private hovered?: Item;
  private histories = new Map<number, RefineHistory>();
  private run?: Run;
  private refining = false;
  /** Every click a point (add / remove), or the click rule (auto). */
  private mode: 'auto' | 'add' | 'remove' = 'auto';
  /** Stage pixel of the last click, for "also under this point". */
  private lastAt?: { x: number; y: number };
  /** Engine and refinement the shown result was made with (to mark it out of date). */
  private madeWith?: { engine: string; refine: string };
  private readonly stage: Stage;
  /** The last refinement, said after the counts ("3 shown. Refined with 2 point(s) in 420 ms."). */
  private refinedNote?: () => string;
  /** Told after each finished run and each newly loaded picture (session.ts keeps them). */
  onResult?: (pic: { file: File; name: string }, prompt: string, result: SegmentResult) => void;
  onPicture?: (file: File) => void;

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
    engineHint: $('engine-hint'),
    refine: $<HTMLSelectElement>('refine'),
    threshold: $<HTMLInputElement>('threshold'),
    thresholdOut: $<HTMLOutputElement>('threshold-out'),
    topk: $<HTMLInputElement>('topk'),
    stale: $('stale'),
    runBtn: $<HTMLButtonElement>('run'),
    statusbar: $('statusbar'),
    status: $('status'),
    progress: $<HTMLProgressElement>('progress'),
    showBelow: $<HTMLButtonElement>('show-below'),
    cancel: $<HTMLButtonElement>('cancel'),
    runError: $('run-error'),
    placeholder: $('placeholder'),
    tooltip: $('tooltip'),
    stageBox: $('stage'),
    compare: $<HTMLInputElement>('compare'),
    hold: $<HTMLButtonElement>('hold'),
    opacity: $<HTMLInputElement>('opacity'),
    outlineOnly: $<HTMLInputElement>('outline-only'),
    refineBar: $('refine-bar'),
    refineTarget: $('refine-target'),
    refineCount: $('refine-count'),
    modeAdd: $<HTMLButtonElement>('mode-add'),
    modeRemove: $<HTMLButtonElement>('mode-remove'),
    alsoHere: $('also-here'),
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
      click: (c) => this.onStageClick(c.x, c.y, c.negative, c.cycle),
      key: (action, x, y) => this.onStageKey(action, x, y),
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

  /** A sample, with a prompt that works on it. */
  async loadSample(name: (typeof SAMPLES)[number]): Promise<void> {
    try {
      const res = await fetch(`samples/${name}`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const blob = await res.blob();
      if (await this.load(new File([blob], name, { type: blob.type }))) {
        this.el.prompt.value = SAMPLE_PROMPTS[name];
        this.renderChips();
      }
    } catch (e) {
      const reason = toMessage(e).message;
      showError(this.el.inputError, () => ({ message: t('sample.failed', { name, reason }), hint: t('sample.failed.hint') }));
    }
  }

  /** Any source (picker, drop, paste, sample, restored session) ends here. A bad file changes nothing else. Resolves true when loaded. */
  async load(file: File, opts: { upload?: boolean } = {}): Promise<boolean> {
    const max = this.maxBytes;
    const problem = checkFile(file, max);
    if (problem) {
      showError(this.el.inputError, () => checkFile(file, max) ?? problem);
      return false;
    }
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file); // applies EXIF orientation, like the service
    } catch {
      showError(this.el.inputError, () => ({ message: t('file.unreadable', { name: file.name }), hint: t('file.unreadable.hint') }));
      return false;
    }
    // Pre-flight on the decoded size: nothing is uploaded for an image the service would refuse.
    const dims = () => checkDimensions(file.name, bitmap.width, bitmap.height, this.maxPixels);
    if (dims()) {
      showError(this.el.inputError, () => dims() ?? { message: '' });
      return false;
    }
    showError(this.el.inputError);
    this.cancelRun(); // the job of the previous picture: cancelled on the service too (not billed)
    const pic: Picture = { file, name: file.name, bitmap };
    this.pic = pic;
    this.clearResult();
    this.stage.setImage(bitmap);
    this.el.placeholder.hidden = true;
    this.renderInfo(pic);
    this.setStatus(() => '');
    this.onPicture?.(file);
    if (opts.upload !== false) void this.ensureUpload(pic).catch(() => {}); // start now so Run only waits for the job
    return true;
  }

  /** The picture's line under the picker (name, size), saying so once it is uploaded. */
  private renderInfo(pic: Picture): void {
    setText(this.el.info, () => t('file.info', { name: pic.name, width: pic.bitmap.width, height: pic.bitmap.height, size: formatBytes(pic.file.size) }) + (pic.uploaded ? t('file.uploaded') : ''));
  }

  private ensureUpload(pic: Picture): Promise<Uploaded> {
    if (!pic.upload) {
      pic.sent = 0;
      const showProgress = () => {
        if (this.pic !== pic || pic.uploaded) return;
        this.setStage('uploading');
        this.el.progress.hidden = false;
        this.el.progress.max = pic.file.size;
        this.el.progress.value = pic.sent ?? 0;
        this.setStatus(() => t('status.uploadingBytes', { done: formatBytes(pic.sent ?? 0), total: formatBytes(pic.file.size) }));
      };
      showProgress();
      pic.upload = uploadImage(this.api, pic.file, undefined, (sent) => {
        pic.sent = sent;
        showProgress();
      }).then(
        (u) => {
          pic.uploaded = u;
          if (this.pic === pic) {
            this.renderInfo(pic);
            this.el.progress.hidden = true;
            if (!this.run) {
              this.setStage('idle');
              this.renderStatus();
            }
          }
          return u;
        },
        (e: unknown) => {
          pic.upload = undefined; // the next Run tries again
          if (this.pic === pic) {
            this.el.progress.hidden = true;
            this.setStage('idle');
            this.setStatus(() => '');
            showError(this.el.inputError, pageError(e));
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
    for (const s of [el.engine, el.refine]) s.addEventListener('change', () => this.renderStale());
    el.showBelow.addEventListener('click', () => {
      const best = hiddenBy(this.items, (it) => it.inst, this.settings()).bestBelow;
      if (best === undefined) return;
      el.threshold.value = thresholdToShow(best).toFixed(2);
      el.thresholdOut.value = Number(el.threshold.value).toFixed(2);
      this.refresh();
    });
    el.cancel.addEventListener('click', () => this.cancelRun());
    el.compare.addEventListener('input', () => {
      this.stage.split = Number(el.compare.value) / 100;
      this.stage.draw();
    });
    const look = () => {
      this.stage.opacity = el.outlineOnly.checked ? 0 : Number(el.opacity.value) / 100;
      el.opacity.disabled = el.outlineOnly.checked;
      this.stage.draw();
    };
    el.opacity.addEventListener('input', look);
    el.outlineOnly.addEventListener('change', look);
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
    const setMode = (m: 'add' | 'remove') => {
      this.mode = this.mode === m ? 'auto' : m;
      el.modeAdd.setAttribute('aria-pressed', String(this.mode === 'add'));
      el.modeRemove.setAttribute('aria-pressed', String(this.mode === 'remove'));
    };
    el.modeAdd.addEventListener('click', () => setMode('add'));
    el.modeRemove.addEventListener('click', () => setMode('remove'));
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
    const operatorNotes: string[] = [];
    for (const o of options) {
      sel.append(h('option', { value: o.id, disabled: !o.installed }, o.installed ? o.id : t('engine.notInstalled', { id: o.id })));
      if (!o.installed && o.hint) operatorNotes.push(o.hint);
    }
    sel.value = options.find((o) => o.id === current && o.installed)?.id ?? options.find((o) => o.installed)?.id ?? 'auto';
    // One short line for users; the service's own (operator) text folded behind "details".
    const box = this.el.engineHint;
    box.replaceChildren();
    if (options.some((o) => o.id === 'sam3' && !o.installed)) {
      box.append(t('engine.sam3.short'));
      if (operatorNotes.length) box.append(' ', h('details', { class: 'operator' }, h('summary', {}, t('engine.details')), operatorNotes.join(' ')));
    }
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

  private setStage(stage: RunStage): void {
    if (this.run) this.run.stage = stage;
    this.el.statusbar.dataset.stage = stage;
    this.el.cancel.hidden = !this.run || stage === 'cancelling' || stage === 'fetching';
  }

  /** "3 shown · 2 more below the threshold (best 0.48) — lower it to see them": always what is drawn. */
  private renderStatus(): void {
    const result = this.result;
    this.el.showBelow.hidden = true;
    if (this.run) return;
    if (!result) return this.setStatus(() => (this.pic?.uploaded ? t('status.ready') : ''));
    if (!result.instances.length) return this.setStatus(() => t('status.none'));
    const s = this.settings();
    const hid = hiddenBy(this.items, (it) => it.inst, s);
    const off = this.passingItems().filter((it) => this.hidden.has(it.index)).length;
    const shown = this.shownItems().length;
    const note = this.refinedNote;
    this.setStatus(() =>
      [
        tn('status.done', shown),
        hid.belowThreshold ? t('status.below', { n: hid.belowThreshold, best: (hid.bestBelow ?? 0).toFixed(2) }) : '',
        hid.byTopK ? t('status.topk', { n: hid.byTopK }) : '',
        off ? t('status.off', { n: off }) : '',
      ].join('') + '.' + (note ? ` ${note()}` : ''),
    );
    this.el.showBelow.hidden = hid.belowThreshold === 0;
  }

  /** Engine or refinement changed since the shown result: say it needs another Run. */
  private renderStale(): void {
    const m = this.madeWith;
    this.el.stale.hidden = !m || !this.result || (m.engine === this.el.engine.value && m.refine === this.el.refine.value);
  }

  // ---------- running ----------

  /** Cancels the running job: polling stops and the service cancels it (not billed). */
  cancelRun(): void {
    const run = this.run;
    if (!run) return;
    this.run = undefined;
    run.ac.abort();
    this.el.runBtn.disabled = false;
    this.el.progress.hidden = true;
    this.setStage('idle');
    this.el.cancel.hidden = true;
    this.setStatus(() => t('status.cancelled'));
    if (run.jobId) {
      this.api.cancelJob(run.jobId).catch((e: unknown) => {
        // 409: it had finished already — then it was billed; say so instead of "not billed"
        if (e instanceof ApiError && e.code === 'conflict' && !this.run) this.setStatus(() => t('status.cancelledLate'));
      });
    }
  }

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
    this.cancelRun();
    const run: Run = { ac: new AbortController(), stage: 'uploading' };
    this.run = run;
    el.runBtn.disabled = true;
    this.setStage(pic.uploaded ? 'queued' : 'uploading');
    if (pic.uploaded) this.setStatus(() => t('status.queued'));
    this.revealStatus();
    const t0 = performance.now();
    const made = { engine: el.engine.value, refine: el.refine.value };
    try {
      const up = await this.ensureUpload(pic);
      if (this.run !== run) return;
      el.progress.hidden = true;
      this.setStage('queued');
      this.setStatus(() => t('status.queued'));
      const { job, result } = await runJob(
        this.api,
        up.key,
        { prompt, threshold: REQUEST_THRESHOLD, refine: made.refine as RefineLevel, engine: made.engine as EngineChoice, outputs: ['json'] },
        (j) => {
          if (this.run !== run) return;
          const seconds = ((performance.now() - t0) / 1000).toFixed(1);
          if (j.status === 'queued') this.setStatus(() => t('status.queued'));
          else if (j.status === 'running') {
            this.setStage('running');
            this.setStatus(() => (made.engine !== 'auto' ? t('status.runningEngine', { engine: made.engine, seconds }) : t('status.running', { seconds })));
          } else if (j.status === 'succeeded') {
            this.setStage('fetching');
            this.setStatus(() => t('status.fetching'));
          }
        },
        run.ac.signal,
        (id) => (run.jobId = id),
      );
      if (this.run !== run || this.pic !== pic) return;
      this.run = undefined;
      this.setStage('idle');
      this.job = job;
      this.madeWith = made;
      this.applyResult(result, Math.round(performance.now() - t0));
      this.onResult?.(pic, prompt, result);
    } catch (e) {
      if (run.ac.signal.aborted || this.run !== run) return;
      this.run = undefined;
      this.setStage('idle');
      el.progress.hidden = true;
      // nothing on screen may look like this run's result
      this.clearResult();
      this.setStatus(() => t('status.failedPrevious'));
      showError(el.runError, pageError(e));
    } finally {
      if (!this.run) el.runBtn.disabled = false;
    }
  }

  /** On a phone the status bar is above the fold after Run: bring it into view. */
  private revealStatus(): void {
    const r = this.el.statusbar.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) this.el.statusbar.scrollIntoView({ block: 'start', behavior: 'instant' as ScrollBehavior });
  }

  private clearResult(): void {
    this.result = this.job = undefined;
    this.items = [];
    this.hidden.clear();
    this.histories.clear();
    this.selected = this.hovered = undefined;
    this.timings = undefined;
    this.lastAt = undefined;
    this.refinedNote = undefined;
    this.el.exportScope.value = 'all'; // "selected instance" means nothing for a new result
    this.renderTimings();
    showError(this.el.runError);
    this.refresh();
  }

  private applyResult(result: SegmentResult, roundTripMs: number): void {
    this.clearResult();
    this.result = result;
    this.engineSeen(result.engine);
    this.items = makeItems(result, this.stage.width, this.stage.height, this.stage.imagePixels());
    this.timings = { roundTripMs, engine: result.engine, uploadMs: this.pic?.uploaded?.ms, job: this.job?.timings_ms ?? {}, stages: result.timings_ms };
    this.renderTimings();
    this.refresh();
  }

  /** Shows a result kept from an earlier visit (session.ts), as if it had just come back. */
  restoreResult(result: SegmentResult, prompt: string): void {
    this.el.prompt.value = prompt;
    this.renderChips();
    this.madeWith = { engine: this.el.engine.value, refine: this.el.refine.value };
    this.applyResult(result, 0);
    this.timings = undefined;
    this.renderTimings();
    this.refinedNote = () => t('restored');
    this.refresh();
  }

  get hasPicture(): boolean {
    return !!this.pic;
  }

  private timings?: { roundTripMs: number; engine: string; uploadMs?: number; job: Record<string, number | undefined>; stages: Record<string, number> };

  private renderTimings(): void {
    const tm = this.timings;
    if (!tm) return this.el.timings.replaceChildren();
    const head = [t('timings.total', { seconds: (tm.roundTripMs / 1000).toFixed(2) }), tm.engine];
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
    const order = this.result?.concepts.map((c) => c.text) ?? [];
    renderLegend(this.el.legend, this.el.legendBody, passing, order, this.hidden, this.selected, this.pic ? this.pic.bitmap.width * this.pic.bitmap.height : 0, {
      hover: (it) => this.hover(it),
      select: (it) => this.select(it === this.selected ? undefined : it),
      toggle: (it, on) => {
        if (on) this.hidden.delete(it.index);
        else this.hidden.add(it.index);
        this.refresh();
      },
    });
    renderNotes(this.el.notes, this.result, (from, to) => {
      this.el.prompt.value = replacePart(this.el.prompt.value, from, to);
      this.renderChips();
      void this.runPrompt();
    });
    this.el.export.disabled = !this.result;
    this.renderStatus();
    this.renderStale();
    this.renderRefineBar();
  }

  private hover(it: Item | undefined, clientX?: number, clientY?: number): void {
    const changed = it !== this.hovered;
    this.hovered = it;
    if (changed) {
      this.stage.hovered = it;
      this.stage.draw();
      for (const row of this.el.legendBody.querySelectorAll<HTMLElement>('tr[data-index]')) row.classList.toggle('hover', !!it && row.dataset.index === String(it.index));
    }
    const tip = this.el.tooltip;
    if (!it) {
      tip.hidden = true;
      return;
    }
    if (changed || tip.hidden) tip.replaceChildren(h('strong', {}, itemName(it)), ` · ${it.inst.score.toFixed(2)}`, ...whyLine(it.inst));
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
    // beside the pointer, not over the object under it
    const x = Math.min(clientX - box.left + 16, box.width - tip.offsetWidth - 4);
    const y = clientY - box.top - tip.offsetHeight - 12 >= 0 ? clientY - box.top - tip.offsetHeight - 12 : clientY - box.top + 18;
    tip.style.left = `${Math.max(4, x)}px`;
    tip.style.top = `${Math.max(4, y)}px`;
  }

  select(it: Item | undefined): void {
    this.selected = it;
    if (it) this.el.exportScope.value = 'selected';
    else if (this.el.exportScope.value === 'selected') this.el.exportScope.value = 'all';
    this.refresh();
  }

  // ---------- clicks, keys and refinement ----------

  private onStageClick(x: number, y: number, negative: boolean, cycle: boolean): void {
    const visible = this.stage.visible;
    this.lastAt = { x, y };
    if (cycle) return this.select(nextAt(visible, x, y, this.stage.width, this.selected) ?? this.selected);
    const sel = this.selected;
    if (sel && (negative || this.mode !== 'auto')) return void this.addPoint(this.stage.toImage(x, y), this.mode === 'remove' || negative);
    const target = clickTarget(visible, x, y, this.stage.width, sel);
    if (target) return this.select(target);
    if (sel) void this.addPoint(this.stage.toImage(x, y), false);
    else this.refresh(); // nothing there: updates "also under this point"
  }

  private onStageKey(action: 'move' | 'select' | 'add' | 'remove', x: number, y: number): void {
    if (action === 'move') {
      const it = itemsAt(this.stage.visible, x, y, this.stage.width)[0];
      const c = this.stage.toClient(x, y);
      this.hover(it, c.x, c.y);
      return;
    }
    this.lastAt = { x, y };
    if (action === 'select') return this.select(nextAt(this.stage.visible, x, y, this.stage.width, this.selected) ?? this.selected);
    if (this.selected) void this.addPoint(this.stage.toImage(x, y), action === 'remove');
  }

  private renderRefineBar(): void {
    const it = this.selected;
    const { el } = this;
    el.refineBar.hidden = !it;
    if (!it) return;
    const hist = this.histories.get(it.index);
    el.refineTarget.textContent = t('refine.target', { label: itemName(it), score: it.inst.score.toFixed(2) });
    const pts = hist?.points ?? [];
    el.refineCount.textContent = pts.length ? t('refine.count', { positive: pts.filter((p) => p.positive).length, negative: pts.filter((p) => !p.positive).length }) : '';
    el.undo.disabled = el.reset.disabled = !hist || hist.depth === 0 || this.refining;
    // the other masks under the last click: one tap away (touch has no Shift+click)
    const others = this.lastAt ? itemsAt(this.stage.visible, this.lastAt.x, this.lastAt.y, this.stage.width).filter((o) => o !== it) : [];
    el.alsoHere.replaceChildren();
    el.alsoHere.hidden = others.length === 0;
    if (others.length) {
      el.alsoHere.append(t('refine.alsoHere'));
      for (const o of others) {
        const b = h('button', { type: 'button', class: 'small-btn', 'data-also': String(o.index) }, itemName(o));
        b.addEventListener('click', () => this.select(o));
        el.alsoHere.append(' ', b);
      }
    }
  }

  /** Clicks made while a request is out are queued and sent together next: none is lost. */
  private queued: PointPrompt[] = [];

  private async addPoint(at: { x: number; y: number }, negative: boolean): Promise<void> {
    const it = this.selected;
    if (!it || !this.pic || !this.result) return;
    this.queued.push({ ...at, positive: !negative });
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
      showError(this.el.runError, pageError(e));
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
    this.refinedNote = () => t('status.refined', { n, ms });
    this.refresh();
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

/** The hover card's second line, only when it tells something: the word that matched when it is not the label, and the translation or synonym used. */
function whyLine(inst: Instance): (HTMLElement | string)[] {
  const why = inst.why;
  if (!why || (why.matched.toLowerCase() === inst.label.toLowerCase() && !why.via)) return [];
  const text = [t('tooltip.matched', { word: why.matched }), why.via ? t('why.via', { via: why.via }) : ''].filter(Boolean).join(' · ');
  return [h('br'), h('span', { class: 'small' }, text)];
}
