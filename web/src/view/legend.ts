/**
 * The legend: one row per shown instance, best score first — visibility toggle, colour, label,
 * score, area. Hovering or focusing a row highlights its mask; its label button selects it.
 */
import { t } from '../i18n/index.js';
import { css } from '../result/colors.js';
import type { Item } from '../result/items.js';
import { h } from './dom.js';

export interface LegendEvents {
  hover(item: Item | undefined): void;
  select(item: Item): void;
  toggle(item: Item, visible: boolean): void;
}

export function renderLegend(table: HTMLTableElement, body: HTMLElement, rows: readonly Item[], hidden: ReadonlySet<number>, selected: Item | undefined, imageArea: number, ev: LegendEvents): void {
  body.replaceChildren();
  table.hidden = rows.length === 0;
  for (const it of rows) {
    const { inst } = it;
    const shown = !hidden.has(it.index);
    const toggle = h('input', { type: 'checkbox', 'aria-label': t('legend.toggle', { label: inst.label, score: inst.score.toFixed(2) }), checked: shown });
    toggle.addEventListener('change', () => ev.toggle(it, toggle.checked));
    const pick = h(
      'button',
      { type: 'button', class: 'pick', 'aria-pressed': String(it === selected), title: inst.why?.formula },
      h('span', { class: 'swatch', 'aria-hidden': 'true', style: `background:${css(it.color)}` }),
      inst.label,
      inst.concept && inst.concept !== inst.label ? h('span', { class: 'muted small' }, ` (${inst.concept})`) : undefined,
    );
    pick.addEventListener('click', () => ev.select(it));
    const pct = imageArea ? (100 * inst.area) / imageArea : 0;
    const row = h(
      'tr',
      { class: [it === selected ? 'selected' : '', shown ? '' : 'off'].join(' ').trim() || undefined, 'data-index': String(it.index), 'data-label': inst.label, 'data-score': String(inst.score), 'data-area': String(inst.area) },
      h('td', {}, toggle),
      h('td', {}, pick),
      h('td', { class: 'num score' }, inst.score.toFixed(2)),
      h('td', { class: 'num', title: `${inst.area.toLocaleString()} px` }, `${pct < 0.1 ? '<0.1' : pct.toFixed(1)}%`),
    );
    row.addEventListener('pointerenter', () => ev.hover(it));
    row.addEventListener('pointerleave', () => ev.hover(undefined));
    row.addEventListener('focusin', () => ev.hover(it));
    row.addEventListener('focusout', () => ev.hover(undefined));
    body.append(row);
  }
}
