/** Tiny DOM helpers: typed look-ups and element building without innerHTML (no injection). */
export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
}

type Child = Node | string | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== undefined && c !== false) el.append(c);
  return el;
}

export interface ErrorText {
  message: string;
  hint?: string;
}

/**
 * Text that follows the language switch: the element's text (or error) is made by a function,
 * run now and again by relabelLive() when the language changes.
 */
const liveTexts = new Map<HTMLElement, () => string>();
const liveErrors = new Map<HTMLElement, () => ErrorText>();

export function setText(el: HTMLElement, text: () => string): void {
  liveTexts.set(el, text);
  el.textContent = text();
}

function renderError(el: HTMLElement, e: ErrorText | undefined): void {
  el.replaceChildren();
  if (!e) {
    el.hidden = true;
    return;
  }
  el.append(h('strong', {}, e.message));
  if (e.hint) el.append(' ', h('span', { class: 'hint' }, e.hint));
  el.hidden = false;
}

/**
 * Shows a {message, hint} error in a role=alert element, or hides it. Pass a function for an
 * error the page words itself (so it is re-worded on a language switch); the service's own
 * errors are passed as they came.
 */
export function showError(el: HTMLElement, e?: ErrorText | (() => ErrorText)): void {
  liveErrors.delete(el);
  if (typeof e === 'function') liveErrors.set(el, e);
  renderError(el, typeof e === 'function' ? e() : e);
}

/** Re-runs every live text and error (after a language switch); drops removed elements. */
export function relabelLive(): void {
  for (const [el, text] of liveTexts) {
    if (el.isConnected) el.textContent = text();
    else liveTexts.delete(el);
  }
  for (const [el, err] of liveErrors) {
    if (el.isConnected && !el.hidden) renderError(el, err());
    else liveErrors.delete(el);
  }
}

export function toMessage(e: unknown): ErrorText {
  if (e && typeof e === 'object' && 'message' in e) {
    const o = e as { message: unknown; hint?: unknown };
    return { message: String(o.message), hint: typeof o.hint === 'string' ? o.hint : undefined };
  }
  return { message: String(e) };
}
