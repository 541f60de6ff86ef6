/**
 * Boot: API key (saved in this browser, or local mode's dev key), service health and engines,
 * tabs, paste routing, then the two views.
 */
import './styles.css';
import { ApiClient } from './api/client.js';
import type { EngineInfo, Health } from './api/types.js';
import { KeyStore } from './apikey.js';
import { API_BASE } from './config.js';
import { BatchView } from './batch.js';
import { SingleView } from './single.js';
import { $ } from './view/dom.js';

const keys = new KeyStore();
const api = new ApiClient(() => keys.current());
const single = new SingleView(api);
const batch = new BatchView(api);

/** Engines when the service does not list them: lite ships with promptseg, sam3 is a download. */
const FALLBACK_ENGINES: EngineInfo[] = [
  { id: 'auto', installed: true },
  { id: 'lite', installed: true },
  { id: 'sam3', installed: false, hint: 'sam3 (open vocabulary) needs its model files on the service (README, “Open vocabulary with SAM 3”: promptseg models pull sam3); auto uses it once they are there.' },
];

function wireTabs(): void {
  const tabs = [$('tab-single'), $('tab-batch')];
  const show = (tab: HTMLElement) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls') ?? '').hidden = !on;
    }
  };
  tabs.forEach((t, i) => {
    t.addEventListener('click', () => show(t));
    t.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      show(next);
      next.focus();
    });
  });
}

function wirePaste(): void {
  document.addEventListener('paste', (e) => {
    const files = [...(e.clipboardData?.files ?? [])];
    if (!files.length) return; // text pastes go to the focused input as usual
    e.preventDefault();
    if (!$('panel-batch').hidden) batch.add(files);
    else void single.load(files[0]);
  });
}

function wireKey(): void {
  const input = $<HTMLInputElement>('api-key');
  const state = $('key-state');
  const show = () => {
    input.value = keys.current();
    state.textContent = keys.describe();
  };
  $<HTMLFormElement>('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    keys.save(input.value.trim());
    show();
  });
  $('key-forget').addEventListener('click', () => {
    keys.save('');
    show();
  });
  $('api-where').textContent = `Service: ${API_BASE || location.origin}`;
  show();
  void api.localDevKey().then((k) => {
    if (!k) {
      if (!keys.current()) ($('key-box') as HTMLDetailsElement).open = true; // production: ask for a key
      return;
    }
    keys.devKey = k;
    show();
  });
}

async function wireHealth(): Promise<void> {
  let health: Health | undefined;
  try {
    health = await api.health();
  } catch {
    // shown on first use (upload/run) with the service's own message
  }
  const engines = health?.engines?.length ? health.engines : FALLBACK_ENGINES;
  single.setEngines(engines.some((e) => e.id === 'auto') ? engines : [{ id: 'auto', installed: true }, ...engines]);
  if (health?.max_upload_bytes) single.maxBytes = batch.maxBytes = health.max_upload_bytes;
}

wireTabs();
wirePaste();
wireKey();
void wireHealth();
