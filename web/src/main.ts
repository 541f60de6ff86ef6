/**
 * Boot: the page's language (its static text first, so nothing flashes in the other language),
 * API key (saved in this browser, or local mode's dev key), service health and engines, tabs,
 * paste routing, then the three views (image, batch, video).
 */
import './styles.css';
import { ApiClient } from './api/client.js';
import type { EngineInfo, Health } from './api/types.js';
import { KeyStore } from './apikey.js';
import { API_BASE } from './config.js';
import { BatchView } from './batch.js';
import { applyStatic, lang, LANGS, onLangChange, setLang, t, type Lang } from './i18n/index.js';
import { listRuns, saveRun, type SavedRun } from './session.js';
import { SingleView } from './single.js';
import { VideoView } from './video/view.js';
import { $, h, relabelLive, setText } from './view/dom.js';

applyStatic();

const keys = new KeyStore();
const api = new ApiClient(() => keys.current());
const single = new SingleView(api);
const batch = new BatchView(api);
const video = new VideoView(api);

/** Engines when the service does not list them: lite ships with promptseg, sam3 is a download (the page's hint: engine.sam3.hint). */
const FALLBACK_ENGINES: EngineInfo[] = [
  { id: 'auto', installed: true },
  { id: 'lite', installed: true },
  { id: 'sam3', installed: false },
];

/** The English / 中文 switch in the header: two toggle buttons in a labelled group. */
function wireLanguage(): void {
  const buttons = [...document.querySelectorAll<HTMLButtonElement>('.lang button[data-lang]')];
  const show = () => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.lang === lang()));
  };
  for (const b of buttons) {
    b.addEventListener('click', () => {
      const next = b.dataset.lang;
      if (next && next !== lang() && (LANGS as readonly string[]).includes(next)) setLang(next as Lang);
    });
  }
  onLangChange(() => {
    show();
    relabelLive();
    single.relabel();
    batch.relabel();
    video.relabel();
  });
  show();
}

function wireTabs(): void {
  const tabs = [$('tab-single'), $('tab-batch'), $('tab-video')];
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
    setText(state, () => keys.describe());
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
  setText($('api-where'), () => t('key.where', { url: API_BASE || location.origin }));
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
  if (health?.max_video_upload_bytes) video.maxBytes = health.max_video_upload_bytes;
  if (health?.max_pixels) single.maxPixels = batch.maxPixels = health.max_pixels;
}

/** The last run comes back after a reload; "Recent runs" brings back any of the last few (session.ts). */
async function wireSession(): Promise<void> {
  const list = $('history-list');
  const restore = async (run: SavedRun) => {
    if (await single.load(new File([run.image], run.name, { type: run.type }))) single.restoreResult(run.result, run.prompt);
  };
  const render = async () => {
    const runs = await listRuns();
    $('history').hidden = runs.length === 0;
    list.replaceChildren(
      ...runs.map((run) => {
        const b = h('button', { type: 'button', title: new Date(run.at).toLocaleString() }, t('history.item', { name: run.name, prompt: run.prompt }));
        b.addEventListener('click', () => void restore(run));
        return h('li', {}, b);
      }),
    );
    return runs;
  };
  single.onResult = (pic, prompt, result) => void saveRun({ at: Date.now(), name: pic.name, type: pic.file.type, image: pic.file, prompt, result }).then(render);
  const runs = await render();
  if (runs[0] && !single.hasPicture) await restore(runs[0]); // unless the user was quicker
}

wireLanguage();
wireTabs();
wirePaste();
wireKey();
void wireHealth().then(wireSession);
