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

/** Shows a {message, hint} error in a role=alert element, or hides it. */
export function showError(el: HTMLElement, e?: { message: string; hint?: string }): void {
  el.replaceChildren();
  if (!e) {
    el.hidden = true;
    return;
  }
  el.append(h('strong', {}, e.message));
  if (e.hint) el.append(' ', h('span', { class: 'hint' }, e.hint));
  el.hidden = false;
}

export function toMessage(e: unknown): { message: string; hint?: string } {
  if (e && typeof e === 'object' && 'message' in e) {
    const o = e as { message: unknown; hint?: unknown };
    return { message: String(o.message), hint: typeof o.hint === 'string' ? o.hint : undefined };
  }
  return { message: String(e) };
}
