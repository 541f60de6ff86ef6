/**
 * The Video tab: a clip uploaded straight to storage (presigned, its own size limit), one video
 * job, its progress polled (frames done, parts done), then the clip played with the tracks'
 * masks drawn over it from the result document: play / pause, frame step, a timeline, the track
 * list (click one to highlight it on every frame) and the job's downloads (document, overlay MP4,
 * YouTube-VIS, MOT). The player shows the user's own file; the masks come from the document, frame
 * by frame (timeline.ts maps the player's time to a frame).
 */
import { decodeRle, type VideoResult } from '@promptseg/shared';
import { ApiError, type ApiClient } from '../api/client.js';
import { poll } from '../api/poll.js';
import type { JobView } from '../api/types.js';
import { t } from '../i18n/index.js';
import { formatBytes } from '../input/validate.js';
import { colorFor, css, inkOn } from '../result/colors.js';
import { $, h, setText, showError, toMessage } from '../view/dom.js';
import { clipType, frameAtTime, seconds, seekTime, tintAlpha, trackRows } from './timeline.js';

/** The outputs a video job asks for from the page (the cut-out WebM is the CLI's and the API's). */
const OUTPUTS = ['json', 'overlay', 'youtube_vis', 'mot'] as const;

export class VideoView {
  maxBytes = 200 * 1024 * 1024;
  private file?: File;
  private doc?: VideoResult;
  private shown = -1;
  private highlighted?: number;
  private jobId?: string;
  private abort?: AbortController;
  private objectUrl?: string;
  private readonly player = $<HTMLVideoElement>('video-player');
  private readonly canvas = $<HTMLCanvasElement>('video-canvas');
  private readonly timeline = $<HTMLInputElement>('video-timeline');
  private readonly status = $('video-status');
  private readonly progress = $<HTMLProgressElement>('video-progress');
  private readonly error = $('video-error');

