/**
 * Bundles the inference function's TypeScript into plain ESM for the container image, so
 * production runs `node`, never tsx. Workspace packages (@promptseg/shared, @promptseg/model,
 * which export TypeScript sources) are bundled in; every npm dependency stays external and is
 * installed with `npm ci --omit=dev` in the image (native modules such as onnxruntime-node and
 * sharp, and packages whose model files are read from their own folders, cannot be bundled).
 *
 *   node functions/scripts/bundle.mjs [outdir]      (default: functions/dist)
 *
 * Entries (output name -> source):
 *   inference.mjs      the Lambda handler (functions/src/inference/handler.ts, export `handler`)
 *   invoke-server.mjs  the GPU variant's entry: the same handler behind the Lambda Invoke API
 */
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const functionsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(functionsDir, '..');

export const ENTRIES = {
  inference: join(functionsDir, 'src/inference/handler.ts'),
  'invoke-server': join(functionsDir, 'src/inference/invoke-server.ts'),
};

/** The npm dependencies of the workspaces the inference code imports: kept external. */
export function externalPackages() {
  const names = new Set();
  for (const dir of ['functions', 'packages/model', 'packages/shared']) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    for (const name of Object.keys(pkg.dependencies ?? {})) if (!name.startsWith('@promptseg/')) names.add(name);
  }
  return [...names].sort();
}

export async function bundle(outdir = join(functionsDir, 'dist')) {
  const missing = Object.values(ENTRIES).filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`bundle: entry file(s) missing: ${missing.join(', ')}`);
  const external = externalPackages();
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES)),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Deep imports (e.g. "@aws-sdk/client-s3/…", "hono/aws-lambda") are external too.
    external: external.flatMap((n) => [n, `${n}/*`]),
    // ESM output still meets CommonJS-only code paths in bundled sources: give them `require`.
    banner: { js: "import { createRequire as __promptsegCreateRequire } from 'node:module'; const require = __promptsegCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return { outdir, external };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { outdir } = await bundle(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`bundled ${Object.keys(ENTRIES).join(', ')} into ${outdir}`);
}
