/**
 * The page's language: English or 中文, for the page's own text (strings.ts). The choice is kept
 * in localStorage; with none saved, a browser that prefers Chinese starts in 中文. Works without
 * a DOM too (unit tests import modules that call t()): then it is English.
 */
import { HTML_LANG, LANGS, STRINGS, type Key, type Lang } from './strings.js';

export { LANG_NAMES, LANGS, type Key, type Lang } from './strings.js';

export const LANG_STORAGE = 'promptseg.lang';

export type Vars = Record<string, string | number>;

function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

function saved(): Lang | undefined {
  try {
    const v = globalThis.localStorage?.getItem(LANG_STORAGE);
    return isLang(v) ? v : undefined;
  } catch {
    return undefined; // storage blocked: the choice lasts for this page only
  }
}

function preferred(): Lang {
  const nav = (globalThis as { navigator?: { languages?: readonly string[]; language?: string } }).navigator;
  const wanted = nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : [];
  for (const l of wanted) {
    const base = l.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

let current: Lang = saved() ?? preferred();
const listeners = new Set<(lang: Lang) => void>();

export function lang(): Lang {
  return current;
}

/** The text of `key` in the current language, with `{name}` filled from `vars`. */
export function t(key: Key, vars: Vars = {}): string {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** One of two keys by count: `<key>.one` for 1, `<key>.many` otherwise. */
export function tn(key: 'status.done' | 'batch.done', n: number, vars: Vars = {}): string {
  return t((n === 1 ? `${key}.one` : `${key}.many`) as Key, { n, ...vars });
}

/**
 * Fills the static markup: `data-i18n="key"` sets the text, `data-i18n-attr="attr:key; attr:key"`
 * sets attributes (placeholder, aria-label, title), and the document's title and lang.
 */
export function applyStatic(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as Key);
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of (el.dataset.i18nAttr ?? '').split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key as Key));
    }
  }
  document.documentElement.lang = HTML_LANG[current];
  document.title = t('page.title');
}

/** Switches the language: saved, the markup refilled, then every listener re-renders its text. */
export function setLang(next: Lang): void {
  current = next;
  try {
    globalThis.localStorage?.setItem(LANG_STORAGE, next);
  } catch {
    // see saved()
  }
  applyStatic();
  for (const f of listeners) f(next);
}

export function onLangChange(f: (lang: Lang) => void): void {
  listeners.add(f);
}
