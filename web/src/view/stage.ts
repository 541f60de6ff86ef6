/**
 * The image with its masks: one canvas at the stage's working size, two cached layers per
 * instance (its fill in full colour, drawn at the opacity slider's alpha, and its outline, always
 * opaque), hover/selection emphasis, refinement points, a keyboard cursor, and the compare split
 * (masks left of the split, original right of it). What a click means is decided by the view.
 */
import type { PointPrompt } from '@promptseg/shared';
import { t } from '../i18n/index.js';
import { css } from '../result/colors.js';
import { hitTest, type Item } from '../result/items.js';
import { layerPixels, stageSize } from '../result/layers.js';

export interface StageClick {
  /** Stage pixel. */
  x: number;
  y: number;
  /** Right button or Alt: a negative point. */
  negative: boolean;
  /** Shift: cycle through the masks under the pointer. */
  cycle: boolean;
}

export interface StageEvents {
  hover(item: Item | undefined, clientX: number, clientY: number): void;
  click(c: StageClick): void;
  /** Keyboard on the focused image: the cursor moved, Enter (select / next), + / − (a point). */
  key(action: 'move' | 'select' | 'add' | 'remove', x: number, y: number): void;
}

interface Layers {
  fill: HTMLCanvasElement;
  edge: HTMLCanvasElement;
}

export class Stage {
  readonly canvas: HTMLCanvasElement;
  private ctx: CanvasRenderingContext2D;
  private bitmap?: ImageBitmap;
  width = 0;
  height = 0;
  scale = 1;
  private layers = new WeakMap<Item['inst'], Layers>();
  visible: Item[] = [];
  hovered?: Item;
  selected?: Item;
  points: PointPrompt[] = [];
  /** 0..1: share of the width (from the left) that shows masks. */
  split = 1;
  original = false;
  /** 0..1: fill opacity (0 with "outlines only"). */
  opacity = 0.45;
  /** Keyboard cursor, in stage pixels (shown while the canvas has focus). */
  cursor?: { x: number; y: number };

  constructor(canvas: HTMLCanvasElement, private readonly events: StageEvents) {
    this.canvas = canvas;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error(t('canvas.unavailable'));
    this.ctx = ctx;
    canvas.addEventListener('pointermove', (e) => this.events.hover(this.itemAt(e), e.clientX, e.clientY));
    canvas.addEventListener('pointerleave', (e) => this.events.hover(undefined, e.clientX, e.clientY));
    canvas.addEventListener('click', (e) => this.onClick(e, e.altKey));
    canvas.addEventListener('contextmenu', (e) => {
      if (!this.selected) return;
      e.preventDefault(); // right-click = negative point, not the browser menu
      this.onClick(e, true);
    });
    canvas.addEventListener('keydown', (e) => this.onKey(e));
    canvas.addEventListener('focus', () => {
      this.cursor ??= { x: Math.floor(this.width / 2), y: Math.floor(this.height / 2) };
      this.draw();
    });
    canvas.addEventListener('blur', () => this.draw());
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
    this.cursor = undefined;
    this.draw();
  }

  /** The image alone at the stage size (RGBA), for choosing mask colours against it. */
  imagePixels(): Uint8ClampedArray | undefined {
    if (!this.bitmap || !this.width) return undefined;
    const c = document.createElement('canvas');
    c.width = this.width;
    c.height = this.height;
    const ctx = c.getContext('2d', { willReadFrequently: true });
    ctx?.drawImage(this.bitmap, 0, 0, this.width, this.height);
    return ctx?.getImageData(0, 0, this.width, this.height).data;
  }

  /** Stage pixel → full-image pixel (the centre of the stage pixel). */
  toImage(x: number, y: number): { x: number; y: number } {
    return { x: Math.round((x + 0.5) / this.scale), y: Math.round((y + 0.5) / this.scale) };
  }

