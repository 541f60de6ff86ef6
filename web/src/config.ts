/**
 * Build-time and fixed settings of the page. The API base URL is injected at build time
 * (PROMPTSEG_API_URL, see vite.config.ts); empty means "same origin", which is how local mode
 * serves the page and the API together on one port.
 */
declare const __PROMPTSEG_API_URL__: string | undefined;

export const API_BASE: string = (typeof __PROMPTSEG_API_URL__ === 'string' ? __PROMPTSEG_API_URL__ : '').replace(/\/+$/, '');

/** Image types the browser can draw on a canvas AND the service decodes. */
export const ACCEPTED_TYPES: Record<string, string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
  'image/avif': 'AVIF',
};

/** Used until the service says otherwise (GET /v1/health may carry the upload limit). */
export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** Every job asks for everything down to this score; the page filters by the slider. */
export const REQUEST_THRESHOLD = 0.1;

export const SAMPLES = ['coffee.png', 'astronaut.png', 'chelsea.png', 'rocket.jpg', 'horse.png'] as const;

export const KEY_STORAGE = 'promptseg.apiKey';
