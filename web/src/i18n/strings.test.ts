import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { t, tn } from './index.js';
import { LANGS, STRINGS, type Key } from './strings.js';

const WEB = fileURLToPath(new URL('../../', import.meta.url));
const keys = Object.keys(STRINGS.en) as Key[];
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Strings that are a format only (numbers, names, punctuation): the same in both languages. */
const SAME_IN_BOTH = new Set<Key>(['file.info', 'batch.progress', 'history.item', 'video.file', 'video.span']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('the page text table', () => {
  it('has every key in both languages, non-empty, with the same placeholders', () => {
    for (const lang of LANGS) {
      expect(Object.keys(STRINGS[lang]).sort(), lang).toEqual([...keys].sort());
      for (const k of keys) {
        expect(STRINGS[lang][k].trim(), `${lang} ${k}`).not.toBe('');
        expect(placeholders(STRINGS[lang][k]), `${lang} ${k}`).toEqual(placeholders(STRINGS.en[k]));
      }
    }
  });

  it('the Chinese text is Chinese: every string with words is translated', () => {
    for (const k of keys) {
      if (SAME_IN_BOTH.has(k)) continue;
      expect(STRINGS.zh[k], k).not.toBe(STRINGS.en[k]);
      // words outside the placeholders are Chinese (Latin letters alone only for names like PNG, API, HTTP)
      const words = STRINGS.zh[k].replace(/\{\w+\}/g, '');
      expect(words, k).toMatch(/[\u4e00-\u9fff\uff00-\uffef]|^[^A-Za-z]*$/);
    }
  });

  it('every key the markup names (data-i18n, data-i18n-attr) exists', () => {
    const html = readFileSync(join(WEB, 'index.html'), 'utf8');
    const named = [...html.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1]);
    for (const m of html.matchAll(/data-i18n-attr="([^"]+)"/g)) named.push(...m[1].split(';').map((p) => p.split(':')[1].trim()));
    expect(named.length).toBeGreaterThan(50);
    expect(named.filter((k) => !(k in STRINGS.en))).toEqual([]);
  });

  it('the markup has no English text outside data-i18n (besides names that are the same in every language)', () => {
    const html = readFileSync(join(WEB, 'index.html'), 'utf8').replace(/<title>[^<]*<\/title>/, '');
    const bare = [...html.matchAll(/<(\w+)([^>]*)>([^<]*[A-Za-z][^<]*)</g)].filter(([, , attrs]) => !attrs.includes('data-i18n=')).map((m) => m[3].trim());
    expect(bare.filter((text) => !['English', 'JSON', '.npy', 'promptseg'].includes(text))).toEqual([]);
    // a user-facing attribute with words is filled by data-i18n-attr (the key format psk_… is not words)
    const attrs = [...html.matchAll(/<[^>]*\s(placeholder|aria-label|title)="([^"]*[A-Za-z][^"]*)"[^>]*>/g)].filter((m) => m[2] !== 'psk_…' && !m[0].includes(`${m[1]}: `));
    expect(attrs.map((m) => m[0])).toEqual([]);
  });

  it('every key the code asks for exists', () => {
    const used = new Set<string>();
    for (const file of sources(join(WEB, 'src'))) {
      const code = readFileSync(file, 'utf8');
      for (const m of code.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(m[1]);
      for (const m of code.matchAll(/\btn\(\s*'([^']+)'/g)) used.add(`${m[1]}.one`).add(`${m[1]}.many`);
    }
    // keys built from a value: the batch states
    for (const s of ['waiting', 'uploading', 'queued', 'running', 'done', 'failed']) used.add(`batch.state.${s}`);
    expect(used.size).toBeGreaterThan(80);
    expect([...used].filter((k) => !(k in STRINGS.en))).toEqual([]);
  });

  it('t() fills placeholders and tn() picks one / many (English without a DOM)', () => {
    expect(t('status.running', { seconds: '1.5' })).toBe('Running… 1.5 s');
    expect(t('file.tooBig', { name: 'a.png' })).toBe('“a.png” is {size}, above the upload limit of {limit}.');
    expect(tn('status.done', 1)).toBe('1 shown');
    expect(tn('status.done', 3)).toBe('3 shown');
  });
});

describe('service errors in the page', () => {
  it('every code the page words itself has a message and hint in both languages, with no CLI flag or variable', async () => {
    const { PAGE_WORDED } = await import('./errors.js');
    const { ERROR_CODES } = await import('@promptseg/shared');
    for (const code of PAGE_WORDED) {
      expect(ERROR_CODES as readonly string[]).toContain(code);
      for (const lang of LANGS) {
        for (const k of [`err.${code}`, `err.${code}.hint`] as Key[]) {
          expect(STRINGS[lang][k], `${lang} ${k}`).toBeTruthy();
          expect(STRINGS[lang][k]).not.toMatch(/--[a-z]|PROMPTSEG_|npm |promptseg /);
        }
      }
    }
  });
});
