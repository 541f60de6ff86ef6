/**
 * The image with its masks: one canvas at the stage's working size, a cached RGBA layer per
 * instance (translucent fill + outline), hover/selection emphasis, refinement points, and the
 * compare split (masks left of the split, original right of it).
 */
import type { PointPrompt } from '@promptseg/shared';
import { t } from '../i18n/index.js';
import { css } from '../result/colors.js';
import { hitTest, type Item } from '../result/items.js';
import { layerPixels, stageSize } from '../result/layers.js';

const FILL_ALPHA = 100;

export interface StageEvents {
  hover(item: Item | undefined, clientX: number, clientY: number): void;
  /** A click on the image with nothing selected. */
  pick(item: Item | undefined): void;
  /** A click with an instance selected: a refinement point, in full-image pixels. */
  point(p: PointPrompt): void;
}

export class Stage {
  readonly canvas: HTMLCanvasElement;
  private ctx: CanvasRenderingContext2D;
  private bitmap?: ImageBitmap;
  width = 0;
  height = 0;
  scale = 1;
  private layers = new WeakMap<Item['inst'], HTMLCanvasElement>();
  visible: Item[] = [];
  hovered?: Item;
  selected?: Item;
  points: PointPrompt[] = [];
  /** 0..1: share of the width (from the left) that shows masks. */
  split = 1;
  original = false;

  constructor(canvas: HTMLCanvasElement, private readonly events: StageEvents) {
    this.canvas = canvas;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error(t('canvas.unavailable'));
    this.ctx = ctx;
    canvas.addEventListener('pointermove', (e) => {
      const it = this.itemAt(e);
      this.events.hover(it, e.clientX, e.clientY);
    });
    canvas.addEventListener('pointerleave', (e) => this.events.hover(undefined, e.clientX, e.clientY));
    canvas.addEventListener('click', (e) => this.onClick(e, !e.altKey));
    canvas.addEventListener('contextmenu', (e) => {
      if (!this.selected) return;
      e.preventDefault(); // right-click = negative point, not the browser menu
      this.onClick(e, false);
    });
  }

  setImage(bitmap: ImageBitmap | undefined): void {
    this.bitmap = bitmap;
    const s = bitmap ? stageSize(bitmap.width, bitmap.height) : { width: 0, height: 0, scale: 1 };
    this.width = s.width;
    this.height = s.height;
    this.scale = s.scale;
    this.canvas.width = s.width;
    this.canvas.height = s.height;
    this.layers = new WeakMap();
    this.visible = [];
    this.hovered = this.selected = undefined;
    this.points = [];
    this.draw();
  }

  private stageXY(e: MouseEvent): { x: number; y: number } | undefined {
    const r = this.canvas.getBoundingClientRect();
    if (!r.width || !r.height) return undefined;
    const x = Math.floor(((e.clientX - r.left) / r.width) * this.width);
    const y = Math.floor(((e.clientY - r.top) / r.height) * this.height);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return undefined;
    return { x, y };
  }

  private itemAt(e: MouseEvent): Item | undefined {
    const p = this.stageXY(e);
    return p ? hitTest(this.visible, p.x, p.y, this.width) : undefined;
  }

  private onClick(e: MouseEvent, positive: boolean): void {
    const p = this.stageXY(e);
    if (!p) return;
    if (this.selected) {
      // centre of the stage pixel, in full-image pixels
      this.events.point({ x: Math.round((p.x + 0.5) / this.scale), y: Math.round((p.y + 0.5) / this.scale), positive });
    } else {
      this.events.pick(hitTest(this.visible, p.x, p.y, this.width));
    }
  }

  private layer(it: Item): HTMLCanvasElement {
    let c = this.layers.get(it.inst);
    if (!c) {
      c = document.createElement('canvas');
      c.width = this.width;
      c.height = this.height;
      const img = new ImageData(layerPixels(it.small, this.width, this.height, it.color, FILL_ALPHA), this.width, this.height);
      c.getContext('2d')?.putImageData(img, 0, 0);
      this.layers.set(it.inst, c);
    }
    return c;
  }

  draw(): void {
    const { ctx, width: w, height: h } = this;
    ctx.clearRect(0, 0, w, h);
    if (!this.bitmap) return;
    ctx.drawImage(this.bitmap, 0, 0, w, h);
    const splitX = this.original ? 0 : Math.round(this.split * w);
    if (splitX > 0) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(0, 0, splitX, h);
      ctx.clip();
      const focus = this.hovered ?? this.selected;
      // largest first, so a face or a shirt stays visible on top of its person (as hit-testing
      // picks the smallest mask under the pointer)
      for (const it of [...this.visible].sort((a, b) => b.inst.area - a.inst.area)) {
        const emph = it === this.hovered || it === this.selected;
        ctx.globalAlpha = focus && !emph ? 0.6 : 1;
        ctx.drawImage(this.layer(it), 0, 0);
        if (emph) ctx.drawImage(this.layer(it), 0, 0); // a second pass deepens the fill
      }
      ctx.globalAlpha = 1;
      if (this.selected) this.drawBox(this.selected);
      this.drawPoints();
      ctx.restore();
    }
    if (splitX > 0 && splitX < w) {
      ctx.fillStyle = '#fff';
      ctx.fillRect(splitX - 1, 0, 2, h);
    }
  }

  private drawBox(it: Item): void {
    const [x, y, bw, bh] = it.inst.box.map((v) => v * this.scale);
    const { ctx } = this;
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 4]);
    ctx.strokeStyle = '#000';
    ctx.strokeRect(x, y, bw, bh);
    ctx.strokeStyle = css(it.color);
    ctx.lineDashOffset = 5;
    ctx.strokeRect(x, y, bw, bh);
    ctx.setLineDash([]);
    ctx.lineDashOffset = 0;
  }

  private drawPoints(): void {
    const { ctx } = this;
    const r = Math.max(6, Math.round(Math.max(this.width, this.height) / 80));
    for (const p of this.points) {
      const x = p.x * this.scale, y = p.y * this.scale;
      ctx.beginPath();
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.fillStyle = p.positive ? '#1db954' : '#e0245e';
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = '#fff';
      ctx.stroke();
      ctx.fillStyle = '#fff';
      ctx.fillRect(x - r / 2, y - 1, r, 2); // minus sign
      if (p.positive) ctx.fillRect(x - 1, y - r / 2, 2, r); // plus sign
    }
  }
}
