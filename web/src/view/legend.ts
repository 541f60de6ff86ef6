/**
 * The legend: instances grouped by concept (in prompt order), best score first within a group,
 * each row numbered as on the image's tags ("person 2") — visibility toggle, colour with its
 * number, label, score, area. Hovering or focusing a row highlights its mask; its label button
 * selects it.
 */
import { t } from '../i18n/index.js';
import { css } from '../result/colors.js';
import { itemName, type Item } from '../result/items.js';
import { h } from './dom.js';

export interface LegendEvents {
  hover(item: Item | undefined): void;
  select(item: Item): void;
  toggle(item: Item, visible: boolean): void;
}

/** Rows grouped by concept: groups in the order of `conceptOrder` (then first appearance), rows by score. */
export function groupByConcept(rows: readonly Item[], conceptOrder: readonly string[]): { concept: string; items: Item[] }[] {
  const groups = new Map<string, Item[]>();
  for (const c of conceptOrder) groups.set(c, []);
  for (const it of [...rows].sort((a, b) => b.inst.score - a.inst.score)) {
    const key = it.inst.concept || it.inst.label;
    groups.set(key, [...(groups.get(key) ?? []), it]);
  }
  return [...groups].filter(([, items]) => items.length).map(([concept, items]) => ({ concept, items }));
}

export function renderLegend(table: HTMLTableElement, body: HTMLElement, rows: readonly Item[], conceptOrder: readonly string[], hidden: ReadonlySet<number>, selected: Item | undefined, imageArea: number, ev: LegendEvents): void {
  body.replaceChildren();
  table.hidden = rows.length === 0;
  for (const g of groupByConcept(rows, conceptOrder)) {
    const labels = [...new Set(g.items.map((i) => i.inst.label))].join(', ');
    const head = g.concept === labels ? labels : `${g.concept} → ${labels}`;
    body.append(h('tr', { class: 'group' }, h('td', { colspan: '4' }, h('strong', {}, t('legend.group', { label: head, n: g.items.length })))));
    for (const it of g.items) body.append(row(it, hidden, selected, imageArea, ev));
  }
}

function row(it: Item, hidden: ReadonlySet<number>, selected: Item | undefined, imageArea: number, ev: LegendEvents): HTMLTableRowElement {
  const { inst } = it;
  const shown = !hidden.has(it.index);
  const name = itemName(it);
  const toggle = h('input', { type: 'checkbox', 'aria-label': t('legend.toggle', { label: name, score: inst.score.toFixed(2) }), checked: shown });
  toggle.addEventListener('change', () => ev.toggle(it, toggle.checked));
  const pick = h(
    'button',
    { type: 'button', class: 'pick', 'aria-pressed': String(it === selected), title: inst.why?.formula },
    h('span', { class: 'swatch', 'aria-hidden': 'true', style: `background:${css(it.color)};color:${it.ink}` }, String(it.n)),
    name,
    inst.concept && inst.concept !== inst.label ? h('span', { class: 'muted small' }, ` (${inst.concept})`) : undefined,
  );
  pick.addEventListener('click', () => ev.select(it));
  const pct = imageArea ? (100 * inst.area) / imageArea : 0;
  const tr = h(
    'tr',
    { class: [it === selected ? 'selected' : '', shown ? '' : 'off'].join(' ').trim() || undefined, 'data-index': String(it.index), 'data-id': String(inst.id), 'data-label': inst.label, 'data-score': String(inst.score), 'data-area': String(inst.area), 'data-color': it.color.join(',') },
    h('td', {}, toggle),
    h('td', {}, pick),
    h('td', { class: 'num score' }, inst.score.toFixed(2)),
    h('td', { class: 'num', title: `${inst.area.toLocaleString()} px` }, `${pct < 0.1 ? '<0.1' : pct.toFixed(1)}%`),
  );
  tr.addEventListener('pointerenter', () => ev.hover(it));
  tr.addEventListener('pointerleave', () => ev.hover(undefined));
  tr.addEventListener('focusin', () => ev.hover(it));
  tr.addEventListener('focusout', () => ev.hover(undefined));
  return tr;
}
