/**
 * Vite build of the page. `base: './'` makes the output work from any path (local mode's `/`,
 * an S3/CloudFront static site). The API URL is injected at build time from PROMPTSEG_API_URL
 * (production); empty = same origin (local mode serves page and API on one port).
 */
import { defineConfig } from 'vite';

const devApi = process.env.PROMPTSEG_API ?? 'http://127.0.0.1:7860';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  define: {
    __PROMPTSEG_API_URL__: JSON.stringify(process.env.PROMPTSEG_API_URL ?? ''),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    rollupOptions: {
      // zod's sources carry comments Rollup cannot place; harmless, and noise in every build
      onwarn(w, warn) {
        if (w.code !== 'INVALID_ANNOTATION') warn(w);
      },
    },
  },
  server: {
    host: '127.0.0.1',
    // `npm run dev -w web`: local mode's API behind the dev server (PROMPTSEG_API if it runs elsewhere)
    proxy: { '/v1': devApi, '/local': devApi },
  },
});
