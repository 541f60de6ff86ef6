/** Notes under the result: unknown concepts with suggestions, why an engine was used, hidden count. */
import type { SegmentResult } from '@promptseg/shared';
import { t } from '../i18n/index.js';
import { h } from './dom.js';

export function renderNotes(box: HTMLElement, result: SegmentResult | undefined, hiddenByFilter: number, onSuggest: (concept: string, suggestion: string) => void): void {
  box.replaceChildren();
  if (!result) return;
  for (const c of result.concepts) {
    if (c.status !== 'unknown') continue;
    const note = h('div', { class: 'note', role: 'note' }, h('strong', {}, t('notes.unknown', { text: c.text })), c.message ?? '');
    if (c.suggestions?.length) {
      const row = h('div', { class: 'row wrap' }, h('span', { class: 'small' }, t('notes.try')));
      for (const s of c.suggestions.slice(0, 6)) {
        const b = h('button', { type: 'button', class: 'chip-btn' }, s);
        b.addEventListener('click', () => onSuggest(c.text, s));
        row.append(b);
      }
      note.append(row);
    }
    box.append(note);
  }
  const mapped = result.concepts.filter((c) => c.status === 'ok' && c.label && c.label.toLowerCase() !== c.text.toLowerCase());
  if (mapped.length) {
    box.append(h('p', { class: 'small muted' }, t('notes.lookedFor', { pairs: mapped.map((c) => `${c.text} → ${c.label}`).join('; ') })));
  }
  if (result.engine_reason) box.append(h('p', { class: 'small muted' }, t('notes.engine', { engine: result.engine, reason: result.engine_reason })));
  if (result.instances.length === 0) {
    box.append(h('p', { class: 'note' }, t('notes.nothing')));
  } else if (hiddenByFilter > 0) {
    box.append(h('p', { class: 'small muted', id: 'hidden-count' }, t('notes.hidden', { n: hiddenByFilter })));
  }
}