  /** Stage pixel → client coordinates (for the tooltip at the keyboard cursor). */
  toClient(x: number, y: number): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: r.left + ((x + 0.5) / this.width) * r.width, y: r.top + ((y + 0.5) / this.height) * r.height };
  }

  private stageXY(e: MouseEvent): { x: number; y: number } | undefined {
    const r = this.canvas.getBoundingClientRect();
    if (!r.width || !r.height) return undefined;
    const x = Math.floor(((e.clientX - r.left) / r.width) * this.width);
    const y = Math.floor(((e.clientY - r.top) / r.height) * this.height);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return undefined;
    return { x, y };
  }

  itemAt(e: MouseEvent): Item | undefined {
    const p = this.stageXY(e);
    return p ? hitTest(this.visible, p.x, p.y, this.width) : undefined;
  }

  private onClick(e: MouseEvent, negative: boolean): void {
    const p = this.stageXY(e);
    if (p) this.events.click({ ...p, negative, cycle: e.shiftKey });
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.width) return;
    const c = (this.cursor ??= { x: Math.floor(this.width / 2), y: Math.floor(this.height / 2) });
    const step = Math.max(1, Math.round(Math.max(this.width, this.height) / 50)) * (e.shiftKey ? 5 : 1);
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const m = moves[e.key];
    if (m) {
      c.x = Math.min(this.width - 1, Math.max(0, c.x + m[0]));
      c.y = Math.min(this.height - 1, Math.max(0, c.y + m[1]));
      this.events.key('move', c.x, c.y);
    } else if (e.key === 'Enter' || e.key === ' ') {
      this.events.key('select', c.x, c.y);
    } else if (e.key === '+' || e.key === '=') {
      this.events.key('add', c.x, c.y);
    } else if (e.key === '-' || e.key === '_') {
      this.events.key('remove', c.x, c.y);
    } else {
      return;
    }
    e.preventDefault();
    this.draw();
  }

  private layer(it: Item): Layers {
    let l = this.layers.get(it.inst);
    if (!l) {
      // layerPixels: the inside at `alpha`, the outline opaque — 255 gives the whole mask, 0 the outline alone
      const make = (alpha: number) => {
        const c = document.createElement('canvas');
        c.width = this.width;
        c.height = this.height;
        c.getContext('2d')?.putImageData(new ImageData(layerPixels(it.small, this.width, this.height, it.color, alpha), this.width, this.height), 0, 0);
        return c;
      };
      l = { fill: make(255), edge: make(0) };
      this.layers.set(it.inst, l);
    }
    return l;
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
      // largest first, so a face or a shirt stays visible on top of its person (as a click
      // picks the smallest mask under the pointer)
      for (const it of [...this.visible].sort((a, b) => b.inst.area - a.inst.area)) {
        const emph = it === this.hovered || it === this.selected;
        const l = this.layer(it);
        const fill = emph ? Math.min(0.85, Math.max(this.opacity, 0.15) + 0.2) : focus ? this.opacity * 0.5 : this.opacity;
        if (fill > 0) {
          ctx.globalAlpha = fill;
          ctx.drawImage(l.fill, 0, 0);
        }
        ctx.globalAlpha = focus && !emph ? 0.6 : 1;
        ctx.drawImage(l.edge, 0, 0);
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
    if (this.cursor && document.activeElement === this.canvas) this.drawCursor(this.cursor);
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

  private drawCursor(c: { x: number; y: number }): void {
    const { ctx } = this;
    const r = Math.max(8, Math.round(Math.max(this.width, this.height) / 60));
    for (const [color, width] of [['#000', 4], ['#fff', 2]] as const) {
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.arc(c.x + 0.5, c.y + 0.5, r, 0, Math.PI * 2);
      ctx.moveTo(c.x + 0.5 - r * 1.6, c.y + 0.5);
      ctx.lineTo(c.x + 0.5 - r * 0.5, c.y + 0.5);
      ctx.moveTo(c.x + 0.5 + r * 0.5, c.y + 0.5);
      ctx.lineTo(c.x + 0.5 + r * 1.6, c.y + 0.5);
      ctx.moveTo(c.x + 0.5, c.y + 0.5 - r * 1.6);
      ctx.lineTo(c.x + 0.5, c.y + 0.5 - r * 0.5);
      ctx.moveTo(c.x + 0.5, c.y + 0.5 + r * 0.5);
      ctx.lineTo(c.x + 0.5, c.y + 0.5 + r * 1.6);
      ctx.stroke();
    }
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
