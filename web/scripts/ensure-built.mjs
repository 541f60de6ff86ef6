#!/usr/bin/env node
/**
 * Builds the page into web/dist when its sources changed since the last build, so a fresh clone's
 * `npm start` (root `prestart`) and the page tests always serve the current page, and an
 * unchanged tree costs only a hash of the sources (~tens of ms).
 *
 * The fingerprint covers everything that goes into the bundle: web/index.html, web/src,
 * web/public, web/vite.config.ts, packages/shared/src (bundled into the page), the API URL baked
 * in at build time, and the vite version. The build goes to a temporary folder that replaces
 * web/dist only when complete, so a concurrent reader never sees a half-written page.
 *
 * Usage: node web/scripts/ensure-built.mjs [--force]
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = dirname(dirname(fileURLToPath(import.meta.url)));
const ROOT = dirname(WEB);
const DIST = join(WEB, 'dist');
const STAMP = '.build-fingerprint';

function* files(path) {
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (st.isFile()) {
    yield path;
    return;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === 'node_modules' || name.endsWith('.test.ts')) continue;
    yield* files(join(path, name));
  }
}

export function fingerprint() {
  const h = createHash('sha256');
  const inputs = [join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), join(WEB, 'src'), join(WEB, 'public'), join(ROOT, 'packages/shared/src'), join(WEB, 'package.json')];
  for (const input of inputs) {
    for (const f of files(input)) {
      h.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
    }
  }
  h.update(`api=${process.env.PROMPTSEG_API_URL ?? ''}`);
  return h.digest('hex');
}

function builtFingerprint() {
  try {
    return readFileSync(join(DIST, STAMP), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Builds when stale (or forced); returns whether it built. */
export async function ensureBuilt({ force = false, quiet = false } = {}) {
  const fp = fingerprint();
  if (!force && builtFingerprint() === fp && existsSync(join(DIST, 'index.html'))) return false;
  const t0 = Date.now();
  // resolved from web/scripts, so the web workspace's vite is used whatever the cwd
  const { build } = await import('vite');
  const tmp = join(WEB, `.dist-tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    await build({ configFile: join(WEB, 'vite.config.ts'), root: WEB, logLevel: quiet ? 'error' : 'warn', build: { outDir: tmp, emptyOutDir: true } });
    writeFileSync(join(tmp, STAMP), fp + '\n');
    rmSync(DIST, { recursive: true, force: true });
    renameSync(tmp, DIST);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!quiet) console.log(`web: built the page into web/dist in ${Date.now() - t0} ms`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureBuilt({ force: process.argv.includes('--force') }).catch((e) => {
    console.error(`web: building the page failed: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