  constructor(private readonly api: ApiClient) {
    $<HTMLInputElement>('video-file').addEventListener('change', (e) => {
      const f = (e.target as HTMLInputElement).files?.[0];
      if (f) this.choose(f);
    });
    $<HTMLFormElement>('video-form').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.run();
    });
    $('video-cancel').addEventListener('click', () => void this.cancel());
    $('video-play').addEventListener('click', () => (this.player.paused ? void this.player.play() : this.player.pause()));
    $('video-prev').addEventListener('click', () => this.step(-1));
    $('video-next').addEventListener('click', () => this.step(1));
    this.timeline.addEventListener('input', () => this.seek(Number(this.timeline.value)));
    this.player.addEventListener('play', () => {
      this.playLabel();
      this.follow();
    });
    this.player.addEventListener('pause', () => this.playLabel());
    this.player.addEventListener('seeked', () => this.drawAt(this.player.currentTime));
    this.player.addEventListener('error', () => this.doc && setText(this.status, () => t('video.cantPlay')));
    this.playLabel();
  }

  /** Re-words what the language switch cannot reach through data-i18n (set by setText elsewhere). */
  relabel(): void {
    this.playLabel();
    if (this.doc) this.renderTracks();
  }

  private choose(file: File): void {
    this.file = file;
    showError(this.error);
    setText($('video-file-info'), () => t('video.file', { name: file.name, size: formatBytes(file.size) }));
  }

  /** What is wrong with the form, before anything is sent. */
  private check(): { type: string; fps?: number } {
    const file = this.file;
    if (!file) throw { message: t('video.noFile'), hint: t('video.noFile.hint') };
    const type = clipType(file.name, file.type);
    if (!type) throw { message: t('video.badType', { name: file.name, what: file.type || '?' }), hint: t('video.badType.hint') };
    if (file.size > this.maxBytes) throw { message: t('video.tooBig', { name: file.name, size: formatBytes(file.size), limit: formatBytes(this.maxBytes) }), hint: t('video.tooBig.hint') };
    if (!$<HTMLInputElement>('video-prompt').value.trim()) throw { message: t('video.noPrompt'), hint: t('video.noPrompt.hint') };
    const raw = $<HTMLInputElement>('video-fps').value.trim();
    if (raw === '') return { type };
    const fps = Number(raw);
    if (!Number.isFinite(fps) || fps < 0.5 || fps > 60) throw { message: t('video.badFps'), hint: t('video.badFps.hint') };
    return { type, fps };
  }

  async run(): Promise<void> {
    let form: { type: string; fps?: number };
    try {
      form = this.check();
    } catch (e) {
      showError(this.error, toMessage(e));
      return;
    }
    const file = this.file!;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.clearResult();
    showError(this.error);
    $<HTMLButtonElement>('video-run').disabled = true;
    $('video-cancel').hidden = false;
    try {
      setText(this.status, () => t('status.uploading'));
      this.bar(0, 1);
      const p = await this.api.presign(file, form.type);
      if (file.size > p.max_bytes) throw new ApiError(413, 'payload_too_large', t('video.tooBig', { name: file.name, size: formatBytes(file.size), limit: formatBytes(p.max_bytes) }), t('video.tooBig.hint'));
      await this.api.upload(p, file, form.type, abort.signal, (sent, total) => {
        this.bar(sent, total);
        setText(this.status, () => t('status.uploadingBytes', { done: formatBytes(sent), total: formatBytes(total) }));
      });
      const body = { upload_key: p.upload_key, prompt: $<HTMLInputElement>('video-prompt').value.trim(), outputs: [...OUTPUTS], ...(form.fps !== undefined ? { video: { fps: form.fps } } : {}) };
      const accepted = await this.api.createJob(body as never, crypto.randomUUID(), abort.signal);
      this.jobId = accepted.job_id;
      setText(this.status, () => t('video.queued'));
      const job = await poll<JobView>({
        read: () => this.api.getJob(accepted.job_id, abort.signal),
        done: (j) => j.status === 'succeeded' || j.status === 'failed' || j.status === 'cancelled',
        onUpdate: (j) => this.showProgress(j),
        signal: abort.signal,
        timeoutMs: 60 * 60_000,
      });
      if (job.status === 'cancelled') {
        setText(this.status, () => t('video.cancelled'));
        return;
      }
      if (job.status !== 'succeeded') throw new ApiError(0, job.error?.code ?? 'internal', job.error?.message ?? t('job.failedSilently'), job.error?.hint ?? t('common.tryAgain'));
      setText(this.status, () => t('video.fetching'));
      const json = job.downloads?.find((d) => d.format === 'json');
      if (!json) throw new ApiError(0, 'internal', t('job.noResult'), t('common.tryAgain'));
      const res = await fetch(json.url, { signal: abort.signal });
      if (!res.ok) throw new ApiError(res.status, 'storage_unavailable', t('storage.refused', { status: res.status, detail: '' }), t('common.tryAgain'));
      this.show(file, (await res.json()) as VideoResult, job);
    } catch (e) {
      if (abort.signal.aborted) return;
      this.progress.hidden = true;
      setText(this.status, () => '');
      showError(this.error, toMessage(e));
    } finally {
      if (this.abort === abort) {
        $<HTMLButtonElement>('video-run').disabled = false;
        $('video-cancel').hidden = true;
      }
    }
  }

  private async cancel(): Promise<void> {
    const id = this.jobId;
    this.abort?.abort();
    $<HTMLButtonElement>('video-run').disabled = false;
    $('video-cancel').hidden = true;
    this.progress.hidden = true;
    if (!id) return setText(this.status, () => '');
    try {
      await this.api.cancelJob(id);
      setText(this.status, () => t('video.cancelled'));
    } catch (e) {
      showError(this.error, toMessage(e));
    }
  }

  private bar(value: number, max: number): void {
    this.progress.hidden = false;
    this.progress.max = Math.max(1, max);
    this.progress.value = value;
  }

  private showProgress(j: JobView): void {
    const p = j.progress;
    if (j.status === 'queued') return setText(this.status, () => t('video.queued'));
    if (!p) return setText(this.status, () => t('video.planning'));
    this.bar(p.frames_done, p.frames_total);
    setText(this.status, () => t('video.running', { done: p.frames_done, total: p.frames_total, segments: p.segments_done, parts: p.segments_total }));
  }

  private clearResult(): void {
    this.doc = undefined;
    this.shown = -1;
    this.highlighted = undefined;
    this.player.pause();
    this.player.removeAttribute('src');
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = undefined;
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    $('video-controls').hidden = true;
    $('video-tracks').replaceChildren();
    $('video-downloads').replaceChildren();
  }

  private show(file: File, doc: VideoResult, job: JobView): void {
    this.doc = doc;
    this.progress.hidden = true;
    setText(this.status, () => (doc.tracks.length ? t('video.done', { tracks: doc.tracks.length, frames: doc.frames.length }) : t('video.none', { frames: doc.frames.length })));
    this.canvas.width = doc.video.width;
    this.canvas.height = doc.video.height;
    this.objectUrl = URL.createObjectURL(file);
    this.player.src = this.objectUrl;
    this.timeline.max = String(Math.max(0, doc.frames.length - 1));
    $('video-controls').hidden = false;
    this.renderTracks();
    $('video-downloads').replaceChildren(
      ...(job.downloads ?? []).map((d) => {
        const a = h('a', { href: d.url, download: d.name, 'data-format': d.format });
        setText(a, () => t(`video.dl.${d.format as (typeof OUTPUTS)[number]}`));
        return h('li', {}, a);
      }),
    );
    this.seek(0);
  }

  private renderTracks(): void {
    const doc = this.doc;
    if (!doc) return;
    const list = $('video-tracks');
    const rows = trackRows(doc);
    if (!rows.length) {
      const li = h('li', { class: 'muted small' });
      setText(li, () => t('video.noTracks'));
      list.replaceChildren(li);
      return;
    }
    list.replaceChildren(
      ...rows.map(({ track, from_s, to_s }) => {
        const b = h(
          'button',
          { type: 'button', class: 'ghost', 'aria-pressed': String(this.highlighted === track.track_id), 'data-track': String(track.track_id) },
          h('span', { class: 'swatch', style: `background:${css(colorFor(track.track_id))}` }),
          `#${track.track_id} ${track.label}`,
          h('span', { class: 'span muted small' }, t('video.span', { from: seconds(from_s), to: seconds(to_s) })),
        );
        b.addEventListener('click', () => {
          this.highlighted = this.highlighted === track.track_id ? undefined : track.track_id;
          this.renderTracks();
          // show the track: jump to its first frame unless it is on screen now
          const f = doc.frames[this.shown];
          if (this.highlighted !== undefined && !f?.instances.some((i) => i.track_id === track.track_id)) this.seek(track.first_frame);
          else this.draw(this.shown, true);
        });
        return h('li', {}, b);
      }),
    );
  }

  private playLabel(): void {
    setText($('video-play'), () => t(this.player.paused ? 'video.play' : 'video.pause'));
  }

  private step(delta: number): void {
    this.player.pause();
    this.seek(Math.max(0, Math.min((this.doc?.frames.length ?? 1) - 1, this.shown + delta)));
  }

  /** Shows frame i: the player is seeked there and the masks drawn at once (not waiting for the seek). */
  private seek(i: number): void {
    const doc = this.doc;
    if (!doc || !doc.frames.length) return;
    this.draw(i);
    this.player.currentTime = seekTime(doc.frames, i, doc.video.fps);
  }

  private drawAt(time: number): void {
    if (this.doc) this.draw(frameAtTime(this.doc.frames, time));
  }

  /** While playing, redraw whenever the player shows a new frame. */
  private follow(): void {
    const v = this.player as HTMLVideoElement & { requestVideoFrameCallback?: (cb: (now: number, meta: { mediaTime: number }) => void) => number };
    const tick = (time: number) => {
      this.drawAt(time);
      if (v.paused || v.ended) return;
      if (v.requestVideoFrameCallback) v.requestVideoFrameCallback((_n, meta) => tick(meta.mediaTime));
      else requestAnimationFrame(() => tick(v.currentTime));
    };
    tick(v.currentTime);
  }

  private draw(i: number, force = false): void {
    const doc = this.doc;
    if (!doc || i < 0 || i >= doc.frames.length || (i === this.shown && !force)) return;
    this.shown = i;
    const frame = doc.frames[i];
    this.timeline.value = String(i);
    const out = $('video-frame');
    out.dataset.frame = String(i);
    setText(out, () => t('video.frame', { i: i + 1, n: doc.frames.length, time: seconds(frame.time_s) }));
    const { width: W, height: H } = doc.video;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(W, H);
    const px = img.data;
    for (const inst of frame.instances) {
      const m = decodeRle(inst.rle);
      const c = colorFor(inst.track_id);
      const a = Math.round(255 * tintAlpha(inst.track_id, this.highlighted));
      for (let p = 0; p < m.data.length; p++) {
        if (!m.data[p]) continue;
        const o = p * 4;
        px[o] = c[0];
        px[o + 1] = c[1];
        px[o + 2] = c[2];
        px[o + 3] = a;
      }
    }
    ctx.putImageData(img, 0, 0);
    ctx.font = `600 ${Math.max(11, Math.round(H / 28))}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    for (const inst of frame.instances) {
      if (this.highlighted !== undefined && inst.track_id !== this.highlighted) continue;
      const c = colorFor(inst.track_id);
      const label = `#${inst.track_id} ${doc.tracks.find((tr) => tr.track_id === inst.track_id)?.label ?? ''}`.trim();
      const [x, y] = inst.box;
      const w = ctx.measureText(label).width + 8;
      ctx.fillStyle = css(c);
      ctx.fillRect(x, y, w, Math.max(11, Math.round(H / 28)) + 6);
      ctx.fillStyle = inkOn(c);
      ctx.fillText(label, x + 4, y + 3);
    }
  }
}
