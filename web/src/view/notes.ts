/**
 * Notes beside the result: unknown concepts with clickable suggestions, and which word each
 * concept was looked up as. How many are shown or hidden is the status line's job (single.ts);
 * the engine's reason (operator text) is not repeated here.
 */
import type { SegmentResult } from '@promptseg/shared';
import { t } from '../i18n/index.js';
import { h } from './dom.js';

export function renderNotes(box: HTMLElement, result: SegmentResult | undefined, onSuggest: (concept: string, suggestion: string) => void): void {
  box.replaceChildren();
  if (!result) return;
  for (const c of result.concepts) {
    if (c.status !== 'unknown') continue;
    const note = h('div', { class: 'note', role: 'note' }, h('strong', {}, t('notes.unknown', { text: c.text })));
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
}
